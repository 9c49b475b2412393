//! `x-ms-header-collection-prefix` on the wire, against a recording stub on loopback: a map
//! parameter goes out as one header per entry (`prefix + key`), and the response's typed accessor
//! collects every header with the prefix, keyed by the rest of its name.

use std::collections::BTreeMap;

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use fixture_header_collection_prefix::Client;
use fixture_header_collection_prefix::operations::{
    WidgetsGetMetadataHeaders, WidgetsSetMetadataOptions,
};

/// A map from `(key, value)` pairs.
fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

/// A client of `stub`.
fn client(stub: &LocalEndpoint) -> Client {
    Client::builder("sub")
        .endpoint(stub.http_url())
        .credential(stub.credential())
        .build()
        .expect("client")
}

#[tokio::test]
async fn each_entry_of_a_header_collection_is_its_own_header() {
    let stub = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .expect("stub");
    let options = WidgetsSetMetadataOptions::default()
        .with_x_ms_tag(map(&[("team", "blue")]))
        .with_header("x-ms-meta-owner", "caller");
    client(&stub)
        .widgets()
        .set_metadata(
            "w1",
            &map(&[("color", "red"), ("owner", "spec"), ("size", "10")]),
            Some(options),
        )
        .await
        .expect("sent");
    let requests = stub.requests();
    let sent: Vec<(&str, &str)> = requests[0]
        .headers
        .iter()
        .filter(|(name, _)| name.starts_with("x-ms-meta") || name.starts_with("x-ms-tag"))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    // The caller's own header replaces the entry of the same name.
    assert_eq!(
        sent,
        [
            ("x-ms-meta-color", "red"),
            ("x-ms-meta-owner", "caller"),
            ("x-ms-meta-size", "10"),
            ("x-ms-tag-team", "blue"),
        ]
    );
}

#[tokio::test]
async fn an_entry_that_is_no_header_fails_the_call_before_sending() {
    let stub = LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .expect("stub");
    let error = client(&stub)
        .widgets()
        .set_metadata("w1", &map(&[("bad key", "x")]), None)
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("x-ms-meta-bad key"), "{error}");
    assert!(stub.requests().is_empty());
}

#[tokio::test]
async fn the_response_accessor_collects_every_header_with_the_prefix() {
    let stub = LocalEndpoint::stub(|_, _| {
        FakeResponse::status(200)
            .with_header("x-ms-meta-color", "red")
            .with_header("X-MS-META-Size", "10")
            .with_header("x-ms-metadata", "not one of them")
            .with_header("x-ms-version", "3")
    })
    .await
    .expect("stub");
    let response = client(&stub)
        .widgets()
        .get_metadata("w1", None)
        .await
        .expect("read");
    assert_eq!(
        response.x_ms_meta(),
        map(&[("color", "red"), ("size", "10")])
    );
    assert_eq!(response.x_ms_version(), Some("3"));
}
