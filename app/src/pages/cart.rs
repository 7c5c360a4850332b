use crate::raw_text::PageTitle;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{CartData, get_cart};
use crate::components::Notice;
use crate::format::vnd;
use crate::i18n::{Lang, use_lang};
use domain::cart::{CartLine, LineKind, MAX_LINE_QTY};

/// Messages that a redirect back to the cart or checkout carries in `?notice=`.
pub fn notice(lang: Lang, code: &str) -> Option<(&'static str, &'static str)> {
    let (kind, vi, en) = match code {
        "added" => ("ok", "Đã thêm vào giỏ hàng.", "Added to your cart."),
        "stock" => (
            "warn",
            "Một số sản phẩm không còn đủ hàng. Vui lòng xem lại giỏ hàng.",
            "Some items no longer have enough stock. Please review your cart.",
        ),
        "unavailable" => ("warn", "Sản phẩm này hiện không bán.", "This item is not for sale right now."),
        "full" => ("warn", "Giỏ hàng đã đủ 50 dòng.", "Your cart already has 50 lines."),
        "stale" => (
            "warn",
            "Trang thanh toán đã cũ, vui lòng kiểm tra và gửi lại.",
            "The checkout page was out of date; please check and send it again.",
        ),
        "empty" => ("info", "Giỏ hàng đang trống.", "Your cart is empty."),
        "notfound" => {
            ("warn", "Không tìm thấy đơn với mã và số điện thoại này.", "No order matches this number and phone.")
        }
        "expired" => {
            ("warn", "Phiên làm việc đã hết hạn, vui lòng thử lại.", "Your session expired; please try again.")
        }
        "card_failed" => (
            "warn",
            "Chưa kết nối được cổng thanh toán thẻ, vui lòng thử lại hoặc chọn cách khác.",
            "The card payment service could not be reached; please try again or choose another method.",
        ),
        "card_cancelled" => (
            "info",
            "Bạn đã huỷ thanh toán thẻ; đơn vẫn chờ thanh toán.",
            "Card payment cancelled; the order still awaits payment.",
        ),
        "card_done" => (
            "ok",
            "Cảm ơn! Đơn sẽ chuyển sang đã thanh toán khi ngân hàng xác nhận.",
            "Thank you! The order turns paid as soon as the card network confirms.",
        ),
        "wallet_failed" => (
            "warn",
            "Chưa kết nối được cổng thanh toán, vui lòng thử lại sau ít phút; đơn vẫn giữ hàng cho bạn.",
            "The payment gateway could not be reached; please try again in a few minutes. The order still holds your items.",
        ),
        "wallet_cancelled" => (
            "info",
            "Thanh toán chưa thành công hoặc đã bị huỷ; đơn vẫn chờ thanh toán, bạn có thể thử lại.",
            "The payment did not go through or was cancelled; the order still awaits payment and you can try again.",
        ),
        "wallet_done" => (
            "ok",
            "Cổng thanh toán báo đã trả tiền. Đơn chuyển sang «Đã thanh toán» ngay khi cổng xác nhận với chúng tôi.",
            "The gateway reports the payment. The order shows “Paid” as soon as the gateway confirms it to us.",
        ),
        _ => return None,
    };
    Some((kind, lang.t(vi, en)))
}

pub fn notice_view(lang: Lang) -> impl IntoView {
    let q = use_query_map();
    let code = q.read_untracked().get("notice").unwrap_or_default();
    notice(lang, &code).map(|(kind, text)| view! { <Notice kind=kind><p>{text}</p></Notice> })
}

pub fn line_name(lang: Lang, l: &CartLine) -> String {
    let size = lang.pick(&l.size_vi, &l.size_en);
    let name = lang.pick(&l.name_vi, &l.name_en);
    if size.is_empty() { name.to_string() } else { format!("{name} — {size}") }
}

pub fn line_href(l: &CartLine) -> String {
    match l.kind {
        LineKind::Variant => format!("/products/{}", l.slug),
        LineKind::Combo => format!("/combos/{}", l.slug),
    }
}

