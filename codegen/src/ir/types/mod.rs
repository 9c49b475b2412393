//! Builds the named types of the IR from `components.schemas` and from inline schemas found in
//! properties and parameters.
//!
//! - objects and `allOf` chains become structs, parents' fields first (no nesting, no flatten);
//! - a schema with a `discriminator` and at least one descendant becomes a union of the
//!   descendants, keyed by their `x-ms-discriminator-value` (or their name);
//! - string schemas with `enum` become enums (extensible with `x-ms-enum.modelAsString`);
//! - definitions that are only a scalar, array or map are aliases: references resolve through
//!   them to the underlying type.

mod structs;

use std::collections::{BTreeMap, HashSet};

use heck::ToUpperCamelCase;
use indexmap::IndexMap;
use openapiv3 as oa;

use super::{
    Constraints, EnumDef, EnumValue, Field, NewtypeDef, Primitive, StructDef, TypeDef, TypeKind,
    TypeRef, UnionDef, UnionVariant,
};
use crate::error::{Error, Result};
use crate::extensions::{SchemaExtensions, component_pointer, escape};
use crate::normalise::{Normalised, Origin, SCHEMA_REF_PREFIX};

pub(super) struct TypeBuilder<'a> {
    normalised: &'a Normalised,
    components: &'a IndexMap<String, oa::ReferenceOr<oa::Schema>>,
    component_names: HashSet<String>,
    types: BTreeMap<String, TypeDef>,
    /// Union base → its variants, from the `allOf` parents of every component.
    variants: BTreeMap<String, Vec<UnionVariant>>,
    /// Components being resolved as aliases or merged as `allOf` parents, to detect cycles.
    stack: Vec<String>,
}

/// Where an inline schema sits, to name the type it may become and to report errors.
#[derive(Clone)]
pub(super) struct Context {
    /// Suggested name for an inline type.
    pub name: String,
    /// Where the enclosing definition or operation is.
    pub origin: Origin,
    /// The JSON pointer of the schema in the normalised document, where its extensions are
    /// kept ([`crate::extensions::Tables::schemas`]).
    pub at: String,
}

impl<'a> TypeBuilder<'a> {
    pub(super) fn new(normalised: &'a Normalised) -> Result<Self> {
        let components = match &normalised.openapi.components {
            Some(components) => &components.schemas,
            None => {
                static EMPTY: std::sync::OnceLock<IndexMap<String, oa::ReferenceOr<oa::Schema>>> =
                    std::sync::OnceLock::new();
                EMPTY.get_or_init(IndexMap::new)
            }
        };
        let mut builder = Self {
            normalised,
            components,
            component_names: components.keys().cloned().collect(),
            types: BTreeMap::new(),
            variants: BTreeMap::new(),
            stack: Vec::new(),
        };
        builder.find_union_variants()?;
        Ok(builder)
    }

    pub(super) fn into_types(self) -> BTreeMap<String, TypeDef> {
        self.types
    }

    /// Defines a named type for every component that is not an alias.
    pub(super) fn build_components(&mut self) -> Result<()> {
        for name in self.components.keys() {
            self.define_component(name)?;
        }
        Ok(())
    }

    fn origin(&self, component: &str) -> Origin {
        self.normalised
            .origins
            .schemas
            .get(component)
            .cloned()
            .unwrap_or_else(|| Origin {
                file: Default::default(),
                pointer: format!("/definitions/{component}"),
            })
    }

    /// The extensions of the schema at `at` in the normalised document (none when it has none).
    fn extensions(&self, at: &str) -> SchemaExtensions {
        self.normalised
            .extensions
            .schema(at)
            .cloned()
            .unwrap_or_default()
    }

