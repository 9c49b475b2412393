//! Operations: one module per operation group (`operations/{group}.rs`) with a
//! borrowed group struct whose methods are the group's operations.
//!
//! Each operation becomes two functions: a private, synchronous `*_request` that validates every
//! parameter and builds the runtime's request description, and the public call:
//! - plain operations: `async fn name(..) -> Result<T, Error>`;
//! - long-running ones: `async fn begin_name(..) -> Result<Poller<T>, Error>`;
//! - pageable ones: `fn name(..) -> Pager<Page>` (no request until the stream is polled; an
//!   invalid parameter is the stream's first item).
//!
//! Generated functions are not generic: string parameters are `&str`, bodies `&Model`. The
//! request path, retries, polling and paging are the runtime's, written once.

use std::collections::{BTreeMap, HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, prose};
use super::types::rust_type;
use super::{Names, TypeGraph};
use crate::ir::{
    Api, FinalStateVia, Method, Operation, Param, ParamLocation, ParamRole, Primitive, TypeDef,
    TypeKind, TypeRef,
};
use crate::names::{Case, sanitize};

/// An operation group and its module name.
pub struct Group<'a> {
    /// The group's name in the spec (`DatabaseAccounts`).
    pub name: &'a str,
    /// The accessor name on the client (the group name in snake case).
    pub accessor: String,
    /// The module name (the accessor name, unless that would repeat `operations`).
    pub module: String,
    /// The group struct's name (`DatabaseAccounts`).
    pub type_name: String,
    /// The operations, in spec order.
    pub operations: Vec<&'a Operation>,
}

/// The operation groups of `api`, sorted by module name.
pub fn groups(api: &Api) -> Vec<Group<'_>> {
    let mut groups: BTreeMap<String, Group<'_>> = BTreeMap::new();
    for operation in &api.operations {
        let accessor = sanitize(&operation.group, Case::Snake);
        let module = if accessor == "operations" {
            "operations_group".to_owned()
        } else {
            accessor.clone()
        };
        groups
            .entry(module.clone())
            .or_insert_with(|| Group {
                name: &operation.group,
                accessor,
                module,
                type_name: sanitize(&operation.group, Case::Type),
                operations: Vec::new(),
            })
            .operations
            .push(operation);
    }
    groups.into_values().collect()
}

