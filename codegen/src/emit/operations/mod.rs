//! Operations: one module per operation group (`operations/{group}.rs`) with a borrowed group
//! struct whose methods are the group's operations, and `operations/pages.rs`.
//!
//! Each operation becomes two functions: a private, synchronous `*_request` that validates every
//! parameter and builds the runtime's request description ([`request`]), and the public call
//! ([`call`]):
//! - plain operations: `async fn name(..) -> Result<T, Error>`;
//! - long-running ones: `async fn begin_name(..) -> Result<Poller<T>, Error>`, and
//!   `fn resume_name(token) -> Result<Poller<T>, Error>` to continue one from a resume token
//!   ([`resume`]);
//! - pageable ones: `fn name(..) -> Pager<Page>` (no request until the stream is polled; an
//!   invalid parameter is the stream's first item).
//!
//! Generated functions are not generic: string parameters are `&str`, bodies `&Model`. The
//! request path, retries, polling and paging are the runtime's, written once.

mod call;
mod pages;
mod request;
mod resume;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, prose};
use super::types::{primitive_type, qualified_type};
use crate::plan::{GroupPlan, OperationPlan, ParamKind, ParamPlan, Plan};

pub(super) use call::final_state_variant;
pub use pages::emit_pages;

/// `operations/mod.rs`: the group modules, re-exported.
pub fn emit_operations_mod(plan: &Plan<'_>) -> TokenStream {
    let modules: Vec<_> = plan
        .groups
        .iter()
        .map(|g| format_ident!("{}", g.module))
        .collect();
    let reach = match plan.groups.first() {
        Some(group) => format!(" [`Client`](crate::Client): `client.{}()`.", group.accessor),
        None => " [`Client`](crate::Client) (this spec has none).".to_owned(),
    };
    quote! {
        //! The operations of the API, one module per operation group. Reach them from
        #![doc = #reach]
        #(#[rustfmt::skip] mod #modules;)*
        #[rustfmt::skip]
        mod pages;
        #(pub use self::#modules::*;)*
    }
}

/// One group's module.
pub fn emit_group(plan: &Plan<'_>, group: &GroupPlan<'_>) -> TokenStream {
    let ident = format_ident!("{}", group.ident);
    let module_doc = format!(" The `{}` operations.", group.name);
    let struct_doc = format!(
        " The `{}` operations; reach them with [`Client::{}`](crate::Client::{}).",
        group.name, group.accessor, group.accessor
    );
    let methods: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|operation| {
            let public = call::emit_public_call(plan, group, operation);
            let request = request::emit_request_builder(plan, operation);
            let resume = resume::emit_resume(plan, operation);
            quote!(#public #resume #request)
        })
        .collect();
    let options: Vec<TokenStream> = group
        .operations
        .iter()
        .filter(|operation| !operation.optional.is_empty())
        .map(emit_options)
        .collect();
    let body = quote!(#(#methods)* #(#options)*);
    let runtime_items: Vec<syn::Ident> =
        ["Error", "Method", "Pager", "Poller", "PathValue", "Request"]
            .into_iter()
            .filter(|item| super::names_ident(&body, item))
            .map(|item| format_ident!("{}", item))
            .collect();
    // A required body of a plain string or list type is taken as `&String` / `&Vec<_>`, as for
    // every other body type, which clippy's `ptr_arg` would rather see as a slice.
    let ptr_arg = group.operations.iter().any(|operation| {
        operation.body.as_ref().is_some_and(|body| {
            let ty = qualified_type(&body.param.ty, plan).to_string();
            body.param.required && (ty == "String" || ty.starts_with("Vec <"))
        })
    });
    let ptr_arg_allow = ptr_arg.then(|| quote!(#[allow(clippy::ptr_arg)]));
    let models_import = super::names_ident(&body, "models").then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #![doc = #module_doc]
        use azrm_runtime::{#(#runtime_items),*};
        #models_import

        #[doc = #struct_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ident<'a> {
            client: &'a azrm_runtime::Client,
        }

        // ARM paths nest deeply: an operation may take more parameters than clippy's default.
        #[allow(clippy::too_many_arguments)]
        #ptr_arg_allow
        impl<'a> #ident<'a> {
            pub(crate) fn new(client: &'a azrm_runtime::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#options)*
    }
}

/// The argument list of an operation's method and request builder: the required parameters,
/// the body, then the options struct holding the optional parameters (when there are any).
fn arguments(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = operation
        .required
        .iter()
        .map(|param| {
            let (ident, ty) = (format_ident!("{}", param.ident), arg_type(param));
            quote!(#ident: #ty)
        })
        .collect();
    if let Some(body) = &operation.body {
        let ident = format_ident!("{}", body.ident);
        let ty = qualified_type(&body.param.ty, plan);
        args.push(if body.param.required {
            quote!(#ident: &#ty)
        } else {
            quote!(#ident: Option<&#ty>)
        });
    }
    if !operation.optional.is_empty() {
        let options = format_ident!("{}", operation.options_ident);
        args.push(quote!(options: &#options));
    }
    args
}

/// The type a parameter's argument is passed as.
fn arg_type(param: &ParamPlan<'_>) -> TokenStream {
    match &param.kind {
        ParamKind::Validated(_) | ParamKind::Text => quote!(&str),
        ParamKind::Enum(ty) => {
            let ty = format_ident!("{}", ty);
            quote!(&models::#ty)
        }
        ParamKind::Scalar(primitive) => primitive_type(*primitive),
        ParamKind::List(_) => quote!(&[String]),
    }
}

/// The type of a parameter's field in an options struct (wrapped in `Option`).
fn option_type(param: &ParamPlan<'_>) -> TokenStream {
    match &param.kind {
        ParamKind::Validated(_) | ParamKind::Text => quote!(String),
        ParamKind::Enum(ty) => {
            let ty = format_ident!("{}", ty);
            quote!(models::#ty)
        }
        ParamKind::Scalar(primitive) => primitive_type(*primitive),
        ParamKind::List(_) => quote!(Vec<String>),
    }
}

/// The options struct of an operation with optional parameters.
fn emit_options(operation: &OperationPlan<'_>) -> TokenStream {
    let ident = format_ident!("{}", operation.options_ident);
    let doc = format!(
        " Optional parameters of `{}` ({}).",
        operation.method,
        code(&operation.op.id)
    );
    let fields = operation.optional.iter().map(|param| {
        let (name, ty) = (format_ident!("{}", param.ident), option_type(param));
        let doc = doc_attrs(&[
            param.param.description.as_deref().map_or_else(
                || format!("The {} parameter.", code(&param.param.wire_name)),
                prose,
            ),
            param
                .param
                .client_default
                .as_deref()
                .map(|default| {
                    format!(
                        "Unset, {} is sent (the spec's client default).",
                        code(default)
                    )
                })
                .unwrap_or_default(),
        ]);
        quote! {
            #doc
            pub #name: Option<#ty>,
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct #ident {
            #(#fields)*
        }
    }
}
