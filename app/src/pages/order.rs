use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::get_order;
use crate::format::{encode, vnd};
use crate::i18n::{Lang, use_lang};
use domain::order::{OrderStatus, OrderView, PaymentMethod};

use super::cart::notice_view;

fn qr_svg(payload: &str) -> Option<String> {
    let code = qrcode::QrCode::new(payload.as_bytes()).ok()?;
    Some(code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build())
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let lang = use_lang();
    let number = use_params_map().read_untracked().get("number").unwrap_or_default();
    let query = use_query_map().read_untracked();
    let key = query.get("key").unwrap_or_default();
    // Set by the checkout's redirect: the first view of a new order says thank you.
    let placed = query.get("placed").is_some_and(|v| v == "1");
    view! {
        {notice_view(lang)}
        {super::record_page(
            move || {
                let (number, key) = (number.clone(), key.clone());
                async move { get_order(number, key).await }
            },
            move |o| page(lang, o, placed),
        )}
    }
}

fn thank_you(lang: Lang, o: &OrderView) -> impl IntoView + use<> {
    let next = match o.method {
        PaymentMethod::Cod => lang.t(
            "Người bán sẽ đóng gói và gửi hàng; bạn trả tiền mặt khi nhận.",
            "The makers will pack and send it; you pay in cash on delivery.",
        ),
        PaymentMethod::VietQr => lang.t(
            "Hãy chuyển khoản theo mã VietQR bên dưới; đơn được gửi đi khi nhận được tiền.",
            "Please pay with the VietQR code below; the order goes out once the transfer arrives.",
        ),
        PaymentMethod::Stripe => lang
            .t("Đơn được gửi đi khi thanh toán thẻ hoàn tất.", "The order goes out once the card payment is complete."),
        PaymentMethod::VnPay | PaymentMethod::MoMo => lang.t(
            "Đơn được gửi đi khi cổng thanh toán xác nhận đã nhận tiền.",
            "The order goes out once the payment gateway confirms the money.",
        ),
    };
    view! {
        <section class="thank-you" id="thank-you">
            <h2>{lang.t("Cảm ơn bạn đã đặt hàng!", "Thank you for your order!")}</h2>
            <p>{next}</p>
            <p class="muted">{lang.t(
                "Lưu lại trang này để theo dõi đơn; bạn cũng có thể tra cứu bằng mã đơn và số điện thoại.",
                "Keep this page to follow the order; you can also look it up with its number and your phone.",
            )}</p>
        </section>
    }
}

