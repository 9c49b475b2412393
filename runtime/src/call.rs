//! [`CallOptions`]: what one call of an operation may set for itself, on top of the client's
//! configuration: extra headers, a timeout, its `x-ms-client-request-id`, its retries, and for a
//! long-running operation how often to poll.

use std::fmt;
use std::time::Duration;

use crate::retry::RetryOptions;

/// Options of one call, common to every operation: each generated operation's options struct
/// holds one (its `call` field) beside the operation's optional parameters, and has a `with_*`
/// setter for each of these.
///
/// Unset options take the client's configuration. `Debug` shows header names, never values
/// (a header may carry a secret). No options cost nothing: the options live behind one pointer
/// that stays empty until one is set, so every request carries a pointer's worth.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallOptions {
    set: Option<Box<Set>>,
}

/// The options that were set.
#[derive(Clone, Default, PartialEq, Eq)]
struct Set {
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    client_request_id: Option<String>,
    retry: Option<RetryOptions>,
    poll_interval: Option<Duration>,
}

impl CallOptions {
    /// No options: the call goes out as the client configures it. A `const` so that the
    /// requests the runtime makes of itself (polls, next pages, provider registration) share one.
    pub const fn new() -> Self {
        Self { set: None }
    }

    /// The options, to set one.
    fn set(&mut self) -> &mut Set {
        self.set.get_or_insert_default()
    }

    /// A header sent with this call (its first request; not its polls or further pages), after
    /// the client's own and the operation's header parameters, so it replaces a header of the
    /// same name. `Authorization` cannot be set: the call fails with an error of kind
    /// [`ErrorKind::InvalidRequest`](crate::ErrorKind::InvalidRequest) before anything is sent,
    /// as it does for a name or value that is not valid in HTTP.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set().headers.push((name.into(), value.into()));
        self
    }

    /// The timeout of each HTTP attempt of this call, instead of the client's
    /// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.set().timeout = Some(timeout);
        self
    }

    /// The `x-ms-client-request-id` of this call, which Resource Manager echoes in its response
    /// and logs: correlates the call with the caller's own logs. Unless set, the client makes a
    /// fresh UUID for every request.
    pub fn with_client_request_id(mut self, id: impl Into<String>) -> Self {
        self.set().client_request_id = Some(id.into());
        self
    }

    /// How this call is retried, instead of the client's
    /// ([`ClientBuilder::retry`](crate::ClientBuilder::retry)).
    pub fn with_retry(mut self, retry: RetryOptions) -> Self {
        self.set().retry = Some(retry);
        self
    }

    /// For a long-running operation: the longest wait between polls when the service names none
    /// (`Retry-After`), instead of the client's
    /// ([`ClientBuilder::poll_interval`](crate::ClientBuilder::poll_interval)). Other operations
    /// ignore it.
    pub fn with_poll_interval(mut self, poll_interval: Duration) -> Self {
        self.set().poll_interval = Some(poll_interval);
        self
    }

    /// These options followed by `later`: `later`'s headers come after these, and each of its
    /// other options that is set replaces this one's.
    pub(crate) fn followed_by(self, later: CallOptions) -> CallOptions {
        match (self.set, later.set) {
            (Some(mut earlier), Some(mut later)) => {
                earlier.headers.append(&mut later.headers);
                later.headers = earlier.headers;
                CallOptions { set: Some(later) }
            }
            (earlier, None) => CallOptions { set: earlier },
            (None, later) => CallOptions { set: later },
        }
    }

    /// The headers set with [`CallOptions::with_header`], in order.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        self.set
            .iter()
            .flat_map(|set| &set.headers)
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// The timeout set with [`CallOptions::with_timeout`].
    pub fn timeout(&self) -> Option<Duration> {
        self.set.as_ref()?.timeout
    }

    /// The client request id set with [`CallOptions::with_client_request_id`].
    pub fn client_request_id(&self) -> Option<&str> {
        self.set.as_ref()?.client_request_id.as_deref()
    }

    /// The retries set with [`CallOptions::with_retry`].
    pub fn retry(&self) -> Option<&RetryOptions> {
        self.set.as_ref()?.retry.as_ref()
    }

    /// The poll interval set with [`CallOptions::with_poll_interval`].
    pub fn poll_interval(&self) -> Option<Duration> {
        self.set.as_ref()?.poll_interval
    }
}

/// The `with_*` setters of a generated operation's options struct that reach into its `call`
/// field (a [`CallOptions`]): `with_header`, `with_timeout`, `with_client_request_id`,
/// `with_retry`, and with `long_running` also `with_poll_interval`. Generated crates invoke it
/// once per options struct, so the setters are written once, here.
#[doc(hidden)]
#[macro_export]
macro_rules! call_option_setters {
    ($options:ident) => {
        impl $options {
            /// Adds a header to this call: see `CallOptions::with_header`.
            pub fn with_header(
                mut self,
                name: impl Into<String>,
                value: impl Into<String>,
            ) -> Self {
                self.call = self.call.with_header(name, value);
                self
            }

            /// The timeout of each attempt of this call: see `CallOptions::with_timeout`.
            pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.call = self.call.with_timeout(timeout);
                self
            }

            /// The `x-ms-client-request-id` of this call: see
            /// `CallOptions::with_client_request_id`.
            pub fn with_client_request_id(mut self, id: impl Into<String>) -> Self {
                self.call = self.call.with_client_request_id(id);
                self
            }

            /// How this call is retried: see `CallOptions::with_retry`.
            pub fn with_retry(mut self, retry: $crate::RetryOptions) -> Self {
                self.call = self.call.with_retry(retry);
                self
            }
        }
    };
    ($options:ident, long_running) => {
        $crate::call_option_setters!($options);

        impl $options {
            /// The longest wait between polls when the service names none: see
            /// `CallOptions::with_poll_interval`.
            pub fn with_poll_interval(mut self, poll_interval: std::time::Duration) -> Self {
                self.call = self.call.with_poll_interval(poll_interval);
                self
            }
        }
    };
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers().map(|(name, _)| name).collect();
        f.debug_struct("CallOptions")
            .field("headers", &names)
            .field("timeout", &self.timeout())
            .field("client_request_id", &self.client_request_id())
            .field("retry", &self.retry())
            .field("poll_interval", &self.poll_interval())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_headers_without_their_values() {
        let options = CallOptions::new()
            .with_header("x-ms-authorization-auxiliary", "Bearer secret-token")
            .with_timeout(Duration::from_secs(3));
        let debug = format!("{options:?}");
        assert!(debug.contains("x-ms-authorization-auxiliary"), "{debug}");
        assert!(!debug.contains("secret-token"), "{debug}");
        assert_eq!(options.timeout(), Some(Duration::from_secs(3)));
        assert_eq!(CallOptions::new(), CallOptions::default());
    }
}
