//! Rust type expressions for IR type references.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Names;
use crate::ir::{Primitive, TypeRef};

/// The Rust type of `ty`.
pub fn rust_type(ty: &TypeRef, names: &Names) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", names.type_name(name));
            quote!(#ident)
        }
        TypeRef::Primitive(primitive) => primitive_type(*primitive),
        TypeRef::List(item) => {
            let item = nested_type(item, names);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = nested_type(value, names);
            quote!(BTreeMap<String, #value>)
        }
        TypeRef::Any => quote!(serde_json::Value),
    }
}

/// A type nested in a list or map cannot use a field-level wire format, so formatted values stay
/// plain strings there.
fn nested_type(ty: &TypeRef, names: &Names) -> TokenStream {
    match WireFormat::of(ty) {
        Some(_) => quote!(String),
        None => rust_type(ty, names),
    }
}

fn primitive_type(primitive: Primitive) -> TokenStream {
    match primitive {
        Primitive::String => quote!(String),
        Primitive::Secret => quote!(arm_runtime::Secret),
        Primitive::Uri => quote!(arm_runtime::Uri),
        Primitive::ArmId => quote!(arm_runtime::ArmId),
        Primitive::Uuid => quote!(uuid::Uuid),
        Primitive::DateTime => quote!(time::OffsetDateTime),
        Primitive::Bytes => quote!(Vec<u8>),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::F64 => quote!(f64),
    }
}

/// A primitive whose wire form differs from its Rust type's serde form; the runtime converts it.
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

    /// The `arm_runtime::serde_support` module for `serde(with = ...)`.
    fn serde_module(self) -> &'static str {
        match self {
            Self::DateTime => "date_time",
            Self::Base64 => "base64_bytes",
        }
    }

    /// The `arm_runtime::serde_model` types that read and write a value in this format.
    pub fn codec_types(self) -> (TokenStream, TokenStream) {
        match self {
            Self::DateTime => (
                quote!(arm_runtime::serde_model::DateTimeValue),
                quote!(arm_runtime::serde_model::DateTimeRef),
            ),
            Self::Base64 => (
                quote!(arm_runtime::serde_model::Base64Value),
                quote!(arm_runtime::serde_model::Base64Ref),
            ),
        }
    }
}

/// The `serde(with = ...)` module for a field of this type, if it needs one.
pub fn serde_with(ty: &TypeRef, optional: bool) -> Option<String> {
    let module = WireFormat::of(ty)?.serde_module();
    let suffix = if optional { "::option" } else { "" };
    Some(format!("arm_runtime::serde_support::{module}{suffix}"))
}
