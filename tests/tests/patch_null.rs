//! Clearing a property with a merge-patch `PATCH` (`DatabaseAccounts_Update`): a cleared
//! property reaches the wire as `null`, an untouched one stays out of the body, and a set one is
//! sent with its value, through the generated client to a recording stub server.

use azrm_cosmosdb::models::DatabaseAccountUpdateParameters;
use azrm_cosmosdb::{Client, Nullable, StaticTokenCredential};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use serde_json::{Value, json};

const SUBSCRIPTION: &str = "00000000-1111-2222-3333-444444444444";

/// The body `DatabaseAccounts_Update` sends for `parameters`.
async fn patch_body(parameters: DatabaseAccountUpdateParameters) -> Value {
    let server = LocalEndpoint::stub(|_, _| FakeResponse::json(200, &json!({"name": "ddb1"})))
        .await
        .unwrap();
    let client = Client::builder(SUBSCRIPTION)
        .endpoint(server.http_url())
        .credential(StaticTokenCredential::new("token"))
        .build()
        .unwrap();
    let account = client
        .database_accounts()
        .begin_update("rg1", "ddb1", &parameters, None)
        .await
        .unwrap()
        .await
        .unwrap();
    assert_eq!(account.name.as_deref(), Some("ddb1"));
    let requests = server.requests();
    assert_eq!(requests[0].method, "PATCH");
    requests[0].json().unwrap()
}

#[tokio::test]
async fn cleared_properties_are_sent_as_null_and_untouched_ones_are_left_out() {
    let parameters = DatabaseAccountUpdateParameters::default()
        .clear_tags()
        .clear_ip_rules()
        .with_enable_free_tier(false);
    assert_eq!(
        patch_body(parameters).await,
        json!({"tags": null, "properties": {"ipRules": null, "enableFreeTier": false}})
    );
}

#[tokio::test]
async fn a_default_patch_sends_an_empty_object() {
    let parameters = DatabaseAccountUpdateParameters::default();
    assert!(parameters.properties.is_absent());
    assert_eq!(patch_body(parameters).await, json!({}));
}

#[tokio::test]
async fn a_whole_nested_object_can_be_cleared() {
    let parameters = DatabaseAccountUpdateParameters {
        identity: Nullable::Null,
        ..Default::default()
    };
    assert_eq!(patch_body(parameters).await, json!({"identity": null}));
}
