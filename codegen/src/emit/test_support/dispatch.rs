//! An operation dispatch registry for workspace tests: one `async fn call` that runs any operation
//! of the generated crate by its operation id, taking every parameter by its spec name from a JSON
//! object (an example file's `parameters`), so tests driven by the spec's examples can reach every
//! operation without a hand-written list.
//!
//! Method names, argument order, options structs and result shapes come from the plan, as the
//! operations emitter's do, so the calls always match the generated methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::types::{primitive_type, qualified_type};
use crate::names::{Case, sanitize};
use crate::plan::{GroupPlan, LongRunningPlan, OperationPlan, ParamKind, Plan, ResultKind};

/// The dispatch registry module for the generated crate named `crate_name`.
pub fn emit_dispatch(plan: &Plan<'_>, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", sanitize(crate_name, Case::Snake));
    let mut functions = Vec::new();
    let mut arms = Vec::new();
    let mut entries = Vec::new();
    for (group, operation) in plan.operations() {
        let function = format_ident!("{}", operation.dispatch_fn);
        let id = &operation.op.id;
        let returns = returns(plan, operation);
        arms.push(quote!(#id => #function(client, parameters).await,));
        entries.push(quote!((#id, Returns::#returns),));
        functions.push(emit_function(plan, &krate, group, operation));
    }
    quote! {
        //! Calls any operation of the generated crate by its operation id, with its parameters
        //! taken by spec name from a JSON object (an example file's `parameters`), for workspace
        //! tests.
        //!
        //! Long-running operations are polled to completion; pageable ones return the items of
        //! their first page only (a `nextLink` is not followed).

        #![allow(unused_imports)]
        use #krate::models;
        use serde_json::Value;

        use crate::dispatch::{
            CallError, Called, Parameters, Returns, decode, encode, first_page, optional,
            optional_text, text,
        };

        /// Every operation id, grouped by operation group, with what [`call`] returns for it.
        pub const OPERATIONS: &[(&str, Returns)] = &[#(#entries)*];

        /// Calls the operation `operation_id` with `parameters` (by spec name) through the
        /// generated client on `client`, and returns its result serialized as JSON (see
        /// [`Returns`]); `None` if there is no such operation.
        pub fn call<'a>(
            client: &'a azrm_runtime::Client,
            operation_id: &'a str,
            parameters: &'a Parameters,
        ) -> Called<'a> {
            Box::pin(async move {
                let client = &#krate::Client::from(client.clone());
                let result = match operation_id {
                    #(#arms)*
                    _ => return None,
                };
                Some(result)
            })
        }

        #(#functions)*
    }
}

/// The `Returns` variant of an operation.
fn returns(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> TokenStream {
    match &operation.result {
        ResultKind::Model { .. } => quote!(Body),
        ResultKind::Empty => quote!(Nothing),
        ResultKind::Exists => quote!(Exists),
        ResultKind::File { .. } => quote!(File),
        ResultKind::LongRunning(LongRunningPlan { result, .. }) => {
            let has_result = result.is_some();
            quote!(LongRunning(#has_result))
        }
        ResultKind::Pageable { page, .. } => {
            let items = plan.page(page).map_or("value", |page| page.items_wire);
            quote!(FirstPage(#items))
        }
    }
}

/// One operation's call: parameters decoded by spec name, the method called, the result encoded.
fn emit_function(
    plan: &Plan<'_>,
    krate: &syn::Ident,
    group: &GroupPlan<'_>,
    operation: &OperationPlan<'_>,
) -> TokenStream {
    let function = format_ident!("{}", operation.dispatch_fn);
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for (index, required) in operation.required.iter().enumerate() {
        let ident = format_ident!("a{}", index);
        let wire = &required.param.wire_name;
        lets.push(match &required.kind {
            ParamKind::Validated(_) | ParamKind::Text => {
                quote!(let #ident = text(p, #wire)?;)
            }
            ParamKind::Enum(ty) => {
                let ty = format_ident!("{}", ty);
                quote!(let #ident: models::#ty = decode(p, #wire)?;)
            }
            ParamKind::Scalar(primitive) => {
                let ty = primitive_type(*primitive);
                quote!(let #ident: #ty = decode(p, #wire)?;)
            }
            ParamKind::List(_) => quote!(let #ident: Vec<String> = decode(p, #wire)?;),
            ParamKind::HeaderCollection(_) => quote! {
                let #ident: std::collections::BTreeMap<String, String> = decode(p, #wire)?;
            },
        });
        args.push(match &required.kind {
            ParamKind::Scalar(_) => quote!(#ident),
            _ => quote!(&#ident),
        });
    }
    if let Some(body) = &operation.body {
        let (wire, ty) = (&body.param.name, qualified_type(&body.param.ty, plan));
        if body.param.required {
            lets.push(quote!(let body: #ty = decode(p, #wire)?;));
            args.push(quote!(&body));
        } else {
            lets.push(quote!(let body: Option<#ty> = optional(p, #wire)?;));
            args.push(quote!(body.as_ref()));
        }
    }
    if operation.optional.is_empty() {
        args.push(quote!(None));
    } else {
        // The options struct is `#[non_exhaustive]`: made with `Default`, then filled.
        let options = format_ident!("{}", operation.options_ident);
        let fields = operation.optional.iter().map(|optional| {
            let (ident, wire) = (
                format_ident!("{}", optional.ident),
                &optional.param.wire_name,
            );
            match &optional.kind {
                ParamKind::Validated(_) | ParamKind::Text => {
                    quote!(options.#ident = optional_text(p, #wire)?;)
                }
                ParamKind::Enum(_)
                | ParamKind::Scalar(_)
                | ParamKind::List(_)
                | ParamKind::HeaderCollection(_) => {
                    quote!(options.#ident = optional(p, #wire)?;)
                }
            }
        });
        lets.push(quote! {
            let mut options = #krate::operations::#options::default();
            #(#fields)*
        });
        args.push(quote!(Some(options)));
    }
    let (accessor, method) = (
        format_ident!("{}", group.accessor),
        format_ident!("{}", operation.method),
    );
    let call = quote!(client.#accessor().#method(#(#args),*));
    let result = match &operation.result {
        ResultKind::Model { .. } => quote!(encode(&#call.await?.into_model())),
        ResultKind::Empty => quote! {
            #call.await?;
            Ok(Value::Null)
        },
        ResultKind::Exists => quote!(Ok(Value::Bool(#call.await?.into_model()))),
        ResultKind::File { .. } => quote! {
            let file = #call.await?.into_model().collect().await?;
            Ok(Value::from(file.to_vec()))
        },
        ResultKind::LongRunning(_) => quote!(encode(&#call.await?.await?)),
        ResultKind::Pageable { .. } => quote!(first_page(#call).await),
    };
    let parameters = if lets.is_empty() {
        quote!(_: &Parameters)
    } else {
        quote!(p: &Parameters)
    };
    quote! {
        async fn #function(client: &#krate::Client, #parameters) -> Result<Value, CallError> {
            #(#lets)*
            #result
        }
    }
}