#[component]
pub fn CartPage() -> impl IntoView {
    let lang = use_lang();
    let cart = crate::once::once(get_cart());
    view! {
        <PageTitle text=lang.t("Giỏ hàng — OCOP", "Cart — OCOP")/>
        <h1>{lang.t("Giỏ hàng", "Your cart")}</h1>
        {notice_view(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match cart.await {
                    Ok(data) => page(lang, data).into_any(),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}

fn page(lang: Lang, data: CartData) -> impl IntoView {
    if data.cart.lines.is_empty() {
        return view! {
            <section class="empty">
                <p>{lang.t("Giỏ hàng của bạn đang trống.", "Your cart is empty.")}</p>
                <p><a class="button" href="/products">{lang.t("Xem sản phẩm OCOP", "Browse OCOP products")}</a></p>
            </section>
        }
        .into_any();
    }
    let subtotal = data.cart.subtotal();
    let blocked = data.cart.has_problems();
    let csrf = data.csrf.clone();
    // One card a line (no wide table): name in full on its own row, then price, quantity and total.
    // The quantity steps (−, +) are forms of their own; the typed quantity's form is laid out
    // between them (`display: contents`), so all of it works without JavaScript.
    let lines = data
        .cart
        .lines
        .iter()
        .map(|l| {
            let problem = l.problem().map(|p| {
                let (vi, en) = p.message();
                view! { <p class="field-error">{lang.pick(&vi, &en).to_string()}</p> }
            });
            let step = |qty: i32, label: &'static str, text: &'static str, class: &'static str| {
                view! {
                    <form method="post" action="/cart/update" class=format!("step {class}")>
                        <input type="hidden" name="csrf" value=csrf.clone()/>
                        <input type="hidden" name="item" value=l.item_id.to_string()/>
                        <input type="hidden" name="qty" value=qty.to_string()/>
                        <button type="submit" class="step-btn" aria-label=label>{text}</button>
                    </form>
                }
            };
            let minus = step(l.quantity - 1, lang.t("Bớt một", "One fewer"), "−", "minus");
            let plus = (l.quantity < MAX_LINE_QTY).then(|| step(l.quantity + 1, lang.t("Thêm một", "One more"), "+", "plus"));
            view! {
                <article class="line">
                    <div class="line-main">
                        <a class="line-name" href=line_href(l)>{line_name(lang, l)}</a>
                        {l.producer.clone().map(|p| view! { <div class="meta">{p}</div> })}
                        <div class="meta unit">{vnd(l.unit_price)}{lang.t(" / sản phẩm", " each")}</div>
                        {problem}
                    </div>
                    <div class="line-qty">
                        {minus}
                        <form method="post" action="/cart/update" class="qty-form">
                            <input type="hidden" name="csrf" value=csrf.clone()/>
                            <input type="hidden" name="item" value=l.item_id.to_string()/>
                            <label class="sr-only" for=format!("qty-{}", l.item_id)>{lang.t("Số lượng", "Quantity")}</label>
                            <input id=format!("qty-{}", l.item_id) type="number" name="qty" min="0" max=MAX_LINE_QTY.to_string()
                                value=l.quantity.to_string() inputmode="numeric"/>
                            <button type="submit" class="link update">{lang.t("Cập nhật", "Update")}</button>
                        </form>
                        {plus}
                        <form method="post" action="/cart/update" class="remove-form">
                            <input type="hidden" name="csrf" value=csrf.clone()/>
                            <input type="hidden" name="item" value=l.item_id.to_string()/>
                            <input type="hidden" name="qty" value="0"/>
                            <button type="submit" class="link">{lang.t("Bỏ", "Remove")}</button>
                        </form>
                    </div>
                    <div class="line-total price">{vnd(l.line_total())}</div>
                </article>
            }
        })
        .collect_view();
    view! {
        <div class="cart-page">
            <section class="cart-lines" aria-label=lang.t("Các sản phẩm trong giỏ", "Items in your cart")>{lines}</section>
            <aside class="cart-summary">
                <p class="subtotal">
                    <span>{lang.t("Tạm tính", "Subtotal")}</span>
                    <strong class="price" id="cart-subtotal">{vnd(subtotal)}</strong>
                </p>
                {data.free_from.map(|f| view! {
                    <p class="muted small">{lang.t("Miễn phí giao hàng cho đơn từ ", "Free delivery on orders from ")}{vnd(f)}</p>
                })}
                {if blocked {
                    view! { <p class="field-error">{lang.t("Vui lòng sửa các dòng báo lỗi trước khi thanh toán.", "Please fix the lines marked above before checking out.")}</p> }.into_any()
                } else {
                    view! { <a class="button primary checkout-btn" href="/checkout">{lang.t("Tiến hành đặt hàng", "Go to checkout")}</a> }.into_any()
                }}
            </aside>
        </div>
    }
    .into_any()
}
