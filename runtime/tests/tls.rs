//! Building a client leaves the process-wide rustls crypto provider alone: the client's TLS is
//! configured with a provider of its own. A test binary of its own, so that nothing else in the
//! process installs a default provider.

mod common;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::{Client, StaticTokenCredential};
use common::{TOKEN, get};
use rustls::crypto::CryptoProvider;

#[tokio::test]
async fn building_a_client_installs_no_crypto_provider_and_https_still_works() {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .unwrap();
    // With the system's roots only, and with the local endpoint's CA besides them.
    Client::builder("s")
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap();
    let client = Client::builder("s")
        .endpoint(server.https_url())
        .trust_certificate_pem(server.ca_certificate_pem())
        .credential(StaticTokenCredential::new(TOKEN))
        .build()
        .unwrap();
    assert!(CryptoProvider::get_default().is_none());

    let response = client.send(get("Accounts_Get", "/test/a")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.requests().len(), 1);
    assert!(CryptoProvider::get_default().is_none());
}
