//! The error catalogue: DeleteImages' codes, every common code (reference §5) and this package's
//! client-side codes, each with a short description and whether a retry can help.

/// One catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The code as Tencent spells it.
    pub code: &'static str,
    /// A short description.
    pub description: &'static str,
    /// Whether retrying (with backoff) can help.
    pub retryable: bool,
}

/// What the package knows of an error code, as `describeError(code)` gives it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ErrorDescription {
    /// The code asked about.
    pub code: String,
    /// A short description; empty for unknown codes.
    pub description: &'static str,
    /// Whether retrying (with backoff) can help.
    pub retryable: bool,
    /// True for codes this package knows (DeleteImages' own, the common ones and its own
    /// `ClientError.*`).
    pub known: bool,
}

/// The catalogue's entry for `code`, known or not.
#[cfg_attr(cvm_size, optimize(size))]
pub fn describe(code: &str) -> ErrorDescription {
    let info = lookup(code);
    ErrorDescription {
        code: code.to_owned(),
        description: info.map_or("", |i| i.description),
        retryable: info.is_some_and(|i| i.retryable),
        known: is_known(code),
    }
}

/// Could the server have applied a request that ended with `code`, although no usable answer
/// came back? A delete that was applied but whose answer was lost makes the next attempt fail
/// with `InvalidImageId.NotFound`, so the client and the CLI's bulk mode must know. `not_sent`:
/// the connection error proves nothing reached a server. A redirect (`ClientError.Redirect`) is
/// not unknown: what answered a 3xx answered instead of acting (the API never redirects), and the
/// package never follows one, so no API server got the request from it.
#[cfg_attr(cvm_size, optimize(size))]
pub fn outcome_unknown(code: &str, http_status: u16, not_sent: bool) -> bool {
    match code {
        client_codes::NETWORK => !not_sent,
        client_codes::TIMEOUT
        | client_codes::INVALID_RESPONSE
        | client_codes::ABORTED
        | "InternalError" => true,
        client_codes::HTTP_STATUS => http_status >= 500,
        _ => false,
    }
}

/// Does `code` say the credentials themselves were refused because they changed (a temporary key
/// expired or was rotated)? The server refused before acting, so a client whose credentials come
/// from a provider may fetch new ones and send the same request once more.
#[cfg_attr(cvm_size, optimize(size))]
pub fn credentials_rejected(code: &str) -> bool {
    listed(
        &["AuthFailure.TokenFailure", "AuthFailure.SecretIdNotFound"],
        code,
    )
}

/// The HTTP status a console server handler answers a failed call with (the package's
/// `consoleHandler`): 4xx when the call or its caller is at fault, 5xx when the server's side or
/// what is behind it is — the server's own key refused (`AuthFailure…`) is the server's fault,
/// not the page's.
#[cfg_attr(cvm_size, optimize(size))]
pub fn console_status(code: &str) -> u16 {
    let family = code.split_once('.').map_or(code, |(f, _)| f);
    match code {
        client_codes::TIMEOUT => return 504,
        client_codes::CREDENTIALS => return 503,
        "AuthFailure.UnauthorizedOperation" => return 403,
        _ => {}
    }
    if code.starts_with(client_codes::RESERVED_PREFIX) {
        return 502;
    }
    if code.ends_with(".NotFound") || family == "ResourceNotFound" {
        return 404;
    }
    match family {
        "UnauthorizedOperation" | "IpInBlacklist" | "IpNotInWhitelist" => 403,
        "RequestLimitExceeded" => 429,
        "MutexOperation" | "ResourceInUse" => 409,
        "InvalidImageId" if code.ends_with(".IncorrectState") || code.ends_with(".InShared") => 409,
        "InvalidParameter"
        | "InvalidParameterValue"
        | "MissingParameter"
        | "UnknownParameter"
        | "InvalidImageId"
        | "InvalidFilter"
        | "InvalidAction"
        | "UnsupportedRegion"
        | "RequestSizeLimitExceeded"
        | "LimitExceeded"
        | "DryRunOperation" => 400,
        "ServiceUnavailable" | "ResourceUnavailable" | "ResourceInsufficient" => 503,
        "FailedOperation" | "UnsupportedOperation" => 422,
        _ => 502,
    }
}

