//! An operation dispatch registry for workspace tests: one `async fn call` that runs any operation
//! of the generated crate by its operation id, taking every parameter by its spec name from a JSON
//! object (an example file's `parameters`), so tests driven by the spec's examples can reach every
//! operation without a hand-written list.
//!
//! Method names, argument order, options structs and result shapes come from the operations
//! emitter (`operations::method_names` and `operations::plan_call`), so the calls always match
//! the generated methods.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Names;
use super::operations::{self, CallPlan, Kind, ParamKind, ParamPlan, page_parts, qualified};
use crate::ir::{Api, Operation, TypeRef};
use crate::names::{Case, sanitize};

/// The dispatch registry module for the generated crate named `crate_name`.
pub fn emit_dispatch(api: &Api, crate_name: &str, names: &Names) -> TokenStream {
    let krate = format_ident!("{}", sanitize(crate_name, Case::Snake));
    let mut taken = HashSet::new();
    let mut functions = Vec::new();
    let mut arms = Vec::new();
    let mut entries = Vec::new();
    for group in operations::groups(api) {
        for (operation, shape, method) in operations::method_names(api, &group, names) {
            let mut function = format!("{}_{}", group.module, method);
            while !taken.insert(function.clone()) {
                function.push('_');
            }
            let function = format_ident!("{}", function);
            let id = &operation.id;
            let returns = returns(api, operation, &shape.kind, &shape.result);
            arms.push(quote!(#id => #function(client, parameters).await,));
            entries.push(quote!((#id, Returns::#returns),));
            let plan = operations::plan_call(api, operation, names);
            functions.push(emit_function(
                &krate,
                &function,
                &group.accessor,
                &method,
                &shape.kind,
                &plan,
                names,
            ));
        }
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
            P: arm_runtime::Page + Send + 'static,
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
fn returns(api: &Api, operation: &Operation, kind: &Kind, result: &TokenStream) -> TokenStream {
    match kind {
        Kind::Body => quote!(Body),
        Kind::Empty => quote!(Nothing),
        Kind::Exists => quote!(Exists),
        Kind::LongRunning => {
            let has_result = result.to_string() != "()";
            quote!(LongRunning(#has_result))
        }
        Kind::Pageable => {
            let items = operation
                .responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300))
                .find_map(|r| r.ty.as_ref().and_then(TypeRef::named))
                .and_then(|page| page_parts(api, page))
                .map_or("value", |parts| parts.items.wire_name.as_str());
            quote!(FirstPage(#items))
        }
    }
}

/// One operation's call: parameters decoded by spec name, the method called, the result encoded.
fn emit_function(
    krate: &syn::Ident,
    function: &syn::Ident,
    accessor: &str,
    method: &str,
    kind: &Kind,
    plan: &CallPlan<'_>,
    names: &Names,
) -> TokenStream {
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for (index, required) in plan.required.iter().enumerate() {
        let ident = format_ident!("a{}", index);
        let wire = &required.param.wire_name;
        lets.push(match &required.kind {
            ParamKind::Validated(_) | ParamKind::Text => {
                quote!(let #ident = text(p, #wire)?;)
            }
            ParamKind::Enum(ty) => quote!(let #ident: models::#ty = decode(p, #wire)?;),
            ParamKind::Scalar(ty) => quote!(let #ident: #ty = decode(p, #wire)?;),
        });
        args.push(match &required.kind {
            ParamKind::Scalar(_) => quote!(#ident),
            _ => quote!(&#ident),
        });
    }
    if let Some((body, _)) = &plan.body {
        let (wire, ty) = (&body.name, qualified(&body.ty, names));
        if body.required {
            lets.push(quote!(let body: #ty = decode(p, #wire)?;));
            args.push(quote!(&body));
        } else {
            lets.push(quote!(let body: Option<#ty> = optional(p, #wire)?;));
            args.push(quote!(body.as_ref()));
        }
    }
    if !plan.optional.is_empty() {
        let options = &plan.options_ident;
        let fields = plan.optional.iter().map(|optional: &ParamPlan<'_>| {
            let (ident, wire) = (&optional.ident, &optional.param.wire_name);
            match &optional.kind {
                ParamKind::Validated(_) | ParamKind::Text => {
                    quote!(#ident: optional_text(p, #wire)?,)
                }
                ParamKind::Enum(_) | ParamKind::Scalar(_) => {
                    quote!(#ident: optional(p, #wire)?,)
                }
            }
        });
        lets.push(quote!(let options = #krate::operations::#options { #(#fields)* };));
        args.push(quote!(&options));
    }
    let (accessor, method) = (format_ident!("{}", accessor), format_ident!("{}", method));
    let call = quote!(client.#accessor().#method(#(#args),*));
    let result = match kind {
        Kind::Body => quote!(encode(&#call.await?)),
        Kind::Empty => quote! {
            #call.await?;
            Ok(Value::Null)
        },
        Kind::Exists => quote!(Ok(Value::Bool(#call.await?))),
        Kind::LongRunning => quote!(encode(&#call.await?.await?)),
        Kind::Pageable => quote!(first_page(#call).await),
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
