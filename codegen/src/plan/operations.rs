//! Each operation resolved once: its group and method names, its arguments with their roles and
//! Rust types, how its path is filled, what it returns ([`ResultKind`]), how its pager fetches
//! further pages, and what a typed fake of it answers. The operations, dispatch and fake
//! emitters all read these.

use std::collections::BTreeMap;

use super::graph::TypeGraph;
use super::names::Namespace;
use super::paging::{PagePlan, PagerPlan, next_page, plan_pages};
use super::types::TypePlan;
use crate::ir::{
    Api, BodyParam, CollectionFormat, FinalStateVia, Method, Operation, Param, ParamLocation,
    ParamRole, Primitive, ResponseDef, TypeKind, TypeRef,
};
use crate::names::{Case, sanitize};

/// An operation group: a struct reached from the client, one method per operation.
#[derive(Debug)]
pub struct GroupPlan<'a> {
    /// The group's name in the spec (`DatabaseAccounts`).
    pub name: &'a str,
    /// The accessor method on the client and on the fake endpoint (`database_accounts`).
    pub accessor: String,
    /// The module under `operations/`.
    pub module: String,
    /// The group struct's name.
    pub ident: String,
    /// The group's fake struct's name (`{Group}Fake`).
    pub fake_ident: String,
    /// The operations, in spec order.
    pub operations: Vec<OperationPlan<'a>>,
}

/// One operation, resolved.
#[derive(Debug)]
pub struct OperationPlan<'a> {
    /// The IR's operation.
    pub op: &'a Operation,
    /// The public method (`begin_` for long-running operations).
    pub method: String,
    /// The private function building its request.
    pub request_fn: String,
    /// The options struct every call takes (`Option<options_ident>`): the optional parameters
    /// and the runtime's `CallOptions`.
    pub options_ident: String,
    /// Its fake's method (`on_{name}`).
    pub fake_method: String,
    /// The struct a typed fake handler of it receives (`{Group}{Name}Request`).
    pub fake_request: String,
    /// Its function in the test dispatch registry.
    pub dispatch_fn: String,
    /// Path parameters and required query and header parameters, in spec order.
    pub required: Vec<ParamPlan<'a>>,
    /// Optional query and header parameters: the fields of the options struct.
    pub optional: Vec<ParamPlan<'a>>,
    /// The body argument.
    pub body: Option<BodyPlan<'a>>,
    /// Newtypes checking the subscription id before sending (the other client parameters are
    /// checked once, when the client is built).
    pub client_checks: Vec<String>,
    /// The query and header parameters whose value the client holds (`ClientParamPlan`), in
    /// spec order.
    pub client_values: Vec<ClientValue<'a>>,
    /// One value per `{name}` of the path, in order.
    pub path_values: Vec<PathValue>,
    /// Whether the request carries the `api-version` query parameter.
    pub sends_api_version: bool,
    /// The statuses the spec lists (not `default`), in spec order.
    pub statuses: Vec<u16>,
    /// What the method returns.
    pub result: ResultKind,
    /// What a typed fake handler returns.
    pub fake: FakeResult,
    /// The response headers the spec declares on the operation's success responses, read
    /// through a generated extension trait of its `Response` (plain and existence-check calls
    /// only: pollers and pagers have responses of their own).
    pub response_headers: Option<ResponseHeadersPlan>,
}

/// The extension trait giving typed access to an operation's declared response headers.
#[derive(Debug)]
pub struct ResponseHeadersPlan {
    /// The trait.
    pub ident: String,
    /// The accessors, one per header, in spec order.
    pub headers: Vec<HeaderAccessor>,
}

/// The accessor of one declared response header.
#[derive(Debug)]
pub struct HeaderAccessor {
    /// The header's name in the spec.
    pub wire: String,
    /// The accessor method.
    pub method: String,
    /// `x-ms-header-collection-prefix`: the accessor collects every header starting with it.
    pub collection_prefix: Option<String>,
}

/// Headers the runtime's `Response` reads itself (`etag()`, `request_id()`, ...): they need no
/// accessor of their own.
const RESPONSE_HEADERS: &[&str] = &[
    "etag",
    "x-ms-request-id",
    "x-ms-correlation-request-id",
    "x-ms-client-request-id",
];

