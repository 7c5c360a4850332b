use crate::raw_text::{PageTitle, TextArea};
use leptos::prelude::*;

use crate::api::{CheckoutData, get_checkout};
use crate::format::vnd;
use crate::i18n::{Lang, use_lang};
use domain::address::{FieldError, PROVINCES};

use super::cart::{line_name, notice_view};

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let lang = use_lang();
    let checkout = crate::once::once(get_checkout());
    view! {
        <PageTitle text=lang.t("Đặt hàng — OCOP", "Checkout — OCOP")/>
        <h1>{lang.t("Đặt hàng", "Checkout")}</h1>
        {notice_view(lang)}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match checkout.await {
                    Ok(Some(data)) if !data.cart.lines.is_empty() => page(lang, data).into_any(),
                    Ok(_) => view! {
                        <section class="empty">
                            <p>{lang.t("Giỏ hàng của bạn đang trống.", "Your cart is empty.")}</p>
                            <p><a class="button" href="/products">{lang.t("Xem sản phẩm OCOP", "Browse OCOP products")}</a></p>
                        </section>
                    }
                    .into_any(),
                    Err(_) => super::server_error(),
                }
            })}
        </Suspense>
    }
}

fn error_for(lang: Lang, errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors.iter().find(|e| e.field == field).map(|e| {
        let text = lang.pick(&e.message_vi, &e.message_en).to_string();
        view! { <p class="field-error" id=format!("{field}-error")>{text}</p> }
    })
}

