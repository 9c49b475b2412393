//! Builds the operations of the IR: one per path and method, with parameters (constrained ones
//! as validated newtypes), body, responses by status, and the `x-ms-long-running-operation` and
//! `x-ms-pageable` options.

use std::collections::HashMap;

use openapiv3 as oa;
use serde_json::Value;

use super::types::{Context, TypeBuilder};
use super::{Constraints, Primitive, TypeRef};
use crate::error::{Error, Result};
pub use crate::extensions::FinalStateVia;
use crate::extensions::{
    HEADER_COLLECTION_PREFIX, OperationExtensions, ParameterExtensions, ParameterLocation,
    content_schema_pointer, operation_pointer,
};
use crate::normalise::{JSON_CONTENT_TYPE, Normalised, Origin};
use crate::swagger::CollectionFormat;

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, verbatim.
    pub id: String,
    /// The operation group: the part of `operationId` before `_`.
    pub group: String,
    /// The operation's name in its group: the part after `_`.
    pub name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template, e.g. `/subscriptions/{subscriptionId}/...`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Path, query and header parameters in spec order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<BodyParam>,
    /// Responses by status (`None` is `default`).
    pub responses: Vec<ResponseDef>,
    /// Long-running operation options, when `x-ms-long-running-operation` is set.
    pub long_running: Option<LongRunning>,
    /// Paging options, when `x-ms-pageable` is set.
    pub pageable: Option<Pageable>,
    /// `x-ms-examples`: example name and file reference.
    pub examples: Vec<(String, String)>,
    /// Where the operation is defined.
    pub origin: Origin,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// PUT
    Put,
    /// POST
    Post,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
}

impl Method {
    /// Upper-case method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

/// A path, query or header parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Who provides it.
    pub role: ParamRole,
    /// Its type: a validated newtype when the spec constrains it.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
    /// `x-ms-skip-url-encoding`.
    pub skip_url_encoding: bool,
    /// `default`.
    pub default: Option<Value>,
    /// How the items of an array parameter travel: `Some` for every array parameter (`csv`
    /// when the spec names no `collectionFormat`), `None` for any other.
    pub collection_format: Option<CollectionFormat>,
    /// `x-ms-client-default`: the text sent when the caller leaves the parameter unset.
    pub client_default: Option<String>,
    /// `x-ms-header-collection-prefix` of a header parameter whose type is a map of strings:
    /// each entry is sent as the header `prefix + key`.
    pub header_collection_prefix: Option<String>,
    /// `x-ms-client-name`: the name the Rust API gives the parameter in place of its wire name.
    pub client_name: Option<String>,
    /// The numeric constraints (`minimum`, `maximum`, `multipleOf`) of a number parameter,
    /// checked before sending; empty for any other type (a constrained string is a validated
    /// newtype instead).
    pub number_constraints: Constraints,
}

impl Param {
    /// The name the Rust API is derived from: `x-ms-client-name` when the spec gives one, else
    /// the wire name.
    pub fn client_name(&self) -> &str {
        self.client_name.as_deref().unwrap_or(&self.wire_name)
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A header.
    Header,
}

/// Who provides a parameter's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamRole {
    /// `api-version`: fixed by the spec.
    ApiVersion,
    /// A client parameter (e.g. `subscriptionId`): set once on the client. By AutoRest's rule,
    /// `x-ms-parameter-location: client`, or a global parameter that does not say `method`.
    Client,
    /// Passed to each call.
    Method,
}

/// The request body.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyParam {
    /// The body parameter's name in the spec.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
}

/// One response.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDef {
    /// Status code; `None` for `default` and for a status marked `x-ms-error-response`
    /// (error responses).
    pub status: Option<u16>,
    /// Body type, if the response has a JSON body.
    pub ty: Option<TypeRef>,
    /// The content type of a file body (`type: file`), which is bytes handed out as they
    /// arrive, not decoded (`ty` is `None`).
    pub file: Option<String>,
    /// `description`.
    pub description: String,
    /// The documented response headers.
    pub headers: Vec<ResponseHeader>,
}

/// A documented response header.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// Its name in the spec.
    pub name: String,
    /// `x-ms-header-collection-prefix`: the header stands for every response header whose name
    /// starts with this prefix (a map of strings keyed by the rest of the name).
    pub collection_prefix: Option<String>,
}