/// `operations/mod.rs`: the group modules, re-exported.
pub fn emit_operations_mod(groups: &[Group<'_>]) -> TokenStream {
    let modules: Vec<_> = groups
        .iter()
        .map(|g| format_ident!("{}", g.module))
        .collect();
    let reach = match groups.first() {
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
pub fn emit_group(api: &Api, group: &Group<'_>, names: &Names, graph: &TypeGraph) -> TokenStream {
    let ident = format_ident!("{}", group.type_name);
    let module_doc = format!(" The `{}` operations.", group.name);
    let struct_doc = format!(
        " The `{}` operations; reach them with [`Client::{}`](crate::Client::{}).",
        group.name, group.accessor, group.accessor
    );
    let mut methods = Vec::new();
    let mut options = Vec::new();
    let planned = method_names(api, group, names);
    let request_fns: HashMap<&str, String> = planned
        .iter()
        .map(|(operation, _, base)| (operation.id.as_str(), request_fn_name(base)))
        .collect();
    let context = GroupContext {
        type_name: &group.type_name,
        request_fns: &request_fns,
    };
    for (operation, shape, base) in planned {
        let emitted = emit_operation(api, operation, &shape, &base, names, graph, &context);
        methods.push(emitted.methods);
        options.extend(emitted.options);
    }
    let body = quote!(#(#methods)* #(#options)*);
    let runtime_items: Vec<syn::Ident> =
        ["Error", "Method", "Pager", "Poller", "PathValue", "Request"]
            .into_iter()
            .filter(|item| super::names_ident(&body, item))
            .map(|item| format_ident!("{}", item))
            .collect();
    let models_import = super::names_ident(&body, "models").then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #![doc = #module_doc]
        use arm_runtime::{#(#runtime_items),*};
        #models_import

        #[doc = #struct_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #ident<'a> {
            client: &'a arm_runtime::Client,
        }

        // ARM paths nest deeply: an operation may take more parameters than clippy's default.
        #[allow(clippy::too_many_arguments)]
        impl<'a> #ident<'a> {
            pub(crate) fn new(client: &'a arm_runtime::Client) -> Self {
                Self { client }
            }

            #(#methods)*
        }

        #(#options)*
    }
}

/// Each operation of `group` in spec order, with what it returns and its method's name (unique in
/// the group; `begin_` for long-running operations).
pub(super) fn method_names<'a>(
    api: &Api,
    group: &Group<'a>,
    names: &Names,
) -> Vec<(&'a Operation, Shape, String)> {
    let mut taken = HashSet::new();
    group
        .operations
        .iter()
        .map(|operation| {
            let shape = Shape::of(api, operation, names);
            let base =
                unique_method_name(&sanitize(&operation.name, Case::Snake), &shape, &mut taken);
            (*operation, shape, base)
        })
        .collect()
}

fn unique_method_name(base: &str, shape: &Shape, taken: &mut HashSet<String>) -> String {
    let base = match shape.kind {
        Kind::LongRunning => format!("begin_{base}"),
        _ => base.to_owned(),
    };
    let mut name = base.clone();
    let mut counter = 2;
    while !taken.insert(name.clone()) || name == "new" {
        name = format!("{base}_{counter}");
        counter += 1;
    }
    name
}

/// What an operation returns.
pub(super) struct Shape {
    pub(super) kind: Kind,
    /// The result type: the final result of a long-running operation, the page of a pageable
    /// one, the body otherwise.
    pub(super) result: TokenStream,
    /// The statuses the spec lists (not `default`).
    statuses: Vec<u16>,
}

/// How an operation's method returns its result.
pub(super) enum Kind {
    /// Decodes the body.
    Body,
    /// No body in any success status.
    Empty,
    /// HEAD with a listed 404: whether the resource exists.
    Exists,
    LongRunning,
    Pageable,
}

impl Shape {
    fn of(api: &Api, operation: &Operation, names: &Names) -> Shape {
        let statuses: Vec<u16> = operation
            .responses
            .iter()
            .filter_map(|r| r.status)
            .collect();
        let success = operation
            .responses
            .iter()
            .filter(|r| r.status.is_some_and(|s| s < 300));
        let body = success.clone().find_map(|r| r.ty.clone());
        let some_success_has_no_body = success.clone().any(|r| r.ty.is_none());
        if let Some(long_running) = &operation.long_running {
            let result = long_running
                .final_schema
                .as_ref()
                .or(body.as_ref())
                .map_or_else(|| quote!(()), |ty| qualified(ty, names));
            return Shape {
                kind: Kind::LongRunning,
                result,
                statuses,
            };
        }
        if operation.pageable.is_some()
            && let Some(TypeRef::Named(page)) = &body
            && page_parts(api, page).is_some()
        {
            return Shape {
                kind: Kind::Pageable,
                result: qualified(&TypeRef::Named(page.clone()), names),
                statuses,
            };
        }
        match body {
            _ if operation.method == Method::Head && statuses.contains(&404) => Shape {
                kind: Kind::Exists,
                result: quote!(bool),
                statuses,
            },
            None => Shape {
                kind: Kind::Empty,
                result: quote!(()),
                statuses,
            },
            Some(ty) if some_success_has_no_body => {
                let ty = qualified(&ty, names);
                Shape {
                    kind: Kind::Body,
                    result: quote!(Option<#ty>),
                    statuses,
                }
            }
            Some(ty) => Shape {
                kind: Kind::Body,
                result: qualified(&ty, names),
                statuses,
            },
        }
    }
}

/// What a typed fake handler of an operation returns, and how it goes on the wire.
pub enum HandlerResult {
    /// A model, sent as JSON with `status`: the body, the final result of a long-running
    /// operation, or the page of a pageable one.
    Body {
        /// The type, as written in a module that imports `models`.
        ty: TokenStream,
        /// The success status it is sent with.
        status: u16,
    },
    /// Nothing: an empty response with `status`.
    Empty {
        /// The success status.
        status: u16,
    },
    /// Whether the resource exists (`HEAD`): 200 or 404.
    Exists,
}

/// What a typed fake handler of `operation` returns.
pub fn handler_result(api: &Api, operation: &Operation, names: &Names) -> HandlerResult {
    let shape = Shape::of(api, operation, names);
    let success = |with_body: bool| {
        operation
            .responses
            .iter()
            .filter(|r| r.status.is_some_and(|s| s < 300) && r.ty.is_some() == with_body)
            .find_map(|r| r.status)
    };
    match shape.kind {
        Kind::Exists => HandlerResult::Exists,
        Kind::Empty => HandlerResult::Empty {
            status: success(false).unwrap_or(200),
        },
        // A long-running operation answered at once: 200 or 204, which need no status monitor.
        Kind::LongRunning if shape.result.to_string() == "()" => HandlerResult::Empty {
            status: [200, 204]
                .into_iter()
                .find(|status| shape.statuses.contains(status))
                .unwrap_or(200),
        },
        Kind::LongRunning => HandlerResult::Body {
            ty: shape.result,
            status: 200,
        },
        Kind::Body | Kind::Pageable => {
            let body = operation
                .responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300))
                .find_map(|r| r.ty.clone());
            HandlerResult::Body {
                ty: body.map_or(shape.result, |ty| qualified(&ty, names)),
                status: success(true).unwrap_or(200),
            }
        }
    }
}

/// A type as written in an operations module: models behind `models::`.
pub(super) fn qualified(ty: &TypeRef, names: &Names) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let ident = format_ident!("{}", names.type_name(name));
            quote!(models::#ident)
        }
        TypeRef::List(inner) => {
            let inner = qualified(inner, names);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = qualified(inner, names);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        other => rust_type(other, names),
    }
}

