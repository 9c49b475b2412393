//! The per-client validation switch through the generated client on loopback: an account name
//! the spec's pattern or length rejects is refused by default and sent with
//! `Validation::Relaxed`; an empty name or a `.`/`..` segment is refused either way.

use azrm_cosmosdb::{Client, ErrorKind, StaticTokenCredential, Validation};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use serde_json::json;

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

fn client(server: &LocalEndpoint, validation: Option<Validation>) -> Client {
    let builder = Client::builder(SUBSCRIPTION)
        .endpoint(server.http_url())
        .credential(StaticTokenCredential::new("t"));
    match validation {
        Some(validation) => builder.validation(validation),
        None => builder,
    }
    .build()
    .expect("client")
}

#[tokio::test]
async fn names_the_spec_rejects_are_sent_only_with_validation_relaxed() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"name": "x"})))
        .await
        .expect("server");
    let strict = client(&server, None);
    let relaxed = client(&server, Some(Validation::Relaxed));
    assert_eq!(strict.runtime().validation(), Validation::Strict);
    // `Upper_Case` breaks the pattern `^[a-z0-9]+(-[a-z0-9]+)*`, `ab` the minimum length 3.
    for name in ["Upper_Case", "ab"] {
        let sent = server.requests().len();
        let error = strict
            .database_accounts()
            .get("rg", name, None)
            .await
            .expect_err("the spec rejects the name");
        let ErrorKind::InvalidParameter(invalid) = error.kind() else {
            panic!("expected InvalidParameter, got {error:?}");
        };
        assert_eq!(invalid.target(), "accountName");
        assert_eq!(server.requests().len(), sent, "nothing was sent");

        relaxed
            .database_accounts()
            .get("rg", name, None)
            .await
            .expect("sent as it is");
        let request = server.requests().pop().expect("a request");
        assert!(
            request
                .path()
                .ends_with(&format!("/databaseAccounts/{name}")),
            "{}",
            request.path()
        );
    }
}

#[tokio::test]
async fn empty_and_dot_segments_are_refused_whatever_the_validation() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"name": "x"})))
        .await
        .expect("server");
    for validation in [None, Some(Validation::Relaxed)] {
        let client = client(&server, validation);
        let error = client
            .database_accounts()
            .get("rg", "", None)
            .await
            .expect_err("an empty name addresses the collection");
        let ErrorKind::InvalidParameter(invalid) = error.kind() else {
            panic!("expected InvalidParameter, got {error:?}");
        };
        assert_eq!(invalid.target(), "accountName");
        let error = client
            .database_accounts()
            .get("..", "account", None)
            .await
            .expect_err("`..` addresses another resource");
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
            "{error:?}"
        );
    }
    assert!(server.requests().is_empty());
}
