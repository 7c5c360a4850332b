//! The address a request came from, for limits kept per source. Behind a load balancer every
//! request arrives from the balancer, which names the client in `X-Forwarded-For`; that header is
//! believed only as far as the operator says proxies sit in front (`TRUSTED_PROXIES`), because a
//! client can write anything into it.

use std::net::IpAddr;

use http::HeaderMap;

/// The client's address: the peer itself with no trusted proxy, else the entry `trusted_proxies`
/// places from the right of `X-Forwarded-For` (each proxy appends the address it was reached from).
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted_proxies: usize) -> Option<IpAddr> {
    if trusted_proxies == 0 {
        return peer;
    }
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    hops.len().checked_sub(trusted_proxies).and_then(|i| hops.get(i)).and_then(|s| s.parse().ok()).or(peer)
}

/// A per-source key for limits: IPv6 clients are grouped by their /64, which one subscriber holds.
pub fn source_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_as_far_as_trusted() {
        let peer: IpAddr = "10.0.0.5".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        assert_eq!(client_ip(Some(peer), &h, 0), Some(peer), "no proxy configured: the header is ignored");
        assert_eq!(client_ip(Some(peer), &h, 1), Some("203.0.113.7".parse().unwrap()), "the balancer's entry");
        assert_eq!(client_ip(Some(peer), &h, 2), Some("6.6.6.6".parse().unwrap()));
        assert_eq!(client_ip(Some(peer), &h, 3), Some(peer), "too few entries: the peer");
        assert_eq!(source_key(Some("2001:db8:1:2:aa::1".parse().unwrap())), "2001:db8:1:2::/64");
        assert_eq!(source_key(Some("::ffff:1.2.3.4".parse().unwrap())), "1.2.3.4");
    }
}
