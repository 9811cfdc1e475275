//! The requests a probe makes, built so they cannot be turned against the user: the
//! connection is pinned to the addresses the guard checked, redirects are never followed,
//! TLS is verified, no proxy is used (a proxy would resolve the host again), the token
//! travels only in the POST body, the answer is read up to a cap, and the whole exchange of
//! one probe (every request, connect, headers and body) ends by one deadline.

use super::binding::Target;
use super::guard::{self, Allowance};
use std::io::Read;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// Largest answer read; a bigger one is not a site_info answer.
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// Connect timeout (the total timeout is `--probe-timeout`).
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The function a probe calls to learn who and what: read-only, and allowed to every token
/// of a service that has it.
pub const PROBE_FUNCTION: &str = "core_webservice_get_site_info";

/// One call to `webservice/rest/server.php`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// The token and no `wsfunction`: Moodle checks the token (existence, expiry, address,
    /// user, maintenance) and then refuses the missing function name with
    /// `invalidparameter`, so nothing runs (webservice/lib.php, `webservice_base_server::run`:
    /// `authenticate_user()` before `load_function_info()`).
    Liveness,
    /// `core_webservice_get_site_info`: who the token acts as and what it may call.
    SiteInfo,
}

/// What came back.
#[derive(Debug, Clone, Default)]
pub struct HttpAnswer {
    pub status: u16,
    pub content_type: Option<String>,
    /// The `Location` header of a redirect.
    pub location: Option<String>,
    /// At most [`MAX_RESPONSE_BYTES`].
    pub body: Vec<u8>,
    /// The body was longer than the cap (the rest was never read).
    pub oversize: bool,
}

/// Why no answer came: the probe could not reach the site or was not allowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    /// The guard refused the addresses.
    Refused(String),
    /// DNS, connect, TLS or timeout.
    Unreachable(String),
}

/// One probe's connection to one site: the addresses checked once, one client, one deadline.
pub struct Session<'a> {
    target: &'a Target,
    client: reqwest::blocking::Client,
    deadline: Instant,
}

impl<'a> Session<'a> {
    /// Resolves, checks and pins the target's addresses; every call of the session must end
    /// within `timeout` of now (`--probe-timeout`).
    ///
    /// Errors: [`NoAnswer::Refused`] when the guard refuses an address, [`NoAnswer::Unreachable`]
    /// when the name does not resolve or the client cannot be built.
    pub fn open(
        target: &'a Target,
        allow_internal: bool,
        timeout: Duration,
    ) -> Result<Session<'a>, NoAnswer> {
        let deadline = Instant::now() + timeout;
        let addrs = guard::resolve(&target.host, target.port).map_err(NoAnswer::Unreachable)?;
        guard::check(
            &addrs,
            Allowance {
                allow_internal,
                intended: target.intended,
            },
        )
        .map_err(NoAnswer::Refused)?;
        Session::pinned(target, &addrs, deadline)
    }

    /// A session that connects to `addrs` only: the host name is used for the Host header,
    /// SNI and certificate checks, never looked up again.
    fn pinned(
        target: &'a Target,
        addrs: &[SocketAddr],
        deadline: Instant,
    ) -> Result<Session<'a>, NoAnswer> {
        let left = deadline.saturating_duration_since(Instant::now());
        let client = build_client(target, addrs, left)
            .map_err(|_| NoAnswer::Unreachable("cannot build the request".into()))?;
        Ok(Session {
            target,
            client,
            deadline,
        })
    }

    /// Posts one call with `token` in the form body, within what is left of the deadline.
    pub fn post(&self, token: &str, call: Call) -> Result<HttpAnswer, NoAnswer> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(NoAnswer::Unreachable("timeout".into()));
        }
        let mut form = vec![("wstoken", token)];
        if call == Call::SiteInfo {
            form.push(("wsfunction", PROBE_FUNCTION));
        }
        form.push(("moodlewsrestformat", "json"));
        // A request timeout is a total deadline in reqwest (connect to the end of the body);
        // the client's own timeout applies to each read of a blocking body, which a server
        // sending a byte at a time would keep alive forever.
        let response = self
            .client
            .post(self.target.endpoint.clone())
            .timeout(left)
            .form(&form)
            .send()
            .map_err(|e| NoAnswer::Unreachable(describe(&e, token)))?;
        let status = response.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let location = header(reqwest::header::LOCATION);
        let mut body = Vec::new();
        let read = response.take(MAX_RESPONSE_BYTES + 1).read_to_end(&mut body);
        let late = Instant::now() >= self.deadline;
        if let Err(e) = read {
            return Err(NoAnswer::Unreachable(read_error(&e, late, token)));
        }
        if late {
            return Err(NoAnswer::Unreachable(
                "timeout while reading the answer".into(),
            ));
        }
        let oversize = body.len() as u64 > MAX_RESPONSE_BYTES;
        body.truncate(MAX_RESPONSE_BYTES as usize);
        Ok(HttpAnswer {
            status,
            content_type,
            location,
            body,
            oversize,
        })
    }
}

