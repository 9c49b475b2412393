//! The `x-ms-*` extensions the generator understands, as typed values, and the tables that
//! carry them past normalise.
//!
//! **At load** every extension is a typed field of the [`crate::swagger`] object it sits on
//! (`x-ms-pageable` on an operation, `x-ms-enum` on a schema, ...), deserialised with the rest of
//! the file, so a malformed one (`final-state-via: 3`) is an `Error::Shape` naming the file and
//! the JSON pointer of the bad value. Extensions the generator does not read are ignored, as
//! Swagger 2.0 allows.
//!
//! **After normalise** the [`openapiv3`] document carries no extension: its `extensions` maps
//! stay empty and nothing is encoded in made-up keys. What later stages need travels beside the
//! document in [`Tables`], keyed by where it belongs in the normalised document:
//!
//! - the document's own extensions in their own fields ([`Tables::parameterized_host`], its
//!   parameters resolved);
//! - an operation's by `(path, method)`, as [`Origins`](crate::normalise::Origins) keys
//!   operations, with what normalise resolved for it (the body parameter's name, the component
//!   that `final-state-schema` names) and its parameters' extensions in the order of the
//!   normalised operation's `parameters`;
//! - a schema's by the JSON pointer of the schema in the normalised document
//!   (`/components/schemas/Widget/properties/kind`,
//!   `/paths/~1widgets/get/responses/200/content/application~1json/schema`): normalise records
//!   them as it writes each schema, and the IR looks them up as it walks the same schemas, both
//!   building the pointers with [`component_pointer`], [`operation_pointer`],
//!   [`content_schema_pointer`] and [`escape`]. Only schemas with an extension are recorded.
//!
//! Why pointers rather than extensions on the `openapiv3` schemas: those would be raw JSON again,
//! read back with string keys and `as_bool()` by every consumer; a pointer names a schema exactly
//! once, for schemas inlined in properties, items, map values and operations alike.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use serde_json::Value;

use crate::swagger;

/// `x-ms-long-running-operation-options`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub struct LongRunningOptions {
    /// Where the final result is read from.
    pub final_state_via: Option<FinalStateVia>,
    /// A `$ref` to the schema of the final result, when it differs from the responses'.
    pub final_state_schema: Option<String>,
}

/// Where the final result of a long-running operation is read from (`final-state-via`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FinalStateVia {
    /// The `Azure-AsyncOperation` status resource.
    AzureAsyncOperation,
    /// The `Location` URL.
    Location,
    /// The original request URL.
    OriginalUri,
    /// The `Operation-Location` URL.
    OperationLocation,
}

/// `x-ms-pageable`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Pageable {
    /// The property holding the items; `value` when absent.
    pub item_name: Option<String>,
    /// The property holding the next page's URL; absent or `null` means one page only.
    pub next_link_name: Option<String>,
    /// `operationName` of the next-page operation.
    pub operation_name: Option<String>,
}

/// One entry of `x-ms-examples`: a `$ref` to an example file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct ExampleRef {
    /// The example file, relative to the spec file.
    #[serde(rename = "$ref")]
    pub reference: String,
}

/// `x-ms-parameter-location`: who provides a parameter's value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParameterLocation {
    /// Set once on the client (`subscriptionId`).
    Client,
    /// Passed to each call.
    #[default]
    Method,
}

/// `x-ms-enum`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct XmsEnum {
    /// The enum's name.
    pub name: Option<String>,
    /// Other values may appear and must round-trip.
    #[serde(default)]
    pub model_as_string: bool,
    /// Names and descriptions of the values.
    #[serde(default)]
    pub values: Vec<XmsEnumValue>,
}

/// One described value of an [`XmsEnum`].
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct XmsEnumValue {
    /// The wire value (a string, or a number for numeric enums).
    pub value: Value,
    /// The value's name.
    pub name: Option<String>,
    /// The value's description.
    pub description: Option<String>,
}

/// `x-ms-parameterized-host`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParameterizedHost {
    /// The host with `{name}` for each parameter.
    pub host_template: String,
    /// Whether the document's scheme goes before the template (`true` when absent).
    #[serde(default = "yes")]
    pub use_scheme_prefix: bool,
    /// The template's parameters, inline or by `$ref` (normalise makes them all inline).
    #[serde(default)]
    pub parameters: Vec<swagger::Parameter>,
}

fn yes() -> bool {
    true
}

/// The extensions of a schema that the IR reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SchemaExtensions {
    /// `x-ms-enum`.
    pub x_ms_enum: Option<XmsEnum>,
    /// `x-ms-secret`.
    pub secret: bool,
    /// `x-ms-mutability`.
    pub mutability: Vec<String>,
    /// `x-ms-client-flatten`.
    pub client_flatten: bool,
    /// `x-ms-discriminator-value`.
    pub discriminator_value: Option<String>,
    /// `x-nullable`, as the spec gives it (`None` when absent).
    pub nullable: Option<bool>,
    /// `x-ms-client-name` of a property: the name of its Rust field and setters.
    pub client_name: Option<String>,
}

