//! The client parameters: the values set once on the client's builder (AutoRest's client
//! parameters, `x-ms-parameter-location: client` or a global parameter that does not say
//! `method`), each with its builder setter, Rust type and whether the builder requires it. The
//! subscription id is the runtime client's own and not among them.

use std::collections::BTreeMap;

use super::names::Namespace;
use super::operations::{ParamKind, is_subscription_id, param_kind};
use super::types::TypePlan;
use crate::ir::{Api, Param, ParamLocation, ParamRole};
use crate::names::Case;

/// The methods of the runtime's `ClientBuilder`, which a setter of the same name would hide.
const BUILDER_METHODS: &[&str] = &[
    "new",
    "header",
    "endpoint",
    "cloud",
    "audience",
    "credential",
    "retry",
    "provider_registration",
    "timeout",
    "connect_timeout",
    "application_id",
    "package",
    "http_client",
    "trust_certificate_pem",
    "validation",
    "poll_interval",
    "client_value",
    "check_client",
    "build",
];

/// One client parameter.
#[derive(Debug)]
pub struct ClientParamPlan<'a> {
    /// The IR's parameter, as the first operation using it declares it.
    pub param: &'a Param,
    /// Its setter on the client's builder.
    pub setter: String,
    /// The Rust type the setter takes.
    pub kind: ParamKind,
    /// Whether some operation needs it: the builder refuses to build without it.
    pub required: bool,
}

/// The client parameters of `api`, by wire name in the order operations first use them.
pub(super) fn plan_client_params<'a>(
    api: &'a Api,
    types: &BTreeMap<String, TypePlan<'a>>,
) -> Vec<ClientParamPlan<'a>> {
    let mut setters = Namespace::reserving(BUILDER_METHODS);
    let mut planned: Vec<ClientParamPlan<'a>> = Vec::new();
    let used = api.operations.iter().flat_map(|op| &op.params);
    for param in used.filter(|p| p.role == ParamRole::Client && !is_subscription_id(p)) {
        let required = param.required || param.location == ParamLocation::Path;
        match planned
            .iter_mut()
            .find(|plan| plan.param.wire_name == param.wire_name)
        {
            Some(plan) => plan.required |= required,
            None => planned.push(ClientParamPlan {
                param,
                setter: setters.claim(param.client_name(), Case::Snake),
                kind: param_kind(api, types, param),
                required,
            }),
        }
    }
    planned
}
