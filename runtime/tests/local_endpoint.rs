//! The local ARM endpoint (`azrm_local_endpoint`) against the runtime's own client, pager and
//! poller, with a hand-written route table for a made-up provider, `Microsoft.Widgets`.

mod common;

use std::time::Duration;

use azrm_local_endpoint::{
    Behaviour, ExampleResponse, FakeResponse, Fault, FaultRule, LocalEndpoint, Pageable, Route,
    decode_as,
};
use azrm_runtime::json::{Decode, DecodeError, Encode, JsonWriter, ValueSource, required};
use azrm_runtime::{
    CallOptions, Client, Error, ErrorKind, FinalStateVia, ItemPage, LroOptions, Method, Pager,
    Poller, PollerStatus, RawResponse, Request, RetryOptions,
};
use futures::TryStreamExt as _;
use serde_json::{Value, json};
use tokio::time::Instant;

const API_VERSION: &str = "2024-01-01";
const SUB: &str = "sub-1";

const RG_WIDGETS: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets";
const WIDGET: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}";
const GADGET: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgets/{gadgetName}";

/// The request body model of `Widgets_CreateOrUpdate`: unknown properties are refused.
struct WidgetModel {
    location: String,
    tags: Option<Value>,
    properties: Option<WidgetProperties>,
}

impl Decode for WidgetModel {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let (mut location, mut tags, mut properties) = (None, None, None);
        source.object("a widget", &mut |key, value| {
            match key {
                "location" => location = Some(String::decode(value)?),
                "tags" => tags = Option::decode(value)?,
                "properties" => properties = Option::decode(value)?,
                _ => return Err(DecodeError::new(format!("unknown field `{key}`"))),
            }
            Ok(())
        })?;
        Ok(Self {
            location: required(location, "WidgetModel", "location")?,
            tags,
            properties,
        })
    }
}

impl Encode for WidgetModel {
    fn encode(&self, out: &mut JsonWriter) {
        let mut object = out.object();
        object.field("location", &self.location);
        object.optional("tags", &self.tags);
        object.optional("properties", &self.properties);
        object.end();
    }
}

struct WidgetProperties {
    size: Option<i64>,
    provisioning_state: Option<String>,
}

impl Decode for WidgetProperties {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let (mut size, mut provisioning_state) = (None, None);
        source.object("widget properties", &mut |key, value| {
            match key {
                "size" => size = Option::decode(value)?,
                "provisioningState" => provisioning_state = Option::decode(value)?,
                _ => value.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self {
            size,
            provisioning_state,
        })
    }
}

impl Encode for WidgetProperties {
    fn encode(&self, out: &mut JsonWriter) {
        let mut object = out.object();
        object.optional("size", &self.size);
        object.read_only("provisioningState", &self.provisioning_state);
        object.end();
    }
}

const fn route(
    operation_id: &'static str,
    method: Method,
    path_template: &'static str,
    behaviour: Behaviour,
    statuses: &'static [u16],
) -> Route {
    Route {
        operation_id,
        method,
        path_template,
        behaviour,
        statuses,
        long_running: None,
        pageable: None,
        example: None,
        decode_body: None,
        provisioning_state: true,
    }
}

const PAGED: Option<Pageable> = Some(Pageable {
    item_name: "value",
    next_link_name: Some("nextLink"),
});

const fn lro(route: Route, final_state_via: Option<FinalStateVia>) -> Route {
    Route {
        long_running: Some(final_state_via),
        ..route
    }
}

const fn with_example(route: Route, status: u16, body: &'static str) -> Route {
    Route {
        example: Some(ExampleResponse { status, body }),
        ..route
    }
}

static ROUTES: &[Route] = &[
    Route {
        decode_body: Some(decode_as::<WidgetModel>),
        ..route(
            "Widgets_CreateOrUpdate",
            Method::Put,
            WIDGET,
            Behaviour::CreateOrReplace,
            &[200, 201],
        )
    },
    route("Widgets_Get", Method::Get, WIDGET, Behaviour::Read, &[200]),
    route(
        "Widgets_Update",
        Method::Patch,
        WIDGET,
        Behaviour::Update,
        &[200],
    ),
    route(
        "Widgets_Delete",
        Method::Delete,
        WIDGET,
        Behaviour::Delete,
        &[200, 204],
    ),
    route(
        "Widgets_CheckExistence",
        Method::Head,
        WIDGET,
        Behaviour::Exists,
        &[200, 404],
    ),
    Route {
        pageable: PAGED,
        ..route(
            "Widgets_ListByResourceGroup",
            Method::Get,
            RG_WIDGETS,
            Behaviour::List,
            &[200],
        )
    },
    Route {
        pageable: PAGED,
        ..route(
            "Widgets_List",
            Method::Get,
            "/subscriptions/{subscriptionId}/providers/Microsoft.Widgets/widgets",
            Behaviour::List,
            &[200],
        )
    },
    with_example(
        route(
            "Widgets_GetSettings",
            Method::Get,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/settings/default",
            Behaviour::Read,
            &[200],
        ),
        200,
        r#"{"id": "example-id", "name": "default", "properties": {"mode": "auto"}}"#,
    ),
    with_example(
        route(
            "Widgets_ListKeys",
            Method::Post,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/listKeys",
            Behaviour::Action,
            &[200],
        ),
        200,
        r#"{"primaryKey": "k1"}"#,
    ),
    route(
        "Widgets_Ping",
        Method::Post,
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/ping",
        Behaviour::Action,
        &[204],
    ),
    route(
        "Parts_CreateOrUpdate",
        Method::Put,
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/parts/{partName}",
        Behaviour::CreateOrReplace,
        &[200, 201],
    ),
    route(
        "Parts_Get",
        Method::Get,
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/parts/{partName}",
        Behaviour::Read,
        &[200],
    ),
    Route {
        pageable: Some(Pageable {
            item_name: "parts",
            next_link_name: None,
        }),
        ..route(
            "Parts_List",
            Method::Get,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}/parts",
            Behaviour::List,
            &[200],
        )
    },
    lro(
        route(
            "Gadgets_Create",
            Method::Put,
            GADGET,
            Behaviour::CreateOrReplace,
            &[200, 201],
        ),
        None,
    ),
    route("Gadgets_Get", Method::Get, GADGET, Behaviour::Read, &[200]),
    lro(
        route(
            "Gadgets_Delete",
            Method::Delete,
            GADGET,
            Behaviour::Delete,
            &[202, 204],
        ),
        None,
    ),
    lro(
        route(
            "Gadgets_CreateViaLocation",
            Method::Put,
            "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgetsByLocation/{gadgetName}",
            Behaviour::CreateOrReplace,
            &[200, 201],
        ),
        Some(FinalStateVia::Location),
    ),
    route(
        "Gadgets_GetViaLocation",
        Method::Get,
        "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgetsByLocation/{gadgetName}",
        Behaviour::Read,
        &[200],
    ),
    lro(
        with_example(
            route(
                "Gadgets_Restart",
                Method::Post,
                "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgets/{gadgetName}/restart",
                Behaviour::Action,
                &[200, 202],
            ),
            200,
            r#"{"restarted": true}"#,
        ),
        Some(FinalStateVia::Location),
    ),
    lro(
        with_example(
            route(
                "Gadgets_Export",
                Method::Post,
                "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgets/{gadgetName}/export",
                Behaviour::Action,
                &[200, 202],
            ),
            200,
            r#"{"exportId": "e-1"}"#,
        ),
        Some(FinalStateVia::AzureAsyncOperation),
    ),
    lro(
        with_example(
            route(
                "Gadgets_Snapshot",
                Method::Post,
                "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/gadgets/{gadgetName}/snapshot",
                Behaviour::Action,
                &[202],
            ),
            200,
            r#"{"snapshotId": "s-1"}"#,
        ),
        Some(FinalStateVia::OperationLocation),
    ),
];