/// The item and next-link fields of a page model: `(item field, item type, required, next-link
/// field and whether it is required)`.
pub struct PageParts<'a> {
    /// The field holding the items.
    pub items: &'a crate::ir::Field,
    /// The items' type.
    pub item_type: &'a TypeRef,
    /// The field holding the next link, if the page has one.
    pub next_link: Option<&'a crate::ir::Field>,
}

/// How to split a page model named `page` into items and next link, for the pageable operations
/// that return it; `None` when it has no list field by the operation's `itemName`.
pub fn page_parts<'a>(api: &'a Api, page: &str) -> Option<PageParts<'a>> {
    // Operations sharing a page model may differ in `nextLinkName`: the model's next link is the
    // one any of them names (an operation whose spec says it has none uses `Pager::single_page`).
    let mut candidates = api
        .operations
        .iter()
        .filter_map(|op| op.pageable.as_ref().map(|p| (op, p)))
        .filter(|(op, _)| {
            op.responses
                .iter()
                .any(|r| r.ty == Some(TypeRef::Named(page.to_owned())))
        })
        .map(|(_, p)| p);
    let first = candidates.clone().next()?;
    let pageable = candidates
        .find(|p| p.next_link_name.is_some() && p.item_name == first.item_name)
        .unwrap_or(first);
    let TypeDef {
        kind: TypeKind::Struct(page_struct),
        ..
    } = api.types.get(page)?
    else {
        return None;
    };
    let items = page_struct
        .fields
        .iter()
        .find(|f| f.wire_name == pageable.item_name)?;
    let TypeRef::List(item_type) = &items.ty else {
        return None;
    };
    let next_link = pageable
        .next_link_name
        .as_ref()
        .and_then(|name| page_struct.fields.iter().find(|f| f.wire_name == *name));
    Some(PageParts {
        items,
        item_type,
        next_link,
    })
}

struct EmittedOperation {
    methods: TokenStream,
    options: Option<TokenStream>,
}

/// How a parameter is passed to the generated function and turned into text.
pub(super) struct ParamPlan<'a> {
    pub(super) param: &'a Param,
    /// The argument's (or options field's) name.
    pub(super) ident: syn::Ident,
    pub(super) kind: ParamKind,
}

/// The Rust type a parameter is passed as.
pub(super) enum ParamKind {
    /// `&str`, checked by a validated newtype's `check`.
    Validated(syn::Ident),
    /// `&str`, sent as is.
    Text,
    /// `&models::Enum`, sent as its wire value.
    Enum(syn::Ident),
    /// A number or boolean, sent in decimal.
    Scalar(TokenStream),
}