/// Methods of the runtime's `Response` that a header accessor must not shadow.
const RESPONSE_METHODS: &[&str] = &[
    "status",
    "headers",
    "header",
    "request_id",
    "correlation_request_id",
    "client_request_id",
    "etag",
    "model",
    "into_model",
    "into_parts",
];

/// The declared response headers of `op`'s success responses (each once, whatever its case),
/// when its call returns a `Response`; the trait is named after the options struct
/// (`{Group}{Operation}Options` gives `{Group}{Operation}Headers`).
fn response_headers(
    op: &Operation,
    result: &ResultKind,
    options_ident: &str,
) -> Option<ResponseHeadersPlan> {
    if !matches!(
        result,
        ResultKind::Model { .. } | ResultKind::Empty | ResultKind::Exists | ResultKind::File { .. }
    ) {
        return None;
    }
    let mut methods = Namespace::reserving(RESPONSE_METHODS);
    let mut seen: Vec<String> = Vec::new();
    let mut headers = Vec::new();
    let declared = op
        .responses
        .iter()
        .filter(|response| response.status.is_some_and(|status| status < 300))
        .flat_map(|response| &response.headers);
    for header in declared {
        let lower = header.name.to_ascii_lowercase();
        if seen.contains(&lower) || RESPONSE_HEADERS.contains(&lower.as_str()) {
            continue;
        }
        seen.push(lower);
        if let Some(method) = methods.try_claim(&header.name, Case::Snake) {
            headers.push(HeaderAccessor {
                wire: header.name.clone(),
                method,
                collection_prefix: header.collection_prefix.clone(),
            });
        }
    }
    let base = options_ident
        .strip_suffix("Options")
        .unwrap_or(options_ident);
    (!headers.is_empty()).then(|| ResponseHeadersPlan {
        ident: format!("{base}Headers"),
        headers,
    })
}

/// Names an options struct has besides its optional parameters, which their fields and `with_*`
/// setters must not take: the `call` field (the runtime's `CallOptions`) and the setters that
/// reach into it.
const CALL_OPTION_NAMES: &[&str] = &[
    "call",
    "header",
    "timeout",
    "client_request_id",
    "retry",
    "poll_interval",
];

/// An argument taken from a spec parameter.
#[derive(Debug)]
pub struct ParamPlan<'a> {
    /// The IR's parameter.
    pub param: &'a Param,
    /// The argument's (or options field's) name.
    pub ident: String,
    /// Its Rust type.
    pub kind: ParamKind,
}

/// The Rust type a parameter is passed as.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamKind {
    /// `&str`, checked by the named validated newtype.
    Validated(String),
    /// `&str`, sent as is.
    Text,
    /// `&models::Enum` (named), sent as its wire value.
    Enum(String),
    /// A number or boolean, sent in decimal.
    Scalar(Primitive),
    /// An array, `&[String]` (each item as its wire text), joined or repeated as its
    /// `collectionFormat` says.
    List(CollectionFormat),
    /// A map of strings, `&BTreeMap<String, String>`, sent as one header per entry named
    /// with this prefix and the entry's key (`x-ms-header-collection-prefix`).
    HeaderCollection(String),
}

/// The body argument.
#[derive(Debug)]
pub struct BodyPlan<'a> {
    /// The IR's body parameter.
    pub param: &'a BodyParam,
    /// The argument's name.
    pub ident: String,
    /// Whether the body model implements `Validate`.
    pub validates: bool,
}

/// Where the value of one `{name}` of the path comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct PathValue {
    /// The value's source.
    pub source: PathSource,
    /// `x-ms-skip-url-encoding`: sent as is, not percent-encoded.
    pub verbatim: bool,
}

/// A query or header parameter of an operation whose value the client holds.
#[derive(Debug)]
pub struct ClientValue<'a> {
    /// The IR's parameter.
    pub param: &'a Param,
    /// Whether the operation needs it (the client's builder refuses to build without a
    /// required one).
    pub required: bool,
}

/// Whether `param` is the subscription id: the client parameter the runtime's client holds
/// itself (`Client::builder(subscription_id)`), in the path as ARM puts it.
pub fn is_subscription_id(param: &Param) -> bool {
    param.role == ParamRole::Client
        && param.location == ParamLocation::Path
        && param.wire_name == "subscriptionId"
}

