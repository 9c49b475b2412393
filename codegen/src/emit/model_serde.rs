//! Field-by-field `Serialize`/`Deserialize` impls for model structs, on the runtime's
//! `arm_runtime::serde_model`: a `match` from wire name to field and a run of
//! `serialize_entry` calls, instead of serde's derive with a flattened map of unknown
//! properties, whose per-model expansion dominated the generated crate's build time.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::WireFormat;
use crate::ir::{Field, StructDef, TypeRef};

/// At most this many required properties fit the runtime's bit mask of those seen.
const MAX_REQUIRED: usize = 64;

/// Whether a struct can use the field-by-field impls: it must have a `Default` (decoding
/// starts from it) and few enough required properties.
pub fn supported(s: &StructDef, defaultable: bool) -> bool {
    defaultable && s.fields.iter().filter(|field| field.required).count() <= MAX_REQUIRED
}

/// A field's Rust name with its spec field.
pub struct NamedField<'a> {
    /// The field of the spec.
    pub field: &'a Field,
    /// Its Rust identifier.
    pub ident: syn::Ident,
}

/// `DecodeFields`, `Deserialize` and `Serialize` for the struct `ident` named `spec_name` in the
/// spec, whose unknown properties live in `extras`.
pub fn emit(
    ident: &syn::Ident,
    spec_name: &str,
    fields: &[NamedField<'_>],
    extras: &syn::Ident,
) -> TokenStream {
    let required: Vec<&str> = fields
        .iter()
        .filter(|named| named.field.required)
        .map(|named| named.field.wire_name.as_str())
        .collect();
    let mut bit = 0u32;
    let decode_arms = fields.iter().map(|named| {
        let mask = if named.field.required {
            let mask = 1u64 << bit;
            bit += 1;
            proc_macro2::Literal::u64_unsuffixed(mask)
        } else {
            proc_macro2::Literal::u64_unsuffixed(0)
        };
        let wire = &named.field.wire_name;
        let field = &named.ident;
        let read = decode_value(named.field);
        quote! {
            #wire => {
                self.#field = #read;
                #mask
            }
        }
    });
    let entries = fields.iter().map(encode_entry);
    quote! {
        impl arm_runtime::serde_model::DecodeFields for #ident {
            const NAME: &'static str = #spec_name;
            const REQUIRED: &'static [&'static str] = &[#(#required),*];

            fn decode_field<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: arm_runtime::serde_model::Key<'de>,
                map: &mut A,
            ) -> Result<u64, A::Error> {
                Ok(match key.as_str() {
                    #(#decode_arms)*
                    _ => {
                        let value = map.next_value()?;
                        self.#extras.insert(key.into_string(), value);
                        0
                    }
                })
            }
        }

        impl<'de> Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                arm_runtime::serde_model::deserialize_model(deserializer)
            }
        }

        impl Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                #(#entries)*
                for (key, value) in &self.#extras {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

/// The runtime's types reading and writing `ty` in its own wire format, if it has one.
fn format_wrappers(ty: &TypeRef) -> Option<(TokenStream, TokenStream)> {
    WireFormat::of(ty).map(WireFormat::codec_types)
}

/// The expression reading `field`'s value from `map`.
fn decode_value(field: &Field) -> TokenStream {
    match (format_wrappers(&field.ty), field.required) {
        (Some((read, _)), true) => quote!(map.next_value::<#read>()?.0),
        (Some((read, _)), false) => {
            quote!(map.next_value::<Option<#read>>()?.map(|value| value.0))
        }
        (None, _) => quote!(map.next_value()?),
    }
}

/// The statement writing `named`'s entry: always when required; when present otherwise, and for
/// read-only fields never in a request body.
fn encode_entry(named: &NamedField<'_>) -> TokenStream {
    let wire = &named.field.wire_name;
    let field = &named.ident;
    let wrap = |value: TokenStream| match format_wrappers(&named.field.ty) {
        Some((_, write)) => quote!(&#write(#value)),
        None => value,
    };
    if named.field.required {
        let value = wrap(quote!(&self.#field));
        return quote!(map.serialize_entry(#wire, #value)?;);
    }
    let value = wrap(quote!(value));
    let present = if named.field.read_only {
        quote!(arm_runtime::serde_model::read_only(&self.#field))
    } else {
        quote!(&self.#field)
    };
    quote! {
        if let Some(value) = #present {
            map.serialize_entry(#wire, #value)?;
        }
    }
}
