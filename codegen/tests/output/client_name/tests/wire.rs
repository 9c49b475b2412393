//! `x-ms-client-name` on the wire, against a recording stub on loopback: the Rust names (the
//! definition's type `Gadget`, the path argument, the options `max_parts` and `trace_tag`, the fields `display_name` and
//! `part_count`) come from the extension, while the request and response keep the spec's names
//! (`{wdgt}`, `$top`, `x-ms-trace`, `dn`, `cnt`).

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use fixture_client_name::Client;
use fixture_client_name::models::Gadget;
use fixture_client_name::operations::WidgetsCreateOptions;
use serde_json::json;

#[tokio::test]
async fn client_names_are_rust_names_and_the_wire_keeps_the_spec_names() {
    let stub = LocalEndpoint::stub(|_, _| {
        FakeResponse::json(200, &json!({"dn": "blue widget", "cnt": 3}))
    })
    .await
    .expect("stub");
    let client = Client::builder("sub")
        .endpoint(stub.http_url())
        .credential(stub.credential())
        .build()
        .expect("client");
    let options = WidgetsCreateOptions::default()
        .with_max_parts(5)
        .with_trace_tag("t1");
    let widget = Gadget::new("blue widget").with_part_count(3);
    let created = client
        .widgets()
        .create("w1", &widget, Some(options))
        .await
        .expect("created");
    assert_eq!(created.display_name, "blue widget");
    assert_eq!(created.part_count, Some(3));

    let requests = stub.requests();
    let sent = &requests[0];
    assert_eq!(
        sent.path(),
        "/subscriptions/sub/providers/Microsoft.Widgets/widgets/w1"
    );
    let query = sent.target.split_once('?').map(|(_, query)| query);
    assert!(
        query.is_some_and(|query| query.split('&').any(|pair| pair == "%24top=5")),
        "{}",
        sent.target
    );
    assert_eq!(sent.header("x-ms-trace"), Some("t1"));
    assert_eq!(sent.json(), Some(json!({"dn": "blue widget", "cnt": 3})));
}
