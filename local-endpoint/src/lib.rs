//! A local Azure Resource Manager endpoint: a server on loopback, over http and https at once,
//! that answers the operations of a generated route table as ARM would, so a generated client (or
//! any ARM client) runs unchanged against it. A generated crate's `fake` feature turns this crate
//! on; the runtime (`azrm_runtime`) that every user compiles does not carry it or its server
//! dependencies.
//!
//! What it does comes from each [`Route`]'s [`Behaviour`], never from provider names:
//!
//! - every request needs a non-empty bearer token (else 401 `AuthenticationFailed`) and the
//!   endpoint's `api-version` (else 400); no matching route is 404 `InvalidResourceType`; a body
//!   that is not JSON, or that the route's model rejects, is 400 `InvalidRequestContent`;
//! - `PUT` stores the body at the request path (case-insensitive; `id`, `name`, `type`,
//!   `systemData` and `provisioningState` set), `PATCH` merges into it, `GET` reads it (or the
//!   spec's example for singletons never stored), `DELETE` removes it and everything below it,
//!   `HEAD` tells whether it exists, `POST` actions answer with the spec's example;
//! - lists return what is stored one level below the collection (and, for a resource type right
//!   after `providers/{namespace}`, every resource of that type in the scope), sorted by id, in
//!   pages with a `nextLink` when the route is pageable;
//! - long-running operations apply at once and answer with `Azure-AsyncOperation` and `Location`
//!   (`operationResults`) URLs that report `InProgress` (202 at the `Location`) for a
//!   configurable number of polls, then, as ARM and Cosmos DB do, `{"status": "Succeeded"}` and
//!   204 without the resource (a client reads it at its own URL); only a `POST` action's result
//!   is served there;
//! - [`LocalEndpointBuilder::unregistered_providers`] starts as a new subscription: requests
//!   answer `409 MissingSubscriptionRegistration` until the client registers the provider;
//! - [`LocalEndpoint::on`] overrides an operation with a handler ([`LocalEndpoint::on_scripted`]
//!   with one that scripts a long-running operation's polls ([`FakePoller`]) or a list's pages
//!   ([`FakePages`])), [`LocalEndpoint::add_fault`]
//!   injects throttling, server errors, delays, resets and truncated bodies, and
//!   [`LocalEndpoint::requests`] lists what was served (headers, body, the token as a secret);
//! - [`LocalEndpoint::stub`] (or [`LocalEndpoint::on_any`]) answers every request with one
//!   handler instead of the route table: a recording stub server for tests of a client;
//! - [`LocalEndpointBuilder::record_traffic`] records every exchange (headers and bodies) into a
//!   [`traffic::TrafficRecorder`] that writes them as oav traffic files ([`traffic`]);
//! - what it keeps is bounded, so that it can run for days: the request log keeps the newest
//!   [`LocalEndpointBuilder::request_log_limit`] requests, the traffic recorder its
//!   [`traffic::TrafficRecorder::DEFAULT_LIMIT`] newest exchanges, the long-running operation
//!   table [`LocalEndpointBuilder::operation_limit`] operations (finished ones forgotten first)
//!   and the scripted lists their newest [`SCRIPTED_LISTS`]. Stored resources are not bounded:
//!   they are what clients created, and stay until deleted, as in ARM.
//!
//! ```
//! use azrm_local_endpoint::{Behaviour, FakeResponse, LocalEndpoint, Route};
//! use azrm_runtime::{Client, Method};
//!
//! static ROUTES: &[Route] = &[Route {
//!     operation_id: "Widgets_Get",
//!     method: Method::Get,
//!     path_template: "/subscriptions/{subscriptionId}/providers/Microsoft.Widgets/widgets/{name}",
//!     behaviour: Behaviour::Read,
//!     statuses: &[200],
//!     long_running: None,
//!     pageable: None,
//!     example: None,
//!     decode_body: None,
//!     provisioning_state: true,
//! }];
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let endpoint = LocalEndpoint::builder(ROUTES, "2024-01-01").start().await?;
//! endpoint.on("Widgets_Get", |request| {
//!     FakeResponse::json(200, &serde_json::json!({"name": request.path_param("name")}))
//! });
//! let client = Client::builder("sub-1")
//!     .endpoint(endpoint.https_url())
//!     .trust_certificate_pem(endpoint.ca_certificate_pem())
//!     .credential(endpoint.credential())
//!     .build()?;
//! // ... call operations through `client`, then check `endpoint.requests()`.
//! # let _ = client;
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod arm_error;
mod behaviour;
mod body;
mod dispatch;
mod endpoint;
mod fake;
mod faults;
mod incoming;
mod links;
mod listing;
mod matching;
mod operations;
mod pages;
mod registration;
mod resource;
mod ring;
mod route;
mod script;
mod served;
mod server;
mod state;
mod store;
mod sync;
mod tls;
pub mod traffic;

pub use endpoint::{LocalEndpoint, LocalEndpointBuilder};
pub use fake::{FakeRequest, FakeResponse};
pub use faults::{Fault, FaultRule};
pub use pages::SCRIPTED_LISTS;
pub use route::{Behaviour, DecodeBody, ExampleResponse, Pageable, Route, decode_as};
pub use script::{FakeAnswer, FakeError, FakePages, FakePoller};
pub use served::ServedRequest;
