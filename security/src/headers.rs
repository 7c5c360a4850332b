//! The headers every response carries, decided in one place and applied by one outermost layer in
//! each binary, so error pages, uploads, media and routes added later get them too.
//!
//! The pages need no JavaScript, so the policy allows none: no script source at all, styles only
//! from our own stylesheet (no inline `<style>` or `style=`), images from us (and `data:` for QR
//! codes drawn inline), forms posting only to us (and the card processor's page, when cards are on).

use http::{HeaderMap, HeaderName, HeaderValue, header};

/// What a binary tells the layer about itself.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Served over https (`PUBLIC_URL` starts with https): browsers are told to stay on https.
    pub https: bool,
    /// Origins a form may post to besides our own (Stripe Checkout's redirect), e.g. `https://checkout.stripe.com`.
    pub form_targets: Vec<String>,
    /// Every response is private (the till: staff only, on one machine).
    pub all_private: bool,
    /// Scripts from our own origin may run (the till's key script); inline script stays refused.
    pub scripts: bool,
}

/// Paths whose pages belong to one person or are about one person's order.
const PRIVATE_PREFIXES: [&str; 8] =
    ["/account", "/portal", "/office", "/orders", "/checkout", "/cart", "/sfn", "/sync"];

impl Policy {
    pub fn content_security_policy(&self) -> String {
        let mut form = String::from("'self'");
        for t in &self.form_targets {
            form.push(' ');
            form.push_str(t);
        }
        let script = if self.scripts { "'self'" } else { "'none'" };
        format!(
            "default-src 'none'; script-src {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; manifest-src 'self'; form-action {form}; frame-ancestors 'none'; base-uri 'none'"
        )
    }

    /// Whether a response must never be stored by a browser or a shared cache.
    pub fn private(&self, path: &str, request: &HeaderMap, response: &HeaderMap) -> bool {
        self.all_private
            || PRIVATE_PREFIXES
                .iter()
                .any(|p| path == *p || path.starts_with(&format!("{p}/")) || path.starts_with(&format!("{p}.")))
            || has_session_cookie(request)
            || response.contains_key(header::SET_COOKIE)
    }

    /// Sets every security header the response does not already carry.
    pub fn apply(&self, path: &str, request: &HeaderMap, response: &mut HeaderMap) {
        let private = self.private(path, request, response);
        let mut set = |name: HeaderName, value: &str| {
            if !response.contains_key(&name)
                && let Ok(v) = HeaderValue::from_str(value)
            {
                response.insert(name, v);
            }
        };
        set(header::CONTENT_SECURITY_POLICY, &self.content_security_policy());
        set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
        set(header::X_FRAME_OPTIONS, "DENY");
        set(header::REFERRER_POLICY, "strict-origin-when-cross-origin");
        set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
        set(HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
        set(HeaderName::from_static("permissions-policy"), "geolocation=(), microphone=(), payment=(), usb=()");
        if self.https {
            set(header::STRICT_TRANSPORT_SECURITY, "max-age=63072000; includeSubDomains");
        }
        set(header::CACHE_CONTROL, if private { "private, no-store" } else { "no-cache" });
    }
}

/// A signed-in visitor's pages may show their name anywhere (the header), so any page answered to
/// a request with a session is private.
fn has_session_cookie(request: &HeaderMap) -> bool {
    request
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| matches!(c.trim().split_once('='), Some(("sid" | "pos_sid", v)) if !v.is_empty()))
}

/// The middleware: `axum::middleware::from_fn_with_state(Arc<Policy>, security::headers::layer)`,
/// added last so it wraps everything, the fallback and errors included.
#[cfg(feature = "axum")]
pub async fn layer(
    axum::extract::State(policy): axum::extract::State<std::sync::Arc<Policy>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let request_headers = req.headers().clone();
    let mut res = next.run(req).await;
    policy.apply(&path, &request_headers, res.headers_mut());
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cookie(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn pages_of_a_person_are_never_stored_public_ones_revalidate() {
        let p = Policy::default();
        let none = HeaderMap::new();
        for path in [
            "/account",
            "/account/sign-in",
            "/portal/products/3",
            "/office",
            "/orders/OCOP-2026-000001",
            "/portal/products.csv",
        ] {
            let mut res = HeaderMap::new();
            p.apply(path, &none, &mut res);
            assert_eq!(res[header::CACHE_CONTROL], "private, no-store", "{path}");
        }
        let mut res = HeaderMap::new();
        p.apply("/products", &none, &mut res);
        assert_eq!(res[header::CACHE_CONTROL], "no-cache");
        let mut res = HeaderMap::new();
        p.apply("/products", &cookie("lang=en; sid=abc"), &mut res);
        assert_eq!(res[header::CACHE_CONTROL], "private, no-store", "signed in: the header shows the account");
        let mut res = HeaderMap::new();
        res.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
        p.apply("/media/x.webp", &none, &mut res);
        assert_eq!(res[header::CACHE_CONTROL], "public, max-age=31536000, immutable", "a route's own choice stays");
    }

    #[test]
    fn the_policy_allows_no_script_and_hsts_follows_https() {
        let mut res = HeaderMap::new();
        Policy { https: false, ..Default::default() }.apply("/", &HeaderMap::new(), &mut res);
        let csp = res[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'none'") && csp.contains("default-src 'none'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(!res.contains_key(header::STRICT_TRANSPORT_SECURITY));
        let mut res = HeaderMap::new();
        let p = Policy { https: true, form_targets: vec!["https://checkout.stripe.com".into()], ..Default::default() };
        p.apply("/", &HeaderMap::new(), &mut res);
        assert!(res[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap().starts_with("max-age="));
        assert!(
            res[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("form-action 'self' https://checkout.stripe.com")
        );
        // The till's own key script: from its own origin only, never inline.
        let mut res = HeaderMap::new();
        Policy { scripts: true, ..Default::default() }.apply("/", &HeaderMap::new(), &mut res);
        let csp = res[header::CONTENT_SECURITY_POLICY].to_str().unwrap().to_string();
        assert!(csp.contains("script-src 'self';") && !csp.contains("unsafe-inline"), "{csp}");
    }
}