async fn start() -> LocalEndpoint {
    LocalEndpoint::builder(ROUTES, API_VERSION)
        .start()
        .await
        .unwrap()
}

/// A client of the endpoint's http URL with fast retries and no poll delay.
fn client(endpoint: &LocalEndpoint) -> Client {
    Client::builder(SUB)
        .endpoint(endpoint.http_url())
        .credential(endpoint.credential())
        .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap()
}

fn widget(resource_group: &str, name: &str) -> String {
    format!(
        "/subscriptions/{SUB}/resourceGroups/{resource_group}/providers/Microsoft.Widgets/widgets/{name}"
    )
}

fn gadget(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Widgets/gadgets/{name}")
}

fn request(
    operation_id: &'static str,
    method: Method,
    path: &str,
    body: Option<Value>,
    expected_status: &'static [u16],
) -> Request {
    Request {
        operation_id,
        method,
        path_template: "(test)",
        path: path.to_owned(),
        query: Vec::new(),
        headers: Vec::new(),
        body: body.map(|body| serde_json::to_vec(&body).unwrap()),
        api_version: API_VERSION,
        expected_status,
        call: CallOptions::new(),
    }
}

async fn send(client: &Client, request: Request) -> Result<(u16, Value), Error> {
    let response = client.send(request).await?;
    Ok((response.status(), json_of(&response)))
}

/// A plain reqwest client (rustls on ring).
fn raw_http() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