fn timeline_view(lang: Lang, o: &OrderView) -> impl IntoView + use<> {
    use domain::order_tracking::StepState;
    let steps = o
        .timeline
        .iter()
        .map(|s| {
            let (vi, en) = s.step.label();
            let state = match s.state {
                StepState::Done => "done",
                StepState::Next => "next",
                StepState::Later => "later",
            };
            view! {
                <li class=format!("step {state}") aria-current=(s.state == StepState::Next).then_some("step")>
                    <span class="step-name">{lang.t(vi, en)}</span>
                    {s.at.clone().map(|at| view! { <time>{at}</time> })}
                </li>
            }
        })
        .collect_view();
    let parcels = o
        .parcels
        .iter()
        .map(|p| {
            let number = match &p.url {
                Some(url) => view! { <a class="mono" href=url.clone() rel="noopener noreferrer" target="_blank">{p.tracking.clone()}</a> }.into_any(),
                None => view! { <span class="mono">{p.tracking.clone()}</span> }.into_any(),
            };
            view! {
                <li class="parcel">
                    {lang.t("Mã vận đơn ", "Tracking number ")}{number}
                    {p.carrier.clone().map(|c| view! { <span class="muted">" · "{c}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="order-progress" id="order-timeline">
            <h2>{lang.t("Tình trạng đơn hàng", "Order progress")}</h2>
            {o.estimate.clone().map(|e| view! {
                <p class="estimate" id="order-estimate">{lang.t("Dự kiến giao: ", "Expected delivery: ")}<strong>{e}</strong></p>
            })}
            <ol class="timeline">{steps}</ol>
            {(!o.parcels.is_empty()).then(|| view! { <ul class="parcels" id="order-parcels">{parcels}</ul> })}
        </section>
    }
}

fn page(lang: Lang, o: OrderView, placed: bool) -> impl IntoView {
    let (svi, sen) = o.status.label();
    let (mvi, men) = o.method.label();
    let lines = o
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr>
                    <td>{lang.pick(&l.name_vi, &l.name_en).to_string()}</td>
                    <td class="num">{vnd(l.unit_price)}</td>
                    <td class="num">{l.quantity}</td>
                    <td class="num">{vnd(l.line_total)}</td>
                </tr>
            }
        })
        .collect_view();
    let thanks = placed.then(|| thank_you(lang, &o));
    let progress = timeline_view(lang, &o);
    let transfer = o.transfer.clone().map(|t| {
        let qr = qr_svg(&t.payload).unwrap_or_default();
        view! {
            <section class="transfer" id="vietqr">
                <h2>{lang.t("Chuyển khoản bằng VietQR", "Pay by VietQR bank transfer")}</h2>
                <p>{lang.t("Quét mã bằng ứng dụng ngân hàng bất kỳ. Số tiền và nội dung đã điền sẵn.",
                    "Scan with any Vietnamese banking app. The amount and purpose are filled in.")}</p>
                // trusted-html: a QR code drawn by the qrcode crate (only rectangles, no text).
                <div class="qr" role="img" aria-label=lang.t("Mã VietQR", "VietQR code") inner_html=qr></div>
                <dl class="bank">
                    <dt>{lang.t("Ngân hàng", "Bank")}</dt><dd>{t.bank_name.clone()}</dd>
                    <dt>{lang.t("Số tài khoản", "Account number")}</dt><dd class="mono">{t.account.clone()}</dd>
                    <dt>{lang.t("Chủ tài khoản", "Account holder")}</dt><dd>{t.account_name.clone()}</dd>
                    <dt>{lang.t("Số tiền", "Amount")}</dt><dd class="price">{vnd(t.amount)}</dd>
                    <dt>{lang.t("Nội dung", "Purpose")}</dt><dd class="mono">{t.purpose.clone()}</dd>
                </dl>
                {o.pay_by.clone().map(|by| view! {
                    <p class="muted">{lang.t("Vui lòng chuyển trước ", "Please pay before ")}{by}
                        {lang.t(" (giờ Việt Nam); sau đó đơn sẽ tự huỷ.", " (Vietnam time); after that the order is cancelled.")}</p>
                })}
            </section>
        }
    });
    let card = (o.method == PaymentMethod::Stripe && o.status == OrderStatus::PendingPayment).then(|| {
        view! {
            <section class="card-pay">
                <form method="post" action=format!("/orders/{}/card", encode(&o.number))>
                    <input type="hidden" name="key" value=o.access_key.clone()/>
                    <button type="submit" class="button primary">{lang.t("Thanh toán bằng thẻ", "Pay by card")}</button>
                </form>
                {o.pay_by.clone().map(|by| view! { <p class="muted">{lang.t("Thanh toán trước ", "Pay before ")}{by}</p> })}
            </section>
        }
    });
    let wallet = (matches!(o.method, PaymentMethod::VnPay | PaymentMethod::MoMo)
        && o.status == OrderStatus::PendingPayment)
        .then(|| {
            let (label, class) = match o.method {
                PaymentMethod::MoMo => (lang.t("Thanh toán bằng ví MoMo", "Pay with MoMo"), "button primary momo"),
                _ => (lang.t("Thanh toán qua VNPay", "Pay with VNPay"), "button primary vnpay"),
            };
            view! {
                <section class="card-pay" id="wallet-pay">
                    <form method="post" action=format!("/orders/{}/wallet", encode(&o.number))>
                        <input type="hidden" name="key" value=o.access_key.clone()/>
                        <button type="submit" class=class>{label}</button>
                    </form>
                    {o.pay_by.clone().map(|by| view! { <p class="muted">{lang.t("Thanh toán trước ", "Pay before ")}{by}</p> })}
                </section>
            }
        });
    view! {
        <PageTitle text=format!("{} — OCOP", o.number)/>
        <h1>{lang.t("Đơn hàng ", "Order ")}<span class="mono" id="order-number">{o.number.clone()}</span></h1>
        <p class="status-line"><span class=format!("badge status-{}", o.status.code()) id="order-status">{lang.t(svi, sen)}</span>
            " · "{lang.t(mvi, men)}" · "{lang.t("Đặt lúc ", "Placed ")}{o.placed_at.clone()}</p>
        {thanks}
        {transfer}
        {card}
        {wallet}
        {progress}
        <div class="table-wrap"><table class="cart order-lines">
            <thead><tr>
                <th>{lang.t("Sản phẩm", "Item")}</th><th class="num">{lang.t("Đơn giá", "Price")}</th>
                <th class="num">{lang.t("SL", "Qty")}</th><th class="num">{lang.t("Thành tiền", "Total")}</th>
            </tr></thead>
            <tbody>{lines}</tbody>
            <tfoot>
                <tr><th colspan="3">{lang.t("Tạm tính", "Subtotal")}</th><td class="num">{vnd(o.subtotal)}</td></tr>
                <tr><th colspan="3">{lang.t("Phí giao hàng", "Delivery")}</th><td class="num">{vnd(o.delivery_fee)}</td></tr>
                <tr class="total"><th colspan="3">{lang.t("Tổng cộng", "Total")}</th><td class="num" id="order-total">{vnd(o.total)}</td></tr>
                {(o.paid_amount > 0).then(|| view! {
                    <tr><th colspan="3">{lang.t("Đã thanh toán", "Paid")}</th><td class="num">{vnd(o.paid_amount)}</td></tr>
                })}
            </tfoot>
        </table></div>
        <section class="delivery">
            <h2>{lang.t("Giao đến", "Deliver to")}</h2>
            <p>{o.name.clone()}" · "{o.phone.clone()}</p>
            <p>{o.address.clone()}</p>
            {o.note.clone().map(|n| view! { <p class="muted">{n}</p> })}
        </section>
        <p class="muted">{lang.t("Lưu lại trang này, hoặc ", "Bookmark this page, or ")}
            <a href="/orders">{lang.t("tra cứu đơn bằng mã đơn và số điện thoại", "look the order up with its number and phone")}</a>"."</p>
    }
}

#[component]
pub fn OrderLookup() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    let (number, phone) = crate::session::request_cookie(crate::session::LOOKUP_COOKIE)
        .map(|v| crate::session::lookup_draft(&v))
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let (number, phone) = (String::new(), String::new());
    view! {
        <PageTitle text=lang.t("Tra cứu đơn hàng — OCOP", "Track an order — OCOP")/>
        <h1>{lang.t("Tra cứu đơn hàng", "Track an order")}</h1>
        {notice_view(lang)}
        <form method="post" action="/orders/find" class="lookup">
            <label for="number">{lang.t("Mã đơn hàng", "Order number")}</label>
            <input id="number" name="number" placeholder="OCOP-2026-000123" maxlength="40" value=number autocomplete="off" required/>
            <label for="phone">{lang.t("Số điện thoại đặt hàng", "Phone used for the order")}</label>
            <input id="phone" name="phone" type="tel" maxlength="24" value=phone autocomplete="tel" required/>
            <button type="submit" class="button primary">{lang.t("Tra cứu", "Find my order")}</button>
        </form>
    }
}
