//! The address guard: a probe sends a credential to a host taken from untrusted content, so
//! the host is resolved once, every address is checked, and the connection is pinned to the
//! checked addresses (see [`super::client`]) so a second DNS answer cannot differ.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

/// Where an address leads, as far as the probe is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// A public unicast address.
    Public,
    /// A private, loopback, shared or reserved address: refused unless `--allow-internal` or
    /// the host was named by the user.
    Internal(&'static str),
    /// Never a destination for a credential, whatever the flags: link-local (cloud metadata
    /// services live there), unspecified, multicast and broadcast.
    Forbidden(&'static str),
}

/// What the user allowed for one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Allowance {
    /// `--allow-internal`.
    pub allow_internal: bool,
    /// The host was named by `--moodle-url`, `--probe-hosts` or `probe --url`.
    pub intended: bool,
}

/// Classifies one address.
pub fn classify(ip: IpAddr) -> AddressClass {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    use AddressClass::*;
    let o = ip.octets();
    if o == [169, 254, 169, 254] {
        return Forbidden("cloud metadata address");
    }
    if o[0] == 169 && o[1] == 254 {
        return Forbidden("link-local address");
    }
    if ip.is_unspecified() || o[0] == 0 {
        return Forbidden("unspecified address");
    }
    if ip.is_broadcast() {
        return Forbidden("broadcast address");
    }
    if ip.is_multicast() {
        return Forbidden("multicast address");
    }
    if ip.is_loopback() {
        return Internal("loopback address");
    }
    if ip.is_private() {
        return Internal("private address (RFC 1918)");
    }
    if o[0] == 100 && (64..128).contains(&o[1]) {
        return Internal("shared address (CGNAT, RFC 6598)");
    }
    if ip.is_documentation() {
        return Internal("documentation address");
    }
    if (o[0] == 198 && (o[1] == 18 || o[1] == 19)) || (o[0] == 192 && o[1] == 0 && o[2] == 0) {
        return Internal("reserved address");
    }
    if o[0] >= 240 {
        return Internal("reserved address");
    }
    Public
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    use AddressClass::*;
    let s = ip.segments();
    // Addresses that carry an IPv4 address are judged by it: IPv4-mapped (::ffff:a.b.c.d),
    // IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] && !ip.is_unspecified() && !ip.is_loopback() {
        return classify_v4(embedded_v4(s[6], s[7]));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(embedded_v4(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return classify_v4(embedded_v4(s[1], s[2]));
    }
    if ip == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
        return Forbidden("cloud metadata address");
    }
    if ip.is_unspecified() {
        return Forbidden("unspecified address");
    }
    if ip.is_multicast() {
        return Forbidden("multicast address");
    }
    if (s[0] & 0xffc0) == 0xfe80 {
        return Forbidden("link-local address");
    }
    if ip.is_loopback() {
        return Internal("loopback address");
    }
    if (s[0] & 0xfe00) == 0xfc00 {
        return Internal("unique-local address (fc00::/7)");
    }
    if (s[0] & 0xffc0) == 0xfec0 {
        return Internal("site-local address");
    }
    if s[0] == 0x2001 && s[1] == 0x0db8 {
        return Internal("documentation address");
    }
    if s[0] == 0x2001 && s[1] == 0 {
        return Internal("reserved address (Teredo)");
    }
    if s[0] == 0x0100 && s[1..4] == [0, 0, 0] {
        return Internal("reserved address (discard)");
    }
    Public
}

fn embedded_v4(hi: u16, lo: u16) -> Ipv4Addr {
    let [a, b] = hi.to_be_bytes();
    let [c, d] = lo.to_be_bytes();
    Ipv4Addr::new(a, b, c, d)
}