/// The source of a path value.
#[derive(Debug, Clone, PartialEq)]
pub enum PathSource {
    /// The client's subscription id.
    Subscription,
    /// The value of the client parameter with this wire name.
    ClientValue(String),
    /// The required argument at this index.
    Argument(usize),
    /// Nothing the operation declares: empty, which the runtime refuses.
    Missing,
}

/// What an operation's method returns.
#[derive(Debug)]
pub enum ResultKind {
    /// The decoded body; `optional` when some success status has none.
    Model {
        /// The body's type.
        ty: TypeRef,
        /// `Option<T>`: some success status comes without a body.
        optional: bool,
    },
    /// Nothing: no success status has a body.
    Empty,
    /// `HEAD` with a listed `404`: whether the resource exists.
    Exists,
    /// A file (`type: file`): the body handed out unread, as the runtime's `BodyStream`.
    File {
        /// The file's content type, asked for with `Accept`.
        content_type: String,
    },
    /// A long-running operation's poller.
    LongRunning(LongRunningPlan),
    /// A pager over the items of every page.
    Pageable {
        /// The page model's IR name.
        page: String,
        /// How further pages are fetched.
        pager: PagerPlan,
    },
}

/// A long-running operation's result.
#[derive(Debug)]
pub struct LongRunningPlan {
    /// The final result's type (`final-state-schema`, else the success body); `None`: `()`.
    pub result: Option<TypeRef>,
    /// `Option<T>`: a `DELETE`, or a `POST` that promises no final body.
    pub optional: bool,
    /// `final-state-via`, when the spec gives it.
    pub final_state_via: Option<FinalStateVia>,
    /// The group's method continuing the operation from a resume token (`resume_{name}`),
    /// claimed with the group's other method names.
    pub resume_method: String,
}

/// What a typed fake handler of an operation returns, and how it goes on the wire.
#[derive(Debug)]
pub enum FakeResult {
    /// A model sent as JSON with `status`.
    Body {
        /// The model's type.
        ty: TypeRef,
        /// The success status it is sent with.
        status: u16,
    },
    /// An empty response with `status`.
    Empty {
        /// The success status.
        status: u16,
    },
    /// Whether the resource exists (`HEAD`): 200 or 404.
    Exists,
    /// A file's bytes, sent with `content_type` and `status`.
    File {
        /// The file's content type.
        content_type: String,
        /// The success status it is sent with.
        status: u16,
    },
    /// A long-running operation's script: polls, then its result (of this type; `None`: no
    /// result) or an error.
    Polled {
        /// The final result's type.
        ty: Option<TypeRef>,
    },
    /// A pageable operation's pages of items of this type.
    Pages {
        /// The items' type.
        item: TypeRef,
    },
}

/// The accessors the client and the fake endpoint have of their own.
const RESERVED_ACCESSORS: &[&str] = &[
    "builder",
    "runtime",
    "from",
    "clone",
    "start",
    "client_builder",
    "local",
];

/// Plans every group and the page models of every pageable operation.
pub(super) fn plan_operations<'a>(
    api: &'a Api,
    types: &BTreeMap<String, TypePlan<'a>>,
    graph: &TypeGraph,
) -> (Vec<GroupPlan<'a>>, Vec<PagePlan<'a>>) {
    let pages = plan_pages(api, types);
    let mut by_group: BTreeMap<String, (&'a str, Vec<&'a Operation>)> = BTreeMap::new();
    for operation in &api.operations {
        let accessor = sanitize(&operation.group, Case::Snake);
        let module = if accessor == "operations" {
            "operations_group".to_owned()
        } else {
            accessor
        };
        by_group
            .entry(module)
            .or_insert_with(|| (&operation.group, Vec::new()))
            .1
            .push(operation);
    }
    let context = Context {
        api,
        types,
        graph,
        pages: &pages,
    };
    let mut scopes = Scopes {
        operations: Namespace::default(),
        fakes: Namespace::reserving(&["Endpoint"]),
        dispatch: Namespace::default(),
    };
    let groups = by_group
        .into_iter()
        .map(|(module, (name, operations))| context.group(name, module, &operations, &mut scopes))
        .collect();
    (groups, pages)
}

/// The crate-wide scopes operation names are claimed in.
struct Scopes {
    /// The `operations` module: group structs and options structs.
    operations: Namespace,
    /// The `fake` module: group fakes.
    fakes: Namespace,
    /// The test dispatch registry's functions.
    dispatch: Namespace,
}

