//! The office's certificate list with a revoke form per certificate.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::get_office_certificates;
use crate::components::Notice;
use crate::format::encode;
use crate::i18n::use_lang;

#[component]
pub fn OfficeCertificates() -> impl IntoView {
    let lang = use_lang();
    let revoked = use_query_map().read_untracked().get("notice").as_deref() == Some("revoked");
    view! {
        <Title text=lang.t("Giấy chứng nhận — Văn phòng OCOP", "Certificates — OCOP office")/>
        <h1>{lang.t("Giấy chứng nhận OCOP", "OCOP certificates")}</h1>
        {revoked.then(|| view! { <Notice kind="ok"><p>{lang.t("Đã thu hồi giấy chứng nhận.", "Certificate revoked.")}</p></Notice> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match get_office_certificates().await {
                    Ok(None) => {
                        super::set_status(403);
                        view! { <p>{lang.t("Trang dành cho văn phòng OCOP. ", "For the OCOP office only. ")}
                            <a href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }.into_any()
                    }
                    Ok(Some((certs, csrf))) => {
                        let rows = certs.into_iter().map(|c| {
                            let action = match c.revoked.clone() {
                                Some(r) => view! { <span class="muted">{lang.t("Đã thu hồi ", "Revoked ")}{r}</span> }.into_any(),
                                None => view! {
                                    <form method="post" action=format!("/office/certificates/{}/revoke", encode(&c.number)) class="add-form">
                                        <input type="hidden" name="csrf" value=csrf.clone()/>
                                        <input name="reason" maxlength="500" required placeholder=lang.t("Lý do thu hồi", "Reason")
                                            aria-label=format!("{} {}", lang.t("Lý do thu hồi", "Reason to revoke"), c.number)/>
                                        <button type="submit" class="button ghost">{lang.t("Thu hồi", "Revoke")}</button>
                                    </form>
                                }.into_any(),
                            };
                            view! { <tr><td class="mono">{c.number.clone()}</td><td>{c.product.clone()}</td><td>{c.stars}"★"</td><td>{action}</td></tr> }
                        }).collect_view();
                        view! {
                            <div class="table-wrap"><table class="cart">
                                <thead><tr><th>{lang.t("Số", "Number")}</th><th>{lang.t("Sản phẩm", "Product")}</th><th>{lang.t("Hạng", "Stars")}</th><th></th></tr></thead>
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
