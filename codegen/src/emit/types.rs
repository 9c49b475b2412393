//! Rust type expressions for IR type references, with the plan's type names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Primitive, TypeRef};
use crate::plan::Plan;

/// The Rust type of `ty`.
pub fn rust_type(ty: &TypeRef, plan: &Plan<'_>) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", plan.type_ident(name));
            quote!(#ident)
        }
        TypeRef::Primitive(primitive) => primitive_type(*primitive),
        TypeRef::List(item) => {
            let item = nested_type(item, plan);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = nested_type(value, plan);
            quote!(BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// A type nested in a list or map cannot use a field-level wire format, so formatted values stay
/// plain strings there.
fn nested_type(ty: &TypeRef, plan: &Plan<'_>) -> TokenStream {
    match WireFormat::of(ty) {
        Some(_) => quote!(String),
        None => rust_type(ty, plan),
    }
}

/// The Rust type of a primitive.
pub fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(String),
        Primitive::Secret => quote!(azrm_runtime::Secret),
        Primitive::Uri => quote!(azrm_runtime::Uri),
        Primitive::ArmId => quote!(azrm_runtime::ArmId),
        Primitive::Uuid => quote!(uuid::Uuid),
        Primitive::DateTime => quote!(time::OffsetDateTime),
        Primitive::Bytes => quote!(Vec<u8>),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F64 => quote!(f64),
    }
}

/// A primitive whose wire form differs from its Rust type; the runtime converts it.
#[derive(Debug, Clone, Copy)]
pub enum WireFormat {
    /// `format: date-time`: RFC 3339 text, `time::OffsetDateTime` in Rust.
    DateTime,
    /// `format: byte`: base64 text, `Vec<u8>` in Rust.
    Base64,
}

impl WireFormat {
    /// The wire format of `ty`, if it has one of its own.
    pub fn of(ty: &TypeRef) -> Option<Self> {
        match ty {
            TypeRef::Primitive(Primitive::DateTime) => Some(Self::DateTime),
            TypeRef::Primitive(Primitive::Bytes) => Some(Self::Base64),
            _ => None,
        }
    }

    /// The `azrm_runtime::json` type that reads a value in this format (its `.0` is the value).
    pub fn value_type(self) -> TokenStream {
        match self {
            Self::DateTime => quote!(json::DateTimeValue),
            Self::Base64 => quote!(json::Base64Value),
        }
    }

    /// The `azrm_runtime::json` type that writes a reference to the value in this format.
    pub fn ref_type(self) -> TokenStream {
        match self {
            Self::DateTime => quote!(json::DateTimeRef),
            Self::Base64 => quote!(json::Base64Ref),
        }
    }

    /// `value` (a reference to the Rust value) wrapped to be written in this format.
    pub fn wrap_ref(self, value: TokenStream) -> TokenStream {
        let ref_type = self.ref_type();
        quote!(&#ref_type(#value))
    }

    /// `option` (an `Option` of the Rust value) as a reference to an `Option` written in this
    /// format.
    pub fn wrap_option(self, option: TokenStream) -> TokenStream {
        match self {
            Self::DateTime => quote!(&#option.as_ref().map(json::DateTimeRef)),
            Self::Base64 => quote!(&#option.as_deref().map(json::Base64Ref)),
        }
    }
}

/// A type as written outside the `models` module (operations, fakes): models behind `models::`.
pub fn qualified_type(ty: &TypeRef, plan: &Plan<'_>) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", plan.type_ident(name));
            quote!(models::#ident)
        }
        TypeRef::List(inner) => {
            let inner = qualified_type(inner, plan);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = qualified_type(inner, plan);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        other => rust_type(other, plan),
    }
}
