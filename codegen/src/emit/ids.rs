//! `ids.rs`: a typed resource id per resource path template ([`crate::plan::IdsPlan`]), with
//! `parse`, `FromStr`, `Display` (the canonical id), its parent's and ancestors' ids, and an enum
//! of them all. Parsing and printing are the runtime's (`azrm_runtime::parse_resource_id`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, inner_doc_attrs, prose};
use crate::plan::{IdPlan, IdsPlan};

/// The `ids` module of the crate `crate_name`; `None` when the spec has no resource path.
pub fn emit_ids(ids: &IdsPlan, crate_name: &str) -> Option<TokenStream> {
    let example = ids.ids.iter().rev().max_by_key(|id| id.ancestors.len())?;
    let types = ids.ids.iter().map(|id| emit_id(id, ids));
    let any = emit_any(ids);
    let doc = inner_doc_attrs(&[
        "Typed resource ids: one type per resource path of the spec, whose fields are the \
         path's names, parsed from an ARM id (as a list or a `GET` returns it in `id`) and \
         printed back as one. Provider and type segments match in any case, as the service \
         spells them; names are percent-decoded when parsed and encoded when printed."
            .to_owned(),
        module_example(example, crate_name),
    ]);
    Some(quote! {
        #doc
        use std::fmt;
        use std::str::FromStr;

        use azrm_runtime::{fmt_resource_id, parse_resource_id};
        pub use azrm_runtime::{IdMismatch, ResourceIdError};

        #any
        #(#types)*
    })
}

/// A doctest that parses an id of `id`'s type, reads a name and prints the parent's id.
fn module_example(id: &IdPlan, crate_name: &str) -> String {
    let sample = |name: &str| name.replace('_', "-");
    let mut text = id.template.clone();
    for field in &id.fields {
        text = text.replace(&format!("{{{}}}", field.wire_name), &sample(&field.ident));
    }
    let last = id
        .fields
        .last()
        .map(|field| field.ident.as_str())
        .unwrap_or_default();
    let mut lines = vec![
        "```".to_owned(),
        format!("use {}::ids::{};", crate_name.replace('-', "_"), id.ident),
        String::new(),
        format!("let id: {} = \"{text}\".parse()?;", id.ident),
        format!("assert_eq!(id.{last}, \"{}\");", sample(last)),
        format!("assert_eq!(id.to_string().parse::<{}>()?, id);", id.ident),
    ];
    if id.parent.is_some() {
        lines.push("println!(\"in {}\", id.parent());".to_owned());
    }
    lines.push(format!(
        "# Ok::<(), {}::ids::ResourceIdError>(())",
        crate_name.replace('-', "_")
    ));
    lines.push("```".to_owned());
    lines.join("\n")
}

fn emit_id(id: &IdPlan, ids: &IdsPlan) -> TokenStream {
    let ident = format_ident!("{}", id.ident);
    let template = &id.template;
    let doc = doc_attrs(&[
        format!(
            "The id of a resource that {} reads: {}.",
            code(&id.operation),
            code(template)
        ),
        "Parse one with `parse` or `str::parse`; `Display` prints the canonical id.".to_owned(),
    ]);
    let fields: Vec<syn::Ident> = id
        .fields
        .iter()
        .map(|f| format_ident!("{}", f.ident))
        .collect();
    let field_docs = id.fields.iter().map(|field| {
        let what = field.description.as_deref().map_or_else(
            || format!("The `{{{}}}` of the path.", field.wire_name),
            prose,
        );
        doc_attrs(&[what])
    });
    let count = Literal::usize_unsuffixed(fields.len());
    let new_doc = format!(" An id from its {} names, in path order.", fields.len());
    let navigation = id.ancestors.iter().map(|(method, ancestor)| {
        let method = format_ident!("{}", method);
        let ancestor_ident = format_ident!("{}", ancestor);
        let ancestor_fields = ids
            .ids
            .iter()
            .find(|other| &other.ident == ancestor)
            .map(|other| {
                other
                    .fields
                    .iter()
                    .map(|f| format_ident!("{}", f.ident))
                    .collect()
            })
            .unwrap_or_else(Vec::new);
        let doc = format!(" The id of the `{ancestor}` this resource belongs to.");
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #ancestor_ident {
                #ancestor_ident {
                    #(#ancestor_fields: self.#ancestor_fields.clone(),)*
                }
            }
        }
    });
    let parent = id.parent.as_ref().map(|parent| {
        let parent_ident = format_ident!("{}", parent);
        let (method, _) = id
            .ancestors
            .iter()
            .find(|(_, ancestor)| ancestor == parent)
            .cloned()
            .unwrap_or_default();
        let method = format_ident!("{}", method);
        let doc = format!(" The id of the parent resource, a `{parent}`.");
        quote! {
            #[doc = #doc]
            pub fn parent(&self) -> #parent_ident {
                self.#method()
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #ident {
            #(#field_docs pub #fields: String,)*
        }

        impl #ident {
            /// The path template this id follows.
            pub const TEMPLATE: &'static str = #template;

            #[doc = #new_doc]
            pub fn new(#(#fields: impl Into<String>),*) -> Self {
                Self { #(#fields: #fields.into()),* }
            }

            /// Parses an ARM id of this resource type; the error names the id and what did not
            /// match.
            pub fn parse(id: &str) -> Result<Self, ResourceIdError> {
                let [#(#fields),*] = parse_resource_id::<#count>(id, Self::TEMPLATE)?;
                Ok(Self { #(#fields),* })
            }

            #parent
            #(#navigation)*
        }

        impl fmt::Display for #ident {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt_resource_id(f, Self::TEMPLATE, &[#(&self.#fields),*])
            }
        }

        impl FromStr for #ident {
            type Err = ResourceIdError;

            fn from_str(id: &str) -> Result<Self, Self::Err> {
                Self::parse(id)
            }
        }
    }
}

/// The enum of every id type, which parses an id of any of them.
fn emit_any(ids: &IdsPlan) -> TokenStream {
    let any = format_ident!("{}", ids.any);
    let variants: Vec<syn::Ident> = ids
        .ids
        .iter()
        .map(|id| format_ident!("{}", id.variant))
        .collect();
    let types: Vec<syn::Ident> = ids
        .ids
        .iter()
        .map(|id| format_ident!("{}", id.ident))
        .collect();
    let docs = ids.ids.iter().map(|id| format!(" A `{}`.", id.ident));
    quote! {
        /// The id of any resource type of this crate, for an id whose type is not known ahead:
        /// `parse` picks the type whose path the id follows.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #any {
            #(#[doc = #docs] #variants(#types),)*
        }

        impl #any {
            /// Parses an ARM id of any resource type of this crate.
            pub fn parse(id: &str) -> Result<Self, ResourceIdError> {
                #(
                    if let Ok(id) = #types::parse(id) {
                        return Ok(Self::#variants(id));
                    }
                )*
                Err(ResourceIdError::new(id, None, IdMismatch::UnknownType))
            }

            /// The path template of the id's type.
            pub fn template(&self) -> &'static str {
                match self {
                    #(Self::#variants(_) => #types::TEMPLATE,)*
                }
            }
        }

        impl fmt::Display for #any {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    #(Self::#variants(id) => id.fmt(f),)*
                }
            }
        }

        impl FromStr for #any {
            type Err = ResourceIdError;

            fn from_str(id: &str) -> Result<Self, Self::Err> {
                Self::parse(id)
            }
        }

        #(
            impl From<#types> for #any {
                fn from(id: #types) -> Self {
                    Self::#variants(id)
                }
            }
        )*
    }
}