/// What to add to an `AuthFailure.SignatureFailure` message when the request went through
/// something that is not Tencent's API: `signed_host` is the host the request was signed for,
/// `url_host` the one of the URL it was sent to. A proxy that sends it on with another Host (or
/// a signature made for the proxy's own host) fails every time, whatever the key.
#[cfg_attr(cvm_size, optimize(size))]
pub fn signature_hint(code: &str, signed_host: &str, url_host: &str) -> Option<String> {
    if code != "AuthFailure.SignatureFailure" {
        return None;
    }
    if !signed_host.eq_ignore_ascii_case(url_host) {
        return Some(format!(
            "the request was signed for host {signed_host} but sent to {url_host}: the proxy at {url_host} must send it upstream with Host {signed_host} (set the `host` option to the upstream host it reaches), or use the console handler"
        ));
    }
    let name = url_host.rsplit_once(':').map_or(url_host, |(h, _)| h);
    if name.ends_with(".tencentcloudapi.com") {
        return None;
    }
    Some(format!(
        "the request was signed for host {url_host}; if a proxy there sends it on to another host (a dev server's changeOrigin), set the `host` option to the upstream host, or use the console handler"
    ))
}

/// How the CLI's bulk mode treats a refused DeleteImages call of many ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchAdvice {
    /// The code blames one (unnamed) id of the call, or the call's size: splitting lets the
    /// other ids through.
    pub split: bool,
    /// DescribeImages can explain it (an id that does not exist, or is busy): look the ids up
    /// before splitting.
    pub look_up: bool,
    /// The server would refuse the images every time: the call deleted nothing.
    pub refused: bool,
    /// No later call can succeed (credentials, permissions, region): stop.
    pub stop: bool,
    /// The image is shared with other accounts: the API keeps it by rule (not a failure of the
    /// caller's, e.g. for `tccvm prune-images`).
    pub shared: bool,
}

/// The bulk mode's reading of `code` (DeleteImages page, reference §6, and the common codes).
#[cfg_attr(cvm_size, optimize(size))]
pub fn batch_advice(code: &str) -> BatchAdvice {
    const SPLIT: &[&str] = &[
        "InvalidImageId.NotFound",
        "InvalidImageId.IncorrectState",
        "InvalidImageId.InShared",
        "InvalidImageId.Malformed",
        "InvalidParameterValue.InvalidImageId",
        "InvalidParameterValue.InvalidImageIdIsShared",
        "InvalidParameterValue.LimitExceeded",
    ];
    const LOOK_UP: &[&str] = &[
        "InvalidImageId.NotFound",
        "InvalidImageId.IncorrectState",
        "InvalidParameterValue.InvalidImageId",
    ];
    const REFUSED: &[&str] = &[
        "InvalidImageId.IncorrectState",
        "InvalidImageId.InShared",
        "InvalidImageId.Malformed",
    ];
    const SHARED: &[&str] = &[
        "InvalidImageId.InShared",
        "InvalidParameterValue.InvalidImageIdIsShared",
    ];
    const STOP_PREFIXES: &[&str] = &[
        "AuthFailure",
        "UnauthorizedOperation",
        "InvalidAction",
        "UnsupportedRegion",
        "NoSuch",
        "IpInBlacklist",
        "IpNotInWhitelist",
        // The endpoint redirects (a misconfigured or hostile one): every call would be refused
        // the same way, and each one hands a signed request to that server.
        client_codes::REDIRECT,
    ];
    BatchAdvice {
        split: listed(SPLIT, code),
        look_up: listed(LOOK_UP, code),
        refused: listed(REFUSED, code),
        stop: STOP_PREFIXES.iter().any(|p| code.starts_with(p)),
        shared: listed(SHARED, code),
    }
}

/// `list.contains(&code)`, out of line: inlined (or as `matches!`), LLVM unrolls each constant
/// list into inline compares of every string (0.7 KB of .wasm in `batch_advice`, 0.75 KB in
/// `credentials_rejected`).
#[inline(never)]
#[cfg_attr(cvm_size, optimize(size))]
fn listed(list: &[&str], code: &str) -> bool {
    list.contains(&code)
}