impl ParamPlan<'_> {
    /// The argument type.
    fn arg_type(&self) -> TokenStream {
        match &self.kind {
            ParamKind::Validated(_) | ParamKind::Text => quote!(&str),
            ParamKind::Enum(ty) => quote!(&models::#ty),
            ParamKind::Scalar(ty) => ty.clone(),
        }
    }

    /// The field type in an options struct (wrapped in `Option`).
    fn option_type(&self) -> TokenStream {
        match &self.kind {
            ParamKind::Validated(_) | ParamKind::Text => quote!(String),
            ParamKind::Enum(ty) => quote!(models::#ty),
            ParamKind::Scalar(ty) => ty.clone(),
        }
    }

    /// The check of `value` (a `&str`), if the parameter is validated.
    fn check(&self, value: &TokenStream) -> Option<TokenStream> {
        match &self.kind {
            ParamKind::Validated(newtype) => Some(quote!(crate::params::#newtype::check(#value)?;)),
            _ => None,
        }
    }

    /// `value` as a `&str` expression; `value` is the argument, or a reference to the option.
    fn text(&self, value: &TokenStream, from_option: bool) -> TokenStream {
        match &self.kind {
            ParamKind::Validated(_) | ParamKind::Text if from_option => quote!(#value.as_str()),
            ParamKind::Validated(_) | ParamKind::Text => quote!(#value),
            ParamKind::Enum(_) => quote!(#value.as_str()),
            ParamKind::Scalar(_) => quote!(&#value.to_string()),
        }
    }

    /// `value` as a `String` expression, for query and header pairs.
    fn owned_text(&self, value: &TokenStream, from_option: bool) -> TokenStream {
        match &self.kind {
            ParamKind::Scalar(_) => quote!(#value.to_string()),
            _ => {
                let text = self.text(value, from_option);
                quote!(#text.to_owned())
            }
        }
    }
}

fn plan_param<'a>(
    param: &'a Param,
    names: &Names,
    api: &Api,
    taken: &mut HashSet<String>,
) -> ParamPlan<'a> {
    let mut name = sanitize(&param.wire_name, Case::Snake);
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    let ident = format_ident!("{}", name);
    let named = |type_name: &str| format_ident!("{}", names.type_name(type_name));
    let kind = match &param.ty {
        TypeRef::Named(type_name) => match api.types.get(type_name).map(|def| &def.kind) {
            Some(TypeKind::Newtype(_)) => ParamKind::Validated(named(type_name)),
            Some(TypeKind::Enum(_)) => ParamKind::Enum(named(type_name)),
            _ => ParamKind::Text,
        },
        TypeRef::Primitive(
            primitive @ (Primitive::I32 | Primitive::I64 | Primitive::F64 | Primitive::Bool),
        ) => ParamKind::Scalar(rust_type(&TypeRef::Primitive(*primitive), names)),
        _ => ParamKind::Text,
    };
    ParamPlan { param, ident, kind }
}

/// The arguments of an operation's method, in order: the required parameters, the body, then
/// the options struct holding the optional parameters (when there are any).
pub(super) struct CallPlan<'a> {
    /// Path parameters and required query and header parameters.
    pub(super) required: Vec<ParamPlan<'a>>,
    /// Optional query and header parameters: the fields of the options struct.
    pub(super) optional: Vec<ParamPlan<'a>>,
    /// The body parameter and its argument name.
    pub(super) body: Option<(&'a crate::ir::BodyParam, syn::Ident)>,
    /// The options struct's name (`{Group}{Operation}Options`).
    pub(super) options_ident: syn::Ident,
}

/// How `operation`'s method takes its parameters.
pub(super) fn plan_call<'a>(api: &Api, operation: &'a Operation, names: &Names) -> CallPlan<'a> {
    let mut taken = HashSet::from(["self".to_owned(), "options".to_owned()]);
    let method_params: Vec<&Param> = operation
        .params
        .iter()
        .filter(|p| p.role == ParamRole::Method)
        .collect();
    let required: Vec<ParamPlan<'_>> = method_params
        .iter()
        .filter(|p| p.required || p.location == ParamLocation::Path)
        .map(|p| plan_param(p, names, api, &mut taken))
        .collect();
    let optional: Vec<ParamPlan<'_>> = method_params
        .iter()
        .filter(|p| !(p.required || p.location == ParamLocation::Path))
        .map(|p| plan_param(p, names, api, &mut taken))
        .collect();
    let options_ident = format_ident!(
        "{}{}Options",
        sanitize(&operation.group, Case::Type),
        sanitize(&operation.name, Case::Type)
    );
    let body = operation.body.as_ref().map(|body| {
        let mut name = sanitize(&body.name, Case::Snake);
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        (body, format_ident!("{}", name))
    });
    CallPlan {
        required,
        optional,
        body,
        options_ident,
    }
}

/// What an operation's code may call in its group's module: the group struct and the request
/// builders of the group's operations (private to the module).
struct GroupContext<'a> {
    type_name: &'a str,
    /// Operation id → request builder name.
    request_fns: &'a HashMap<&'a str, String>,
}

/// The request builder's name for the method named `method_name`.
fn request_fn_name(method_name: &str) -> String {
    format!("{}_request", method_name.trim_start_matches("begin_"))
}

fn emit_operation(
    api: &Api,
    operation: &Operation,
    shape: &Shape,
    method_name: &str,
    names: &Names,
    graph: &TypeGraph,
    group: &GroupContext<'_>,
) -> EmittedOperation {
    let CallPlan {
        required,
        optional,
        body,
        options_ident,
    } = plan_call(api, operation, names);

    // Arguments of both functions.
    let mut args: Vec<TokenStream> = required
        .iter()
        .map(|plan| {
            let (ident, ty) = (&plan.ident, plan.arg_type());
            quote!(#ident: #ty)
        })
        .collect();
    if let Some((body, ident)) = &body {
        let ty = qualified(&body.ty, names);
        args.push(if body.required {
            quote!(#ident: &#ty)
        } else {
            quote!(#ident: Option<&#ty>)
        });
    }
    if !optional.is_empty() {
        args.push(quote!(options: &#options_ident));
    }
    let forwarded: Vec<TokenStream> = required
        .iter()
        .map(|plan| {
            let ident = &plan.ident;
            quote!(#ident)
        })
        .chain(body.iter().map(|(_, ident)| quote!(#ident)))
        .chain((!optional.is_empty()).then(|| quote!(options)))
        .collect();

    let request_fn = format_ident!("{}", request_fn_name(method_name));
    let request_builder = emit_request_builder(
        operation,
        shape,
        &request_fn,
        &args,
        &required,
        &optional,
        body.as_ref(),
        names,
        graph,
    );
    let pager = match shape.kind {
        Kind::Pageable => pager_kind(api, operation, names, group),
        _ => PagerKind::Plain,
    };
    let public = emit_public_call(
        operation,
        shape,
        method_name,
        &request_fn,
        &args,
        &forwarded,
        pager,
    );
    let options = (!optional.is_empty())
        .then(|| emit_options(operation, method_name, &options_ident, &optional));
    EmittedOperation {
        methods: quote!(#public #request_builder),
        options,
    }
}

#[allow(clippy::too_many_arguments)]
fn emit_request_builder(
    operation: &Operation,
    shape: &Shape,
    request_fn: &syn::Ident,
    args: &[TokenStream],
    required: &[ParamPlan<'_>],
    optional: &[ParamPlan<'_>],
    body: Option<&(&crate::ir::BodyParam, syn::Ident)>,
    names: &Names,
    graph: &TypeGraph,
) -> TokenStream {
    let operation_id = &operation.id;
    let path_template = &operation.path;
    let method = format_ident!("{}", sanitize(operation.method.as_str(), Case::Type));
    let statuses = &shape.statuses;

    let client_checks = operation
        .params
        .iter()
        .filter(|p| p.role == ParamRole::Client)
        .filter_map(|param| match &param.ty {
            TypeRef::Named(name) => {
                let newtype = format_ident!("{}", names.type_name(name));
                Some(quote!(crate::params::#newtype::check(self.client.subscription_id())?;))
            }
            _ => None,
        });
    let required_checks = required.iter().filter_map(|plan| {
        let ident = &plan.ident;
        plan.check(&quote!(#ident))
    });
    let optional_checks = optional.iter().filter_map(|plan| {
        let ident = &plan.ident;
        let check = plan.check(&quote!(value))?;
        Some(quote!(if let Some(value) = options.#ident.as_deref() { #check }))
    });

    let path_values = path_values(operation, required);
    let query = pushes(required, optional, ParamLocation::Query, &quote!(query));
    let headers = pushes(required, optional, ParamLocation::Header, &quote!(headers));

    let mut body_check = quote!();
    let body_assignment = match body {
        None => quote!(),
        Some((param, ident)) => {
            let wire = &param.name;
            let validate = |value: &TokenStream| {
                graph
                    .type_needs_validation(&param.ty)
                    .then(|| quote!(arm_runtime::Validate::validate(#value, &arm_runtime::FieldPath::root(#wire))?;))
            };
            if param.required {
                let validate = validate(&quote!(#ident));
                body_check = quote!(#validate);
                quote!(request.body = Some(arm_runtime::json_body(#ident));)
            } else {
                if let Some(validate) = validate(&quote!(body)) {
                    body_check = quote!(if let Some(body) = #ident { #validate });
                }
                quote!(request.body = #ident.map(|body| arm_runtime::json_body(body));)
            }
        }
    };
    let expected = super::statuses(statuses);
    let api_version = if super::root::has_api_version(operation) {
        quote!(crate::API_VERSION)
    } else {
        quote!("")
    };
    let binding = if query.is_empty() && headers.is_empty() && body.is_none() {
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
                Method::#method,
                #path_template,
                &[#(#path_values),*],
                #api_version,
                &[#(#expected),*],
            );
            #(#query)*
            #(#headers)*
            #body_assignment
            Ok(request)
        }
    }
}

/// The statements adding the parameters at `location` (query or header) to the request's `field`
/// list: each required one, then each optional one that is set.
fn pushes(
    required: &[ParamPlan<'_>],
    optional: &[ParamPlan<'_>],
    location: ParamLocation,
    field: &TokenStream,
) -> Vec<TokenStream> {
    let required = required
        .iter()
        .filter(|plan| plan.param.location == location)
        .map(|plan| {
            let (ident, wire) = (&plan.ident, &plan.param.wire_name);
            let text = plan.owned_text(&quote!(#ident), false);
            quote!(request.#field.push((#wire, #text));)
        });
    let optional = optional
        .iter()
        .filter(|plan| plan.param.location == location)
        .map(|plan| {
            let (ident, wire) = (&plan.ident, &plan.param.wire_name);
            let text = plan.owned_text(&quote!(value), true);
            quote! {
                if let Some(value) = &options.#ident {
                    request.#field.push((#wire, #text));
                }
            }
        });
    required.chain(optional).collect()
}

/// The `PathValue` of each `{name}` of the operation's path, in order: the client's
/// subscription id or the argument, percent-encoded unless the spec says
/// `x-ms-skip-url-encoding`.
fn path_values(operation: &Operation, required: &[ParamPlan<'_>]) -> Vec<TokenStream> {
    let mut values = Vec::new();
    let mut rest = operation.path.as_str();
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else {
            break;
        };
        let param = operation
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == name);
        let value = match param {
            Some(param) if param.role == ParamRole::Client => quote!(self.client.subscription_id()),
            Some(param) => match required
                .iter()
                .find(|plan| plan.param.wire_name == param.wire_name)
            {
                Some(plan) => {
                    let ident = &plan.ident;
                    plan.text(&quote!(#ident), false)
                }
                None => quote!(""),
            },
            None => quote!(""),
        };
        values.push(if param.is_some_and(|p| p.skip_url_encoding) {
            quote!(PathValue::Verbatim(#value))
        } else {
            quote!(PathValue::Segment(#value))
        });
        rest = after;
    }
    values
}

/// How a pageable operation's pager fetches further pages.
enum PagerKind {
    /// GETs of each page's next link.
    Plain,
    /// None: the spec says the operation has no next link, though its page model has one.
    Single,
    /// Requests of the next-page operation the spec names.
    WithNext(NextRequest),
}

fn pager_kind(
    api: &Api,
    operation: &Operation,
    names: &Names,
    group: &GroupContext<'_>,
) -> PagerKind {
    let Some(pageable) = &operation.pageable else {
        return PagerKind::Plain;
    };
    if pageable.next_link_name.is_none() {
        let page = operation
            .responses
            .iter()
            .filter(|r| r.status.is_some_and(|s| s < 300))
            .find_map(|r| r.ty.as_ref().and_then(TypeRef::named));
        let model_has_link = page
            .and_then(|page| page_parts(api, page))
            .is_some_and(|parts| parts.next_link.is_some());
        return if model_has_link {
            PagerKind::Single
        } else {
            PagerKind::Plain
        };
    }
    match next_page_request(api, operation, names, group) {
        Some(next) => PagerKind::WithNext(next),
        None => PagerKind::Plain,
    }
}

/// For a pageable operation whose spec names another operation that fetches further pages
/// (`x-ms-pageable.operationName`): the statements that keep what that operation needs from this
/// call's arguments, and the closure that builds its request from a page's next link (passed as
/// its `nextLink` parameter, if it has one; the other parameters are this call's, by wire name).
///
/// `None` means further pages are GETs of the next link: the spec names no operation (or this
/// one, without a `nextLink` parameter: autorest's default), or one in another group, or one that
/// needs a parameter or body this call does not have (for which the docs say so).
struct NextRequest {
    captures: Vec<TokenStream>,
    closure: TokenStream,
}

fn next_page_request(
    api: &Api,
    operation: &Operation,
    names: &Names,
    group: &GroupContext<'_>,
) -> Option<NextRequest> {
    let next_id = operation.pageable.as_ref()?.operation_name.as_deref()?;
    let next = api.operations.iter().find(|op| op.id == next_id)?;
    let is_next_link = |param: &Param| param.wire_name.eq_ignore_ascii_case("nextLink");
    if next.id == operation.id && !next.params.iter().any(is_next_link) {
        return None;
    }
    let request_fn = format_ident!("{}", group.request_fns.get(next.id.as_str())?);
    let first = plan_call(api, operation, names);
    let plan = plan_call(api, next, names);
    let link = format_ident!("next_page_link");
    let mut captures = Vec::new();
    let mut captured = HashSet::new();
    let mut capture = |plan: &ParamPlan<'_>| {
        let ident = &plan.ident;
        let statement = match plan.kind {
            ParamKind::Validated(_) | ParamKind::Text => {
                Some(quote!(let #ident = #ident.to_owned();))
            }
            ParamKind::Enum(_) => Some(quote!(let #ident = #ident.clone();)),
            // Copied into the closure.
            ParamKind::Scalar(_) => None,
        };
        if captured.insert(ident.to_string()) {
            captures.extend(statement);
        }
    };
    let mut args = Vec::new();
    for param in &plan.required {
        if is_next_link(param.param) && matches!(param.kind, ParamKind::Text) {
            args.push(quote!(#link));
            continue;
        }
        let same = first.required.iter().find(|mine| {
            mine.param.wire_name == param.param.wire_name
                && mine.param.location == param.param.location
                && mine.arg_type().to_string() == param.arg_type().to_string()
        })?;
        capture(same);
        let ident = &same.ident;
        args.push(match same.kind {
            ParamKind::Scalar(_) => quote!(#ident),
            _ => quote!(&#ident),
        });
    }
    match (&plan.body, &first.body) {
        (None, _) => {}
        (Some((body, _)), Some((mine, ident))) if body.ty == mine.ty => {
            let statement = if mine.required {
                quote!(let #ident = #ident.clone();)
            } else {
                quote!(let #ident = #ident.cloned();)
            };
            captures.push(statement);
            args.push(match (body.required, mine.required) {
                (true, true) => quote!(&#ident),
                (false, true) => quote!(Some(&#ident)),
                (false, false) => quote!(#ident.as_ref()),
                (true, false) => return None,
            });
        }
        (Some((body, _)), _) if !body.required => args.push(quote!(None)),
        (Some(_), _) => return None,
    }
    if !plan.optional.is_empty() {
        let options_type = &plan.options_ident;
        let mut fields = Vec::new();
        for param in &plan.optional {
            let same = first.optional.iter().find(|mine| {
                mine.param.wire_name == param.param.wire_name
                    && mine.param.location == param.param.location
                    && mine.option_type().to_string() == param.option_type().to_string()
            });
            if let Some(same) = same {
                let (field, mine) = (&param.ident, &same.ident);
                fields.push(quote!(#field: options.#mine.clone(),));
            }
        }
        let rest = (fields.len() < plan.optional.len()).then(|| quote!(..Default::default()));
        captures.push(quote!(let next_options = #options_type { #(#fields)* #rest };));
        args.push(quote!(&next_options));
    }
    let group_type = format_ident!("{}", group.type_name);
    // The next operation may not take the link at all (it ignores it, as autorest clients do).
    let takes_link = plan
        .required
        .iter()
        .any(|param| is_next_link(param.param) && matches!(param.kind, ParamKind::Text));
    let link_param = if takes_link { quote!(#link) } else { quote!(_) };
    Some(NextRequest {
        captures,
        closure: quote! {
            move |#link_param: &str| #group_type::new(&client).#request_fn(#(#args),*)
        },
    })
}

fn emit_public_call(
    operation: &Operation,
    shape: &Shape,
    method_name: &str,
    request_fn: &syn::Ident,
    args: &[TokenStream],
    forwarded: &[TokenStream],
    pager: PagerKind,
) -> TokenStream {
    let ident = format_ident!("{}", method_name);
    let operation_id = &operation.id;
    let result = &shape.result;
    let mut paragraphs = operation_doc(operation, shape);
    let named_next = operation
        .pageable
        .as_ref()
        .and_then(|pageable| pageable.operation_name.as_deref())
        .filter(|next| *next != operation.id);
    let has_next_link = operation
        .pageable
        .as_ref()
        .is_some_and(|pageable| pageable.next_link_name.is_some());
    match (&shape.kind, named_next, &pager) {
        (Kind::Pageable, _, _) if !has_next_link => {}
        (Kind::Pageable, Some(next), PagerKind::WithNext(_)) => paragraphs.push(format!(
            "Further pages come from {} (the spec's `operationName`), called with each page's \
             next link and this call's arguments.",
            code(next)
        )),
        (Kind::Pageable, Some(next), _) => paragraphs.push(format!(
            "The spec names {} for further pages, which cannot be called from this operation \
             (another group, or parameters this call does not have): further pages are GETs of \
             each page's next link.",
            code(next)
        )),
        _ => {}
    }
    let doc = doc_attrs(&paragraphs);
    match shape.kind {
        Kind::Body => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<#result, Error> {
                let request = self.#request_fn(#(#forwarded),*)?;
                self.client.send(request).await?.json(#operation_id)
            }
        },
        Kind::Empty => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<(), Error> {
                let request = self.#request_fn(#(#forwarded),*)?;
                self.client.send(request).await?;
                Ok(())
            }
        },
        Kind::Exists => quote! {
            #doc
            pub async fn #ident(&self, #(#args),*) -> Result<bool, Error> {
                let request = self.#request_fn(#(#forwarded),*)?;
                Ok(self.client.send(request).await?.status() != 404)
            }
        },
        Kind::LongRunning => {
            let via = match operation
                .long_running
                .as_ref()
                .and_then(|l| l.final_state_via)
            {
                Some(via) => {
                    let variant = format_ident!(
                        "{}",
                        match via {
                            FinalStateVia::AzureAsyncOperation => "AzureAsyncOperation",
                            FinalStateVia::Location => "Location",
                            FinalStateVia::OriginalUri => "OriginalUri",
                            FinalStateVia::OperationLocation => "OperationLocation",
                        }
                    );
                    quote!(Some(arm_runtime::FinalStateVia::#variant))
                }
                None => quote!(None),
            };
            let result = if long_running_result_is_optional(operation, shape) {
                quote!(Option<#result>)
            } else {
                result.clone()
            };
            quote! {
                #doc
                pub async fn #ident(&self, #(#args),*) -> Result<Poller<#result>, Error> {
                    let request = self.#request_fn(#(#forwarded),*)?;
                    let response = self.client.send(request.clone()).await?;
                    let options = arm_runtime::LroOptions { final_state_via: #via };
                    Poller::start(self.client.clone(), &request, response, options)
                }
            }
        }
        Kind::Pageable => match pager {
            PagerKind::Plain => quote! {
                #doc
                pub fn #ident(&self, #(#args),*) -> Pager<#result> {
                    match self.#request_fn(#(#forwarded),*) {
                        Ok(request) => Pager::new(self.client.clone(), request),
                        Err(error) => Pager::from_error(error),
                    }
                }
            },
            PagerKind::Single => quote! {
                #doc
                pub fn #ident(&self, #(#args),*) -> Pager<#result> {
                    match self.#request_fn(#(#forwarded),*) {
                        Ok(request) => Pager::single_page(self.client.clone(), request),
                        Err(error) => Pager::from_error(error),
                    }
                }
            },
            PagerKind::WithNext(NextRequest { captures, closure }) => quote! {
                #doc
                pub fn #ident(&self, #(#args),*) -> Pager<#result> {
                    let first = match self.#request_fn(#(#forwarded),*) {
                        Ok(request) => request,
                        Err(error) => return Pager::from_error(error),
                    };
                    let client = self.client.clone();
                    #(#captures)*
                    Pager::with_next_request(self.client.clone(), first, #closure)
                }
            },
        },
    }
}

/// Whether a long-running operation's typed result may be absent: a deleted resource is gone
/// (services often end a `DELETE` without a body even where the spec gives it one), and a `POST`
/// whose spec describes a body only for `202 Accepted` (no `200`/`201` body, no
/// `final-state-schema`) promises nothing about the final response, which may be `204`.
fn long_running_result_is_optional(operation: &Operation, shape: &Shape) -> bool {
    // The result of a pageable one is the first page, which `Poller::into_pager` needs.
    if shape.result.to_string() == "()" || operation.pageable.is_some() {
        return false;
    }
    let final_body = operation
        .responses
        .iter()
        .any(|r| matches!(r.status, Some(200 | 201)) && r.ty.is_some());
    let final_schema = operation
        .long_running
        .as_ref()
        .is_some_and(|l| l.final_schema.is_some());
    match operation.method {
        Method::Delete => true,
        Method::Post => !final_body && !final_schema,
        _ => false,
    }
}

fn operation_doc(operation: &Operation, shape: &Shape) -> Vec<String> {
    let mut paragraphs = Vec::new();
    match (&operation.summary, &operation.description) {
        (Some(summary), Some(description)) if summary != description => {
            paragraphs.push(prose(summary));
            paragraphs.push(prose(description));
        }
        (Some(text), _) | (None, Some(text)) => paragraphs.push(prose(text)),
        (None, None) => paragraphs.push(format!("The {} operation.", code(&operation.id))),
    }
    paragraphs.push(format!(
        "Sends {} (operation id {}).",
        code(&format!("{} {}", operation.method.as_str(), operation.path)),
        code(&operation.id)
    ));
    match shape.kind {
        Kind::LongRunning => {
            paragraphs.push(
                "Long-running: returns once the service has accepted the request, with a \
                 [`Poller`] to `.await` for the result (or poll step by step, or save with \
                 `resume_token`)."
                    .into(),
            );
            if operation.pageable.is_some() {
                paragraphs.push(
                    "Pageable: the result is the first page of a list; `into_pager()` turns the \
                     [`Poller`] into a [`Pager`](arm_runtime::Pager) of the items of every page."
                        .into(),
                );
            }
        }
        Kind::Pageable => paragraphs.push(
            "Pageable: returns a [`Pager`], a stream of items that fetches pages as it is polled; \
             nothing is sent until then."
                .into(),
        ),
        Kind::Exists => {
            paragraphs.push("Returns whether the resource exists (`404` is `false`).".into())
        }
        Kind::Body | Kind::Empty => {}
    }
    if !operation.examples.is_empty() {
        let examples: Vec<String> = operation
            .examples
            .iter()
            .map(|(name, file)| {
                match file
                    .rsplit('/')
                    .next()
                    .and_then(|f| f.strip_suffix(".json"))
                {
                    Some(stem) => code(stem),
                    None => code(name),
                }
            })
            .collect();
        paragraphs.push(format!("Examples in the spec: {}.", examples.join(", ")));
    }
    if operation.deprecated {
        paragraphs.push("Deprecated by the spec.".into());
    }
    paragraphs
}

fn emit_options(
    operation: &Operation,
    method_name: &str,
    ident: &syn::Ident,
    optional: &[ParamPlan<'_>],
) -> TokenStream {
    let doc = format!(
        " Optional parameters of `{}` ({}).",
        method_name,
        code(&operation.id)
    );
    let fields = optional.iter().map(|plan| {
        let (name, ty) = (&plan.ident, plan.option_type());
        let doc = doc_attrs(&[plan.param.description.as_deref().map_or_else(
            || format!("The {} parameter.", code(&plan.param.wire_name)),
            prose,
        )]);
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

/// `operations/pages.rs`: the runtime's `Page` for every page model of a pageable operation.
pub fn emit_pages(api: &Api, names: &Names) -> TokenStream {
    let mut seen = HashSet::new();
    let impls = api
        .operations
        .iter()
        .filter(|op| op.pageable.is_some())
        .filter_map(|op| {
            op.responses.iter().find_map(|r| {
                r.ty.as_ref()
                    .and_then(TypeRef::named)
                    .map(str::to_owned)
                    .filter(|_| r.status.is_some_and(|s| s < 300))
            })
        })
        .filter(|page| seen.insert(page.clone()))
        .filter_map(|page| {
            let parts = page_parts(api, &page)?;
            let page_ident = format_ident!("{}", names.type_name(&page));
            let item_type = qualified(parts.item_type, names);
            let items_field = format_ident!("{}", sanitize(&parts.items.wire_name, Case::Snake));
            let items = if parts.items.required {
                quote!(self.#items_field)
            } else {
                quote!(self.#items_field.unwrap_or_default())
            };
            let next = match parts.next_link {
                Some(field) => {
                    let ident = format_ident!("{}", sanitize(&field.wire_name, Case::Snake));
                    if field.required {
                        quote!(Some(self.#ident))
                    } else {
                        quote!(self.#ident)
                    }
                }
                None => quote!(None),
            };
            Some(quote! {
                impl arm_runtime::Page for models::#page_ident {
                    type Item = #item_type;
                    fn into_items(self) -> (Vec<Self::Item>, Option<String>) {
                        (#items, #next)
                    }
                }
            })
        })
        .collect::<Vec<_>>();
    let import = (!impls.is_empty()).then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        //! How each page model splits into its items and the link to the next page.
        #import
        #(#impls)*
    }
}
