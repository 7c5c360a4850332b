//! Where a "go back to" parameter may send someone: a path on this site, nothing else. Browsers
//! are lenient with URLs (they drop tabs and newlines anywhere, read `\` as `/`, and `//host` as
//! another site), so rather than refuse known tricks this accepts only a plain path made of
//! printable ASCII, which no browser reads as another origin, and rebuilds it from its parts.

/// `next` as a local path and query, or None when it could lead anywhere else.
pub fn local_path(next: &str) -> Option<String> {
    let visible = |c: char| c.is_ascii_graphic();
    if !next.starts_with('/') || !next.chars().all(visible) || next.contains('\\') {
        return None;
    }
    // `//host`, and `/` followed by something a browser may normalise into a second slash.
    if next[1..].starts_with(['/', '\\']) {
        return None;
    }
    // The whole string must be a path with an optional query; a fragment or anything that does not
    // parse as a request target is refused.
    let parsed: http::uri::PathAndQuery = next.parse().ok()?;
    if next.contains('#') || parsed.path() == "" {
        return None;
    }
    // Percent-encoded slashes or backslashes at the start are decoded by some servers and proxies.
    let lower = next.to_ascii_lowercase();
    if lower.starts_with("/%2f") || lower.starts_with("/%5c") {
        return None;
    }
    Some(parsed.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_plain_local_paths_pass() {
        for ok in ["/", "/products?q=n%C6%B0%E1%BB%9Bc+m%E1%BA%AFm", "/account", "/products/nuoc-mam?size=1&x=%2F"] {
            assert_eq!(local_path(ok).as_deref(), Some(ok), "{ok}");
        }
        for bad in [
            "//evil.example/",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/%2fevil.example",
            "/%5Cevil.example",
            " /evil",
            "/ /evil",
            "/\u{3000}/evil.example",
            "/\u{ff0f}evil.example",
            "/x#y",
            "",
            "evil.example",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
