//! Typed Swagger 2.0 documents, as read from disk by [`crate::load`].
//!
//! Only what a client generator needs is typed, the `x-ms-*` extensions it reads included (as the
//! types of [`crate::extensions`], so a malformed one fails here with its JSON pointer). Other
//! keys are ignored, as Swagger 2.0 allows.

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

use crate::extensions::{
    ExampleRef, LongRunningOptions, Pageable, ParameterLocation, ParameterizedHost,
    SchemaExtensions, XmsEnum,
};

/// A Swagger 2.0 document.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Swagger {
    /// Must be `"2.0"`.
    #[serde(default)]
    pub swagger: String,
    /// Title, version and description of the API.
    #[serde(default)]
    pub info: Info,
    /// Host the API is served from, if any.
    pub host: Option<String>,
    /// Base path prefixed to every path.
    pub base_path: Option<String>,
    /// URL schemes.
    #[serde(default)]
    pub schemes: Vec<String>,
    /// Operations by path template.
    #[serde(default)]
    pub paths: IndexMap<String, PathItem>,
    /// `x-ms-paths`: more operations by path template, for templates that differ from one in
    /// `paths` only by a query string (`/items?op=next`), which `paths` keys cannot hold. The
    /// query only tells the templates apart: it is not sent.
    #[serde(default, rename = "x-ms-paths")]
    pub x_ms_paths: IndexMap<String, PathItem>,
    /// Named schemas.
    #[serde(default)]
    pub definitions: IndexMap<String, Schema>,
    /// Named parameters that operations reference.
    #[serde(default)]
    pub parameters: IndexMap<String, Parameter>,
    /// Named responses that operations reference.
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// `x-ms-parameterized-host`: the host as a template with parameters.
    #[serde(rename = "x-ms-parameterized-host")]
    pub parameterized_host: Option<ParameterizedHost>,
    /// The content types the operations answer with, unless one lists its own.
    #[serde(default)]
    pub produces: Vec<String>,
}

/// The `info` object.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Info {
    /// API title.
    #[serde(default)]
    pub title: String,
    /// API version (for ARM specs, the api-version).
    #[serde(default)]
    pub version: String,
    /// Description.
    pub description: Option<String>,
}

/// The operations of one path, plus parameters shared by all of them.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct PathItem {
    /// `GET`.
    pub get: Option<Operation>,
    /// `PUT`.
    pub put: Option<Operation>,
    /// `POST`.
    pub post: Option<Operation>,
    /// `DELETE`.
    pub delete: Option<Operation>,
    /// `OPTIONS`.
    pub options: Option<Operation>,
    /// `HEAD`.
    pub head: Option<Operation>,
    /// `PATCH`.
    pub patch: Option<Operation>,
    /// Parameters shared by every operation of the path.
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Every other key: `x-*` extensions, `$ref`, and methods Swagger 2.0 does not have, which
    /// [`PathItem::unknown_methods`] reports.
    #[serde(flatten)]
    pub other: IndexMap<String, Value>,
}

impl PathItem {
    /// Keys that would be operations but name no method of Swagger 2.0 (`trace`, `fetch`, a
    /// misspelt `gett`): neither an extension (`x-*`) nor `$ref`.
    pub fn unknown_methods(&self) -> impl Iterator<Item = &str> {
        self.other
            .keys()
            .map(String::as_str)
            .filter(|key| !key.starts_with("x-") && *key != "$ref")
    }
}

/// One operation.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// Unique id, `Group_Name` by ARM convention.
    pub operation_id: Option<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Parameters (inline or `$ref`).
    #[serde(default)]
    pub parameters: Vec<Parameter>,
    /// Responses by status code or `default`.
    #[serde(default)]
    pub responses: IndexMap<String, Response>,
    /// The content types the operation answers with, instead of the document's.
    pub produces: Option<Vec<String>>,
    /// Deprecated flag.
    #[serde(default)]
    pub deprecated: bool,
    /// `x-ms-long-running-operation`.
    #[serde(default, rename = "x-ms-long-running-operation")]
    pub long_running: bool,
    /// `x-ms-long-running-operation-options`.
    #[serde(rename = "x-ms-long-running-operation-options")]
    pub long_running_options: Option<LongRunningOptions>,
    /// `x-ms-pageable`.
    #[serde(rename = "x-ms-pageable")]
    pub pageable: Option<Pageable>,
    /// `x-ms-examples`: example files by name.
    #[serde(default, rename = "x-ms-examples")]
    pub examples: IndexMap<String, ExampleRef>,
}

/// A parameter, or a `$ref` to one.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    /// `$ref` to a parameter defined elsewhere; when set, the other fields are unused.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Wire name.
    #[serde(default)]
    pub name: String,
    /// `path`, `query`, `header`, `body` or `formData`.
    #[serde(default, rename = "in")]
    pub location: String,
    /// Description.
    pub description: Option<String>,
    /// Required flag.
    #[serde(default)]
    pub required: bool,
    /// Body schema (`in: body` only).
    pub schema: Option<Schema>,
    /// `x-ms-parameter-location`.
    #[serde(rename = "x-ms-parameter-location")]
    pub parameter_location: Option<ParameterLocation>,
    /// `x-ms-skip-url-encoding`.
    #[serde(default, rename = "x-ms-skip-url-encoding")]
    pub skip_url_encoding: bool,
    /// `x-ms-api-version`: `false` makes a parameter named `api-version` an ordinary one.
    #[serde(rename = "x-ms-api-version")]
    pub api_version: Option<bool>,
    /// `collectionFormat` of an array parameter (`csv` when absent).
    #[serde(rename = "collectionFormat")]
    pub collection_format: Option<CollectionFormat>,
    /// `x-ms-client-default`: the value the client sends when the caller gives none.
    #[serde(rename = "x-ms-client-default")]
    pub client_default: Option<serde_json::Value>,
    /// `x-ms-client-name`: the name client code uses for the parameter, in place of its wire
    /// name.
    #[serde(rename = "x-ms-client-name")]
    pub client_name: Option<String>,
    /// The constraints and type of a non-body parameter.
    #[serde(flatten)]
    pub simple: Schema,
}