/// Image states in which DeleteImages refuses an image (`InvalidImageId.IncorrectState`).
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_busy_image_state(state: &str) -> bool {
    listed(&["CREATING", "SYNCING", "IMPORTING", "USING"], state)
}

#[cfg_attr(cvm_size, optimize(size))]
const fn e(code: &'static str, description: &'static str, retryable: bool) -> ErrorInfo {
    ErrorInfo {
        code,
        description,
        retryable,
    }
}

/// Codes this package produces itself, when no Tencent envelope was received.
pub mod client_codes {
    /// What every code of this package starts with; an envelope carrying one is not the
    /// server's to send (response::decode reads it as an invalid response).
    pub const RESERVED_PREFIX: &str = "ClientError.";
    /// The body is not a Tencent Cloud API envelope (HTML, empty, truncated JSON).
    pub const INVALID_RESPONSE: &str = "ClientError.InvalidResponse";
    /// A non-2xx HTTP status without a Tencent envelope.
    pub const HTTP_STATUS: &str = "ClientError.HttpStatus";
    /// The request could not be sent or its answer was lost (connection refused or reset).
    pub const NETWORK: &str = "ClientError.Network";
    /// No answer within the time allowed.
    pub const TIMEOUT: &str = "ClientError.Timeout";
    /// The caller aborted the call.
    pub const ABORTED: &str = "ClientError.Aborted";
    /// The credentials provider failed or answered something unusable; nothing was sent.
    pub const CREDENTIALS: &str = "ClientError.Credentials";
    /// The answer is a redirect (HTTP 3xx, or a browser's opaque redirect: status 0), which is
    /// never followed: a signed request goes to the host it was signed for or nowhere. Not
    /// retryable (the same endpoint redirects again), and not an unknown outcome (see
    /// [`super::outcome_unknown`]).
    pub const REDIRECT: &str = "ClientError.Redirect";
}

/// The codes the JavaScript layer acts on or raises by name (the client, the console, the CLI's
/// bulk mode), handed to it in `constants()` as `ERROR_CODES`, so that no JavaScript file spells
/// a code of its own.
#[derive(Debug, Clone, Copy, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedCodes {
    /// [`client_codes::NETWORK`].
    pub network: &'static str,
    /// [`client_codes::TIMEOUT`].
    pub timeout: &'static str,
    /// [`client_codes::ABORTED`].
    pub aborted: &'static str,
    /// [`client_codes::CREDENTIALS`].
    pub credentials: &'static str,
    /// [`client_codes::INVALID_RESPONSE`].
    pub invalid_response: &'static str,
    /// [`client_codes::REDIRECT`].
    pub redirect: &'static str,
    /// The clock-skew refusal: the client re-signs once with the server's clock.
    pub signature_expire: &'static str,
    /// What a retried delete gets when an earlier attempt was applied.
    pub image_not_found: &'static str,
    /// An image DeleteImages refuses in its state (see [`is_busy_image_state`]).
    pub image_incorrect_state: &'static str,
    /// An image DeleteImages refuses because it is shared with other accounts.
    pub image_in_shared: &'static str,
    /// A malformed Authorization header (the console refuses unsigned forwards with it).
    pub invalid_authorization: &'static str,
}

/// See [`NamedCodes`]; every one is in [`CATALOGUE`] (a test checks).
pub const NAMED_CODES: NamedCodes = NamedCodes {
    network: client_codes::NETWORK,
    timeout: client_codes::TIMEOUT,
    aborted: client_codes::ABORTED,
    credentials: client_codes::CREDENTIALS,
    invalid_response: client_codes::INVALID_RESPONSE,
    redirect: client_codes::REDIRECT,
    signature_expire: "AuthFailure.SignatureExpire",
    image_not_found: "InvalidImageId.NotFound",
    image_incorrect_state: "InvalidImageId.IncorrectState",
    image_in_shared: "InvalidImageId.InShared",
    invalid_authorization: "AuthFailure.InvalidAuthorization",
};

