//! The JSON codec of each model, on the runtime's `arm_runtime::json`: `Decode` (a `match` from
//! wire name to field inside one object callback) and `Encode` (a run of `field` calls), plain
//! functions compiled once, plus `Serialize`/`Deserialize` impls that forward to them. Serde's
//! derive would be generic over the format, and its per-model expansion dominated the generated
//! crate's build.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::WireFormat;
use crate::ir::Field;

/// A field's Rust name with its spec field.
pub struct NamedField<'a> {
    /// The field of the spec.
    pub field: &'a Field,
    /// Its Rust identifier.
    pub ident: syn::Ident,
}

/// `Decode`, `Encode` and the serde impls for the struct `ident` named `spec_name` in the spec,
/// whose unknown properties live in `extras`.
pub fn emit_struct(
    ident: &syn::Ident,
    spec_name: &str,
    fields: &[NamedField<'_>],
    extras: &syn::Ident,
) -> TokenStream {
    let expecting = format!("a {spec_name} object");
    let locals: Vec<syn::Ident> = fields
        .iter()
        .map(|named| format_ident!("field_{}", named.ident))
        .collect();
    let arms = fields.iter().zip(&locals).map(|(named, local)| {
        let wire = &named.field.wire_name;
        let read = decode_value(named.field);
        quote!(#wire => #local = #read,)
    });
    let values = fields.iter().zip(&locals).map(|(named, local)| {
        let field = &named.ident;
        if named.field.required {
            let wire = &named.field.wire_name;
            quote!(#field: arm_runtime::json::required(#local, #spec_name, #wire)?,)
        } else {
            quote!(#field: #local,)
        }
    });
    let writes = fields.iter().map(encode_field);
    let decode = decode_impl(
        ident,
        quote! {
            #(let mut #locals = None;)*
            let mut #extras = BTreeMap::new();
            source.object(#expecting, &mut |key, value| {
                match key {
                    #(#arms)*
                    _ => {
                        #extras.insert(key.to_owned(), arm_runtime::json::Decode::decode(value)?);
                    }
                }
                Ok(())
            })?;
            Ok(Self {
                #(#values)*
                #extras,
            })
        },
    );
    let encode = encode_impl(
        ident,
        quote! {
            let mut object = out.object();
            #(#writes)*
            object.entries(&self.#extras);
            object.end();
        },
    );
    quote!(#decode #encode)
}

/// `Decode`, `Encode` and the serde impls for a closed enum: each variant with its wire value.
pub fn emit_closed_enum(ident: &syn::Ident, variants: &[(syn::Ident, &str)]) -> TokenStream {
    let values = variants
        .iter()
        .map(|(name, value)| quote!((#value, Self::#name),));
    let decode = decode_impl(
        ident,
        quote!(arm_runtime::json::closed_enum(source, &[#(#values)*])),
    );
    let encode = encode_impl(ident, quote!(out.string(self.as_str());));
    quote!(#decode #encode)
}

/// `Decode`, `Encode` and the serde impls for an extensible enum (`From<&str>` and `as_str`).
pub fn emit_extensible_enum(ident: &syn::Ident) -> TokenStream {
    let decode = decode_impl(ident, quote!(arm_runtime::json::extensible_enum(source)));
    let encode = encode_impl(ident, quote!(out.string(self.as_str());));
    quote!(#decode #encode)
}

/// `Decode`, `Encode` and the serde impls for a union whose `property` picks the variant; each
/// variant with its discriminator value. Unknown kinds are kept as `Other`.
pub fn emit_union(
    ident: &syn::Ident,
    property: &str,
    variants: &[(syn::Ident, &str)],
) -> TokenStream {
    let decode_arms = variants.iter().map(|(name, value)| {
        quote!(Some(#value) => arm_runtime::json::from_value(value).map(Self::#name),)
    });
    let encode_arms = variants
        .iter()
        .map(|(name, _)| quote!(Self::#name(value) => value.encode(out),));
    let decode = decode_impl(
        ident,
        quote! {
            let value = source.value()?;
            match arm_runtime::json::discriminator(&value, #property) {
                #(#decode_arms)*
                _ => Ok(Self::Other(value)),
            }
        },
    );
    let encode = encode_impl(
        ident,
        quote! {
            match self {
                #(#encode_arms)*
                Self::Other(value) => value.encode(out),
            }
        },
    );
    quote!(#decode #encode)
}

/// `Decode` with `body`, and `Deserialize` forwarding to it.
fn decode_impl(ident: &syn::Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl arm_runtime::json::Decode for #ident {
            fn decode(
                source: &mut dyn arm_runtime::json::ValueSource,
            ) -> Result<Self, arm_runtime::json::DecodeError> {
                #body
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                arm_runtime::json::deserialize(deserializer)
            }
        }
    }
}

/// `Encode` with `body`, and `Serialize` forwarding to it.
fn encode_impl(ident: &syn::Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl arm_runtime::json::Encode for #ident {
            fn encode(&self, out: &mut arm_runtime::json::JsonWriter) {
                #body
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                arm_runtime::json::serialize(self, serializer)
            }
        }
    }
}

/// The expression reading `field`'s value from `value`, as the `Option` its local holds.
fn decode_value(field: &Field) -> TokenStream {
    match (WireFormat::of(&field.ty), field.required) {
        (Some(format), true) => {
            let read = format.value_type();
            quote!(Some(<#read as arm_runtime::json::Decode>::decode(value)?.0))
        }
        (Some(format), false) => {
            let read = format.value_type();
            quote!(<Option<#read> as arm_runtime::json::Decode>::decode(value)?.map(|value| value.0))
        }
        (None, true) => quote!(Some(arm_runtime::json::Decode::decode(value)?)),
        (None, false) => quote!(arm_runtime::json::Decode::decode(value)?),
    }
}

/// The statement writing `named`'s property: always when required; when present otherwise, and
/// for read-only properties never in a request body.
fn encode_field(named: &NamedField<'_>) -> TokenStream {
    let wire = &named.field.wire_name;
    let field = &named.ident;
    let format = WireFormat::of(&named.field.ty);
    if named.field.required {
        let value = match format {
            Some(format) => format.wrap_ref(quote!(&self.#field)),
            None => quote!(&self.#field),
        };
        return quote!(object.field(#wire, #value););
    }
    let value = match format {
        Some(format) => format.wrap_option(quote!(self.#field)),
        None => quote!(&self.#field),
    };
    if named.field.read_only {
        quote!(object.read_only(#wire, #value);)
    } else {
        quote!(object.optional(#wire, #value);)
    }
}
