//! Stage 2, **normalise**: turns the loaded Swagger 2.0 files into one [`openapiv3::OpenAPI`]
//! document.
//!
//! - `definitions` of the input files become `components.schemas` under their own names;
//!   definitions of other files that the inputs reach are pulled in under the same name, or
//!   prefixed with their file's stem when that name is taken.
//! - every `$ref` is rewritten to `#/components/schemas/...`; a `$ref` with sibling keys
//!   (`description`, `readOnly`, `x-ms-client-flatten`, ...) becomes an annotated single-entry
//!   `allOf`, so none of those keys is lost;
//! - `parameters` and `responses` `$ref`s are resolved inline; body parameters become request
//!   bodies;
//! - the `x-ms-*` extensions, typed at load, go to [`Tables`] beside the document, keyed by
//!   where they belong in it (see [`crate::extensions`]); the document's own `extensions` maps
//!   stay empty. The body parameter's name and the component that `final-state-schema` names
//!   go there too.
//!
//! [`Origins`] remembers the file and JSON pointer each schema and operation came from, so later
//! stages can name them in errors.

mod parameters;
mod schemas;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3 as oa;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::extensions::{
    HEADER_COLLECTION_PREFIX, Host, LongRunning, OperationExtensions, ParameterExtensions,
    ParameterLocation, Tables, component_pointer, content_schema_pointer, escape,
    operation_pointer,
};
use crate::load::{RefTarget, SpecSet};
use crate::swagger::{self, AdditionalProperties};
pub use schemas::JSON_CONTENT_TYPE;
use schemas::{file_content, json_content};

/// The normalised document and where its parts came from.
#[derive(Debug, Clone)]
pub struct Normalised {
    /// The whole API as OpenAPI 3.
    pub openapi: oa::OpenAPI,
    /// Source locations of schemas and operations.
    pub origins: Origins,
    /// The `x-ms-*` extensions, by where they belong in [`Self::openapi`].
    pub extensions: Tables,
}

/// Source locations, for error messages of later stages.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// Component schema name → where its definition is.
    pub schemas: BTreeMap<String, Origin>,
    /// `(path, method)` → where the operation is.
    pub operations: BTreeMap<(String, String), Origin>,
}

/// A file and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: PathBuf,
    /// JSON pointer inside the file.
    pub pointer: String,
}

/// The prefix of component schema references.
pub const SCHEMA_REF_PREFIX: &str = "#/components/schemas/";

