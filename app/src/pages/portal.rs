//! The producer portal, first page: the member's products and a photo upload for each.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_portal;
use crate::components::Notice;
use crate::i18n::use_lang;

#[component]
pub fn PortalPage() -> impl IntoView {
    let lang = use_lang();
    let photo_added = use_query_map().read_untracked().get("notice").as_deref() == Some("photo");
    view! {
        <Title text=lang.t("Cổng chủ thể — OCOP", "Producer portal — OCOP")/>
        <h1>{lang.t("Cổng chủ thể OCOP", "Producer portal")}</h1>
        {photo_added.then(|| view! { <Notice kind="ok"><p>{lang.t("Đã thêm ảnh.", "Photo added.")}</p></Notice> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match get_portal().await {
                    Ok(None) => view! {
                        <p><a class="button primary" href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p>
                    }.into_any(),
                    Ok(Some((_, products, _))) if products.is_empty() => view! {
                        <p>{lang.t("Tài khoản này không thuộc chủ thể nào có sản phẩm.", "This account belongs to no producer with products.")}</p>
                    }.into_any(),
                    Ok(Some((_, products, csrf))) => {
                        let rows = products.into_iter().map(|p| view! {
                            <tr>
                                <td><a href=format!("/products/{}", p.slug)>{p.name_vi.clone()}</a></td>
                                <td class="num">{p.photos}</td>
                                <td>
                                    <form method="post" action=format!("/portal/products/{}/photos", p.id) enctype="multipart/form-data" class="add-form">
                                        <input type="hidden" name="csrf" value=csrf.clone()/>
                                        <input type="file" name="photo" accept="image/jpeg,image/png,image/webp" required
                                            aria-label=format!("{} {}", lang.t("Ảnh cho", "Photo for"), p.name_vi)/>
                                        <button type="submit" class="button">{lang.t("Tải ảnh lên", "Upload photo")}</button>
                                    </form>
                                </td>
                            </tr>
                        }).collect_view();
                        view! {
                            <p class="muted">{lang.t("JPEG, PNG hoặc WebP, tối đa 15 MB và 50 megapixel.", "JPEG, PNG or WebP, at most 15 MB and 50 megapixels.")}</p>
                            <div class="table-wrap"><table class="cart">
                                <thead><tr><th>{lang.t("Sản phẩm", "Product")}</th><th class="num">{lang.t("Ảnh", "Photos")}</th><th></th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table></div>
                        }.into_any()
                    }
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}
