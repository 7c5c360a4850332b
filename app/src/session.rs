//! The visitor's cart cookie and the CSRF token bound to it. No accounts yet: the cart id is the
//! session. The token is an HMAC of the cart id under the server's secret, so it needs no storage
//! and a page of another site cannot know it.

/// The server's secret key, provided to pages by the server.
#[derive(Clone)]
pub struct Secret(pub std::sync::Arc<Vec<u8>>);

pub const CART_COOKIE: &str = "cart";
/// The signed-in session; its CSRF token is bound to `sid:{token}`.
pub const SESSION_COOKIE: &str = "sid";

/// What a failed order lookup had typed, for the form to show again: form-encoded `number` and
/// `phone`, kept a few minutes on /orders only.
pub const LOOKUP_COOKIE: &str = "lookup";

/// The number and phone a failed lookup kept in `LOOKUP_COOKIE`.
pub fn lookup_draft(value: &str) -> (String, String) {
    let mut number = String::new();
    let mut phone = String::new();
    for (k, v) in form_urlencoded::parse(value.as_bytes()) {
        match k.as_ref() {
            "number" => number = v.chars().take(40).collect(),
            "phone" => phone = v.chars().take(24).collect(),
            _ => {}
        }
    }
    (number, phone)
}

/// The cookie value keeping what a failed lookup typed.
pub fn lookup_cookie_value(number: &str, phone: &str) -> String {
    let number: String = number.chars().take(40).collect();
    let phone: String = phone.chars().take(24).collect();
    form_urlencoded::Serializer::new(String::new()).append_pair("number", &number).append_pair("phone", &phone).finish()
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').filter_map(|kv| kv.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// The value of cookie `name` among a request's headers.
pub fn header_cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).and_then(|h| cookie(h, name))
}

#[cfg(feature = "ssr")]
pub fn csrf_token(secret: &[u8], cart_id: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"csrf:");
    mac.update(cart_id.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

#[cfg(feature = "ssr")]
pub fn csrf_ok(secret: &[u8], cart_id: &str, token: &str) -> bool {
    use hmac::{Hmac, Mac};
    let Ok(bytes) = hex::decode(token) else { return false };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(b"csrf:");
    mac.update(cart_id.as_bytes());
    mac.verify_truncated_left(&bytes).is_ok() && bytes.len() == 16
}

/// A cookie of the request being rendered.
#[cfg(feature = "ssr")]
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    header_cookie(&parts.headers, name).map(str::to_string)
}

/// The cart id from the request being rendered.
#[cfg(feature = "ssr")]
pub fn request_cart_id() -> Option<String> {
    request_cookie(CART_COOKIE)
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_draft_survives_its_cookie() {
        let value = lookup_cookie_value("ocop-2026-000001 ", "+49 151; 2345");
        assert!(!value.contains(';') && !value.contains(' ') && !value.contains(','));
        assert_eq!(lookup_draft(&value), ("ocop-2026-000001 ".to_string(), "+49 151; 2345".to_string()));
        assert_eq!(lookup_draft("garbage"), (String::new(), String::new()));
    }

    #[test]
    fn tokens_bind_to_the_cart_and_the_secret() {
        let t = csrf_token(b"k1", "cart-a");
        assert!(csrf_ok(b"k1", "cart-a", &t));
        assert!(!csrf_ok(b"k1", "cart-b", &t));
        assert!(!csrf_ok(b"k2", "cart-a", &t));
        assert!(!csrf_ok(b"k1", "cart-a", "zz"));
        assert!(!csrf_ok(b"k1", "cart-a", &t[..8]));
    }
}
