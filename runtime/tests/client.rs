//! The request path: URL building, headers, authentication, errors and retries, over real HTTP.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use arm_local_endpoint::{FakeResponse, LocalEndpoint};
use arm_runtime::json::{Decode, DecodeError, ValueSource, required};
use arm_runtime::{
    Client, ErrorKind, Method, Request, RetryOptions, Secret, StaticTokenCredential,
    TokenCredential, encode_path_segment,
};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use common::{TOKEN, client, get};
use serde_json::json;

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
    assert_eq!(
        request.header("user-agent"),
        Some(concat!("arm-runtime/", env!("CARGO_PKG_VERSION")))
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
    let started = tokio::time::Instant::now();
    let response = client(&server.http_url()).send(request).await.unwrap();
    assert_eq!(response.status(), 200);
    // On the paused clock: `Retry-After: 0` retries at once, `Retry-After: 1` one second later
    // (the 1 ms backoff is not used when the header is there).
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_secs(1)
            && waited <= std::time::Duration::from_millis(1005),
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
    let client = Client::builder("sub")
        .endpoint(server.http_url())
        .credential(StaticTokenCredential::new(TOKEN))
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
    let error = Client::builder("s")
        .endpoint("http://management.azure.com")
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error}"
    );
    let error = Client::builder("s").build().unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error}");
    let client = Client::builder("s")
        .cloud(arm_runtime::AzureCloud::China)
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
        .shared_credential(credential.clone())
        .user_agent("cosmos-arm/1.0")
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
    assert!(
        requests
            .iter()
            .all(|r| r.header("user-agent") == Some("cosmos-arm/1.0"))
    );
}

#[tokio::test(start_paused = true)]
async fn each_attempt_times_out_and_timeouts_are_retried() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        let mut silent = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            silent.push(stream); // Never answers.
        }
    });
    let client = Client::builder("s")
        .endpoint(&base)
        .credential(StaticTokenCredential::new(TOKEN))
        .timeout(std::time::Duration::from_millis(200))
        .retry(
            RetryOptions::new()
                .max_retries(1)
                .initial_delay(std::time::Duration::from_millis(1)),
        )
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let error = client
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with("Accounts_Get timed out"),
        "{error}"
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
    // On the paused clock: two attempts of exactly 200 ms, a backoff of about 1 ms between.
    let waited = started.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(400)
            && waited <= std::time::Duration::from_millis(405),
        "{waited:?}"
    );
}
