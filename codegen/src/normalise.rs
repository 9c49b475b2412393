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

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3 as oa;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::extensions::{
    Host, LongRunning, OperationExtensions, ParameterExtensions, Tables, component_pointer,
    content_schema_pointer, escape, operation_pointer,
};
use crate::load::{RefTarget, SpecSet};
use crate::swagger::{self, AdditionalProperties};

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
            let parameter_extensions = ParameterExtensions {
                location: parameter.parameter_location,
                skip_url_encoding: parameter.skip_url_encoding,
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
        for (status, response) in &operation.responses {
            let response_pointer = format!("{pointer}/responses/{}", escape(status));
            let response_at = format!("{at}/responses/{}", escape(status));
            let converted = self.response(file, &response_pointer, response, &response_at)?;
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

    /// Follows a parameter `$ref` (possibly into another file) to the parameter itself.
    fn resolve_parameter(
        &self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
    ) -> Result<(PathBuf, String, swagger::Parameter)> {
        let mut current = (file.to_owned(), pointer.to_owned(), parameter.clone());
        let mut chain = Vec::new();
        while let Some(reference) = current.2.reference.clone() {
            let target = self.set.resolve(&current.0, &current.1, &reference)?;
            if chain.contains(&target) || chain.len() > 32 {
                return Err(Error::RefCycle {
                    file: file.to_owned(),
                    pointer: pointer.to_owned(),
                    chain: describe_chain(&chain, &target),
                });
            }
            chain.push(target.clone());
            let parameter = self.typed_at::<swagger::Parameter>(&target)?;
            current = (target.file, target.pointer, parameter);
        }
        Ok(current)
    }

    /// A body parameter as a request body; `at` is the request body's pointer.
    fn body(
        &mut self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
        at: &str,
    ) -> Result<oa::RequestBody> {
        let schema = match &parameter.schema {
            Some(schema) => Some(self.schema(
                file,
                &format!("{pointer}/schema"),
                schema,
                &content_schema_pointer(at),
            )?),
            None => None,
        };
        Ok(oa::RequestBody {
            description: parameter.description.clone(),
            content: json_content(schema),
            required: parameter.required,
            extensions: IndexMap::new(),
        })
    }

    /// A path, query or header parameter; `at` is its schema's pointer.
    fn parameter(
        &mut self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
        at: &str,
    ) -> Result<oa::Parameter> {
        let schema = self.schema(file, pointer, &parameter.simple, at)?;
        let data = oa::ParameterData {
            name: parameter.name.clone(),
            description: parameter.description.clone(),
            required: parameter.required,
            deprecated: None,
            format: oa::ParameterSchemaOrContent::Schema(schema),
            example: None,
            examples: IndexMap::new(),
            explode: None,
            extensions: IndexMap::new(),
        };
        Ok(match parameter.location.as_str() {
            "path" => oa::Parameter::Path {
                parameter_data: data,
                style: oa::PathStyle::Simple,
            },
            "query" => oa::Parameter::Query {
                parameter_data: data,
                allow_reserved: false,
                style: oa::QueryStyle::Form,
                allow_empty_value: None,
            },
            "header" => oa::Parameter::Header {
                parameter_data: data,
                style: oa::HeaderStyle::Simple,
            },
            other => {
                return Err(Error::Unsupported {
                    file: file.to_owned(),
                    pointer: pointer.to_owned(),
                    reason: format!(
                        "parameter {:?} is `in: {other}`; only path, query, header and body are supported",
                        parameter.name
                    ),
                });
            }
        })
    }

    /// A response; `at` is its pointer in the normalised document.
    fn response(
        &mut self,
        file: &Path,
        pointer: &str,
        response: &swagger::Response,
        at: &str,
    ) -> Result<oa::Response> {
        let (file, pointer, response) = match &response.reference {
            Some(reference) => {
                let target = self.set.resolve(file, pointer, reference)?;
                let typed = self.typed_at::<swagger::Response>(&target)?;
                (target.file, target.pointer, typed)
            }
            None => (file.to_owned(), pointer.to_owned(), response.clone()),
        };
        let schema = match &response.schema {
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
                    extensions: IndexMap::new(),
                }),
            );
        }
        Ok(oa::Response {
            description: response.description.clone(),
            headers,
            content: json_content(schema),
            links: IndexMap::new(),
            extensions: IndexMap::new(),
        })
    }

    /// Converts one schema; `pointer` locates it in `file` for errors and relative `$ref`s, `at`
    /// in the normalised document for [`Tables::schemas`].
    fn schema(
        &mut self,
        file: &Path,
        pointer: &str,
        schema: &swagger::Schema,
        at: &str,
    ) -> Result<oa::ReferenceOr<oa::Schema>> {
        let extensions = schema.extensions();
        if !extensions.is_empty() {
            self.tables.schemas.insert(at.to_owned(), extensions);
        }
        if let Some(reference) = &schema.reference {
            let target = self.set.resolve(file, pointer, reference)?;
            let annotated = is_annotated(schema);
            let target_at = match annotated {
                true => format!("{at}/allOf/0"),
                false => at.to_owned(),
            };
            let reference = self.schema_reference(file, pointer, &target, &target_at)?;
            return Ok(match annotated {
                true => annotate_reference(reference, schema),
                false => reference,
            });
        }
        let data = schema_data(schema);
        if !schema.all_of.is_empty() {
            let mut all_of = Vec::new();
            for (index, parent) in schema.all_of.iter().enumerate() {
                let parent_pointer = format!("{pointer}/allOf/{index}");
                let parent_at = format!("{at}/allOf/{index}");
                all_of.push(self.schema(file, &parent_pointer, parent, &parent_at)?);
            }
            let own = schema.own_part();
            if !own.properties.is_empty()
                || own.additional_properties.is_some()
                || !own.required.is_empty()
            {
                let own = swagger::Schema {
                    schema_type: Some("object".into()),
                    ..own
                };
                let own_at = format!("{at}/allOf/{}", all_of.len());
                all_of.push(self.schema(file, pointer, &own, &own_at)?);
            }
            return Ok(oa::ReferenceOr::Item(oa::Schema {
                schema_data: data,
                schema_kind: oa::SchemaKind::AllOf { all_of },
            }));
        }
        let kind = self.schema_kind(file, pointer, schema, at)?;
        Ok(oa::ReferenceOr::Item(oa::Schema {
            schema_data: data,
            schema_kind: kind,
        }))
    }

    fn schema_kind(
        &mut self,
        file: &Path,
        pointer: &str,
        schema: &swagger::Schema,
        at: &str,
    ) -> Result<oa::SchemaKind> {
        let unsupported = |reason: String| Error::Unsupported {
            file: file.to_owned(),
            pointer: pointer.to_owned(),
            reason,
        };
        let schema_type = match schema.schema_type.as_deref() {
            Some(explicit) => explicit,
            None if !schema.properties.is_empty() || schema.additional_properties.is_some() => {
                "object"
            }
            None if schema.items.is_some() => "array",
            None if schema
                .enum_values
                .as_ref()
                .is_some_and(|v| v.iter().all(Value::is_string)) =>
            {
                "string"
            }
            None => return Ok(oa::SchemaKind::Any(oa::AnySchema::default())),
        };
        let kind = match schema_type {
            "string" => oa::Type::String(oa::StringType {
                format: string_format(schema.format.as_deref()),
                pattern: schema.pattern.clone(),
                enumeration: enum_strings(schema).map_err(unsupported)?,
                min_length: schema.min_length.map(|n| n as usize),
                max_length: schema.max_length.map(|n| n as usize),
            }),
            "integer" => oa::Type::Integer(oa::IntegerType {
                format: match schema.format.as_deref() {
                    Some("int32") => oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32),
                    Some("int64") => oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int64),
                    Some(other) => oa::VariantOrUnknownOrEmpty::Unknown(other.to_owned()),
                    None => oa::VariantOrUnknownOrEmpty::Empty,
                },
                multiple_of: match multiple_of(file, pointer, schema)? {
                    Some(n) if n.fract() == 0.0 => Some(n as i64),
                    Some(n) => {
                        return Err(unsupported(format!(
                            "`multipleOf: {n}` on an integer schema (not a whole number)"
                        )));
                    }
                    None => None,
                },
                exclusive_minimum: schema.exclusive_minimum,
                exclusive_maximum: schema.exclusive_maximum,
                minimum: schema.minimum.map(|n| n.ceil() as i64),
                maximum: schema.maximum.map(|n| n.floor() as i64),
                enumeration: Vec::new(),
            }),
            "number" => oa::Type::Number(oa::NumberType {
                format: match schema.format.as_deref() {
                    Some("float") => oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Float),
                    Some("double") => oa::VariantOrUnknownOrEmpty::Item(oa::NumberFormat::Double),
                    Some(other) => oa::VariantOrUnknownOrEmpty::Unknown(other.to_owned()),
                    None => oa::VariantOrUnknownOrEmpty::Empty,
                },
                multiple_of: multiple_of(file, pointer, schema)?,
                exclusive_minimum: schema.exclusive_minimum,
                exclusive_maximum: schema.exclusive_maximum,
                minimum: schema.minimum,
                maximum: schema.maximum,
                enumeration: Vec::new(),
            }),
            "boolean" => oa::Type::Boolean(oa::BooleanType::default()),
            "array" => {
                let items = match &schema.items {
                    Some(items) => Some(boxed(self.schema(
                        file,
                        &format!("{pointer}/items"),
                        items,
                        &format!("{at}/items"),
                    )?)),
                    None => None,
                };
                oa::Type::Array(oa::ArrayType {
                    items,
                    min_items: schema.min_items.map(|n| n as usize),
                    max_items: schema.max_items.map(|n| n as usize),
                    unique_items: schema.unique_items,
                })
            }
            "object" => {
                let mut properties = IndexMap::new();
                for (name, property) in &schema.properties {
                    let property_pointer = format!("{pointer}/properties/{}", escape(name));
                    let property_at = format!("{at}/properties/{}", escape(name));
                    properties.insert(
                        name.clone(),
                        boxed(self.schema(file, &property_pointer, property, &property_at)?),
                    );
                }
                let additional_properties = match &schema.additional_properties {
                    None => None,
                    Some(AdditionalProperties::Allowed(allowed)) => {
                        Some(oa::AdditionalProperties::Any(*allowed))
                    }
                    Some(AdditionalProperties::Schema(inner)) if is_empty_schema(inner) => {
                        Some(oa::AdditionalProperties::Any(true))
                    }
                    Some(AdditionalProperties::Schema(inner)) => {
                        let inner_pointer = format!("{pointer}/additionalProperties");
                        let inner_at = format!("{at}/additionalProperties");
                        let converted = self.schema(file, &inner_pointer, inner, &inner_at)?;
                        Some(oa::AdditionalProperties::Schema(Box::new(converted)))
                    }
                };
                oa::Type::Object(oa::ObjectType {
                    properties,
                    required: schema.required.clone(),
                    additional_properties,
                    min_properties: None,
                    max_properties: None,
                })
            }
            other => return Err(unsupported(format!("schema `type: {other}`"))),
        };
        Ok(oa::SchemaKind::Type(kind))
    }

    /// A reference to the component for a definition, or the inlined target of any other pointer
    /// (converted at `at`).
    fn schema_reference(
        &mut self,
        file: &Path,
        pointer: &str,
        target: &RefTarget,
        at: &str,
    ) -> Result<oa::ReferenceOr<oa::Schema>> {
        let is_definition = target
            .pointer
            .strip_prefix("/definitions/")
            .is_some_and(|name| !name.contains('/'));
        if is_definition {
            let component = self.component_name(target);
            return Ok(oa::ReferenceOr::Reference {
                reference: format!("{SCHEMA_REF_PREFIX}{component}"),
            });
        }
        if self.inlining.contains(target) {
            return Err(Error::RefCycle {
                file: file.to_owned(),
                pointer: pointer.to_owned(),
                chain: describe_chain(&self.inlining, target),
            });
        }
        let inner = self.typed_at::<swagger::Schema>(target)?;
        self.inlining.push(target.clone());
        let converted = self.schema(&target.file, &target.pointer, &inner, at);
        self.inlining.pop();
        converted
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

fn schema_data(schema: &swagger::Schema) -> oa::SchemaData {
    oa::SchemaData {
        nullable: schema.nullable == Some(true),
        read_only: schema.read_only,
        title: schema.title.clone(),
        description: schema.description.clone(),
        discriminator: schema
            .discriminator
            .as_ref()
            .map(|property| oa::Discriminator {
                property_name: property.clone(),
                ..Default::default()
            }),
        default: schema.default.clone(),
        ..Default::default()
    }
}

/// Whether a `$ref` has sibling annotations, which [`annotate_reference`] keeps.
fn is_annotated(schema: &swagger::Schema) -> bool {
    schema.description.is_some()
        || schema.read_only
        || !schema.extensions().is_empty()
        || schema.default.is_some()
}

/// A `$ref` with sibling annotations becomes `allOf: [$ref]` carrying them.
fn annotate_reference(
    reference: oa::ReferenceOr<oa::Schema>,
    schema: &swagger::Schema,
) -> oa::ReferenceOr<oa::Schema> {
    oa::ReferenceOr::Item(oa::Schema {
        schema_data: schema_data(schema),
        schema_kind: oa::SchemaKind::AllOf {
            all_of: vec![reference],
        },
    })
}

fn json_content(schema: Option<oa::ReferenceOr<oa::Schema>>) -> IndexMap<String, oa::MediaType> {
    schema
        .map(|schema| {
            IndexMap::from([(
                "application/json".to_owned(),
                oa::MediaType {
                    schema: Some(schema),
                    ..Default::default()
                },
            )])
        })
        .unwrap_or_default()
}

fn string_format(format: Option<&str>) -> oa::VariantOrUnknownOrEmpty<oa::StringFormat> {
    match format {
        Some("date") => oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Date),
        Some("date-time") => oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime),
        Some("password") => oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Password),
        Some("byte") => oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Byte),
        Some("binary") => oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary),
        Some(other) => oa::VariantOrUnknownOrEmpty::Unknown(other.to_owned()),
        None => oa::VariantOrUnknownOrEmpty::Empty,
    }
}