fn build_client(
    target: &Target,
    addrs: &[SocketAddr],
    timeout: Duration,
) -> reqwest::Result<reqwest::blocking::Client> {
    let mut builder = reqwest::blocking::Client::builder()
        .user_agent(concat!("moodleleaks/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .connect_timeout(CONNECT_TIMEOUT.min(timeout))
        .timeout(timeout)
        .https_only(target.endpoint.scheme() == "https");
    if target.host.parse::<std::net::IpAddr>().is_err() {
        // A name is looked up by us once; reqwest connects to exactly those addresses.
        builder = builder.resolve_to_addrs(&target.host, addrs);
    }
    builder.build()
}

/// A one-line reason for a failed request, without the URL (it has no token, but nothing
/// that leaves this module should be able to carry one) and scrubbed of the token anyway.
fn describe(err: &reqwest::Error, token: &str) -> String {
    let kind = if err.is_timeout() {
        "timeout"
    } else if err.is_connect() {
        "cannot connect"
    } else if err.is_builder() {
        "cannot build the request"
    } else {
        "request failed"
    };
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    let reason = match causes.last() {
        Some(root) if !err.is_timeout() => format!("{kind}: {root}"),
        _ => kind.to_string(),
    };
    super::scrub(&reason, token)
}

fn read_error(err: &std::io::Error, late: bool, token: &str) -> String {
    let text = if late || err.to_string().to_ascii_lowercase().contains("timed out") {
        "timeout while reading the answer".to_string()
    } else {
        format!("answer cut off: {}", err.kind())
    };
    super::scrub(&text, token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::binding::TargetPolicy;

    #[test]
    fn the_connection_goes_to_the_checked_address_and_never_to_dns() {
        let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
        let port = server.server_addr().to_ip().unwrap().port();
        let handle = std::thread::spawn(move || {
            let req = server.recv().unwrap();
            let host = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("Host"))
                .map(|h| h.value.to_string());
            req.respond(tiny_http::Response::from_string("{}")).unwrap();
            host
        });
        // `.invalid` never resolves: reaching the server proves reqwest used our address.
        let policy = TargetPolicy {
            allow_http: true,
            ..Default::default()
        };
        let target = policy
            .explicit(&format!("http://moodle.pinned.invalid:{port}"))
            .unwrap();
        let addrs = [SocketAddr::from(([127, 0, 0, 1], port))];
        let session =
            Session::pinned(&target, &addrs, Instant::now() + Duration::from_secs(5)).unwrap();
        let answer = session
            .post(
                "0123456789abcdef0123456789abcdef", // moodleleaks:allow
                Call::Liveness,
            )
            .unwrap();
        assert_eq!(answer.status, 200);
        assert_eq!(
            handle.join().unwrap().as_deref(),
            Some(format!("moodle.pinned.invalid:{port}").as_str())
        );
        assert!(guard::resolve("moodle.pinned.invalid", port).is_err());
    }
}