/// Normalises every file in `set` into one OpenAPI document.
pub fn normalise(set: &SpecSet) -> Result<Normalised> {
    let mut normaliser = Normaliser::new(set);
    normaliser.reserve_root_definitions();
    let paths = normaliser.paths()?;
    normaliser.drain_definitions()?;
    let root = set.file(&set.roots[0]);
    normaliser.tables.parameterized_host = match &root.doc.parameterized_host {
        Some(host) => Some(normaliser.host(&set.roots[0], host)?),
        None => None,
    };
    let info = &root.doc.info;
    let servers = root
        .doc
        .host
        .iter()
        .map(|host| oa::Server {
            url: format!(
                "{}://{}{}",
                root.doc.schemes.first().map_or("https", String::as_str),
                host,
                root.doc.base_path.as_deref().unwrap_or("")
            ),
            ..Default::default()
        })
        .collect();
    let openapi = oa::OpenAPI {
        openapi: "3.0.3".into(),
        info: oa::Info {
            title: info.title.clone(),
            description: info.description.clone(),
            version: info.version.clone(),
            ..Default::default()
        },
        servers,
        paths: oa::Paths {
            paths,
            ..Default::default()
        },
        components: Some(oa::Components {
            schemas: normaliser.schemas,
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok(Normalised {
        openapi,
        origins: normaliser.origins,
        extensions: normaliser.tables,
    })
}

struct Normaliser<'a> {
    set: &'a SpecSet,
    names: HashMap<RefTarget, String>,
    taken: HashSet<String>,
    queue: VecDeque<RefTarget>,
    schemas: IndexMap<String, oa::ReferenceOr<oa::Schema>>,
    origins: Origins,
    tables: Tables,
    inlining: Vec<RefTarget>,
}

impl<'a> Normaliser<'a> {
    fn new(set: &'a SpecSet) -> Self {
        Self {
            set,
            names: HashMap::new(),
            taken: HashSet::new(),
            queue: VecDeque::new(),
            schemas: IndexMap::new(),
            origins: Origins::default(),
            tables: Tables::default(),
            inlining: Vec::new(),
        }
    }

    /// Every definition of an input file becomes a component, whether an operation uses it or not.
    fn reserve_root_definitions(&mut self) {
        for root in &self.set.roots {
            for name in self.set.file(root).doc.definitions.keys() {
                let target = RefTarget {
                    file: root.clone(),
                    pointer: format!("/definitions/{}", escape(name)),
                };
                self.component_name(&target);
            }
        }
    }

    /// The component name of the definition at `target`, assigned (and queued) on first use.
    fn component_name(&mut self, target: &RefTarget) -> String {
        if let Some(name) = self.names.get(target) {
            return name.clone();
        }
        let definition = unescape(target.pointer.trim_start_matches("/definitions/"));
        let mut name = definition.clone();
        if self.taken.contains(&name) {
            let stem = target
                .file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("external");
            name = format!("{}{}", stem.to_upper_camel_case(), definition);
            let base = name.clone();
            let mut counter = 2;
            while self.taken.contains(&name) {
                name = format!("{base}{counter}");
                counter += 1;
            }
        }
        self.taken.insert(name.clone());
        self.names.insert(target.clone(), name.clone());
        self.queue.push_back(target.clone());
        name
    }

    fn drain_definitions(&mut self) -> Result<()> {
        while let Some(target) = self.queue.pop_front() {
            let name = self.names[&target].clone();
            let definition = unescape(target.pointer.trim_start_matches("/definitions/"));
            let schema = &self.set.file(&target.file).doc.definitions[&definition];
            let at = component_pointer(&name);
            let converted = self.schema(&target.file, &target.pointer, schema, &at)?;
            self.schemas.insert(name.clone(), converted);
            self.origins.schemas.insert(
                name,
                Origin {
                    file: target.file,
                    pointer: target.pointer,
                },
            );
        }
        self.schemas.sort_keys();
        Ok(())
    }

    fn paths(&mut self) -> Result<IndexMap<String, oa::ReferenceOr<oa::PathItem>>> {
        let mut paths = IndexMap::new();
        for root in self.set.roots.clone() {
            let doc = &self.set.file(&root).doc;
            let all = (doc.paths.iter().map(|entry| ("paths", entry)))
                .chain(doc.x_ms_paths.iter().map(|entry| ("x-ms-paths", entry)));
            for (section, (path, item)) in all {
                let item_pointer = format!("/{section}/{}", escape(path));
                if let Some(method) = item.unknown_methods().next() {
                    return Err(Error::Shape {
                        file: root.clone(),
                        pointer: format!("{item_pointer}/{}", escape(method)),
                        message: format!(
                            "`{method}` is not an HTTP method of Swagger 2.0 (get, put, post, \
                             delete, options, head, patch)"
                        ),
                    });
                }
                let mut out = oa::PathItem::default();
                let slots = [
                    ("get", &item.get, &mut out.get),
                    ("put", &item.put, &mut out.put),
                    ("post", &item.post, &mut out.post),
                    ("delete", &item.delete, &mut out.delete),
                    ("options", &item.options, &mut out.options),
                    ("head", &item.head, &mut out.head),
                    ("patch", &item.patch, &mut out.patch),
                ];
                for (method, operation, slot) in slots {
                    let Some(operation) = operation else {
                        continue;
                    };
                    let pointer = format!("{item_pointer}/{method}");
                    let at = operation_pointer(path, method);
                    let (converted, extensions) =
                        self.operation(&root, &pointer, &at, &item.parameters, operation)?;
                    self.tables
                        .operations
                        .insert((path.clone(), method.to_owned()), extensions);
                    *slot = Some(converted);
                    self.origins.operations.insert(
                        (path.clone(), method.to_owned()),
                        Origin {
                            file: root.clone(),
                            pointer,
                        },
                    );
                }
                if paths
                    .insert(path.clone(), oa::ReferenceOr::Item(out))
                    .is_some()
                {
                    return Err(Error::Operation {
                        file: root.clone(),
                        pointer: item_pointer,
                        message: format!(
                            "path {path:?} is defined more than once (by `paths` and `x-ms-paths`, \
                             or by more than one input file)"
                        ),
                    });
                }
            }
        }
        Ok(paths)
    }

    /// Converts one operation; `at` is its pointer in the normalised document.
    fn operation(
        &mut self,
        file: &Path,
        pointer: &str,
        at: &str,
        shared: &[swagger::Parameter],
        operation: &swagger::Operation,
    ) -> Result<(oa::Operation, OperationExtensions)> {
        let mut parameters = Vec::new();
        let mut extensions = OperationExtensions::default();
        let mut request_body = None;
        let shared = shared
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{pointer}/../parameters/{i}"), p));
        let own = operation
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p));
        let mut seen = HashMap::new();
        for (param_pointer, parameter) in shared.chain(own) {
            let (param_file, param_pointer, parameter) =
                self.resolve_parameter(file, &param_pointer, parameter)?;
            if parameter.location == "body" {
                let body_at = format!("{at}/requestBody");
                let body = self.body(&param_file, &param_pointer, &parameter, &body_at)?;
                request_body = Some(oa::ReferenceOr::Item(body));
                extensions.body_name = Some(parameter.name.clone());
                continue;
            }
            // An operation-level parameter overrides a path-level one, in its place.
            let key = (parameter.name.clone(), parameter.location.clone());
            let index = *seen.entry(key).or_insert(parameters.len());
            let schema_at = format!("{at}/parameters/{index}/schema");
            if index < parameters.len() {
                // The overridden parameter's schema extensions go with it.
                let nested = format!("{schema_at}/");
                self.tables
                    .schemas
                    .retain(|key, _| *key != schema_at && !key.starts_with(&nested));
            }
            let converted = self.parameter(&param_file, &param_pointer, &parameter, &schema_at)?;
            // AutoRest's rule: a parameter of a document's global `parameters` section is the
            // client's unless it says otherwise, one defined in place the method's.
            let global = param_pointer.starts_with("/parameters/");
            let parameter_extensions = ParameterExtensions {
                location: parameter.parameter_location.unwrap_or(if global {
                    ParameterLocation::Client
                } else {
                    ParameterLocation::Method
                }),
                skip_url_encoding: parameter.skip_url_encoding,
                api_version: parameter.api_version,
                collection_format: parameter.collection_format,
                client_default: client_default(&param_file, &param_pointer, &parameter)?,
                header_collection_prefix: header_collection_prefix(
                    &param_file,
                    &param_pointer,
                    &parameter,
                )?,
                client_name: parameter.client_name.clone(),
            };
            if index == parameters.len() {
                parameters.push(oa::ReferenceOr::Item(converted));
                extensions.parameters.push(parameter_extensions);
            } else {
                parameters[index] = oa::ReferenceOr::Item(converted);
                extensions.parameters[index] = parameter_extensions;
            }
        }
        let mut responses = oa::Responses::default();
        let set = self.set;
        let produces = operation
            .produces
            .as_deref()
            .unwrap_or(&set.file(file).doc.produces);
        let file_content_type = file_content_type(produces);
        for (status, response) in &operation.responses {
            let response_pointer = format!("{pointer}/responses/{}", escape(status));
            let response_at = format!("{at}/responses/{}", escape(status));
            let (converted, error) = self.response(
                file,
                &response_pointer,
                response,
                &response_at,
                file_content_type,
            )?;
            if status == "default" {
                responses.default = Some(oa::ReferenceOr::Item(converted));
            } else {
                let code = status.parse::<u16>().map_err(|_| Error::Shape {
                    file: file.to_owned(),
                    pointer: response_pointer.clone(),
                    message: format!(
                        "response key {status:?} is neither a status code nor `default`"
                    ),
                })?;
                if error {
                    extensions.error_statuses.push(code);
                }
                responses
                    .responses
                    .insert(oa::StatusCode::Code(code), oa::ReferenceOr::Item(converted));
            }
        }
        if operation.long_running {
            extensions.long_running = Some(self.long_running(file, pointer, operation)?);
        }
        extensions.pageable = operation.pageable.clone();
        extensions.examples = operation
            .examples
            .iter()
            .map(|(name, example)| (name.clone(), example.reference.clone()))
            .collect();
        let converted = oa::Operation {
            tags: operation.tags.clone(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            operation_id: operation.operation_id.clone(),
            parameters,
            request_body,
            responses,
            deprecated: operation.deprecated,
            ..Default::default()
        };
        Ok((converted, extensions))
    }

    /// The options of a long-running operation: `final-state-schema` is a `$ref` in all but
    /// name, resolved to the component it names.
    fn long_running(
        &mut self,
        file: &Path,
        pointer: &str,
        operation: &swagger::Operation,
    ) -> Result<LongRunning> {
        let options = operation.long_running_options.clone().unwrap_or_default();
        let final_state_schema = match &options.final_state_schema {
            Some(reference) => {
                let schema_pointer =
                    format!("{pointer}/x-ms-long-running-operation-options/final-state-schema");
                let target = self.set.resolve(file, &schema_pointer, reference)?;
                match self.schema_reference(file, &schema_pointer, &target, "")? {
                    oa::ReferenceOr::Reference { reference } => {
                        reference.strip_prefix(SCHEMA_REF_PREFIX).map(str::to_owned)
                    }
                    oa::ReferenceOr::Item(_) => {
                        return Err(Error::Unsupported {
                            file: file.to_owned(),
                            pointer: schema_pointer,
                            reason: format!(
                                "`final-state-schema` {reference:?} names no definition"
                            ),
                        });
                    }
                }
            }
            None => None,
        };
        Ok(LongRunning {
            final_state_via: options.final_state_via,
            final_state_schema,
        })
    }

    /// `x-ms-parameterized-host` with its parameters resolved: they may be `$ref`s.
    fn host(&self, file: &Path, host: &crate::extensions::ParameterizedHost) -> Result<Host> {
        let mut parameters = Vec::new();
        for (index, parameter) in host.parameters.iter().enumerate() {
            let pointer = format!("/x-ms-parameterized-host/parameters/{index}");
            parameters.push(self.resolve_parameter(file, &pointer, parameter)?.2);
        }
        Ok(Host {
            template: host.host_template.clone(),
            use_scheme_prefix: host.use_scheme_prefix,
            parameters,
        })
    }

    /// A response; `at` is its pointer in the normalised document. A body of `type: file` is
    /// binary content of `file_content_type` (see [`file_content_type`]) instead of JSON.
    fn response(
        &mut self,
        file: &Path,
        pointer: &str,
        response: &swagger::Response,
        at: &str,
        file_content_type: &str,
    ) -> Result<(oa::Response, bool)> {
        let (file, pointer, response) = match &response.reference {
            Some(reference) => {
                let target = self.set.resolve(file, pointer, reference)?;
                let typed = self.typed_at::<swagger::Response>(&target)?;
                (target.file, target.pointer, typed)
            }
            None => (file.to_owned(), pointer.to_owned(), response.clone()),
        };
        let is_file = response.schema.as_ref().is_some_and(|schema| {
            schema.reference.is_none() && schema.schema_type.as_deref() == Some("file")
        });
        let schema = match &response.schema {
            Some(_) if is_file => None,
            Some(schema) => Some(self.schema(
                &file,
                &format!("{pointer}/schema"),
                schema,
                &content_schema_pointer(at),
            )?),
            None => None,
        };
        let mut headers = IndexMap::new();
        for (name, header) in &response.headers {
            let header_pointer = format!("{pointer}/headers/{}", escape(name));
            let header_at = format!("{at}/headers/{}/schema", escape(name));
            let header_schema = self.schema(&file, &header_pointer, header, &header_at)?;
            headers.insert(
                name.clone(),
                oa::ReferenceOr::Item(oa::Header {
                    description: header.description.clone(),
                    style: oa::HeaderStyle::Simple,
                    required: false,
                    deprecated: None,
                    format: oa::ParameterSchemaOrContent::Schema(header_schema),
                    example: None,
                    examples: IndexMap::new(),
                    extensions: header
                        .header_collection_prefix
                        .iter()
                        .map(|prefix| (HEADER_COLLECTION_PREFIX.to_owned(), prefix.clone().into()))
                        .collect(),
                }),
            );
        }
        let content = if is_file {
            file_content(file_content_type)
        } else {
            json_content(schema)
        };
        Ok((
            oa::Response {
                description: response.description.clone(),
                headers,
                content,
                links: IndexMap::new(),
                extensions: IndexMap::new(),
            },
            response.error_response,
        ))
    }

    fn typed_at<T: serde::de::DeserializeOwned>(&self, target: &RefTarget) -> Result<T> {
        let raw = self
            .set
            .file(&target.file)
            .raw
            .pointer(&target.pointer)
            .cloned()
            .unwrap_or(Value::Null);
        serde_path_to_error::deserialize(raw).map_err(|error| Error::Shape {
            file: target.file.clone(),
            pointer: format!(
                "{}{}",
                target.pointer,
                crate::load::to_pointer(error.path())
            ),
            message: error.inner().to_string(),
        })
    }
}

/// The content type of a file response (`type: file`): the first non-JSON type the operation
/// `produces`, else `application/octet-stream`.
fn file_content_type(produces: &[String]) -> &str {
    produces
        .iter()
        .map(String::as_str)
        .find(|content_type| !is_json(content_type))
        .unwrap_or(OCTET_STREAM)
}

/// Whether `content_type` is JSON (`application/json`, `text/json`, with or without parameters).
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case(JSON_CONTENT_TYPE) || essence.eq_ignore_ascii_case("text/json")
}

