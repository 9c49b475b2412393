//! Long-running operations over real HTTP: the polling protocols, final-state-via, failures,
//! untrusted polling URLs and resume tokens.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::json::{Decode, DecodeError, ValueSource, required};
use azrm_runtime::{
    Error, ErrorKind, FinalStateVia, LroOptions, Method, Poller, PollerStatus, Request,
};
use common::{client, get};
use serde_json::json;

#[derive(Debug, PartialEq)]
struct Account {
    name: String,
}

impl Decode for Account {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut name = None;
        source.object("an account", &mut |key, value| {
            match key {
                "name" => name = Some(String::decode(value)?),
                _ => value.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self {
            name: required(name, "Account", "name")?,
        })
    }
}

fn request(method: Method) -> Request {
    Request {
        method,
        body: (method != Method::Delete).then(|| b"{}".to_vec()),
        expected_status: &[200, 201, 202, 204],
        ..get(OPERATION, "/test/acct")
    }
}

/// The operation id of the long-running request.
const OPERATION: &str = "Accounts_Begin";

/// Sends the initial request and starts a poller, as generated code does.
async fn begin<T: Decode + Send + 'static>(
    server: &LocalEndpoint,
    method: Method,
    options: LroOptions,
) -> Result<Poller<T>, Error> {
    let client = client(&server.http_url());
    let request = request(method);
    let response = client.send(request.clone()).await?;
    Poller::start(client, &request, response, options)
}

/// Begins the operation and waits for its result.
async fn finish<T: Decode + Send + 'static>(
    server: &LocalEndpoint,
    method: Method,
    options: LroOptions,
) -> Result<T, Error> {
    begin::<T>(server, method, options).await?.await
}

/// Answers `InProgress` `running` times, then `last`.
fn status_sequence(
    running: usize,
    last: serde_json::Value,
) -> impl Fn() -> FakeResponse + Send + Sync {
    let calls = AtomicUsize::new(0);
    move || {
        if calls.fetch_add(1, Ordering::SeqCst) < running {
            FakeResponse::json(200, &json!({"status": "InProgress"}))
                .with_header("retry-after", "0")
        } else {
            FakeResponse::json(200, &last.clone())
        }
    }
}

fn targets(server: &LocalEndpoint) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect()
}

/// A 200 with resource `name`, provisioned.
fn provisioned(name: &str) -> FakeResponse {
    FakeResponse::json(
        200,
        &json!({"name": name, "properties": {"provisioningState": "Succeeded"}}),
    )
}

#[tokio::test]
async fn a_final_200_is_done_at_once() {
    let server = LocalEndpoint::stub(|_, _| provisioned("acct"))
        .await
        .unwrap();
    let poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    assert!(poller.is_done());
    assert_eq!(poller.status(), &PollerStatus::Succeeded);
    assert_eq!(
        poller.await.unwrap(),
        Account {
            name: "acct".into()
        }
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn azure_async_operation_is_polled_until_succeeded_then_the_original_uri_is_read() {
    let status = status_sequence(1, json!({"status": "succeeded"}));
    let server =
        LocalEndpoint::stub(
            move |request, base| match (request.method.as_str(), request.path()) {
                ("PUT", "/test/acct") => FakeResponse::status(201).with_header(
                    "azure-asyncoperation",
                    &format!("{base}/ops/1?api-version=2024-01-01"),
                ),
                ("GET", "/ops/1") => status(),
                ("GET", "/test/acct") => FakeResponse::json(200, &json!({"name": "final"})),
                other => panic!("unexpected {other:?}"),
            },
        )
        .await
        .unwrap();
    let mut poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    assert!(!poller.is_done());
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::InProgress);
    assert_eq!(poller.status(), &PollerStatus::InProgress);
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::Succeeded);
    assert_eq!(poller.status(), &PollerStatus::Succeeded);
    assert_eq!(
        poller.wait().await.unwrap(),
        Account {
            name: "final".into()
        }
    );
    assert_eq!(
        targets(&server),
        [
            "PUT /test/acct?api-version=2024-01-01",
            "GET /ops/1?api-version=2024-01-01",
            "GET /ops/1?api-version=2024-01-01",
            "GET /test/acct?api-version=2024-01-01",
        ]
    );
    assert!(server.requests().iter().all(|r| r.authorization.is_some()));
}

