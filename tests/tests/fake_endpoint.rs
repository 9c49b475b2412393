//! The generated crate's `fake` module: its route table covers the spec, the local endpoint
//! behaves like ARM for the generated client, and typed fakes override single operations, as a
//! user's tests would use them.

use std::collections::HashSet;

use azrm_cosmosdb::fake::{Endpoint, FakeError, Fault, FaultRule, ROUTES};
use azrm_cosmosdb::models::{DatabaseAccountCreateUpdateParameters, DatabaseAccountGetResults};
use azrm_cosmosdb::{Client, ErrorKind, RetryOptions};

const SUBSCRIPTION: &str = "00000000-0000-0000-0000-000000000001";

async fn start() -> (Endpoint, Client) {
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(1)
            .start()
            .await
            .expect("endpoint starts"),
    );
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .build()
        .expect("client builds");
    (endpoint, client)
}

fn account() -> DatabaseAccountCreateUpdateParameters {
    serde_json::from_value(serde_json::json!({
        "location": "westus",
        "properties": {
            "databaseAccountOfferType": "Standard",
            "locations": [{"locationName": "westus", "failoverPriority": 0}]
        }
    }))
    .expect("account parameters")
}

#[test]
fn the_route_table_has_every_operation_once() {
    assert_eq!(ROUTES.len(), 237);
    let ids: HashSet<&str> = ROUTES.iter().map(|route| route.operation_id).collect();
    assert_eq!(ids.len(), 237);
    assert_eq!(
        ROUTES.iter().filter(|r| r.long_running.is_some()).count(),
        110
    );
    assert_eq!(ROUTES.iter().filter(|r| r.pageable.is_some()).count(), 72);
    // Every operation that takes a body checks it against its model.
    assert!(
        ROUTES
            .iter()
            .filter(|r| matches!(
                r.method,
                azrm_runtime::Method::Put | azrm_runtime::Method::Patch
            ))
            .all(|r| r.decode_body.is_some())
    );
}

#[tokio::test]
async fn resources_are_stored_listed_and_deleted_with_their_children() {
    let (_endpoint, client) = start().await;
    let accounts = client.database_accounts();
    let created = accounts
        .begin_create_or_update("rg", "acct-1", &account(), None)
        .await
        .expect("create starts")
        .await
        .expect("create finishes");
    assert_eq!(created.name.as_deref(), Some("acct-1"));
    assert_eq!(
        created
            .properties
            .and_then(|p| p.provisioning_state)
            .as_deref(),
        Some("Succeeded")
    );

    let sql = client.sql_resources();
    for name in ["db-a", "db-b"] {
        sql.begin_create_update_sql_database(
            "rg",
            "acct-1",
            name,
            &workspace_tests::sql_database(name),
            None,
        )
        .await
        .expect("database create starts")
        .await
        .expect("database created");
    }
    let names: Vec<String> = sql
        .list_sql_databases("rg", "acct-1", None)
        .into_vec()
        .await
        .expect("list")
        .into_iter()
        .filter_map(|db| db.name)
        .collect();
    assert_eq!(names, ["db-a", "db-b"]);

    accounts
        .begin_delete("rg", "acct-1", None)
        .await
        .expect("delete starts")
        .await
        .expect("delete finishes");
    let error = sql
        .get_sql_database("rg", "acct-1", "db-a", None)
        .await
        .expect_err("children are gone with their parent");
    assert_eq!(error.status(), Some(404));
    assert_eq!(error.error_code(), Some("ResourceNotFound"));
}

#[tokio::test]
async fn a_typed_fake_overrides_one_operation() {
    let (endpoint, client) = start().await;
    endpoint.database_accounts().on_get(|request| {
        let name = request.account_name;
        if name == "forbidden" {
            return Err(FakeError::new(403, "AuthorizationFailed", "not yours"));
        }
        Ok(DatabaseAccountGetResults {
            name: Some(format!("faked-{name}")),
            ..Default::default()
        })
    });
    let faked = client
        .database_accounts()
        .get("rg", "anything", None)
        .await
        .expect("the fake answers");
    assert_eq!(faked.name.as_deref(), Some("faked-anything"));

    let error = client
        .database_accounts()
        .get("rg", "forbidden", None)
        .await
        .expect_err("the fake's error arrives as an ARM error");
    assert_eq!(error.status(), Some(403));
    assert_eq!(error.error_code(), Some("AuthorizationFailed"));
    // Other operations keep the stored behaviour.
    let listed = client
        .database_accounts()
        .list(None)
        .into_vec()
        .await
        .expect("list");
    assert!(listed.is_empty());
}

#[tokio::test]
async fn injected_throttling_is_retried_and_logged() {
    let (endpoint, _) = start().await;
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .retry(RetryOptions::new().max_retries(2))
        .build()
        .expect("client");
    endpoint.local().add_fault(
        FaultRule::new(Fault::Status {
            status: 429,
            retry_after: Some(0),
        })
        .operation("DatabaseAccounts_List")
        .first(2),
    );
    let listed = client.database_accounts().list(None).into_vec().await;
    assert!(listed.expect("third attempt succeeds").is_empty());
    let served: Vec<_> = endpoint
        .local()
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some("DatabaseAccounts_List"))
        .map(|r| (r.status, r.faulted))
        .collect();
    assert_eq!(
        served,
        [(Some(429), true), (Some(429), true), (Some(200), false)]
    );
}