/// The catalogue, sorted by code (binary search).
pub const CATALOGUE: &[ErrorInfo] = &[
    e("ActionOffline", "the API has been taken offline", false),
    e("AuthFailure", "authentication failed", false),
    e("AuthFailure.InvalidAuthorization", "the Authorization header is invalid", false),
    e("AuthFailure.InvalidSecretId", "the SecretId is not an API key", false),
    e("AuthFailure.MFAFailure", "multi-factor authentication failed", false),
    e("AuthFailure.SecretIdNotFound", "the SecretId does not exist, is disabled, or was copied wrongly", false),
    e("AuthFailure.SignatureExpire", "the signature expired: the timestamp is more than 5 minutes from server time (check the clock)", false),
    e("AuthFailure.SignatureFailure", "the signature does not match: wrong SecretKey or a request changed after signing", false),
    e("AuthFailure.TokenFailure", "the session token is invalid or expired", false),
    e("AuthFailure.UnauthorizedOperation", "the key is not authorized for this operation (CAM)", false),
    e(client_codes::ABORTED, "the call was aborted by the caller", false),
    e(client_codes::CREDENTIALS, "the credentials provider failed or answered unusable credentials; nothing was sent", false),
    e(client_codes::HTTP_STATUS, "the server answered an HTTP error status without a Tencent Cloud API response", false),
    e(client_codes::INVALID_RESPONSE, "the response is not a Tencent Cloud API response (HTML, empty or truncated body)", true),
    e(client_codes::NETWORK, "the request could not be sent or its answer was lost", true),
    e(client_codes::REDIRECT, "the server answered a redirect, which is not followed: a signed request goes only to the host it was signed for (check the endpoint); the API did not act on it", false),
    e(client_codes::TIMEOUT, "no answer arrived in time", true),
    e("DryRunOperation", "the request would have succeeded; DryRun was set", false),
    e("FailedOperation", "the operation failed", false),
    e("InternalError", "an internal error occurred on the server", true),
    e("InvalidAction", "the API (action) does not exist", false),
    e("InvalidImageId.InShared", "the image is shared and cannot be deleted", false),
    e("InvalidImageId.IncorrectState", "the image is in a state that does not allow deletion (e.g. CREATING, SYNCING, IMPORTING)", false),
    e("InvalidImageId.Malformed", "the image id is malformed", false),
    e("InvalidImageId.NotFound", "the image does not exist", false),
    e("InvalidParameter", "a parameter has the wrong format or type", false),
    e("InvalidParameterValue", "a parameter has an invalid value", false),
    e("InvalidParameterValue.InvalidAppIdFormat", "the AppID is invalid", false),
    e("InvalidParameterValue.InvalidImageId", "the image does not support this operation", false),
    e("InvalidParameterValue.InvalidImageIdIsShared", "the image is shared", false),
    e("InvalidParameterValue.LimitExceeded", "too many values for a parameter", false),
    e("InvalidRequest", "the multipart request body is malformed", false),
    e("IpInBlacklist", "the caller's IP address is blacklisted", false),
    e("IpNotInWhitelist", "the caller's IP address is not whitelisted", false),
    e("LimitExceeded", "a quota was exceeded", false),
    e("MissingParameter", "a required parameter is missing", false),
    e("MutexOperation.TaskRunning", "an identical job is running; try again later", true),
    e("NoSuchProduct", "the product does not exist", false),
    e("NoSuchVersion", "the API version does not exist", false),
    e("RequestLimitExceeded", "too many requests: the rate limit was exceeded", true),
    e("RequestLimitExceeded.GlobalRegionUinLimitExceeded", "too many requests for this account across regions", true),
    e("RequestLimitExceeded.IPLimitExceeded", "too many requests from this IP address", true),
    e("RequestLimitExceeded.UinLimitExceeded", "too many requests for this account", true),
    e("RequestSizeLimitExceeded", "the request is too large (GET 32 KB, POST 10 MB)", false),
    e("ResourceInUse", "the resource is in use", false),
    e("ResourceInsufficient", "insufficient resources", false),
    e("ResourceNotFound", "the resource does not exist", false),
    e("ResourceUnavailable", "the resource is unavailable", false),
    e("ResponseSizeLimitExceeded", "the response is too large", false),
    e("ServiceUnavailable", "the service is temporarily unavailable", true),
    e("UnauthorizedOperation", "the operation is not authorized", false),
    e("UnknownParameter", "an undefined parameter was passed", false),
    e("UnsupportedOperation", "the operation is not supported", false),
    e("UnsupportedProtocol", "the protocol is not supported (use HTTPS)", false),
    e("UnsupportedRegion", "the API is not supported in this region", false),
];

