//! The request path: URL building, headers, authentication, errors and retries, over real HTTP.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint, ServedRequest};
use azrm_runtime::json::{Decode, DecodeError, ValueSource, required};
use azrm_runtime::{
    Client, ErrorKind, Method, Request, RetryOptions, Secret, StaticTokenCredential,
    TokenCredential, encode_path_segment,
};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use common::{TOKEN, builder, client, get};
use serde_json::json;
use tokio::time::Instant;

#[derive(Debug, PartialEq)]
struct Account {
    name: String,
    location: String,
}

impl Decode for Account {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let (mut name, mut location) = (None, None);
        source.object("an account", &mut |key, value| {
            match key {
                "name" => name = Some(String::decode(value)?),
                "location" => location = Some(String::decode(value)?),
                _ => value.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self {
            name: required(name, "Account", "name")?,
            location: required(location, "Account", "location")?,
        })
    }
}

#[tokio::test]
async fn get_sends_auth_and_standard_headers_and_decodes_the_body() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(200, &json!({"name": "acct", "location": "westus"}))
            .with_header("x-ms-request-id", "r-1")
    })
    .await
    .unwrap();
    let response = client(&server.http_url())
        .send(get("Accounts_Get", "/test/acct"))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("X-MS-Request-Id"), Some("r-1"));
    let account: Account = response.json("Accounts_Get").unwrap();
    assert_eq!(
        account,
        Account {
            name: "acct".into(),
            location: "westus".into()
        }
    );

    let [request] = server.requests().try_into().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/test/acct?api-version=2024-01-01");
    assert_eq!(
        request.authorization.as_ref().map(Secret::expose),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let user_agent = request.header("user-agent").unwrap();
    assert!(
        user_agent.starts_with(concat!(
            "azsdk-rust-azrm-runtime/",
            env!("CARGO_PKG_VERSION"),
            " (1."
        )),
        "{user_agent}"
    );
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("content-type"), None);
    let id = request.header("x-ms-client-request-id").unwrap();
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
}

#[tokio::test]
async fn error_statuses_carry_the_arm_error_and_request_ids() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(404, &json!({"error": {"code": "ResourceNotFound", "message": "The Resource 'acct' was not found."}}),
        )
        .with_header("x-ms-request-id", "1234")
        .with_header("x-ms-correlation-request-id", "corr-9")
    })
    .await.unwrap();
    let error = client(&server.http_url())
        .send(get("DatabaseAccounts_Get", "/test/acct"))
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Http { status: 404, .. }));
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.error_code(), Some("ResourceNotFound"));
    assert_eq!(
        error.error_message(),
        Some("The Resource 'acct' was not found.")
    );
    assert_eq!(error.request_id(), Some("1234"));
    assert_eq!(error.correlation_id(), Some("corr-9"));
    assert!(error.raw_body().unwrap().starts_with(b"{\"error\""));
    assert_eq!(
        error.to_string(),
        "DatabaseAccounts_Get failed with HTTP 404 ResourceNotFound: The Resource 'acct' was not \
         found. (x-ms-request-id 1234)"
    );
}

#[tokio::test(start_paused = true)]
async fn throttled_requests_are_retried_with_the_same_body_and_client_request_id() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = LocalEndpoint::stub(move |_, _| match counter.fetch_add(1, Ordering::SeqCst) {
        0 => FakeResponse::status(429).with_header("retry-after", "0"),
        1 => FakeResponse::status(503).with_header("retry-after", "1"),
        _ => FakeResponse::json(200, &json!({"name": "n", "location": "l"})),
    })
    .await
    .unwrap();
    let body = br#"{"location":"westus","tags":{"k":"v \u00e4"}}"#.to_vec();
    let request = Request {
        method: Method::Put,
        body: Some(body.clone()),
        expected_status: &[200, 201],
        ..get("Accounts_Create", "/test/acct")
    };
    let started = Instant::now();
    let response = client(&server.http_url()).send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    // `retry-after: 0` is no wait asked for: backoff (1 ms at most 1.2 ms); then the 1 s asked
    // (the timer rounds each sleep up to whole milliseconds).
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(1000) && waited <= Duration::from_millis(1004),
        "{waited:?}"
    );

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let first_id = requests[0].header("x-ms-client-request-id").unwrap();
    for request in &requests {
        assert_eq!(request.method, "PUT");
        assert_eq!(request.body, body);
        assert_eq!(request.header("content-type"), Some("application/json"));
        assert_eq!(request.header("x-ms-client-request-id"), Some(first_id));
    }
}