/// Options of a long-running operation.
#[derive(Debug, Clone, PartialEq)]
pub struct LongRunning {
    /// `final-state-via`; `None` when the spec leaves it to the method's default.
    pub final_state_via: Option<FinalStateVia>,
    /// `final-state-schema`: the type of the final result, when the spec names it.
    pub final_schema: Option<TypeRef>,
}

/// Options of a pageable operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Pageable {
    /// The property holding the items (`value` by default).
    pub item_name: String,
    /// The property holding the next page's URL; `None` means one page only.
    pub next_link_name: Option<String>,
    /// `operationName` of the next-page operation, if the spec names one.
    pub operation_name: Option<String>,
}

/// Builds every operation of the document.
pub(super) fn build(
    normalised: &Normalised,
    types: &mut TypeBuilder<'_>,
) -> Result<Vec<Operation>> {
    let mut operations = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (path, item) in &normalised.openapi.paths.paths {
        let oa::ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, operation) in item.iter() {
            let origin = normalised
                .origins
                .operations
                .get(&(path.clone(), method.to_owned()))
                .cloned()
                .unwrap_or_else(|| Origin {
                    file: Default::default(),
                    pointer: format!("/paths/{path}/{method}"),
                });
            let extensions = normalised
                .extensions
                .operations
                .get(&(path.clone(), method.to_owned()))
                .cloned()
                .unwrap_or_default();
            let built = build_operation(path, method, operation, &extensions, origin, types)?;
            if let Some(first) = ids.insert(built.id.clone(), built.origin.pointer.clone()) {
                return Err(Error::Operation {
                    file: built.origin.file,
                    pointer: built.origin.pointer,
                    message: format!(
                        "operationId {:?} is used by more than one operation (first defined at {first})",
                        built.id
                    ),
                });
            }
            operations.push(built);
        }
    }
    Ok(operations)
}

