//! The producer's orders: filtered by what is to be done, each with its own lines, the address, the
//! pack and ship actions, and a printable packing slip with the order number as a barcode.

use domain::portal::FulfilmentView;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::portal::{notice, sign_in_first};
use crate::api::{get_portal, get_portal_orders};
use crate::form::{FormState, error_for, form_state, other_errors};
use crate::format::number;
use crate::i18n::{Lang, use_lang};
use crate::raw_text::PageTitle;
use crate::workspace::{EmptyState, ListQuery, WsHead, list_tools, pager};

const PATH: &str = "/portal/orders";

const FILTERS: [(&str, &str, &str); 3] =
    [("to_pack", "Cần đóng gói", "To pack"), ("packed", "Đã đóng gói", "Packed"), ("shipped", "Đã gửi", "Shipped")];

fn status_label(lang: Lang, status: &str) -> &'static str {
    match status {
        "packed" => lang.t("Đã đóng gói", "Packed"),
        "shipped" => lang.t("Đã gửi", "Shipped"),
        _ => lang.t("Cần đóng gói", "To pack"),
    }
}

#[component]
pub fn PortalOrdersPage() -> impl IntoView {
    let lang = use_lang();
    let s = form_state();
    let q = ListQuery::from_url();
    let orders = crate::once::once(get_portal_orders());
    view! {
        <PageTitle text=lang.t("Đơn hàng — Cổng chủ thể", "Orders — Producer portal")/>
        <WsHead title=lang.t("Đơn hàng", "Orders")
            lead=lang.t("Mỗi đơn chỉ gồm sản phẩm của bạn. Đóng gói, in phiếu, rồi gửi kèm mã vận đơn.",
                "Each order shows only your lines. Pack it, print its slip, then ship it with a tracking number.")/>
        {notice(lang)}
        <Suspense fallback=|| ()>
            {move || {
                let (s, q, orders) = (s.clone(), q.clone(), orders);
                Suspend::new(async move {
                    match orders.await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((orders, csrf))) => orders_list(lang, orders, &q, &s, &csrf).into_any(),
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn orders_list(
    lang: Lang,
    orders: Vec<FulfilmentView>,
    q: &ListQuery,
    s: &FormState,
    csrf: &str,
) -> impl IntoView + use<> {
    let none_at_all = orders.is_empty();
    let counts: Vec<usize> =
        FILTERS.iter().map(|(code, _, _)| orders.iter().filter(|o| o.status == *code).count()).collect();
    let shown: Vec<FulfilmentView> = orders
        .into_iter()
        .filter(|o| q.filter.is_empty() || o.status == q.filter)
        .filter(|o| {
            q.matches(&[
                &o.number,
                &o.ship_to,
                &o.lines.iter().map(|l| l.name_vi.as_str()).collect::<Vec<_>>().join(" "),
            ])
        })
        .collect();
    let total = shown.len();
    let (page, pages) = q.page_of(shown);
    let summary = FILTERS
        .iter()
        .zip(&counts)
        .map(|((_, vi, en), n)| format!("{}: {}", lang.t(vi, en), number(*n as i64)))
        .collect::<Vec<_>>()
        .join(" · ");
    let body = if none_at_all {
        view! { <EmptyState title=lang.t("Chưa có đơn hàng nào.", "No orders yet.")
            hint=lang.t("Đơn mới hiện ở đây ngay khi người mua đặt hoặc thanh toán. Sản phẩm có ảnh và đủ tồn kho bán tốt hơn.",
                "New orders appear here as soon as a shopper orders or pays. Products with photos and stock sell better.")>
            <a class="button ghost" href="/portal">{lang.t("Xem sản phẩm", "See your products")}</a>
        </EmptyState> }.into_any()
    } else if page.is_empty() {
        view! { <EmptyState title=lang.t("Không có đơn nào khớp.", "No order matches.")
            hint=lang.t("Thử bỏ bộ lọc hoặc tìm theo số đơn, tên người nhận, sản phẩm.", "Try without the filter, or search by order number, recipient or product.")>
            <a class="button ghost" href=PATH>{lang.t("Xem tất cả", "Show all")}</a>
        </EmptyState> }.into_any()
    } else {
        let cards = page.into_iter().map(|o| order_card(lang, s, o, csrf)).collect_view();
        view! { <div class="orders">{cards}</div>{pager(lang, PATH, q, total, pages)} }.into_any()
    };
    view! {
        {list_tools(lang, PATH, q, lang.t("Số đơn, người nhận, sản phẩm…", "Order number, recipient, product…"), &FILTERS)}
        <p class="muted small">{summary}</p>
        {body}
    }
}

fn order_card(lang: Lang, s: &FormState, o: FulfilmentView, csrf: &str) -> impl IntoView + use<> {
    let fs = s.for_form(&o.number);
    let lines = o
        .lines
        .iter()
        .map(|l| view! { <li><strong>{l.quantity}" ×"</strong>" "{l.name_vi.clone()}" "<span class="mono muted">{l.sku.clone()}</span></li> })
        .collect_view();
    let shipped = o.status == "shipped";
    let number = o.number.clone();
    // The batch packed for each size: named here, or assumed first-expiring-first-out when left.
    let batch_fields = o
        .lines
        .iter()
        .filter(|l| !l.batches.is_empty())
        .filter_map(|l| l.variant_id.map(|v| (v, l)))
        .map(|(v, l)| {
            let name = format!("batch_{v}");
            let chosen = if fs.form.is_some() { fs.value(&name) } else { l.batch_id.map(|b| b.to_string()).unwrap_or_default() };
            let options = l
                .batches
                .iter()
                .map(|(id, label)| view! { <option value=id.to_string() selected=chosen == id.to_string()>{label.clone()}</option> })
                .collect_view();
            view! {
                <div>
                    <label for=format!("b-{number}-{v}")>{format!("{} · {}", lang.t("Lô", "Batch"), l.name_vi)}</label>
                    <select id=format!("b-{number}-{v}") name=name>
                        <option value="">{lang.t("Theo hạn dùng sớm nhất", "First to expire")}</option>
                        {options}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <article class="panel order-card" id=format!("f-{}", o.number)>
            <header class="order-head">
                <h2 class="mono">{o.number.clone()}</h2>
                <span class=format!("pill f-{}", o.status)>{status_label(lang, &o.status)}</span>
                <span class="muted small">{o.placed.clone()}</span>
            </header>
            <div class="order-body">
                <ul class="plain-list">{lines}</ul>
                <p class="ship-to"><strong>{o.recipient.clone()}</strong>" · "{o.phone.clone()}<br/>{o.address.clone()}</p>
            </div>
            {o.tracking.clone().map(|t| view! { <p>{lang.t("Mã vận đơn: ", "Tracking: ")}<strong>{t}</strong></p> })}
            {other_errors(lang, &fs, &["tracking"])}
            <div class="order-actions">
                <a class="button ghost" href=format!("{PATH}/{number}/slip")>{lang.t("In phiếu đóng gói", "Print packing slip")}</a>
                {(!shipped && o.status == "to_pack").then(|| view! {
                    <form method="post" action=format!("{PATH}/{number}/pack") class="add-form">
                        <input type="hidden" name="csrf" value=csrf.to_string()/>
                        <button type="submit" class="button">{lang.t("Đã đóng gói", "Mark packed")}</button>
                    </form>
                })}
            </div>
            {(!shipped).then(|| view! {
                <form method="post" action=format!("{PATH}/{number}/ship") class="ship-form">
                    <input type="hidden" name="csrf" value=csrf.to_string()/>
                    <div>
                        <label for=format!("t-{number}")>{lang.t("Mã vận đơn", "Tracking number")}</label>
                        <input id=format!("t-{number}") name="tracking" value=fs.value("tracking") maxlength="40" required/>
                    </div>
                    <div>
                        <label for=format!("c-{number}")>{lang.t("Đơn vị vận chuyển", "Courier")}</label>
                        <select id=format!("c-{number}") name="carrier">
                            <option value="">{lang.t("Khác / không rõ", "Other / not listed")}</option>
                            {domain::order_tracking::Carrier::ALL.into_iter().map(|c| {
                                let chosen = fs.value("carrier") == c.code();
                                view! { <option value=c.code() selected=chosen>{c.name()}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    {batch_fields}
                    <button type="submit" class="button primary">{lang.t("Đã gửi hàng", "Mark shipped")}</button>
                </form>
                {error_for(lang, &fs, "tracking")}
                {error_for(lang, &fs, "batch")}
            })}
        </article>
    }
}

/// Code 128 (set B) bars for `text`, drawn as an SVG: one rect per bar, scaled to its box.
pub fn code128_svg(text: &str) -> Option<String> {
    let code = barcoders::sym::code128::Code128::new(format!("Ɓ{text}")).ok()?;
    let modules = code.encode();
    let quiet = 10;
    let width = modules.len() + 2 * quiet;
    let mut svg = format!(
        r##"<svg class="barcode" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 40" preserveAspectRatio="none" role="img" aria-label="{}"><rect width="{width}" height="40" fill="#fff"/>"##,
        security::html::escape(text)
    );
    let mut x = 0;
    while x < modules.len() {
        if modules[x] == 1 {
            let start = x;
            while x < modules.len() && modules[x] == 1 {
                x += 1;
            }
            svg.push_str(&format!(r#"<rect x="{}" width="{}" height="40"/>"#, start + quiet, x - start));
        } else {
            x += 1;
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// One order's packing slip, for the producer's own lines: printed and put in the parcel.
#[component]
pub fn PackingSlipPage() -> impl IntoView {
    let lang = use_lang();
    let number = use_params_map().read_untracked().get("number").unwrap_or_default().to_ascii_uppercase();
    let (portal, orders) = (crate::once::once(get_portal()), crate::once::once(get_portal_orders()));
    view! {
        <PageTitle text=format!("{} {number}", lang.t("Phiếu đóng gói", "Packing slip"))/>
        <Suspense fallback=|| ()>
            {move || {
                let (number, portal, orders) = (number.clone(), portal, orders);
                Suspend::new(async move {
                    let producer = portal.await.ok().flatten().and_then(|(_, h, _)| h).map(|h| h.producer_name);
                    match orders.await {
                        Ok(None) => sign_in_first(lang),
                        Ok(Some((orders, _))) => match orders.into_iter().find(|o| o.number == number) {
                            Some(o) => slip(lang, o, producer.unwrap_or_default()).into_any(),
                            None => view! { <super::NotFound/> }.into_any(),
                        },
                        Err(_) => super::server_error(),
                    }
                })
            }}
        </Suspense>
    }
}

fn slip(lang: Lang, o: FulfilmentView, producer: String) -> impl IntoView + use<> {
    let bars = code128_svg(&o.number).unwrap_or_default();
    let units: i64 = o.lines.iter().map(|l| l.quantity as i64).sum();
    let lines = o
        .lines
        .iter()
        .map(|l| view! {
            <tr><td class="check" aria-hidden="true">"☐"</td><td>{l.name_vi.clone()}</td><td class="mono">{l.sku.clone()}</td><td class="num"><strong>{l.quantity}</strong></td></tr>
        })
        .collect_view();
    view! {
        <p class="noprint actions">
            <a class="button ghost" href=PATH>{lang.t("← Đơn hàng", "← Orders")}</a>
            <span class="muted">{lang.t("In trang này (Ctrl+P) và bỏ vào thùng hàng.", "Print this page (Ctrl+P) and put it in the parcel.")}</span>
        </p>
        <article class="slip" id="packing-slip">
            <header class="slip-head">
                <div>
                    <p class="slip-kicker">{lang.t("Phiếu đóng gói · Chợ OCOP Bình Thuận", "Packing slip · OCOP Market Bình Thuận")}</p>
                    <h1 class="mono">{o.number.clone()}</h1>
                    <p>{lang.t("Đặt lúc ", "Placed ")}{o.placed.clone()}</p>
                </div>
                // trusted-html: bars drawn above from the order number, which is escaped in its label.
                <div class="slip-barcode" inner_html=bars></div>
            </header>
            <div class="slip-parties">
                <section>
                    <h2>{lang.t("Gửi từ", "From")}</h2>
                    <p><strong>{producer}</strong></p>
                </section>
                <section>
                    <h2>{lang.t("Người nhận", "Ship to")}</h2>
                    <p><strong>{o.recipient.clone()}</strong><br/>{o.phone.clone()}<br/>{o.address.clone()}</p>
                </section>
            </div>
            <table class="slip-lines">
                <thead><tr><th><span class="sr-only">{lang.t("Đã soạn", "Picked")}</span></th><th>{lang.t("Sản phẩm", "Product")}</th><th>"SKU"</th><th class="num">{lang.t("SL", "Qty")}</th></tr></thead>
                <tbody>{lines}</tbody>
                <tfoot><tr><th colspan="3">{lang.t("Tổng số đơn vị", "Units in total")}</th><td class="num"><strong>{number(units)}</strong></td></tr></tfoot>
            </table>
            <p class="small muted">{lang.t("Phiếu chỉ gồm sản phẩm của chủ thể này; đơn có thể có kiện khác từ chủ thể khác.",
                "This slip lists this producer's lines only; the order may come in other parcels from other producers.")}</p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_order_number_becomes_code_128_bars() {
        let svg = super::code128_svg("OCOP-2026-000123").unwrap();
        assert!(svg.starts_with("<svg") && svg.contains(r#"aria-label="OCOP-2026-000123""#));
        // Start B, 16 characters, check and stop: (1 + 16 + 1) × 11 + 13 modules, plus the quiet zones.
        assert!(svg.contains(r#"viewBox="0 0 231 40""#), "{svg}");
        assert!(svg.matches("<rect x=").count() > 40);
    }
}
