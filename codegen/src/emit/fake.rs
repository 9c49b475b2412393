//! `fake.rs` (behind the generated crate's `fake` feature): the route table the local ARM
//! endpoint (crate `azrm-local-endpoint`) serves, an `Endpoint` that starts it for this API, and
//! one fake per operation group whose `on_*` methods override an operation with a typed handler.
//!
//! What each route does is derived from its method and path shape, never from names:
//! `PUT` stores, `PATCH` merges, `DELETE` removes, `HEAD` checks, `POST` is an action answered
//! from the spec's example, and `GET` reads one resource or, when pageable, lists a collection.

use std::collections::HashSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::docs::code;
use super::operations::final_state_variant;
use super::skeleton::skeleton;
use super::types::{primitive_type, qualified_type};
use crate::examples::Examples;
use crate::ir::{
    Api, FinalStateVia, Method, Operation, ParamLocation, StructDef, TypeKind, TypeRef,
};
use crate::names::{Case, sanitize};
use crate::plan::{FakeResult, GroupPlan, OperationPlan, ParamKind, Plan};

/// What a route does, as the endpoint's `Behaviour` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    CreateOrReplace,
    Update,
    Read,
    List,
    Delete,
    Exists,
    Action,
}

impl Behaviour {
    fn of(operation: &Operation) -> Option<Behaviour> {
        Some(match operation.method {
            Method::Put => Behaviour::CreateOrReplace,
            Method::Patch => Behaviour::Update,
            Method::Delete => Behaviour::Delete,
            Method::Head => Behaviour::Exists,
            Method::Post => Behaviour::Action,
            Method::Get if operation.pageable.is_some() => Behaviour::List,
            Method::Get => Behaviour::Read,
            Method::Options => return None,
        })
    }

    fn tokens(self) -> TokenStream {
        match self {
            Behaviour::CreateOrReplace => quote!(Behaviour::CreateOrReplace),
            Behaviour::Update => quote!(Behaviour::Update),
            Behaviour::Read => quote!(Behaviour::Read),
            Behaviour::List => quote!(Behaviour::List),
            Behaviour::Delete => quote!(Behaviour::Delete),
            Behaviour::Exists => quote!(Behaviour::Exists),
            Behaviour::Action => quote!(Behaviour::Action),
        }
    }
}

/// The resource type a path names: the provider namespace and the literal segments after the
/// last `providers` (`Microsoft.X/widgets/parts`), parameters left out.
fn resource_type(path: &str) -> Option<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let providers = segments
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("providers"))?;
    let literals: Vec<String> = segments[providers + 1..]
        .iter()
        .filter(|s| !s.starts_with('{'))
        .map(|s| s.to_ascii_lowercase())
        .collect();
    Some(literals.join("/"))
}

fn ends_with_parameter(path: &str) -> bool {
    path.trim_end_matches('/').ends_with('}')
}

/// The resource types that `PUT` stores: lists of these are served from what was stored.
fn stored_types(api: &Api) -> HashSet<String> {
    api.operations
        .iter()
        .filter(|op| op.method == Method::Put && ends_with_parameter(&op.path))
        .filter_map(|op| resource_type(&op.path))
        .collect()
}

/// Whether a route answers from the spec's example: actions, singleton reads (a path ending in
/// a literal segment), and lists of things no `PUT` stores (usages, metrics, ...).
fn serves_example(behaviour: Behaviour, operation: &Operation, stored: &HashSet<String>) -> bool {
    match behaviour {
        Behaviour::Action => true,
        Behaviour::Read => !ends_with_parameter(&operation.path),
        Behaviour::List => resource_type(&operation.path).is_none_or(|ty| !stored.contains(&ty)),
        _ => false,
    }
}

