//! Stage 3, **IR**: a small, language-neutral model of the API built from the normalised
//! document and its extension tables ([`crate::extensions::Tables`]): named types (structs, closed and extensible enums, discriminated unions, validated
//! newtypes) and operations (group, name, method, path, parameters with their constraints,
//! responses by status, long-running and paging options).
//!
//! Types live in one map keyed by a unique name; everything else refers to them by that name
//! ([`TypeRef::Named`]). The emitter decides how names look in Rust.

mod operations;
pub mod secrets;
mod types;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::Result;
use crate::normalise::{Normalised, Origin};

pub use crate::swagger::CollectionFormat;
pub use operations::{
    BodyParam, FinalStateVia, LongRunning, Method, Operation, Pageable, Param, ParamLocation,
    ParamRole, ResponseDef, ResponseHeader,
};

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// The spec's title.
    pub title: String,
    /// The spec's description.
    pub description: Option<String>,
    /// The spec's version (for ARM, the api-version).
    pub api_version: String,
    /// Every named type by its unique name.
    pub types: BTreeMap<String, TypeDef>,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
    /// `x-ms-parameterized-host`: the host as a template, when the spec makes it one.
    pub parameterized_host: Option<ParameterizedHost>,
    /// `x-ms-client-name` of a definition, by the definition's name: the name its Rust type is
    /// derived from.
    pub client_names: BTreeMap<String, String>,
}

/// The service's host as a template (`x-ms-parameterized-host`), such as
/// `{accountName}.blob.{endpointSuffix}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterizedHost {
    /// The template, with `{name}` for each parameter.
    pub template: String,
    /// The scheme to put before it (`https`), unless `useSchemePrefix` is `false`: the template
    /// then holds its own.
    pub scheme: Option<String>,
    /// The template's parameters, in spec order.
    pub parameters: Vec<HostParameter>,
}

/// A parameter of a [`ParameterizedHost`].
#[derive(Debug, Clone, PartialEq)]
pub struct HostParameter {
    /// Its name in the template.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its default value, if the spec gives one.
    pub default: Option<String>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Unique name, from the spec (definition name, `x-ms-enum` name or parent + property).
    pub name: String,
    /// The spec's description.
    pub description: Option<String>,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Where the type is defined.
    pub origin: Origin,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known fields (and any other properties kept aside).
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
    /// A polymorphic object: one of several structs, picked by a discriminator property.
    Union(UnionDef),
    /// A constrained string parameter, validated when constructed.
    Newtype(NewtypeDef),
}

/// An object type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    /// Fields in wire order: `allOf` parents' fields first.
    pub fields: Vec<Field>,
    /// The type of properties not listed in `fields`: `None` keeps them as raw JSON.
    pub additional: Option<TypeRef>,
}

/// A field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON property name.
    pub wire_name: String,
    /// The field's type.
    pub ty: TypeRef,
    /// Listed in `required` (and not read-only).
    pub required: bool,
    /// `readOnly`: set by the service, never sent.
    pub read_only: bool,
    /// The spec's description.
    pub description: Option<String>,
    /// Constraints on the value.
    pub constraints: Constraints,
    /// `x-ms-mutability`, e.g. `["create", "read"]`.
    pub mutability: Vec<String>,
    /// `x-ms-client-flatten`: other SDKs lift the nested properties into the parent.
    pub client_flatten: bool,
    /// The spec's default value.
    pub default: Option<Value>,
    /// `x-ms-client-name`: the name the Rust API gives the property in place of its JSON name.
    pub client_name: Option<String>,
}

impl Field {
    /// The name the Rust field and its setters are derived from: `x-ms-client-name` when the
    /// spec gives one, else the JSON name.
    pub fn client_name(&self) -> &str {
        self.client_name.as_deref().unwrap_or(&self.wire_name)
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The known values.
    pub values: Vec<EnumValue>,
    /// `x-ms-enum.modelAsString`: other values may appear and must round-trip.
    pub extensible: bool,
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The wire value.
    pub value: String,
    /// The name `x-ms-enum` gives it, if any.
    pub name: Option<String>,
    /// Its description from `x-ms-enum`.
    pub description: Option<String>,
}

/// A discriminated union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    /// The discriminator property's wire name.
    pub property: String,
    /// The known variants.
    pub variants: Vec<UnionVariant>,
}

/// One variant of a union.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The discriminator value that selects it.
    pub value: String,
    /// The struct it holds.
    pub ty: String,
}

