//! Credentials as `azure_identity` hands them out (`Arc<Self>`) or shared as
//! `Arc<dyn TokenCredential>` are accepted, and their token reaches the wire.

mod common;

use std::sync::Arc;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::{Client, Secret, TokenCredential};
use azure_core::credentials::{AccessToken, TokenRequestOptions};
use common::get;
use time::{Duration, OffsetDateTime};

/// A credential shaped as `azure_identity`'s: its constructor returns `Arc<Self>` in an
/// `azure_core::Result`, as `DeveloperToolsCredential::new(None)?` does.
#[derive(Debug)]
struct IdentityLikeCredential {
    token: &'static str,
}

impl IdentityLikeCredential {
    fn new(token: &'static str) -> azure_core::Result<Arc<Self>> {
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
        Ok(AccessToken::new(
            self.token,
            OffsetDateTime::now_utc() + Duration::hours(1),
        ))
    }
}

#[tokio::test]
async fn credentials_as_azure_identity_returns_them_are_accepted_and_their_token_is_sent()
-> azure_core::Result<()> {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    let shared: Arc<dyn TokenCredential> = IdentityLikeCredential::new("shared-token")?;
    for (credential, token) in [
        (
            Client::builder("s").credential(IdentityLikeCredential::new("identity-token")?),
            "identity-token",
        ),
        (Client::builder("s").credential(shared), "shared-token"),
    ] {
        let client = credential.endpoint(server.http_url()).build().unwrap();
        client.send(get("Accounts_Get", "/test/a")).await.unwrap();
        let request = server.requests().pop().unwrap();
        assert_eq!(
            request.authorization.as_ref().map(Secret::expose),
            Some(format!("Bearer {token}").as_str())
        );
    }
    Ok(())
}