#[tokio::test]
async fn persistent_server_errors_give_up_after_max_retries_with_the_last_request_id() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let server = LocalEndpoint::stub(move |_, _| {
        let call = counter.fetch_add(1, Ordering::SeqCst);
        FakeResponse::json(
            503,
            &json!({"error": {"code": "ServiceUnavailable", "message": "busy"}}),
        )
        .with_header("x-ms-request-id", &format!("req-{call}"))
    })
    .await
    .unwrap();
    let client = builder(&server.http_url())
        .retry(
            RetryOptions::new()
                .max_retries(2)
                .initial_delay(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let error = client
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 3);
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.error_code(), Some("ServiceUnavailable"));
    assert_eq!(error.request_id(), Some("req-2"));
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_of_zero_or_in_the_past_falls_back_to_backoff() {
    for asked in ["0", "Sun, 06 Nov 1994 08:49:37 GMT"] {
        let calls = AtomicUsize::new(0);
        let server = LocalEndpoint::stub(move |_, _| match calls.fetch_add(1, Ordering::SeqCst) {
            0 | 1 => FakeResponse::status(503).with_header("retry-after", asked),
            _ => FakeResponse::json(200, &json!({"name": "n", "location": "l"})),
        })
        .await
        .unwrap();
        let client = builder(&server.http_url())
            .retry(RetryOptions::new().initial_delay(Duration::from_millis(800)))
            .build()
            .unwrap();
        let started = Instant::now();
        client.send(get("Accounts_Get", "/test/a")).await.unwrap();
        // Backoff: 800 ms then 1600 ms, each with ±20 % jitter.
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(1920) && waited < Duration::from_millis(2880),
            "{asked}: {waited:?}"
        );
        assert_eq!(server.requests().len(), 3);
    }
}

#[tokio::test(start_paused = true)]
async fn a_retry_after_beyond_max_delay_is_not_retried_and_the_error_says_how_long_to_wait() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            429,
            &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        )
        .with_header("retry-after", "120")
    })
    .await
    .unwrap();
    let client = builder(&server.http_url())
        .retry(RetryOptions::new().max_delay(Duration::from_secs(60)))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::ZERO, "no wait, no retry");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(
        error.to_string(),
        "Accounts_Get failed with HTTP 429 TooManyRequests: slow down; the service asked to wait \
         120 s before retrying"
    );
}

/// A server that accepts connections and never answers; counts the connections.
async fn silent_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (base, accepted)
}

#[tokio::test(start_paused = true)]
async fn a_post_whose_attempt_timed_out_is_not_sent_again_but_a_put_is() {
    for (method, attempts) in [(Method::Post, 1), (Method::Put, 4)] {
        let (base, accepted) = silent_server().await;
        let client = builder(&base)
            .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let request = Request {
            method,
            body: Some(b"{}".to_vec()),
            ..get("Accounts_Act", "/test/a")
        };
        let started = Instant::now();
        let error = client.send(request).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Transport { timeout: true, .. }),
            "{error:?}"
        );
        assert!(
            error.to_string().starts_with("Accounts_Act timed out"),
            "{error}"
        );
        assert_eq!(accepted.load(Ordering::SeqCst), attempts, "{method}");
        assert!(started.elapsed() >= Duration::from_secs(10) * attempts as u32);
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(400))
        .await
        .unwrap();
    let error = client(&server.http_url())
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(error.to_string(), "Accounts_Get failed with HTTP 400");
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported_as_transport_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&base)
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    let ErrorKind::Transport {
        operation_id,
        timeout,
        ..
    } = error.kind()
    else {
        panic!("expected a transport error, got {error:?}");
    };
    assert_eq!(operation_id, "Accounts_Get");
    assert!(!timeout);
    assert!(
        error
            .to_string()
            .starts_with("Accounts_Get failed without a response"),
        "{error}"
    );
    // The causes stay reachable: the reqwest error, down to the refused connection, whose
    // message the error names.
    let chain: Vec<_> = std::iter::successors(std::error::Error::source(&error), |source| {
        (*source).source()
    })
    .collect();
    assert!(
        chain[0].downcast_ref::<reqwest::Error>().is_some(),
        "{chain:?}"
    );
    let io = chain
        .iter()
        .find_map(|source| source.downcast_ref::<std::io::Error>())
        .unwrap_or_else(|| panic!("no I/O error in {chain:?}"));
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    assert!(error.to_string().ends_with(&io.to_string()), "{error}");
    let core = azure_core::Error::from(error);
    assert_eq!(core.kind(), &azure_core::error::ErrorKind::Connection);
}

