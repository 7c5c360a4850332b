//! The storefront's form posts: cart, checkout, order lookup. Every answer is a redirect to a page
//! (post/redirect/get), so a refresh never re-sends a form and everything works without JavaScript.

use app::session::{CART_COOKIE, csrf_ok, header_cookie};
use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::address::CheckoutForm;
use domain::order::PaymentMethod;
use serde::Deserialize;
use store::orders::Checkout;

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cart/count.svg", axum::routing::get(count_badge))
        .route("/cart/add", post(add))
        .route("/cart/update", post(update))
        .route("/checkout", post(checkout))
        .route("/orders/find", post(find))
        .route("/orders/{number}/card", post(crate::stripe::pay_by_card))
}

fn cart_id(headers: &HeaderMap) -> Option<String> {
    header_cookie(headers, CART_COOKIE).map(str::to_string)
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cart_cookie(mut res: Response, id: &str, secure: bool) -> Response {
    // 30 days: long enough to come back to a cart, short enough not to keep strangers' carts forever.
    let cookie = format!(
        "{CART_COOKIE}={id}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax{}",
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// The header's cart count, drawn as a picture the header loads: the pages themselves stay the same
/// for every visitor (so the page cache keeps serving them) and only this small answer is personal.
/// An empty cart draws nothing.
async fn count_badge(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let n = match cart_id(&headers).filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())) {
        Some(id) => store::cart::count(&state.store.db, &id).await?,
        None => 0,
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
            (header::VARY, HeaderValue::from_static("Cookie")),
        ],
        count_svg(n),
    )
        .into_response())
}

/// A pink disc with the count in white, 22 × 22 like the space the header keeps for it.
pub fn count_svg(n: i64) -> String {
    const OPEN: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" width="22" height="22" viewBox="0 0 22 22">"#;
    if n <= 0 {
        return format!("{OPEN}</svg>");
    }
    let (text, size) = match n {
        1..=9 => (n.to_string(), 13),
        10..=99 => (n.to_string(), 11),
        _ => ("99+".to_string(), 8),
    };
    format!(
        r##"{OPEN}<circle cx="11" cy="11" r="10" fill="#c2185b" stroke="#fff" stroke-width="1.5"/><text x="11" y="11" dy=".35em" text-anchor="middle" font-family="system-ui, Arial, sans-serif" font-weight="700" font-size="{size}" fill="#fff">{text}</text></svg>"##
    )
}

#[derive(Deserialize)]
pub struct AddForm {
    variant: Option<String>,
    combo: Option<String>,
    qty: Option<String>,
}

/// Adding to a cart is the one post made from cached, shared pages (product and combo pages), which
/// cannot carry a per-visitor token: it is guarded by the same-origin check instead (see `csrf`).
async fn add(State(state): State<AppState>, headers: HeaderMap, Form(f): Form<AddForm>) -> Result<Response, AppError> {
    let qty = match f.qty.as_deref().map(domain::cart::parse_quantity) {
        None => 1,
        Some(Some(q)) if q > 0 => q,
        Some(_) => return Err(AppError::BadForm("qty", "Số lượng phải từ 1 đến 99.", "Quantity must be 1 to 99.")),
    };
    let item = match (f.variant.as_deref().map(str::parse::<i64>), f.combo) {
        (Some(Ok(id)), None) => store::cart::Item::Variant(id),
        (None, Some(slug)) if !slug.is_empty() && slug.len() <= 200 => store::cart::Item::Combo(slug),
        _ => return Err(AppError::BadForm("variant", "Không rõ sản phẩm cần thêm.", "Which item to add is unclear.")),
    };
    let id = store::cart::ensure(&state.store.db, cart_id(&headers).as_deref()).await?;
    let to = match store::cart::add(&state.store.db, &id, item, qty).await? {
        Ok(()) => "/cart?notice=added",
        Err(store::cart::CartRefusal::NotForSale) => "/cart?notice=unavailable",
        Err(store::cart::CartRefusal::TooManyLines) => "/cart?notice=full",
    };
    Ok(with_cart_cookie(see_other(to), &id, state.secure_cookies))
}

#[derive(Deserialize)]
pub struct UpdateForm {
    csrf: String,
    item: String,
    qty: String,
}

async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<UpdateForm>,
) -> Result<Response, AppError> {
    let Some(id) = cart_id(&headers).filter(|id| csrf_ok(&state.secret, id, &f.csrf)) else {
        return Err(AppError::Forbidden);
    };
    let item: i64 = f.item.parse().map_err(|_| AppError::BadForm("item", "Dòng không hợp lệ.", "Invalid line."))?;
    let qty = domain::cart::parse_quantity(&f.qty).ok_or(AppError::BadForm(
        "qty",
        "Số lượng phải từ 0 đến 99.",
        "Quantity must be 0 to 99.",
    ))?;
    store::cart::set_quantity(&state.store.db, &id, item, qty).await?;
    Ok(see_other("/cart"))
}