    fn component(&self, name: &str) -> &'a oa::ReferenceOr<oa::Schema> {
        &self.components[name]
    }

    /// Defines the named type for a component, unless it is an alias or already defined.
    fn define_component(&mut self, name: &str) -> Result<()> {
        if self.types.contains_key(name) {
            return Ok(());
        }
        let oa::ReferenceOr::Item(schema) = self.component(name) else {
            return Ok(());
        };
        let origin = self.origin(name);
        let description = crate::ir::description(schema.schema_data.description.as_ref());
        let kind = if let Some(variants) = self.variants.get(name).cloned() {
            let property = schema
                .schema_data
                .discriminator
                .as_ref()
                .map(|d| d.property_name.clone())
                .unwrap_or_default();
            TypeKind::Union(UnionDef { property, variants })
        } else if let Some(enum_def) = enum_of(schema, &self.extensions(&component_pointer(name))) {
            TypeKind::Enum(enum_def)
        } else if is_struct(schema) {
            let context = Context {
                name: name.to_owned(),
                origin: origin.clone(),
                at: component_pointer(name),
            };
            // Reserve the name first: the struct may refer to itself.
            self.types
                .insert(name.to_owned(), placeholder(name, &context));
            TypeKind::Struct(self.struct_def(name, schema, &context)?)
        } else {
            return Ok(());
        };
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                description,
                kind,
                origin,
            },
        );
        Ok(())
    }

    /// The type of a schema used as a property, item, map value, parameter or body, defining
    /// inline types (named after `context`) on the way.
    pub(super) fn type_of(
        &mut self,
        schema: &oa::ReferenceOr<oa::Schema>,
        context: &Context,
    ) -> Result<(TypeRef, Constraints)> {
        let schema = match schema {
            oa::ReferenceOr::Reference { reference } => {
                return self.type_of_component(strip_ref(reference, context)?, context);
            }
            oa::ReferenceOr::Item(schema) => schema,
        };
        let (ty, mut constraints) = self.type_of_schema(schema, context)?;
        if let Some(nullable) = self.extensions(&context.at).nullable {
            constraints.nullable = Some(nullable);
        }
        Ok((ty, constraints))
    }

    /// [`Self::type_of`] for a schema that is not a reference, without its `x-nullable`.
    fn type_of_schema(
        &mut self,
        schema: &oa::Schema,
        context: &Context,
    ) -> Result<(TypeRef, Constraints)> {
        let none = Constraints::default();
        match &schema.schema_kind {
            oa::SchemaKind::AllOf { all_of }
                if all_of.len() == 1 && schema.schema_data.discriminator.is_none() =>
            {
                let parent_context = Context {
                    at: format!("{}/allOf/0", context.at),
                    ..context.clone()
                };
                self.type_of(&all_of[0], &parent_context)
            }
            oa::SchemaKind::AllOf { .. } => Ok((
                TypeRef::Named(self.define_inline_struct(schema, context)?),
                none,
            )),
            oa::SchemaKind::Type(oa::Type::String(string)) => {
                let extensions = self.extensions(&context.at);
                if let Some(enum_def) = enum_of(schema, &extensions) {
                    let name = self.define_enum(enum_def, schema, context);
                    return Ok((TypeRef::Named(name), none));
                }
                let constraints = Constraints {
                    pattern: string.pattern.clone(),
                    min_length: string.min_length.map(|n| n as u64),
                    max_length: string.max_length.map(|n| n as u64),
                    ..none
                };
                check_pattern(&constraints, context)?;
                Ok((
                    TypeRef::Primitive(string_primitive(&string.format)),
                    constraints,
                ))
            }
            oa::SchemaKind::Type(oa::Type::Integer(integer)) => {
                let primitive = match integer.format {
                    oa::VariantOrUnknownOrEmpty::Item(oa::IntegerFormat::Int32) => Primitive::I32,
                    _ => Primitive::I64,
                };
                let constraints = Constraints {
                    minimum: integer.minimum.map(|n| n as f64),
                    maximum: integer.maximum.map(|n| n as f64),
                    exclusive_minimum: integer.exclusive_minimum && integer.minimum.is_some(),
                    exclusive_maximum: integer.exclusive_maximum && integer.maximum.is_some(),
                    multiple_of: integer.multiple_of.map(|n| n as f64),
                    ..none
                };
                Ok((TypeRef::Primitive(primitive), constraints))
            }
            oa::SchemaKind::Type(oa::Type::Number(number)) => {
                // `float` is read as f64 too: specs use it for values f32 cannot hold exactly
                // (an epoch-seconds timestamp such as `_ts` would lose its last digits).
                let primitive = Primitive::F64;
                let constraints = Constraints {
                    minimum: number.minimum,
                    maximum: number.maximum,
                    exclusive_minimum: number.exclusive_minimum && number.minimum.is_some(),
                    exclusive_maximum: number.exclusive_maximum && number.maximum.is_some(),
                    multiple_of: number.multiple_of,
                    ..none
                };
                Ok((TypeRef::Primitive(primitive), constraints))
            }
            oa::SchemaKind::Type(oa::Type::Boolean(_)) => {
                Ok((TypeRef::Primitive(Primitive::Bool), none))
            }
            oa::SchemaKind::Type(oa::Type::Array(array)) => {
                let (item, items) = match &array.items {
                    Some(items) => {
                        let item_context = Context {
                            name: format!("{}Item", context.name),
                            origin: context.origin.clone(),
                            at: format!("{}/items", context.at),
                        };
                        self.type_of(&unbox(items), &item_context)?
                    }
                    None => (TypeRef::Any, none.clone()),
                };
                let constraints = Constraints {
                    min_items: array.min_items.map(|n| n as u64),
                    max_items: array.max_items.map(|n| n as u64),
                    unique_items: array.unique_items,
                    items: boxed_unless_default(items),
                    ..none
                };
                Ok((TypeRef::List(Box::new(item)), constraints))
            }
            oa::SchemaKind::Type(oa::Type::Object(object)) if object.properties.is_empty() => {
                let value = match &object.additional_properties {
                    Some(oa::AdditionalProperties::Schema(inner)) => {
                        let value_context = Context {
                            name: format!("{}Value", context.name),
                            origin: context.origin.clone(),
                            at: format!("{}/additionalProperties", context.at),
                        };
                        let (value, values) = self.type_of(inner, &value_context)?;
                        let constraints = Constraints {
                            items: boxed_unless_default(values),
                            ..none
                        };
                        return Ok((TypeRef::Map(Box::new(value)), constraints));
                    }
                    Some(oa::AdditionalProperties::Any(true)) => {
                        TypeRef::Map(Box::new(TypeRef::Any))
                    }
                    _ => TypeRef::Any,
                };
                Ok((value, none))
            }
            oa::SchemaKind::Type(oa::Type::Object(_)) => Ok((
                TypeRef::Named(self.define_inline_struct(schema, context)?),
                none,
            )),
            _ => Ok((TypeRef::Any, none)),
        }
    }

    /// A reference to a component: its named type, or for an alias, the type it stands for.
    fn type_of_component(
        &mut self,
        name: &str,
        context: &Context,
    ) -> Result<(TypeRef, Constraints)> {
        self.define_component(name)?;
        if self.types.contains_key(name) {
            return Ok((TypeRef::Named(name.to_owned()), Constraints::default()));
        }
        if self.stack.iter().any(|n| n == name) {
            return Err(Error::RefCycle {
                file: context.origin.file.clone(),
                pointer: context.origin.pointer.clone(),
                chain: format!("{} -> {name}", self.stack.join(" -> ")),
            });
        }
        let alias_context = Context {
            name: name.to_owned(),
            origin: self.origin(name),
            at: component_pointer(name),
        };
        self.stack.push(name.to_owned());
        let result = self.type_of(self.component(name), &alias_context);
        self.stack.pop();
        result
    }

    fn define_inline_struct(&mut self, schema: &oa::Schema, context: &Context) -> Result<String> {
        let name = self.unique_name(&context.name);
        // Reserve the name first: the struct may refer to itself.
        self.types.insert(name.clone(), placeholder(&name, context));
        let struct_def = self.struct_def(&name, schema, context)?;
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                description: crate::ir::description(schema.schema_data.description.as_ref()),
                kind: TypeKind::Struct(struct_def),
                origin: context.origin.clone(),
            },
        );
        Ok(name)
    }

    /// Defines an inline enum, named by its `x-ms-enum.name`, else by its property
    /// (`databaseAccountOfferType` → `DatabaseAccountOfferType`), else by where it sits, and
    /// reuses an identical enum of that name: the same wire enum inline in two models is one type.
    fn define_enum(&mut self, enum_def: EnumDef, schema: &oa::Schema, context: &Context) -> String {
        let candidates: Vec<String> = match self
            .extensions(&context.at)
            .x_ms_enum
            .as_ref()
            .and_then(|e| e.name.clone())
        {
            Some(name) => vec![name],
            None => property_type_name(context)
                .into_iter()
                .chain([context.name.clone()])
                .collect(),
        };
        let def = TypeDef {
            name: String::new(),
            description: crate::ir::description(schema.schema_data.description.as_ref()),
            kind: TypeKind::Enum(enum_def),
            origin: context.origin.clone(),
        };
        self.define_or_reuse(&candidates, def)
    }

    /// Defines (or reuses) the validated newtype of a constrained parameter.
    pub(super) fn define_newtype(
        &mut self,
        wire_name: &str,
        constraints: Constraints,
        context: &Context,
    ) -> String {
        let preferred = wire_name.to_upper_camel_case();
        let def = TypeDef {
            name: String::new(),
            description: None,
            kind: TypeKind::Newtype(NewtypeDef {
                wire_name: wire_name.to_owned(),
                constraints,
            }),
            origin: context.origin.clone(),
        };
        self.define_or_reuse(&[preferred.clone(), format!("{preferred}Param")], def)
    }

    /// The first of `candidates` that names a type of the same kind as `def` already (reused) or
    /// is free (`def` is defined under it); else `def` under the last candidate, numbered.
    fn define_or_reuse(&mut self, candidates: &[String], mut def: TypeDef) -> String {
        let free = candidates
            .iter()
            .find(|candidate| match self.types.get(*candidate) {
                Some(existing) => existing.kind == def.kind,
                None => !self.component_names.contains(*candidate),
            });
        let name = match free {
            Some(name) if self.types.contains_key(name) => return name.clone(),
            Some(name) => name.clone(),
            None => self.unique_name(candidates.last().map_or("", String::as_str)),
        };
        def.name = name.clone();
        self.types.insert(name.clone(), def);
        name
    }

    fn unique_name(&self, base: &str) -> String {
        let taken =
            |name: &str| self.types.contains_key(name) || self.component_names.contains(name);
        if !taken(base) {
            return base.to_owned();
        }
        (2..)
            .map(|n| format!("{base}{n}"))
            .find(|name| !taken(name))
            .unwrap_or_default()
    }
}

