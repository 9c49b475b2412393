//! Facts about how types refer to each other: what an operation reaches, which fields must be
//! boxed to break a recursion, which types need validation and which can derive `Default`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Api, TypeKind, TypeRef};

/// The reference graph of the IR's types.
#[derive(Debug)]
pub struct TypeGraph {
    /// Every named type each type refers to.
    edges: BTreeMap<String, BTreeSet<String>>,
    /// Named types held by value (not behind a `Vec` or map): these make a type infinitely sized
    /// when they lead back to it.
    direct: BTreeMap<String, BTreeSet<String>>,
    needs_validation: BTreeSet<String>,
    defaultable: BTreeSet<String>,
}

impl TypeGraph {
    /// Builds the graph of `api`'s types.
    pub fn new(api: &Api) -> Self {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut direct: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, def) in &api.types {
            let all = edges.entry(name.clone()).or_default();
            let by_value = direct.entry(name.clone()).or_default();
            match &def.kind {
                TypeKind::Struct(s) => {
                    for ty in s.fields.iter().map(|f| &f.ty).chain(s.additional.iter()) {
                        collect_named(ty, all);
                        if let TypeRef::Named(target) = ty {
                            by_value.insert(target.clone());
                        }
                    }
                }
                TypeKind::Union(u) => {
                    for variant in &u.variants {
                        all.insert(variant.ty.clone());
                        by_value.insert(variant.ty.clone());
                    }
                }
                TypeKind::Enum(_) | TypeKind::Newtype(_) => {}
            }
        }
        let mut graph = Self {
            edges,
            direct,
            needs_validation: BTreeSet::new(),
            defaultable: BTreeSet::new(),
        };
        graph.needs_validation = fixed_point(api, |name, known| validation_step(api, name, known));
        graph.defaultable = greatest_fixed_point(api, |name, known| default_step(api, name, known));
        graph
    }

    /// Every type reachable from `roots`, including the roots.
    pub fn reachable<'a>(&'a self, roots: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<&str> = roots.into_iter().collect();
        while let Some(name) = stack.pop() {
            let Some((key, targets)) = self.edges.get_key_value(name) else {
                continue;
            };
            if seen.insert(key.as_str()) {
                stack.extend(targets.iter().map(String::as_str));
            }
        }
        seen
    }

    /// Whether a field of type `target` held by value inside `owner` must be boxed: `target`
    /// leads back to `owner` through values.
    pub fn needs_box(&self, owner: &str, target: &str) -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![target];
        while let Some(name) = stack.pop() {
            if name == owner {
                return true;
            }
            if seen.insert(name) {
                stack.extend(
                    self.direct
                        .get(name)
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                );
            }
        }
        false
    }

    /// Whether the type has a constrained field somewhere inside it.
    pub fn needs_validation(&self, name: &str) -> bool {
        self.needs_validation.contains(name)
    }

    /// Whether the type can derive `Default`.
    pub fn is_defaultable(&self, name: &str) -> bool {
        self.defaultable.contains(name)
    }

    /// Whether a value of `ty` needs validating.
    pub fn type_needs_validation(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(name) => self.needs_validation(name),
            TypeRef::List(inner) | TypeRef::Map(inner) => self.type_needs_validation(inner),
            _ => false,
        }
    }
}

fn collect_named(ty: &TypeRef, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) => {
            out.insert(name.clone());
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => collect_named(inner, out),
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

fn type_in(ty: &TypeRef, known: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => known.contains(name),
        TypeRef::List(inner) | TypeRef::Map(inner) => type_in(inner, known),
        _ => false,
    }
}

fn validation_step(api: &Api, name: &str, known: &BTreeSet<String>) -> bool {
    match &api.types[name].kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter(|f| !f.read_only)
            .any(|f| !f.constraints.is_empty_for(&f.ty) || type_in(&f.ty, known)),
        TypeKind::Union(u) => u.variants.iter().any(|v| known.contains(&v.ty)),
        TypeKind::Enum(_) | TypeKind::Newtype(_) => false,
    }
}

/// A closed enum with exactly one value: a constant, which is its own default.
pub fn is_constant_enum(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Enum(e) if !e.extensible && e.values.len() == 1)
}

/// Whether `name` may derive `Default`: a constant, or a struct whose required properties all
/// have a default that is a valid value (an empty list or map, a constant, such a struct). A
/// required string, number, flag or value has none: `""` or `0` would be sent as if chosen.
fn default_step(api: &Api, name: &str, known: &BTreeSet<String>) -> bool {
    let kind = &api.types[name].kind;
    if is_constant_enum(kind) {
        return true;
    }
    let TypeKind::Struct(s) = kind else {
        return false;
    };
    s.fields.iter().filter(|f| f.required).all(|f| match &f.ty {
        TypeRef::Named(target) => known.contains(target),
        TypeRef::List(_) | TypeRef::Map(_) => true,
        TypeRef::Primitive(_) | TypeRef::Any => false,
    })
}

/// The least set of types for which `step` holds, growing from nothing.
fn fixed_point(api: &Api, step: impl Fn(&str, &BTreeSet<String>) -> bool) -> BTreeSet<String> {
    let mut known = BTreeSet::new();
    loop {
        let next: BTreeSet<String> = api
            .types
            .keys()
            .filter(|n| step(n, &known))
            .cloned()
            .collect();
        if next == known {
            return known;
        }
        known = next;
    }
}

/// The greatest set of types for which `step` holds, shrinking from all (recursive types stay in).
fn greatest_fixed_point(
    api: &Api,
    step: impl Fn(&str, &BTreeSet<String>) -> bool,
) -> BTreeSet<String> {
    let mut known: BTreeSet<String> = api.types.keys().cloned().collect();
    loop {
        let next: BTreeSet<String> = known.iter().filter(|n| step(n, &known)).cloned().collect();
        if next == known {
            return known;
        }
        known = next;
    }
}
