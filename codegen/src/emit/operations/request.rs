//! Request builders: the private, synchronous `*_request` of each operation, which validates
//! every parameter and the body, then describes the request for the runtime (method, path
//! template with a `PathValue` per placeholder, api-version, query and header pairs, body,
//! expected statuses).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Arguments, arguments};
use crate::emit::statuses;
use crate::emit::types::WireFormat;
use crate::emit::validate::number_checks;
use crate::ir::{CollectionFormat, Param, ParamLocation, Primitive};
use crate::plan::{OperationPlan, ParamKind, ParamPlan, PathSource, Plan, ResultKind};

/// The request builder of `operation`.
pub fn emit_request_builder(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> TokenStream {
    let op = operation.op;
    let request_fn = format_ident!("{}", operation.request_fn);
    let args = arguments(plan, operation, Arguments::Request);
    let operation_id = &op.id;
    let path_template = &op.path;
    let method = crate::emit::http_method(op.method);

    let client_checks = operation.client_checks.iter().map(|newtype| {
        let newtype = format_ident!("{}", newtype);
        quote!(crate::params::#newtype::check(self.client.subscription_id(), self.client.validation())?;)
    });
    let validation = quote!(self.client.validation());
    let required_checks = operation.required.iter().filter_map(|param| {
        let ident = format_ident!("{}", param.ident);
        check(&param.kind, param.param, &quote!(#ident), &validation)
    });
    let optional_checks = operation.optional.iter().filter_map(|param| {
        let ident = format_ident!("{}", param.ident);
        let check = check(&param.kind, param.param, &quote!(value), &validation)?;
        Some(match param.kind {
            // A number's check is a block of its own.
            ParamKind::Scalar(_) => quote!(if let Some(value) = options.#ident #check),
            _ => quote!(if let Some(value) = options.#ident.as_deref() { #check }),
        })
    });

    let path_values = path_values(operation);
    let query = pushes(operation, ParamLocation::Query, &quote!(query));
    let headers = pushes(operation, ParamLocation::Header, &quote!(headers));
    // A file is asked for by its content type, and JSON for an error; a header parameter of
    // the spec or the call's own headers may still replace it.
    let accept = match &operation.result {
        ResultKind::File { content_type } => {
            let accept = format!("{content_type}, application/json");
            quote!(request.headers.push(("accept", #accept.to_owned()));)
        }
        _ => quote!(),
    };

    let mut body_check = quote!();
    let body_assignment = match &operation.body {
        None => quote!(),
        Some(body) => {
            let ident = format_ident!("{}", body.ident);
            let wire = &body.param.name;
            let validate = |value: &TokenStream| {
                body.validates.then(|| {
                    quote!(azrm_runtime::Validate::validate(#value, &azrm_runtime::FieldPath::root(#wire).with_validation(self.client.validation()))?;)
                })
            };
            // A date-time or base64 body is written in its wire format.
            let encode = |value: TokenStream| match WireFormat::of(&body.param.ty) {
                Some(wire) => {
                    let ref_type = wire.ref_type();
                    quote!(azrm_runtime::json_body(&azrm_runtime::#ref_type(#value)))
                }
                None => quote!(azrm_runtime::json_body(#value)),
            };
            if body.param.required {
                let validate = validate(&quote!(#ident));
                body_check = quote!(#validate);
                let encode = encode(quote!(#ident));
                quote!(request.body = Some(#encode);)
            } else {
                if let Some(validate) = validate(&quote!(body)) {
                    body_check = quote!(if let Some(body) = #ident { #validate });
                }
                let encode = encode(quote!(body));
                quote!(request.body = #ident.map(|body| #encode);)
            }
        }
    };
    let expected = statuses(&operation.statuses);
    let api_version = if operation.sends_api_version {
        quote!(crate::API_VERSION)
    } else {
        quote!("")
    };
    let binding = if query.is_empty()
        && headers.is_empty()
        && accept.is_empty()
        && operation.body.is_none()
    {
        quote!(let)
    } else {
        quote!(let mut)
    };
    quote! {
        fn #request_fn(&self, #(#args),*) -> Result<Request, Error> {
            #(#client_checks)*
            #(#required_checks)*
            #(#optional_checks)*
            #body_check
            #binding request = Request::new(
                #operation_id,
                #method,
                #path_template,
                &[#(#path_values),*],
                #api_version,
                &[#(#expected),*],
            );
            #(#query)*
            #accept
            #(#headers)*
            #body_assignment
            Ok(request)
        }
    }
}

/// The check of `value` (a `&str`, or the number itself) of `param`, passed as `kind`, if the
/// parameter is validated: a constrained string by its newtype (under `validation`, the
/// client's `Validation`), a constrained number by its bounds, in place.
pub(crate) fn check(
    kind: &ParamKind,
    param: &Param,
    value: &TokenStream,
    validation: &TokenStream,
) -> Option<TokenStream> {
    match kind {
        ParamKind::Validated(newtype) => {
            let newtype = format_ident!("{}", newtype);
            Some(quote!(crate::params::#newtype::check(#value, #validation)?;))
        }
        ParamKind::Scalar(primitive) => {
            let number = match primitive {
                Primitive::I32 => quote!(f64::from(#value)),
                Primitive::I64 => quote!(#value as f64),
                Primitive::F64 => quote!(#value),
                _ => return None,
            };
            let checks = number_checks(&number, &param.number_constraints);
            let wire = &param.wire_name;
            (!checks.is_empty()).then(|| {
                quote! {{
                    let path = azrm_runtime::FieldPath::root(#wire);
                    #(#checks)*
                }}
            })
        }
        _ => None,
    }
}

/// `value` as a `&str` expression; `value` is the argument, or a reference to the option.
fn text(param: &ParamPlan<'_>, value: &TokenStream, from_option: bool) -> TokenStream {
    match &param.kind {
        ParamKind::Validated(_) | ParamKind::Text if from_option => quote!(#value.as_str()),
        ParamKind::Validated(_) | ParamKind::Text => quote!(#value),
        ParamKind::Enum(_) => quote!(#value.as_str()),
        ParamKind::Scalar(_) => quote!(&#value.to_string()),
        // `multi` goes item by item ([`pushes`]); in a path or header it is joined with `,`.
        ParamKind::List(format) => {
            let separator = format.separator().unwrap_or(",");
            quote!(&#value.join(#separator))
        }
        // Normalise allows the prefix on header parameters only, which [`pushes`] sends entry
        // by entry before asking for any text.
        ParamKind::HeaderCollection(_) => {
            unreachable!("a header collection is sent entry by entry, never as one value")
        }
    }
}

/// `value` as a `String` expression, for query and header pairs.
fn owned_text(param: &ParamPlan<'_>, value: &TokenStream, from_option: bool) -> TokenStream {
    match &param.kind {
        ParamKind::Scalar(_) => quote!(#value.to_string()),
        ParamKind::List(format) => {
            let separator = format.separator().unwrap_or(",");
            quote!(#value.join(#separator))
        }
        _ => {
            let text = text(param, value, from_option);
            quote!(#text.to_owned())
        }
    }
}

/// The statements adding the parameters at `location` (query or header) to the request's `field`
/// list: each required one, then each optional one that is set. A query value marked
/// `x-ms-skip-url-encoding` goes through `Request::push_verbatim_query` instead.
fn pushes(
    operation: &OperationPlan<'_>,
    location: ParamLocation,
    field: &TokenStream,
) -> Vec<TokenStream> {
    // The statement adding `value` of `param`: `owned` as a `String`, `borrowed` as a `&str`.
    let push = |param: &ParamPlan<'_>, owned: TokenStream, borrowed: TokenStream| {
        let wire = &param.param.wire_name;
        if location == ParamLocation::Query && param.param.skip_url_encoding {
            quote!(request.push_verbatim_query(#wire, #borrowed))
        } else {
            quote!(request.#field.push((#wire, #owned)))
        }
    };
    let required = operation
        .required
        .iter()
        .filter(|param| param.param.location == location)
        .map(|param| {
            let ident = format_ident!("{}", param.ident);
            if let ParamKind::HeaderCollection(prefix) = &param.kind {
                return quote!(request.push_header_collection(#prefix, #ident););
            }
            if is_multi(param, location) {
                let push = push(param, quote!(item.clone()), quote!(item));
                return quote! {
                    for item in #ident {
                        #push;
                    }
                };
            }
            let push = push(
                param,
                owned_text(param, &quote!(#ident), false),
                text(param, &quote!(#ident), false),
            );
            quote!(#push;)
        });
    let optional = operation
        .optional
        .iter()
        .filter(|param| param.param.location == location)
        .map(|param| {
            let ident = format_ident!("{}", param.ident);
            if let ParamKind::HeaderCollection(prefix) = &param.kind {
                return quote! {
                    if let Some(value) = &options.#ident {
                        request.push_header_collection(#prefix, value);
                    }
                };
            }
            if is_multi(param, location) {
                let push = push(param, quote!(item.clone()), quote!(item));
                return quote! {
                    for item in options.#ident.iter().flatten() {
                        #push;
                    }
                };
            }
            let set = push(
                param,
                owned_text(param, &quote!(value), true),
                text(param, &quote!(value), true),
            );
            match &param.param.client_default {
                // `x-ms-client-default`: sent when the caller gives no value.
                Some(default) => {
                    let unset = push(param, quote!(#default.to_owned()), quote!(#default));
                    quote! {
                        match &options.#ident {
                            Some(value) => #set,
                            None => #unset,
                        }
                    }
                }
                None => quote! {
                    if let Some(value) = &options.#ident {
                        #set;
                    }
                },
            }
        });
    // The client's values: a required one is there (the builder checked it; a client made
    // otherwise fails here, naming it), an optional one is sent when set.
    let client = operation
        .client_values
        .iter()
        .filter(|value| value.param.location == location)
        .map(|value| {
            let wire = &value.param.wire_name;
            let push = if location == ParamLocation::Query && value.param.skip_url_encoding {
                quote!(request.push_verbatim_query(#wire, value))
            } else {
                quote!(request.#field.push((#wire, value.to_owned())))
            };
            if value.required {
                quote! {
                    let value = self.client.required_client_value(#wire)?;
                    #push;
                }
            } else {
                quote! {
                    if let Some(value) = self.client.client_value(#wire) {
                        #push;
                    }
                }
            }
        });
    required.chain(optional).chain(client).collect()
}

/// The `PathValue` of each `{name}` of the operation's path, in order: percent-encoded unless
/// the spec says `x-ms-skip-url-encoding`.
fn path_values(operation: &OperationPlan<'_>) -> Vec<TokenStream> {
    operation
        .path_values
        .iter()
        .map(|value| {
            let text = match &value.source {
                PathSource::Subscription => quote!(self.client.subscription_id()),
                PathSource::ClientValue(wire) => {
                    quote!(self.client.required_client_value(#wire)?)
                }
                PathSource::Argument(index) => {
                    let param = &operation.required[*index];
                    let ident = format_ident!("{}", param.ident);
                    text(param, &quote!(#ident), false)
                }
                PathSource::Missing => quote!(""),
            };
            if value.verbatim {
                quote!(PathValue::Verbatim(#text))
            } else {
                quote!(PathValue::Segment(#text))
            }
        })
        .collect()
}

/// Whether `param` is a query array sent as one query parameter per item (`multi`).
fn is_multi(param: &ParamPlan<'_>, location: ParamLocation) -> bool {
    location == ParamLocation::Query && param.kind == ParamKind::List(CollectionFormat::Multi)
}
