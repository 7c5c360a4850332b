//! `/ocop`: the public registry of certified products and their producers, by decision year,
//! stars and commune, with the same filters as `/api/v1/certificates` (and links to its files).

use domain::registry::RegistryEntry;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::evaluation_api::get_registry;
use crate::format::date_in;
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;

fn pairs(raw: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(raw).unwrap_or_default()
}

fn filters(lang: Lang, raw: &str) -> impl IntoView + use<> {
    let p = pairs(raw);
    let get = |k: &str| p.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let (year, stars, area, valid) = (get("year"), get("stars"), get("area"), get("valid"));
    let star_options = (3..=5)
        .map(|n| {
            let v = n.to_string();
            view! { <option value=v.clone() selected=stars == v>{format!("{n}★")}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/ocop" class="registry-filters" id="registry-filters">
            <label>{lang.t("Năm quyết định", "Decision year")}
                <input name="year" inputmode="numeric" maxlength="4" size="5" value=year/></label>
            <label>{lang.t("Hạng sao", "Stars")}
                <select name="stars"><option value="">{lang.t("Tất cả", "All")}</option>{star_options}</select></label>
            <label>{lang.t("Xã, phường (hoặc huyện cũ)", "Commune (or former district)")}
                <input name="area" maxlength="100" value=area/></label>
            <label class="choice"><input type="checkbox" name="valid" value="1" checked=!valid.is_empty()/>" "{lang.t("Chỉ còn hiệu lực", "Valid only")}</label>
            <button type="submit" class="button">{lang.t("Lọc", "Filter")}</button>
        </form>
    }
}

fn rows(lang: Lang, entries: &[RegistryEntry]) -> impl IntoView + use<> {
    entries
        .iter()
        .map(|e| {
            let c = &e.certificate;
            let place = e.commune.clone().or_else(|| e.district_pre2025.clone()).unwrap_or_default();
            let (svi, sen) = (c.status.name_vi(), c.status.name_en());
            view! {
                <tr>
                    <td><a href=format!("/products/{}", c.product_slug)>{lang.pick(&c.product_name_vi, &c.product_name_en).to_string()}</a>
                        <br/><span class="muted small">{c.producer_name.clone()}</span></td>
                    <td>{place}</td>
                    <td class="stars-text">{"★".repeat(c.stars as usize)}</td>
                    <td><a href=format!("/verify/{}", c.number)>{c.number.clone()}</a></td>
                    <td>{c.decided_on.map(|d| date_in(lang, d))}</td>
                    <td>{lang.t(svi, sen)}</td>
                </tr>
            }
        })
        .collect_view()
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    let lang = use_lang();
    let raw = use_location().search.get_untracked();
    let raw = raw.trim_start_matches('?').to_string();
    let data = crate::once::once(get_registry(raw.clone()));
    view! {
        <PageTitle text=lang.t("Danh sách sản phẩm OCOP", "OCOP product registry")/>
        <section class="registry">
            <h1>{lang.t("Danh sách sản phẩm OCOP được công nhận", "Certified OCOP products")}</h1>
            <p class="muted">{lang.t("Theo quyết định công nhận của UBND tỉnh và Bộ; dữ liệu mở cho cơ sở dữ liệu OCOP quốc gia.", "From the province's and the Ministry's decisions; open data for the national OCOP database.")}</p>
            {filters(lang, &raw)}
            <Suspense fallback=|| ()>
                {move || {
                    let raw = raw.clone();
                    Suspend::new(async move {
                        match data.await {
                            Err(_) => super::server_error(),
                            Ok(Err(e)) => {
                                super::set_status(400);
                                view! { <p class="field-error" role="alert">{lang.pick(&e.message_vi, &e.message_en).to_string()}</p> }.into_any()
                            }
                            Ok(Ok(entries)) => {
                                let producers = {
                                    let mut names: Vec<_> = entries.iter().filter_map(|e| e.certificate.producer_name.clone()).collect();
                                    names.sort();
                                    names.dedup();
                                    names.len()
                                };
                                let sep = if raw.is_empty() { String::new() } else { format!("{raw}&") };
                                view! {
                                    <p id="registry-count"><strong>{entries.len()}</strong>{lang.t(" giấy chứng nhận · ", " certificates · ")}
                                        <strong>{producers}</strong>{lang.t(" chủ thể", " producers")}
                                        " · "<a href=format!("/api/v1/certificates?{sep}format=csv")>"CSV"</a>
                                        " · "<a href=format!("/api/v1/certificates?{sep}format=json")>"JSON"</a></p>
                                    <div class="table-wrap"><table class="data" id="registry">
                                        <thead><tr><th>{lang.t("Sản phẩm, chủ thể", "Product, producer")}</th><th>{lang.t("Địa bàn", "Place")}</th>
                                            <th>{lang.t("Hạng", "Stars")}</th><th>{lang.t("Số GCN", "Certificate")}</th>
                                            <th>{lang.t("Ngày QĐ", "Decided")}</th><th>{lang.t("Tình trạng", "Status")}</th></tr></thead>
                                        <tbody>{rows(lang, &entries)}</tbody>
                                    </table></div>
                                }.into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}
