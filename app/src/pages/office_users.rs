//! The office's users: searchable by name, email, phone or producer; roles changed one account at a
//! time; people invited by email, who set their own password from the link.

use domain::account::Role;
use domain::portal::{OfficeData, UserRow};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::office_admin::office_page;
use crate::components::Notice;
use crate::form::{FormState, error_for, other_errors};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager, sort_th};

fn user_form(lang: Lang, u: &UserRow, d: &OfficeData, s: &FormState, csrf: &str) -> impl IntoView + use<> {
    let key = format!("user-{}", u.id);
    let s = s.for_form(&key);
    view! {
        <section class="panel" id=key.clone()>
            <h2>{lang.t("Vai trò của ", "Role of ")}{u.name.clone()}</h2>
            <p class="muted">{u.login.clone()}</p>
            <form method="post" action=format!("/office/users/{}/role", u.id) class="checkout-form form-grid">
                <input type="hidden" name="csrf" value=csrf.to_string()/>
                {role_fields(lang, &key, &s, &u.role, (u.producer_id, u.showroom_id, u.commune.clone()), d)}
                <label class="choice wide"><input type="checkbox" name="disabled" checked=u.disabled/>" "{lang.t("Khoá tài khoản", "Disabled")}</label>
                {other_errors(lang, &s, &["role", "producer_id", "showroom_id", "commune"])}
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
    (producer_id, showroom_id, commune): (Option<i64>, Option<i64>, Option<String>),
    d: &OfficeData,
) -> impl IntoView + use<> {
    let typed = |name: &str, cur: String| if s.form.is_some() { s.value(name) } else { cur };
    let role = typed("role", role.to_string());
    let producer = typed("producer_id", producer_id.map(|i| i.to_string()).unwrap_or_default());
    let showroom = typed("showroom_id", showroom_id.map(|i| i.to_string()).unwrap_or_default());
    let commune = typed("commune", commune.unwrap_or_default());
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
        <div>
            <label for=format!("{key}-commune")>{lang.t("Xã, phường (với cán bộ xã)", "Commune (for commune officers)")}</label>
            <input id=format!("{key}-commune") name="commune" maxlength="100" value=commune/>
            {error_for(lang, s, "commune")}
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
                    {role_fields(lang, "invite", &s, "producer", (None, None, None), d)}
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