/// What the endpoint answers a route with when nothing is stored: the first success response
/// with a body among the operation's examples, else a placeholder built from the response model
/// (so a spec snapshot missing an example file still gets a body the client can decode).
fn example_response(api: &Api, examples: &Examples, operation: &Operation) -> Option<TokenStream> {
    let from_example = examples.of(&operation.id).iter().find_map(|example| {
        example
            .responses()
            .find_map(|(status, body)| Some((status, body.filter(|_| status < 300)?.clone())))
    });
    let (status, body) = from_example.or_else(|| {
        operation
            .responses
            .iter()
            .filter(|r| r.status.is_some_and(|s| s < 300))
            .find_map(|r| Some((r.status?, skeleton(api, r.ty.as_ref()?))))
    })?;
    let status = proc_macro2::Literal::u16_unsuffixed(status);
    let literal = raw_string(&compact_json(&body));
    Some(quote!(Some(ExampleResponse { status: #status, body: #literal })))
}

fn compact_json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A raw string literal holding `text` with as few `#` as it needs.
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| quote!(#text))
}

fn final_state_tokens(via: Option<FinalStateVia>) -> TokenStream {
    match via {
        None => quote!(None),
        Some(via) => {
            let variant = format_ident!("{}", final_state_variant(via));
            quote!(Some(FinalStateVia::#variant))
        }
    }
}

fn route(
    plan: &Plan<'_>,
    operation: &Operation,
    behaviour: Behaviour,
    example: Option<TokenStream>,
) -> TokenStream {
    let id = &operation.id;
    let method = super::http_method(operation.method);
    let path = &operation.path;
    let behaviour = behaviour.tokens();
    let mut statuses: Vec<u16> = operation
        .responses
        .iter()
        .filter_map(|r| r.status)
        .filter(|s| *s < 300)
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    let statuses = super::statuses(&statuses);
    let long_running = match &operation.long_running {
        Some(options) => {
            let via = final_state_tokens(options.final_state_via);
            quote!(Some(#via))
        }
        None => quote!(None),
    };
    let pageable = match &operation.pageable {
        Some(pageable) => {
            let item = &pageable.item_name;
            let next = match &pageable.next_link_name {
                Some(name) => quote!(Some(#name)),
                None => quote!(None),
            };
            quote!(Some(Pageable { item_name: #item, next_link_name: #next }))
        }
        None => quote!(None),
    };
    let example = example.unwrap_or_else(|| quote!(None));
    let provisioning_state = has_provisioning_state(plan.api, operation);
    let decode_body = match &operation.body {
        Some(body) => {
            let ty = qualified_type(&body.ty, plan);
            quote!(Some(decode_as::<#ty>))
        }
        None => quote!(None),
    };
    quote! {
        Route {
            operation_id: #id,
            method: #method,
            path_template: #path,
            behaviour: #behaviour,
            statuses: &[#(#statuses),*],
            long_running: #long_running,
            pageable: #pageable,
            example: #example,
            decode_body: #decode_body,
            provisioning_state: #provisioning_state,
        }
    }
}

/// Whether a success response of `operation` is a resource whose `properties` model has a
/// `provisioningState` property.
fn has_provisioning_state(api: &Api, operation: &Operation) -> bool {
    operation
        .responses
        .iter()
        .filter(|response| response.status.is_some_and(|status| status < 300))
        .filter_map(|response| struct_of(api, response.ty.as_ref()?))
        .filter_map(|resource| struct_of(api, field_type(resource, "properties")?))
        .any(|properties| field_type(properties, "provisioningState").is_some())
}

/// The struct `ty` names, if it names one.
fn struct_of<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a StructDef> {
    match ty {
        TypeRef::Named(name) => match &api.types.get(name)?.kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The type of the field of `s` named `wire_name` on the wire.
fn field_type<'a>(s: &'a StructDef, wire_name: &str) -> Option<&'a TypeRef> {
    s.fields
        .iter()
        .find(|field| field.wire_name == wire_name)
        .map(|field| &field.ty)
}

/// The `fake` module of the generated crate.
pub fn emit_fake(plan: &Plan<'_>, examples: &Examples) -> TokenStream {
    let api = plan.api;
    let stored = stored_types(api);
    let mut has_example = false;
    let routes: Vec<TokenStream> = api
        .operations
        .iter()
        .filter_map(|operation| {
            let behaviour = Behaviour::of(operation)?;
            let example = serves_example(behaviour, operation, &stored)
                .then(|| example_response(api, examples, operation))
                .flatten();
            has_example |= example.is_some();
            Some(route(plan, operation, behaviour, example))
        })
        .collect();
    let imports = route_imports(api, has_example);
    let accessors = plan.groups.iter().map(|group| {
        let method = format_ident!("{}", group.accessor);
        let ty = format_ident!("{}", group.fake_ident);
        let doc = format!(" Fakes for the `{}` operations.", group.name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #ty<'_> {
                #ty { endpoint: &self.inner }
            }
        }
    });
    let fakes: Vec<TokenStream> = plan
        .groups
        .iter()
        .map(|group| emit_group_fake(plan, group))
        .collect();
    // A spec whose fakes and routes name no model (files only) has no use for them.
    let named = quote!(#(#routes)* #(#fakes)*);
    let models_import = super::names_ident(&named, "models").then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        //! A local Azure Resource Manager endpoint for this API, and fakes for testing code that
        //! uses [`Client`] (feature `fake`).
        //!
        //! [`Endpoint::start`] serves every operation of the spec on loopback, over http and https,
        //! as ARM would: `PUT` stores, `GET` reads and lists (with paging), `PATCH` merges,
        //! `DELETE` removes, long-running operations answer with status monitors, actions answer
        //! with the spec's example responses. Each group's `on_*` methods replace an operation
        //! with a typed handler, so application code runs unchanged against
        //! [`Endpoint::client_builder`]: the handler receives the operation's request struct
        //! (path parameters by name, the body decoded as its model) and returns the operation's
        //! model, a [`FakePoller`] scripting a long-running operation's polls, [`FakePages`]
        //! scripting a list's pages, or a [`FakeError`].

        #imports
        #models_import
        use azrm_local_endpoint::{LocalEndpoint, LocalEndpointBuilder};
        use azrm_runtime::ClientBuilder;

        use crate::Client;

        pub use azrm_local_endpoint::{
            FakeError, FakePages, FakePoller, FakeRequest, FakeResponse, Fault, FaultRule,
            ServedRequest,
        };

        /// Every operation of the spec, as the local endpoint serves it.
        pub static ROUTES: &[Route] = &[#(#routes),*];

        /// A local ARM endpoint serving this API; stops when dropped.
        #[derive(Debug)]
        pub struct Endpoint {
            inner: LocalEndpoint,
        }

        impl Endpoint {
            /// Starts an endpoint on loopback with the default settings (random ports).
            pub async fn start() -> std::io::Result<Self> {
                Self::builder().start().await.map(Self::from)
            }

            /// Configures an endpoint for this API (ports, page size, polls until a long-running
            /// operation is done); `.start().await` it and wrap it with `Endpoint::from`.
            pub fn builder() -> LocalEndpointBuilder {
                LocalEndpoint::builder(ROUTES, crate::API_VERSION)
            }

            /// A client builder for `subscription_id` pointed at the endpoint's https URL,
            /// trusting its certificate, with its credential and no wait between polls.
            pub fn client_builder(&self, subscription_id: impl Into<String>) -> ClientBuilder<Client> {
                Client::builder(subscription_id)
                    .endpoint(self.inner.https_url())
                    .trust_certificate_pem(self.inner.ca_certificate_pem())
                    .credential(self.inner.credential())
                    .poll_interval(std::time::Duration::ZERO)
            }

            /// The local endpoint: URLs, certificate, credential, fault rules, request log.
            pub fn local(&self) -> &LocalEndpoint {
                &self.inner
            }

            #(#accessors)*
        }

        impl From<LocalEndpoint> for Endpoint {
            fn from(inner: LocalEndpoint) -> Self {
                Self { inner }
            }
        }

        #(#fakes)*
    }
}

/// The `use` lines the route table needs: only what it names, so small specs compile cleanly.
fn route_imports(api: &Api, has_example: bool) -> TokenStream {
    let any = |test: fn(&Operation) -> bool| api.operations.iter().any(test);
    let mut local = vec![quote!(Behaviour), quote!(Route)];
    if has_example {
        local.push(quote!(ExampleResponse));
    }
    if any(|op| op.pageable.is_some()) {
        local.push(quote!(Pageable));
    }
    if any(|op| op.body.is_some()) {
        local.push(quote!(decode_as));
    }
    let mut runtime = vec![quote!(Method)];
    if any(|op| {
        op.long_running
            .as_ref()
            .is_some_and(|lro| lro.final_state_via.is_some())
    }) {
        runtime.push(quote!(FinalStateVia));
    }
    quote! {
        use azrm_local_endpoint::{#(#local),*};
        use azrm_runtime::{#(#runtime),*};
    }
}

/// `{Group}Fake`: one `on_*` method per operation of the group, and the request struct each
/// one's handler receives.
fn emit_group_fake(plan: &Plan<'_>, group: &GroupPlan<'_>) -> TokenStream {
    let ty = format_ident!("{}", group.fake_ident);
    let doc = format!(
        " Overrides for the `{}` operations of an [`Endpoint`]; from [`Endpoint::{}`].",
        group.name, group.accessor
    );
    let requests = group
        .operations
        .iter()
        .map(|operation| emit_fake_request(plan, operation));
    let methods = group
        .operations
        .iter()
        .map(|operation| emit_fake_method(plan, operation));
    quote! {
        #(#requests)*

        #[doc = #doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ty<'a> {
            endpoint: &'a LocalEndpoint,
        }

        impl #ty<'_> {
            #(#methods)*
        }
    }
}

/// `on_{name}`: registers a typed handler of one operation, which receives its request struct
/// and returns what [`FakeResult`] says, or a `FakeError`.
fn emit_fake_method(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> TokenStream {
    let method = format_ident!("{}", operation.fake_method);
    let request = format_ident!("{}", operation.fake_request);
    let id = &operation.op.id;
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let (result, ok, respond, what) = match &operation.fake {
        FakeResult::Body { ty, status } => {
            let status = literal(*status);
            (
                qualified_type(ty, plan),
                quote!(value),
                quote!(FakeResponse::json(#status, &value).into()),
                "`Ok` is sent as the success response",
            )
        }
        FakeResult::Empty { status } => {
            let status = literal(*status);
            (
                quote!(()),
                quote!(()),
                quote!(FakeResponse::status(#status).into()),
                "`Ok` is sent as the success response",
            )
        }
        FakeResult::File {
            content_type,
            status,
        } => {
            let status = literal(*status);
            (
                quote!(Vec<u8>),
                quote!(bytes),
                quote!(FakeResponse::bytes(#status, #content_type, bytes).into()),
                "`Ok` is the file, sent as the success response",
            )
        }
        FakeResult::Exists => (
            quote!(bool),
            quote!(exists),
            quote!(FakeResponse::status(if exists { 200 } else { 404 }).into()),
            "`Ok(true)` is a 200, `Ok(false)` a 404",
        ),
        FakeResult::Polled { ty: Some(ty) } => {
            let ty = qualified_type(ty, plan);
            (
                quote!(FakePoller<#ty>),
                quote!(poller),
                quote!(poller.into_answer()),
                "`Ok` starts the long-running operation as the `FakePoller` scripts it (a bare \
                 result, `.into()`, succeeds at the first poll)",
            )
        }
        FakeResult::Polled { ty: None } => (
            quote!(FakePoller<()>),
            quote!(poller),
            quote!(poller.into_empty_answer()),
            "`Ok` starts the long-running operation as the `FakePoller` scripts it",
        ),
        FakeResult::Pages { item } => {
            let item = qualified_type(item, plan);
            (
                quote!(FakePages<#item>),
                quote!(pages),
                quote!(pages.into_answer()),
                "`Ok` answers with the `FakePages`' first page, whose `nextLink` leads to the next \
                 (a `Vec` of items, `.into()`, is one page)",
            )
        }
    };
    let doc = format!(
        " Answers {} with `handler`, which receives the request with its path parameters and \
         body decoded ([`{}`]; one that does not decode is a 400 naming the property, and the \
         handler is not called): {what}, `Err` as an ARM error.",
        code(id),
        operation.fake_request
    );
    quote! {
        #[doc = #doc]
        pub fn #method(
            &self,
            handler: impl Fn(#request) -> Result<#result, FakeError> + Send + Sync + 'static,
        ) {
            self.endpoint.on_scripted(#id, move |request| {
                match #request::decode(request).and_then(&handler) {
                    Ok(#ok) => #respond,
                    Err(error) => error.into(),
                }
            });
        }
    }
}

/// `{Group}{Name}Request`: an operation's request as a typed fake handler receives it, path
/// parameters by name (typed as the client takes them) and the body as its model.
fn emit_fake_request(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> TokenStream {
    let ident = format_ident!("{}", operation.fake_request);
    let id = &operation.op.id;
    let mut fields = Vec::new();
    let mut values = Vec::new();
    for param in operation
        .op
        .params
        .iter()
        .filter(|param| param.location == ParamLocation::Path)
    {
        let wire = &param.wire_name;
        let planned = operation
            .required
            .iter()
            .find(|planned| planned.param.wire_name == *wire);
        let (field, ty, value) = match planned.map(|planned| (&planned.ident, &planned.kind)) {
            Some((ident, ParamKind::Enum(name))) => {
                let name = format_ident!("{}", name);
                (
                    ident.clone(),
                    quote!(models::#name),
                    quote!(models::#name::from(request.path_text(#wire)?.as_str())),
                )
            }
            Some((ident, ParamKind::Scalar(primitive))) => {
                let ty = primitive_type(*primitive);
                (
                    ident.clone(),
                    ty.clone(),
                    quote!(request.path_value::<#ty>(#wire)?),
                )
            }
            // A list in a path segment arrives as the segment's text, separators included.
            // A header collection is never a path parameter (normalise refuses it).
            Some((
                ident,
                ParamKind::Validated(_)
                | ParamKind::Text
                | ParamKind::List(_)
                | ParamKind::HeaderCollection(_),
            )) => (
                ident.clone(),
                quote!(String),
                quote!(request.path_text(#wire)?),
            ),
            None => (
                sanitize(wire, Case::Snake),
                quote!(String),
                quote!(request.path_text(#wire)?),
            ),
        };
        let field = format_ident!("{}", field);
        let doc = format!(" Path parameter {}.", code(wire));
        fields.push(quote! {
            #[doc = #doc]
            pub #field: #ty,
        });
        values.push(quote!(#field: #value,));
    }
    if let Some(body) = &operation.body {
        let field = format_ident!("{}", body.ident);
        let ty = qualified_type(&body.param.ty, plan);
        let (ty, value) = if body.param.required {
            (ty.clone(), quote!(request.required_body_as::<#ty>()?))
        } else {
            (quote!(Option<#ty>), quote!(request.body_as::<#ty>()?))
        };
        fields.push(quote! {
            /// The body, decoded as its model.
            pub #field: #ty,
        });
        values.push(quote!(#field: #value,));
    }
    let doc = format!(
        " The request of {} as a typed fake handler receives it.",
        code(id)
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #ident {
            #(#fields)*
            /// The request as sent: query parameters, headers, the body as JSON.
            pub raw: FakeRequest,
        }

        impl #ident {
            /// Decodes `request`: a 400 ARM error naming the parameter or property that does
            /// not decode.
            fn decode(request: &FakeRequest) -> Result<Self, FakeError> {
                Ok(Self {
                    #(#values)*
                    raw: request.clone(),
                })
            }
        }
    }
}
