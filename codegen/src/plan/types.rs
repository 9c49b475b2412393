//! The Rust side of the IR's types: each type's name and module (area), its fields', variants'
//! and pattern statics' names, which fields are boxed or validated, which types derive
//! `Default`. Decided here once; the emitters only read it.

use std::collections::{BTreeMap, BTreeSet};

use super::builders::{BuilderPlan, plan_builders};
use super::graph::{TypeGraph, is_constant_enum};
use super::names::Namespace;
use super::nullable::NullableFields;
use crate::ir::{Api, Constraints, Field, TypeDef, TypeKind, TypeRef};
use crate::names::{Case, sanitize};

/// The module of models used by several operation groups, or by none directly.
pub const COMMON_AREA: &str = "common";

/// Names for a struct's field of unknown properties, in order of preference.
const EXTRAS_CANDIDATES: &[&str] = &[
    "additional_properties",
    "unknown_properties",
    "extra_properties",
];

/// One named type of the IR, as Rust.
#[derive(Debug)]
pub struct TypePlan<'a> {
    /// The IR's type.
    pub def: &'a TypeDef,
    /// The Rust type name.
    pub ident: String,
    /// The `models` submodule it lives in (empty for newtypes, which live in `params`).
    pub area: String,
    /// Whether it derives `Default` (every required field has a default).
    pub defaultable: bool,
    /// Whether it implements `Validate` (something inside it is constrained).
    pub validates: bool,
    /// What is decided for its kind.
    pub shape: TypeShape,
}

/// What is decided for each kind of type.
#[derive(Debug)]
pub enum TypeShape {
    /// A struct.
    Struct(StructPlan),
    /// A closed or extensible enum.
    Enum(EnumPlan),
    /// A discriminated union.
    Union(UnionPlan),
    /// A validated parameter newtype.
    Newtype(NewtypePlan),
}

/// A struct's fields.
#[derive(Debug)]
pub struct StructPlan {
    /// One per IR field, in the same order.
    pub fields: Vec<FieldPlan>,
    /// The field holding properties the spec does not describe.
    pub extras: String,
    /// Its constructor and setters.
    pub builder: BuilderPlan,
}

/// One struct field.
#[derive(Debug)]
pub struct FieldPlan {
    /// The Rust field name.
    pub ident: String,
    /// Held in a `Box`: the field's type leads back to its owner by value.
    pub boxed: bool,
    /// Its value implements `Validate` (a model with constraints inside).
    pub validates: bool,
    /// It may be sent as `null` (a `PATCH` body's optional property, or `x-nullable: true`):
    /// a `Nullable<T>` rather than an `Option<T>`.
    pub nullable: bool,
    /// The module `static`s holding the field's patterns by depth: its own, then its items' (or
    /// map values'), and so on; `None` where a level has no pattern.
    pub patterns: Vec<Option<String>>,
    /// The field's description: its own, else that of the type it holds (a property that only
    /// refers to a model reads as that model).
    pub description: Option<String>,
}

/// An enum's variants.
#[derive(Debug)]
pub struct EnumPlan {
    /// One per IR value, in the same order.
    pub variants: Vec<String>,
    /// The variant holding values the spec does not list: any string for an extensible enum,
    /// the runtime's `UnlistedValue` (made only by its decoder) for a closed one.
    pub other: String,
    /// Extensible (`x-ms-enum.modelAsString`): user code may send any value.
    pub extensible: bool,
    /// A closed enum with one value: a constant, its own default.
    pub constant: bool,
}

/// A union's variants (besides `Other`, which holds unknown kinds).
#[derive(Debug)]
pub struct UnionPlan {
    /// One per IR variant, in the same order.
    pub variants: Vec<UnionVariantPlan>,
}

/// One union variant.
#[derive(Debug)]
pub struct UnionVariantPlan {
    /// The variant's name.
    pub ident: String,
    /// The Rust name of the struct it holds.
    pub ty: String,
    /// Whether that struct implements `Validate`.
    pub validates: bool,
}

/// A validated newtype.
#[derive(Debug)]
pub struct NewtypePlan {
    /// The `params` module `static` holding its pattern, if it has one.
    pub pattern: Option<String>,
}

/// The `static` patterns of one module, in declaration order: `(name, pattern)`.
#[derive(Debug, Default)]
pub struct PatternStatics {
    statics: Vec<(String, String)>,
    names: Namespace,
}

impl PatternStatics {
    /// The static holding `source`, named after `preferred` on first use.
    fn name_for(&mut self, preferred: &str, source: &str) -> String {
        if let Some((name, _)) = self.statics.iter().find(|(_, known)| known == source) {
            return name.clone();
        }
        let name = self
            .names
            .claim_identifier(sanitize(preferred, Case::Constant), Case::Constant);
        self.statics.push((name.clone(), source.to_owned()));
        name
    }

