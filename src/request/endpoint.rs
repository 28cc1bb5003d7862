//! Where a request goes (the URL) and which host it is signed for.
//!
//! An endpoint is `http(s)://host[:port][/path]`: Tencent's public, international, regional and
//! finance-region domains, or a local emulator or proxy. API 3.0's canonical URI is always `/`, so
//! a path is a proxy's prefix and is never signed; the signed host is the URL's unless the caller
//! names another (a proxy that forwards to the real domain).

use crate::input::error::{ValidationCode, ValidationError};

/// The default endpoint: the public CVM domain, served from the nearest region.
pub const DEFAULT_ENDPOINT: &str = "https://cvm.tencentcloudapi.com";

/// Longest endpoint accepted (browsers and servers commonly cap a URL near this).
pub const MAX_ENDPOINT_BYTES: usize = 2048;

/// A parsed endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The URL requests are sent to, ending in the path (at least `/`), without a query.
    pub url: String,
    /// The host as a client sends it in `Host`: lower-case, the port only when not the scheme's
    /// default.
    pub host: String,
}

impl Endpoint {
    /// Parses `http(s)://host[:port][/path]`; `field` names the option in errors.
    pub fn parse(value: &str, field: &str) -> Result<Self, ValidationError> {
        // Option values are never echoed back: one may be a secret put in the wrong place, or a
        // URL with a password.
        let bad = |why: &str| {
            ValidationError::new(
                field,
                ValidationCode::InvalidParameterValue,
                format!("{field} must look like https://host[:port][/path] ({why})"),
            )
        };
        // A URL no server would take; kept this short, a client's endpoint (held in wasm for the
        // client's life) cannot grow the module's memory unseen by the garbage collector.
        if value.len() > MAX_ENDPOINT_BYTES {
            return Err(bad("at most 2048 bytes"));
        }
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(value, "https://") {
            ("https", rest)
        } else if let Some(rest) = strip_prefix_ignore_case(value, "http://") {
            ("http", rest)
        } else if value.starts_with('/') && !value.starts_with("//") {
            // A page's relative path ("/cvm"): the browser entries resolve it against `location`;
            // elsewhere there is no page to resolve it against.
            return Err(bad(
                "a path such as /cvm is resolved against the page's location only in a browser; here give the whole URL, or in a web console use the console handler's ConsoleClient",
            ));
        } else {
            return Err(bad("the scheme must be http or https"));
        };
        if rest.contains(['?', '#']) {
            return Err(bad("no query or fragment"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, "/"),
        };
        if authority.contains('@') {
            return Err(bad("no user name or password"));
        }
        if path
            .bytes()
            .any(|b| b <= b' ' || b >= 0x7f || b == b'\\' || b == b'%')
        {
            return Err(bad(
                "the path must be plain ASCII without spaces or escapes",
            ));
        }
        let authority = authority.to_ascii_lowercase();
        crate::sign::check_host(field, &authority)?;
        let default_port = if scheme == "https" { ":443" } else { ":80" };
        let host = authority
            .strip_suffix(default_port)
            .unwrap_or(&authority)
            .to_owned();
        Ok(Self {
            url: format!("{scheme}://{authority}{path}"),
            host,
        })
    }
}

fn strip_prefix_ignore_case<'a>(value: &'a str, prefix: &str) -> Option<&'a str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &str) -> Result<Endpoint, ValidationError> {
        Endpoint::parse(v, "endpoint")
    }

    #[test]
    fn an_endpoint_longer_than_2048_bytes_is_refused() {
        let base = "https://cvm.example.com/";
        let at_limit = format!("{base}{}", "a".repeat(MAX_ENDPOINT_BYTES - base.len()));
        assert!(parse(&at_limit).is_ok());
        let e = parse(&format!("{at_limit}a")).unwrap_err();
        assert!(e.to_string().contains("at most 2048 bytes"), "{e}");
    }

    #[test]
    fn public_and_regional_domains() {
        let e = parse(DEFAULT_ENDPOINT).unwrap();
        assert_eq!(e.url, "https://cvm.tencentcloudapi.com/");
        assert_eq!(e.host, "cvm.tencentcloudapi.com");
        let e = parse("https://cvm.ap-shanghai-fsi.tencentcloudapi.com/").unwrap();
        assert_eq!(e.host, "cvm.ap-shanghai-fsi.tencentcloudapi.com");
    }

    #[test]
    fn local_emulator_with_port_and_prefix() {
        let e = parse("http://127.0.0.1:8080/emulator").unwrap();
        assert_eq!(e.url, "http://127.0.0.1:8080/emulator");
        assert_eq!(e.host, "127.0.0.1:8080");
        let e = parse("HTTP://[::1]:9000").unwrap();
        assert_eq!(e.url, "http://[::1]:9000/");
        assert_eq!(e.host, "[::1]:9000");
    }

    #[test]
    fn default_ports_are_not_signed() {
        assert_eq!(
            parse("https://Cvm.TencentCloudAPI.com:443").unwrap().host,
            "cvm.tencentcloudapi.com"
        );
        assert_eq!(parse("http://localhost:80/x").unwrap().host, "localhost");
        assert_eq!(
            parse("http://localhost:443/").unwrap().host,
            "localhost:443"
        );
    }

    #[test]
    fn a_relative_path_says_where_it_resolves() {
        let e = parse("/cvm").unwrap_err();
        assert!(e.message().contains("location only in a browser"), "{e}");
        let e = parse("//evil.example/cvm").unwrap_err();
        assert!(e.message().contains("scheme"), "{e}");
    }

    #[test]
    fn rejects_what_is_not_an_endpoint() {
        let e = parse("https://user:hunter2@host/").unwrap_err();
        assert!(!e.message().contains("hunter2"), "{e}");
        for bad in [
            "",
            "cvm.tencentcloudapi.com",
            "ftp://x",
            "https://",
            "https://u:p@host/",
            "https://host/?a=1",
            "https://host/#x",
            "https://ho st/",
            "https://host:0/",
            "https://host:99999/",
            "https://host:/",
            "https://host/a b",
            "javascript:alert(1)",
        ] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.field(), "endpoint", "{bad}");
            assert_eq!(err.code(), ValidationCode::InvalidParameterValue, "{bad}");
        }
    }
}
