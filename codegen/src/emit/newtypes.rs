//! `params.rs`: validated newtypes for constrained parameters (`AccountName`, ...). Their
//! constructors check the spec's constraints and return a `ValidationError` naming the
//! parameter, the rule and the value; operations check their `&str` arguments the same way,
//! following the client's `Validation`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, describe_constraints, doc_attrs, prose};
use super::validate::{pattern_statics, string_checks};
use crate::ir::{Api, NewtypeDef, TypeKind};
use crate::plan::{PatternModule, Plan, TypeShape};

/// The `params` module holding every validated newtype of the plan.
pub fn emit_params_module(plan: &Plan<'_>) -> TokenStream {
    let items = plan.newtypes().filter_map(|newtype| {
        let (TypeKind::Newtype(def), TypeShape::Newtype(shape)) =
            (&newtype.def.kind, &newtype.shape)
        else {
            return None;
        };
        let pattern = shape.pattern.as_ref().map(|name| format_ident!("{}", name));
        let description = description_of(plan.api, &def.wire_name);
        Some(emit_newtype(
            &newtype.ident,
            def,
            pattern.as_ref(),
            description,
        ))
    });
    let statics = pattern_statics(plan, &PatternModule::Params);
    quote! {
        //! Validated parameter types. Each checks the spec's constraints when it is built, so an
        //! invalid value is rejected before any request is sent. Operations accept `&str` too and
        //! build these for you; construct them yourself to validate up front.
        use azrm_runtime::{FieldPath, Validation, ValidationError};
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
            /// Checks `value` against every constraint of the spec.
            pub fn new(value: impl Into<String>) -> Result<Self, ValidationError> {
                let value = value.into();
                Self::check(&value, Validation::Strict)?;
                Ok(Self(value))
            }

            /// The validated value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Checks `value` without keeping it, as `validation` says: operations validate
            /// `&str` arguments this way, following their client's `Validation`. Never
            /// inlined: every operation taking the parameter calls it.
            #[inline(never)]
            pub(crate) fn check(value: &str, validation: Validation) -> Result<(), ValidationError> {
                let path = FieldPath::root(#wire).with_validation(validation);
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
