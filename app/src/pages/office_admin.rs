//! The office's pages for producers, users and roles, showrooms with their POS devices, and the
//! audit log. All are for office accounts only; every change is a plain form post.

use crate::raw_text::PageTitle;
use domain::account::Role;
use domain::ocop::ProducerKind;
use domain::portal::{OfficeData, ProducerRow, ShowroomRow, UserRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{get_audit, get_office};
use crate::components::Notice;
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::i18n::{Lang, use_lang};

fn saved_notice(lang: Lang) -> Option<impl IntoView + use<>> {
    let (vi, en) = match use_query_map().read_untracked().get("notice").as_deref() {
        Some("saved") => ("Đã lưu.", "Saved."),
        Some("revoked") => ("Đã thu hồi máy.", "Device revoked."),
        _ => return None,
    };
    Some(view! { <Notice kind="ok"><p>{lang.t(vi, en)}</p></Notice> })
}

/// An office page: loads the office's records and renders `body`, or answers 403.
fn office_page<V: IntoView + 'static>(
    lang: Lang,
    body: impl Fn(OfficeData, String, FormState) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let s = form_state();
    view! {
        <p><a href="/office">{lang.t("← Văn phòng OCOP", "← OCOP office")}</a></p>
        {saved_notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let (s, body) = (s.clone(), body.clone());
                Suspend::new(async move {
                    match get_office().await {
                        Ok(Some((data, csrf))) => body(data, csrf, s).into_any(),
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
pub fn OfficeHome() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle text=lang.t("Văn phòng OCOP", "OCOP office")/>
        <h1>{lang.t("Văn phòng điều phối OCOP", "OCOP coordination office")}</h1>
        <ul class="office-links">
            <li><a href="/office/certificates">{lang.t("Giấy chứng nhận: ghi, cấp lại, nâng hạng, thu hồi", "Certificates: record, renew, upgrade, revoke")}</a></li>
            <li><a href="/office/producers">{lang.t("Chủ thể OCOP", "Producers")}</a></li>
            <li><a href="/portal/combos">{lang.t("Combo quà tặng tuyển chọn", "Curated gift combos")}</a></li>
            <li><a href="/office/users">{lang.t("Tài khoản và vai trò", "Users and roles")}</a></li>
            <li><a href="/office/showrooms">{lang.t("Điểm bán và máy bán hàng", "Showrooms and POS devices")}</a></li>
            <li><a href="/office/audit">{lang.t("Nhật ký thay đổi", "Audit log")}</a></li>
            <li><a href="/office/dashboard">{lang.t("Bảng điều hành chương trình", "Programme dashboard")}</a></li>
            <li><a href="/office/channels">{lang.t("Kênh bán do chủ thể tự khai", "Channels reported by producers")}</a></li>
        </ul>
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
            <label for=fid.clone()>{lang.t(vi, en)}</label>
            <input id=fid name=name value=v(name, cur) maxlength="300"/>
            {error_for(lang, &s, name)}
        }
    };
    view! {
        <form method="post" action=action class="checkout-form" id=key.clone()>
            <input type="hidden" name="csrf" value=csrf.to_string()/>
            {f("name", "Tên chủ thể", "Name", p.map(|p| p.name.as_str()))}
            <label for=format!("{key}-kind")>{lang.t("Loại chủ thể", "Kind")}</label>
            <select id=format!("{key}-kind") name="kind">{kinds}</select>
            {error_for(lang, &s, "kind")}
            {f("district", "Huyện (trước 2025)", "District (before 2025)", p.map(|p| p.district.as_str()))}
            {f("province", "Tỉnh/thành phố", "Province or city", p.map(|p| p.province.as_str()))}
            {f("commune", "Xã/phường", "Commune or ward", p.map(|p| p.commune.as_str()))}
            {f("contact_name", "Người liên hệ", "Contact person", p.map(|p| p.contact_name.as_str()))}
            {f("phone", "Điện thoại", "Phone", p.map(|p| p.phone.as_str()))}
            {f("email", "Email", "Email", p.map(|p| p.email.as_str()))}
            <button type="submit" class="button primary">{lang.t("Lưu", "Save")}</button>
        </form>
    }
}

#[component]
pub fn OfficeProducers() -> impl IntoView {
    let lang = use_lang();
    let editing = use_query_map().read_untracked().get("edit").and_then(|e| e.parse::<i64>().ok());
    view! {
        <PageTitle text=lang.t("Chủ thể — Văn phòng OCOP", "Producers — OCOP office")/>
        <h1>{lang.t("Chủ thể OCOP", "OCOP producers")}</h1>
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let edit_id = editing.or_else(|| s.form.as_deref().and_then(|f| f.strip_prefix("producer-")).and_then(|i| i.parse().ok()));
            let editing_row = edit_id.and_then(|id| d.producers.iter().find(|p| p.id == id).cloned());
            let rows = d.producers.iter().map(|p| {
                let kind = ProducerKind::parse(&p.kind).map(|k| lang.t(k.name_vi(), k.name_en())).unwrap_or("—");
                view! { <tr><td><a href=format!("/producers/{}", p.slug)>{p.name.clone()}</a></td><td>{kind}</td>
                    <td>{p.district.clone()}</td><td>{p.commune.clone()}</td><td>{p.contact_name.clone()}" "{p.phone.clone()}</td>
                    <td><a href=format!("/office/producers?edit={}#producer-{}", p.id, p.id)>{lang.t("Sửa", "Edit")}</a>" · "
                        <a href=format!("/office/producers/{}/statement", p.id)>{lang.t("Đối soát", "Statement")}</a></td></tr> }
            }).collect_view();
            view! {
                {editing_row.map(|p| view! {
                    <h2>{lang.t("Sửa: ", "Edit: ")}{p.name.clone()}</h2>
                    {producer_form(lang, &s, Some(p.id), Some(&p), &csrf)}
                })}
                <div class="table-wrap"><table class="cart" id="producers">
                    <thead><tr><th>{lang.t("Chủ thể", "Producer")}</th><th>{lang.t("Loại", "Kind")}</th><th>{lang.t("Huyện cũ", "Former district")}</th>
                        <th>{lang.t("Xã/phường", "Commune")}</th><th>{lang.t("Liên hệ", "Contact")}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <h2>{lang.t("Thêm chủ thể", "Add a producer")}</h2>
                {producer_form(lang, &s, None, None, &csrf)}
            }
        })}
    }
}

