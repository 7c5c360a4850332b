//! Modern channels outside the marketplace: a producer declares where else it sells, with evidence;
//! the office verifies or rejects; only verified ones count on the dashboard.

use crate::raw_text::PageTitle;
use domain::portal::ChannelRow;
use leptos::prelude::*;

use crate::api::get_channels;
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::i18n::{Lang, use_lang};
use crate::workspace::{EmptyState, WsHead};

fn status_name(lang: Lang, s: &str) -> &'static str {
    match s {
        "verified" => lang.t("Đã xác minh", "Verified"),
        "rejected" => lang.t("Bị từ chối", "Rejected"),
        _ => lang.t("Chờ xác minh", "Awaiting verification"),
    }
}

fn kind_name(lang: Lang, s: &str) -> &'static str {
    if s == "supermarket" {
        lang.t("Siêu thị", "Supermarket")
    } else {
        lang.t("Sàn thương mại điện tử", "E-commerce platform")
    }
}

fn row_text(lang: Lang, r: &ChannelRow) -> String {
    let until = r.until.clone().unwrap_or_else(|| "…".into());
    format!("{} · {} · {} → {} · {}", kind_name(lang, &r.kind), r.name, r.from, until, status_name(lang, &r.status))
}

fn declare_form(lang: Lang, csrf: String, s: FormState) -> impl IntoView + use<> {
    let s = s.for_form("channel-new");
    view! {
        <section class="panel" id="declare">
        <h2>{lang.t("Khai báo kênh mới", "Declare a channel")}</h2>
        {other_errors(lang, &s, &["kind", "name", "evidence", "from", "until"])}
        <form method="post" action="/portal/channels" class="stack-form checkout-form">
            <input type="hidden" name="csrf" value=csrf/>
            <label for="kind">{lang.t("Loại kênh", "Kind")}</label>
            <select id="kind" name="kind">
                <option value="supermarket" selected=s.value("kind") != "ecommerce">{kind_name(lang, "supermarket")}</option>
                <option value="ecommerce" selected=s.value("kind") == "ecommerce">{kind_name(lang, "ecommerce")}</option>
            </select>
            {error_for(lang, &s, "kind")}
            <label for="name">{lang.t("Tên (vd. Co.opmart Phan Thiết, Shopee)", "Name (e.g. Co.opmart Phan Thiết, Shopee)")}</label>
            <input id="name" name="name" value=s.value("name")/>
            {error_for(lang, &s, "name")}
            <label for="evidence">{lang.t("Bằng chứng (đường dẫn gian hàng, số hợp đồng…)", "Evidence (a listing link, a contract number…)")}</label>
            <input id="evidence" name="evidence" value=s.value("evidence")/>
            {error_for(lang, &s, "evidence")}
            <label for="from">{lang.t("Bán từ ngày (2026-01-31)", "Selling since (2026-01-31)")}</label>
            <input id="from" name="from" value=s.value("from") placeholder="2026-01-31"/>
            {error_for(lang, &s, "from")}
            <label for="until">{lang.t("Đến ngày (để trống nếu vẫn bán)", "Until (empty while still selling)")}</label>
            <input id="until" name="until" value=s.value("until")/>
            {error_for(lang, &s, "until")}
            <button type="submit" class="button">{lang.t("Gửi văn phòng xác minh", "Send for verification")}</button>
        </form>
        </section>
    }
}

#[component]
pub fn PortalChannels() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let channels = crate::once::once(get_channels(false));
    view! {
        <PageTitle text=lang.t("Kênh bán khác — Cổng chủ thể", "Other channels — producer portal")/>
        <WsHead title=lang.t("Kênh bán hiện đại khác", "Other modern channels")
            lead=lang.t(
            "Siêu thị, sàn thương mại điện tử ngoài chợ OCOP: văn phòng xác minh rồi mới tính vào tỷ lệ tham gia kênh hiện đại.",
            "Supermarkets and platforms besides this marketplace: they count towards modern-channel participation once the office verifies them.")/>
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match channels.await {
                        Ok(Some((rows, csrf))) => {
                            let items = rows.iter().map(|r| {
                                let note = r.note.clone().map(|n| view! { <br/><small>{n}</small> });
                                view! { <li id=format!("channel-{}", r.id)>{row_text(lang, r)}{note}</li> }
                            }).collect_view();
                            let none = rows.is_empty();
                            view! {
                                {none.then(|| view! { <EmptyState title=lang.t("Chưa khai kênh nào.", "No channel declared yet.")
                                    hint=lang.t("Bán ở siêu thị hay sàn khác? Khai bên dưới kèm bằng chứng.", "Selling in a supermarket or on another platform? Declare it below with evidence.")/> })}
                                <ul id="channels" class="plain-list">{items}</ul>{declare_form(lang, csrf, s)}
                            }.into_any()
                        }
                        Ok(None) => {
                            super::set_status(403);
                            view! { <p>{lang.t("Trang dành cho thành viên chủ thể. ", "For producer members only. ")}
                                <a href="/account/sign-in">{lang.t("Đăng nhập", "Sign in")}</a></p> }.into_any()
                        }
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn review_block(lang: Lang, r: &ChannelRow, csrf: &str, s: &FormState) -> impl IntoView + use<> {
    let key = format!("channel-{}", r.id);
    let fs = s.for_form(&key);
    let pending = r.status == "pending";
    let heading = format!("{} — {}", r.producer, row_text(lang, r));
    view! {
        <article class="panel variant" id=key.clone()>
            <h3>{heading}</h3>
            <p class="mono small">{r.evidence.clone()}</p>
            {r.note.clone().map(|n| view! { <p class="muted">{n}</p> })}
            {other_errors(lang, &fs, &["note"])}
            {pending.then(|| view! {
                <form method="post" action=format!("/office/channels/{}/review", r.id) class="add-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <label for=format!("note-{}", r.id)>{lang.t("Ghi chú (bắt buộc khi từ chối)", "Note (needed to reject)")}</label>
                    <input id=format!("note-{}", r.id) name="note" value=fs.value("note")/>
                    {error_for(lang, &fs, "note")}
                    <button type="submit" name="verdict" value="verify" class="button">{lang.t("Xác minh", "Verify")}</button>
                    <button type="submit" name="verdict" value="reject" class="button ghost">{lang.t("Từ chối", "Reject")}</button>
                </form>
            })}
        </article>
    }
}

#[component]
pub fn OfficeChannels() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let channels = crate::once::once(get_channels(true));
    view! {
        <PageTitle text=lang.t("Kênh tự khai — Văn phòng OCOP", "Reported channels — OCOP office")/>
        <WsHead title=lang.t("Kênh bán do chủ thể tự khai", "Channels reported by producers")
            lead=lang.t("Chỉ kênh đã xác minh được tính vào tỷ lệ tham gia.", "Only verified channels count towards participation.")/>
        <Suspense fallback=|| ()>
            {move || {
                let s = s.clone();
                Suspend::new(async move {
                    match channels.await {
                        Ok(Some((rows, _))) if rows.is_empty() => view! {
                            <EmptyState title=lang.t("Chưa có kênh nào được khai.", "No channel has been reported.")
                                hint=lang.t("Chủ thể khai siêu thị hay sàn khác trong cổng chủ thể; chúng hiện ở đây để xác minh.",
                                    "Producers report supermarkets and other platforms in their portal; they appear here to verify.")/>
                        }.into_any(),
                        Ok(Some((rows, csrf))) => rows.iter().map(|r| review_block(lang, r, &csrf, &s)).collect_view().into_any(),
                        Ok(None) => super::office::office_only(lang),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}
