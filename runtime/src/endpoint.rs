//! Which URLs may receive the bearer token: the configured endpoint's scheme, host and port, over
//! https, or plain http to a loopback host. Also the Azure cloud presets.

use std::net::IpAddr;

use reqwest::Url;

use crate::error::{Error, ErrorKind};

/// The Azure Resource Manager endpoints of the Azure clouds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzureCloud {
    /// Azure public cloud: `https://management.azure.com`.
    Public,
    /// Azure operated by 21Vianet in China: `https://management.chinacloudapi.cn`.
    China,
    /// Azure US Government: `https://management.usgovcloudapi.net`.
    UsGovernment,
}

impl AzureCloud {
    /// The Resource Manager endpoint of this cloud.
    pub fn endpoint(self) -> &'static str {
        match self {
            AzureCloud::Public => "https://management.azure.com",
            AzureCloud::China => "https://management.chinacloudapi.cn",
            AzureCloud::UsGovernment => "https://management.usgovcloudapi.net",
        }
    }
}

/// Parses the endpoint a client is built with: an absolute https URL, or http to a loopback host,
/// without credentials, query or fragment. A trailing `/` is dropped.
pub(crate) fn parse_endpoint(endpoint: &str) -> Result<Url, Error> {
    let refuse = |reason: &str| {
        Error::new(ErrorKind::UntrustedUrl {
            url: endpoint.to_owned(),
            reason: reason.to_owned(),
        })
    };
    let url =
        Url::parse(endpoint).map_err(|error| refuse(&format!("not an absolute URL ({error})")))?;
    if url.scheme() != "https" && !(url.scheme() == "http" && is_loopback(&url)) {
        return Err(refuse(
            "the endpoint must use https (plain http is allowed only for a loopback host)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("the endpoint must not contain user information"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("the endpoint must not have a query or fragment"));
    }
    Ok(url)
}

/// Resolves `link` (absolute, or relative to `endpoint`) and checks it with [`ensure_trusted`].
pub(crate) fn resolve_trusted(endpoint: &Url, link: &str) -> Result<Url, Error> {
    let url = endpoint.join(link).map_err(|error| {
        Error::new(ErrorKind::UntrustedUrl {
            url: link.to_owned(),
            reason: format!("not a valid URL ({error})"),
        })
    })?;
    ensure_trusted(endpoint, &url)?;
    Ok(url)
}

/// Checks that `url` has the endpoint's scheme, host and port and no user information, so the
/// bearer token may be sent there.
pub(crate) fn ensure_trusted(endpoint: &Url, url: &Url) -> Result<(), Error> {
    let same_origin = endpoint.scheme() == url.scheme()
        && endpoint.host_str() == url.host_str()
        && endpoint.port_or_known_default() == url.port_or_known_default();
    let reason = if !same_origin {
        format!(
            "only {} may receive the credential; the URL names another scheme, host or port",
            endpoint.origin().ascii_serialization()
        )
    } else if !url.username().is_empty() || url.password().is_some() {
        "the URL contains user information".to_owned()
    } else {
        return Ok(());
    };
    Err(Error::new(ErrorKind::UntrustedUrl {
        url: url.to_string(),
        reason,
    }))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_must_be_https_unless_loopback() {
        for ok in [
            "https://management.azure.com",
            "http://127.0.0.1:8080",
            "http://127.5.6.7",
            "http://[::1]:9000/",
            "http://localhost:1234",
        ] {
            assert!(parse_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://management.azure.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "https://user:pw@management.azure.com",
            "https://management.azure.com/?x=1",
            "management.azure.com",
        ] {
            let error = parse_endpoint(bad).unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
                "{bad}"
            );
        }
    }

    #[test]
    fn links_must_keep_scheme_host_and_port() {
        let endpoint = parse_endpoint("https://management.azure.com").unwrap();
        let ok = resolve_trusted(&endpoint, "https://management.azure.com:443/x?y=1").unwrap();
        assert_eq!(ok.as_str(), "https://management.azure.com/x?y=1");
        assert!(resolve_trusted(&endpoint, "/relative/path").is_ok());
        for bad in [
            "http://management.azure.com/x",
            "https://management.azure.com:8443/x",
            "https://evil.com/x",
            "https://management.azure.com.evil.com/x",
            "//evil.com/x",
            "https://user@management.azure.com/x",
        ] {
            assert!(resolve_trusted(&endpoint, bad).is_err(), "{bad}");
        }
    }
}