#[tokio::test]
async fn final_state_via_location_reads_the_location_after_success() {
    let status = status_sequence(2, json!({"status": "Succeeded"}));
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202)
            .with_header("azure-asyncoperation", &format!("{base}/ops/2"))
            .with_header("location", "/results/2"),
        "/ops/2" => status(),
        "/results/2" => FakeResponse::json(200, &json!({"name": "from-location"})),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    let options = LroOptions {
        final_state_via: Some(FinalStateVia::Location),
    };
    let result = finish::<Account>(&server, Method::Post, options)
        .await
        .unwrap();
    assert_eq!(
        result,
        Account {
            name: "from-location".into()
        }
    );
    let targets = targets(&server);
    assert_eq!(targets.len(), 5);
    assert_eq!(targets[1], "GET /ops/2?api-version=2024-01-01");
    assert_eq!(targets[4], "GET /results/2?api-version=2024-01-01");
}

#[tokio::test]
async fn azure_async_operation_final_state_reads_the_status_properties() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => {
            FakeResponse::status(202).with_header("azure-asyncoperation", &format!("{base}/ops/3"))
        }
        _ => FakeResponse::json(
            200,
            &json!({"status": "Succeeded", "properties": {"name": "in-status"}}),
        ),
    })
    .await
    .unwrap();
    let options = LroOptions {
        final_state_via: Some(FinalStateVia::AzureAsyncOperation),
    };
    let result = finish::<Account>(&server, Method::Post, options)
        .await
        .unwrap();
    assert_eq!(
        result,
        Account {
            name: "in-status".into()
        }
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn location_polling_runs_while_202_and_a_unit_result_ignores_the_final_body() {
    let calls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202)
            .with_header("location", &format!("{base}/loc/1"))
            .with_header("retry-after", "0"),
        "/loc/1" if calls.fetch_add(1, Ordering::SeqCst) < 2 => FakeResponse::status(202),
        "/loc/1" => FakeResponse::json(200, &json!({"ignored": true})),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    let poller = begin::<()>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap();
    poller.await.unwrap();
    assert_eq!(server.requests().len(), 4);
    assert_eq!(server.requests()[0].method, "DELETE");
}

#[tokio::test]
async fn a_201_with_a_running_provisioning_state_polls_the_resource() {
    let calls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, _| match request.method.as_str() {
        "PUT" => FakeResponse::json(
            201,
            &json!({"name": "acct", "properties": {"provisioningState": "Creating"}}),
        ),
        _ if calls.fetch_add(1, Ordering::SeqCst) == 0 => FakeResponse::json(
            200,
            &json!({"name": "acct", "properties": {"provisioningState": "Updating"}}),
        ),
        _ => FakeResponse::json(
            200,
            &json!({"name": "done", "properties": {"provisioningState": "Succeeded"}}),
        ),
    })
    .await
    .unwrap();
    let mut poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(poller.status().as_str(), "Creating");
    assert_eq!(
        poller.poll().await.unwrap(),
        PollerStatus::Other("Updating".into())
    );
    assert_eq!(poller.status().as_str(), "Updating");
    assert_eq!(
        poller.await.unwrap(),
        Account {
            name: "done".into()
        }
    );
    assert_eq!(server.requests().len(), 3);
}

/// A poller started from a response that `Client::send` did not make (recorded, or from another
/// client) builds the request's URL itself, and polls and reads the resource there.
#[tokio::test]
async fn a_poller_started_from_a_response_made_elsewhere_polls_the_requests_own_url() {
    let server = LocalEndpoint::stub(|_, _| provisioned("made"))
        .await
        .unwrap();
    let client = client(&server.http_url());
    let initial = azrm_runtime::RawResponse::from_body(
        201,
        br#"{"name": "acct", "properties": {"provisioningState": "Creating"}}"#.to_vec(),
    );
    let poller = Poller::<Account>::start(
        client,
        &request(Method::Put),
        initial,
        LroOptions::default(),
    )
    .unwrap();
    assert_eq!(
        poller.await.unwrap(),
        Account {
            name: "made".into()
        }
    );
    assert_eq!(targets(&server), ["GET /test/acct?api-version=2024-01-01"]);
}

