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
fn office_page<V: IntoView + 'static>(
    lang: Lang,
    body: impl Fn(OfficeData, String, FormState) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let s = form_state();
    view! {
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

fn user_form(lang: Lang, u: &UserRow, d: &OfficeData, s: &FormState, csrf: &str) -> impl IntoView + use<> {
    let key = format!("user-{}", u.id);
    let s = s.for_form(&key);
    view! {
        <section class="panel" id=key.clone()>
            <h2>{lang.t("Vai trò của ", "Role of ")}{u.name.clone()}</h2>
            <p class="muted">{u.login.clone()}</p>
            <form method="post" action=format!("/office/users/{}/role", u.id) class="checkout-form form-grid">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                {role_fields(lang, &key, &s, &u.role, u.producer_id, u.showroom_id, d)}
                <label class="choice wide"><input type="checkbox" name="disabled" checked=u.disabled/>" "{lang.t("Khoá tài khoản", "Disabled")}</label>
                {other_errors(lang, &s, &["role", "producer_id", "showroom_id"])}
                <div class="wide actions">
                    <button type="submit" class="button">{lang.t("Lưu", "Save")}</button>
                    <a class="button ghost" href="/office/users">{lang.t("Đóng", "Close")}</a>
                </div>
            </form>
        </section>
    }
}

/// The role and what it belongs to (a producer for members, a showroom for staff).
fn role_fields(
    lang: Lang,
    key: &str,
    s: &FormState,
    role: &str,
    producer_id: Option<i64>,
    showroom_id: Option<i64>,
    d: &OfficeData,
) -> impl IntoView + use<> {
    let typed = |name: &str, cur: String| if s.form.is_some() { s.value(name) } else { cur };
    let role = typed("role", role.to_string());
    let producer = typed("producer_id", producer_id.map(|i| i.to_string()).unwrap_or_default());
    let showroom = typed("showroom_id", showroom_id.map(|i| i.to_string()).unwrap_or_default());
    let roles = Role::ALL
        .into_iter()
        .map(|r| {
            let (vi, en) = r.label();
            view! { <option value=r.code() selected=role == r.code()>{lang.t(vi, en)}</option> }
        })
        .collect_view();
    let producers = d
        .producers
        .iter()
        .map(|p| view! { <option value=p.id.to_string() selected=producer == p.id.to_string()>{p.name.clone()}</option> })
        .collect_view();
    let showrooms = d
        .showrooms
        .iter()
        .map(|r| view! { <option value=r.id.to_string() selected=showroom == r.id.to_string()>{r.name.clone()}</option> })
        .collect_view();
    view! {
        <div>
            <label for=format!("{key}-role")>{lang.t("Vai trò", "Role")}</label>
            <select id=format!("{key}-role") name="role">{roles}</select>
            {error_for(lang, s, "role")}
        </div>
        <div>
            <label for=format!("{key}-producer")>{lang.t("Chủ thể (với thành viên chủ thể)", "Producer (for producer members)")}</label>
            <select id=format!("{key}-producer") name="producer_id"><option value="">"—"</option>{producers}</select>
            {error_for(lang, s, "producer_id")}
        </div>
        <div>
            <label for=format!("{key}-showroom")>{lang.t("Điểm bán (với nhân viên)", "Showroom (for staff)")}</label>
            <select id=format!("{key}-showroom") name="showroom_id"><option value="">"—"</option>{showrooms}</select>
            {error_for(lang, s, "showroom_id")}
        </div>
    }
}

fn invite_form(lang: Lang, d: &OfficeData, s: &FormState, csrf: &str) -> impl IntoView + use<> {
    let s = s.for_form("invite");
    view! {
        <section class="panel" id="invite">
            <details open=s.form.is_some()>
                <summary><h2 class="inline">{lang.t("Mời người dùng", "Invite someone")}</h2></summary>
                <p class="muted">{lang.t(
                    "Người được mời nhận thư có liên kết để tự đặt mật khẩu (hiệu lực 7 ngày).",
                    "The person gets an email with a link to set their own password (valid 7 days).")}</p>
                <form method="post" action="/office/users/invite" class="checkout-form form-grid" id="invite-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <div>
                        <label for="invite-name">{lang.t("Họ tên", "Name")}</label>
                        <input id="invite-name" name="name" value=s.value("name") maxlength="100" required/>
                        {error_for(lang, &s, "name")}
                    </div>
                    <div>
                        <label for="invite-email">"Email"</label>
                        <input id="invite-email" name="email" type="email" value=s.value("email") maxlength="200" required/>
                        {error_for(lang, &s, "email")}
                    </div>
                    {role_fields(lang, "invite", &s, "producer", None, None, d)}
                    {other_errors(lang, &s, &["name", "email", "role", "producer_id", "showroom_id"])}
                    <div class="wide"><button type="submit" class="button primary">{lang.t("Gửi lời mời", "Send the invitation")}</button></div>
                </form>
            </details>
        </section>
    }
}

const USERS: &str = "/office/users";

#[component]
pub fn OfficeUsers() -> impl IntoView {
    let lang = use_lang();
    let editing = use_query_map().read_untracked().get("edit").and_then(|e| e.parse::<i64>().ok());
    let invited = use_query_map().read_untracked().get("notice").as_deref() == Some("invited");
    let q = ListQuery::from_url();
    view! {
        <PageTitle text=lang.t("Tài khoản — Văn phòng OCOP", "Users — OCOP office")/>
        <WsHead title=lang.t("Tài khoản và vai trò", "Users and roles")
            lead=lang.t("Đổi vai trò hay khoá tài khoản sẽ đăng xuất tài khoản đó trên mọi thiết bị.",
                "Changing a role or disabling an account signs it out on every device.")>
            <a class="button" href="#invite">{lang.t("Mời người dùng", "Invite someone")}</a>
        </WsHead>
        {invited.then(|| view! { <Notice kind="ok"><p>{lang.t("Đã gửi lời mời.", "Invitation sent.")}</p></Notice> })}
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let edit_id = editing.or_else(|| s.form.as_deref().and_then(|f| f.strip_prefix("user-")).and_then(|i| i.parse().ok()));
            let editing_row = edit_id.and_then(|id| d.users.iter().find(|u| u.id == id)).map(|u| user_form(lang, u, &d, &s, &csrf));
            let producer_name = |id: Option<i64>| id.and_then(|id| d.producers.iter().find(|p| p.id == id)).map(|p| p.name.clone());
            let showroom_name = |id: Option<i64>| id.and_then(|id| d.showrooms.iter().find(|r| r.id == id)).map(|r| r.name.clone());
            let mut rows: Vec<(&UserRow, String)> = d.users.iter()
                .map(|u| (u, producer_name(u.producer_id).or_else(|| showroom_name(u.showroom_id)).unwrap_or_default()))
                .filter(|(u, _)| q.filter.is_empty() || u.role == q.filter)
                .filter(|(u, org)| q.matches(&[&u.name, &u.login, org]))
                .collect();
            q.sort(&mut rows, |key, a, b| match key {
                "name" => a.0.name.cmp(&b.0.name),
                "role" => a.0.role.cmp(&b.0.role),
                "org" => a.1.cmp(&b.1),
                _ => a.0.id.cmp(&b.0.id),
            });
            let total = rows.len();
            let (page, pages) = q.page_of(rows);
            let body = if page.is_empty() {
                view! { <EmptyState title=lang.t("Không có tài khoản nào khớp.", "No account matches.")
                    hint=lang.t("Tìm theo tên, email, số điện thoại hoặc chủ thể; hoặc mời người mới.", "Search by name, email, phone or producer; or invite someone new.")>
                    <a class="button" href="#invite">{lang.t("Mời người dùng", "Invite someone")}</a>
                </EmptyState> }.into_any()
            } else {
                let rows = page.into_iter().map(|(u, org)| {
                    let role = Role::parse(&u.role).map(|r| { let (vi, en) = r.label(); lang.t(vi, en) }).unwrap_or("—");
                    view! {
                        <tr id=format!("row-user-{}", u.id)>
                            <td><strong>{u.name.clone()}</strong><br/><span class="muted small">{u.login.clone()}</span></td>
                            <td><span class=format!("pill role-{}", u.role)>{role}</span></td>
                            <td>{org}</td>
                            <td>{if u.disabled { lang.t("Đã khoá", "Disabled") } else { lang.t("Đang dùng", "Active") }}</td>
                            <td class="row-actions"><a href=format!("{USERS}?edit={}#user-{}", u.id, u.id)>{lang.t("Sửa vai trò", "Edit role")}</a></td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <div class="table-wrap"><table class="data" id="users">
                        <thead><tr>
                            {sort_th(lang, USERS, &q, "name", "Người dùng", "User", false)}
                            {sort_th(lang, USERS, &q, "role", "Vai trò", "Role", false)}
                            {sort_th(lang, USERS, &q, "org", "Thuộc", "Belongs to", false)}
                            <th scope="col">{lang.t("Trạng thái", "Status")}</th>
                            <th scope="col"><span class="sr-only">{lang.t("Thao tác", "Actions")}</span></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table></div>
                    {pager(lang, USERS, &q, total, pages)}
                }.into_any()
            };
            view! {
                {editing_row}
                {list_tools(lang, USERS, &q, lang.t("Tên, email, số điện thoại, chủ thể…", "Name, email, phone, producer…"), &ROLE_FILTERS)}
                {body}
                {invite_form(lang, &d, &s, &csrf)}
            }
        })}
    }
}

