//! Resource provider registration: when Resource Manager answers `409
//! MissingSubscriptionRegistration` (the subscription has never used the provider), register the
//! provider, wait until it is registered, and let the client send the request again, as Go's
//! `arm/runtime` registration policy does. [`ProviderRegistration`] configures it.

use std::time::Duration;

use serde::Deserialize;

use crate::error::Error;

/// The ARM error code of a request to a provider the subscription is not registered for.
const MISSING_REGISTRATION: &str = "MissingSubscriptionRegistration";

/// The api-version of the `Microsoft.Resources` provider operations used to register.
pub(crate) const PROVIDERS_API_VERSION: &str = "2021-04-01";

/// How a client registers a resource provider that the subscription is not registered for
/// (`409 MissingSubscriptionRegistration`): on by default, as in Go's SDK. The client `POST`s
/// `/subscriptions/{id}/providers/{namespace}/register`, `GET`s the provider until its
/// `registrationState` is `Registered`, then sends the original request again. Registering needs
/// the `Microsoft.Resources/subscriptions/providers/register/action` permission; without it, the
/// error of the register request is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRegistration {
    pub(crate) enabled: bool,
    pub(crate) polling_delay: Duration,
    pub(crate) polling_timeout: Duration,
    pub(crate) max_attempts: u32,
}

impl Default for ProviderRegistration {
    /// On; polls every 15 s for at most 5 minutes; registers at most 3 times per request (Go's
    /// defaults).
    fn default() -> Self {
        Self {
            enabled: true,
            polling_delay: Duration::from_secs(15),
            polling_timeout: Duration::from_secs(5 * 60),
            max_attempts: 3,
        }
    }
}

impl ProviderRegistration {
    /// The defaults: on, polling every 15 s for at most 5 minutes.
    pub fn new() -> Self {
        Self::default()
    }

    /// No registration: a `409 MissingSubscriptionRegistration` is returned as an error.
    pub fn disabled() -> Self {
        Self {
            enabled: false,
            ..Self::default()
        }
    }

    /// The wait between reads of the provider's `registrationState`.
    pub fn polling_delay(mut self, polling_delay: Duration) -> Self {
        self.polling_delay = polling_delay;
        self
    }

    /// How long to wait for the provider to be registered before giving up (with an error of
    /// kind [`ErrorKind::UnexpectedResponse`](crate::ErrorKind::UnexpectedResponse)).
    pub fn polling_timeout(mut self, polling_timeout: Duration) -> Self {
        self.polling_timeout = polling_timeout;
        self
    }

    /// How many times one request may register a provider and be sent again.
    pub fn max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }
}

/// The provider to register for a failed request, if the failure is a missing registration:
/// `(subscription id, provider namespace)`. The namespace comes from the error message
/// (`... namespace 'Microsoft.DocumentDB'`), else from the last `/providers/{namespace}` of the
/// request path; the subscription from the path, else `default_subscription`.
pub(crate) fn missing_registration(
    error: &Error,
    path: &str,
    default_subscription: &str,
) -> Option<(String, String)> {
    if error.status() != Some(409) || error.error_code() != Some(MISSING_REGISTRATION) {
        return None;
    }
    let segments: Vec<&str> = path.split('/').collect();
    let after = |name: &str| {
        segments
            .windows(2)
            .filter(|pair| pair[0].eq_ignore_ascii_case(name))
            .map(|pair| pair[1])
            .collect::<Vec<_>>()
    };
    let from_message = error.error_message().and_then(|message| {
        let start = message.find("namespace '")? + "namespace '".len();
        let length = message[start..].find('\'')?;
        Some(&message[start..start + length])
    });
    let namespace = from_message.or_else(|| after("providers").last().copied())?;
    let subscription = after("subscriptions")
        .first()
        .copied()
        .unwrap_or(default_subscription);
    let valid = |text: &str| {
        !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    };
    (valid(namespace) && valid(subscription))
        .then(|| (subscription.to_owned(), namespace.to_owned()))
}

/// The part of a provider resource that tells whether it is registered.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProviderState {
    registration_state: Option<String>,
}

impl ProviderState {
    /// Whether the provider is registered.
    pub(crate) fn is_registered(body: &[u8]) -> bool {
        serde_json::from_slice::<ProviderState>(body)
            .ok()
            .and_then(|state| state.registration_state)
            .is_some_and(|state| state.eq_ignore_ascii_case("Registered"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::response::{Headers, RawResponse};

    fn conflict(code: &str, message: &str) -> Error {
        let body = serde_json::json!({"error": {"code": code, "message": message}});
        let response = RawResponse::new(409, Headers::default(), body.to_string().into());
        Error::from_status("Op", response)
    }

    #[test]
    fn the_provider_comes_from_the_message_else_the_path() {
        let path = "/subscriptions/sub-9/resourceGroups/rg/providers/Microsoft.DocumentDB/databaseAccounts/a";
        let error = conflict(
            MISSING_REGISTRATION,
            "The subscription is not registered to use namespace 'Microsoft.Other'.",
        );
        assert_eq!(
            missing_registration(&error, path, "default"),
            Some(("sub-9".into(), "Microsoft.Other".into()))
        );
        let error = conflict(MISSING_REGISTRATION, "not registered");
        assert_eq!(
            missing_registration(&error, "/providers/Microsoft.DocumentDB/x", "default"),
            Some(("default".into(), "Microsoft.DocumentDB".into()))
        );
        let error = conflict("Conflict", "namespace 'Microsoft.DocumentDB'");
        assert_eq!(missing_registration(&error, path, "default"), None);
        let error = conflict(MISSING_REGISTRATION, "namespace 'a/../b'");
        assert_eq!(missing_registration(&error, path, "default"), None);
        assert!(matches!(error.kind(), ErrorKind::Http { .. }));
    }

    #[test]
    fn registered_is_read_in_any_case() {
        assert!(ProviderState::is_registered(
            br#"{"registrationState": "registered"}"#
        ));
        assert!(!ProviderState::is_registered(
            br#"{"registrationState": "Registering"}"#
        ));
        assert!(!ProviderState::is_registered(b"{}"));
    }
}