async fn terminal(status: &'static str) -> Error {
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" if request.method == "PUT" => {
            FakeResponse::status(201).with_header("azure-asyncoperation", &format!("{base}/ops/f"))
        }
        _ => FakeResponse::json(200, &json!({"status": status, "error": {"code": "QuotaExceeded", "message": "No capacity in westus."}}),
        )
        .with_header("x-ms-request-id", "poll-req"),
    })
    .await.unwrap();
    let error = finish::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap_err();
    assert_eq!(
        server.requests().len(),
        2,
        "nothing is fetched after a failure"
    );
    error
}

#[tokio::test]
async fn a_failed_operation_reports_the_service_error() {
    let error = terminal("Failed").await;
    let ErrorKind::OperationFailed {
        status,
        operation_id,
        ..
    } = error.kind()
    else {
        panic!("expected OperationFailed, got {error:?}");
    };
    assert_eq!(
        (status.as_str(), operation_id.as_str()),
        ("Failed", "Accounts_Begin")
    );
    assert_eq!(error.error_code(), Some("QuotaExceeded"));
    assert_eq!(error.request_id(), Some("poll-req"));
    assert_eq!(
        error.to_string(),
        "long-running operation Accounts_Begin ended with status Failed: QuotaExceeded: No \
         capacity in westus. (x-ms-request-id poll-req)"
    );
}

#[tokio::test]
async fn a_canceled_operation_is_an_operation_failed_error() {
    let error = terminal("Canceled").await;
    assert!(
        matches!(error.kind(), ErrorKind::OperationFailed { status, .. } if status == "Canceled")
    );
    assert_eq!(error.error_message(), Some("No capacity in westus."));
}

#[tokio::test]
async fn polling_urls_on_other_hosts_are_refused_and_receive_nothing() {
    let other = common::other_host().await;
    other.on_any(|_, _| FakeResponse::json(200, &json!({"status": "Succeeded"})));
    let other_port = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let port = &other_port.http_url().rsplit(':').next().unwrap().to_owned();
    for (header, url) in [
        (
            "azure-asyncoperation",
            format!("{}/ops/1", other.http_url()),
        ),
        (
            "operation-location",
            format!("{}/ops/1", other_port.http_url()),
        ),
        ("location", format!("{}/loc/1", other.http_url())),
        ("location", format!("https://127.0.0.1:{port}/loc/1")),
    ] {
        let (name, value) = (header, url.clone());
        let server =
            LocalEndpoint::stub(move |_, _| FakeResponse::status(202).with_header(name, &value))
                .await
                .unwrap();
        let error = begin::<()>(&server, Method::Delete, LroOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::UntrustedUrl { url: refused, .. } if refused == &url),
            "{error:?}"
        );
    }
    assert!(other.requests().is_empty());
    assert!(other_port.requests().is_empty());
}

#[tokio::test]
async fn a_location_header_on_a_poll_that_leaves_the_host_is_refused() {
    let other = common::other_host().await;
    other.on_any(|_, _| FakeResponse::status(200));
    let evil = format!("{}/steal", other.http_url());
    // Polls are bounded: a poller that let the foreign `Location` pass and kept polling its own
    // URL ends with success after a few polls, so the test fails instead of polling forever.
    let polls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202).with_header("location", &format!("{base}/loc")),
        _ if polls.fetch_add(1, Ordering::SeqCst) >= 5 => FakeResponse::status(200),
        _ => FakeResponse::status(202).with_header("location", &evil),
    })
    .await
    .unwrap();
    let error = finish::<()>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error:?}"
    );
    assert!(other.requests().is_empty());
}

