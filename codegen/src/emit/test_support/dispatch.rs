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

        /// An example's parameters by spec name.
        pub type Parameters = serde_json::Map<String, Value>;

        /// What [`call`] returns for an operation, as JSON.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Returns {
            /// The decoded response body (`null` when the success status has none).
            Body,
            /// Nothing: `null`.
            Nothing,
            /// Whether the resource exists: `true`, or `false` on `404`.
            Exists,
            /// The final result of the long-running operation, polled to completion; `true` when
            /// the operation has a result (else `null`).
            LongRunning(bool),
            /// The items of the first page, as an array; the page's property that holds them.
            FirstPage(&'static str),
        }

        /// Every operation id, grouped by operation group, with what [`call`] returns for it.
        pub const OPERATIONS: &[(&str, Returns)] = &[#(#entries)*];

        /// Why [`call`] did not return a result.
        #[derive(Debug)]
        pub enum CallError {
            /// A parameter is missing from the parameters or does not decode into its type.
            Parameter {
                /// The parameter's spec name.
                name: String,
                /// What is wrong with it.
                message: String,
            },
            /// The operation returned an error.
            Operation(#krate::Error),
            /// The result could not be serialized.
            Encode(String),
        }

        impl std::fmt::Display for CallError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    CallError::Parameter { name, message } => write!(f, "parameter {name:?}: {message}"),
                    CallError::Operation(error) => write!(f, "{error}"),
                    CallError::Encode(message) => write!(f, "the result cannot be serialized: {message}"),
                }
            }
        }

        impl From<#krate::Error> for CallError {
            fn from(error: #krate::Error) -> Self {
                CallError::Operation(error)
            }
        }

        /// Calls the operation `operation_id` with `parameters` (by spec name) and returns its
        /// result serialized as JSON (see [`Returns`]); `None` if there is no such operation.
        pub async fn call(
            client: &#krate::Client,
            operation_id: &str,
            parameters: &Parameters,
        ) -> Option<Result<Value, CallError>> {
            let result = match operation_id {
                #(#arms)*
                _ => return None,
            };
            Some(result)
        }

        #(#functions)*

        fn missing(name: &str) -> CallError {
            CallError::Parameter {
                name: name.to_owned(),
                message: "missing".to_owned(),
            }
        }

        /// A required parameter as text: a JSON string, or a number or boolean in JSON notation.
        fn text(parameters: &Parameters, name: &str) -> Result<String, CallError> {
            optional_text(parameters, name)?.ok_or_else(|| missing(name))
        }

        fn optional_text(parameters: &Parameters, name: &str) -> Result<Option<String>, CallError> {
            match parameters.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(value @ (Value::Number(_) | Value::Bool(_))) => Ok(Some(value.to_string())),
                Some(other) => Err(CallError::Parameter {
                    name: name.to_owned(),
                    message: format!("expected text, found {other}"),
                }),
            }
        }

        /// A required parameter decoded into its type.
        fn decode<T: serde::de::DeserializeOwned>(parameters: &Parameters, name: &str) -> Result<T, CallError> {
            optional(parameters, name)?.ok_or_else(|| missing(name))
        }

        /// An optional parameter decoded into its type; a scalar may also be given as text.
        fn optional<T: serde::de::DeserializeOwned>(
            parameters: &Parameters,
            name: &str,
        ) -> Result<Option<T>, CallError> {
            let value = match parameters.get(name) {
                None | Some(Value::Null) => return Ok(None),
                Some(value) => value,
            };
            match serde_path_to_error::deserialize(value) {
                Ok(decoded) => Ok(Some(decoded)),
                Err(error) => {
                    if let Some(decoded) = value.as_str().and_then(|text| serde_json::from_str(text).ok()) {
                        return Ok(Some(decoded));
                    }
                    Err(CallError::Parameter {
                        name: name.to_owned(),
                        message: format!("does not decode at {}: {}", error.path(), error.inner()),
                    })
                }
            }
        }

        fn encode<T: serde::Serialize>(value: &T) -> Result<Value, CallError> {
            serde_json::to_value(value).map_err(|error| CallError::Encode(error.to_string()))
        }

        /// The items of the first page of `pager`.
        async fn first_page<P>(pager: #krate::Pager<P>) -> Result<Value, CallError>
        where
            P: azrm_runtime::Page + Send + 'static,
            P::Item: serde::Serialize + Send + 'static,
        {
            use futures::StreamExt as _;
            let mut pages = std::pin::pin!(pager.pages());
            let items = pages.next().await.transpose()?.unwrap_or_default();
            encode(&items)
        }
    }
}

/// The `Returns` variant of an operation.
fn returns(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> TokenStream {
    match &operation.result {
        ResultKind::Model { .. } => quote!(Body),
        ResultKind::Empty => quote!(Nothing),
        ResultKind::Exists => quote!(Exists),
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
                ParamKind::Enum(_) | ParamKind::Scalar(_) => {
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