/// The content type of bytes of no particular kind.
const OCTET_STREAM: &str = "application/octet-stream";

fn describe_chain(chain: &[RefTarget], again: &RefTarget) -> String {
    chain
        .iter()
        .chain(std::iter::once(again))
        .map(|target| format!("{}#{}", target.file.display(), target.pointer))
        .collect::<Vec<_>>()
        .join(" -> ")
}

fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// A parameter's `x-ms-client-default` as the text sent on the wire: a string, number or
/// boolean; anything else is a located error.
/// `x-ms-header-collection-prefix` of `parameter`: only a header parameter can be a header
/// collection.
fn header_collection_prefix(
    file: &Path,
    pointer: &str,
    parameter: &swagger::Parameter,
) -> Result<Option<String>> {
    match &parameter.simple.header_collection_prefix {
        Some(_) if parameter.location != "header" => Err(Error::Unsupported {
            file: file.to_owned(),
            pointer: format!("{pointer}/{HEADER_COLLECTION_PREFIX}"),
            reason: format!(
                "`{HEADER_COLLECTION_PREFIX}` on a parameter `in: {}`: only a header parameter \
                 is a collection of headers",
                parameter.location
            ),
        }),
        prefix => Ok(prefix.clone()),
    }
}

fn client_default(
    file: &Path,
    pointer: &str,
    parameter: &swagger::Parameter,
) -> Result<Option<String>> {
    match &parameter.client_default {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(value @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(value.to_string())),
        Some(other) => Err(Error::Unsupported {
            file: file.to_owned(),
            pointer: format!("{pointer}/x-ms-client-default"),
            reason: format!("`x-ms-client-default` {other} is not a string, number or boolean"),
        }),
    }
}