#[tokio::test]
async fn a_202_without_polling_headers_is_an_unexpected_response() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(202))
        .await
        .unwrap();
    let error = begin::<()>(&server, Method::Post, LroOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::UnexpectedResponse { status: 202, .. }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_poller_resumes_from_its_token() {
    let status = Arc::new(status_sequence(1, json!({"status": "Succeeded"})));
    let server =
        LocalEndpoint::stub(
            move |request, base| match (request.method.as_str(), request.path()) {
                ("PUT", _) => FakeResponse::status(201)
                    .with_header("azure-asyncoperation", &format!("{base}/ops/r")),
                ("GET", "/ops/r") => status(),
                ("GET", "/test/acct") => FakeResponse::json(200, &json!({"name": "resumed"})),
                other => panic!("unexpected {other:?}"),
            },
        )
        .await
        .unwrap();
    let mut poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::InProgress);
    let token = poller.resume_token().unwrap();
    drop(poller);
    assert!(!token.contains("test-token"));

    let client = client(&server.http_url());
    let resumed = Poller::<Account>::resume(client.clone(), OPERATION, &token).unwrap();
    assert_eq!(
        resumed.await.unwrap(),
        Account {
            name: "resumed".into()
        }
    );
    assert_eq!(server.requests().len(), 4);

    for bad in ["", "not base64!", "e30"] {
        let error = Poller::<Account>::resume(client.clone(), OPERATION, bad).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::ResumeToken(_)),
            "{bad}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_resume_token_for_another_host_is_refused() {
    let server = LocalEndpoint::stub(|request, base| match request.method.as_str() {
        "PUT" => {
            FakeResponse::status(201).with_header("azure-asyncoperation", &format!("{base}/ops/x"))
        }
        _ => FakeResponse::json(200, &json!({"status": "InProgress"})),
    })
    .await
    .unwrap();
    let poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    let token = poller.resume_token().unwrap();
    let elsewhere = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let error =
        Poller::<Account>::resume(client(&elsewhere.http_url()), OPERATION, &token).unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::UntrustedUrl { .. }),
        "{error:?}"
    );
    assert!(elsewhere.requests().is_empty());
}

/// A resume token that says to poll the `Location` URL but holds none (altered by hand) is an
/// error when polled, and nothing is sent.
#[tokio::test]
async fn a_token_to_poll_a_location_it_lacks_sends_nothing() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let server = LocalEndpoint::stub(|request, base| match request.method.as_str() {
        "DELETE" => FakeResponse::status(202).with_header("location", &format!("{base}/loc")),
        _ => FakeResponse::status(200),
    })
    .await
    .unwrap();
    let poller = begin::<()>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap();
    let token = poller.resume_token().unwrap();
    let mut state: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&token).unwrap()).unwrap();
    assert_eq!(state["monitor"], "Location");
    state["location"] = serde_json::Value::Null;
    let token = URL_SAFE_NO_PAD.encode(state.to_string());
    let sent = server.requests().len();
    let error = Poller::<()>::resume(client(&server.http_url()), OPERATION, &token)
        .unwrap()
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), sent);
}

#[tokio::test]
async fn a_200_with_a_terminal_provisioning_state_ignores_its_polling_headers() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            200,
            &json!({"name": "done", "properties": {"provisioningState": "Succeeded"}}),
        )
        .with_header("azure-asyncoperation", "http://localhost/elsewhere")
    })
    .await
    .unwrap();
    let poller = begin::<Account>(&server, Method::Patch, LroOptions::default())
        .await
        .unwrap();
    assert!(poller.is_done());
    assert_eq!(poller.await.unwrap().name, "done");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn without_final_state_via_what_the_location_answers_is_the_result_of_a_put() {
    let calls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202).with_header("location", &format!("{base}/loc")),
        "/loc" if calls.fetch_add(1, Ordering::SeqCst) == 0 => FakeResponse::status(202),
        "/loc" => FakeResponse::json(200, &json!({"name": "from-location"})),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    let result = finish::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(result.name, "from-location");
    assert_eq!(server.requests().len(), 3, "no GET of the original URI");
}

#[tokio::test]
async fn a_failed_provisioning_state_at_the_location_is_an_operation_failed_error() {
    let server = LocalEndpoint::stub(|request, base| match request.method.as_str() {
        "DELETE" => FakeResponse::status(202).with_header("location", &format!("{base}/test/acct")),
        _ => FakeResponse::json(
            200,
            &json!({"name": "acct", "properties": {"provisioningState": "Failed"}}),
        ),
    })
    .await
    .unwrap();
    let error = finish::<Option<Account>>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::OperationFailed { status, .. } if status == "Failed"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_delete_fetches_nothing_after_its_status_monitor_succeeds() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202)
            .with_header("azure-asyncoperation", &format!("{base}/ops/d"))
            .with_header("location", "not-to-be-used"),
        "/ops/d" => FakeResponse::json(200, &json!({"status": "Succeeded"})),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    finish::<()>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_status_resource_without_properties_is_itself_the_result() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => {
            FakeResponse::status(202).with_header("azure-asyncoperation", &format!("{base}/ops/s"))
        }
        _ => FakeResponse::json(200, &json!({"status": "Succeeded", "name": "status-body"})),
    })
    .await
    .unwrap();
    let options = LroOptions {
        final_state_via: Some(FinalStateVia::AzureAsyncOperation),
    };
    let result = finish::<Account>(&server, Method::Post, options)
        .await
        .unwrap();
    assert_eq!(result.name, "status-body");
}