impl SchemaExtensions {
    /// Whether the schema has none of these extensions.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The extensions of a path, query or header parameter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParameterExtensions {
    /// Who provides the value, by AutoRest's rule: `x-ms-parameter-location` when the spec
    /// gives it, else the client for a parameter of a document's global `parameters` section
    /// and the method for one defined in the operation (or its path).
    pub location: ParameterLocation,
    /// `x-ms-skip-url-encoding`.
    pub skip_url_encoding: bool,
    /// `x-ms-api-version`, as the spec gives it.
    pub api_version: Option<bool>,
    /// `collectionFormat`, for an array parameter.
    pub collection_format: Option<swagger::CollectionFormat>,
    /// `x-ms-client-default`, as the text sent on the wire.
    pub client_default: Option<String>,
    /// `x-ms-client-name`: the name of the Rust argument, setter or option.
    pub client_name: Option<String>,
    /// `x-ms-header-collection-prefix`, on a header parameter.
    pub header_collection_prefix: Option<String>,
}

/// The name under which normalise keeps a response header's `x-ms-header-collection-prefix`
/// in the OpenAPI header's extensions.
pub const HEADER_COLLECTION_PREFIX: &str = "x-ms-header-collection-prefix";

/// An operation's extensions, with what normalise resolved for it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationExtensions {
    /// `x-ms-long-running-operation`, with its options.
    pub long_running: Option<LongRunning>,
    /// `x-ms-pageable`.
    pub pageable: Option<Pageable>,
    /// `x-ms-examples`: example name and file reference, in spec order.
    pub examples: Vec<(String, String)>,
    /// The name of the body parameter, when the operation has one.
    pub body_name: Option<String>,
    /// The extensions of each parameter, in the order of the normalised operation's
    /// `parameters`.
    pub parameters: Vec<ParameterExtensions>,
    /// The statuses whose response is marked `x-ms-error-response: true`: errors, whatever
    /// their number.
    pub error_statuses: Vec<u16>,
}

/// A long-running operation's options, its `final-state-schema` resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LongRunning {
    /// `final-state-via`.
    pub final_state_via: Option<FinalStateVia>,
    /// The component schema named by `final-state-schema`.
    pub final_state_schema: Option<String>,
}

/// The document's `x-ms-parameterized-host`, its parameters inline.
#[derive(Debug, Clone)]
pub struct Host {
    /// The host with `{name}` for each parameter.
    pub template: String,
    /// Whether the document's scheme goes before the template.
    pub use_scheme_prefix: bool,
    /// The parameters, each resolved from its `$ref` if it had one.
    pub parameters: Vec<swagger::Parameter>,
}

/// Every extension of a normalised document, keyed by where it belongs in it.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    /// `x-ms-parameterized-host` of the root document.
    pub parameterized_host: Option<Host>,
    /// Operation extensions by `(path, method)`.
    pub operations: BTreeMap<(String, String), OperationExtensions>,
    /// Schema extensions by the JSON pointer of the schema in the normalised document; schemas
    /// without any are left out.
    pub schemas: HashMap<String, SchemaExtensions>,
}

impl Tables {
    /// The extensions of the schema at `pointer`, if it has any.
    pub fn schema(&self, pointer: &str) -> Option<&SchemaExtensions> {
        self.schemas.get(pointer)
    }
}

/// Pointer of the component schema `name` in the normalised document.
pub fn component_pointer(name: &str) -> String {
    format!("/components/schemas/{}", escape(name))
}

/// Pointer of the operation at `(path, method)` in the normalised document.
pub fn operation_pointer(path: &str, method: &str) -> String {
    format!("/paths/{}/{method}", escape(path))
}

/// Pointer of the JSON schema of a request body or response at `at` (the body or response).
pub fn content_schema_pointer(at: &str) -> String {
    format!("{at}/content/application~1json/schema")
}

/// `key` escaped as a JSON pointer segment.
pub fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn normalised(input: &Path) -> crate::normalise::Normalised {
        let set = crate::load::load(&[input.to_owned()]).expect("loads");
        crate::normalise::normalise(&set).expect("normalises")
    }

    /// Every schema pointer normalise records names a schema of the normalised document, so
    /// the IR, which builds the same pointers as it walks the document, can find it.
    #[test]
    fn schema_pointers_resolve_in_the_normalised_document() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let spec = root.join(
            "../spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/\
             stable/2026-03-15/openapi.json",
        );
        let fixtures = ["discriminator", "extensible_enum", "secret", "constraints"]
            .map(|name| root.join(format!("tests/fixtures/{name}.json")));
        for input in std::iter::once(spec).chain(fixtures) {
            let normalised = normalised(&input);
            assert!(!normalised.extensions.schemas.is_empty(), "{input:?}");
            let document = serde_json::to_value(&normalised.openapi).expect("serialises");
            for pointer in normalised.extensions.schemas.keys() {
                let schema = document.pointer(pointer);
                assert!(
                    schema.is_some_and(Value::is_object),
                    "{}: nothing at {pointer}",
                    input.display()
                );
            }
        }
    }

    #[test]
    fn operation_extensions_carry_what_normalise_resolved() {
        let input =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/long_running.json");
        let normalised = normalised(&input);
        let path = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/\
                    Microsoft.Widgets/widgets/{widgetName}";
        let put = &normalised.extensions.operations[&(path.to_owned(), "put".to_owned())];
        assert_eq!(put.body_name.as_deref(), Some("parameters"));
        let long_running = put.long_running.as_ref().expect("long-running");
        assert_eq!(long_running.final_state_via, Some(FinalStateVia::Location));
        // `subscriptionId` and `api-version`, both from the global `parameters` (the IR keeps
        // `api-version` its own); the others are defined in the operation.
        let client = put
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Client);
        assert_eq!(client.count(), 2);
    }
}
