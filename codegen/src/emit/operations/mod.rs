//! Operations: one module per operation group (`operations/{group}.rs`) with a borrowed group
//! struct whose methods are the group's operations, and `operations/pages.rs`.
//!
//! Each operation becomes two functions: a private, synchronous `*_request` that validates every
//! parameter and builds the runtime's request description ([`request`]), and the public call
//! ([`call`]), whose last argument is always `options: Option<{Group}{Operation}Options>` (the
//! optional parameters and the runtime's `CallOptions`, so a parameter added by a later
//! api-version changes no signature):
//! - plain operations: `async fn name(..) -> Result<Response<T>, Error>` (`T` is `()` for an
//!   operation without a result, `bool` for an existence check);
//! - long-running ones: `async fn begin_name(..) -> Result<Poller<T>, Error>`, and
//!   `fn resume_name(token) -> Result<Poller<T>, Error>` to continue one from a resume token
//!   ([`resume`]);
//! - pageable ones: `fn name(..) -> Pager<Page>` (no request until the stream is polled; an
//!   invalid parameter is the stream's first item).
//!
//! Generated functions are not generic: string parameters are `&str`, bodies `&Model`. The
//! request path, retries, polling and paging are the runtime's, written once.

mod call;
mod call_docs;
mod pages;
mod request;
mod resume;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, prose};
use super::types::{primitive_type, qualified_type};
use crate::plan::{GroupPlan, OperationPlan, ParamKind, ParamPlan, Plan, ResultKind};

