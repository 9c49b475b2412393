//! What the generated registries of every crate under test share (`tests:` in a regen config:
//! `registry` decodes any model by its spec name, `dispatch` calls any operation by its operation
//! id), and [`Target`], which names one generated crate's registries so that the conformance
//! suite and the wire-name check run on any of them.
//!
//! The generated registries `use crate::dispatch::*` for these types and helpers; nothing here
//! names a generated crate.

use std::future::Future;
use std::pin::Pin;

use serde_json::Value;

/// An example's parameters by spec name.
pub type Parameters = serde_json::Map<String, Value>;

/// What a registry's `call` returns for an operation, as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// The decoded response body (`null` when the success status has none).
    Body,
    /// Nothing: `null`.
    Nothing,
    /// Whether the resource exists: `true`, or `false` on `404`.
    Exists,
    /// The bytes of a file (a response of `type: file`), read whole, as an array of numbers.
    File,
    /// The final result of the long-running operation, polled to completion; `true` when the
    /// operation has a result (else `null`).
    LongRunning(bool),
    /// The items of the first page, as an array; the page's property that holds them.
    FirstPage(&'static str),
}

/// Why a registry's `call` did not return a result.
#[derive(Debug)]
pub enum CallError {
    /// A parameter is missing from the parameters or does not decode into its type.
    Parameter {
        /// The parameter's spec name.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// The operation returned an error.
    Operation(azrm_runtime::Error),
    /// The result could not be serialized.
    Encode(String),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Parameter { name, message } => write!(f, "parameter {name:?}: {message}"),
            CallError::Operation(error) => write!(f, "{error}"),
            CallError::Encode(message) => {
                write!(f, "the result cannot be serialized: {message}")
            }
        }
    }
}

impl From<azrm_runtime::Error> for CallError {
    fn from(error: azrm_runtime::Error) -> Self {
        CallError::Operation(error)
    }
}

/// The future a registry's `call` returns: `None` if there is no such operation.
pub type Called<'a> = Pin<Box<dyn Future<Output = Option<Result<Value, CallError>>> + Send + 'a>>;

/// A model decoded and encoded back.
pub struct RoundTrip {
    /// The model encoded back to JSON.
    pub json: Value,
    /// The model's `Debug` output.
    pub debug: String,
}

/// One generated crate under test: its api-version and its generated registries.
#[derive(Clone, Copy)]
pub struct Target {
    /// The crate's name, for reports.
    pub crate_name: &'static str,
    /// The api-version the crate sends.
    pub api_version: &'static str,
    /// Its regen config, relative to the workspace root.
    pub config: &'static str,
    /// Every operation id with what `call` returns for it.
    pub operations: &'static [(&'static str, Returns)],
    /// Calls an operation by its id with parameters by spec name, through the crate's client.
    pub call: for<'a> fn(&'a azrm_runtime::Client, &'a str, &'a Parameters) -> Called<'a>,
    /// Decodes JSON as the model of that spec name and encodes it back into the writer (`None`
    /// if the spec has no such model; errors name the JSON path that failed).
    pub round_trip:
        fn(&str, &Value, azrm_runtime::json::JsonWriter) -> Option<Result<RoundTrip, String>>,
}

impl Target {
    /// What `call` returns for `operation_id`, if the crate has that operation.
    pub fn returns(&self, operation_id: &str) -> Option<Returns> {
        self.operations
            .iter()
            .find(|(id, _)| *id == operation_id)
            .map(|(_, returns)| *returns)
    }

    /// The regen config, with paths usable from any current directory.
    pub fn regen_config(&self) -> azrm_codegen::Config {
        let path = crate::workspace_root().join(self.config);
        azrm_codegen::Config::read(&path).unwrap_or_else(|error| panic!("{error}"))
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("crate_name", &self.crate_name)
            .field("api_version", &self.api_version)
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

/// `parameters`' entry `name`, missing.
fn missing(name: &str) -> CallError {
    CallError::Parameter {
        name: name.to_owned(),
        message: "missing".to_owned(),
    }
}

/// A required parameter as text: a JSON string, or a number or boolean in JSON notation.
pub fn text(parameters: &Parameters, name: &str) -> Result<String, CallError> {
    optional_text(parameters, name)?.ok_or_else(|| missing(name))
}

/// An optional parameter as text (see [`text`]).
pub fn optional_text(parameters: &Parameters, name: &str) -> Result<Option<String>, CallError> {
    match parameters.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(value.to_string())),
        Some(other) => Err(CallError::Parameter {
            name: name.to_owned(),
            message: format!("expected text, found {other}"),
        }),
    }
}

/// A required parameter decoded into its type.
pub fn decode<T: serde::de::DeserializeOwned>(
    parameters: &Parameters,
    name: &str,
) -> Result<T, CallError> {
    optional(parameters, name)?.ok_or_else(|| missing(name))
}

/// An optional parameter decoded into its type; a scalar may also be given as text.
pub fn optional<T: serde::de::DeserializeOwned>(
    parameters: &Parameters,
    name: &str,
) -> Result<Option<T>, CallError> {
    let value = match parameters.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(value) => value,
    };
    match serde_path_to_error::deserialize(value) {
        Ok(decoded) => Ok(Some(decoded)),
        Err(error) => {
            if let Some(decoded) = value
                .as_str()
                .and_then(|text| serde_json::from_str(text).ok())
            {
                return Ok(Some(decoded));
            }
            Err(CallError::Parameter {
                name: name.to_owned(),
                message: format!("does not decode at {}: {}", error.path(), error.inner()),
            })
        }
    }
}

/// `value` as JSON.
pub fn encode<T: serde::Serialize>(value: &T) -> Result<Value, CallError> {
    serde_json::to_value(value).map_err(|error| CallError::Encode(error.to_string()))
}

/// The items of the first page of `pager`.
pub async fn first_page<P>(pager: azrm_runtime::Pager<P>) -> Result<Value, CallError>
where
    P: azrm_runtime::Page + Send + 'static,
    P::Item: serde::Serialize + Send + 'static,
{
    use futures::StreamExt as _;
    let mut pages = std::pin::pin!(pager.pages());
    let items = pages
        .next()
        .await
        .transpose()?
        .map(azrm_runtime::ItemPage::into_items)
        .unwrap_or_default();
    encode(&items)
}

/// Decodes `json` with the model's `Decode` and encodes it back into `out` with its `Encode`, as
/// the client does.
pub fn round_trip_as<T>(
    json: &Value,
    mut out: azrm_runtime::json::JsonWriter,
) -> Result<RoundTrip, String>
where
    T: azrm_runtime::json::Decode + azrm_runtime::json::Encode + std::fmt::Debug,
{
    let model: T = azrm_runtime::json::from_value(json.clone())
        .map_err(|error| format!("at {}: {}", error.path(), error.message()))?;
    azrm_runtime::json::Encode::encode(&model, &mut out);
    let json = serde_json::from_slice(&out.into_bytes()).map_err(|error| error.to_string())?;
    Ok(RoundTrip {
        json,
        debug: format!("{model:?}"),
    })
}
