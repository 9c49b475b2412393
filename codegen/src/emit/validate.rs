//! `Validate` impls for models with constrained fields, and the checks shared with parameter
//! newtypes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::{struct_field_names, union_variants};
use super::{Names, TypeGraph};
use crate::ir::{Constraints, Field, Primitive, TypeDef, TypeKind, TypeRef};
use crate::names::{Case, sanitize};

/// The `static` patterns of one module: one per distinct pattern, each with a unique name.
#[derive(Default)]
pub struct PatternStatics {
    statics: Vec<(String, syn::Ident)>,
}

impl PatternStatics {
    /// The static holding `source`, declared under `preferred` (made unique) on first use.
    pub fn name_for(&mut self, preferred: &str, source: &str) -> syn::Ident {
        if let Some((_, ident)) = self.statics.iter().find(|(known, _)| known == source) {
            return ident.clone();
        }
        let taken = |name: &str| self.statics.iter().any(|(_, ident)| ident == name);
        let name = std::iter::once(preferred.to_owned())
            .chain((2..).map(|n| format!("{preferred}_{n}")))
            .find(|name| !taken(name))
            .unwrap_or_default();
        let ident = format_ident!("{}", name);
        self.statics.push((source.to_owned(), ident.clone()));
        ident
    }

    /// The `static` declarations.
    pub fn to_tokens(&self) -> TokenStream {
        let statics = self.statics.iter().map(|(source, ident)| {
            quote!(static #ident: arm_runtime::Pattern = arm_runtime::Pattern::new(#source);)
        });
        quote!(#(#statics)*)
    }
}

/// The `impl Validate` of a model that needs validation; its patterns go to `patterns`.
pub fn emit_validate(
    def: &TypeDef,
    names: &Names,
    graph: &TypeGraph,
    patterns: &mut PatternStatics,
) -> TokenStream {
    let ident = format_ident!("{}", names.type_name(&def.name));
    let body = match &def.kind {
        TypeKind::Struct(s) => {
            let checks = s
                .fields
                .iter()
                .zip(struct_field_names(s))
                .filter(|(field, _)| !field.read_only)
                .filter_map(|(field, rust_name)| {
                    field_check(def, field, &rust_name, graph, patterns)
                });
            quote!(#(#checks)* Ok(()))
        }
        TypeKind::Union(u) => {
            let arms = union_variants(u, names)
                .into_iter()
                .zip(&u.variants)
                .filter(|(_, variant)| graph.needs_validation(&variant.ty))
                .map(|((name, _, _), _)| quote!(Self::#name(value) => arm_runtime::Validate::validate(value, path),));
            quote! {
                match self {
                    #(#arms)*
                    _ => Ok(()),
                }
            }
        }
        TypeKind::Enum(_) | TypeKind::Newtype(_) => quote!(Ok(())),
    };
    quote! {
        impl arm_runtime::Validate for #ident {
            fn validate(&self, path: &arm_runtime::FieldPath<'_>) -> Result<(), arm_runtime::ValidationError> {
                #body
            }
        }
    }
}

/// The checks of one field, or `None` when it has nothing to check.
fn field_check(
    owner: &TypeDef,
    field: &Field,
    rust_name: &str,
    graph: &TypeGraph,
    patterns: &mut PatternStatics,
) -> Option<TokenStream> {
    let wire = &field.wire_name;
    let statics = format!(
        "{}_{}",
        sanitize(&owner.name, Case::Constant),
        sanitize(wire, Case::Constant)
    );
    let mut checks = constraint_checks(&field.ty, &field.constraints, &statics, patterns);
    if graph.type_needs_validation(&field.ty) {
        checks.push(quote!(arm_runtime::Validate::validate(value, &path)?;));
    }
    if checks.is_empty() {
        return None;
    }
    let member = format_ident!("{}", rust_name);
    let checks = quote! {
        let path = path.field(#wire);
        #(#checks)*
    };
    Some(if field.required {
        quote!({ let value = &self.#member; #checks })
    } else {
        quote!(if let Some(value) = &self.#member { #checks })
    })
}

/// Checks of `constraints` on a reference named `value`, with a `FieldPath` named `path` in
/// scope. A pattern goes to `patterns` as `{statics}_PATTERN` (`_ITEM` or `_VALUE` added for the
/// items of an array or the values of a map).
pub fn constraint_checks(
    ty: &TypeRef,
    constraints: &Constraints,
    statics: &str,
    patterns: &mut PatternStatics,
) -> Vec<TokenStream> {
    let pattern = constraints
        .pattern
        .as_ref()
        .map(|pattern| patterns.name_for(&format!("{statics}_PATTERN"), pattern));
    let mut checks = match ty {
        TypeRef::Primitive(Primitive::Secret) => {
            string_checks(&quote!(value.expose()), constraints, pattern.as_ref())
        }
        TypeRef::Primitive(Primitive::String | Primitive::Uri | Primitive::ArmId) => {
            string_checks(&quote!(value.as_str()), constraints, pattern.as_ref())
        }
        TypeRef::Any if constraints.nullable == Some(false) => {
            vec![quote!(arm_runtime::validation::not_null(&path, value)?;)]
        }
        _ => Vec::new(),
    };
    let number = match ty {
        TypeRef::Primitive(Primitive::I32) => Some(quote!(f64::from(*value))),
        TypeRef::Primitive(Primitive::I64) => Some(quote!(*value as f64)),
        TypeRef::Primitive(Primitive::F64) => Some(quote!(*value)),
        _ => None,
    };
    if let Some(number) = number {
        checks.extend(number_checks(&number, constraints));
    }
    match ty {
        TypeRef::List(item) => {
            if constraints.min_items.is_some() || constraints.max_items.is_some() {
                let (min, max) = (
                    option_tokens(constraints.min_items),
                    option_tokens(constraints.max_items),
                );
                checks
                    .push(quote!(arm_runtime::validation::items(&path, value.len(), #min, #max)?;));
            }
            if constraints.unique_items {
                checks.push(quote!(arm_runtime::validation::unique_items(&path, value)?;));
            }
            if let Some(items) = &constraints.items {
                let inner = constraint_checks(item, items, &format!("{statics}_ITEM"), patterns);
                if !inner.is_empty() {
                    checks.push(quote! {
                        for (index, value) in value.iter().enumerate() {
                            let path = path.index(index);
                            #(#inner)*
                        }
                    });
                }
            }
        }
        TypeRef::Map(entry) => {
            if let Some(values) = &constraints.items {
                let inner = constraint_checks(entry, values, &format!("{statics}_VALUE"), patterns);
                if !inner.is_empty() {
                    checks.push(quote! {
                        for (key, value) in value {
                            let path = path.key(key);
                            #(#inner)*
                        }
                    });
                }
            }
        }
        _ => {}
    }
    checks
}

/// Checks of the numeric constraints on the `f64` expression `number`, with `path` in scope:
/// inclusive bounds through `range`, exclusive ones through `exclusive_range`.
fn number_checks(number: &TokenStream, constraints: &Constraints) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    let split = |bound: Option<f64>, exclusive: bool| {
        (bound.filter(|_| !exclusive), bound.filter(|_| exclusive))
    };
    let (min, exclusive_min) = split(constraints.minimum, constraints.exclusive_minimum);
    let (max, exclusive_max) = split(constraints.maximum, constraints.exclusive_maximum);
    if min.is_some() || max.is_some() {
        let (min, max) = (option_tokens(min), option_tokens(max));
        checks.push(quote!(arm_runtime::validation::range(&path, #number, #min, #max)?;));
    }
    if exclusive_min.is_some() || exclusive_max.is_some() {
        let (min, max) = (option_tokens(exclusive_min), option_tokens(exclusive_max));
        checks.push(quote!(arm_runtime::validation::exclusive_range(&path, #number, #min, #max)?;));
    }
    if let Some(factor) = constraints.multiple_of {
        checks.push(quote!(arm_runtime::validation::multiple_of(&path, #number, #factor)?;));
    }
    checks
}

/// Checks of the string constraints on the `&str` expression `text`, with `path` in scope.
pub fn string_checks(
    text: &TokenStream,
    constraints: &Constraints,
    pattern: Option<&syn::Ident>,
) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    if constraints.min_length.is_some() || constraints.max_length.is_some() {
        let (min, max) = (
            option_tokens(constraints.min_length),
            option_tokens(constraints.max_length),
        );
        checks.push(quote!(arm_runtime::validation::length(&path, #text, #min, #max)?;));
    }
    if let Some(pattern) = pattern {
        checks.push(quote!(arm_runtime::validation::pattern(&path, #text, &#pattern)?;));
    }
    if constraints.uuid {
        checks.push(quote!(arm_runtime::validation::uuid(&path, #text)?;));
    }
    checks
}

fn option_tokens<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