fn enum_strings(schema: &swagger::Schema) -> std::result::Result<Vec<Option<String>>, String> {
    let Some(values) = &schema.enum_values else {
        return Ok(Vec::new());
    };
    values
        .iter()
        .map(|value| match value {
            Value::String(text) => Ok(Some(text.clone())),
            Value::Null => Ok(None),
            other => Err(format!(
                "enum value {other} of a string schema is not a string"
            )),
        })
        .collect()
}

/// `multipleOf`, which JSON Schema requires to be greater than 0.
fn multiple_of(file: &Path, pointer: &str, schema: &swagger::Schema) -> Result<Option<f64>> {
    match schema.multiple_of {
        Some(n) if !(n > 0.0 && n.is_finite()) => Err(Error::Shape {
            file: file.to_owned(),
            pointer: format!("{pointer}/multipleOf"),
            message: format!("`multipleOf` must be a number greater than 0, found {n}"),
        }),
        other => Ok(other),
    }
}

fn is_empty_schema(schema: &swagger::Schema) -> bool {
    *schema == swagger::Schema::default()
}

fn boxed(schema: oa::ReferenceOr<oa::Schema>) -> oa::ReferenceOr<Box<oa::Schema>> {
    match schema {
        oa::ReferenceOr::Reference { reference } => oa::ReferenceOr::Reference { reference },
        oa::ReferenceOr::Item(item) => oa::ReferenceOr::Item(Box::new(item)),
    }
}

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