#[tokio::test]
async fn a_failed_status_with_an_error_of_another_shape_is_still_operation_failed() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => {
            FakeResponse::status(202).with_header("azure-asyncoperation", &format!("{base}/ops/e"))
        }
        _ => FakeResponse::json(
            200,
            &json!({"status": "Failed", "error": {"code": 500, "message": "boom"}}),
        ),
    })
    .await
    .unwrap();
    let error = finish::<()>(&server, Method::Post, LroOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::OperationFailed { status, .. } if status == "Failed"),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_client_header_goes_with_the_request_and_every_poll() {
    let status = status_sequence(1, json!({"status": "Succeeded"}));
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => {
            FakeResponse::status(202).with_header("azure-asyncoperation", &format!("{base}/ops/h"))
        }
        _ => status(),
    })
    .await
    .unwrap();
    let client = azrm_runtime::Client::builder("sub-1")
        .endpoint(server.http_url())
        .credential(azrm_runtime::StaticTokenCredential::new(common::TOKEN))
        .poll_interval(std::time::Duration::ZERO)
        .header("x-ms-client-request-id", "fixed-id")
        .build()
        .unwrap();
    let request = request(Method::Post);
    let response = client.send(request.clone()).await.unwrap();
    Poller::<()>::start(client, &request, response, LroOptions::default())
        .unwrap()
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-ms-client-request-id") == Some("fixed-id"))
    );
}

type Names = common::ListPage<String>;

#[tokio::test]
async fn a_pageable_operation_result_turns_into_a_pager_of_every_page() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202)
            .with_header("azure-asyncoperation", &format!("{base}/ops/p"))
            .with_header("location", &format!("{base}/page1")),
        "/ops/p" => FakeResponse::json(200, &json!({"status": "Succeeded"})),
        "/page1" => FakeResponse::json(200, &json!({"value": ["a"], "nextLink": "/page2"})),
        "/page2" => FakeResponse::json(200, &json!({"value": ["b"]})),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    let pager = begin::<Names>(&server, Method::Post, LroOptions::default())
        .await
        .unwrap()
        .into_pager();
    assert_eq!(pager.into_vec().await.unwrap(), ["a", "b"]);
}

/// A model whose properties are all optional, as most generated models are.
#[derive(Debug, Default, PartialEq)]
struct Optional {
    name: Option<String>,
}