/// The names of one operation's items.
struct Names {
    method: String,
    request_fn: String,
    options_ident: String,
    fake_method: String,
    fake_request: String,
    dispatch_fn: String,
}

/// What planning an operation reads.
struct Context<'p, 'a> {
    api: &'a Api,
    types: &'p BTreeMap<String, TypePlan<'a>>,
    graph: &'p TypeGraph,
    pages: &'p [PagePlan<'a>],
}

impl<'a> Context<'_, 'a> {
    fn type_ident(&self, name: &str) -> String {
        self.types
            .get(name)
            .map_or_else(|| name.to_owned(), |plan| plan.ident.clone())
    }

    fn group(
        &self,
        name: &'a str,
        module: String,
        operations: &[&'a Operation],
        scopes: &mut Scopes,
    ) -> GroupPlan<'a> {
        let accessor = sanitize(name, Case::Snake);
        let accessor = if RESERVED_ACCESSORS.contains(&accessor.as_str()) {
            format!("{accessor}_operations")
        } else {
            accessor
        };
        let ident = scopes.operations.claim(name, Case::Type);
        let fake_ident = scopes
            .fakes
            .claim_identifier(format!("{ident}Fake"), Case::Type);
        let mut methods = Namespace::reserving(&["new"]);
        let mut fakes = Namespace::default();
        let mut planned: Vec<OperationPlan<'a>> = operations
            .iter()
            .map(|operation| {
                let mut result = self.result_kind(operation);
                let base = sanitize(&operation.name, Case::Snake);
                let method = match result {
                    ResultKind::LongRunning(_) => {
                        methods.claim_identifier(format!("begin_{base}"), Case::Snake)
                    }
                    _ => methods.claim_identifier(base.clone(), Case::Snake),
                };
                let request_fn = methods.claim_identifier(
                    format!("{}_request", method.trim_start_matches("begin_")),
                    Case::Snake,
                );
                // `{Group}{Name}`, the start of the operation's crate-wide type names.
                let qualified = format!(
                    "{}{}",
                    sanitize(&operation.group, Case::Type),
                    sanitize(&operation.name, Case::Type)
                );
                if let ResultKind::LongRunning(long_running) = &mut result {
                    long_running.resume_method =
                        methods.claim_identifier(format!("resume_{base}"), Case::Snake);
                }
                let names = Names {
                    request_fn,
                    options_ident: scopes
                        .operations
                        .claim_identifier(format!("{qualified}Options"), Case::Type),
                    dispatch_fn: scopes
                        .dispatch
                        .claim_identifier(format!("{module}_{method}"), Case::Snake),
                    fake_method: fakes.claim_identifier(format!("on_{base}"), Case::Snake),
                    fake_request: scopes
                        .fakes
                        .claim_identifier(format!("{qualified}Request"), Case::Type),
                    method,
                };
                let mut plan = self.operation(operation, result, names);
                if let Some(headers) = &mut plan.response_headers {
                    let ident = std::mem::take(&mut headers.ident);
                    headers.ident = scopes.operations.claim_identifier(ident, Case::Type);
                }
                plan
            })
            .collect();
        let pagers: Vec<PagerPlan> = planned
            .iter()
            .map(|plan| self.pager(plan, &planned))
            .collect();
        for (plan, pager) in planned.iter_mut().zip(pagers) {
            if let ResultKind::Pageable { pager: slot, .. } = &mut plan.result {
                *slot = pager;
            }
        }
        GroupPlan {
            name,
            accessor,
            module,
            ident,
            fake_ident,
            operations: planned,
        }
    }

    fn operation(&self, op: &'a Operation, result: ResultKind, names: Names) -> OperationPlan<'a> {
        // `raw`: the field of a typed fake's request struct holding the request as sent.
        let mut scope = Namespace::reserving(&["self", "options", "raw"]);
        let method_params: Vec<&'a Param> = op
            .params
            .iter()
            .filter(|p| p.role == ParamRole::Method)
            .collect();
        let is_required = |p: &&Param| p.required || p.location == ParamLocation::Path;
        let required: Vec<ParamPlan<'a>> = method_params
            .iter()
            .filter(|p| is_required(p))
            .map(|p| self.param(p, &mut scope, &[]))
            .collect();
        // Optional parameters become fields and `with_*` setters beside the call options'.
        let optional: Vec<ParamPlan<'a>> = method_params
            .iter()
            .filter(|p| !is_required(p))
            .map(|p| self.param(p, &mut scope, CALL_OPTION_NAMES))
            .collect();
        let body = op.body.as_ref().map(|param| BodyPlan {
            param,
            ident: scope.claim(&param.name, Case::Snake),
            validates: self.graph.type_needs_validation(&param.ty),
        });
        let client_checks = op
            .params
            .iter()
            .filter(|p| is_subscription_id(p))
            .filter_map(|p| p.ty.named().map(|name| self.type_ident(name)))
            .collect();
        let client_values = op
            .params
            .iter()
            .filter(|p| p.role == ParamRole::Client && p.location != ParamLocation::Path)
            .map(|param| ClientValue {
                param,
                required: param.required,
            })
            .collect();
        let fake = self.fake_result(op, &result);
        let response_headers = response_headers(op, &result, &names.options_ident);
        OperationPlan {
            op,
            method: names.method,
            request_fn: names.request_fn,
            options_ident: names.options_ident,
            fake_method: names.fake_method,
            fake_request: names.fake_request,
            dispatch_fn: names.dispatch_fn,
            path_values: path_values(op, &required),
            required,
            optional,
            body,
            client_checks,
            client_values,
            sends_api_version: op.params.iter().any(|p| p.role == ParamRole::ApiVersion),
            statuses: op.responses.iter().filter_map(|r| r.status).collect(),
            response_headers,
            result,
            fake,
        }
    }

    /// The plan of `param`, named in `scope`; a name in `avoid` gets the suffix `_param`.
    fn param(&self, param: &'a Param, scope: &mut Namespace, avoid: &[&str]) -> ParamPlan<'a> {
        ParamPlan {
            param,
            ident: {
                let name = sanitize(param.client_name(), Case::Snake);
                let name = if avoid.contains(&name.as_str()) {
                    format!("{name}_param")
                } else {
                    name
                };
                scope.claim_identifier(name, Case::Snake)
            },
            kind: param_kind(self.api, self.types, param),
        }
    }

    /// What `op` returns (a pageable one with a plain pager until [`Context::pager`] decides).
    fn result_kind(&self, op: &Operation) -> ResultKind {
        let success = || {
            op.responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300))
        };
        let body = success().find_map(|r| r.ty.clone());
        if let Some(long_running) = &op.long_running {
            let result = long_running.final_schema.clone().or(body);
            let final_body = op
                .responses
                .iter()
                .any(|r| matches!(r.status, Some(200 | 201)) && r.ty.is_some());
            // A deleted resource is gone (services often end a `DELETE` without a body even
            // where the spec gives it one), and a `POST` whose spec describes a body only for
            // `202 Accepted` promises nothing about the final response, which may be `204`. The
            // result of a pageable one is the first page, which `Poller::into_pager` needs.
            let optional = result.is_some()
                && op.pageable.is_none()
                && match op.method {
                    Method::Delete => true,
                    Method::Post => !final_body && long_running.final_schema.is_none(),
                    _ => false,
                };
            return ResultKind::LongRunning(LongRunningPlan {
                result,
                optional,
                final_state_via: long_running.final_state_via,
                // Named with the group's methods (see `group`).
                resume_method: String::new(),
            });
        }
        if op.pageable.is_some()
            && let Some(TypeRef::Named(page)) = &body
            && self.pages.iter().any(|plan| plan.page == *page)
        {
            return ResultKind::Pageable {
                page: page.clone(),
                pager: PagerPlan::Plain,
            };
        }
        if let Some(content_type) = success().find_map(|r| r.file.clone()) {
            return ResultKind::File { content_type };
        }
        let statuses = || op.responses.iter().filter_map(|r| r.status);
        match body {
            _ if op.method == Method::Head && statuses().any(|s| s == 404) => ResultKind::Exists,
            None => ResultKind::Empty,
            Some(ty) => ResultKind::Model {
                ty,
                optional: success().any(|r| r.ty.is_none()),
            },
        }
    }

    /// How the pager of `plan` fetches further pages; `group` holds every operation of its
    /// group, planned.
    fn pager(&self, plan: &OperationPlan<'a>, group: &[OperationPlan<'a>]) -> PagerPlan {
        let ResultKind::Pageable { page, .. } = &plan.result else {
            return PagerPlan::Plain;
        };
        let Some(pageable) = &plan.op.pageable else {
            return PagerPlan::Plain;
        };
        if pageable.next_link_name.is_none() {
            let model_has_link = self
                .pages
                .iter()
                .any(|p| p.page == *page && p.next_link.is_some());
            return if model_has_link {
                PagerPlan::Single
            } else {
                PagerPlan::Plain
            };
        }
        match next_page(plan, group) {
            Some(next) => PagerPlan::WithNext(next),
            None => PagerPlan::Plain,
        }
    }
}

