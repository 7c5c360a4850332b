//! Whether a form post came from the same site, from the headers browsers set and no page can forge.
//! The marketplace and the showroom till both refuse cross-site posts with it.

fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split('/').next().unwrap_or(rest))
}

/// `Sec-Fetch-Site` when the browser sends it, else `Origin`, else `Referer`.
pub fn same_origin(
    sec_fetch_site: Option<&str>,
    origin: Option<&str>,
    referer: Option<&str>,
    host: Option<&str>,
) -> bool {
    match (sec_fetch_site, origin) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some("null")) => false,
        (None, Some(origin)) => host.is_some() && host_of(origin) == host,
        // No browser metadata at all: not a browser (curl, a test client), which carries no
        // ambient cookies of a victim; fall back to the Referer when there is one.
        (None, None) => referer.is_none_or(|r| host.is_some() && host_of(r) == host),
    }
}

#[cfg(test)]
mod tests {
    use super::same_origin;

    #[test]
    fn cross_site_posts_are_told_apart_from_same_site_ones() {
        let host = Some("127.0.0.1:3100");
        assert!(same_origin(Some("same-origin"), None, None, host));
        assert!(!same_origin(Some("cross-site"), Some("http://127.0.0.1:3100"), None, host));
        assert!(same_origin(None, Some("http://127.0.0.1:3100"), None, host));
        assert!(!same_origin(None, Some("https://evil.example"), None, host));
        assert!(!same_origin(None, Some("null"), None, host));
        assert!(!same_origin(None, None, Some("https://evil.example/x"), host));
        assert!(same_origin(None, None, None, host), "a non-browser client");
    }
}
