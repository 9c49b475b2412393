//! Credentials as `azure_identity` hands them out (`Arc<Self>`) or shared as
//! `Arc<dyn TokenCredential>` are accepted and their token reaches the wire; a credential's
//! failure stays the source of the client's error.

mod common;

use std::error::Error as _;
use std::sync::Arc;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::{Client, ErrorKind, Secret, TokenCredential};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use common::get;
use time::{Duration, OffsetDateTime};

/// A credential shaped as `azure_identity`'s: its constructor returns `Arc<Self>` in an
/// `azure_core::Result`, as `DeveloperToolsCredential::new(None)?` does. Without a token it
/// fails as a credential whose tool is missing.
#[derive(Debug)]
struct IdentityLikeCredential {
    token: Option<&'static str>,
}

impl IdentityLikeCredential {
    fn new(token: Option<&'static str>) -> azure_core::Result<Arc<Self>> {
        Ok(Arc::new(Self { token }))
    }
}

#[async_trait::async_trait]
impl TokenCredential for IdentityLikeCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let Some(token) = self.token else {
            let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "az: not found");
            let kind = azure_core::error::ErrorKind::Credential;
            return Err(azure_core::Error::new(kind, missing));
        };
        let expires_on = OffsetDateTime::now_utc() + Duration::hours(1);
        Ok(AccessToken::new(token, expires_on))
    }
}

async fn server() -> LocalEndpoint {
    LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap()
}

#[tokio::test]
async fn credentials_as_azure_identity_returns_them_are_accepted_and_their_token_is_sent()
-> azure_core::Result<()> {
    let server = server().await;
    let shared: Arc<dyn TokenCredential> = IdentityLikeCredential::new(Some("shared-token"))?;
    let identity = IdentityLikeCredential::new(Some("identity-token"))?;
    for (builder, token) in [
        (Client::builder("s").credential(identity), "identity-token"),
        (Client::builder("s").credential(shared), "shared-token"),
    ] {
        let client = builder.endpoint(server.http_url()).build().unwrap();
        client.send(get("Accounts_Get", "/test/a")).await.unwrap();
        let request = server.requests().pop().unwrap();
        assert_eq!(
            request.authorization.as_ref().map(Secret::expose),
            Some(format!("Bearer {token}").as_str())
        );
    }
    Ok(())
}

#[tokio::test]
async fn a_credential_failure_keeps_the_credential_error_as_its_source() -> azure_core::Result<()> {
    let server = server().await;
    let error = Client::builder("s")
        .endpoint(server.http_url())
        .credential(IdentityLikeCredential::new(None)?)
        .build()
        .unwrap()
        .send(get("Accounts_Get", "/test/a"))
        .await
        .unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Credential(_)), "{error}");
    let core = error.source().unwrap();
    assert!(
        core.downcast_ref::<azure_core::Error>().is_some(),
        "{core:?}"
    );
    let missing = core.source().unwrap().downcast_ref::<std::io::Error>();
    assert_eq!(
        missing.map(std::io::Error::kind),
        Some(std::io::ErrorKind::NotFound)
    );
    assert!(server.requests().is_empty());
    Ok(())
}
