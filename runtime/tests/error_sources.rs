//! Errors keep their causes: `std::error::Error::source` leads from a transport failure to the
//! `reqwest` and I/O errors, from a credential failure to the credential's `azure_core` error, and
//! from a decode failure to the decode error; none of them prints the token.

mod common;

use std::error::Error as _;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::json::DecodeError;
use azrm_runtime::{Client, Error, ErrorKind, TokenCredential};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use common::{TOKEN, client, get};

/// The chain of `error`'s sources, outermost first.
fn sources(error: &Error) -> Vec<&(dyn std::error::Error + 'static)> {
    std::iter::successors(error.source(), |source| (*source).source()).collect()
}

#[tokio::test]
async fn a_transport_failure_leads_to_the_reqwest_and_io_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&base)
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport { .. }),
        "{error}"
    );
    let chain = sources(&error);
    assert!(
        chain[0].downcast_ref::<reqwest::Error>().is_some(),
        "{chain:?}"
    );
    let io = chain
        .iter()
        .find_map(|source| source.downcast_ref::<std::io::Error>())
        .unwrap_or_else(|| panic!("no I/O error in {chain:?}"));
    assert_eq!(io.kind(), std::io::ErrorKind::ConnectionRefused);
    // The message names the innermost cause.
    assert!(error.to_string().contains(&io.to_string()), "{error}");
    let core = azure_core::Error::from(error.clone());
    assert_eq!(core.kind(), &azure_core::error::ErrorKind::Connection);
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

/// A credential that cannot sign in.
#[derive(Debug)]
struct SignedOut;

#[async_trait::async_trait]
impl TokenCredential for SignedOut {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "az: command not found");
        Err(azure_core::Error::new(
            azure_core::error::ErrorKind::Credential,
            io,
        ))
    }
}

#[tokio::test]
async fn credential_and_decode_failures_keep_their_errors() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &serde_json::json!(["a", 1])))
        .await
        .unwrap();
    let error = Client::builder("s")
        .endpoint(server.http_url())
        .credential(std::sync::Arc::new(SignedOut))
        .build()
        .unwrap()
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error}");
    let chain = sources(&error);
    assert!(
        chain[0].downcast_ref::<azure_core::Error>().is_some(),
        "{chain:?}"
    );
    let io = chain[1].downcast_ref::<std::io::Error>().unwrap();
    assert_eq!(io.kind(), std::io::ErrorKind::NotFound);

    let response = client(&server.http_url())
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap();
    let error = response.json::<Vec<String>>("Accounts_Get").unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Decode { .. }), "{error}");
    assert!(
        error
            .source()
            .unwrap()
            .downcast_ref::<DecodeError>()
            .is_some()
    );
}
