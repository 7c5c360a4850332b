//! The office's showrooms and their tills: each till's state and last sync, and a new till's pairing
//! sheet.

use domain::portal::{OfficeData, ShowroomRow};
use leptos::prelude::*;

use super::office_admin::office_page;
use crate::form::{FormState, error_for};
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, WsHead};

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
                (None, None, Some(until)) => (
                    format!("{} {until}", lang.t("Chờ ghép, mã hết hạn", "Awaiting pairing, code expires")),
                    "expiring",
                ),
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
