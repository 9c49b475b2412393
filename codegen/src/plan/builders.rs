//! How a user builds each struct in one expression: `new` with the properties a request must
//! have, and a `with_*` setter per writable property, reaching through a property the spec
//! flattens (`x-ms-client-flatten`, such as a resource's `properties`) so that its fields read as
//! the parent's. The wire shape is unchanged: only the Rust side gains methods.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{TypeGraph, is_constant_enum};
use super::names::Namespace;
use super::nullable::NullableFields;
use crate::ir::{Api, StructDef, TypeKind, TypeRef};
use crate::names::Case;

/// A struct's constructor and setters.
#[derive(Debug, Default)]
pub struct BuilderPlan {
    /// `new`, when a caller must give some properties.
    pub constructor: Option<ConstructorPlan>,
    /// The `with_*` setters, own properties first.
    pub setters: Vec<SetterPlan>,
}

/// `new`'s arguments and how it fills each field.
#[derive(Debug)]
pub struct ConstructorPlan {
    /// The arguments, in field order.
    pub args: Vec<ArgPlan>,
    /// One per IR field, in the same order.
    pub inits: Vec<FieldInit>,
}

/// One argument of `new`.
#[derive(Debug)]
pub struct ArgPlan {
    /// The argument's name.
    pub ident: String,
    /// Its type (a field's type, unboxed).
    pub ty: TypeRef,
}

/// How `new` fills a field.
#[derive(Debug)]
pub enum FieldInit {
    /// From the argument at this index.
    Arg(usize),
    /// A flattened struct built by its own `new` from these arguments (indices into `args`).
    Nested {
        /// The IR name of the struct.
        ty: String,
        /// The arguments passed on, in the struct's constructor order.
        args: Vec<usize>,
    },
    /// Its default: a constant, or a struct without required properties.
    Default,
    /// `None`: an optional property.
    Unset,
}

/// One `with_*` setter.
#[derive(Debug)]
pub struct SetterPlan {
    /// The method name.
    pub method: String,
    /// The IR name of the struct holding the field (the struct itself or the flattened one).
    pub owner: String,
    /// The field's index in its owner.
    pub field: usize,
    /// The flattened field of the struct it reaches through, if any.
    pub through: Option<Through>,
    /// The `clear_*` method that sends the property as `null`, when it may be `null`.
    pub clear: Option<String>,
}

/// The flattened field a setter reaches through.
#[derive(Debug)]
pub struct Through {
    /// Its index in the struct.
    pub field: usize,
    /// Whether it is an `Option` or a `Nullable` (filled with its default first).
    pub optional: bool,
}

/// The builders of every struct, by IR name.
pub(super) fn plan_builders(
    api: &Api,
    graph: &TypeGraph,
    nullable: &NullableFields<'_>,
) -> BTreeMap<String, BuilderPlan> {
    let mut planner = Planner {
        api,
        graph,
        nullable,
        args: BTreeMap::new(),
        visiting: BTreeSet::new(),
    };
    api.types
        .iter()
        .filter_map(|(name, def)| match &def.kind {
            TypeKind::Struct(s) => Some((name.clone(), planner.builder(name, s))),
            _ => None,
        })
        .collect()
}

struct Planner<'a> {
    api: &'a Api,
    graph: &'a TypeGraph,
    nullable: &'a NullableFields<'a>,
    /// Each planned constructor's arguments (empty: no constructor).
    args: BTreeMap<String, Vec<(String, TypeRef)>>,
    /// Structs whose constructor is being planned, against cycles of flattened properties.
    visiting: BTreeSet<String>,
}