/// The constraints of an array's items or a map's values, unless there are none.
fn boxed_unless_default(constraints: Constraints) -> Option<Box<Constraints>> {
    (constraints != Constraints::default()).then(|| Box::new(constraints))
}

fn placeholder(name: &str, context: &Context) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        description: None,
        kind: TypeKind::Struct(StructDef {
            fields: Vec::new(),
            additional: None,
        }),
        origin: context.origin.clone(),
    }
}

fn strip_ref<'r>(reference: &'r str, context: &Context) -> Result<&'r str> {
    reference
        .strip_prefix(SCHEMA_REF_PREFIX)
        .ok_or_else(|| Error::DanglingRef {
            file: context.origin.file.clone(),
            pointer: context.origin.pointer.clone(),
            target: reference.to_owned(),
            reason: "not a component schema reference after normalisation".into(),
        })
}

fn reference_name(schema: &oa::ReferenceOr<oa::Schema>) -> Option<&str> {
    match schema {
        oa::ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_REF_PREFIX),
        oa::ReferenceOr::Item(_) => None,
    }
}

fn unbox(schema: &oa::ReferenceOr<Box<oa::Schema>>) -> oa::ReferenceOr<oa::Schema> {
    match schema {
        oa::ReferenceOr::Reference { reference } => oa::ReferenceOr::Reference {
            reference: reference.clone(),
        },
        oa::ReferenceOr::Item(item) => oa::ReferenceOr::Item((**item).clone()),
    }
}