/// A response.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct Response {
    /// `$ref` to a response defined elsewhere.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Body schema, if the response has a body.
    pub schema: Option<Schema>,
    /// Response headers.
    #[serde(default)]
    pub headers: IndexMap<String, Schema>,
    /// `x-ms-error-response`: this status is an error, whatever its number.
    #[serde(default, rename = "x-ms-error-response")]
    pub error_response: bool,
}

/// A JSON schema in its Swagger 2.0 dialect.
#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// `$ref` to another schema.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    /// `type`.
    #[serde(rename = "type")]
    pub schema_type: Option<String>,
    /// `format`.
    pub format: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `default`.
    pub default: Option<Value>,
    /// `enum` values.
    #[serde(rename = "enum")]
    pub enum_values: Option<Vec<Value>>,
    /// Object properties, in document order.
    #[serde(default)]
    pub properties: IndexMap<String, Schema>,
    /// Names of required properties.
    #[serde(default)]
    pub required: Vec<String>,
    /// `additionalProperties`: `true`, `false` or a schema.
    pub additional_properties: Option<AdditionalProperties>,
    /// `allOf` parents.
    #[serde(default)]
    pub all_of: Vec<Schema>,
    /// Array items.
    pub items: Option<Box<Schema>>,
    /// Name of the discriminator property of a polymorphic base.
    pub discriminator: Option<String>,
    /// `readOnly`.
    #[serde(default)]
    pub read_only: bool,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `exclusiveMinimum`.
    #[serde(default)]
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`.
    #[serde(default)]
    pub exclusive_maximum: bool,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    #[serde(default)]
    pub unique_items: bool,
    /// `x-ms-enum`.
    #[serde(rename = "x-ms-enum")]
    pub x_ms_enum: Option<XmsEnum>,
    /// `x-ms-secret`.
    #[serde(default, rename = "x-ms-secret")]
    pub secret: bool,
    /// `x-ms-mutability`: `create`, `read`, `update`.
    #[serde(default, rename = "x-ms-mutability")]
    pub mutability: Vec<String>,
    /// `x-ms-client-flatten`.
    #[serde(default, rename = "x-ms-client-flatten")]
    pub client_flatten: bool,
    /// `x-ms-discriminator-value`.
    #[serde(rename = "x-ms-discriminator-value")]
    pub discriminator_value: Option<String>,
    /// `x-nullable`.
    #[serde(rename = "x-nullable")]
    pub nullable: Option<bool>,
    /// `x-ms-client-name`: the name client code uses for a property, in place of its JSON name.
    #[serde(rename = "x-ms-client-name")]
    pub client_name: Option<String>,
    /// `x-ms-header-collection-prefix` of a header parameter or response header (a map of
    /// strings): every header whose name starts with the prefix, keyed by the rest of the name.
    #[serde(rename = "x-ms-header-collection-prefix")]
    pub header_collection_prefix: Option<String>,
}

impl Schema {
    /// The extensions the IR reads.
    pub fn extensions(&self) -> SchemaExtensions {
        SchemaExtensions {
            x_ms_enum: self.x_ms_enum.clone(),
            secret: self.secret,
            mutability: self.mutability.clone(),
            client_flatten: self.client_flatten,
            discriminator_value: self.discriminator_value.clone(),
            nullable: self.nullable,
            client_name: self.client_name.clone(),
        }
    }

    /// This schema without its extensions and annotations: what `allOf` adds to its parents.
    pub fn own_part(&self) -> Self {
        Self {
            all_of: Vec::new(),
            discriminator: None,
            description: None,
            title: None,
            x_ms_enum: None,
            secret: false,
            mutability: Vec::new(),
            client_flatten: false,
            discriminator_value: None,
            nullable: None,
            client_name: None,
            ..self.clone()
        }
    }
}

/// The value of `additionalProperties`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum AdditionalProperties {
    /// `true` (any value) or `false` (none).
    Allowed(bool),
    /// Values must match this schema.
    Schema(Box<Schema>),
}

/// How an array parameter's items travel (`collectionFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CollectionFormat {
    /// Joined with `,`.
    Csv,
    /// Joined with a space.
    Ssv,
    /// Joined with a tab.
    Tsv,
    /// Joined with `|`.
    Pipes,
    /// One query parameter per item, each with the parameter's name.
    Multi,
}

impl CollectionFormat {
    /// The separator the items are joined with (`multi` sends each item apart: `None`).
    pub fn separator(self) -> Option<&'static str> {
        match self {
            Self::Csv => Some(","),
            Self::Ssv => Some(" "),
            Self::Tsv => Some("\t"),
            Self::Pipes => Some("|"),
            Self::Multi => None,
        }
    }
}