/// The Rust type `param` is passed as.
pub(super) fn param_kind(
    api: &Api,
    types: &BTreeMap<String, TypePlan<'_>>,
    param: &Param,
) -> ParamKind {
    if let Some(prefix) = &param.header_collection_prefix {
        return ParamKind::HeaderCollection(prefix.clone());
    }
    let type_ident = |name: &str| {
        types
            .get(name)
            .map_or_else(|| name.to_owned(), |plan| plan.ident.clone())
    };
    match &param.ty {
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Newtype(_)) => ParamKind::Validated(type_ident(name)),
            Some(TypeKind::Enum(_)) => ParamKind::Enum(type_ident(name)),
            _ => ParamKind::Text,
        },
        TypeRef::Primitive(
            primitive @ (Primitive::I32 | Primitive::I64 | Primitive::F64 | Primitive::Bool),
        ) => ParamKind::Scalar(*primitive),
        TypeRef::List(_) => {
            ParamKind::List(param.collection_format.unwrap_or(CollectionFormat::Csv))
        }
        _ => ParamKind::Text,
    }
}

/// The value of each `{name}` of the operation's path, in order.
fn path_values(op: &Operation, required: &[ParamPlan<'_>]) -> Vec<PathValue> {
    let mut values = Vec::new();
    let mut rest = op.path.as_str();
    while let Some((_, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else {
            break;
        };
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == name);
        let source = match param {
            Some(param) if is_subscription_id(param) => PathSource::Subscription,
            Some(param) if param.role == ParamRole::Client => {
                PathSource::ClientValue(param.wire_name.clone())
            }
            Some(param) => required
                .iter()
                .position(|plan| plan.param.wire_name == param.wire_name)
                .map_or(PathSource::Missing, PathSource::Argument),
            None => PathSource::Missing,
        };
        values.push(PathValue {
            source,
            verbatim: param.is_some_and(|p| p.skip_url_encoding),
        });
        rest = after;
    }
    values
}

impl Context<'_, '_> {
    /// What a typed fake handler of `op` returns.
    fn fake_result(&self, op: &Operation, result: &ResultKind) -> FakeResult {
        // The first success status among the responses `wanted` picks.
        let success = |wanted: &dyn Fn(&ResponseDef) -> bool| {
            op.responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300) && wanted(r))
                .find_map(|r| r.status)
        };
        let first_body = || {
            op.responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300))
                .find_map(|r| r.ty.clone())
        };
        match result {
            ResultKind::Exists => FakeResult::Exists,
            ResultKind::File { content_type } => FakeResult::File {
                content_type: content_type.clone(),
                status: success(&|r| r.file.is_some()).unwrap_or(200),
            },
            ResultKind::Empty => FakeResult::Empty {
                status: success(&|r| r.ty.is_none()).unwrap_or(200),
            },
            ResultKind::LongRunning(LongRunningPlan { result, .. }) => {
                FakeResult::Polled { ty: result.clone() }
            }
            ResultKind::Model { ty, .. } => FakeResult::Body {
                ty: first_body().unwrap_or_else(|| ty.clone()),
                status: success(&|r| r.ty.is_some()).unwrap_or(200),
            },
            ResultKind::Pageable { page, .. } => {
                match self.pages.iter().find(|plan| plan.page == *page) {
                    Some(plan) => FakeResult::Pages {
                        item: plan.item_type.clone(),
                    },
                    None => FakeResult::Body {
                        ty: first_body().unwrap_or_else(|| TypeRef::Named(page.clone())),
                        status: success(&|r| r.ty.is_some()).unwrap_or(200),
                    },
                }
            }
        }
    }
}
