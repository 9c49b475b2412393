//! The public method of each operation: the call itself (decode the body, return nothing,
//! report existence, hand out a file's body unread, start a poller, or build a pager), with the
//! doc comment of [`call_docs`](super::call_docs).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::call_docs::{DocContext, operation_doc};
use super::{Arguments, arguments};
use crate::emit::docs::doc_attrs;
use crate::emit::types::{WireFormat, qualified_type};
use crate::ir::FinalStateVia;
use crate::plan::{
    Capture, GroupPlan, LongRunningPlan, NextArg, NextPagePlan, OperationPlan, PagerPlan, Plan,
    ResultKind,
};

/// The public method of `operation`.
pub fn emit_public_call(
    plan: &Plan<'_>,
    group: &GroupPlan<'_>,
    operation: &OperationPlan<'_>,
    docs: &DocContext<'_>,
) -> TokenStream {
    let ident = format_ident!("{}", operation.method);
    let request_fn = format_ident!("{}", operation.request_fn);
    let operation_id = &operation.op.id;
    let args = arguments(plan, operation, Arguments::Public);
    let forwarded: Vec<TokenStream> = operation
        .required
        .iter()
        .map(|param| param.ident.as_str())
        .chain(operation.body.iter().map(|body| body.ident.as_str()))
        .map(|name| {
            let ident = format_ident!("{}", name);
            quote!(#ident)
        })
        .chain((!operation.optional.is_empty()).then(|| quote!(&options)))
        .collect();
    let doc = doc_attrs(&operation_doc(plan, group, operation, docs));
    // Every call starts the same: its options, then its request with the call options.
    let request = quote! {
        let options = options.unwrap_or_default();
        let request = self.#request_fn(#(#forwarded),*)?.with_call(options.call);
    };
    match &operation.result {
        ResultKind::Model { ty, optional } => {
            let wire = WireFormat::of(ty);
            let ty = qualified_type(ty, plan);
            let result = if *optional { quote!(Option<#ty>) } else { ty };
            // A date-time or base64 result is read in its wire format, then unwrapped.
            let read = match (wire, optional) {
                (None, _) => quote!(self.client.send(request).await?.into_response(#operation_id)),
                (Some(wire), false) => {
                    let value = wire.value_type();
                    quote! {
                        let response = self.client.send(request).await?;
                        let value: azrm_runtime::#value = response.json(#operation_id)?;
                        Ok(response.with_model(value.0))
                    }
                }
                (Some(wire), true) => {
                    let value = wire.value_type();
                    quote! {
                        let response = self.client.send(request).await?;
                        let value: Option<azrm_runtime::#value> = response.json(#operation_id)?;
                        Ok(response.with_model(value.map(|value| value.0)))
                    }
                }
            };
            quote! {
                #doc
                pub async fn #ident(&self, #(#args),*) -> Result<Response<#result>, Error> {
                    #request
                    #read
                }
            }
        }
        ResultKind::Empty => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<Response<()>, Error> {
                #request
                Ok(self.client.send(request).await?.with_model(()))
            }
        },
        ResultKind::File { .. } => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<Response<BodyStream>, Error> {
                #request
                self.client.send_streamed(request).await
            }
        },
        ResultKind::Exists => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<Response<bool>, Error> {
                #request
                let response = self.client.send(request).await?;
                let exists = response.status() != 404;
                Ok(response.with_model(exists))
            }
        },
        ResultKind::LongRunning(long_running) => {
            let result = long_running_result(plan, long_running);
            let via = match long_running.final_state_via {
                Some(via) => {
                    let variant = format_ident!("{}", final_state_variant(via));
                    quote!(Some(azrm_runtime::FinalStateVia::#variant))
                }
                None => quote!(None),
            };
            quote! {
                #doc
                pub async fn #ident(&self, #(#args),*) -> Result<Poller<#result>, Error> {
                    #request
                    let response = self.client.send(request.clone()).await?;
                    let lro = azrm_runtime::LroOptions { final_state_via: #via };
                    let poll_interval = request.call.poll_interval();
                    Ok(Poller::start(self.client.clone(), &request, response, lro)?
                        .with_poll_interval(poll_interval))
                }
            }
        }
        ResultKind::Pageable { page, pager } => {
            let result = qualified_type(&crate::ir::TypeRef::Named(page.clone()), plan);
            let start = quote!(self.#request_fn(#(#forwarded),*));
            let options = quote!(let options = options.unwrap_or_default(););
            match pager {
                PagerPlan::Plain | PagerPlan::Single => {
                    let constructor = match pager {
                        PagerPlan::Single => quote!(single_page),
                        _ => quote!(new),
                    };
                    quote! {
                        #doc
                        pub fn #ident(&self, #(#args),*) -> Pager<#result> {
                            #options
                            match #start {
                                Ok(request) => Pager::#constructor(
                                    self.client.clone(),
                                    request.with_call(options.call),
                                ),
                                Err(error) => Pager::from_error(error),
                            }
                        }
                    }
                }
                PagerPlan::WithNext(next) => {
                    let captures = next.captures.iter().map(capture);
                    let closure = next_request_closure(group, next);
                    quote! {
                        #doc
                        pub fn #ident(&self, #(#args),*) -> Pager<#result> {
                            #options
                            let first = match #start {
                                Ok(request) => request,
                                Err(error) => return Pager::from_error(error),
                            };
                            let client = self.client.clone();
                            #(#captures)*
                            let call = options.call;
                            let first = first.with_call(call.clone());
                            Pager::with_next_request(self.client.clone(), first, #closure)
                        }
                    }
                }
            }
        }
    }
}