#[tokio::test]
async fn invalid_bodies_get_the_arm_error_before_anything_is_stored() {
    let (endpoint, client) = start().await;
    let raw = reqwest_put(
        &endpoint,
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/acct-2",
        // `properties` is required by the model.
        r#"{"location":"westus"}"#,
    )
    .await;
    assert_eq!(raw.0, 400);
    assert!(raw.1.contains("InvalidRequestContent"), "{}", raw.1);
    let error = client
        .database_accounts()
        .get("rg", "acct-2", None)
        .await
        .expect_err("nothing stored");
    assert!(matches!(error.kind(), ErrorKind::Http { .. }));
}

#[tokio::test]
async fn an_unlisted_closed_enum_value_decodes_and_goes_back_unchanged() {
    use azrm_cosmosdb::models::DefaultConsistencyLevel;
    let (endpoint, client) = start().await;
    let path = format!(
        "/subscriptions/{SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/acct-3"
    );
    // `DefaultConsistencyLevel` is closed (`modelAsString: false`) and does not list this value,
    // as a later api-version might.
    let raw = reqwest_put(
        &endpoint,
        &path,
        r#"{"location":"westus","properties":{"databaseAccountOfferType":"Standard",
            "locations":[{"locationName":"westus"}],
            "consistencyPolicy":{"defaultConsistencyLevel":"Linearizable"}}}"#,
    )
    .await;
    assert!(matches!(raw.0, 200 | 201), "{raw:?}");
    let accounts = client.database_accounts();
    let fetched = accounts
        .get("rg", "acct-3", None)
        .await
        .expect("the GET decodes");
    let policy = fetched
        .into_model()
        .properties
        .and_then(|properties| properties.consistency_policy)
        .expect("the stored policy");
    let level = &policy.default_consistency_level;
    assert!(
        matches!(level, DefaultConsistencyLevel::Unlisted(_)),
        "{level:?}"
    );
    assert_eq!(level.as_str(), "Linearizable");
    assert_ne!(level, &DefaultConsistencyLevel::Strong);

    // GET, modify, PUT: the value goes back as it came.
    let mut params = account();
    params.properties.consistency_policy = Some(policy);
    accounts
        .begin_create_or_update("rg", "acct-3", &params, None)
        .await
        .expect("update starts")
        .await
        .expect("update finishes");
    let stored = plain_http()
        .get(raw_url(&endpoint, &path))
        .bearer_auth("test-token")
        .send()
        .await
        .expect("raw GET")
        .text()
        .await
        .expect("a body");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("JSON");
    assert_eq!(
        stored["properties"]["consistencyPolicy"]["defaultConsistencyLevel"],
        "Linearizable"
    );
}

/// The local endpoint's URL of `path`, with the api-version, for requests without the client.
fn raw_url(endpoint: &Endpoint, path: &str) -> String {
    format!(
        "{}{path}?api-version={}",
        endpoint.local().http_url(),
        azrm_cosmosdb::API_VERSION
    )
}

/// A reqwest client of the test's own, which needs a TLS crypto provider installed (the
/// generated client brings its own and installs none).
fn plain_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

/// A PUT sent without the generated client (which would refuse the body itself).
async fn reqwest_put(endpoint: &Endpoint, path: &str, body: &str) -> (u16, String) {
    let response = plain_http()
        .put(raw_url(endpoint, path))
        .bearer_auth("test-token")
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test(start_paused = true)]
async fn a_new_subscription_gets_the_provider_registered_by_the_generated_client() {
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .polls_until_done(1)
            .unregistered_providers()
            .start()
            .await
            .expect("endpoint starts"),
    );
    // The default registration settings: on, a read of the provider every 15 s.
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .build()
        .expect("client builds");
    let started = tokio::time::Instant::now();
    let created = client
        .database_accounts()
        .begin_create_or_update("rg", "fresh-account", &account(), None)
        .await
        .expect("the request is sent again after registration")
        .await
        .expect("the account is created");
    assert_eq!(created.name.as_deref(), Some("fresh-account"));
    let trail: Vec<String> = endpoint
        .local()
        .requests()
        .iter()
        .map(|r| {
            let path = r.target.split('?').next().unwrap_or_default();
            format!(
                "{} {} {:?}",
                r.method,
                path.rsplit('/').next().unwrap_or_default(),
                r.status
            )
        })
        .collect();
    assert_eq!(
        trail[..5],
        [
            "PUT fresh-account Some(409)",
            "POST register Some(200)",
            "GET Microsoft.DocumentDB Some(200)",
            "GET Microsoft.DocumentDB Some(200)",
            "PUT fresh-account Some(200)",
        ]
    );
    // Two reads of the provider, 15 s apart from the register request and each other.
    assert!(started.elapsed() >= std::time::Duration::from_secs(30));
    assert!(started.elapsed() < std::time::Duration::from_secs(35));

    // Turned off, the 409 reaches the caller.
    let endpoint = Endpoint::from(
        Endpoint::builder()
            .unregistered_providers()
            .start()
            .await
            .expect("endpoint starts"),
    );
    let client = endpoint
        .client_builder(SUBSCRIPTION)
        .provider_registration(azrm_cosmosdb::ProviderRegistration::disabled())
        .build()
        .expect("client builds");
    let error = client
        .database_accounts()
        .get("rg", "fresh-account", None)
        .await
        .expect_err("not registered");
    assert_eq!(error.error_code(), Some("MissingSubscriptionRegistration"));
}