#[tokio::test]
async fn path_values_stay_one_segment_and_query_values_are_encoded() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let name = "a/../b?c=1#d";
    let request = Request {
        query: vec![("$filter", "name eq 'x&y'".to_owned())],
        ..get(
            "Accounts_Get",
            &format!("/test/{}", encode_path_segment(name)),
        )
    };
    client(&server.http_url()).send(request).await.unwrap();
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(
        request.target,
        "/test/a%2F..%2Fb%3Fc%3D1%23d?%24filter=name%20eq%20%27x%26y%27&api-version=2024-01-01"
    );
}

#[tokio::test]
async fn dot_segments_and_bad_headers_are_refused_before_sending() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let client = client(&server.http_url());
    for path in ["/test/..", "/test/.", "test/relative"] {
        let error = client.send(get("Accounts_Get", path)).await.unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
            "{path}: {error}"
        );
    }
    let request = Request {
        headers: vec![("If-Match", "x\r\nInjected: 1".to_owned())],
        ..get("Accounts_Get", "/test/a")
    };
    let error = client.send(request).await.unwrap_err();
    assert!(error.to_string().contains("header `If-Match`"), "{error}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn undecodable_bodies_name_the_operation_status_and_path() {
    let server =
        LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"name": "n", "location": 7})))
            .await
            .unwrap();
    let response = client(&server.http_url())
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap();
    let error = response.json::<Account>("Accounts_Get").unwrap_err();
    let ErrorKind::Decode { status, path, .. } = error.kind() else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!((*status, path.as_str()), (200, "location"));
    assert!(
        error
            .to_string()
            .starts_with("Accounts_Get: could not decode the HTTP 200"),
        "{error}"
    );
    assert_eq!(error.raw_body(), Some(response.body()));
    let source = std::error::Error::source(&error).expect("the decode error");
    assert!(source.downcast_ref::<DecodeError>().is_some(), "{source:?}");
}

#[tokio::test]
async fn empty_bodies_decode_as_null() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(204))
        .await
        .unwrap();
    let request = Request {
        expected_status: &[204],
        ..get("Accounts_Delete", "/test/a")
    };
    let response = client(&server.http_url()).send(request).await.unwrap();
    let unit: () = response.json("Accounts_Delete").unwrap();
    let option: Option<Account> = response.json("Accounts_Delete").unwrap();
    assert_eq!((unit, option), ((), None));
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::status(401).with_header("www-authenticate", "Bearer")
    })
    .await
    .unwrap();
    let client = client(&server.http_url());
    let error = client
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    let credential = StaticTokenCredential::new(TOKEN);
    for text in [
        format!("{client:?}"),
        format!("{credential:?}"),
        format!("{error:?}"),
        format!("{error}"),
        format!("{:?}", Client::builder("s").credential(credential.clone())),
    ] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(format!("{client:?}").contains(&server.http_url()));
    assert!(format!("{client:?}").contains("sub-1"));
}

#[test]
fn build_rejects_plain_http_to_remote_hosts_and_a_missing_credential() {
    let error = builder("http://management.azure.com").build().unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error}"
    );
    let error = Client::builder("s").build().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error}");
    let client = Client::builder("s")
        .cloud(azrm_runtime::AzureCloud::China)
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap();
    assert_eq!(client.endpoint(), "https://management.chinacloudapi.cn");
    assert_eq!(client.subscription_id(), "s");
}

/// Tokens valid for an hour; counts the calls.
#[derive(Debug, Default)]
struct CountingCredential(AtomicUsize);