/// A validated string parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct NewtypeDef {
    /// The parameter's wire name, used in validation errors.
    pub wire_name: String,
    /// The constraints checked on construction.
    pub constraints: Constraints,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type in [`Api::types`].
    Named(String),
    /// A built-in scalar.
    Primitive(Primitive),
    /// An array.
    List(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
}

impl TypeRef {
    /// The named type at the bottom of lists and maps, if any.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::List(inner) | TypeRef::Map(inner) => inner.named(),
            TypeRef::Primitive(_) | TypeRef::Any => None,
        }
    }
}

/// Built-in scalars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// Plain string.
    String,
    /// `format: password` or `x-ms-secret`.
    Secret,
    /// `format: uri`.
    Uri,
    /// `format: arm-id`.
    ArmId,
    /// `format: uuid`.
    Uuid,
    /// `format: date-time`.
    DateTime,
    /// `format: byte` (base64).
    Bytes,
    /// `boolean`.
    Bool,
    /// `integer` + `int32`.
    I32,
    /// `integer` (+ `int64`).
    I64,
    /// `number` (`float` or `double`).
    F64,
}

/// Validation constraints from the spec.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum`, exclusive when [`Self::exclusive_minimum`] is set.
    pub minimum: Option<f64>,
    /// `maximum`, exclusive when [`Self::exclusive_maximum`] is set.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum`: the value must be greater than `minimum`.
    pub exclusive_minimum: bool,
    /// `exclusiveMaximum`: the value must be less than `maximum`.
    pub exclusive_maximum: bool,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `format: uuid` on a string that is not otherwise typed as a UUID.
    pub uuid: bool,
    /// `x-nullable` as the spec gives it: `Some(false)` forbids `null`, `Some(true)` allows it.
    pub nullable: Option<bool>,
    /// The constraints on each item of an array, or each value of a map.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether a value of type `ty` has nothing to check. `x-nullable: false` only constrains a
    /// value of any JSON type ([`TypeRef::Any`]): a value with a schema type is never `null`
    /// (whether a field may be left out or sent as `null` is its type's business).
    pub fn is_empty_for(&self, ty: &TypeRef) -> bool {
        let rules = Self {
            nullable: None,
            items: None,
            ..self.clone()
        };
        let not_null = self.nullable == Some(false) && *ty == TypeRef::Any;
        let items = match (ty, &self.items) {
            (TypeRef::List(inner) | TypeRef::Map(inner), Some(items)) => items.is_empty_for(inner),
            _ => true,
        };
        rules == Self::default() && !not_null && items
    }
}

/// Builds the IR from the normalised document.
pub fn build(normalised: &Normalised) -> Result<Api> {
    let openapi = &normalised.openapi;
    let mut builder = types::TypeBuilder::new(normalised)?;
    builder.build_components()?;
    let operations = operations::build(normalised, &mut builder)?;
    Ok(Api {
        title: openapi.info.title.clone(),
        description: openapi.info.description.clone(),
        api_version: openapi.info.version.clone(),
        types: builder.into_types(),
        operations,
        parameterized_host: parameterized_host(normalised),
        client_names: definition_client_names(normalised),
    })
}

/// The `x-ms-client-name` of each definition that has one.
fn definition_client_names(normalised: &Normalised) -> BTreeMap<String, String> {
    let Some(components) = &normalised.openapi.components else {
        return BTreeMap::new();
    };
    components
        .schemas
        .keys()
        .filter_map(|name| {
            let extensions = normalised
                .extensions
                .schema(&crate::extensions::component_pointer(name))?;
            Some((name.clone(), extensions.client_name.clone()?))
        })
        .collect()
}

/// The `x-ms-parameterized-host` of the document (its parameters inlined by `normalise`).
fn parameterized_host(normalised: &Normalised) -> Option<ParameterizedHost> {
    let host = normalised.extensions.parameterized_host.as_ref()?;
    let scheme = host.use_scheme_prefix.then(|| {
        normalised
            .openapi
            .servers
            .first()
            .and_then(|server| server.url.split_once("://"))
            .map_or("https", |(scheme, _)| scheme)
            .to_owned()
    });
    let parameters = host
        .parameters
        .iter()
        .map(|parameter| HostParameter {
            name: parameter.name.clone(),
            description: parameter.description.clone(),
            default: parameter
                .simple
                .default
                .as_ref()
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
        .collect();
    Some(ParameterizedHost {
        template: host.template.clone(),
        scheme,
        parameters,
    })
}

/// A spec `description`, unless it is blank (`""` documents nothing: the emitters then write
/// their own sentence).
pub(crate) fn description(text: Option<&String>) -> Option<String> {
    text.filter(|text| !text.trim().is_empty()).cloned()
}
