//! The JSON codec of each model, on the runtime's `azrm_runtime::json`: `Decode` (a `match` from
//! wire name to the field it decodes in place, inside `decode_object`, which checks the
//! required properties) and `Encode` (a run of `field` calls), plain
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
    /// Whether it is a `Nullable` (it may be sent as `null`) rather than an `Option`.
    pub nullable: bool,
}

/// `Decode`, `Encode` and the serde impls for the struct `ident` named `spec_name` in the spec,
/// whose unknown properties live in `extras`. A struct with a `Default` (`defaultable`) is
/// decoded in place, field by field, into its default; another one into a local per field.
pub fn emit_struct(
    ident: &syn::Ident,
    spec_name: &str,
    fields: &[NamedField<'_>],
    extras: &syn::Ident,
    defaultable: bool,
) -> TokenStream {
    // Never inlined: the decoders of `Option<T>`, `Vec<T>` and a whole document call it, and a
    // copy inlined in each would compile the struct's decoder several times over.
    let decode = decode_impl(
        ident,
        quote!(#[inline(never)]),
        decode_struct(spec_name, fields, extras, defaultable),
    );
    let writes = fields.iter().map(encode_field);
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

/// The body of a struct's `decode`: its required properties for `decode_object` to check, one
/// `match` arm per wire name decoding the value into its place, and the struct built from the
/// places.
fn decode_struct(
    spec_name: &str,
    fields: &[NamedField<'_>],
    extras: &syn::Ident,
    defaultable: bool,
) -> TokenStream {
    let expecting = format!("a {spec_name} object");
    let required = fields
        .iter()
        .filter(|named| named.field.required)
        .map(|named| &named.field.wire_name);
    let place = |named: &NamedField<'_>| {
        let field = &named.ident;
        if defaultable {
            quote!(this.#field)
        } else {
            let local = format_ident!("field_{}", field);
            quote!(#local)
        }
    };
    let extras_place = if defaultable {
        quote!(this.#extras)
    } else {
        quote!(#extras)
    };
    let arms: Vec<TokenStream> = fields
        .iter()
        .map(|named| {
            let wire = &named.field.wire_name;
            let read = decode_into(named, place(named), defaultable);
            quote!(#wire => #read,)
        })
        .collect();
    let properties = quote! {
        const PROPERTIES: json::Properties = json::Properties {
            model: #spec_name,
            expecting: #expecting,
            required: &[#(#required),*],
        };
    };
    let extra = quote!(json::decode_entry(&mut #extras_place, key, value));
    // A model without properties keeps every entry as an extra one: no `match` to make.
    let entry = if arms.is_empty() {
        extra
    } else {
        quote! {
            match key {
                #(#arms)*
                _ => #extra,
            }
        }
    };
    let read_object = quote! {
        json::decode_object(source, &PROPERTIES, &mut |key, value| { #entry })?;
    };
    if defaultable {
        return quote! {
            #properties
            let mut this = Self::default();
            #read_object
            Ok(this)
        };
    }
    let locals = fields.iter().map(|named| {
        let local = place(named);
        if named.nullable {
            quote!(let mut #local = azrm_runtime::Nullable::Absent;)
        } else {
            quote!(let mut #local = None;)
        }
    });
    let values = fields.iter().map(|named| {
        let field = &named.ident;
        let local = place(named);
        if named.field.required {
            let wire = &named.field.wire_name;
            quote!(#field: json::required(#local, #spec_name, #wire)?,)
        } else {
            quote!(#field: #local,)
        }
    });
    quote! {
        #properties
        #(#locals)*
        let mut #extras = BTreeMap::new();
        #read_object
        Ok(Self {
            #(#values)*
            #extras,
        })
    }
}

/// `Decode`, `Encode` and the serde impls for a closed enum: each variant with its wire value,
/// and the variant holding values the spec does not list.
pub fn emit_closed_enum(
    ident: &syn::Ident,
    variants: &[(syn::Ident, &str)],
    unlisted: &syn::Ident,
) -> TokenStream {
    let values = variants
        .iter()
        .map(|(name, value)| quote!((#value, Self::#name),));
    let decode = decode_impl(
        ident,
        quote!(),
        quote!(json::closed_enum(source, &[#(#values)*], Self::#unlisted)),
    );
    let encode = encode_impl(ident, quote!(out.string(self.as_str());));
    quote!(#decode #encode)
}

/// `Decode`, `Encode` and the serde impls for an extensible enum (`From<&str>` and `as_str`).
pub fn emit_extensible_enum(ident: &syn::Ident) -> TokenStream {
    let decode = decode_impl(ident, quote!(), quote!(json::extensible_enum(source)));
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
    let decode_arms = variants
        .iter()
        .map(|(name, value)| quote!(Some(#value) => json::from_value(value).map(Self::#name),));
    let encode_arms = variants
        .iter()
        .map(|(name, _)| quote!(Self::#name(value) => value.encode(out),));
    let decode = decode_impl(
        ident,
        quote!(),
        quote! {
            let value = source.value()?;
            match json::discriminator(&value, #property) {
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

/// `Decode` with `body` (its `decode` under `attributes`), and `Deserialize` forwarding to it.
fn decode_impl(ident: &syn::Ident, attributes: TokenStream, body: TokenStream) -> TokenStream {
    quote! {
        impl json::Decode for #ident {
            #attributes
            fn decode(
                source: &mut dyn json::ValueSource,
            ) -> Result<Self, json::DecodeError> {
                #body
            }
        }

        impl<'de> serde::Deserialize<'de> for #ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                json::deserialize(deserializer)
            }
        }
    }
}

/// `Encode` with `body`, and `Serialize` forwarding to it.
fn encode_impl(ident: &syn::Ident, body: TokenStream) -> TokenStream {
    quote! {
        impl json::Encode for #ident {
            fn encode(&self, out: &mut json::JsonWriter) {
                #body
            }
        }

        impl serde::Serialize for #ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                json::serialize(self, serializer)
            }
        }
    }
}

/// The expression decoding `value` into `place`, the field or its local (`in_place`: the field
/// itself, holding its default until then; otherwise an `Option` local for a required field).
/// An optional field is an `Option` either way, `None` for `null`; a nullable one a `Nullable`,
/// `Null` for `null`.
fn decode_into(named: &NamedField<'_>, place: TokenStream, in_place: bool) -> TokenStream {
    let field = named.field;
    let Some(format) = WireFormat::of(&field.ty) else {
        let decode = match (field.required, in_place) {
            (true, true) => quote!(decode_into),
            (true, false) => quote!(decode_some),
            (false, _) if named.nullable => quote!(decode_nullable),
            (false, _) => quote!(decode_optional),
        };
        return quote!(json::#decode(&mut #place, value));
    };
    let read = format.value_type();
    let optional = quote! {
        <Option<#read> as json::Decode>::decode(value)?.map(|value| value.0)
    };
    let decoded = match (field.required, in_place) {
        (true, true) => quote!(<#read as json::Decode>::decode(value)?.0),
        (true, false) => quote!(Some(<#read as json::Decode>::decode(value)?.0)),
        (false, _) if named.nullable => quote!(azrm_runtime::Nullable::from(#optional)),
        (false, _) => optional,
    };
    quote! {{
        #place = #decoded;
        Ok(())
    }}
}

/// The statement writing `named`'s property: always when required; when present otherwise (as
/// `null` when a nullable one is null), and for read-only properties never in a request body.
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
    if named.nullable {
        quote!(object.nullable(#wire, #value);)
    } else if named.field.read_only {
        quote!(object.read_only(#wire, #value);)
    } else {
        quote!(object.optional(#wire, #value);)
    }
}
