//! Client parameters on the wire, against a recording stub on loopback: the values set once on
//! the builder reach the path, query and headers of every operation using them; `build()` refuses
//! a missing required one or a value breaking the spec's constraints, naming the parameter; an
//! optional one left unset is not sent.

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use fixture_client_params::operations::WidgetsGetOptions;
use fixture_client_params::{Client, ClientBuilder, ClientParameters, ErrorKind, Rule, models};

/// A builder of a client of `stub` with the required client parameters set.
fn builder(stub: &LocalEndpoint) -> ClientBuilder<Client> {
    Client::builder("sub")
        .endpoint(stub.http_url())
        .credential(stub.credential())
        .tenant("contoso")
        .x_ms_workspace("ws1")
}

/// The parameter and rule of a refused `build()`.
fn refusal(result: Result<Client, fixture_client_params::Error>) -> (String, Rule) {
    let error = result.expect_err("refused");
    match error.kind() {
        ErrorKind::InvalidParameter(invalid) => {
            (invalid.target().to_owned(), invalid.rule().clone())
        }
        kind => panic!("not an invalid parameter: {kind:?}"),
    }
}

async fn stub() -> LocalEndpoint {
    LocalEndpoint::stub(|_, _| FakeResponse::status(200))
        .await
        .expect("stub")
}

#[tokio::test]
async fn the_client_values_reach_path_query_and_headers() {
    let stub = stub().await;
    let client = builder(&stub)
        .region(models::Region::West)
        .page_size(10)
        .filter("name eq 'a'&x=1")
        .build()
        .expect("client");
    let options = WidgetsGetOptions::default().with_verbose(true);
    client
        .widgets()
        .get("w1", Some(options))
        .await
        .expect("sent");
    let requests = stub.requests();
    // `$filter` is sent as given: its `&` adds a parameter (the URL parser still writes `'` as
    // `%27` in the query of an http URL, as WHATWG URLs do).
    assert_eq!(
        requests[0].target,
        "/subscriptions/sub/tenants/contoso/widgets/w1?%24filter=name%20eq%20%27a%27&x=1\
         &verbose=true&region=west&pageSize=10&api-version=2024-01-01"
    );
    let workspace = requests[0]
        .headers
        .iter()
        .find(|(name, _)| name == "x-ms-workspace");
    assert_eq!(workspace.map(|(_, value)| value.as_str()), Some("ws1"));
}

#[tokio::test]
async fn an_optional_client_value_left_unset_is_not_sent() {
    let stub = stub().await;
    let client = builder(&stub).build().expect("client");
    client.widgets().get("w1", None).await.expect("sent");
    assert_eq!(
        stub.requests()[0].target,
        "/subscriptions/sub/tenants/contoso/widgets/w1?api-version=2024-01-01"
    );
}

#[tokio::test]
async fn build_refuses_a_missing_or_invalid_client_value_naming_it() {
    let stub = stub().await;
    let missing = Client::builder("sub")
        .endpoint(stub.http_url())
        .credential(stub.credential())
        .tenant("contoso")
        .build();
    assert_eq!(
        refusal(missing),
        ("x-ms-workspace".to_owned(), Rule::Required)
    );
    assert_eq!(
        refusal(builder(&stub).tenant("Not/A/Tenant").build()),
        ("tenant".to_owned(), Rule::Pattern("^[a-z][a-z0-9-]*$"))
    );
    assert_eq!(
        refusal(builder(&stub).page_size(0).build()),
        ("pageSize".to_owned(), Rule::Minimum(1.0))
    );
    assert!(stub.requests().is_empty());
}