fn is_struct(schema: &oa::Schema) -> bool {
    match &schema.schema_kind {
        oa::SchemaKind::AllOf { .. } => true,
        oa::SchemaKind::Type(oa::Type::Object(object)) => {
            !object.properties.is_empty()
                || !matches!(
                    object.additional_properties,
                    Some(oa::AdditionalProperties::Schema(_))
                )
        }
        _ => false,
    }
}

/// The name of the property whose own schema `context` is, as a type name: `None` for an item or
/// map value of a property, outside a model's properties, and for a one-word property (`status`,
/// `type`), too generic to name a type of the crate alone.
fn property_type_name(context: &Context) -> Option<String> {
    let (rest, property) = context.origin.pointer.rsplit_once('/')?;
    let name = property.to_upper_camel_case();
    let words = name.chars().filter(char::is_ascii_uppercase).count();
    (rest.ends_with("/properties") && context.name.ends_with(&name) && words > 1).then_some(name)
}

/// The enum a string schema with `enum` values describes, named and described by its
/// `x-ms-enum`.
fn enum_of(schema: &oa::Schema, extensions: &SchemaExtensions) -> Option<EnumDef> {
    let oa::SchemaKind::Type(oa::Type::String(string)) = &schema.schema_kind else {
        return None;
    };
    if string.enumeration.is_empty() {
        return None;
    }
    let x_ms_enum = extensions.x_ms_enum.as_ref();
    let described = x_ms_enum.map_or(&[][..], |e| e.values.as_slice());
    let values = string
        .enumeration
        .iter()
        .flatten()
        .map(|value| {
            let info = described
                .iter()
                .find(|d| d.value.as_str() == Some(value.as_str()));
            EnumValue {
                value: value.clone(),
                name: info.and_then(|d| d.name.clone()),
                description: crate::ir::description(info.and_then(|d| d.description.as_ref())),
            }
        })
        .collect();
    Some(EnumDef {
        values,
        extensible: x_ms_enum.is_some_and(|e| e.model_as_string),
    })
}

fn string_primitive(format: &oa::VariantOrUnknownOrEmpty<oa::StringFormat>) -> Primitive {
    match format {
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::DateTime) => Primitive::DateTime,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Byte) => Primitive::Bytes,
        oa::VariantOrUnknownOrEmpty::Item(oa::StringFormat::Password) => Primitive::Secret,
        oa::VariantOrUnknownOrEmpty::Unknown(other) => match other.as_str() {
            "uuid" => Primitive::Uuid,
            "uri" | "url" => Primitive::Uri,
            "arm-id" => Primitive::ArmId,
            _ => Primitive::String,
        },
        _ => Primitive::String,
    }
}

/// Checks at generation time that a pattern compiles with the regex engine the client uses.
fn check_pattern(constraints: &Constraints, context: &Context) -> Result<()> {
    let Some(pattern) = &constraints.pattern else {
        return Ok(());
    };
    regex::Regex::new(pattern)
        .map(drop)
        .map_err(|error| Error::InvalidPattern {
            file: context.origin.file.clone(),
            pointer: context.origin.pointer.clone(),
            pattern: pattern.clone(),
            message: error.to_string(),
        })
}
