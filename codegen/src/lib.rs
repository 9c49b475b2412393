//! Generates typed Rust clients from Azure Resource Manager REST specs (Swagger 2.0 with `x-ms-*`
//! extensions), in plain stages:
//!
//! 1. [`load`]: read the spec files and every file their `$ref`s reach, the `x-ms-*` extensions
//!    typed ([`extensions`]);
//! 2. [`normalise`]: one [`openapiv3::OpenAPI`] document, the extensions in side tables beside it;
//! 3. [`ir`]: named types and operations, language-neutral;
//! 4. [`plan`]: every Rust name and operation shape decided once;
//! 5. [`emit`]: Rust token streams from the plan, one module per area;
//! 6. [`mod@format`]: `prettyplease` plus the generated-file header.
//!
//! [`regen`] runs them all from a [`Config`] and writes (or checks) the output folder. Nothing in
//! this crate is specific to one resource provider: everything comes from the spec and the config.
#![deny(missing_docs)]

pub mod config;
pub mod diff;
pub mod emit;
mod error;
pub mod examples;
pub mod extensions;
pub mod format;
pub mod ir;
pub mod load;
pub mod names;
pub mod normalise;
pub mod output;
pub mod plan;
pub mod swagger;

pub use config::{Config, TestSupport};
pub use error::{Error, Result};
pub use output::{GenerateReport, Generated, Mode, StageTimings, regen};

/// Reads spec files through the first three stages (load, normalise, IR): the API they
/// describe, for reports such as [`diff::diff`].
pub fn read_api(inputs: &[std::path::PathBuf]) -> Result<ir::Api> {
    let set = load::load(inputs)?;
    ir::build(&normalise::normalise(&set)?)
}
