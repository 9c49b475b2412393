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
pub use fake::{FakeBody, FakeRequest, FakeResponse};
pub use faults::{Fault, FaultRule};
pub use pages::SCRIPTED_LISTS;
pub use route::{Behaviour, DecodeBody, ExampleResponse, Pageable, Route, decode_as};
pub use script::{FakeAnswer, FakeError, FakePages, FakePoller};
pub use served::ServedRequest;
