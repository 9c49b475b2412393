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
        quote!(static #ident: arm_runtime::Pattern = arm_runtime::Pattern::new(#source);)
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
                    quote!(Self::#name(value) => arm_runtime::Validate::validate(value, path),)
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
        impl arm_runtime::Validate for #ident {
            fn validate(&self, path: &arm_runtime::FieldPath<'_>) -> Result<(), arm_runtime::ValidationError> {
                #body
            }
        }
    }
}

/// The checks of one field, or `None` when it has nothing to check.
fn field_check(field: &Field, plan: &FieldPlan) -> Option<TokenStream> {
    let wire = &field.wire_name;
    let pattern = plan.pattern.as_ref().map(|name| format_ident!("{}", name));
    let mut checks = constraint_checks(&field.ty, &field.constraints, pattern.as_ref());
    if plan.validates {
        checks.push(quote!(arm_runtime::Validate::validate(value, &path)?;));
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
    } else {
        quote!(if let Some(value) = &self.#member { #checks })
    })
}

/// Checks of `constraints` on a reference named `value`, with a `FieldPath` named `path` in
/// scope; `pattern` names the `static` holding the pattern, if there is one.
pub fn constraint_checks(
    ty: &TypeRef,
    constraints: &Constraints,
    pattern: Option<&syn::Ident>,
) -> Vec<TokenStream> {
    let mut checks = match ty {
        TypeRef::Primitive(Primitive::Secret) => {
            string_checks(&quote!(value.expose()), constraints, pattern)
        }
        TypeRef::Primitive(Primitive::String | Primitive::Uri | Primitive::ArmId) => {
            string_checks(&quote!(value.as_str()), constraints, pattern)
        }
        _ => Vec::new(),
    };
    let number = match ty {
        TypeRef::Primitive(Primitive::I32) => Some(quote!(f64::from(*value))),
        TypeRef::Primitive(Primitive::I64) => Some(quote!(*value as f64)),
        TypeRef::Primitive(Primitive::F64) => Some(quote!(*value)),
        _ => None,
    };
    if let Some(number) = number
        && (constraints.minimum.is_some() || constraints.maximum.is_some())
    {
        let (min, max) = (
            option_tokens(constraints.minimum),
            option_tokens(constraints.maximum),
        );
        checks.push(quote!(arm_runtime::validation::range(&path, #number, #min, #max)?;));
    }
    if matches!(ty, TypeRef::List(_))
        && (constraints.min_items.is_some() || constraints.max_items.is_some())
    {
        let (min, max) = (
            option_tokens(constraints.min_items),
            option_tokens(constraints.max_items),
        );
        checks.push(quote!(arm_runtime::validation::items(&path, value.len(), #min, #max)?;));
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
