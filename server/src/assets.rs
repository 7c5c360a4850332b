//! Static files compiled into the binary: a clone runs without a build step for assets, and the
//! versioned path lets browsers keep them for a year.

use axum::http::header;
use axum::response::IntoResponse;

pub const FAVICON: &str = include_str!("../../public/favicon.svg");

pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        app::STYLE,
    )
}

pub async fn favicon() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], FAVICON)
}