impl Decode for Optional {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut name = None;
        source.object("an optional", &mut |key, value| {
            match key {
                "name" => name = Option::decode(value)?,
                _ => value.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self { name })
    }
}

#[tokio::test]
async fn a_put_reads_its_own_url_in_the_end_even_when_final_state_via_names_the_location() {
    // As in the Cosmos DB examples: `Location` is the operation status URL.
    let server =
        LocalEndpoint::stub(
            |request, base| match (request.method.as_str(), request.path()) {
                ("PUT" | "PATCH", "/test/acct") => FakeResponse::status(202)
                    .with_header(
                        "azure-asyncoperation",
                        &format!("{base}/operationsStatus/1"),
                    )
                    .with_header("location", &format!("{base}/operationsStatus/1")),
                ("GET", "/operationsStatus/1") => {
                    FakeResponse::json(200, &json!({"status": "Succeeded"}))
                }
                ("GET", "/test/acct") => FakeResponse::json(200, &json!({"name": "the-resource"})),
                other => panic!("unexpected {other:?}"),
            },
        )
        .await
        .unwrap();
    for method in [Method::Put, Method::Patch] {
        let options = LroOptions {
            final_state_via: Some(FinalStateVia::Location),
        };
        let result = finish::<Account>(&server, method, options).await.unwrap();
        assert_eq!(result.name, "the-resource");
        assert_eq!(
            targets(&server).last().unwrap(),
            "GET /test/acct?api-version=2024-01-01"
        );
    }
}

#[tokio::test]
async fn a_put_whose_location_ends_without_the_resource_reads_its_own_url() {
    for done in [
        FakeResponse::status(204),
        FakeResponse::status(200),
        FakeResponse::json(200, &json!({"status": "Succeeded", "name": "not-it"})),
    ] {
        let server = LocalEndpoint::stub(move |request, base| match request.path() {
            "/test/acct" if request.method == "PUT" => FakeResponse::status(202)
                .with_header("location", &format!("{base}/operationResults/1")),
            "/operationResults/1" => done.clone(),
            "/test/acct" => FakeResponse::json(200, &json!({"name": "the-resource"})),
            other => panic!("unexpected {other}"),
        })
        .await
        .unwrap();
        let result = finish::<Account>(&server, Method::Put, LroOptions::default())
            .await
            .unwrap();
        assert_eq!(result.name, "the-resource");
        assert_eq!(server.requests().len(), 3);
    }
}

#[tokio::test]
async fn a_delete_reads_nothing_after_success_whatever_final_state_via_says() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202)
            .with_header("azure-asyncoperation", &format!("{base}/ops/d"))
            .with_header("location", &format!("{base}/operationResults/d")),
        "/ops/d" => FakeResponse::json(200, &json!({"status": "Succeeded"})),
        // A resource-scoped result URL may answer 404 once the resource is gone.
        _ => FakeResponse::status(404),
    })
    .await
    .unwrap();
    let options = LroOptions {
        final_state_via: Some(FinalStateVia::Location),
    };
    finish::<()>(&server, Method::Delete, options)
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn empty_final_bodies_give_the_empty_value_of_the_result_type() {
    let server = LocalEndpoint::stub(|request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202).with_header("location", &format!("{base}/loc")),
        "/loc" => FakeResponse::status(204),
        other => panic!("unexpected {other}"),
    })
    .await
    .unwrap();
    let options = LroOptions::default();
    let optional: Optional = finish(&server, Method::Post, options).await.unwrap();
    assert_eq!(optional, Optional::default());
    let none: Option<Account> = finish(&server, Method::Post, options).await.unwrap();
    assert_eq!(none, None);
    let value: serde_json::Value = finish(&server, Method::Post, options).await.unwrap();
    assert_eq!(value, serde_json::Value::Null);
    // A model with a required property has no empty value: a decode error naming it.
    let error = finish::<Account>(&server, Method::Post, options)
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode { message, .. } if message.contains("name")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_poll_leaves_the_poller_as_it_was_and_polling_continues() {
    let calls = AtomicUsize::new(0);
    let finals = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" if request.method == "PUT" => {
            FakeResponse::status(201).with_header("azure-asyncoperation", &format!("{base}/ops/f"))
        }
        // The first poll and its three retries meet an outage.
        "/ops/f" => match calls.fetch_add(1, Ordering::SeqCst) {
            0..4 => FakeResponse::status(503),
            4 => FakeResponse::json(200, &json!({"status": "Running"})),
            _ => FakeResponse::json(200, &json!({"status": "Succeeded"})),
        },
        // So does the final read of the resource, the first time.
        _ if finals.fetch_add(1, Ordering::SeqCst) < 4 => FakeResponse::status(502),
        _ => FakeResponse::json(200, &json!({"name": "acct"})),
    })
    .await
    .unwrap();
    let mut poller = begin::<Account>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap();
    let token = poller.resume_token().unwrap();
    let error = poller.poll().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(!poller.is_done());
    assert_eq!(poller.status(), &PollerStatus::InProgress);
    assert_eq!(poller.resume_token().unwrap(), token);
    assert_eq!(
        poller.poll().await.unwrap(),
        PollerStatus::Other("Running".into())
    );
    assert_eq!(poller.status().as_str(), "Running");
    // The status says Succeeded, then the final GET fails: still as after the last good poll.
    assert_eq!(poller.poll().await.unwrap_err().status(), Some(502));
    assert_eq!(poller.status().as_str(), "Running");
    assert!(!poller.is_done());
    assert_eq!(poller.wait().await.unwrap().name, "acct");
    assert!(matches!(
        poller.wait().await.unwrap_err().kind(),
        ErrorKind::InvalidRequest { .. }
    ));
}

