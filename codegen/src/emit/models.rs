//! Models: structs with exact wire names, closed and extensible enums, discriminated unions.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builders::emit_builder;
use super::docs::{code, describe_constraints, doc_attrs, prose};
use super::model_json;
use super::types::rust_type;
use super::validate::{emit_validate, pattern_statics};
use crate::ir::{EnumDef, Field, StructDef, TypeDef, TypeKind, UnionDef};
use crate::plan::{
    COMMON_AREA, EnumPlan, FieldPlan, PatternModule, Plan, StructPlan, TypePlan, TypeShape,
    UnionPlan,
};

/// One area's two modules: its models with their validators and patterns (`models/{area}.rs`),
/// and their JSON codec (`models/{area}/codec.rs`), kept apart so the models read as types.
pub struct AreaModules {
    /// The models, their validators and the patterns they use.
    pub models: TokenStream,
    /// The models' `Decode`, `Encode`, `Deserialize` and `Serialize` impls.
    pub codec: TokenStream,
}

/// The modules for one area.
pub fn emit_area(plan: &Plan<'_>, area: &str, models: &[&TypePlan<'_>]) -> AreaModules {
    let module_doc = if area == COMMON_AREA {
        " Models shared by several operation groups (or by none directly).".to_owned()
    } else {
        format!(" Models used by the `{area}` operations.")
    };
    let mut items = Vec::new();
    let mut codecs = Vec::new();
    let mut validators = Vec::new();
    for model in models {
        let Emitted { item, codec } = match (&model.def.kind, &model.shape) {
            (TypeKind::Struct(s), TypeShape::Struct(shape)) => emit_struct(plan, model, s, shape),
            (TypeKind::Enum(e), TypeShape::Enum(shape)) => emit_enum(model, e, shape),
            (TypeKind::Union(u), TypeShape::Union(shape)) => emit_union(model, u, shape),
            _ => continue,
        };
        items.push(item);
        codecs.push(codec);
        if model.validates {
            validators.push(emit_validate(model));
        }
    }
    let patterns = pattern_statics(plan, &PatternModule::Area(area.to_owned()));
    let body = quote!(#(#items)* #patterns #(#validators)*);
    let uses = imports(&body);
    let models = quote! {
        #![doc = #module_doc]
        #uses
        // Models of other areas, by name; an area that names none leaves the glob unused.
        #[allow(unused_imports)]
        use super::*;
        /// The JSON codec of this area's models.
        mod codec;
        #body
    };
    let codec_doc = format!(
        " The JSON codec of the `{area}` models: `Decode` and `Encode` on the runtime's \
         `azrm_runtime::json`, and the serde impls that forward to them."
    );
    let codec_body = quote!(#(#codecs)*);
    let codec_imports = imports(&codec_body);
    let codec = quote! {
        #![doc = #codec_doc]
        #codec_imports
        use super::*;
        #codec_body
    };
    AreaModules { models, codec }
}

/// The `use` lines for what `body` names of `BTreeMap` and the runtime's `json`.
fn imports(body: &TokenStream) -> TokenStream {
    let btree_map = super::names_ident(body, "BTreeMap").then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let json = super::names_ident(body, "json").then(|| {
        quote!(
            use azrm_runtime::json;
        )
    });
    quote!(#btree_map #json)
}

/// A model's definition, and its codec impls for the area's codec module.
struct Emitted {
    item: TokenStream,
    codec: TokenStream,
}

fn type_doc(def: &TypeDef, fallback: String, extra: &[String]) -> TokenStream {
    let mut paragraphs = vec![def.description.as_deref().map_or(fallback, prose)];
    paragraphs.extend(extra.iter().cloned());
    doc_attrs(&paragraphs)
}

fn emit_struct(
    plan: &Plan<'_>,
    model: &TypePlan<'_>,
    s: &StructDef,
    shape: &StructPlan,
) -> Emitted {
    let def = model.def;
    let ident = format_ident!("{}", model.ident);
    let doc = type_doc(def, format!("The {} model.", code(&def.name)), &[]);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&shape.fields)
        .map(|(field, field_plan)| emit_field(plan, field, field_plan))
        .collect();
    let extras_ident = format_ident!("{}", shape.extras);
    let extras_ty = match &s.additional {
        Some(ty) => rust_type(ty, plan),
        None => quote!(serde_json::Value),
    };
    let extras_doc = match &s.additional {
        Some(_) => " Additional properties, as the spec allows (`additionalProperties`).",
        None => {
            " Properties this api-version does not describe, kept so that a value read from the service \
             and sent back loses nothing."
        }
    };
    let default = model.defaultable.then(|| quote!(Default,));
    let named: Vec<model_json::NamedField<'_>> = s
        .fields
        .iter()
        .zip(&shape.fields)
        .map(|(field, field_plan)| model_json::NamedField {
            field,
            ident: format_ident!("{}", field_plan.ident),
            nullable: field_plan.nullable,
        })
        .collect();
    let codec =
        model_json::emit_struct(&ident, &def.name, &named, &extras_ident, model.defaultable);
    let builder = emit_builder(plan, &ident, s, shape);
    let item = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #ident {
            #(#fields)*
            #[doc = #extras_doc]
            pub #extras_ident: BTreeMap<String, #extras_ty>,
        }

        #builder

    };
    Emitted { item, codec }
}

