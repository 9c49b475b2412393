#![doc = include_str!("../README.md")]
// The crate docs are its README.md, the front page on the registry and docs.rs alike.
#![deny(missing_docs)]

mod call;
mod client;
mod credential;
mod endpoint;
mod error;
mod interop;
pub mod json;
mod lro;
mod nullable;
mod paging;
mod registration;
mod request;
mod resource_id;
mod response;
mod retry;
mod secret;
mod stream;
mod unlisted;
pub mod validation;

pub use call::CallOptions;
pub use client::{Client, ClientBuilder, ClientCheck};
pub use credential::{IntoCredential, StaticTokenCredential};
pub use endpoint::AzureCloud;
pub use error::{AdditionalInfo, ArmError, Error, ErrorKind};
pub use lro::{FinalStateVia, LroOptions, Poller, PollerStatus};
pub use nullable::Nullable;
pub use paging::{ItemPage, Page, Pager};
pub use registration::ProviderRegistration;
pub use request::{Method, PathValue, Request, encode_path_segment, fill_path, json_body};
pub use resource_id::{IdMismatch, ResourceIdError, fmt_resource_id, parse_resource_id};
pub use response::{Headers, RawResponse, Response};
pub use retry::RetryOptions;
// For `azrm-local-endpoint`, which builds the links in its answers as the client builds requests.
#[doc(hidden)]
pub use request::append_query;
pub use secret::Secret;
pub use stream::BodyStream;
pub use unlisted::UnlistedValue;
pub use validation::{FieldPath, Pattern, Rule, Validate, Validation, ValidationError};

/// The credential trait of the Azure SDK, re-exported so generated crates and users need not
/// depend on `azure_core` themselves.
pub use azure_core::credentials::TokenCredential;

/// A string holding an absolute URI (`format: uri` in the spec). Not parsed or checked.
pub type Uri = String;

/// A string holding a fully qualified Azure Resource Manager resource id (`format: arm-id`), such
/// as `/subscriptions/{id}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}`.
pub type ArmId = String;