/// Looks a code up: exactly, else by its family (the part before the first `.`), so
/// `RequestLimitExceeded.Foo` is still a retryable rate limit. `None` for unknown codes.
#[cfg_attr(cvm_size, optimize(size))]
pub fn lookup(code: &str) -> Option<ErrorInfo> {
    if let Ok(i) = CATALOGUE.binary_search_by(|e| e.code.cmp(code)) {
        return CATALOGUE.get(i).copied();
    }
    let family = code.split_once('.')?.0;
    let i = CATALOGUE.binary_search_by(|e| e.code.cmp(family)).ok()?;
    CATALOGUE.get(i).copied()
}

/// Every code in the catalogue, sorted: the package's `KnownErrorCode` type is made of them at
/// build time (and `KNOWN_ERROR_CODES` lists them at runtime).
#[cfg_attr(cvm_size, optimize(size))]
pub fn known_codes() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().map(|e| e.code)
}

/// True when the code (exactly) is in the catalogue.
#[cfg_attr(cvm_size, optimize(size))]
pub fn is_known(code: &str) -> bool {
    CATALOGUE.binary_search_by(|e| e.code.cmp(code)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_statuses_fit_the_error() {
        for (code, status) in [
            ("InvalidImageId.NotFound", 404),
            ("InvalidImageId.Malformed", 400),
            ("InvalidImageId.IncorrectState", 409),
            ("InvalidParameterValue.LimitExceeded", 400),
            ("UnauthorizedOperation", 403),
            ("UnauthorizedOperation.Whatever", 403),
            ("AuthFailure.UnauthorizedOperation", 403),
            ("AuthFailure.SignatureFailure", 502),
            ("RequestLimitExceeded.UinLimitExceeded", 429),
            ("MutexOperation.TaskRunning", 409),
            ("InternalError", 502),
            ("ServiceUnavailable", 503),
            (client_codes::TIMEOUT, 504),
            (client_codes::NETWORK, 502),
            (client_codes::CREDENTIALS, 503),
            (client_codes::REDIRECT, 502),
            ("SomethingNew", 502),
        ] {
            assert_eq!(console_status(code), status, "{code}");
        }
    }

    #[test]
    fn signature_hints_name_both_hosts_or_the_proxy() {
        let code = "AuthFailure.SignatureFailure";
        let hint = signature_hint(code, "cvm.tencentcloudapi.com", "localhost:5173").unwrap();
        assert!(hint.contains("signed for host cvm.tencentcloudapi.com but sent to localhost:5173"));
        assert!(hint.contains("`host` option") && hint.contains("console handler"));
        let same = signature_hint(code, "localhost:5173", "localhost:5173").unwrap();
        assert!(same.contains("changeOrigin"));
        assert_eq!(
            signature_hint(code, "cvm.tencentcloudapi.com", "cvm.tencentcloudapi.com"),
            None
        );
        assert_eq!(
            signature_hint("AuthFailure.SecretIdNotFound", "a", "b"),
            None
        );
    }

    #[test]
    fn batch_advice_names_the_shared_image_refusals() {
        for code in [
            "InvalidImageId.InShared",
            "InvalidParameterValue.InvalidImageIdIsShared",
        ] {
            assert!(batch_advice(code).shared, "{code}");
        }
        for code in [
            "InvalidImageId.NotFound",
            "InvalidImageId.IncorrectState",
            "",
        ] {
            assert!(!batch_advice(code).shared, "{code}");
        }
    }

    #[test]
    fn a_redirect_is_final_known_and_stops_a_batch() {
        let info = lookup(client_codes::REDIRECT).expect("in the catalogue");
        assert!(!info.retryable);
        assert!(info.description.contains("redirect"));
        assert!(is_known(client_codes::REDIRECT));
        for status in [0, 301, 307, 308] {
            assert!(!outcome_unknown(client_codes::REDIRECT, status, false));
        }
        let advice = batch_advice(client_codes::REDIRECT);
        assert!(advice.stop && !advice.split && !advice.look_up && !advice.refused);
    }

    #[test]
    fn catalogue_is_sorted_and_unique() {
        for pair in CATALOGUE.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} !< {}",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn every_deleteimages_and_common_code_is_there() {
        for code in [
            "InvalidImageId.InShared",
            "InvalidImageId.IncorrectState",
            "InvalidImageId.Malformed",
            "InvalidImageId.NotFound",
            "InvalidParameterValue.InvalidAppIdFormat",
            "InvalidParameterValue.InvalidImageId",
            "InvalidParameterValue.InvalidImageIdIsShared",
            "InvalidParameterValue.LimitExceeded",
            "MutexOperation.TaskRunning",
            "ActionOffline",
            "AuthFailure.InvalidAuthorization",
            "AuthFailure.InvalidSecretId",
            "AuthFailure.MFAFailure",
            "AuthFailure.SecretIdNotFound",
            "AuthFailure.SignatureExpire",
            "AuthFailure.SignatureFailure",
            "AuthFailure.TokenFailure",
            "AuthFailure.UnauthorizedOperation",
            "DryRunOperation",
            "FailedOperation",
            "InternalError",
            "InvalidAction",
            "InvalidParameter",
            "InvalidParameterValue",
            "InvalidRequest",
            "IpInBlacklist",
            "IpNotInWhitelist",
            "LimitExceeded",
            "MissingParameter",
            "NoSuchProduct",
            "NoSuchVersion",
            "RequestLimitExceeded",
            "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
            "RequestLimitExceeded.IPLimitExceeded",
            "RequestLimitExceeded.UinLimitExceeded",
            "RequestSizeLimitExceeded",
            "ResponseSizeLimitExceeded",
            "ResourceInUse",
            "ResourceInsufficient",
            "ResourceNotFound",
            "ResourceUnavailable",
            "ServiceUnavailable",
            "UnauthorizedOperation",
            "UnknownParameter",
            "UnsupportedOperation",
            "UnsupportedProtocol",
            "UnsupportedRegion",
        ] {
            let info = lookup(code).unwrap_or_else(|| panic!("{code} missing"));
            assert_eq!(info.code, code);
            assert!(!info.description.is_empty());
        }
    }

    #[test]
    fn retryable_is_what_the_table_says() {
        let retryable: Vec<&str> = CATALOGUE
            .iter()
            .filter(|e| e.retryable && !e.code.starts_with("ClientError"))
            .map(|e| e.code)
            .collect();
        assert_eq!(
            retryable,
            [
                "InternalError",
                "MutexOperation.TaskRunning",
                "RequestLimitExceeded",
                "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
                "RequestLimitExceeded.IPLimitExceeded",
                "RequestLimitExceeded.UinLimitExceeded",
                "ServiceUnavailable"
            ]
        );
    }

    #[test]
    fn unknown_members_of_a_family_inherit_it() {
        let info = lookup("RequestLimitExceeded.NewKind").unwrap();
        assert!(info.retryable);
        assert_eq!(info.code, "RequestLimitExceeded");
        assert!(!is_known("RequestLimitExceeded.NewKind"));
        assert!(lookup("Totally.Unknown").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn every_named_code_is_in_the_catalogue() {
        let n = NAMED_CODES;
        for code in [
            n.network,
            n.timeout,
            n.aborted,
            n.credentials,
            n.invalid_response,
            n.redirect,
            n.signature_expire,
            n.image_not_found,
            n.image_incorrect_state,
            n.image_in_shared,
            n.invalid_authorization,
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
    }
}
