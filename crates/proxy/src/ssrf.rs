//! No SSRF: upstream addresses are checked when connecting, after DNS resolution, so a name
//! that resolves (or is re-bound) to a private address cannot be reached (the resolver is in
//! `upstream.rs`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The error a refused name produces; the forwarder looks for it to answer with a clear 502.
#[derive(Debug, thiserror::Error)]
#[error(
    "upstream host resolves only to non-public addresses; refused (see --allow-private-upstreams)"
)]
pub struct BlockedAddress;

/// Whether `ip` is an ordinary public unicast address a provider API could live on.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0                                    // "this network"
        || a == 10                              // private
        || a == 127                             // loopback
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || (a == 169 && b == 254)               // link-local, cloud metadata 169.254.169.254
        || (a == 172 && (16..32).contains(&b))  // private
        || (a == 192 && b == 0 && c == 0)       // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2)       // documentation
        || (a == 192 && b == 88 && c == 99)     // 6to4 relay anycast
        || (a == 192 && b == 168)               // private
        || (a == 198 && (b == 18 || b == 19))   // benchmarking
        || (a == 198 && b == 51 && c == 100)    // documentation
        || (a == 203 && b == 0 && c == 113)     // documentation
        || a >= 224) // multicast, reserved, broadcast
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    // Only global unicast (2000::/3) qualifies, minus the ranges inside it that embed IPv4
    // addresses or are not routable. This also rules out ::1, ::, IPv4-mapped (::ffff:0:0/96),
    // IPv4-compatible, NAT64 (64:ff9b::/96), unique-local (fc00::/7), link-local (fe80::/10)
    // and multicast (ff00::/8).
    (s[0] & 0xe000) == 0x2000
        && !(s[0] == 0x2001 && s[1] < 0x0200) // TEREDO, benchmarking, ORCHID and other IETF ranges
        && !(s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        && s[0] != 0x2002 // 6to4, embeds an IPv4 address
        && !(s[0] == 0x3fff && s[1] < 0x1000) // documentation (3fff::/20)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn refuses_non_public_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "240.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "2002:a00:1::1",
            "2001::1",
        ] {
            assert!(!public(ip), "{ip} should be refused");
        }
    }

    #[test]
    fn accepts_public_addresses() {
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "2a00:1450::1",
        ] {
            assert!(public(ip), "{ip} should be allowed");
        }
    }
}
