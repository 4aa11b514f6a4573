//! The address of the client a request came from, for the NetActuate IP ACL and the admin API.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::Extensions;

use crate::connection::Connection;

/// The peer's IP: from the sandbox's own listener ([`Connection`]), or from a plain
/// `SocketAddr` connect-info when a caller serves the router itself. A router driven in-process
/// (no socket) counts as loopback.
pub fn client_ip(extensions: &Extensions) -> IpAddr {
    extensions
        .get::<ConnectInfo<Connection>>()
        .map(|c| c.0.remote.ip())
        .or_else(|| {
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip())
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// IPv4-mapped IPv6 addresses count as their IPv4 form.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}