#[async_trait::async_trait]
impl TokenCredential for CountingCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        assert_eq!(scopes.len(), 1);
        assert!(scopes[0].ends_with("/.default"), "{scopes:?}");
        self.0.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        Ok(AccessToken::new(
            "counted",
            time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_fetch_one_token() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let credential = Arc::new(CountingCredential::default());
    let client = Client::builder("s")
        .endpoint(server.http_url())
        .credential(credential.clone())
        .application_id("quickstart.2")
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .send(get("Accounts_Get", &format!("/test/{i}")))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(credential.0.load(Ordering::SeqCst), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 20);
    assert!(
        requests
            .iter()
            .all(|r| r.authorization.as_ref().map(Secret::expose) == Some("Bearer counted"))
    );
    let user_agent = format!(
        "quickstart.2 azsdk-rust-azrm-runtime/{} (",
        env!("CARGO_PKG_VERSION")
    );
    let platform = format!("; {}; {})", std::env::consts::OS, std::env::consts::ARCH);
    for request in &requests {
        let header = request.header("user-agent").unwrap();
        assert!(
            header.starts_with(&user_agent) && header.ends_with(&platform),
            "{header}"
        );
    }
}

/// Hands out `token-0`, `token-1`, ... valid for an hour, recording the scopes asked for.
#[derive(Debug, Default)]
struct NumberedCredential {
    calls: AtomicUsize,
    scopes: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl TokenCredential for NumberedCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        self.scopes.lock().unwrap().push(scopes.join(" "));
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(AccessToken::new(
            format!("token-{call}"),
            time::OffsetDateTime::now_utc() + time::Duration::hours(1),
        ))
    }
}