    /// Each static's name and pattern.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.statics
            .iter()
            .map(|(name, source)| (name.as_str(), source.as_str()))
    }
}

/// The type side of the plan.
pub(super) struct TypesPlan<'a> {
    pub(super) types: BTreeMap<String, TypePlan<'a>>,
    /// Each module's pattern statics.
    pub(super) patterns: BTreeMap<PatternModule, PatternStatics>,
}

/// A module that declares pattern statics.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PatternModule {
    /// `params.rs`, the validated parameter newtypes.
    Params,
    /// `models/{area}.rs`.
    Area(String),
}

pub(super) fn plan_types<'a>(
    api: &'a Api,
    graph: &TypeGraph,
    rename: &BTreeMap<String, String>,
) -> TypesPlan<'a> {
    let idents = type_idents(api, rename);
    let nullable = NullableFields::new(api, graph);
    let mut builders = plan_builders(api, graph, &nullable);
    let areas = assign_areas(api, graph);
    let mut patterns: BTreeMap<PatternModule, PatternStatics> = BTreeMap::new();
    let mut types = BTreeMap::new();
    for (name, def) in &api.types {
        let area = areas.get(name.as_str()).cloned();
        let module = area
            .clone()
            .map_or(PatternModule::Params, PatternModule::Area);
        let validates = graph.needs_validation(name);
        let module_patterns = patterns.entry(module).or_default();
        let shape = match &def.kind {
            TypeKind::Struct(s) => TypeShape::Struct(StructPlan {
                builder: builders.remove(name).unwrap_or_default(),
                ..plan_struct(
                    api,
                    def,
                    &s.fields,
                    graph,
                    &nullable,
                    validates.then_some(module_patterns),
                )
            }),
            TypeKind::Enum(e) => {
                let mut scope = Namespace::default();
                let variants = e
                    .values
                    .iter()
                    .map(|value| {
                        scope.claim(value.name.as_deref().unwrap_or(&value.value), Case::Type)
                    })
                    .collect();
                let other = if e.extensible {
                    scope.claim_first_free(&["Other", "UnknownValue"], Case::Type)
                } else {
                    scope.claim_first_free(&["Unlisted", "UnlistedValue"], Case::Type)
                };
                TypeShape::Enum(EnumPlan {
                    variants,
                    other,
                    extensible: e.extensible,
                    constant: is_constant_enum(&def.kind),
                })
            }
            TypeKind::Union(u) => {
                let mut scope = Namespace::reserving(&["Other"]);
                let variants = u
                    .variants
                    .iter()
                    .map(|variant| UnionVariantPlan {
                        ident: scope.claim(&variant.value, Case::Type),
                        ty: idents.get(&variant.ty).cloned().unwrap_or_default(),
                        validates: graph.needs_validation(&variant.ty),
                    })
                    .collect();
                TypeShape::Union(UnionPlan { variants })
            }
            TypeKind::Newtype(newtype) => TypeShape::Newtype(NewtypePlan {
                pattern: newtype.constraints.pattern.as_ref().map(|pattern| {
                    module_patterns.name_for(&format!("{}_PATTERN", newtype.wire_name), pattern)
                }),
            }),
        };
        types.insert(
            name.clone(),
            TypePlan {
                def,
                ident: idents[name].clone(),
                area: area.unwrap_or_default(),
                defaultable: graph.is_defaultable(name),
                validates,
                shape,
            },
        );
    }
    TypesPlan { types, patterns }
}

/// Every type's Rust name: the renamed ones first, as the config spells them, then the others
/// from their `x-ms-client-name` or spec names (or, for a name tooling made up, from where the
/// type is used) in the IR's (sorted) order.
fn type_idents(api: &Api, rename: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut scope = Namespace::default();
    let mut idents: BTreeMap<String, String> = rename
        .iter()
        .filter(|(name, _)| api.types.contains_key(*name))
        .map(|(name, ident)| (name.clone(), scope.claim(ident, Case::Type)))
        .collect();
    let derived = names_from_use(api);
    for name in api.types.keys() {
        if !idents.contains_key(name) {
            let base = api
                .client_names
                .get(name)
                .or_else(|| derived.get(name))
                .unwrap_or(name);
            idents.insert(name.clone(), scope.claim(base, Case::Type));
        }
    }
    idents
}

