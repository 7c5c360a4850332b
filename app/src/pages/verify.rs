use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::get_certificate;
use crate::components::CertPanel;
use crate::i18n::use_lang;

/// The public certificate check that the QR code on a package opens.
#[component]
pub fn VerifyPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let number = params.read_untracked().get("number").unwrap_or_default();
    let found = crate::once::once(get_certificate(number));
    view! {
        <PageTitle text=lang.t("Kiểm tra giấy chứng nhận OCOP", "Verify an OCOP certificate")/>
        <Suspense fallback=|| ()>
            {move || {

                Suspend::new(async move {
                let Ok(found) = found.await else { return super::server_error() };
                let Some(c) = found else {
                    super::set_status(404);
                    return view! {
                        <section class="empty">
                            <h1>"Không tìm thấy giấy chứng nhận"</h1>
                            <p>"Số giấy chứng nhận này không có trong hồ sơ OCOP. Sản phẩm mang số này chưa được xác minh."</p>
                            <h2 lang="en">"Certificate not found"</h2>
                            <p lang="en">"This certificate number is not in the OCOP records. A product carrying it is not verified."</p>
                        </section>
                    }.into_any();
                };
                view! {
                    <section class="verify">
                        <h1>{lang.t("Kiểm tra giấy chứng nhận OCOP", "OCOP certificate check")}</h1>
                        <p class="lead">
                            <a href=format!("/products/{}", c.product_slug)>{lang.pick(&c.product_name_vi, &c.product_name_en).to_string()}</a>
                            {c.producer_name.clone().map(|p| format!(" — {p}"))}
                        </p>
                        <CertPanel cert=c/>
                    </section>
                }
                .into_any()
            })}}
        </Suspense>
    }
}