/// Checks every address against what the user allowed; the first refusal wins.
pub fn check(addrs: &[SocketAddr], allowance: Allowance) -> Result<(), String> {
    if addrs.is_empty() {
        return Err("the host resolved to no address".into());
    }
    for a in addrs {
        match classify(a.ip()) {
            AddressClass::Public => {}
            AddressClass::Forbidden(what) => {
                return Err(format!("{} is a {what}: never probed", a.ip()));
            }
            AddressClass::Internal(what) => {
                if !(allowance.allow_internal || allowance.intended) {
                    return Err(format!(
                        "{} is a {what}: refused (use --allow-internal, or name the site with --moodle-url/--probe-hosts)",
                        a.ip()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Resolves `host` once. The addresses returned are the only ones the probe may connect to.
pub fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    match (host, port).to_socket_addrs() {
        Ok(addrs) => {
            let mut v: Vec<SocketAddr> = addrs.collect();
            v.sort();
            v.dedup();
            Ok(v)
        }
        Err(e) => Err(format!("cannot resolve {host}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AddressClass::*;

    fn class(s: &str) -> AddressClass {
        classify(s.parse().unwrap())
    }

    #[test]
    fn private_and_loopback_ranges_are_internal() {
        for a in [
            "127.0.0.1",
            "127.9.9.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.254",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "192.0.2.10",
            "198.51.100.1",
            "203.0.113.9",
            "198.18.0.1",
            "240.0.0.1",
            "2001:db8::1",
        ] {
            assert!(matches!(class(a), Internal(_)), "{a}: {:?}", class(a));
        }
    }

    #[test]
    fn metadata_link_local_and_non_unicast_are_forbidden() {
        for a in [
            "169.254.169.254",
            "169.254.1.1",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "fe80::1",
            "fd00:ec2::254",
            "::",
            "ff02::1",
            "::ffff:169.254.169.254",
        ] {
            assert!(matches!(class(a), Forbidden(_)), "{a}: {:?}", class(a));
        }
    }

    #[test]
    fn ipv6_forms_carrying_ipv4_are_judged_by_it() {
        assert!(matches!(class("::ffff:127.0.0.1"), Internal(_)));
        assert!(matches!(class("::ffff:10.0.0.1"), Internal(_)));
        assert!(matches!(class("::10.0.0.1"), Internal(_)));
        assert!(matches!(class("64:ff9b::a00:1"), Internal(_)));
        assert!(matches!(class("2002:c0a8:0101::1"), Internal(_)));
        assert_eq!(class("::ffff:8.8.8.8"), Public);
    }

    #[test]
    fn public_addresses_pass() {
        for a in ["8.8.8.8", "1.1.1.1", "100.128.0.1", "2606:4700:4700::1111"] {
            assert_eq!(class(a), Public, "{a}");
        }
    }

    #[test]
    fn every_address_must_pass_and_allowances_never_lift_forbidden() {
        let sa = |s: &str| SocketAddr::new(s.parse().unwrap(), 443);
        let none = Allowance {
            allow_internal: false,
            intended: false,
        };
        let internal = Allowance {
            allow_internal: true,
            intended: false,
        };
        let intended = Allowance {
            allow_internal: false,
            intended: true,
        };
        assert!(check(&[sa("8.8.8.8")], none).is_ok());
        assert!(check(&[sa("8.8.8.8"), sa("10.0.0.1")], none).is_err());
        assert!(check(&[sa("8.8.8.8"), sa("10.0.0.1")], internal).is_ok());
        assert!(check(&[sa("127.0.0.1")], intended).is_ok());
        for allowance in [internal, intended] {
            assert!(check(&[sa("169.254.169.254")], allowance).is_err());
            assert!(check(&[sa("fe80::1")], allowance).is_err());
        }
        assert!(check(&[], internal).is_err());
    }

    #[test]
    fn ip_literals_resolve_without_dns() {
        assert_eq!(
            resolve("127.0.0.1", 8080).unwrap(),
            vec![SocketAddr::new("127.0.0.1".parse().unwrap(), 8080)]
        );
        assert_eq!(resolve("[::1]", 443).unwrap()[0].ip().to_string(), "::1");
    }
}