#[derive(Deserialize)]
pub struct CheckoutPost {
    token: String,
    csrf: String,
    #[serde(flatten)]
    form: CheckoutForm,
}

fn lang_of(headers: &HeaderMap) -> &'static str {
    lang(headers).code()
}

/// The shopper's language, from the language cookie.
pub(crate) fn lang(headers: &HeaderMap) -> app::i18n::Lang {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(app::i18n::Lang::from_cookie_header)
        .unwrap_or_default()
}

async fn checkout(
    State(state): State<AppState>,
    headers: HeaderMap,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    Form(p): Form<CheckoutPost>,
) -> Result<Response, AppError> {
    let Some(id) = cart_id(&headers) else { return Ok(see_other("/cart?notice=expired")) };
    if !csrf_ok(&state.secret, &id, &p.csrf) {
        return Err(AppError::Forbidden);
    }
    let cap = |s: String, n: usize| s.chars().take(n).collect::<String>();
    let f = p.form;
    // Kept as typed (within bounds) so a refused form comes back whole.
    let form = CheckoutForm {
        name: cap(f.name, 200),
        phone: cap(f.phone, 40),
        email: cap(f.email, 300),
        province: cap(f.province, 40),
        commune: cap(f.commune, 200),
        street: cap(f.street, 400),
        note: cap(f.note, 1000),
        payment: cap(f.payment, 20),
    };
    // A signed-in shopper's orders are listed on their account page; other roles order as guests.
    let user_id = match app::session::header_cookie(&headers, app::session::SESSION_COOKIE) {
        Some(sid) => store::accounts::session_account(&state.store.db, sid)
            .await?
            .filter(|a| a.role == domain::account::Role::Shopper)
            .map(|a| a.id),
        None => None,
    };
    let outcome = store::orders::place(&state.store, &id, &p.token, form, lang_of(&headers), user_id).await?;
    Ok(match outcome {
        Checkout::Placed { number, access_key, method, .. } => {
            let page = format!("/orders/{number}?key={access_key}&placed=1");
            if method == PaymentMethod::Stripe && state.stripe.is_some() {
                crate::stripe::redirect_to_checkout(&state, &number, &access_key).await
            } else if matches!(method, PaymentMethod::VnPay | PaymentMethod::MoMo) {
                let ip = crate::wallets::client_ip(&state, connect.map(|c| c.0.0), &headers);
                crate::wallets::redirect_to_gateway(&state, &number, &access_key, lang(&headers), &ip).await
            } else {
                see_other(&page)
            }
        }
        Checkout::Invalid(_) => see_other("/checkout"),
        Checkout::Stock(_) => see_other("/cart?notice=stock"),
        Checkout::EmptyCart => see_other("/cart?notice=empty"),
        Checkout::StaleForm => see_other("/checkout?notice=stale"),
    })
}

#[derive(Deserialize)]
pub struct FindForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    phone: String,
}

async fn find(State(state): State<AppState>, Form(f): Form<FindForm>) -> Result<Response, AppError> {
    let (to, keep) = match store::payments::lookup(&state.store.db, &f.number, &f.phone).await? {
        store::payments::Lookup::Found(key) => {
            let number = domain::order::parse_order_number(&f.number).unwrap_or_default();
            (format!("/orders/{number}?key={key}"), None)
        }
        store::payments::Lookup::NotFound => ("/orders?notice=notfound".into(), Some((&f.number, &f.phone))),
        store::payments::Lookup::Throttled => ("/orders?notice=throttled".into(), Some((&f.number, &f.phone))),
    };
    // A refused lookup comes back with what was typed, so one wrong digit is one fix; the cookie
    // keeps it off the URL (phones do not belong in logs) and lives five minutes.
    let (value, max_age) = match keep {
        Some((number, phone)) => (app::session::lookup_cookie_value(number, phone), 300),
        None => (String::new(), 0),
    };
    let cookie = format!(
        "{}={value}; Path=/orders; Max-Age={max_age}; HttpOnly; SameSite=Strict{}",
        app::session::LOOKUP_COOKIE,
        if state.secure_cookies { "; Secure" } else { "" }
    );
    let mut res = see_other(&to);
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(res)
}

/// The order page for an order number, for redirects from elsewhere (Stripe's return).
pub fn order_page(number: &str, key: &str, notice: Option<&str>) -> String {
    match notice {
        Some(n) => format!("/orders/{number}?key={key}&notice={n}"),
        None => format!("/orders/{number}?key={key}"),
    }
}
