//! Where a request came from, for limits kept per source (sign-ups, pairing codes). The peer
//! address comes from the listener (`into_make_service_with_connect_info`); behind proxies,
//! `TRUSTED_PROXIES` says how many entries of `X-Forwarded-For` are theirs.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request};

use crate::AppState;

/// A key naming the request's source (an address, or an IPv6 /64).
pub fn source(state: &AppState, req: &Request) -> String {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    security::client::source_key(security::client::client_ip(peer, req.headers(), state.trusted_proxies))
}