#[tokio::test]
async fn wait_can_be_called_again_after_a_failed_poll() {
    let calls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => FakeResponse::status(202).with_header("location", &format!("{base}/loc/o")),
        "/loc/o" if calls.fetch_add(1, Ordering::SeqCst) < 4 => FakeResponse::status(500),
        _ => FakeResponse::json(200, &json!({"name": "after-outage"})),
    })
    .await
    .unwrap();
    let mut poller = begin::<Account>(&server, Method::Post, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(poller.wait().await.unwrap_err().status(), Some(500));
    assert_eq!(poller.wait().await.unwrap().name, "after-outage");
}

#[tokio::test]
async fn only_a_put_or_patch_polls_its_own_url_for_a_running_provisioning_state() {
    let server = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(
            200,
            &json!({"name": "acct", "properties": {"provisioningState": "Deleting"}}),
        )
    })
    .await
    .unwrap();
    for method in [Method::Delete, Method::Post] {
        let poller = begin::<Option<Account>>(&server, method, LroOptions::default())
            .await
            .unwrap();
        assert!(poller.is_done(), "{method}");
        assert_eq!(poller.await.unwrap().unwrap().name, "acct");
    }
    assert_eq!(server.requests().len(), 2, "no polls");
}

#[tokio::test]
async fn a_location_answering_200_with_a_running_provisioning_state_is_polled_again() {
    let calls = AtomicUsize::new(0);
    let server = LocalEndpoint::stub(move |request, base| match request.path() {
        "/test/acct" => {
            FakeResponse::status(202).with_header("location", &format!("{base}/test/acct/loc"))
        }
        _ if calls.fetch_add(1, Ordering::SeqCst) == 0 => FakeResponse::json(
            200,
            &json!({"name": "acct", "properties": {"provisioningState": "Deleting"}}),
        ),
        _ => FakeResponse::status(204),
    })
    .await
    .unwrap();
    let mut poller = begin::<()>(&server, Method::Delete, LroOptions::default())
        .await
        .unwrap();
    assert_eq!(
        poller.poll().await.unwrap(),
        PollerStatus::Other("Deleting".into())
    );
    assert_eq!(poller.status().as_str(), "Deleting");
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::Succeeded);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test(start_paused = true)]
async fn the_first_poll_comes_soon_and_the_wait_grows_unless_the_service_names_one() {
    // `retry-after: 0` names no wait; the client's poll interval (30 s) caps the growth.
    let cases = [
        (None, [1, 2, 4]),
        (Some("0"), [1, 2, 4]),
        (Some("3"), [3, 1, 2]),
    ];
    for (initial, expected) in cases {
        let status = status_sequence(2, json!({"status": "Succeeded"}));
        let times = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = times.clone();
        let server = LocalEndpoint::stub(move |request, base| {
            seen.lock().unwrap().push(tokio::time::Instant::now());
            match request.path() {
                "/test/acct" if request.method == "PUT" => {
                    let reply = FakeResponse::status(201)
                        .with_header("azure-asyncoperation", &format!("{base}/ops/t"));
                    match initial {
                        Some(seconds) => reply.with_header("retry-after", seconds),
                        None => reply,
                    }
                }
                "/ops/t" => status(),
                _ => FakeResponse::json(200, &json!({"name": "acct"})),
            }
        })
        .await
        .unwrap();
        let client = azrm_runtime::Client::builder("sub-1")
            .endpoint(server.http_url())
            .credential(azrm_runtime::StaticTokenCredential::new(common::TOKEN))
            .build()
            .unwrap();
        let request = request(Method::Put);
        let response = client.send(request.clone()).await.unwrap();
        let poller: Poller<Account> =
            Poller::start(client, &request, response, LroOptions::default()).unwrap();
        assert_eq!(poller.await.unwrap().name, "acct");
        let times = times.lock().unwrap().clone();
        // PUT, three status polls, the final GET at once.
        assert_eq!(times.len(), 5);
        let waits: Vec<u64> = times
            .windows(2)
            .map(|pair| (pair[1] - pair[0]).as_secs())
            .collect();
        assert_eq!(waits[..3], expected, "{initial:?}");
        assert_eq!(waits[3], 0);
    }
}

#[tokio::test]
async fn a_put_answered_without_a_body_or_a_header_to_poll_is_an_unexpected_response() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(201))
        .await
        .unwrap();
    let error = begin::<Optional>(&server, Method::Put, LroOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::UnexpectedResponse { status: 201, .. }
        ),
        "{error:?}"
    );
}
