//! The route table a generated crate hands to the local endpoint: one [`Route`] per operation of
//! the spec, with what the endpoint needs to answer it like ARM would. Generated code builds these
//! as `static` data; nothing here names a resource provider.

use azrm_runtime::FinalStateVia;
use azrm_runtime::Method;

/// One operation of the spec, as the local endpoint serves it.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// The spec's `operationId`, such as `DatabaseAccounts_Get`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, such as
    /// `/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}`.
    pub path_template: &'static str,
    /// What the endpoint does with a request to this route when no fake handler overrides it.
    pub behaviour: Behaviour,
    /// The success statuses the spec lists, ascending (such as `[200, 201]` or `[202, 204]`).
    pub statuses: &'static [u16],
    /// `Some` for a long-running operation: where the spec says the final result comes from
    /// (`None` inside: what ARM implies by the method).
    pub long_running: Option<Option<FinalStateVia>>,
    /// `Some` for a pageable operation.
    pub pageable: Option<Pageable>,
    /// A response from the spec's examples for this operation (status and JSON body), or a
    /// placeholder built from the response model where the spec has no example: served by
    /// actions, by singleton reads of resources that were never stored, and by lists of things
    /// nothing stores.
    pub example: Option<ExampleResponse>,
    /// Decodes a request body as the spec's model for it (required properties, types) and
    /// encodes it back as a request would carry it, read-only properties dropped: what the
    /// endpoint stores. `Err` carries a message naming the JSON path that failed. `None` when
    /// the operation takes no body.
    pub decode_body: Option<DecodeBody>,
    /// Whether the resource this route answers with has `properties.provisioningState` in the
    /// spec: only then does the endpoint set it on what a `PUT`/`PATCH` stores (`Succeeded`)
    /// and on the first answer of a long-running one (`Creating`, `Updating`).
    pub provisioning_state: bool,
}

/// Decodes a request body as the spec's model and encodes it back as stored: see
/// [`Route::decode_body`] and [`decode_as`].
pub type DecodeBody = fn(&[u8]) -> Result<serde_json::Value, String>;

/// What a route does, derived from its method and path shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// `PUT`: store the body at the request path (creating or replacing it).
    CreateOrReplace,
    /// `PATCH`: merge the body into the stored resource (404 if absent).
    Update,
    /// `GET` of one resource: the stored resource, else the example for singleton paths (path
    /// ending in a literal segment), else 404 `ResourceNotFound`.
    Read,
    /// `GET` of a collection: the stored resources directly below the request path (or, for
    /// paths whose last segment is a resource type after `/providers/{namespace}/`, every stored
    /// resource of that type within the request's scope), as `{"value": [...], nextLink}`.
    List,
    /// `DELETE`: remove the resource and everything below it; 204 (or 200) if absent too.
    Delete,
    /// `HEAD`: 200 if stored, else 404.
    Exists,
    /// `POST` action (`listKeys`, `failover`, ...): answered from [`Route::example`], else with
    /// an empty success.
    Action,
}

/// `x-ms-pageable`, for the lists the endpoint serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pageable {
    /// The property holding the items (`value` by default).
    pub item_name: &'static str,
    /// The property holding the next page's URL; `None` when the spec says the list has one page.
    pub next_link_name: Option<&'static str>,
}

/// A canned response: copied from the spec's examples, or a placeholder from the response model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleResponse {
    /// The example's status code.
    pub status: u16,
    /// The example's body, as JSON text.
    pub body: &'static str,
}

/// Decodes `bytes` as the model `T` and encodes it back as a request body would carry it
/// (read-only properties dropped): the [`Route::decode_body`] of generated route tables.
pub fn decode_as<T: azrm_runtime::json::Decode + azrm_runtime::json::Encode>(
    bytes: &[u8],
) -> Result<serde_json::Value, String> {
    let model: T = azrm_runtime::json::from_slice(bytes)
        .map_err(|error| format!("at `{}`: {}", error.path(), error.message()))?;
    serde_json::from_slice(&azrm_runtime::json::to_request_body(&model))
        .map_err(|error| error.to_string())
}

/// A long-running `PUT` of widgets, for the endpoint's own tests.
#[cfg(test)]
pub(super) static TEST_CREATE_WIDGET: &[Route] = &[Route {
    operation_id: "Widgets_Create",
    method: Method::Put,
    path_template: "/subscriptions/{subscriptionId}/providers/Microsoft.Widgets/widgets/{name}",
    behaviour: Behaviour::CreateOrReplace,
    statuses: &[200, 201],
    long_running: Some(None),
    pageable: None,
    example: None,
    decode_body: None,
    provisioning_state: true,
}];