const ROLE_FILTERS: [(&str, &str, &str); 4] = [
    ("shopper", "Khách hàng", "Shoppers"),
    ("producer", "Chủ thể", "Producers"),
    ("staff", "Nhân viên", "Staff"),
    ("admin", "Văn phòng", "Office"),
];

/// The pairing code, large and in two groups, with everything the person at the till must type: the
/// marketplace's address and the code. Printing the page prints only this sheet (see style.css), so
/// it can be carried to the showroom; the code is shown this once and never stored readable.
fn pairing_sheet(lang: Lang, r: &ShowroomRow, device: &str, code: &str, market: &str) -> impl IntoView + use<> {
    let until = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Ho_Chi_Minh) + chrono::Duration::hours(24);
    let until = format!("{} {}", until.format("%H:%M"), crate::format::date(until.date_naive()));
    view! {
        <section class="pairing-sheet" id="pairing-sheet" aria-labelledby="pairing-h">
            <h3 id="pairing-h">{lang.t("Phiếu ghép máy bán hàng", "Till pairing sheet")}</h3>
            <p class="muted">{r.name.clone()}" · "{r.code.clone()}" · "{lang.t("máy: ", "till: ")}{device.to_string()}</p>
            <ol class="pairing-steps">
                <li>
                    {lang.t("Trên máy bán hàng, mở “Ghép với chợ” và nhập địa chỉ chợ:", "On the till, open “Pair with the market” and type the market's address:")}
                    <span class="pairing-url" id="pairing-url">{market.to_string()}</span>
                </li>
                <li>
                    {lang.t("Nhập mã ghép:", "Type the pairing code:")}
                    <span class="pairing-code" id="pairing-code">{code.to_string()}</span>
                </li>
            </ol>
            <p class="small">{lang.t("Mã dùng một lần, hiệu lực đến ", "One use only, valid until ")}<strong>{until}</strong>
                {lang.t(". Mã chỉ hiện lần này: in phiếu (Ctrl+P) hoặc chép lại ngay.", ". It is shown only this once: print this sheet (Ctrl+P) or copy it now.")}</p>
        </section>
    }
}

