//! Resource provider registration as Resource Manager does it, for an endpoint started with
//! [`LocalEndpointBuilder::unregistered_providers`](crate::LocalEndpointBuilder::unregistered_providers):
//! every provider namespace starts unregistered for every subscription, so requests to it answer
//! `409 MissingSubscriptionRegistration` until a client `POST`s
//! `/subscriptions/{id}/providers/{namespace}/register`. The provider then reads as
//! `Registering` once (`GET /subscriptions/{id}/providers/{namespace}`) and `Registered` after.

use std::collections::HashMap;

use serde_json::json;

use crate::fake::FakeResponse;
use crate::matching::{percent_decode, split_path};
use crate::resource::ResourcePath;

/// Where a provider's registration stands, per subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Asked to register; the next read says `Registering`, the ones after `Registered`.
    Registering,
    /// Registered: requests to the provider go ahead.
    Registered,
}

/// A request to the `Microsoft.Resources` provider operations this module serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ProviderRequest {
    /// `POST /subscriptions/{id}/providers/{namespace}/register`.
    Register {
        /// The subscription id.
        subscription: String,
        /// The provider namespace, such as `Microsoft.DocumentDB`.
        namespace: String,
    },
    /// `GET /subscriptions/{id}/providers/{namespace}`.
    Read {
        /// The subscription id.
        subscription: String,
        /// The provider namespace.
        namespace: String,
    },
}

impl ProviderRequest {
    /// The provider operation `method` on `path` asks for, if it is one.
    pub(super) fn of(method: &str, path: &str) -> Option<Self> {
        let segments: Vec<String> = split_path(path).into_iter().map(percent_decode).collect();
        match (method, segments.as_slice()) {
            ("POST", [subscriptions, subscription, providers, namespace, register])
                if subscriptions.eq_ignore_ascii_case("subscriptions")
                    && providers.eq_ignore_ascii_case("providers")
                    && register.eq_ignore_ascii_case("register") =>
            {
                Some(Self::Register {
                    subscription: subscription.clone(),
                    namespace: namespace.clone(),
                })
            }
            ("GET", [subscriptions, subscription, providers, namespace])
                if subscriptions.eq_ignore_ascii_case("subscriptions")
                    && providers.eq_ignore_ascii_case("providers") =>
            {
                Some(Self::Read {
                    subscription: subscription.clone(),
                    namespace: namespace.clone(),
                })
            }
            _ => None,
        }
    }
}

/// The registrations of an endpoint; with registration off, every provider counts as registered
/// and nothing here is served.
#[derive(Debug, Default)]
pub(super) struct Registrations {
    required: bool,
    /// By lower-case `(subscription, namespace)`.
    states: HashMap<(String, String), State>,
}

impl Registrations {
    /// Registrations that start with every provider unregistered if `required`.
    pub(super) fn new(required: bool) -> Self {
        Self {
            required,
            states: HashMap::new(),
        }
    }

    /// Whether provider operations are served (registration is required).
    pub(super) fn serves_providers(&self) -> bool {
        self.required
    }

    /// The `409 MissingSubscriptionRegistration` a request to `path` gets while its provider is
    /// not registered for its subscription; `None` when it may go ahead.
    pub(super) fn refusal(&self, path: &str) -> Option<FakeResponse> {
        if !self.required {
            return None;
        }
        let resource = ResourcePath::parse(path);
        let (subscription, namespace) = (resource.subscription()?, resource.namespace()?);
        let registered = self.states.get(&key(subscription, namespace)) == Some(&State::Registered);
        (!registered).then(|| {
            FakeResponse::error(
                409,
                "MissingSubscriptionRegistration",
                &format!(
                    "The subscription is not registered to use namespace '{namespace}'. See \
                     https://aka.ms/rps-not-found for how to register subscriptions."
                ),
            )
        })
    }

    /// Answers a provider operation.
    pub(super) fn answer(&mut self, request: &ProviderRequest) -> FakeResponse {
        let (subscription, namespace, shown) = match request {
            ProviderRequest::Register {
                subscription,
                namespace,
            } => {
                let state = self
                    .states
                    .entry(key(subscription, namespace))
                    .or_insert(State::Registering);
                (subscription, namespace, Some(*state))
            }
            ProviderRequest::Read {
                subscription,
                namespace,
            } => {
                let state = self.states.get_mut(&key(subscription, namespace));
                let shown = state.as_deref().copied();
                // Registration completes once it has been read.
                if let Some(state) = state {
                    *state = State::Registered;
                }
                (subscription, namespace, shown)
            }
        };
        let registration_state = match shown {
            None => "NotRegistered",
            Some(State::Registering) => "Registering",
            Some(State::Registered) => "Registered",
        };
        FakeResponse::json(
            200,
            &json!({
                "id": format!("/subscriptions/{subscription}/providers/{namespace}"),
                "namespace": namespace,
                "registrationState": registration_state,
            }),
        )
    }
}

/// The map key of a subscription's provider.
fn key(subscription: &str, namespace: &str) -> (String, String) {
    (subscription.to_lowercase(), namespace.to_lowercase())
}
