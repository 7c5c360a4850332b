//! The visitor's cart cookie and the CSRF token bound to it. No accounts yet: the cart id is the
//! session. The token is an HMAC of the cart id under the server's secret, so it needs no storage
//! and a page of another site cannot know it.

/// The server's secret key, provided to pages by the server.
#[derive(Clone)]
pub struct Secret(pub std::sync::Arc<Vec<u8>>);

pub const CART_COOKIE: &str = "cart";
/// The signed-in session; its CSRF token is bound to `sid:{token}`.
pub const SESSION_COOKIE: &str = "sid";

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
    fn tokens_bind_to_the_cart_and_the_secret() {
        let t = csrf_token(b"k1", "cart-a");
        assert!(csrf_ok(b"k1", "cart-a", &t));
        assert!(!csrf_ok(b"k1", "cart-b", &t));
        assert!(!csrf_ok(b"k2", "cart-a", &t));
        assert!(!csrf_ok(b"k1", "cart-a", "zz"));
        assert!(!csrf_ok(b"k1", "cart-a", &t[..8]));
    }
}