/// The type a long-running operation's poller yields.
pub(super) fn long_running_result(plan: &Plan<'_>, long_running: &LongRunningPlan) -> TokenStream {
    match &long_running.result {
        None => quote!(()),
        Some(ty) => {
            let ty = qualified_type(ty, plan);
            if long_running.optional {
                quote!(Option<#ty>)
            } else {
                ty
            }
        }
    }
}

/// The runtime's name of a `final-state-via`.
pub(crate) fn final_state_variant(via: FinalStateVia) -> &'static str {
    match via {
        FinalStateVia::AzureAsyncOperation => "AzureAsyncOperation",
        FinalStateVia::Location => "Location",
        FinalStateVia::OriginalUri => "OriginalUri",
        FinalStateVia::OperationLocation => "OperationLocation",
    }
}

/// A statement keeping something of the first call for the next-page requests.
fn capture(capture: &Capture) -> TokenStream {
    match capture {
        Capture::Owned(name) => {
            let ident = format_ident!("{}", name);
            quote!(let #ident = #ident.to_owned();)
        }
        Capture::Cloned(name) => {
            let ident = format_ident!("{}", name);
            quote!(let #ident = #ident.clone();)
        }
        Capture::ClonedOption(name) => {
            let ident = format_ident!("{}", name);
            quote!(let #ident = #ident.cloned();)
        }
        Capture::Options { ident, fields } => {
            let options_type = format_ident!("{}", ident);
            let fields = fields.iter().map(|(field, mine)| {
                let (field, mine) = (format_ident!("{}", field), format_ident!("{}", mine));
                quote!(#field: options.#mine.clone(),)
            });
            quote!(let next_options = #options_type { #(#fields)* ..Default::default() };)
        }
    }
}

/// The closure building the next-page request from a page's next link.
fn next_request_closure(group: &GroupPlan<'_>, next: &NextPagePlan) -> TokenStream {
    let link = format_ident!("next_page_link");
    let args = next.args.iter().map(|arg| match arg {
        NextArg::Link => quote!(#link),
        NextArg::Value(name) => {
            let ident = format_ident!("{}", name);
            quote!(#ident)
        }
        NextArg::Ref(name) => {
            let ident = format_ident!("{}", name);
            quote!(&#ident)
        }
        NextArg::SomeRef(name) => {
            let ident = format_ident!("{}", name);
            quote!(Some(&#ident))
        }
        NextArg::AsRef(name) => {
            let ident = format_ident!("{}", name);
            quote!(#ident.as_ref())
        }
        NextArg::NoBody => quote!(None),
        NextArg::Options => quote!(&next_options),
    });
    let group_type = format_ident!("{}", group.ident);
    let request_fn = format_ident!("{}", next.request_fn);
    // The next operation may not take the link at all (it ignores it, as autorest clients do).
    let link_param = if next.takes_link {
        quote!(#link)
    } else {
        quote!(_)
    };
    quote! {
        move |#link_param: &str| {
            Ok(#group_type::new(&client).#request_fn(#(#args),*)?.with_call(call.clone()))
        }
    }
}
