//! Leptos ends every server-rendered page with inline `<script>`s that hand resource data to a
//! client-side app for hydration (`__RESOLVED_RESOURCES=…`, `__INCOMPLETE_CHUNKS=…`). These pages
//! have none (they work without JavaScript by design), so the scripts only break the
//! Content-Security-Policy (`script-src 'none'`) and repeat page data. This layer takes exactly
//! those out of HTML responses: a `<script>` or `<script nonce="…">` whose code starts with `__`
//! (Leptos escapes `<` inside them, so the first `</script>` ends one). Anything else is left for
//! the tests to see: pages never write a script (see `security::html`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages are tens of kilobytes; the bound only keeps a runaway response from filling memory.
const MAX_PAGE: usize = 16 * 1024 * 1024;

/// The length of the Leptos hydration script starting `html`, if one does.
fn hydration_script(html: &str) -> Option<usize> {
    let open_end = html.find('>')? + 1;
    let open = &html[..open_end];
    let plain = open == "<script>"
        || (open.starts_with("<script nonce=\"") && open.ends_with("\">") && !open[15..open_end - 2].contains('"'));
    if !plain || !html[open_end..].starts_with("__") {
        return None;
    }
    Some(open_end + html[open_end..].find("</script>")? + "</script>".len())
}

pub fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match hydration_script(&rest[start..]) {
            Some(len) => rest = &rest[start + len..],
            None => {
                out.push_str("<script");
                rest = &rest[start + "<script".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

pub async fn layer(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE).await else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let Ok(text) = std::str::from_utf8(&bytes) else { return Response::from_parts(parts, Body::from(bytes)) };
    if !text.contains("<script") {
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(without_scripts(text)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn hydration_scripts_go_and_the_page_stays() {
        let page = "<html><body><main><p>Nước mắm</p></main><script nonce=\"a\">__RESOLVED_RESOURCES=[\"\\u003c/script>\"];</script>\
                    <script nonce=\"a\">__INCOMPLETE_CHUNKS=[];</script></body></html>";
        assert_eq!(super::without_scripts(page), "<html><body><main><p>Nước mắm</p></main></body></html>");
    }

    #[test]
    fn any_other_script_is_left_for_the_tests_to_find() {
        for page in [
            "<p><script>alert(1)</script></p>",
            "<p><script src=\"//evil.example/x.js\"></script></p>",
            "<p><script nonce=\"a\" src=x>__x</script></p>",
            "<p><script>__unterminated",
        ] {
            assert_eq!(super::without_scripts(page), page);
        }
    }
}
