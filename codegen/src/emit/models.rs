//! Models: structs with exact wire names, closed and extensible enums, discriminated unions.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, prose};
use super::model_json;
use super::types::rust_type;
use super::validate::{self, PatternStatics};
use super::{Names, TypeGraph};
use crate::ir::{Api, EnumDef, Field, StructDef, TypeDef, TypeKind, TypeRef, UnionDef};
use crate::names::{Case, sanitize};

/// Field name for properties that a model does not describe.
const EXTRAS_FIELD: &str = "additional_properties";

/// The module for one area: its models, their validators and the patterns they use.
pub fn emit_area(
    api: &Api,
    area: &str,
    type_names: &[String],
    names: &Names,
    graph: &TypeGraph,
) -> TokenStream {
    let module_doc = if area == super::COMMON_AREA {
        " Models shared by several operation groups (or by none directly).".to_owned()
    } else {
        format!(" Models used by the `{area}` operations.")
    };
    let mut items = Vec::new();
    let mut validators = Vec::new();
    let mut patterns = PatternStatics::default();
    for name in type_names {
        let def = &api.types[name];
        items.push(match &def.kind {
            TypeKind::Struct(s) => emit_struct(def, s, names, graph),
            TypeKind::Enum(e) => emit_enum(def, e, names),
            TypeKind::Union(u) => emit_union(def, u, names),
            TypeKind::Newtype(_) => continue,
        });
        if graph.needs_validation(name) {
            validators.push(validate::emit_validate(def, names, graph, &mut patterns));
        }
    }
    let patterns = patterns.to_tokens();
    let body = quote!(#(#items)* #patterns #(#validators)*);
    let btree_map = super::names_ident(&body, "BTreeMap").then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let json = super::names_ident(&body, "json").then(|| {
        quote!(
            use arm_runtime::json;
        )
    });
    quote! {
        #![doc = #module_doc]
        #btree_map
        #json
        // Models of other areas, by name; an area that names none leaves the glob unused.
        #[allow(unused_imports)]
        use super::*;
        #body
    }
}

fn type_doc(def: &TypeDef, fallback: String, extra: &[String]) -> TokenStream {
    let mut paragraphs = vec![def.description.as_deref().map_or(fallback, prose)];
    paragraphs.extend(extra.iter().cloned());
    doc_attrs(&paragraphs)
}

fn emit_struct(def: &TypeDef, s: &StructDef, names: &Names, graph: &TypeGraph) -> TokenStream {
    let ident = format_ident!("{}", names.type_name(&def.name));
    let doc = type_doc(def, format!("The {} model.", code(&def.name)), &[]);
    let field_names = struct_field_names(s);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&field_names)
        .map(|(field, rust_name)| emit_field(&def.name, field, rust_name, names, graph))
        .collect();
    let extras_name = [EXTRAS_FIELD, "unknown_properties", "extra_properties"]
        .into_iter()
        .find(|candidate| !field_names.iter().any(|name| name == candidate))
        .unwrap_or("additional_properties_");
    let extras_ident = format_ident!("{}", extras_name);
    let extras_ty = match &s.additional {
        Some(ty) => rust_type(ty, names),
        None => quote!(serde_json::Value),
    };
    let extras_doc = match &s.additional {
        Some(_) => " Additional properties, as the spec allows (`additionalProperties`).",
        None => {
            " Properties this api-version does not describe, kept so that a value read from the service \
             and sent back loses nothing."
        }
    };
    let defaultable = graph.is_defaultable(&def.name);
    let default = defaultable.then(|| quote!(Default,));
    let named: Vec<model_json::NamedField<'_>> = s
        .fields
        .iter()
        .zip(&field_names)
        .map(|(field, rust_name)| model_json::NamedField {
            field,
            ident: format_ident!("{}", rust_name),
        })
        .collect();
    let codec = model_json::emit_struct(&ident, &def.name, &named, &extras_ident, defaultable);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #ident {
            #(#fields)*
            #[doc = #extras_doc]
            pub #extras_ident: BTreeMap<String, #extras_ty>,
        }

        #codec
    }
}

/// The Rust names of a struct's fields, in field order: sanitized and unique.
pub(super) fn struct_field_names(s: &StructDef) -> Vec<String> {
    let mut taken = HashSet::new();
    s.fields
        .iter()
        .map(|field| unique(sanitize(&field.wire_name, Case::Snake), "_", &mut taken))
        .collect()
}

/// `base`, or `base` + separator + a number when that is taken.
fn unique(base: String, separator: &str, taken: &mut HashSet<String>) -> String {
    let mut name = base.clone();
    let mut counter = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}{separator}{counter}");
        counter += 1;
    }
    name
}