impl Planner<'_> {
    fn builder(&mut self, name: &str, s: &StructDef) -> BuilderPlan {
        let constructor = self.constructor(name, s);
        let mut methods = Namespace::reserving(&["new"]);
        let mut setters: Vec<SetterPlan> =
            s.fields
                .iter()
                .enumerate()
                .filter(|(_, field)| !field.read_only)
                .map(|(index, field)| SetterPlan {
                    method: methods.claim(&format!("with_{}", field.client_name()), Case::Snake),
                    owner: name.to_owned(),
                    field: index,
                    through: None,
                    clear: self.nullable.contains(name, field).then(|| {
                        methods.claim(&format!("clear_{}", field.client_name()), Case::Snake)
                    }),
                })
                .collect();
        for (index, field) in s.fields.iter().enumerate() {
            let TypeRef::Named(target) = &field.ty else {
                continue;
            };
            let Some(TypeKind::Struct(inner)) = self.api.types.get(target).map(|def| &def.kind)
            else {
                continue;
            };
            if !field.client_flatten || field.read_only {
                continue;
            }
            if !field.required && !self.graph.is_defaultable(target) {
                continue;
            }
            for (inner_index, inner_field) in inner.fields.iter().enumerate() {
                if inner_field.read_only {
                    continue;
                }
                let Some(method) =
                    methods.try_claim(&format!("with_{}", inner_field.client_name()), Case::Snake)
                else {
                    continue;
                };
                let clear = if self.nullable.contains(target, inner_field) {
                    methods.try_claim(&format!("clear_{}", inner_field.client_name()), Case::Snake)
                } else {
                    None
                };
                setters.push(SetterPlan {
                    method,
                    owner: target.clone(),
                    field: inner_index,
                    through: Some(Through {
                        field: index,
                        optional: !field.required,
                    }),
                    clear,
                });
            }
        }
        BuilderPlan {
            constructor,
            setters,
        }
    }

    fn constructor(&mut self, name: &str, s: &StructDef) -> Option<ConstructorPlan> {
        self.visiting.insert(name.to_owned());
        let mut scope = Namespace::default();
        let mut args = Vec::new();
        let mut inits = Vec::new();
        for field in &s.fields {
            if !field.required {
                inits.push(FieldInit::Unset);
                continue;
            }
            let target = match &field.ty {
                TypeRef::Named(target) => self.api.types.get(target).map(|def| (target, def)),
                _ => None,
            };
            let init = match target {
                Some((_, def)) if is_constant_enum(&def.kind) => FieldInit::Default,
                Some((target, def)) if matches!(def.kind, TypeKind::Struct(_)) => {
                    let inner = self.args_of(target);
                    if inner.is_empty() && self.graph.is_defaultable(target) {
                        FieldInit::Default
                    } else if field.client_flatten && !inner.is_empty() {
                        let mut passed = Vec::new();
                        for (ident, ty) in inner {
                            passed.push(args.len());
                            args.push(ArgPlan {
                                ident: scope.claim(&ident, Case::Snake),
                                ty,
                            });
                        }
                        FieldInit::Nested {
                            ty: target.clone(),
                            args: passed,
                        }
                    } else {
                        self.arg(&mut scope, &mut args, field.client_name(), &field.ty)
                    }
                }
                _ => self.arg(&mut scope, &mut args, field.client_name(), &field.ty),
            };
            inits.push(init);
        }
        self.visiting.remove(name);
        self.args.insert(
            name.to_owned(),
            args.iter()
                .map(|arg| (arg.ident.clone(), arg.ty.clone()))
                .collect(),
        );
        (!args.is_empty()).then_some(ConstructorPlan { args, inits })
    }

    fn arg(
        &self,
        scope: &mut Namespace,
        args: &mut Vec<ArgPlan>,
        wire_name: &str,
        ty: &TypeRef,
    ) -> FieldInit {
        args.push(ArgPlan {
            ident: scope.claim(wire_name, Case::Snake),
            ty: ty.clone(),
        });
        FieldInit::Arg(args.len() - 1)
    }

    /// The constructor arguments of the struct `name`, planned on first use.
    fn args_of(&mut self, name: &str) -> Vec<(String, TypeRef)> {
        if let Some(args) = self.args.get(name) {
            return args.clone();
        }
        if self.visiting.contains(name) {
            return Vec::new();
        }
        match self.api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                self.constructor(name, s);
                self.args.get(name).cloned().unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }
}