fn build_operation(
    path: &str,
    method: &str,
    operation: &oa::Operation,
    extensions: &OperationExtensions,
    origin: Origin,
    types: &mut TypeBuilder<'_>,
) -> Result<Operation> {
    let at = operation_pointer(path, method);
    let Some(method) = parse_method(method) else {
        return Err(Error::Shape {
            file: origin.file,
            pointer: origin.pointer,
            message: format!("`{method}` is not an HTTP method of Swagger 2.0"),
        });
    };
    let Some(id) = operation.operation_id.clone() else {
        return Err(Error::Operation {
            file: origin.file,
            pointer: origin.pointer,
            message: "operation has no operationId".into(),
        });
    };
    let (group, name) = match id.split_once('_') {
        Some((group, name)) => (group.to_owned(), name.to_owned()),
        None => (
            operation
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| "Operations".into()),
            id.clone(),
        ),
    };
    let context = |suffix: &str, at: String| Context {
        name: format!("{}{}", id.replace('_', ""), suffix),
        origin: origin.clone(),
        at,
    };
    let mut params = Vec::new();
    for (index, parameter) in operation.parameters.iter().enumerate() {
        let oa::ReferenceOr::Item(parameter) = parameter else {
            continue;
        };
        let param_context = Context {
            name: heck::ToUpperCamelCase::to_upper_camel_case(
                parameter.parameter_data_ref().name.as_str(),
            ),
            origin: Origin {
                file: origin.file.clone(),
                pointer: format!("{}/parameters/{index}", origin.pointer),
            },
            at: format!("{at}/parameters/{index}/schema"),
        };
        let parameter_extensions = extensions
            .parameters
            .get(index)
            .cloned()
            .unwrap_or_default();
        params.push(build_param(
            parameter,
            &parameter_extensions,
            &param_context,
            types,
        )?);
    }
    let body = match &operation.request_body {
        Some(oa::ReferenceOr::Item(body)) => Some(BodyParam {
            name: extensions
                .body_name
                .clone()
                .unwrap_or_else(|| "body".into()),
            ty: body_type(
                &body.content,
                &context("Body", content_schema_pointer(&format!("{at}/requestBody"))),
                types,
            )?
            .unwrap_or(TypeRef::Any),
            required: body.required,
            description: body.description.clone(),
        }),
        _ => None,
    };
    let mut responses = Vec::new();
    let statuses = operation
        .responses
        .responses
        .iter()
        .map(|(status, response)| (Some(status), response))
        .chain(
            operation
                .responses
                .default
                .iter()
                .map(|response| (None, response)),
        );
    for (status, response) in statuses {
        let oa::ReferenceOr::Item(response) = response else {
            continue;
        };
        let code = match status {
            Some(oa::StatusCode::Code(code)) => Some(*code),
            Some(oa::StatusCode::Range(range)) => Some(*range * 100),
            None => None,
        };
        let suffix = code.map_or_else(|| "Error".to_owned(), |code| format!("Response{code}"));
        let key = code.map_or_else(|| "default".to_owned(), |code| code.to_string());
        let response_at = content_schema_pointer(&format!("{at}/responses/{key}"));
        // A status marked `x-ms-error-response` is an error like `default`: the call fails with
        // it (its body stays readable on the error) instead of decoding it as a result.
        let error = code.is_some_and(|code| extensions.error_statuses.contains(&code));
        let file = response
            .content
            .keys()
            .find(|content_type| *content_type != JSON_CONTENT_TYPE)
            .cloned();
        let ty = match file {
            Some(_) => None,
            None => body_type(&response.content, &context(&suffix, response_at), types)?,
        };
        responses.push(ResponseDef {
            status: code.filter(|_| !error),
            ty,
            file,
            description: response.description.clone(),
            headers: response
                .headers
                .iter()
                .map(|(name, header)| ResponseHeader {
                    name: name.clone(),
                    collection_prefix: match header {
                        oa::ReferenceOr::Item(header) => header
                            .extensions
                            .get(HEADER_COLLECTION_PREFIX)
                            .and_then(Value::as_str)
                            .map(str::to_owned),
                        oa::ReferenceOr::Reference { .. } => None,
                    },
                })
                .collect(),
        });
    }
    // A poller's result and a pager's pages are decoded from JSON: a file cannot be either.
    let file = responses
        .iter()
        .any(|r| r.file.is_some() && r.status.is_some_and(|s| s < 300));
    let shape = match (&extensions.long_running, &extensions.pageable) {
        (Some(_), _) => Some("x-ms-long-running-operation"),
        (None, Some(_)) => Some("x-ms-pageable"),
        (None, None) => None,
    };
    if let (true, Some(shape)) = (file, shape) {
        return Err(Error::Unsupported {
            file: origin.file,
            pointer: origin.pointer,
            reason: format!(
                "operation {id:?} answers with a file (`type: file`) and is `{shape}`: a file is \
                 handed out as it arrives, not as a poller's result or a list's pages"
            ),
        });
    }
    Ok(Operation {
        id,
        group,
        name,
        method,
        // An `x-ms-paths` template may end with a query that only tells it apart from another
        // (`/items?op=next`): the parameters it names are declared like any other.
        path: path.split('?').next().unwrap_or(path).to_owned(),
        summary: operation.summary.clone(),
        description: crate::ir::description(operation.description.as_ref()),
        deprecated: operation.deprecated,
        params,
        body,
        responses,
        long_running: extensions.long_running.as_ref().map(|options| LongRunning {
            final_state_via: options.final_state_via,
            final_schema: options.final_state_schema.clone().map(TypeRef::Named),
        }),
        pageable: extensions.pageable.as_ref().map(|options| Pageable {
            item_name: options.item_name.clone().unwrap_or_else(|| "value".into()),
            next_link_name: options.next_link_name.clone(),
            operation_name: options.operation_name.clone(),
        }),
        examples: extensions.examples.clone(),
        origin,
    })
}

