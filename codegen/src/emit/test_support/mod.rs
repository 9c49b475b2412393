//! Emitters for workspace tests only, never part of a generated crate: a model registry that
//! decodes any model by its spec name, and an operation dispatch registry that calls any
//! operation by its operation id with parameters by spec name. Config: `tests:` in the regen
//! config ([`crate::config::TestSupport`]).

mod dispatch;
mod registry;

use proc_macro2::TokenStream;

use crate::plan::Plan;

/// The model registry for workspace tests: decoders for every model by spec name (it needs the
/// same `crate::dispatch` module as [`emit_dispatch_registry`]).
pub fn emit_test_registry(plan: &Plan<'_>, crate_name: &str) -> TokenStream {
    registry::emit_registry(plan, crate_name)
}

/// The operation dispatch registry for workspace tests: calls any operation by its operation id
/// with parameters by spec name (an example file's `parameters`) and returns its result as JSON.
/// The crate it goes into must depend on the generated crate and `azrm-runtime`, and have a
/// module `crate::dispatch` with the types and helpers both registries share (`Parameters`,
/// `Returns`, `CallError`, `Called`, `RoundTrip`, `round_trip_as`, `text`, `optional_text`,
/// `decode`, `optional`, `encode`, `first_page`; the workspace's `tests/src/dispatch.rs`), so
/// that the registries of several generated crates live side by side in one crate.
pub fn emit_dispatch_registry(plan: &Plan<'_>, crate_name: &str) -> TokenStream {
    dispatch::emit_dispatch(plan, crate_name)
}
