//! Leptos ends every server-rendered page with inline `<script>`s that hand resource data to a
//! client-side app for hydration. These pages have none (they work without JavaScript by design),
//! so the scripts only break the Content-Security-Policy (`script-src 'none'`) and repeat page
//! data. This layer takes them out of HTML responses. The pages themselves never contain a script
//! (a test in `security::html` keeps `<script` out of the sources), so every one found is Leptos's;
//! Leptos escapes `<` inside them, so the first `</script>` after one ends it.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages are tens of kilobytes; anything larger is not one of ours and passes untouched.
const MAX_PAGE: usize = 4 * 1024 * 1024;

pub fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => {
                rest = "";
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
}