fn user_row(lang: Lang, u: &UserRow, d: &OfficeData, s: &FormState, csrf: &str) -> impl IntoView + use<> {
    let key = format!("user-{}", u.id);
    let s = s.for_form(&key);
    let roles = [Role::Shopper, Role::Producer, Role::Staff, Role::Admin]
        .into_iter()
        .map(|r| {
            let (vi, en) = r.label();
            view! { <option value=r.code() selected=u.role == r.code()>{lang.t(vi, en)}</option> }
        })
        .collect_view();
    let producers = d
        .producers
        .iter()
        .map(|p| {
            view! {
                <option value=p.id.to_string() selected=u.producer_id == Some(p.id)>{p.name.clone()}</option>
            }
        })
        .collect_view();
    let showrooms = d
        .showrooms
        .iter()
        .map(|r| {
            view! {
                <option value=r.id.to_string() selected=u.showroom_id == Some(r.id)>{r.name.clone()}</option>
            }
        })
        .collect_view();
    view! {
        <tr id=key.clone()>
            <td>{u.name.clone()}<br/><span class="muted">{u.login.clone()}</span></td>
            <td>
                <form method="post" action=format!("/office/users/{}/role", u.id) class="stock-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <label for=format!("{key}-role")>{lang.t("Vai trò", "Role")}</label>
                    <select id=format!("{key}-role") name="role">{roles}</select>
                    <label for=format!("{key}-producer")>{lang.t("Chủ thể", "Producer")}</label>
                    <select id=format!("{key}-producer") name="producer_id"><option value="">"—"</option>{producers}</select>
                    <label for=format!("{key}-showroom")>{lang.t("Điểm bán", "Showroom")}</label>
                    <select id=format!("{key}-showroom") name="showroom_id"><option value="">"—"</option>{showrooms}</select>
                    <label class="check"><input type="checkbox" name="disabled" checked=u.disabled/>" "{lang.t("Khoá tài khoản", "Disabled")}</label>
                    {other_errors(lang, &s, &[])}
                    <button type="submit" class="button">{lang.t("Lưu", "Save")}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
pub fn OfficeUsers() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle text=lang.t("Tài khoản — Văn phòng OCOP", "Users — OCOP office")/>
        <h1>{lang.t("Tài khoản và vai trò", "Users and roles")}</h1>
        <p class="muted">{lang.t(
            "Đổi vai trò hay khoá tài khoản sẽ đăng xuất tài khoản đó trên mọi thiết bị.",
            "Changing a role or disabling an account signs it out on every device.")}</p>
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let rows = d.users.iter().map(|u| user_row(lang, u, &d, &s, &csrf)).collect_view();
            view! { <div class="table-wrap"><table class="cart" id="users"><tbody>{rows}</tbody></table></div> }
        })}
    }
}

