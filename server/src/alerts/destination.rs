//! Where a webhook may go. `https://` only; `http://` only to a loopback
//! address, and only where the test setting allows it
//! (`SENTINELA_ALERTS_HTTP_LOOPBACK`). Never to a loopback, private,
//! link-local (the cloud's metadata service, 169.254.169.254), shared or
//! unspecified address unless configured
//! (`SENTINELA_ALERTS_PRIVATE_DESTINATIONS`). The host is resolved once and
//! the request is sent to the addresses checked, so a name that resolves
//! again to another address (DNS rebinding) is not asked twice.

use std::net::{IpAddr, SocketAddr};

use url::Url;

/// What destinations a deployment admits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    /// `http://` to a loopback address (tests).
    pub http_loopback: bool,
    /// Private, loopback and link-local addresses over `https://`.
    pub private: bool,
}

/// A webhook URL the policy admits, with the addresses to send it to.
#[derive(Clone, Debug)]
pub struct Destination {
    pub url: Url,
    pub host: String,
    pub addrs: Vec<SocketAddr>,
}

/// Why a URL is refused. Never carries the URL (its path may be a secret).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("the webhook URL is not a valid absolute URL")]
    Invalid,
    #[error("the webhook URL must be https://")]
    Scheme,
    #[error("the webhook URL's host does not resolve")]
    Unresolved,
    #[error("the webhook URL resolves to a private or local address")]
    Private,
}

impl Policy {
    /// The URL, if its form is admitted (before any lookup): a creation's
    /// check.
    pub fn parse(&self, text: &str) -> Result<Url, Refused> {
        let url = Url::parse(text).map_err(|_| Refused::Invalid)?;
        if url.host_str().is_none() || !url.username().is_empty() || url.password().is_some() {
            return Err(Refused::Invalid);
        }
        match url.scheme() {
            "https" => Ok(url),
            "http" if self.http_loopback => Ok(url),
            _ => Err(Refused::Scheme),
        }
    }

    /// Resolves `text`'s host and checks every address it gives.
    pub async fn resolve(&self, text: &str) -> Result<Destination, Refused> {
        let url = self.parse(text)?;
        let host = url.host_str().ok_or(Refused::Invalid)?.to_owned();
        let port = url.port_or_known_default().ok_or(Refused::Invalid)?;
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| Refused::Unresolved)?
            .collect();
        if addrs.is_empty() {
            return Err(Refused::Unresolved);
        }
        let plain_http = url.scheme() == "http";
        for addr in &addrs {
            let ip = canonical(addr.ip());
            let admitted = match plain_http {
                true => ip.is_loopback(),
                false => self.private || !local(ip),
            };
            if !admitted {
                return Err(match plain_http {
                    true => Refused::Scheme,
                    false => Refused::Private,
                });
            }
        }
        Ok(Destination { url, host, addrs })
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) as the IPv4 it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Whether `ip` is an address of this machine, its network or its cloud.
fn local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                // Shared address space (carrier-grade NAT), 100.64.0.0/10.
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                // Unique local fc00::/7 and link-local fe80::/10.
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_https_to_public_addresses_unless_configured() {
        let strict = Policy::default();
        assert_eq!(
            strict.parse("http://example.com/x").unwrap_err(),
            Refused::Scheme
        );
        assert_eq!(
            strict.parse("ftp://example.com/x").unwrap_err(),
            Refused::Scheme
        );
        assert_eq!(
            strict.parse("https://u:p@example.com/").unwrap_err(),
            Refused::Invalid
        );
        assert_eq!(strict.parse("not a url").unwrap_err(), Refused::Invalid);
        for private in [
            "https://127.0.0.1/hook",
            "https://10.1.2.3/hook",
            "https://169.254.169.254/latest/meta-data/",
            "https://[::1]/hook",
            "https://[::ffff:192.168.0.1]/hook",
            "https://100.64.0.1/hook",
            "https://[fd00::1]/hook",
        ] {
            assert_eq!(
                strict.resolve(private).await.unwrap_err(),
                Refused::Private,
                "{private}"
            );
        }
        assert!(strict.resolve("https://93.184.215.14/hook").await.is_ok());
        let testing = Policy {
            http_loopback: true,
            private: false,
        };
        assert!(testing.resolve("http://127.0.0.1:9/hook").await.is_ok());
        assert_eq!(
            testing
                .resolve("http://93.184.215.14/hook")
                .await
                .unwrap_err(),
            Refused::Scheme,
            "plain http only to loopback"
        );
        let private = Policy {
            http_loopback: false,
            private: true,
        };
        assert!(private.resolve("https://10.1.2.3/hook").await.is_ok());
    }
}
