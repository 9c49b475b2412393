//! `params.rs`: validated newtypes for constrained parameters (`AccountName`, ...). Their
//! constructors check the spec's constraints and return a `ValidationError` naming the
//! parameter, the rule and the value.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Names;
use super::docs::{code, doc_attrs, prose};
use super::validate::{PatternStatics, string_checks};
use crate::ir::{Api, Constraints, NewtypeDef, TypeKind};
use crate::names::{Case, sanitize};

/// The `params` module holding every newtype in `type_names`.
pub fn emit_params_module(api: &Api, type_names: &[String], names: &Names) -> TokenStream {
    let mut patterns = PatternStatics::default();
    let mut items = Vec::new();
    for name in type_names {
        let def = &api.types[name];
        let TypeKind::Newtype(newtype) = &def.kind else {
            continue;
        };
        let pattern = newtype.constraints.pattern.as_ref().map(|pattern| {
            let preferred = format!("{}_PATTERN", sanitize(&newtype.wire_name, Case::Constant));
            patterns.name_for(&preferred, pattern)
        });
        let description = description_of(api, &newtype.wire_name);
        items.push(emit_newtype(
            names.type_name(name),
            newtype,
            pattern.as_ref(),
            description,
        ));
    }
    let statics = patterns.to_tokens();
    quote! {
        //! Validated parameter types. Each checks the spec's constraints when it is built, so an
        //! invalid value is rejected before any request is sent. Operations accept `&str` too and
        //! build these for you; construct them yourself to validate up front.
        use arm_runtime::{FieldPath, ValidationError};
        #statics
        #(#items)*
    }
}

/// The first description the spec gives a parameter of this name.
fn description_of(api: &Api, wire_name: &str) -> Option<String> {
    api.operations
        .iter()
        .flat_map(|op| &op.params)
        .find(|param| param.wire_name == wire_name && param.description.is_some())
        .and_then(|param| param.description.clone())
}

fn emit_newtype(
    rust_name: &str,
    newtype: &NewtypeDef,
    pattern: Option<&syn::Ident>,
    description: Option<String>,
) -> TokenStream {
    let ident = format_ident!("{}", rust_name);
    let wire = &newtype.wire_name;
    let doc = doc_attrs(&[
        format!("A validated {} parameter.", code(wire)),
        description.as_deref().map(prose).unwrap_or_default(),
        format!(
            "Constraints: {}.",
            describe_constraints(&newtype.constraints)
        ),
    ]);
    let checks = string_checks(&quote!(value), &newtype.constraints, pattern);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #ident(String);

        impl #ident {
            /// Checks `value` against the spec's constraints.
            pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
                let value = value.into();
                Self::check(&value)?;
                Ok(Self(value))
            }

            /// The validated value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Checks `value` without keeping it: operations validate `&str` arguments this way.
            pub(crate) fn check(value: &str) -> Result<(), ValidationError> {
                let path = FieldPath::root(#wire);
                #(#checks)*
                Ok(())
            }
        }

        impl TryFrom<&str> for #ident {
            type Error = ValidationError;
            fn try_from(value: &str) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl TryFrom<String> for #ident {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, ValidationError> {
                Self::new(value)
            }
        }

        impl TryFrom<&String> for #ident {
            type Error = ValidationError;
            fn try_from(value: &String) -> Result<Self, ValidationError> {
                Self::new(value.as_str())
            }
        }

        impl TryFrom<&#ident> for #ident {
            type Error = ValidationError;
            fn try_from(value: &#ident) -> Result<Self, ValidationError> {
                Ok(value.clone())
            }
        }

        impl AsRef<str> for #ident {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<#ident> for String {
            fn from(value: #ident) -> String {
                value.0
            }
        }
    }
}

/// The constraints in words, for docs: `3 to 50 characters; matches ^[a-z0-9]+`.
pub fn describe_constraints(constraints: &Constraints) -> String {
    let mut parts = Vec::new();
    match (constraints.min_length, constraints.max_length) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters")),
        (Some(min), None) => parts.push(format!("at least {min} characters")),
        (None, Some(max)) => parts.push(format!("at most {max} characters")),
        (None, None) => {}
    }
    if let Some(pattern) = &constraints.pattern {
        parts.push(format!("matches {}", code(pattern)));
    }
    let exclusive = constraints.exclusive_minimum || constraints.exclusive_maximum;
    match (constraints.minimum, constraints.maximum) {
        (Some(min), Some(max)) if !exclusive => parts.push(format!("from {min} to {max}")),
        (min, max) => {
            parts.extend(min.map(|min| match constraints.exclusive_minimum {
                true => format!("greater than {min}"),
                false => format!("at least {min}"),
            }));
            parts.extend(max.map(|max| match constraints.exclusive_maximum {
                true => format!("less than {max}"),
                false => format!("at most {max}"),
            }));
        }
    }
    if let Some(factor) = constraints.multiple_of {
        parts.push(format!("a multiple of {factor}"));
    }
    match (constraints.min_items, constraints.max_items) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} items")),
        (Some(min), None) => parts.push(format!("at least {min} items")),
        (None, Some(max)) => parts.push(format!("at most {max} items")),
        (None, None) => {}
    }
    if constraints.unique_items {
        parts.push("no repeated items".into());
    }
    if constraints.uuid {
        parts.push("a UUID".into());
    }
    if constraints.nullable == Some(false) {
        parts.push("not null".into());
    }
    if let Some(items) = &constraints.items {
        let inner = describe_constraints(items);
        if !inner.is_empty() {
            parts.push(format!("each element: {inner}"));
        }
    }
    parts.join("; ")
}