fn page(lang: Lang, d: CheckoutData) -> impl IntoView {
    let f = d.form.clone();
    let errs = d.errors.clone();
    let has = |field: &str| errs.iter().any(|e| e.field == field);
    let invalid = |field: &str| if has(field) { "true" } else { "false" };
    let provinces = PROVINCES
        .iter()
        .map(|(code, vi, en)| {
            let label = if lang == Lang::En { format!("{en} — {vi}") } else { vi.to_string() };
            view! { <option value=*code selected=f.province == *code>{label}</option> }
        })
        .collect_view();
    let offered = domain::order::PaymentMethod::for_shopper(&d.methods, lang == Lang::En);
    let first = offered.first().copied();
    let methods = offered
        .iter()
        .map(|m| {
            let (vi, en) = m.label();
            let (hvi, hen) = m.hint();
            let checked = f.payment == m.code() || (f.payment.is_empty() && Some(*m) == first);
            view! {
                <label class="choice">
                    <input type="radio" name="payment" value=m.code() checked=checked/>
                    <span>{lang.t(vi, en)}<small class="muted choice-hint">{lang.t(hvi, hen)}</small></span>
                </label>
            }
        })
        .collect_view();
    let lines = d
        .cart
        .lines
        .iter()
        .map(|l| view! { <tr><td>{line_name(lang, l)}" × "{l.quantity}</td><td class="num">{vnd(l.line_total())}</td></tr> })
        .collect_view();
    let fee_rows = {
        let mut rows: Vec<_> = d
            .fees
            .by_province
            .iter()
            .map(|(code, fee)| {
                let name = domain::address::province(code).map(|p| lang.pick(p.1, p.2).to_string()).unwrap_or_default();
                view! { <li>{name}": "{vnd(fee.0)}</li> }
            })
            .collect();
        rows.push(view! { <li>{lang.t("Tỉnh/thành khác", "Other provinces").to_string()}": "{vnd(d.fees.default_fee.0)}</li> });
        rows
    };
    let province_chosen = domain::address::province(&f.province).is_some();
    let summary = d.summary.clone();
    view! {
        <div class="checkout">
            <form method="post" action="/checkout" class="checkout-form" novalidate>
                <input type="hidden" name="token" value=d.token.clone()/>
                <input type="hidden" name="csrf" value=d.csrf.clone()/>
                <fieldset>
                    <legend>{lang.t("Người nhận", "Recipient")}</legend>
                    <label for="name">{lang.t("Họ và tên", "Full name")}</label>
                    <input id="name" name="name" value=f.name.clone() maxlength="100" autocomplete="name" aria-invalid=invalid("name")/>
                    {error_for(lang, &errs, "name")}
                    <label for="phone">{lang.t("Số điện thoại", "Phone")}</label>
                    <input id="phone" name="phone" type="tel" value=f.phone.clone() maxlength="24" autocomplete="tel"
                        placeholder="0912 345 678" aria-invalid=invalid("phone") aria-describedby="phone-hint"/>
                    <p class="hint" id="phone-hint">{lang.t(
                        "Số nước ngoài: ghi kèm mã quốc gia, vd. +49 151 2345 6789.",
                        "A number from abroad: include the country code, e.g. +49 151 2345 6789.",
                    )}</p>
                    {error_for(lang, &errs, "phone")}
                    <label for="email">{lang.t("Email (không bắt buộc)", "Email (optional)")}</label>
                    <input id="email" name="email" type="email" value=f.email.clone() maxlength="254" autocomplete="email" aria-invalid=invalid("email")/>
                    {error_for(lang, &errs, "email")}
                </fieldset>
                <fieldset>
                    <legend>{lang.t("Địa chỉ giao hàng", "Delivery address")}</legend>
                    <label for="province">{lang.t("Tỉnh/thành phố", "Province or city")}</label>
                    <select id="province" name="province" aria-invalid=invalid("province")>
                        <option value="">{lang.t("— Chọn —", "— Choose —")}</option>
                        {provinces}
                    </select>
                    {error_for(lang, &errs, "province")}
                    <label for="commune">{lang.t("Xã/phường", "Commune or ward")}</label>
                    <input id="commune" name="commune" value=f.commune.clone() maxlength="100" aria-invalid=invalid("commune")/>
                    {error_for(lang, &errs, "commune")}
                    <label for="street">{lang.t("Số nhà, đường, thôn/ấp", "House number, street, hamlet")}</label>
                    <input id="street" name="street" value=f.street.clone() maxlength="200" autocomplete="street-address" aria-invalid=invalid("street")/>
                    {error_for(lang, &errs, "street")}
                    <label for="note">{lang.t("Ghi chú", "Note")}</label>
                    <TextArea id="note" rows=2 maxlength=500 value=f.note.clone()/>
                    {error_for(lang, &errs, "note")}
                </fieldset>
                <fieldset>
                    <legend>{lang.t("Thanh toán", "Payment")}</legend>
                    {methods}
                    {error_for(lang, &errs, "payment")}
                </fieldset>
                <button type="submit" class="button primary">{lang.t("Đặt hàng", "Place order")}</button>
            </form>
            <aside class="order-summary">
                <h2>{lang.t("Đơn hàng", "Your order")}</h2>
                <table class="summary">
                    <tbody>{lines}</tbody>
                    <tfoot>
                        <tr><th>{lang.t("Tạm tính", "Subtotal")}</th><td class="num">{vnd(d.cart.subtotal())}</td></tr>
                        {summary.map(|s| view! {
                            <tr><th>{lang.t("Phí giao hàng", "Delivery")}</th>
                                <td class="num">{if province_chosen { vnd(s.delivery_fee.0) } else { lang.t("theo tỉnh", "by province").to_string() }}</td></tr>
                            <tr class="total"><th>{lang.t("Tổng cộng", "Total")}</th><td class="num" id="order-total">{vnd(s.total.0)}</td></tr>
                        })}
                    </tfoot>
                </table>
                <details>
                    <summary>{lang.t("Bảng phí giao hàng", "Delivery fees")}</summary>
                    <ul>{fee_rows}</ul>
                    {d.fees.free_from.map(|v| view! { <p>{lang.t("Miễn phí từ ", "Free from ")}{vnd(v.0)}</p> })}
                </details>
                <p class="muted">{lang.t("Giá và phí được tính lại trên máy chủ khi đặt hàng.", "Prices and fees are recomputed on our server when you order.")}</p>
            </aside>
        </div>
    }
}
