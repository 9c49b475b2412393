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

/// A type nested in a list or map cannot use a field-level `serde(with)`, so formats that need
/// one stay plain strings there.
fn nested_type(ty: &TypeRef, names: &Names) -> TokenStream {
    match ty {
        TypeRef::Primitive(Primitive::DateTime | Primitive::Bytes) => quote!(String),
        other => rust_type(other, names),
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

/// The `serde(with = ...)` module for a field of this type, if it needs one.
pub fn serde_with(ty: &TypeRef, optional: bool) -> Option<String> {
    let module = match ty {
        TypeRef::Primitive(Primitive::DateTime) => "date_time",
        TypeRef::Primitive(Primitive::Bytes) => "base64_bytes",
        _ => return None,
    };
    let suffix = if optional { "::option" } else { "" };
    Some(format!("arm_runtime::serde_support::{module}{suffix}"))
}