fn build_param(
    parameter: &oa::Parameter,
    extensions: &ParameterExtensions,
    context: &Context,
    types: &mut TypeBuilder<'_>,
) -> Result<Param> {
    let data = parameter.parameter_data_ref();
    let location = match parameter {
        oa::Parameter::Path { .. } => ParamLocation::Path,
        oa::Parameter::Query { .. } => ParamLocation::Query,
        _ => ParamLocation::Header,
    };
    let (mut ty, mut constraints, default) = match &data.format {
        oa::ParameterSchemaOrContent::Schema(schema) => {
            let (ty, constraints) = types.type_of(schema, context)?;
            let default = match schema {
                oa::ReferenceOr::Item(item) => item.schema_data.default.clone(),
                oa::ReferenceOr::Reference { .. } => None,
            };
            (ty, constraints, default)
        }
        oa::ParameterSchemaOrContent::Content(_) => (
            TypeRef::Primitive(Primitive::String),
            Default::default(),
            None,
        ),
    };
    // `x-ms-api-version: false` keeps a parameter named `api-version` the caller's (or the
    // spec's constant), not the client's api-version.
    let role = if data.name == "api-version" && extensions.api_version != Some(false) {
        ParamRole::ApiVersion
    } else if extensions.location == ParameterLocation::Client {
        ParamRole::Client
    } else {
        ParamRole::Method
    };
    // Parameters travel as text: a UUID parameter is a validated string.
    if ty == TypeRef::Primitive(Primitive::Uuid) {
        ty = TypeRef::Primitive(Primitive::String);
        constraints.uuid = true;
    }
    if role != ParamRole::ApiVersion
        && ty == TypeRef::Primitive(Primitive::String)
        && !constraints.is_empty_for(&ty)
    {
        ty = TypeRef::Named(types.define_newtype(&data.name, constraints, context));
        constraints = Constraints::default();
    }
    let number_constraints = match ty {
        TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::F64) => constraints,
        _ => Constraints::default(),
    };
    let map_of_strings = TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::String)));
    let header_collection_prefix = match &extensions.header_collection_prefix {
        Some(_) if ty != map_of_strings => {
            return Err(Error::Unsupported {
                file: context.origin.file.clone(),
                pointer: format!("{}/{HEADER_COLLECTION_PREFIX}", context.origin.pointer),
                reason: format!(
                    "`{HEADER_COLLECTION_PREFIX}` on parameter `{}`, which is not a map of \
                     strings (`type: object` with `additionalProperties: {{type: string}}`)",
                    data.name
                ),
            });
        }
        prefix => prefix.clone(),
    };
    if role == ParamRole::Client && matches!(ty, TypeRef::List(_) | TypeRef::Map(_)) {
        return Err(Error::Unsupported {
            file: context.origin.file.clone(),
            pointer: context.origin.pointer.clone(),
            reason: format!(
                "parameter `{}` is a client parameter (a global parameter, or \
                 `x-ms-parameter-location: client`) that is an array or a map: client \
                 parameters are single values; mark it `x-ms-parameter-location: method`",
                data.name
            ),
        });
    }
    let collection_format = matches!(ty, TypeRef::List(_)).then(|| {
        extensions
            .collection_format
            .unwrap_or(CollectionFormat::Csv)
    });
    Ok(Param {
        wire_name: data.name.clone(),
        location,
        role,
        ty,
        required: data.required,
        description: crate::ir::description(data.description.as_ref()),
        skip_url_encoding: extensions.skip_url_encoding,
        default,
        collection_format,
        client_default: extensions.client_default.clone(),
        header_collection_prefix,
        client_name: extensions.client_name.clone(),
        number_constraints,
    })
}

fn body_type(
    content: &indexmap::IndexMap<String, oa::MediaType>,
    context: &Context,
    types: &mut TypeBuilder<'_>,
) -> Result<Option<TypeRef>> {
    let Some(schema) = content.values().find_map(|media| media.schema.as_ref()) else {
        return Ok(None);
    };
    Ok(Some(types.type_of(schema, context)?.0))
}

/// The method of a normalised operation; normalise rejects every other key of a path item, so
/// `None` (OpenAPI 3's `trace`) means an input this stage was not meant to see.
fn parse_method(method: &str) -> Option<Method> {
    Some(match method {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "patch" => Method::Patch,
        "delete" => Method::Delete,
        "head" => Method::Head,
        "options" => Method::Options,
        _ => return None,
    })
}

impl Operation {
    /// Names of the types the operation uses directly: parameters, body, responses and the final
    /// result of a long-running operation.
    pub fn referenced_types(&self) -> impl Iterator<Item = &str> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self.body.iter().map(|b| &b.ty);
        let responses = self.responses.iter().filter_map(|r| r.ty.as_ref());
        let final_schema = self
            .long_running
            .iter()
            .filter_map(|l| l.final_schema.as_ref());
        params
            .chain(body)
            .chain(responses)
            .chain(final_schema)
            .filter_map(TypeRef::named)
    }
}
