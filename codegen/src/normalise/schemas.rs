//! Schemas, converted: a Swagger 2.0 schema becomes an OpenAPI 3 one, `$ref`s rewritten to
//! components (annotated `$ref`s to a single-entry `allOf`), formats and enums carried over, and
//! the schema's extensions recorded in the side tables by the pointer it gets in the normalised
//! document.

use std::path::Path;

use indexmap::IndexMap;
use openapiv3 as oa;

use super::*;

impl Normaliser<'_> {
    /// Converts one schema; `pointer` locates it in `file` for errors and relative `$ref`s, `at`
    /// in the normalised document for [`Tables::schemas`].
    pub(super) fn schema(
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

    pub(super) fn schema_kind(
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
            "file" => {
                return Err(unsupported(
                    "schema `type: file` inside a model or a request: only a whole response body \
                     can be a file"
                        .to_owned(),
                ));
            }
            other => return Err(unsupported(format!("schema `type: {other}`"))),
        };
        Ok(oa::SchemaKind::Type(kind))
    }

    /// A reference to the component for a definition, or the inlined target of any other pointer
    /// (converted at `at`).
    pub(super) fn schema_reference(
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

/// The content type of every body but a file's.
pub const JSON_CONTENT_TYPE: &str = "application/json";

pub(super) fn json_content(
    schema: Option<oa::ReferenceOr<oa::Schema>>,
) -> IndexMap<String, oa::MediaType> {
    schema
        .map(|schema| {
            IndexMap::from([(
                JSON_CONTENT_TYPE.to_owned(),
                oa::MediaType {
                    schema: Some(schema),
                    ..Default::default()
                },
            )])
        })
        .unwrap_or_default()
}

/// The content of a file response: bytes (`type: string, format: binary`) of `content_type`.
pub(super) fn file_content(content_type: &str) -> IndexMap<String, oa::MediaType> {
    let bytes = oa::Schema {
        schema_data: oa::SchemaData::default(),
        schema_kind: oa::SchemaKind::Type(oa::Type::String(oa::StringType {
            format: oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Binary),
            ..Default::default()
        })),
    };
    IndexMap::from([(
        content_type.to_owned(),
        oa::MediaType {
            schema: Some(oa::ReferenceOr::Item(bytes)),
            ..Default::default()
        },
    )])
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
