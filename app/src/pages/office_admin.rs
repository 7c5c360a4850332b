//! The office's producers, and the frame every office records page shares (its 403, its notices).
//! Users, showrooms and the audit log have modules of their own. Every change is a plain form post.

use crate::raw_text::PageTitle;
use domain::ocop::ProducerKind;
use domain::portal::{OfficeData, ProducerRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::get_office;
use crate::components::Notice;
use crate::form::{FormState, error_for, form_state};
use crate::i18n::{Lang, use_lang};
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager, sort_th};

fn saved_notice(lang: Lang) -> Option<impl IntoView + use<>> {
    let (vi, en) = match use_query_map().read_untracked().get("notice").as_deref() {
        Some("saved") => ("Đã lưu.", "Saved."),
        Some("revoked") => ("Đã thu hồi máy.", "Device revoked."),
        _ => return None,
    };
    Some(view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })
}

/// An office page: loads the office's records and renders `body`, or answers 403.
pub(super) fn office_page<V: IntoView + 'static>(
    lang: Lang,
    body: impl Fn(OfficeData, String, FormState) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let s = form_state();
    let office = crate::once::once(get_office());
    view! {
        {saved_notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let (s, body) = (s.clone(), body.clone());
                Suspend::new(async move {
                    match office.await {
                        Ok(Some((data, csrf))) => body(data, csrf, s).into_any(),
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn producer_form(
    lang: Lang,
    s: &FormState,
    id: Option<i64>,
    p: Option<&ProducerRow>,
    csrf: &str,
) -> impl IntoView + use<> {
    let key = id.map(|i| format!("producer-{i}")).unwrap_or_else(|| "producer-new".into());
    let s = s.for_form(&key);
    let v =
        |name: &str, cur: Option<&str>| if s.form.is_some() { s.value(name) } else { cur.unwrap_or("").to_string() };
    let kind = v("kind", p.map(|p| p.kind.as_str()));
    let kinds = ProducerKind::ALL
        .into_iter()
        .map(|k| {
            view! {
                <option value=k.code() selected=kind == k.code()>{lang.t(k.name_vi(), k.name_en())}</option>
            }
        })
        .collect_view();
    let action = id.map(|i| format!("/office/producers/{i}")).unwrap_or_else(|| "/office/producers".into());
    let f = |name: &'static str, vi: &'static str, en: &'static str, cur: Option<&str>| {
        let fid = format!("{key}-{name}");
        view! {
            <div>
                <label for=fid.clone()>{lang.t(vi, en)}</label>
                <input id=fid name=name value=v(name, cur) maxlength="300"/>
                {error_for(lang, &s, name)}
            </div>
        }
    };
    view! {
        <form method="post" action=action class="checkout-form form-grid" id=key.clone()>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            {f("name", "Tên chủ thể", "Name", p.map(|p| p.name.as_str()))}
            <div>
                <label for=format!("{key}-kind")>{lang.t("Loại chủ thể", "Kind")}</label>
                <select id=format!("{key}-kind") name="kind">{kinds}</select>
                {error_for(lang, &s, "kind")}
            </div>
            {f("district", "Huyện (trước 2025)", "District (before 2025)", p.map(|p| p.district.as_str()))}
            {f("province", "Tỉnh/thành phố", "Province or city", p.map(|p| p.province.as_str()))}
            {f("commune", "Xã/phường", "Commune or ward", p.map(|p| p.commune.as_str()))}
            {f("contact_name", "Người liên hệ", "Contact person", p.map(|p| p.contact_name.as_str()))}
            {f("phone", "Điện thoại", "Phone", p.map(|p| p.phone.as_str()))}
            {f("email", "Email", "Email", p.map(|p| p.email.as_str()))}
            <div class="wide"><button type="submit" class="button primary">{lang.t("Lưu", "Save")}</button></div>
        </form>
    }
}

const PRODUCERS: &str = "/office/producers";

#[component]
pub fn OfficeProducers() -> impl IntoView {
    let lang = use_lang();
    let editing = use_query_map().read_untracked().get("edit").and_then(|e| e.parse::<i64>().ok());
    let q = ListQuery::from_url();
    let kinds: Vec<(&'static str, &'static str, &'static str)> =
        ProducerKind::ALL.into_iter().map(|k| (k.code(), k.name_vi(), k.name_en())).collect();
    view! {
        <PageTitle text=lang.t("Chủ thể — Văn phòng OCOP", "Producers — OCOP office")/>
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let edit_id = editing.or_else(|| s.form.as_deref().and_then(|f| f.strip_prefix("producer-")).and_then(|i| i.parse().ok()));
            let editing_row = edit_id.and_then(|id| d.producers.iter().find(|p| p.id == id).cloned());
            let mut rows: Vec<&ProducerRow> = d.producers.iter()
                .filter(|p| q.filter.is_empty() || p.kind == q.filter)
                .filter(|p| q.matches(&[&p.name, &p.district, &p.commune, &p.contact_name, &p.phone, &p.email]))
                .collect();
            q.sort(&mut rows, |key, a, b| match key {
                "district" => a.district.cmp(&b.district),
                "commune" => a.commune.cmp(&b.commune),
                "kind" => a.kind.cmp(&b.kind),
                _ => a.name.cmp(&b.name),
            });
            let total = rows.len();
            let (page, pages) = q.page_of(rows);
            let body = if page.is_empty() {
                view! { <EmptyState title=lang.t("Không có chủ thể nào khớp.", "No producer matches.")
                    hint=lang.t("Tìm theo tên, huyện, xã, người liên hệ; hoặc thêm chủ thể mới bên dưới.", "Search by name, district, commune or contact; or add a producer below.")>
                    <a class="button" href="#producer-new">{lang.t("Thêm chủ thể", "Add a producer")}</a>
                </EmptyState> }.into_any()
            } else {
                let rows = page.into_iter().map(|p| {
                    let kind = ProducerKind::parse(&p.kind).map(|k| lang.t(k.name_vi(), k.name_en())).unwrap_or("—");
                    view! { <tr><td><a href=format!("/producers/{}", p.slug)><strong>{p.name.clone()}</strong></a></td><td>{kind}</td>
                        <td>{p.district.clone()}</td><td>{p.commune.clone()}</td>
                        <td>{p.contact_name.clone()}<br/><span class="muted small">{p.phone.clone()}</span></td>
                        <td class="row-actions"><a href=format!("{PRODUCERS}?edit={}#producer-{}", p.id, p.id)>{lang.t("Sửa", "Edit")}</a>
                            <a href=format!("/office/producers/{}/statement", p.id)>{lang.t("Đối soát", "Statement")}</a></td></tr> }
                }).collect_view();
                view! {
                    <div class="table-wrap"><table class="data" id="producers">
                        <thead><tr>
                            {sort_th(lang, PRODUCERS, &q, "name", "Chủ thể", "Producer", false)}
                            {sort_th(lang, PRODUCERS, &q, "kind", "Loại", "Kind", false)}
                            {sort_th(lang, PRODUCERS, &q, "district", "Huyện cũ", "Former district", false)}
                            {sort_th(lang, PRODUCERS, &q, "commune", "Xã/phường", "Commune", false)}
                            <th scope="col">{lang.t("Liên hệ", "Contact")}</th>
                            <th scope="col"><span class="sr-only">{lang.t("Thao tác", "Actions")}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                    {pager(lang, PRODUCERS, &q, total, pages)}
                }.into_any()
            };
            view! {
                <WsHead title=lang.t("Chủ thể OCOP", "OCOP producers")
                    lead=format!("{} {}", crate::format::number(d.producers.len() as i64), lang.t("chủ thể", "producers"))>
                    <a class="button" href="#producer-new">{lang.t("Thêm chủ thể", "Add a producer")}</a>
                </WsHead>
                {editing_row.map(|p| view! {
                    <section class="panel">
                        <h2>{lang.t("Sửa: ", "Edit: ")}{p.name.clone()}</h2>
                        {producer_form(lang, &s, Some(p.id), Some(&p), &csrf)}
                    </section>
                })}
                {list_tools(lang, PRODUCERS, &q, lang.t("Tên, huyện, xã, người liên hệ…", "Name, district, commune, contact…"), &kinds)}
                {body}
                <section class="panel">
                    <h2>{lang.t("Thêm chủ thể", "Add a producer")}</h2>
                    {producer_form(lang, &s, None, None, &csrf)}
                </section>
            }
        })}
    }
}