fn emit_field(
    owner: &str,
    field: &Field,
    rust_name: &str,
    names: &Names,
    graph: &TypeGraph,
) -> TokenStream {
    let ident = format_ident!("{}", rust_name);
    let mut ty = rust_type(&field.ty, names);
    if let TypeRef::Named(target) = &field.ty
        && graph.needs_box(owner, target)
    {
        ty = quote!(Box<#ty>);
    }
    let ty = if field.required {
        ty
    } else {
        quote!(Option<#ty>)
    };
    let doc = doc_attrs(&field_doc(field));
    quote! {
        #doc
        pub #ident: #ty,
    }
}

fn field_doc(field: &Field) -> Vec<String> {
    let mut paragraphs = vec![field.description.as_deref().map_or_else(
        || format!("The {} property.", code(&field.wire_name)),
        prose,
    )];
    let mut notes = Vec::new();
    if field.read_only {
        notes.push("Read-only: set by the service, never sent.".to_owned());
    }
    if !field.mutability.is_empty() {
        notes.push(format!("Mutability: {}.", field.mutability.join(", ")));
    }
    if let Some(default) = &field.default {
        notes.push(format!("Default: {}.", code(&default.to_string())));
    }
    let constraints = super::newtypes::describe_constraints(&field.constraints);
    if !constraints.is_empty() {
        notes.push(format!("Constraints: {constraints}."));
    }
    if field.client_flatten {
        notes.push(
            "Kept nested as on the wire; other SDKs flatten these properties into the parent \
             (`x-ms-client-flatten`)."
                .to_owned(),
        );
    }
    if !notes.is_empty() {
        paragraphs.push(notes.join(" "));
    }
    paragraphs
}

fn emit_enum(def: &TypeDef, e: &EnumDef, names: &Names) -> TokenStream {
    let ident = format_ident!("{}", names.type_name(&def.name));
    let mut taken = HashSet::new();
    let variants: Vec<(syn::Ident, &str, TokenStream)> = e
        .values
        .iter()
        .map(|value| {
            let name = unique(
                sanitize(value.name.as_deref().unwrap_or(&value.value), Case::Type),
                "",
                &mut taken,
            );
            let doc = value
                .description
                .as_deref()
                .map_or_else(|| code(&value.value), prose);
            (
                format_ident!("{}", name),
                value.value.as_str(),
                doc_attrs(&[doc]),
            )
        })
        .collect();
    if e.extensible {
        let other = ["Other", "UnknownValue"]
            .into_iter()
            .find(|name| !taken.contains(*name))
            .unwrap_or("Other_");
        emit_extensible_enum(def, &ident, &variants, &format_ident!("{}", other))
    } else {
        emit_closed_enum(def, &ident, &variants)
    }
}

fn emit_closed_enum(
    def: &TypeDef,
    ident: &syn::Ident,
    variants: &[(syn::Ident, &str, TokenStream)],
) -> TokenStream {
    let doc = type_doc(def, format!("The {} values.", code(&def.name)), &[]);
    // A one-value enum is a constant: it derives `Default` so the structs holding it can.
    let constant = super::graph::is_constant_enum(&def.kind);
    let default_derive = constant.then(|| quote!(Default,));
    let default_attr = constant.then(|| quote!(#[default]));
    let items = variants.iter().map(|(name, _, doc)| {
        quote! {
            #doc
            #default_attr
            #name,
        }
    });
    let arms = variants
        .iter()
        .map(|(name, value, _)| quote!(Self::#name => #value,));
    let codec = model_json::emit_closed_enum(ident, &wire_values(variants));
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, #default_derive)]
        pub enum #ident {
            #(#items)*
        }

        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #codec
    }
}

/// Each variant's name with its wire value.
fn wire_values<'v, T>(variants: &[(syn::Ident, &'v str, T)]) -> Vec<(syn::Ident, &'v str)> {
    variants
        .iter()
        .map(|(name, value, _)| (name.clone(), *value))
        .collect()
}

fn emit_extensible_enum(
    def: &TypeDef,
    ident: &syn::Ident,
    variants: &[(syn::Ident, &str, TokenStream)],
    other: &syn::Ident,
) -> TokenStream {
    let doc = type_doc(
        def,
        format!("The {} values.", code(&def.name)),
        &[format!(
            "Extensible: values this api-version does not know arrive as `{other}` and are sent back unchanged."
        )],
    );
    let items = variants.iter().map(|(name, _, doc)| quote!(#doc #name,));
    let to_str = variants
        .iter()
        .map(|(name, value, _)| quote!(Self::#name => #value,));
    let from_str = variants
        .iter()
        .map(|(name, value, _)| quote!(#value => Self::#name,));
    let codec = model_json::emit_extensible_enum(ident);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #ident {
            #(#items)*
            /// A value this api-version does not know.
            #other(String),
        }

        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl From<&str> for #ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #codec
    }
}

/// Each union variant's Rust name, discriminator value and struct type.
pub(super) fn union_variants<'u>(
    u: &'u UnionDef,
    names: &Names,
) -> Vec<(syn::Ident, &'u str, syn::Ident)> {
    let mut taken = HashSet::from(["Other".to_owned()]);
    u.variants
        .iter()
        .map(|variant| {
            let name = unique(sanitize(&variant.value, Case::Type), "", &mut taken);
            (
                format_ident!("{}", name),
                variant.value.as_str(),
                format_ident!("{}", names.type_name(&variant.ty)),
            )
        })
        .collect()
}

fn emit_union(def: &TypeDef, u: &UnionDef, names: &Names) -> TokenStream {
    let ident = format_ident!("{}", names.type_name(&def.name));
    let property = &u.property;
    let doc = type_doc(
        def,
        format!("The {} kinds.", code(&def.name)),
        &[format!(
            "Polymorphic: the {} property picks the variant. Kinds this api-version does not know \
             are kept as raw JSON in `Other`.",
            code(property)
        )],
    );
    let variants = union_variants(u, names);
    let items = variants.iter().map(|(name, value, ty)| {
        let doc = format!(" {} = {}.", code(property), code(value));
        quote! {
            #[doc = #doc]
            #name(#ty),
        }
    });
    let codec = model_json::emit_union(&ident, property, &wire_values(&variants));
    let mut seen_types = HashSet::new();
    let froms = variants
        .iter()
        .filter(|(_, _, ty)| seen_types.insert(ty.to_string()))
        .map(|(name, _, ty)| {
            quote! {
                impl From<#ty> for #ident {
                    fn from(value: #ty) -> Self {
                        Self::#name(value)
                    }
                }
            }
        });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #ident {
            #(#items)*
            /// A kind this api-version does not know, as raw JSON.
            Other(serde_json::Value),
        }

        #codec

        #(#froms)*
    }
}