fn showroom_block(lang: Lang, r: &ShowroomRow, s: &FormState, csrf: &str) -> impl IntoView + use<> {
    let key = format!("device-{}", r.id);
    let ds = s.for_form(&key);
    let code = ds.value("pairing_code");
    let no_code = code.is_empty();
    let devices = r
        .devices
        .iter()
        .map(|d| {
            let state = match (&d.revoked_at, &d.paired_at, &d.code_expires) {
                (Some(at), _, _) => format!("{} {at}", lang.t("Đã thu hồi", "Revoked")),
                (None, Some(at), _) => format!("{} {at}", lang.t("Đã ghép", "Paired")),
                (None, None, Some(until)) => {
                    format!("{} {until}", lang.t("Chờ ghép, mã hết hạn", "Awaiting pairing, code expires"))
                }
                _ => String::new(),
            };
            view! {
                <li>{d.name.clone()}" — "{state}
                    {d.revoked_at.is_none().then(|| view! {
                        <form method="post" action=format!("/office/devices/{}/revoke", d.id) class="add-form">
                            <input type="hidden" name="csrf" value=csrf.to_string()/>
                            <button type="submit" class="button ghost">{lang.t("Thu hồi", "Revoke")}</button>
                        </form>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="variant" id=format!("showroom-{}", r.code)>
            <h3>{r.name.clone()}" · "{r.code.clone()}</h3>
            <p class="muted">{r.address.clone()}</p>
            <p id=format!("sales-{}", r.code)>{format!("{}: {}", lang.t("Lần bán đã nhận từ quầy", "Sales received from the tills"), r.sales_received)}</p>
            <ul>{devices}</ul>
            {(!code.is_empty()).then(|| view! {
                <Notice kind="ok"><p>{lang.t("Mã ghép máy (chỉ hiện lần này, hiệu lực 24 giờ): ", "Pairing code (shown this once, valid 24 hours): ")}
                    <strong class="mono" id="pairing-code">{code.clone()}</strong></p></Notice>
            })}
            <form method="post" action=format!("/office/showrooms/{}/devices", r.id) class="add-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label for=format!("{key}-name")>{lang.t("Tên máy mới", "New device name")}</label>
                <input id=format!("{key}-name") name="name" maxlength="120" required/>
                <button type="submit" class="button">{lang.t("Thêm máy và lấy mã ghép", "Add device and get a pairing code")}</button>
            </form>
            {no_code.then(|| error_for(lang, &ds, "name"))}
        </article>
    }
}

#[component]
pub fn OfficeShowrooms() -> impl IntoView {
    let lang = use_lang();
    view! {
        <PageTitle text=lang.t("Điểm bán — Văn phòng OCOP", "Showrooms — OCOP office")/>
        <h1>{lang.t("Điểm bán và máy bán hàng", "Showrooms and POS devices")}</h1>
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let blocks = d.showrooms.iter().map(|r| showroom_block(lang, r, &s, &csrf)).collect_view();
            let ns = s.for_form("showroom-new");
            view! {
                <p>{format!("{} / 4 {}", d.showrooms.len(), lang.t("điểm bán theo kế hoạch", "showrooms in the plan"))}</p>
                {blocks}
                <h2>{lang.t("Thêm điểm bán", "Add a showroom")}</h2>
                <form method="post" action="/office/showrooms" class="checkout-form" id="new-showroom">
                    <input type="hidden" name="csrf" value=csrf.clone()/>
                    <label for="sr-code">{lang.t("Mã (ví dụ: SR-MUINE)", "Code (e.g. SR-MUINE)")}</label>
                    <input id="sr-code" name="code" value=ns.value("code") maxlength="32" required/>
                    {error_for(lang, &ns, "code")}
                    <label for="sr-name">{lang.t("Tên", "Name")}</label>
                    <input id="sr-name" name="name" value=ns.value("name") maxlength="200" required/>
                    {error_for(lang, &ns, "name")}
                    <label for="sr-address">{lang.t("Địa chỉ", "Address")}</label>
                    <input id="sr-address" name="address" value=ns.value("address") maxlength="300"/>
                    <button type="submit" class="button primary">{lang.t("Thêm điểm bán", "Add showroom")}</button>
                </form>
            }
        })}
    }
}

#[component]
pub fn OfficeAudit() -> impl IntoView {
    let lang = use_lang();
    let entity = use_query_map().read_untracked().get("entity").unwrap_or_default();
    view! {
        <PageTitle text=lang.t("Nhật ký — Văn phòng OCOP", "Audit log — OCOP office")/>
        <h1>{lang.t("Nhật ký thay đổi", "Audit log")}</h1>
        <p><a href="/office">{lang.t("← Văn phòng OCOP", "← OCOP office")}</a></p>
        <form method="get" action="/office/audit" class="add-form">
            <label for="entity">{lang.t("Loại", "Kind")}</label>
            <select id="entity" name="entity">
                {["", "certificate", "product", "variant", "stock", "combo", "fulfilment", "producer", "user", "showroom", "device"].into_iter().map(|e| {
                    view! { <option value=e selected=entity == e>{if e.is_empty() { lang.t("Tất cả", "All") } else { e }}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button">{lang.t("Lọc", "Filter")}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || {
                let entity = entity.clone();
                Suspend::new(async move {
                    match get_audit(entity).await {
                        Ok(Some(rows)) => {
                            let rows = rows.into_iter().map(|r| view! {
                                <tr><td>{r.at}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.entity}" "<span class="mono">{r.key}</span></td>
                                    <td class="mono small">{r.before}</td><td class="mono small">{r.after}</td></tr>
                            }).collect_view();
                            view! { <div class="table-wrap"><table class="cart" id="audit">
                                <thead><tr><th>{lang.t("Lúc", "When")}</th><th>{lang.t("Ai", "Who")}</th><th>{lang.t("Việc", "Action")}</th>
                                    <th>{lang.t("Bản ghi", "Record")}</th><th>{lang.t("Trước", "Before")}</th><th>{lang.t("Sau", "After")}</th></tr></thead>
                                <tbody>{rows}</tbody></table></div> }.into_any()
                        }
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}