pub(super) use call::final_state_variant;
pub use call_docs::DocContext;
pub use pages::emit_pages;
pub(super) use request::check;

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
pub fn emit_group(plan: &Plan<'_>, group: &GroupPlan<'_>, docs: &DocContext<'_>) -> TokenStream {
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
            let public = call::emit_public_call(plan, group, operation, docs);
            let request = request::emit_request_builder(plan, operation);
            let resume = resume::emit_resume(plan, operation);
            quote!(#public #resume #request)
        })
        .collect();
    let options: Vec<TokenStream> = group
        .operations
        .iter()
        .map(|operation| {
            let options = emit_options(operation);
            let headers = emit_response_headers(plan, operation);
            quote!(#options #headers)
        })
        .collect();
    let body = quote!(#(#methods)* #(#options)*);
    let runtime_items: Vec<syn::Ident> = [
        "BodyStream",
        "CallOptions",
        "Error",
        "Method",
        "Pager",
        "Poller",
        "PathValue",
        "Request",
        "Response",
    ]
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

/// Which function an argument list is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Arguments {
    /// The public method: its options are `Option<XOptions>`, always.
    Public,
    /// The request builder: `&XOptions`, when the operation has optional parameters.
    Request,
}

/// The argument list of an operation's method or request builder: the required parameters,
/// the body, then the options.
fn arguments(plan: &Plan<'_>, operation: &OperationPlan<'_>, shape: Arguments) -> Vec<TokenStream> {
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
    let options = format_ident!("{}", operation.options_ident);
    match shape {
        Arguments::Public => args.push(quote!(options: Option<#options>)),
        Arguments::Request if !operation.optional.is_empty() => {
            args.push(quote!(options: &#options));
        }
        Arguments::Request => {}
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
        ParamKind::HeaderCollection(_) => quote!(&std::collections::BTreeMap<String, String>),
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
        ParamKind::HeaderCollection(_) => quote!(std::collections::BTreeMap<String, String>),
    }
}

/// The options struct of an operation: its optional parameters, the runtime's `CallOptions`,
/// and a `with_*` setter for each (those of the call options from the runtime's
/// `call_option_setters!`, the poll interval only on a long-running operation). `#[non_exhaustive]`: made with `Default` and the setters, so a field added later
/// breaks no caller.
fn emit_options(operation: &OperationPlan<'_>) -> TokenStream {
    let ident = format_ident!("{}", operation.options_ident);
    let doc = format!(
        " Options of `{}` ({}): {}the [`CallOptions`] of the call. `Default` is none; set them \
         with the `with_*` methods.",
        operation.method,
        code(&operation.op.id),
        if operation.optional.is_empty() {
            ""
        } else {
            "its optional parameters and "
        }
    );
    let fields = operation.optional.iter().map(|param| {
        let (name, ty) = (format_ident!("{}", param.ident), option_type(param));
        let doc = doc_attrs(&[
            param_doc(param),
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
    let setters = operation.optional.iter().map(|param| {
        let name = format_ident!("{}", param.ident);
        let setter = format_ident!("with_{}", param.ident);
        let doc = format!(" Sets `{}`: {}", param.ident, param_doc(param));
        let (arg, value) = match &param.kind {
            ParamKind::Validated(_) | ParamKind::Text => {
                (quote!(impl Into<String>), quote!(#name.into()))
            }
            _ => (option_type(param), quote!(#name)),
        };
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, #name: #arg) -> Self {
                self.#name = Some(#value);
                self
            }
        }
    });
    let call_setters = if matches!(operation.result, ResultKind::LongRunning(_)) {
        quote!(azrm_runtime::call_option_setters!(#ident, long_running);)
    } else {
        quote!(azrm_runtime::call_option_setters!(#ident);)
    };
    let setters = (!operation.optional.is_empty()).then(|| {
        quote! {
            impl #ident {
                #(#setters)*
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #ident {
            #(#fields)*
            /// Headers, timeout, client request id and retries of this call.
            pub call: CallOptions,
        }

        #setters
        #call_setters
    }
}

/// The extension trait of an operation's `Response` with one accessor per response header the
/// spec declares, if it declares any.
fn emit_response_headers(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> Option<TokenStream> {
    let headers = operation.response_headers.as_ref()?;
    let model = match &operation.result {
        ResultKind::Model { ty, optional } => {
            let ty = qualified_type(ty, plan);
            if *optional { quote!(Option<#ty>) } else { ty }
        }
        ResultKind::Empty => quote!(()),
        ResultKind::Exists => quote!(bool),
        ResultKind::File { .. } => quote!(BodyStream),
        ResultKind::LongRunning(_) | ResultKind::Pageable { .. } => return None,
    };
    let ident = format_ident!("{}", headers.ident);
    let doc = format!(
        " The response headers the spec declares for `{}` ({}), read from its [`Response`] once \
         this trait is in scope. Each is the header's text, `None` when the response does not \
         carry it.",
        operation.method,
        code(&operation.op.id),
    );
    let (declarations, definitions): (Vec<_>, Vec<_>) = headers
        .headers
        .iter()
        .map(|header| {
            let (wire, method) = (&header.wire, format_ident!("{}", header.method));
            match &header.collection_prefix {
                // `x-ms-header-collection-prefix`: every header with the prefix, by the rest of
                // its name.
                Some(prefix) => {
                    let doc = format!(
                        " The `{wire}` headers: every response header whose name starts with \
                         `{prefix}` (in any case), keyed by the rest of its name, in lower case; \
                         the values of a header sent more than once joined with `, `."
                    );
                    (
                        quote! {
                            #[doc = #doc]
                            fn #method(&self) -> std::collections::BTreeMap<String, String>;
                        },
                        quote! {
                            fn #method(&self) -> std::collections::BTreeMap<String, String> {
                                self.headers().collection(#prefix)
                            }
                        },
                    )
                }
                None => {
                    let doc = format!(" The `{wire}` header.");
                    (
                        quote! {
                            #[doc = #doc]
                            fn #method(&self) -> Option<&str>;
                        },
                        quote! {
                            fn #method(&self) -> Option<&str> {
                                self.header(#wire)
                            }
                        },
                    )
                }
            }
        })
        .unzip();
    Some(quote! {
        #[doc = #doc]
        pub trait #ident {
            #(#declarations)*
        }

        impl #ident for Response<#model> {
            #(#definitions)*
        }
    })
}

/// The doc of an optional parameter: the spec's description, or its wire name.
fn param_doc(param: &ParamPlan<'_>) -> String {
    param.param.description.as_deref().map_or_else(
        || format!("The {} parameter.", code(&param.param.wire_name)),
        prose,
    )
}
