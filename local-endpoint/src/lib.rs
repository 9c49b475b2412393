#![doc = include_str!("../README.md")]
// The crate docs are its README.md, the front page on the registry and docs.rs alike.
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
mod registration;
mod resource;
mod route;
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
pub use route::{Behaviour, DecodeBody, ExampleResponse, Pageable, Route, decode_as};
pub use served::ServedRequest;