async fn json_body(response: reqwest::Response) -> Value {
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

fn json_of(response: &RawResponse) -> Value {
    serde_json::from_slice(response.body()).unwrap_or(Value::Null)
}

/// The status and ARM error code of a failed call.
fn http_error(error: &Error) -> (u16, String) {
    match error.kind() {
        ErrorKind::Http { status, error, .. } => (
            *status,
            error
                .as_ref()
                .and_then(|error| error.code.clone())
                .unwrap_or_default(),
        ),
        other => panic!("not an HTTP error: {other:?}"),
    }
}

async fn put_widget(client: &Client, resource_group: &str, name: &str) -> (u16, Value) {
    send(
        client,
        request(
            "Widgets_CreateOrUpdate",
            Method::Put,
            &widget(resource_group, name),
            Some(json!({"location": "westus", "properties": {"size": 3}})),
            &[200, 201],
        ),
    )
    .await
    .unwrap()
}

async fn get_widget(client: &Client, path: &str) -> Result<(u16, Value), Error> {
    send(
        client,
        request("Widgets_Get", Method::Get, path, None, &[200]),
    )
    .await
}

#[tokio::test]
async fn put_get_patch_delete_like_arm_and_delete_removes_children() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let path = widget("rg", "W1");

    let (status, created) = put_widget(&client, "rg", "W1").await;
    assert_eq!(status, 201);
    assert_eq!(created["id"], path);
    assert_eq!(created["name"], "W1");
    assert_eq!(created["type"], "Microsoft.Widgets/widgets");
    assert_eq!(created["location"], "westus");
    assert_eq!(created["properties"]["size"], 3);
    assert_eq!(created["properties"]["provisioningState"], "Succeeded");
    assert_eq!(created["systemData"]["createdBy"], "local");
    let created_at = created["systemData"]["createdAt"].as_str().unwrap();
    time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
        .unwrap();

    // Replacing answers 200; paths are case-insensitive and keep the first casing.
    let (status, replaced) = put_widget(&client, "RG", "w1").await;
    assert_eq!(status, 200);
    assert_eq!(replaced["id"], path);
    assert_eq!(replaced["systemData"]["createdAt"], created_at);
    let (status, read) = get_widget(&client, &path.to_uppercase().replace("SUB-1", SUB))
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert_eq!(read, replaced);

    // PATCH merges (null removes).
    let patch = json!({"tags": {"env": "test"}, "location": null, "properties": {"color": "red"}});
    let (status, patched) = send(
        &client,
        request("Widgets_Update", Method::Patch, &path, Some(patch), &[200]),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(patched["tags"], json!({"env": "test"}));
    assert!(patched.get("location").is_none());
    assert_eq!(patched["properties"]["size"], 3);
    assert_eq!(patched["properties"]["color"], "red");
    assert_eq!(get_widget(&client, &path).await.unwrap().1, patched);

    let head = |path: String| {
        let client = client.clone();
        async move {
            client
                .send(request(
                    "Widgets_CheckExistence",
                    Method::Head,
                    &path,
                    None,
                    &[200, 404],
                ))
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(head(path.clone()).await, 200);

    let part = format!("{path}/parts/p1");
    let (status, stored_part) = send(
        &client,
        request(
            "Parts_CreateOrUpdate",
            Method::Put,
            &part,
            Some(json!({"properties": {}})),
            &[200, 201],
        ),
    )
    .await
    .unwrap();
    assert_eq!(status, 201);
    assert_eq!(stored_part["type"], "Microsoft.Widgets/widgets/parts");

    let delete = |path: String| {
        let client = client.clone();
        async move {
            client
                .send(request(
                    "Widgets_Delete",
                    Method::Delete,
                    &path,
                    None,
                    &[200, 204],
                ))
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(delete(path.clone()).await, 200);
    assert_eq!(delete(path.clone()).await, 204);
    assert_eq!(head(path.clone()).await, 404);
    let error = get_widget(&client, &path).await.unwrap_err();
    assert_eq!(http_error(&error), (404, "ResourceNotFound".into()));
    let error = send(
        &client,
        request("Parts_Get", Method::Get, &part, None, &[200]),
    )
    .await
    .unwrap_err();
    assert_eq!(http_error(&error), (404, "ResourceNotFound".into()));
    let error = send(
        &client,
        request(
            "Widgets_Update",
            Method::Patch,
            &path,
            Some(json!({})),
            &[200],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(http_error(&error), (404, "ResourceNotFound".into()));

    let operations: Vec<Option<String>> = endpoint
        .requests()
        .into_iter()
        .map(|r| r.operation_id)
        .collect();
    assert_eq!(
        operations.first(),
        Some(&Some("Widgets_CreateOrUpdate".to_owned()))
    );
    assert!(operations.iter().all(Option::is_some));
}

/// A page of widgets, as raw JSON.
type WidgetList = common::ListPage<Value>;

fn names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_of_250_come_in_3_pages_with_every_item_once() {
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .page_size(100)
        .start()
        .await
        .unwrap();
    let client = client(&endpoint);
    for index in 0..250 {
        put_widget(&client, "rg", &format!("w{index:03}")).await;
    }
    let list =
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Widgets/widgets");
    let pager: Pager<WidgetList> = Pager::new(
        client.clone(),
        request(
            "Widgets_ListByResourceGroup",
            Method::Get,
            &list,
            None,
            &[200],
        ),
    );
    let pages: Vec<Vec<Value>> = pager
        .pages()
        .map_ok(ItemPage::into_items)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let all: Vec<String> = pages.iter().flat_map(|page| names(page)).collect();
    let expected: Vec<String> = (0..250).map(|index| format!("w{index:03}")).collect();
    assert_eq!(all, expected);

    let lists: Vec<String> = endpoint
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some("Widgets_ListByResourceGroup"))
        .map(|r| r.target)
        .collect();
    assert_eq!(lists.len(), 3);
    assert!(
        lists[1].ends_with("?api-version=2024-01-01&%24skipToken=100"),
        "{}",
        lists[1]
    );
    assert!(lists[2].ends_with("%24skipToken=200"), "{}", lists[2]);

    // The raw first page: a nextLink to the same endpoint and scheme.
    let (_, first) = send(
        &client,
        request(
            "Widgets_ListByResourceGroup",
            Method::Get,
            &list,
            None,
            &[200],
        ),
    )
    .await
    .unwrap();
    let next = first["nextLink"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{}{list}?", endpoint.http_url())),
        "{next}"
    );
}

#[tokio::test]
async fn subscription_lists_see_every_resource_group_and_unpaged_lists_have_one_page() {
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .page_size(2)
        .start()
        .await
        .unwrap();
    let client = client(&endpoint);
    put_widget(&client, "rg-b", "b1").await;
    put_widget(&client, "rg-a", "a1").await;
    put_widget(&client, "rg-a", "a2").await;
    // Another subscription, and a child resource: neither is a widget of sub-1.
    send(
        &client,
        request(
            "Widgets_CreateOrUpdate",
            Method::Put,
            "/subscriptions/sub-2/resourceGroups/rg-a/providers/Microsoft.Widgets/widgets/other",
            Some(json!({"location": "westus"})),
            &[201],
        ),
    )
    .await
    .unwrap();
    for part in ["p2", "p1", "p3"] {
        send(
            &client,
            request(
                "Parts_CreateOrUpdate",
                Method::Put,
                &format!("{}/parts/{part}", widget("rg-a", "a1")),
                Some(json!({})),
                &[201],
            ),
        )
        .await
        .unwrap();
    }

    let subscription_list = format!("/subscriptions/{SUB}/providers/Microsoft.Widgets/widgets");
    let items = Pager::<WidgetList>::new(
        client.clone(),
        request(
            "Widgets_List",
            Method::Get,
            &subscription_list,
            None,
            &[200],
        ),
    )
    .into_vec()
    .await
    .unwrap();
    assert_eq!(names(&items), ["a1", "a2", "b1"]);

    let group_list =
        format!("/subscriptions/{SUB}/resourceGroups/rg-a/providers/Microsoft.Widgets/widgets");
    let items = Pager::<WidgetList>::new(
        client.clone(),
        request(
            "Widgets_ListByResourceGroup",
            Method::Get,
            &group_list,
            None,
            &[200],
        ),
    )
    .into_vec()
    .await
    .unwrap();
    assert_eq!(names(&items), ["a1", "a2"]);

    // `Parts_List` has no nextLink property: all items at once under its item name.
    let (_, parts) = send(
        &client,
        request(
            "Parts_List",
            Method::Get,
            &format!("{}/parts", widget("rg-a", "a1")),
            None,
            &[200],
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        names(parts["parts"].as_array().unwrap()),
        ["p1", "p2", "p3"]
    );
    assert_eq!(parts.as_object().unwrap().len(), 1);
}

/// Sends `request`, then starts a poller on its answer as generated code does.
async fn begin<T>(
    client: &Client,
    request: Request,
    final_state_via: Option<FinalStateVia>,
) -> Poller<T>
where
    T: Decode + Send + 'static,
{
    let response = client.send(request.clone()).await.unwrap();
    Poller::start(
        client.clone(),
        &request,
        response,
        LroOptions { final_state_via },
    )
    .unwrap()
}

/// The method and path (without query) of every request after the first `skip`.
fn trail(endpoint: &LocalEndpoint, skip: usize) -> Vec<String> {
    endpoint
        .requests()
        .into_iter()
        .skip(skip)
        .map(|r| {
            let path = r.target.split('?').next().unwrap_or_default().to_owned();
            let last = path.rsplit('/').take(2).collect::<Vec<_>>();
            format!("{} {} {:?}", r.method, last[1], r.status)
        })
        .collect()
}

#[tokio::test]
async fn long_running_put_is_polled_then_read_from_the_original_uri() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let path = gadget("g1");
    let mut poller: Poller<Value> = begin(
        &client,
        request(
            "Gadgets_Create",
            Method::Put,
            &path,
            Some(json!({"properties": {}})),
            &[200, 201],
        ),
        None,
    )
    .await;
    assert!(!poller.is_done());
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::InProgress);
    assert_eq!(poller.status(), &PollerStatus::InProgress);
    assert_eq!(poller.poll().await.unwrap(), PollerStatus::Succeeded);
    assert_eq!(poller.status(), &PollerStatus::Succeeded);
    let gadget = poller.wait().await.unwrap();
    assert_eq!(gadget["id"], path);
    assert_eq!(gadget["properties"]["provisioningState"], "Succeeded");
    assert_eq!(
        trail(&endpoint, 0),
        [
            "PUT gadgets Some(201)",
            "GET operationsStatus Some(200)",
            "GET operationsStatus Some(200)",
            "GET gadgets Some(200)",
        ]
    );
    let initial = &endpoint.requests()[0];
    assert_eq!(initial.operation_id.as_deref(), Some("Gadgets_Create"));
    assert_eq!(endpoint.requests()[1].operation_id, None);
}

#[tokio::test]
async fn long_running_put_with_final_state_via_location_reads_the_resource_at_its_own_url() {
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .polls_until_done(2)
        .start()
        .await
        .unwrap();
    let client = client(&endpoint);
    let path = format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Widgets/gadgetsByLocation/g2"
    );
    let poller: Poller<Value> = begin(
        &client,
        request(
            "Gadgets_CreateViaLocation",
            Method::Put,
            &path,
            Some(json!({"properties": {"size": 1}})),
            &[200, 201],
        ),
        Some(FinalStateVia::Location),
    )
    .await;
    let gadget = poller.await.unwrap();
    assert_eq!(gadget["id"], path);
    assert_eq!(gadget["properties"]["size"], 1);
    assert_eq!(
        trail(&endpoint, 0),
        [
            "PUT gadgetsByLocation Some(201)",
            "GET operationsStatus Some(200)",
            "GET operationsStatus Some(200)",
            "GET operationsStatus Some(200)",
            "GET gadgetsByLocation Some(200)",
        ]
    );
}

#[tokio::test]
async fn long_running_delete_ends_when_the_status_monitor_succeeds() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let path = gadget("g3");
    send(
        &client,
        request(
            "Gadgets_Create",
            Method::Put,
            &path,
            Some(json!({})),
            &[200, 201],
        ),
    )
    .await
    .unwrap();
    let skip = endpoint.requests().len();
    let poller: Poller<()> = begin(
        &client,
        request("Gadgets_Delete", Method::Delete, &path, None, &[202, 204]),
        None,
    )
    .await;
    poller.await.unwrap();
    // The resource is gone: as the Azure SDKs do, nothing is fetched after the status monitor
    // says `Succeeded` (the `Location` is read for a `DELETE` only with final-state-via location).
    assert_eq!(
        trail(&endpoint, skip),
        [
            "DELETE gadgets Some(202)",
            "GET operationsStatus Some(200)",
            "GET operationsStatus Some(200)",
        ]
    );
    let error = send(
        &client,
        request("Gadgets_Get", Method::Get, &path, None, &[200]),
    )
    .await
    .unwrap_err();
    assert_eq!(http_error(&error).0, 404);

    // Deleting what is not there is 204 at once: nothing to poll.
    let response = client
        .send(request(
            "Gadgets_Delete",
            Method::Delete,
            &path,
            None,
            &[202, 204],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.header("azure-asyncoperation"), None);
}

#[tokio::test]
async fn long_running_actions_end_with_the_example_for_each_final_state_via() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let cases = [
        (
            "Gadgets_Restart",
            "restart",
            FinalStateVia::Location,
            json!({"restarted": true}),
        ),
        (
            "Gadgets_Export",
            "export",
            FinalStateVia::AzureAsyncOperation,
            json!({"exportId": "e-1"}),
        ),
        (
            "Gadgets_Snapshot",
            "snapshot",
            FinalStateVia::OperationLocation,
            json!({"snapshotId": "s-1"}),
        ),
    ];
    for (operation_id, action, via, expected) in cases {
        let skip = endpoint.requests().len();
        let path = format!("{}/{action}", gadget("g4"));
        let request = request(operation_id, Method::Post, &path, None, &[200, 202]);
        let initial = client.send(request.clone()).await.unwrap();
        assert_eq!(initial.status(), 202);
        assert!(
            initial
                .header("location")
                .unwrap()
                .contains("/operationResults/")
        );
        assert_eq!(initial.header("retry-after"), Some("0"));
        assert_eq!(
            initial.header("operation-location").is_some(),
            via == FinalStateVia::OperationLocation
        );
        let poller: Poller<Value> = Poller::start(
            client.clone(),
            &request,
            initial,
            LroOptions {
                final_state_via: Some(via),
            },
        )
        .unwrap();
        assert_eq!(poller.await.unwrap(), expected, "{operation_id}");
        let monitors: Vec<String> = trail(&endpoint, skip).into_iter().skip(1).collect();
        let expected_trail: &[&str] = match via {
            FinalStateVia::Location => &[
                "GET operationsStatus Some(200)",
                "GET operationsStatus Some(200)",
                "GET operationResults Some(200)",
            ],
            _ => &[
                "GET operationsStatus Some(200)",
                "GET operationsStatus Some(200)",
            ],
        };
        assert_eq!(monitors, expected_trail, "{operation_id}");
    }
}

#[tokio::test]
async fn operation_status_reports_progress_and_retry_after() {
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .polls_until_done(2)
        .retry_after(Duration::from_millis(1500))
        .start()
        .await
        .unwrap();
    let client = client(&endpoint);
    let response = client
        .send(request(
            "Gadgets_Delete",
            Method::Delete,
            &gadget("absent"),
            None,
            &[202, 204],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    send(
        &client,
        request(
            "Gadgets_Create",
            Method::Put,
            &gadget("g5"),
            Some(json!({})),
            &[200, 201],
        ),
    )
    .await
    .unwrap();
    let response = client
        .send(request(
            "Gadgets_Delete",
            Method::Delete,
            &gadget("g5"),
            None,
            &[202, 204],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    assert_eq!(response.header("retry-after"), Some("2"));
    let status_url = response.header("azure-asyncoperation").unwrap().to_owned();
    assert!(
        status_url.starts_with(&format!(
            "{}/subscriptions/{SUB}/providers/Microsoft.Widgets/locations/local/operationsStatus/",
            endpoint.http_url()
        )),
        "{status_url}"
    );
    assert!(status_url.ends_with("?api-version=2024-01-01"));
    let location = response.header("location").unwrap().to_owned();

    let http = raw_http();
    let get = |url: String| {
        let http = http.clone();
        async move { http.get(url).bearer_auth("any").send().await.unwrap() }
    };
    let first = get(location.clone()).await;
    assert_eq!(first.status(), 202);
    assert_eq!(first.headers()["retry-after"], "2");
    assert_eq!(first.headers()["location"].to_str().unwrap(), location);
    // Status bodies carry the status only, as Cosmos DB's do.
    let second = json_body(get(status_url.clone()).await).await;
    assert_eq!(second, json!({"status": "InProgress"}));
    let third = json_body(get(status_url.clone()).await).await;
    assert_eq!(third, json!({"status": "Succeeded"}));
    assert_eq!(get(location).await.status(), 204);
}

#[tokio::test]
async fn throttling_faults_are_retried_by_the_client_until_they_stop() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let path = widget("rg", "w");
    put_widget(&client, "rg", "w").await;
    endpoint.add_fault(
        FaultRule::new(Fault::Status {
            status: 429,
            retry_after: Some(0),
        })
        .operation("Widgets_Get")
        .first(2),
    );
    let (status, body) = get_widget(&client, &path).await.unwrap();
    assert_eq!((status, body["name"].as_str()), (200, Some("w")));
    let gets: Vec<(Option<u16>, bool)> = endpoint
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some("Widgets_Get"))
        .map(|r| (r.status, r.faulted))
        .collect();
    assert_eq!(
        gets,
        [(Some(429), true), (Some(429), true), (Some(200), false)]
    );

    // A fault by path fragment on every request, without retries: the ARM error and its header.
    endpoint.add_fault(
        FaultRule::new(Fault::Status {
            status: 503,
            retry_after: Some(7),
        })
        .path_contains("/WIDGETS/broken"),
    );
    let no_retries = Client::builder(SUB)
        .endpoint(endpoint.http_url())
        .credential(endpoint.credential())
        .retry(RetryOptions::none())
        .build()
        .unwrap();
    for _ in 0..2 {
        let error = get_widget(&no_retries, &widget("rg", "broken"))
            .await
            .unwrap_err();
        assert_eq!(http_error(&error), (503, "ServiceUnavailable".into()));
        assert_eq!(error.headers().unwrap().get("retry-after"), Some("7"));
    }
}

#[tokio::test]
async fn reset_connections_and_truncated_bodies_are_retried_then_surface_as_transport_errors() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let path = widget("rg", "w");
    put_widget(&client, "rg", "w").await;

    // A reset before any byte, then a body cut in half: a GET is sent again each time.
    endpoint.add_fault(
        FaultRule::new(Fault::ResetConnection)
            .operation("Widgets_Get")
            .nth(1),
    );
    endpoint.add_fault(
        FaultRule::new(Fault::TruncatedBody)
            .operation("Widgets_Get")
            .nth(2),
    );
    assert_eq!(get_widget(&client, &path).await.unwrap().0, 200);
    let gets: Vec<(Option<u16>, bool)> = endpoint
        .requests()
        .into_iter()
        .filter(|r| r.operation_id.as_deref() == Some("Widgets_Get"))
        .map(|r| (r.status, r.faulted))
        .collect();
    assert_eq!(gets, [(None, true), (Some(200), true), (Some(200), false)]);

    // When every attempt is cut off, the error is a transport error, after the retries.
    put_widget(&client, "rg", "other").await;
    endpoint.add_fault(FaultRule::new(Fault::ResetConnection).path_contains("/widgets/other"));
    let error = get_widget(&client, &widget("rg", "other"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport { .. }),
        "{error:?}"
    );
    let attempts = endpoint
        .requests()
        .iter()
        .filter(|r| r.target.contains("/widgets/other") && r.method == "GET")
        .count();
    // The default three retries.
    assert_eq!(attempts, 4);

    // On the wire: a truncated body declares its full length and carries half of it; a reset
    // connection closes without a byte.
    endpoint.add_fault(
        FaultRule::new(Fault::ResetConnection)
            .path_contains("/widgets/W")
            .first(1),
    );
    let exchange = raw_exchange(&endpoint, &path).await;
    assert!(
        exchange.is_empty(),
        "{}",
        String::from_utf8_lossy(&exchange)
    );
    endpoint.add_fault(FaultRule::new(Fault::TruncatedBody).operation("Widgets_Get"));
    let exchange = raw_exchange(&endpoint, &path).await;
    let text = String::from_utf8(exchange).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let declared: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(declared > 100);
    assert_eq!(body.len(), declared / 2);
    let faults: Vec<bool> = endpoint.requests().iter().map(|r| r.faulted).collect();
    let count = faults.len();
    assert!(faults[count - 2] && faults[count - 1]);
}

/// A raw GET of `path` on a new connection: every byte the endpoint sends until it closes.
async fn raw_exchange(endpoint: &LocalEndpoint, path: &str) -> Vec<u8> {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let address = endpoint.http_url().replace("http://", "");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {path}?api-version={API_VERSION} HTTP/1.1\r\nhost: local\r\n\
         authorization: Bearer x\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    // A reset may surface as an error after the bytes that did arrive.
    let _ = stream.read_to_end(&mut received).await;
    received
}

/// On a paused clock: the times are the clock's, exact.
#[tokio::test(start_paused = true)]
async fn delays_answer_late_and_a_client_timeout_retries() {
    let endpoint = start().await;
    put_widget(&client(&endpoint), "rg", "w").await;
    endpoint.add_fault(
        FaultRule::new(Fault::Delay(Duration::from_secs(5)))
            .operation("Widgets_Get")
            .first(1),
    );
    let impatient = Client::builder(SUB)
        .endpoint(endpoint.http_url())
        .credential(endpoint.credential())
        .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let (status, _) = get_widget(&impatient, &widget("rg", "w")).await.unwrap();
    assert_eq!(status, 200);
    // One attempt timed out after 300 ms, the retry (after about 1 ms) was answered at once.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited <= Duration::from_millis(305),
        "{waited:?}"
    );

    endpoint.add_fault(
        FaultRule::new(Fault::Delay(Duration::from_millis(200)))
            .operation("Widgets_Get")
            .nth(2),
    );
    let client = client(&endpoint);
    get_widget(&client, &widget("rg", "w")).await.unwrap();
    let started = Instant::now();
    get_widget(&client, &widget("rg", "w")).await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_millis(200));
}

#[tokio::test]
async fn handlers_override_operations_and_can_defer_to_the_stored_behaviour() {
    let endpoint = start().await;
    let client = client(&endpoint);
    endpoint.on("Widgets_Get", |request| {
        (request.path_param("widgetName") == Some("special name")).then(|| {
            FakeResponse::json(
                200,
                &json!({
                    "name": request.path_param("widgetName"),
                    "group": request.path_param("resourceGroupName"),
                    "apiVersion": request.query_param("API-VERSION"),
                    "operation": request.operation_id,
                    "header": request.header("X-Test-Header"),
                    "sawToken": request.header("authorization").is_some()
                        || format!("{request:?}").contains("local-endpoint-token"),
                }),
            )
            .with_header("x-custom", "yes")
        })
    });
    let mut special = request(
        "Widgets_Get",
        Method::Get,
        &widget("rg", "special%20name"),
        None,
        &[200],
    );
    special.headers.push(("x-test-header", "hello".to_owned()));
    let response = client.send(special).await.unwrap();
    assert_eq!(response.header("x-custom"), Some("yes"));
    assert!(response.header("x-ms-request-id").is_some());
    assert_eq!(
        json_of(&response),
        json!({
            "name": "special name",
            "group": "rg",
            "apiVersion": API_VERSION,
            "operation": "Widgets_Get",
            "header": "hello",
            "sawToken": false,
        })
    );
    // `None` from the handler: the stored behaviour answers.
    let error = get_widget(&client, &widget("rg", "plain"))
        .await
        .unwrap_err();
    assert_eq!(http_error(&error), (404, "ResourceNotFound".into()));

    // A handler sees the parsed body and may answer with an ARM error.
    endpoint.on("Widgets_CreateOrUpdate", |request| {
        let location = request
            .body
            .as_ref()
            .and_then(|body| body["location"].as_str());
        FakeResponse::error(409, "Conflict", &format!("no widgets in {location:?}"))
    });
    let error = send(
        &client,
        request(
            "Widgets_CreateOrUpdate",
            Method::Put,
            &widget("rg", "x"),
            Some(json!({"location": "mars"})),
            &[200, 201],
        ),
    )
    .await
    .unwrap_err();
    assert_eq!(http_error(&error), (409, "Conflict".into()));
    match error.kind() {
        ErrorKind::Http {
            error: Some(arm), ..
        } => {
            assert_eq!(arm.message.as_deref(), Some("no widgets in Some(\"mars\")"));
        }
        other => panic!("{other:?}"),
    }

    endpoint.clear_handlers();
    let error = get_widget(&client, &widget("rg", "special%20name"))
        .await
        .unwrap_err();
    assert_eq!(http_error(&error).0, 404);
    assert_eq!(put_widget(&client, "rg", "x").await.0, 201);
}

/// A raw request with `authorization` (none when `None`) and `body`.
async fn raw(
    endpoint: &LocalEndpoint,
    method: reqwest::Method,
    path_and_query: &str,
    authorization: Option<&str>,
    body: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut builder = raw_http()
        .request(method, format!("{}{path_and_query}", endpoint.http_url()))
        .header("x-ms-correlation-request-id", "corr-1");
    if let Some(authorization) = authorization {
        builder = builder.header("authorization", authorization);
    }
    if let Some(body) = body {
        builder = builder
            .header("content-type", "application/json")
            .body(body.to_owned());
    }
    let response = builder.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap_or(Value::Null);
    (status, headers, body)
}

#[tokio::test]
async fn requests_without_a_bearer_token_get_401_with_a_challenge() {
    let endpoint = start().await;
    let target = format!("{}?api-version={API_VERSION}", widget("rg", "w"));
    for authorization in [None, Some("Bearer "), Some("Basic abc")] {
        let (status, headers, body) = raw(
            &endpoint,
            reqwest::Method::GET,
            &target,
            authorization,
            None,
        )
        .await;
        assert_eq!(status, 401, "{authorization:?}");
        assert!(
            headers["www-authenticate"]
                .to_str()
                .unwrap()
                .starts_with("Bearer")
        );
        assert_eq!(body["error"]["code"], "AuthenticationFailed");
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["x-ms-correlation-request-id"], "corr-1");
        assert!(uuid::Uuid::parse_str(headers["x-ms-request-id"].to_str().unwrap()).is_ok());
    }
    let (status, _, _) = raw(
        &endpoint,
        reqwest::Method::GET,
        &target,
        Some("Bearer any-token"),
        None,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn api_versions_other_than_the_endpoint_s_are_400() {
    let endpoint = start().await;
    let error = send(
        &client(&endpoint),
        Request {
            api_version: "2000-01-01",
            ..request("Widgets_Get", Method::Get, &widget("rg", "w"), None, &[200])
        },
    )
    .await
    .unwrap_err();
    assert_eq!(
        http_error(&error),
        (400, "InvalidApiVersionParameter".into())
    );
    let (status, _, body) = raw(
        &endpoint,
        reqwest::Method::GET,
        &widget("rg", "w"),
        Some("Bearer x"),
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "MissingApiVersionParameter");
}

#[tokio::test]
async fn bodies_that_are_not_json_or_not_the_model_are_400() {
    let endpoint = start().await;
    let target = format!("{}?api-version={API_VERSION}", widget("rg", "w"));
    let put = |body: &'static str| {
        let target = target.clone();
        let endpoint = &endpoint;
        async move {
            raw(
                endpoint,
                reqwest::Method::PUT,
                &target,
                Some("Bearer x"),
                Some(body),
            )
            .await
        }
    };
    let (status, _, body) = put("{not json").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "InvalidRequestContent");

    let (status, _, body) = put(r#"{"location": "westus", "properties": {"size": "big"}}"#).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "InvalidRequestContent");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("properties.size"), "{message}");

    let (status, _, body) = put(r#"{"properties": {}}"#).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("location")
    );

    let (status, _, body) = put("").await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing")
    );

    // The model drops what a request does not carry (read-only provisioningState) before storing.
    let (status, _, body) =
        put(r#"{"location": "westus", "properties": {"size": 1, "provisioningState": "Failed"}}"#)
            .await;
    assert_eq!(status, 201);
    assert_eq!(body["properties"]["provisioningState"], "Succeeded");
    assert!(
        endpoint
            .requests()
            .iter()
            .all(|r| r.operation_id.as_deref() == Some("Widgets_CreateOrUpdate"))
    );
}

#[tokio::test]
async fn unknown_routes_are_404_and_examples_answer_actions_and_singletons() {
    let endpoint = start().await;
    let client = client(&endpoint);
    let (status, _, body) = raw(
        &endpoint,
        reqwest::Method::GET,
        &format!(
            "/subscriptions/{SUB}/providers/Microsoft.Widgets/unknown?api-version={API_VERSION}"
        ),
        Some("Bearer x"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "InvalidResourceType");
    assert_eq!(endpoint.requests()[0].operation_id, None);

    let settings = format!("{}/settings/default", widget("rg", "w"));
    let (status, body) = send(
        &client,
        request("Widgets_GetSettings", Method::Get, &settings, None, &[200]),
    )
    .await
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["id"], settings);
    assert_eq!(body["name"], "default");
    assert_eq!(body["properties"]["mode"], "auto");

    let (status, body) = send(
        &client,
        request(
            "Widgets_ListKeys",
            Method::Post,
            &format!("{}/listKeys", widget("rg", "w")),
            None,
            &[200],
        ),
    )
    .await
    .unwrap();
    assert_eq!((status, body), (200, json!({"primaryKey": "k1"})));
    let response = client
        .send(request(
            "Widgets_Ping",
            Method::Post,
            &format!("{}/ping", widget("rg", "w")),
            None,
            &[204],
        ))
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert!(response.body().is_empty());
    assert_eq!(response.header("content-type"), None);
}

#[tokio::test]
async fn https_works_for_a_client_trusting_the_endpoint_ca() {
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .page_size(1)
        .start()
        .await
        .unwrap();
    assert!(endpoint.https_url().starts_with("https://127.0.0.1:"));
    assert_ne!(
        endpoint.https_url(),
        endpoint.http_url().replace("http:", "https:")
    );
    assert!(
        endpoint
            .ca_certificate_pem()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let client = Client::builder(SUB)
        .endpoint(endpoint.https_url())
        .trust_certificate_pem(endpoint.ca_certificate_pem())
        .credential(endpoint.credential())
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap();
    put_widget(&client, "rg", "a").await;
    put_widget(&client, "rg", "b").await;
    assert_eq!(
        get_widget(&client, &widget("rg", "a")).await.unwrap().0,
        200
    );
    // nextLinks and polling URLs keep https (the client refuses any other scheme).
    let list = format!("/subscriptions/{SUB}/providers/Microsoft.Widgets/widgets");
    let items = Pager::<WidgetList>::new(
        client.clone(),
        request("Widgets_List", Method::Get, &list, None, &[200]),
    )
    .into_vec()
    .await
    .unwrap();
    assert_eq!(names(&items), ["a", "b"]);
    let poller: Poller<Value> = begin(
        &client,
        request(
            "Gadgets_Create",
            Method::Put,
            &gadget("g"),
            Some(json!({})),
            &[200, 201],
        ),
        None,
    )
    .await;
    assert_eq!(poller.await.unwrap()["name"], "g");

    // Without trusting the CA, https fails.
    let untrusting = Client::builder(SUB)
        .endpoint(endpoint.https_url())
        .credential(endpoint.credential())
        .retry(RetryOptions::none())
        .build()
        .unwrap();
    let error = get_widget(&untrusting, &widget("rg", "a"))
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Transport { .. }),
        "{error:?}"
    );
}

#[test]
fn trusted_certificates_must_be_pem_and_need_the_builders_own_http_client() {
    let builder = || {
        Client::builder(SUB)
            .endpoint("https://127.0.0.1:1")
            .credential(azrm_runtime::StaticTokenCredential::new("t"))
    };
    for bad in ["not a certificate", ""] {
        let error = builder().trust_certificate_pem(bad).build().unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
            "{error:?}"
        );
    }
    let error = builder()
        .trust_certificate_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .http_client(raw_http())
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("http_client"), "{error}");
}