#[tokio::test]
async fn a_401_drops_the_cached_token_and_retries_once_with_a_new_one() {
    let server = LocalEndpoint::stub(|request, _| match request.authorization.as_ref().map(Secret::expose) {
        Some("Bearer token-0") => FakeResponse::status(401).with_header(
            "www-authenticate",
            r#"Bearer authorization_uri="https://login.example/", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==""#,
        ),
        _ if request.path() == "/test/never" => FakeResponse::status(401),
        _ => FakeResponse::json(200, &json!({"name": "n", "location": "l"})),
    })
    .await
    .unwrap();
    let credential = Arc::new(NumberedCredential::default());
    let client = Client::builder("s")
        .endpoint(server.http_url())
        .credential(credential.clone())
        .build()
        .unwrap();
    client.send(get("Accounts_Get", "/test/a")).await.unwrap();
    let tokens: Vec<_> = server
        .requests()
        .iter()
        .map(|r| {
            r.authorization
                .as_ref()
                .map(Secret::expose)
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens, ["Bearer token-0", "Bearer token-1"]);
    // The new token is cached; a service that keeps refusing gets one more try, not a loop.
    let error = client
        .send(get("Accounts_Get", "/test/never"))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert_eq!(server.requests().len(), 4);
    assert_eq!(credential.calls.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn the_token_audience_defaults_to_the_endpoint_and_can_be_set_apart() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    for (audience, scope) in [
        (None, format!("{}/.default", &server.http_url())),
        (
            Some("https://management.core.windows.net/"),
            "https://management.core.windows.net/.default".to_owned(),
        ),
    ] {
        let credential = Arc::new(NumberedCredential::default());
        let mut builder = Client::builder("s")
            .endpoint(server.http_url())
            .credential(credential.clone());
        if let Some(audience) = audience {
            builder = builder.audience(audience);
        }
        let client = builder.build().unwrap();
        let request = Request {
            expected_status: &[200],
            ..get("Accounts_Get", "/test/a")
        };
        client.send(request).await.unwrap();
        assert_eq!(*credential.scopes.lock().unwrap(), [scope]);
    }
}

#[tokio::test]
async fn an_application_id_must_be_a_short_http_token() {
    for id in ["has space", "much-too-long-application-id", ""] {
        let error = Client::builder("s")
            .credential(StaticTokenCredential::new(TOKEN))
            .application_id(id)
            .build()
            .unwrap_err();
        assert!(error.to_string().contains("application id"), "{error}");
    }
}

#[tokio::test(start_paused = true)]
async fn attempts_time_out_after_100_seconds_by_default() {
    let (base, accepted) = silent_server().await;
    let client = builder(&base).retry(RetryOptions::none()).build().unwrap();
    let started = Instant::now();
    let error = client
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert!(matches!(
        error.kind(),
        ErrorKind::Transport { timeout: true, .. }
    ));
    let waited = started.elapsed();
    assert!(
        within_a_tick(waited, Duration::from_secs(100)),
        "{waited:?}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1);
}

const PROVIDER: &str = "/subscriptions/sub-7/providers/Microsoft.DocumentDB";

/// A Resource Manager that refuses requests to `Microsoft.DocumentDB` until it is registered,
/// which takes two reads of the provider after the register request.
fn unregistered_provider() -> impl Fn(&ServedRequest, &str) -> FakeResponse {
    let reads = AtomicUsize::new(0);
    let registered = std::sync::atomic::AtomicBool::new(false);
    move |request, _| {
        let state = |state: &str| {
            FakeResponse::json(
                200,
                &json!({"namespace": "Microsoft.DocumentDB", "registrationState": state}),
            )
        };
        match (request.method.as_str(), request.path()) {
            ("POST", path) if path == format!("{PROVIDER}/register") => state("Registering"),
            ("GET", path) if path == PROVIDER => {
                if reads.fetch_add(1, Ordering::SeqCst) == 0 {
                    state("Registering")
                } else {
                    registered.store(true, Ordering::SeqCst);
                    state("Registered")
                }
            }
            _ if !registered.load(Ordering::SeqCst) => FakeResponse::json(
                409,
                &json!({"error": {"code": "MissingSubscriptionRegistration",
                    "message": "The subscription is not registered to use namespace 'Microsoft.DocumentDB'."}}),
            ),
            _ => FakeResponse::json(200, &json!({"name": "n", "location": "l"})),
        }
    }
}

fn account_request() -> Request {
    Request {
        method: Method::Put,
        body: Some(b"{}".to_vec()),
        expected_status: &[200],
        ..get(
            "DatabaseAccounts_CreateOrUpdate",
            "/subscriptions/sub-7/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/a",
        )
    }
}

#[tokio::test(start_paused = true)]
async fn an_unregistered_provider_is_registered_and_the_request_sent_again() {
    let server = LocalEndpoint::stub(unregistered_provider()).await.unwrap();
    let started = Instant::now();
    let response = client(&server.http_url())
        .send(account_request())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let trail: Vec<_> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    let account = "/subscriptions/sub-7/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/a?api-version=2024-01-01";
    assert_eq!(
        trail,
        [
            format!("PUT {account}"),
            format!("POST {PROVIDER}/register?api-version=2021-04-01"),
            format!("GET {PROVIDER}?api-version=2021-04-01"),
            format!("GET {PROVIDER}?api-version=2021-04-01"),
            format!("PUT {account}"),
        ]
    );
    // Two waits of 15 s before the reads of the provider.
    let waited = started.elapsed();
    assert!(within_a_tick(waited, Duration::from_secs(30)), "{waited:?}");
}

#[tokio::test(start_paused = true)]
async fn provider_registration_can_be_turned_off() {
    let server = LocalEndpoint::stub(unregistered_provider()).await.unwrap();
    let client = builder(&server.http_url())
        .provider_registration(azrm_runtime::ProviderRegistration::disabled())
        .build()
        .unwrap();
    let error = client.send(account_request()).await.unwrap_err();
    assert_eq!(error.status(), Some(409));
    assert_eq!(error.error_code(), Some("MissingSubscriptionRegistration"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_provider_that_never_registers_gives_up_after_the_polling_timeout() {
    let server = LocalEndpoint::stub(|request, _| match request.method.as_str() {
        "PUT" => FakeResponse::json(
            409,
            &json!({"error": {"code": "MissingSubscriptionRegistration", "message": "no"}}),
        ),
        _ => FakeResponse::json(200, &json!({"registrationState": "Registering"})),
    })
    .await
    .unwrap();
    let client = builder(&server.http_url())
        .provider_registration(
            azrm_runtime::ProviderRegistration::new()
                .polling_delay(Duration::from_secs(10))
                .polling_timeout(Duration::from_secs(60)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.send(account_request()).await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("Microsoft.DocumentDB was not registered within 60 s"),
        "{error}"
    );
    let waited = started.elapsed();
    assert!(within_a_tick(waited, Duration::from_secs(60)), "{waited:?}");
}

/// Whether `waited` is `expected`, give or take the timer's rounding of each sleep up to whole
/// milliseconds.
fn within_a_tick(waited: Duration, expected: Duration) -> bool {
    waited >= expected && waited <= expected + Duration::from_millis(5)
}