fn showroom_block(lang: Lang, r: &ShowroomRow, s: &FormState, csrf: &str, market: &str) -> impl IntoView + use<> {
    let key = format!("device-{}", r.id);
    let ds = s.for_form(&key);
    let code = ds.value("pairing_code");
    let no_code = code.is_empty();
    let devices = r
        .devices
        .iter()
        .map(|d| {
            let (state, class) = match (&d.revoked_at, &d.paired_at, &d.code_expires) {
                (Some(at), _, _) => (format!("{} {at}", lang.t("Đã thu hồi", "Revoked")), "revoked"),
                (None, Some(at), _) => (format!("{} {at}", lang.t("Đã ghép", "Paired")), "valid"),
                (None, None, Some(until)) => {
                    (format!("{} {until}", lang.t("Chờ ghép, mã hết hạn", "Awaiting pairing, code expires")), "expiring")
                }
                _ => (String::new(), ""),
            };
            view! {
                <tr>
                    <td><strong>{d.name.clone()}</strong></td>
                    <td><span class=format!("pill {class}")>{state}</span></td>
                    <td>{d.last_sync.clone().unwrap_or_else(|| lang.t("chưa lần nào", "never").to_string())}</td>
                    <td class="row-actions">{d.revoked_at.is_none().then(|| view! {
                        <form method="post" action=format!("/office/devices/{}/revoke", d.id) class="add-form">
                            <input type="hidden" name="csrf" value=csrf.to_string()/>
                            <button type="submit" class="button ghost small">{lang.t("Thu hồi", "Revoke")}</button>
                        </form>
                    })}</td>
                </tr>
            }
        })
        .collect_view();
    let has_devices = !r.devices.is_empty();
    view! {
        <article class="panel variant" id=format!("showroom-{}", r.code)>
            <header class="order-head">
                <h2>{r.name.clone()}</h2><span class="mono muted">{r.code.clone()}</span>
            </header>
            <p class="muted">{r.address.clone()}</p>
            <p id=format!("sales-{}", r.code)>{format!("{}: {}", lang.t("Lần bán đã nhận từ quầy", "Sales received from the tills"), crate::format::number(r.sales_received))}</p>
            {if has_devices {
                view! { <div class="table-wrap"><table class="data">
                    <thead><tr><th>{lang.t("Máy", "Till")}</th><th>{lang.t("Tình trạng", "State")}</th>
                        <th>{lang.t("Đồng bộ lần cuối", "Last sync")}</th><th><span class="sr-only">{lang.t("Thao tác", "Actions")}</span></th></tr></thead>
                    <tbody>{devices}</tbody>
                </table></div> }.into_any()
            } else {
                view! { <p class="muted">{lang.t("Chưa có máy bán hàng. Thêm máy để lấy mã ghép.", "No till yet. Add one to get a pairing code.")}</p> }.into_any()
            }}
            {(!code.is_empty()).then(|| pairing_sheet(lang, r, &ds.value("name"), &code, market))}
            <form method="post" action=format!("/office/showrooms/{}/devices", r.id) class="add-form device-form">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                <label for=format!("{key}-name")>{lang.t("Tên máy mới", "New device name")}</label>
                <input id=format!("{key}-name") name="name" maxlength="120" required placeholder=lang.t("Quầy 1", "Counter 1")/>
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
        {office_page(lang, move |d: OfficeData, csrf: String, s: FormState| {
            let blocks = d.showrooms.iter().map(|r| showroom_block(lang, r, &s, &csrf, &d.market_url)).collect_view();
            let ns = s.for_form("showroom-new");
            let none = d.showrooms.is_empty();
            view! {
                <WsHead title=lang.t("Điểm bán và máy bán hàng", "Showrooms and tills")
                    lead=format!("{} / {} {}", d.showrooms.len(), domain::targets::SHOWROOMS, lang.t("điểm bán theo kế hoạch", "showrooms in the plan"))>
                    <a class="button" href="#new-showroom">{lang.t("Thêm điểm bán", "Add a showroom")}</a>
                </WsHead>
                {none.then(|| view! {
                    <EmptyState title=lang.t("Chưa có điểm bán nào.", "No showroom yet.")
                        hint=lang.t("Thêm điểm bán (ví dụ ở Mũi Né), rồi thêm máy bán hàng để lấy mã ghép cho quầy.",
                            "Add a showroom (at Mũi Né, say), then add a till to get the pairing code for its counter.")/>
                })}
                {blocks}
                <section class="panel">
                    <h2>{lang.t("Thêm điểm bán", "Add a showroom")}</h2>
                    <form method="post" action="/office/showrooms" class="checkout-form form-grid" id="new-showroom">
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <div>
                            <label for="sr-code">{lang.t("Mã (ví dụ: SR-MUINE)", "Code (e.g. SR-MUINE)")}</label>
                            <input id="sr-code" name="code" value=ns.value("code") maxlength="32" required/>
                            {error_for(lang, &ns, "code")}
                        </div>
                        <div>
                            <label for="sr-name">{lang.t("Tên", "Name")}</label>
                            <input id="sr-name" name="name" value=ns.value("name") maxlength="200" required/>
                            {error_for(lang, &ns, "name")}
                        </div>
                        <div class="wide">
                            <label for="sr-address">{lang.t("Địa chỉ", "Address")}</label>
                            <input id="sr-address" name="address" value=ns.value("address") maxlength="300"/>
                        </div>
                        <div class="wide"><button type="submit" class="button primary">{lang.t("Thêm điểm bán", "Add showroom")}</button></div>
                    </form>
                </section>
            }
        })}
    }
}