#[tokio::test]
async fn fixed_ports_serve_and_shutdown_closes_them() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let endpoint = LocalEndpoint::builder(ROUTES, API_VERSION)
        .http_port(port)
        .start()
        .await
        .unwrap();
    assert_eq!(endpoint.http_url(), format!("http://127.0.0.1:{port}"));
    assert!(format!("{endpoint:?}").contains(&endpoint.http_url()));
    put_widget(&client(&endpoint), "rg", "w").await;
    let https = endpoint.https_url();
    endpoint.shutdown().await;
    for url in [format!("http://127.0.0.1:{port}"), https] {
        let address = url.rsplit('/').next().unwrap().to_owned();
        assert!(
            tokio::net::TcpStream::connect(address).await.is_err(),
            "{url}"
        );
    }
}

#[tokio::test]
async fn a_finished_operation_answers_as_arm_does_without_the_resource() {
    let endpoint = start().await;
    let http = raw_http();
    let url = |path: &str| format!("{}{path}?api-version={API_VERSION}", endpoint.http_url());
    let created = http
        .put(url(&gadget("g7")))
        .bearer_auth("any")
        .header("content-type", "application/json")
        .body(json!({"properties": {"size": 3}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let status_url = created.headers()["azure-asyncoperation"].to_str().unwrap();
    let location = created.headers()["location"].to_str().unwrap();
    assert!(location.contains("/operationResults/"), "{location}");
    let get = |url: &str| http.get(url).bearer_auth("any").send();
    assert_eq!(get(location).await.unwrap().status(), 202);
    let done = json_body(get(status_url).await.unwrap()).await;
    assert_eq!(
        done,
        json!({"status": "Succeeded"}),
        "no resource in the status"
    );
    let result = get(location).await.unwrap();
    assert_eq!(result.status(), 204);
    assert!(result.bytes().await.unwrap().is_empty());
    // The resource is read at its own URL; after a delete, that URL answers 404.
    let resource = get(&url(&gadget("g7"))).await.unwrap();
    assert_eq!(json_body(resource).await["properties"]["size"], 3);
    let client = client(&endpoint);
    let request = request(
        "Gadgets_Delete",
        Method::Delete,
        &gadget("g7"),
        None,
        &[202, 204],
    );
    begin::<()>(&client, request, None).await.await.unwrap();
    let gone = get(&url(&gadget("g7"))).await.unwrap();
    assert_eq!(gone.status(), 404);
    assert_eq!(json_body(gone).await["error"]["code"], "ResourceNotFound");
}