/// Whether `name` is a definition name that tooling made up from a schema's JSON pointer
/// (`ComponentsM9l909SchemasCassandraclusterpublicstatusProperties...`: the words lose their
/// case, so the name cannot be read back).
fn is_made_up(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("Components") else {
        return false;
    };
    rest.find("Schemas").is_some_and(|at| {
        (4..=8).contains(&at) && rest[..at].chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// A name for each type with a made-up name that one property of one model holds, as an
/// inline schema there would be named: the model, the property, `Item` for a list's element,
/// `Value` for a map's.
fn names_from_use(api: &Api) -> BTreeMap<String, String> {
    let mut uses: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (owner, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for field in &s.fields {
            let (target, suffix) = match &field.ty {
                TypeRef::Named(target) => (target, ""),
                TypeRef::List(item) => match item.as_ref() {
                    TypeRef::Named(target) => (target, "Item"),
                    _ => continue,
                },
                TypeRef::Map(value) => match value.as_ref() {
                    TypeRef::Named(target) => (target, "Value"),
                    _ => continue,
                },
                _ => continue,
            };
            if is_made_up(target) {
                let property = sanitize(field.client_name(), Case::Type);
                uses.entry(target)
                    .or_default()
                    .push(format!("{owner}{property}{suffix}"));
            }
        }
    }
    uses.into_iter()
        .filter_map(|(target, names)| match names.as_slice() {
            [name] => Some((target.to_owned(), name.clone())),
            _ => None,
        })
        .collect()
}

/// A struct's field names and facts; `patterns` is the module's statics when the struct is
/// validated (its constrained fields get a pattern static each).
fn plan_struct(
    api: &Api,
    def: &TypeDef,
    fields: &[Field],
    graph: &TypeGraph,
    nullable: &NullableFields<'_>,
    mut patterns: Option<&mut PatternStatics>,
) -> StructPlan {
    let mut scope = Namespace::default();
    let fields = fields
        .iter()
        .map(|field| {
            let patterns = match &mut patterns {
                Some(patterns) if !field.read_only => pattern_names(
                    patterns,
                    &format!("{}_{}", def.name, field.wire_name),
                    &field.ty,
                    &field.constraints,
                ),
                _ => Vec::new(),
            };
            FieldPlan {
                ident: scope.claim(field.client_name(), Case::Snake),
                boxed: matches!(&field.ty, TypeRef::Named(target) if graph.needs_box(&def.name, target)),
                validates: graph.type_needs_validation(&field.ty),
                nullable: nullable.contains(&def.name, field),
                patterns,
                description: field.description.clone().or_else(|| match &field.ty {
                    TypeRef::Named(name) => api.types.get(name)?.description.clone(),
                    _ => None,
                }),
            }
        })
        .collect();
    let extras = scope.claim_first_free(EXTRAS_CANDIDATES, Case::Snake);
    StructPlan {
        fields,
        extras,
        builder: BuilderPlan::default(),
    }
}

/// The pattern statics of a value's constraints by depth, named `{base}_PATTERN` for the value
/// itself, with `_ITEM` or `_VALUE` added for the items of an array or the values of a map.
fn pattern_names(
    patterns: &mut PatternStatics,
    base: &str,
    ty: &TypeRef,
    constraints: &Constraints,
) -> Vec<Option<String>> {
    let own = constraints
        .pattern
        .as_ref()
        .map(|pattern| patterns.name_for(&format!("{base}_PATTERN"), pattern));
    let nested = match (ty, &constraints.items) {
        (TypeRef::List(item), Some(items)) => {
            pattern_names(patterns, &format!("{base}_ITEM"), item, items)
        }
        (TypeRef::Map(value), Some(values)) => {
            pattern_names(patterns, &format!("{base}_VALUE"), value, values)
        }
        _ => Vec::new(),
    };
    std::iter::once(own).chain(nested).collect()
}

/// Area (module name under `models/`) of each model: the one operation group that uses it, or
/// [`COMMON_AREA`]. Newtypes are not models: they have none.
fn assign_areas<'a>(api: &'a Api, graph: &TypeGraph) -> BTreeMap<&'a str, String> {
    let mut users: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for operation in &api.operations {
        let area = sanitize(&operation.group, Case::Snake);
        for name in graph.reachable(operation.referenced_types()) {
            users.entry(name).or_default().insert(area.clone());
        }
    }
    api.types
        .iter()
        .filter(|(_, def)| !matches!(def.kind, TypeKind::Newtype(_)))
        .map(|(name, _)| {
            let area = match users.get(name.as_str()) {
                Some(groups) if groups.len() == 1 => {
                    groups.iter().next().cloned().unwrap_or_default()
                }
                _ => COMMON_AREA.to_owned(),
            };
            (name.as_str(), area)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_made_up;

    #[test]
    fn made_up_definition_names() {
        for name in [
            "ComponentsM9l909SchemasCassandraclusterpublicstatusPropertiesDatacentersItemsPropertiesNodesItems",
            "Components1a2b3cSchemasWidget",
        ] {
            assert!(is_made_up(name), "{name}");
        }
        for name in [
            "ComponentsList",
            "Components",
            "ComponentSchemas",
            "ComponentsOfSchemas2",
        ] {
            assert!(!is_made_up(name), "{name}");
        }
    }
}