const AUDIT: &str = "/office/audit";

const AUDIT_FILTERS: [(&str, &str, &str); 8] = [
    ("certificate", "Giấy chứng nhận", "Certificates"),
    ("product", "Sản phẩm", "Products"),
    ("stock", "Tồn kho", "Stock"),
    ("fulfilment", "Đơn hàng", "Orders"),
    ("producer", "Chủ thể", "Producers"),
    ("user", "Tài khoản", "Users"),
    ("showroom", "Điểm bán", "Showrooms"),
    ("channel", "Kênh tự khai", "Channels"),
];

#[component]
pub fn OfficeAudit() -> impl IntoView {
    let lang = use_lang();
    let q = ListQuery::from_url();
    view! {
        <PageTitle text=lang.t("Nhật ký — Văn phòng OCOP", "Audit log — OCOP office")/>
        <WsHead title=lang.t("Nhật ký thay đổi", "Audit log")
            lead=lang.t("Ai đã thay đổi gì, khi nào: 1.000 thay đổi gần nhất.", "Who changed what, and when: the latest 1,000 changes.")/>
        <Suspense fallback=|| ()>
            {move || {
                let q = q.clone();
                Suspend::new(async move {
                    match get_audit(q.filter.clone()).await {
                        Ok(Some(rows)) => audit_list(lang, rows, &q).into_any(),
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn audit_list(lang: Lang, rows: Vec<domain::portal::AuditRow>, q: &ListQuery) -> impl IntoView + use<> {
    use domain::audit_text::{changes, sentence};
    let en = lang == Lang::En;
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap_or(serde_json::Value::Null);
    let entries: Vec<_> = rows
        .into_iter()
        .map(|r| {
            let (before, after) = (parse(&r.before), parse(&r.after));
            let text = sentence(&r.actor, &r.action, &r.entity, &r.key, &after, en);
            let diff = changes(&before, &after, en);
            (r.at, text, diff)
        })
        .filter(|(_, text, _)| q.matches(&[text]))
        .collect();
    let total = entries.len();
    let (page, pages) = q.page_of(entries);
    let body = if page.is_empty() {
        view! { <EmptyState title=lang.t("Chưa có thay đổi nào khớp.", "No change matches.")
            hint=lang.t("Mọi thay đổi của văn phòng và chủ thể được ghi ở đây.", "Every change by the office and producers is written here.")/> }.into_any()
    } else {
        let items = page.into_iter().map(|(at, text, diff)| {
            let diff = (!diff.is_empty()).then(|| {
                let rows = diff.into_iter().map(|c| view! {
                    <tr><th scope="row">{c.field}</th><td class="before"><del>{c.before}</del></td><td class="after"><ins>{c.after}</ins></td></tr>
                }).collect_view();
                view! { <table class="diff"><tbody>{rows}</tbody></table> }
            });
            view! { <li><time>{at}</time><p class="audit-text">{text}</p>{diff}</li> }
        }).collect_view();
        view! { <ol class="audit" id="audit">{items}</ol>{pager(lang, AUDIT, q, total, pages)} }.into_any()
    };
    view! {
        {list_tools(lang, AUDIT, q, lang.t("Số giấy chứng nhận, tên, mã…", "Certificate number, name, code…"), &AUDIT_FILTERS)}
        {body}
    }
}
