//! Hand-written runtime shared by every generated Azure Resource Manager client crate.
//!
//! Generated crates supply paths, parameters, validators and models; everything that is the same
//! for every operation lives here once: validation errors, serde support for wire formats,
//! secrets, and (see the other modules) the client, pipeline, retries, pollers and pagers.
//! Nothing in this crate is generated, and nothing in it names a particular resource provider.
#![deny(missing_docs)]

mod secret;
pub mod serde_support;
pub mod validation;

pub use secret::Secret;
pub use validation::{FieldPath, Pattern, Rule, Validate, ValidationError};

/// A string holding an absolute URI (`format: uri` in the spec). Not parsed or checked.
pub type Uri = String;

/// A string holding a fully qualified Azure Resource Manager resource id (`format: arm-id`), such
/// as `/subscriptions/{id}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}`.
pub type ArmId = String;