fn emit_field(plan: &Plan<'_>, field: &Field, field_plan: &FieldPlan) -> TokenStream {
    let ident = format_ident!("{}", field_plan.ident);
    let mut ty = rust_type(&field.ty, plan);
    if field_plan.boxed {
        ty = quote!(Box<#ty>);
    }
    let ty = if field.required {
        ty
    } else if field_plan.nullable {
        quote!(azrm_runtime::Nullable<#ty>)
    } else {
        quote!(Option<#ty>)
    };
    let doc = doc_attrs(&field_doc(field, field_plan));
    quote! {
        #doc
        pub #ident: #ty,
    }
}

fn field_doc(field: &Field, field_plan: &FieldPlan) -> Vec<String> {
    let mut paragraphs = vec![field_plan.description.as_deref().map_or_else(
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
    if field_plan.nullable {
        notes.push(
            "May be `null` on the wire (`Nullable::Null`), which in a `PATCH` body removes the \
             property on the service; `Nullable::Absent` leaves it out."
                .to_owned(),
        );
    }
    if let Some(default) = &field.default {
        notes.push(format!("Default: {}.", code(&default.to_string())));
    }
    let constraints = describe_constraints(&field.constraints);
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

fn emit_enum(model: &TypePlan<'_>, e: &EnumDef, shape: &EnumPlan) -> Emitted {
    let ident = format_ident!("{}", model.ident);
    let variants: Vec<(syn::Ident, &str, TokenStream)> = e
        .values
        .iter()
        .zip(&shape.variants)
        .map(|(value, name)| {
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
    let other = format_ident!("{}", shape.other);
    if shape.extensible {
        emit_extensible_enum(model.def, &ident, &variants, &other)
    } else {
        emit_closed_enum(model.def, &ident, &variants, &other, shape.constant)
    }
}

/// The attribute of every enum whose values come from the spec: a later api-version may list
/// more, and a `match` in user code must already have an arm for them to keep compiling.
fn non_exhaustive() -> TokenStream {
    quote!(#[non_exhaustive])
}

fn emit_closed_enum(
    def: &TypeDef,
    ident: &syn::Ident,
    variants: &[(syn::Ident, &str, TokenStream)],
    unlisted: &syn::Ident,
    constant: bool,
) -> Emitted {
    let doc = type_doc(
        def,
        format!("The {} values.", code(&def.name)),
        &[format!(
            "Closed: a request can hold only the values listed here. A value this api-version \
             does not list arrives as `{unlisted}`, so that the response still decodes, and is \
             sent back unchanged."
        )],
    );
    // A one-value enum is a constant: it derives `Default` so the structs holding it can.
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
    let codec = model_json::emit_closed_enum(ident, &wire_values(variants), unlisted);
    let non_exhaustive = non_exhaustive();
    let item = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, #default_derive)]
        #non_exhaustive
        pub enum #ident {
            #(#items)*
            /// A value this api-version does not list, as the service sent it; only the
            /// decoder makes one.
            #unlisted(azrm_runtime::UnlistedValue),
        }

        impl #ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#arms)*
                    Self::#unlisted(value) => value.as_str(),
                }
            }
        }

        impl std::fmt::Display for #ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

    };
    Emitted { item, codec }
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
) -> Emitted {
    let doc = type_doc(
        def,
        format!("The {} values.", code(&def.name)),
        &[format!(
            "Extensible: values this api-version does not know arrive as `{other}` and are sent \
             back unchanged. Values compare and hash by their wire value, so `{other}` holding a \
             listed value equals that value's variant."
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
    let non_exhaustive = non_exhaustive();
    let item = quote! {
        #doc
        #[derive(Debug, Clone)]
        #non_exhaustive
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

        impl PartialEq for #ident {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for #ident {}

        impl std::hash::Hash for #ident {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.as_str().hash(state);
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

    };
    Emitted { item, codec }
}

fn emit_union(model: &TypePlan<'_>, u: &UnionDef, shape: &UnionPlan) -> Emitted {
    let def = model.def;
    let ident = format_ident!("{}", model.ident);
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
    let variants: Vec<(syn::Ident, &str, syn::Ident)> = u
        .variants
        .iter()
        .zip(&shape.variants)
        .map(|(variant, variant_plan)| {
            (
                format_ident!("{}", variant_plan.ident),
                variant.value.as_str(),
                format_ident!("{}", variant_plan.ty),
            )
        })
        .collect();
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
    let non_exhaustive = non_exhaustive();
    let item = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #non_exhaustive
        pub enum #ident {
            #(#items)*
            /// A kind this api-version does not know, as raw JSON.
            Other(serde_json::Value),
        }


        #(#froms)*
    };
    Emitted { item, codec }
}
