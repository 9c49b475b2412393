//! Token containment: the bearer token goes to the configured endpoint only. A `Location` or
//! redirect naming another host is not followed with it, and the token appears in no `Debug`,
//! `Display`, error message or `tracing` output, even at TRACE level.

use std::io::Write;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use azrm_cosmosdb::{Client, ErrorKind, RetryOptions, StaticTokenCredential};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::Secret;
use serde_json::json;

const TOKEN: &str = "token-that-must-not-leak-7f3a";
const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

fn client(base: &str) -> Client {
    Client::builder(SUBSCRIPTION)
        .endpoint(base)
        .credential(StaticTokenCredential::new(TOKEN))
        .retry(
            RetryOptions::new()
                .max_retries(1)
                .initial_delay(Duration::from_millis(1)),
        )
        .poll_interval(Duration::ZERO)
        .build()
        .expect("client")
}

/// A server on another loopback address that records whatever reaches it.
async fn elsewhere() -> LocalEndpoint {
    let server = LocalEndpoint::builder(&[], "")
        .ip(Ipv4Addr::new(127, 0, 0, 2))
        .start()
        .await
        .expect("second server");
    server.on_any(|_, _| FakeResponse::json(200, &json!({"status": "Succeeded"})));
    server
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    captured_trace();
    let other = elsewhere().await;
    let target = format!("{}/stolen", other.http_url());
    let server =
        LocalEndpoint::stub(move |_, _| FakeResponse::status(307).with_header("location", &target))
            .await
            .expect("server");
    let error = client(&server.http_url())
        .database_accounts()
        .get("rg", "acct", None)
        .await
        .expect_err("a redirect is not a success");
    assert_eq!(error.status(), Some(307), "{error:?}");
    assert!(other.requests().is_empty(), "{:?}", other.requests());
    assert_eq!(server.requests().len(), 1);
}

/// A caller's own HTTP client may follow redirects (reqwest's default policy): the request then
/// reaches the other host, but reqwest strips `Authorization` when the host changes, so the token
/// still stays with the endpoint.
#[tokio::test]
async fn a_callers_http_client_that_follows_redirects_does_not_carry_the_token_across_hosts() {
    captured_trace();
    let other = elsewhere().await;
    let target = format!("{}/stolen", other.http_url());
    let server =
        LocalEndpoint::stub(move |_, _| FakeResponse::status(307).with_header("location", &target))
            .await
            .expect("server");
    // Fails only if a provider is installed already, which reqwest then uses.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let following = reqwest::Client::builder()
        .build()
        .expect("an HTTP client with reqwest's default redirect policy");
    let client = Client::builder(SUBSCRIPTION)
        .endpoint(server.http_url())
        .credential(StaticTokenCredential::new(TOKEN))
        .http_client(following)
        .build()
        .expect("client");
    // The other host answers a body that is no account; whatever the outcome, what matters is
    // what reached it.
    let _ = client.database_accounts().get("rg", "acct", None).await;
    let reached = other.requests();
    assert_eq!(reached.len(), 1, "the redirect was followed: {reached:?}");
    assert_eq!(
        reached[0].authorization.as_ref().map(Secret::expose),
        None,
        "{reached:?}"
    );
    assert!(
        server.requests()[0]
            .authorization
            .as_ref()
            .map(Secret::expose)
            .is_some_and(|value| value.contains(TOKEN)),
        "the endpoint itself got the token"
    );
}

#[tokio::test]
async fn a_location_header_on_another_host_gets_no_request() {
    captured_trace();
    let other = elsewhere().await;
    let location = format!("{}/operationResults/1", other.http_url());
    let server = LocalEndpoint::stub(move |_, _| {
        FakeResponse::status(202)
            .with_header("location", &location)
            .with_header("retry-after", "0")
    })
    .await
    .expect("server");
    let outcome = match client(&server.http_url())
        .database_accounts()
        .begin_delete("rg", "acct", None)
        .await
    {
        Ok(poller) => poller.await,
        Err(error) => Err(error),
    };
    let error = outcome.expect_err("an untrusted polling URL ends the operation");
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error:?}"
    );
    assert!(other.requests().is_empty(), "{:?}", other.requests());
}

/// A `tracing` writer that keeps everything written, for grepping.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Everything `tracing` emits in this test binary at TRACE level, from the first call on. A
/// global subscriber (not a per-thread one) so that no event is missed because another test
/// thread reached a callsite first.
fn captured_trace() -> &'static Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        captured
    })
}

#[tokio::test]
async fn the_token_is_in_no_debug_display_error_or_trace_output() {
    let captured = captured_trace();
    let server = LocalEndpoint::stub(|request, _| {
        if request.path().ends_with("/missing") {
            FakeResponse::json(
                404,
                &json!({"error": {"code": "ResourceNotFound", "message": "gone"}}),
            )
        } else {
            FakeResponse::status(503)
        }
    })
    .await
    .expect("server");
    let client = client(&server.http_url());
    let not_found = client
        .database_accounts()
        .get("rg", "missing", None)
        .await
        .expect_err("404");
    let unavailable = client
        .database_accounts()
        .get("rg", "other", None)
        .await
        .expect_err("503 after retries");
    let pager = client.database_accounts().list(None);

    // The token did go to the endpoint: the check below is not vacuous.
    let sent = server.requests();
    assert!(
        sent.iter()
            .all(|r| r.authorization.as_ref().map(Secret::expose)
                == Some(&format!("Bearer {TOKEN}"))),
        "{sent:?}"
    );
    let trace = String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned();
    assert!(
        trace.contains("DatabaseAccounts_Get"),
        "tracing captured nothing: {trace}"
    );
    let outputs = [
        ("client Debug", format!("{client:?}")),
        ("404 Debug", format!("{not_found:?}")),
        ("404 Display", not_found.to_string()),
        ("503 Debug", format!("{unavailable:?}")),
        ("503 Display", unavailable.to_string()),
        ("pager Debug", format!("{pager:?}")),
        (
            "credential Debug",
            format!("{:?}", StaticTokenCredential::new(TOKEN)),
        ),
        ("trace", trace),
    ];
    for (what, text) in outputs {
        assert!(!text.contains(TOKEN), "{what} shows the token: {text}");
    }
}
