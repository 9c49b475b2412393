//! `Validate` impls for models with constrained fields, the checks shared with parameter
//! newtypes, and the `static` patterns they use.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Constraints, Field, Primitive, TypeRef};
use crate::plan::{FieldPlan, PatternModule, Plan, TypePlan, TypeShape};

/// The `static` declarations of the patterns `module` checks against.
pub fn pattern_statics(plan: &Plan<'_>, module: &PatternModule) -> TokenStream {
    let statics = plan.patterns(module).map(|(name, source)| {
        let ident = format_ident!("{}", name);
        quote!(static #ident: azrm_runtime::Pattern = azrm_runtime::Pattern::new(#source);)
    });
    quote!(#(#statics)*)
}

/// The `impl Validate` of a model that validates.
pub fn emit_validate(model: &TypePlan<'_>) -> TokenStream {
    let ident = format_ident!("{}", model.ident);
    let body = match (&model.shape, &model.def.kind) {
        (TypeShape::Struct(plan), crate::ir::TypeKind::Struct(s)) => {
            let checks = s
                .fields
                .iter()
                .zip(&plan.fields)
                .filter(|(field, _)| !field.read_only)
                .filter_map(|(field, field_plan)| field_check(field, field_plan));
            quote!(#(#checks)* Ok(()))
        }
        (TypeShape::Union(plan), _) => {
            let arms = plan
                .variants
                .iter()
                .filter(|variant| variant.validates)
                .map(|variant| {
                    let name = format_ident!("{}", variant.ident);
                    quote!(Self::#name(value) => azrm_runtime::Validate::validate(value, path),)
                });
            quote! {
                match self {
                    #(#arms)*
                    _ => Ok(()),
                }
            }
        }
        _ => quote!(Ok(())),
    };
    quote! {
        impl azrm_runtime::Validate for #ident {
            fn validate(&self, path: &azrm_runtime::FieldPath<'_>) -> Result<(), azrm_runtime::ValidationError> {
                #body
            }
        }
    }
}

/// The checks of one field, or `None` when it has nothing to check.
fn field_check(field: &Field, plan: &FieldPlan) -> Option<TokenStream> {
    let wire = &field.wire_name;
    let patterns: Vec<Option<syn::Ident>> = plan
        .patterns
        .iter()
        .map(|name| name.as_ref().map(|name| format_ident!("{}", name)))
        .collect();
    let mut checks = constraint_checks(&field.ty, &field.constraints, &patterns);
    if plan.validates {
        checks.push(quote!(azrm_runtime::Validate::validate(value, &path)?;));
    }
    if checks.is_empty() {
        return None;
    }
    let member = format_ident!("{}", plan.ident);
    let checks = quote! {
        let path = path.field(#wire);
        #(#checks)*
    };
    Some(if field.required {
        quote!({ let value = &self.#member; #checks })
    } else if plan.nullable {
        quote!(if let azrm_runtime::Nullable::Value(value) = &self.#member { #checks })
    } else {
        quote!(if let Some(value) = &self.#member { #checks })
    })
}

/// Checks of `constraints` on a reference named `value`, with a `FieldPath` named `path` in
/// scope; `patterns` name the `static`s holding the patterns by depth (the value's own, then its
/// items' or map values', and so on), as [`FieldPlan::patterns`] does.
pub fn constraint_checks(
    ty: &TypeRef,
    constraints: &Constraints,
    patterns: &[Option<syn::Ident>],
) -> Vec<TokenStream> {
    let pattern = patterns.first().and_then(Option::as_ref).cloned();
    let nested = patterns.get(1..).unwrap_or_default();
    let mut checks = match ty {
        TypeRef::Primitive(Primitive::Secret) => {
            string_checks(&quote!(value.expose()), constraints, pattern.as_ref())
        }
        TypeRef::Primitive(Primitive::String | Primitive::Uri | Primitive::ArmId) => {
            string_checks(&quote!(value.as_str()), constraints, pattern.as_ref())
        }
        TypeRef::Any if constraints.nullable == Some(false) => {
            vec![quote!(azrm_runtime::validation::not_null(&path, value)?;)]
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
                checks.push(
                    quote!(azrm_runtime::validation::items(&path, value.len(), #min, #max)?;),
                );
            }
            if constraints.unique_items {
                checks.push(quote!(azrm_runtime::validation::unique_items(&path, value)?;));
            }
            if let Some(items) = &constraints.items {
                let inner = constraint_checks(item, items, nested);
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
                let inner = constraint_checks(entry, values, nested);
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
pub fn number_checks(number: &TokenStream, constraints: &Constraints) -> Vec<TokenStream> {
    let mut checks = Vec::new();
    let split = |bound: Option<f64>, exclusive: bool| {
        (bound.filter(|_| !exclusive), bound.filter(|_| exclusive))
    };
    let (min, exclusive_min) = split(constraints.minimum, constraints.exclusive_minimum);
    let (max, exclusive_max) = split(constraints.maximum, constraints.exclusive_maximum);
    if min.is_some() || max.is_some() {
        let (min, max) = (option_tokens(min), option_tokens(max));
        checks.push(quote!(azrm_runtime::validation::range(&path, #number, #min, #max)?;));
    }
    if exclusive_min.is_some() || exclusive_max.is_some() {
        let (min, max) = (option_tokens(exclusive_min), option_tokens(exclusive_max));
        checks
            .push(quote!(azrm_runtime::validation::exclusive_range(&path, #number, #min, #max)?;));
    }
    if let Some(factor) = constraints.multiple_of {
        checks.push(quote!(azrm_runtime::validation::multiple_of(&path, #number, #factor)?;));
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
        checks.push(quote!(azrm_runtime::validation::length(&path, #text, #min, #max)?;));
    }
    if let Some(pattern) = pattern {
        checks.push(quote!(azrm_runtime::validation::pattern(&path, #text, &#pattern)?;));
    }
    if constraints.uuid {
        checks.push(quote!(azrm_runtime::validation::uuid(&path, #text)?;));
    }
    checks
}

fn option_tokens<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
