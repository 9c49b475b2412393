//! [`LocalEndpoint`] and its [`LocalEndpointBuilder`]: start, URLs, certificate, credential,
//! handlers, fault rules and the request log.

use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use arm_runtime::StaticTokenCredential;

use crate::fake::{FakeRequest, FakeResponse, Handler};
use crate::faults::FaultRule;
use crate::operations::Operations;
use crate::registration::Registrations;
use crate::route::Route;
use crate::served::ServedRequest;
use crate::server::{self, Listener};
use crate::state::{Settings, Shared};
use crate::sync::lock;
use crate::tls;
use crate::traffic::TrafficRecorder;

/// The token [`LocalEndpoint::credential`] hands out (any non-empty bearer token is accepted).
const TOKEN: &str = "local-endpoint-token";

/// A running local ARM endpoint: an http and an https listener on 127.0.0.1 serving one route
/// table. Dropping it (or [`LocalEndpoint::shutdown`]) stops both listeners and every open
/// connection. Must be started inside a Tokio runtime.
pub struct LocalEndpoint {
    shared: Arc<Shared>,
    ca_pem: String,
    http: Listener,
    https: Listener,
}

/// Configures a [`LocalEndpoint`]; made by [`LocalEndpoint::builder`].
#[derive(Clone)]
pub struct LocalEndpointBuilder {
    routes: &'static [Route],
    api_version: &'static str,
    http_port: u16,
    https_port: u16,
    page_size: usize,
    polls_until_done: u32,
    retry_after: Duration,
    traffic: Option<TrafficRecorder>,
    unregistered_providers: bool,
}

impl LocalEndpoint {
    /// Starts configuring an endpoint serving `routes` at `api_version` (every request must carry
    /// exactly that `api-version`).
    pub fn builder(routes: &'static [Route], api_version: &'static str) -> LocalEndpointBuilder {
        LocalEndpointBuilder {
            routes,
            api_version,
            http_port: 0,
            https_port: 0,
            page_size: 100,
            polls_until_done: 1,
            retry_after: Duration::ZERO,
            traffic: None,
            unregistered_providers: false,
        }
    }

    /// The plain http URL, `http://127.0.0.1:PORT` (no trailing `/`).
    pub fn http_url(&self) -> String {
        self.http.url.clone()
    }

    /// The https URL, `https://127.0.0.1:PORT` (no trailing `/`); its certificate is signed by
    /// [`LocalEndpoint::ca_certificate_pem`] and names `127.0.0.1` and `localhost`.
    pub fn https_url(&self) -> String {
        self.https.url.clone()
    }

    /// The PEM of the CA that signed the https certificate: trust it with
    /// [`ClientBuilder::trust_certificate_pem`](arm_runtime::ClientBuilder::trust_certificate_pem).
    pub fn ca_certificate_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A credential whose token the endpoint accepts.
    pub fn credential(&self) -> StaticTokenCredential {
        StaticTokenCredential::new(TOKEN)
    }

    /// Answers operation `operation_id` with `handler` (replacing an earlier handler of it),
    /// after authentication, api-version and JSON checks and before the stored behaviour.
    ///
    /// The handler returns a [`FakeResponse`] to answer with it, or an `Option<FakeResponse>`
    /// whose `None` lets the stored behaviour answer (for example to fail only some requests).
    /// Its response is sent as it is: a long-running operation answered by a handler is done at
    /// once.
    pub fn on<R>(
        &self,
        operation_id: &str,
        handler: impl Fn(&FakeRequest) -> R + Send + Sync + 'static,
    ) where
        R: Into<Option<FakeResponse>>,
    {
        let handler: Handler = Arc::new(move |request| handler(request).into());
        lock(&self.shared.handlers).set(operation_id, handler);
    }

    /// Removes every handler registered with [`LocalEndpoint::on`].
    pub fn clear_handlers(&self) {
        lock(&self.shared.handlers).clear();
    }

    /// Adds a fault rule, after those added before.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).add(rule);
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<ServedRequest> {
        lock(&self.shared.log).clone()
    }

    /// Stops both listeners and waits until they are closed.
    pub async fn shutdown(self) {
        self.http.stop().await;
        self.https.stop().await;
    }
}

impl fmt::Debug for LocalEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEndpoint")
            .field("http_url", &self.http.url)
            .field("https_url", &self.https.url)
            .field("routes", &self.shared.routes.len())
            .field("api_version", &self.shared.settings.api_version)
            .finish_non_exhaustive()
    }
}

impl LocalEndpointBuilder {
    /// The http port; 0 (the default) picks a free one.
    pub fn http_port(mut self, port: u16) -> Self {
        self.http_port = port;
        self
    }

    /// The https port; 0 (the default) picks a free one.
    pub fn https_port(mut self, port: u16) -> Self {
        self.https_port = port;
        self
    }

    /// Items per page of pageable lists; 100 unless set, at least 1.
    pub fn page_size(mut self, page_size: usize) -> Self {
        self.page_size = page_size;
        self
    }

    /// How many polls of a long-running operation answer `InProgress` before it reports
    /// `Succeeded`; 1 unless set (0: done at the first poll).
    pub fn polls_until_done(mut self, polls: u32) -> Self {
        self.polls_until_done = polls;
        self
    }

    /// The `Retry-After` of long-running operation answers, in whole seconds rounded up; zero
    /// unless set.
    pub fn retry_after(mut self, delay: Duration) -> Self {
        self.retry_after = delay;
        self
    }

    /// Records every exchange the endpoint answers into `recorder` (keep a clone of it to write
    /// them as oav traffic files): the operations called, requests no route serves and injected
    /// faults, but not the polls of long-running operations' status and result URLs, which are
    /// not operations of the spec. Nothing is recorded unless set.
    pub fn record_traffic(mut self, recorder: TrafficRecorder) -> Self {
        self.traffic = Some(recorder);
        self
    }

    /// Starts with every resource provider unregistered, as for a new subscription: requests
    /// to a provider answer `409 MissingSubscriptionRegistration` until a client registers it
    /// (`POST /subscriptions/{id}/providers/{namespace}/register`, any api-version), after which
    /// `GET /subscriptions/{id}/providers/{namespace}` reads `Registering` once, then
    /// `Registered`, and requests go ahead. Off unless set: every provider is registered.
    pub fn unregistered_providers(mut self) -> Self {
        self.unregistered_providers = true;
        self
    }

    /// Makes the certificates and starts both listeners on 127.0.0.1. Fails if a port is taken.
    pub async fn start(self) -> io::Result<LocalEndpoint> {
        let tls = tls::generate()?;
        let settings = Settings {
            api_version: self.api_version,
            page_size: self.page_size.max(1),
            traffic: self.traffic,
        };
        let operations = Operations::new(self.polls_until_done, whole_seconds(self.retry_after));
        let registrations = Registrations::new(self.unregistered_providers);
        let shared = Arc::new(Shared::new(
            self.routes,
            settings,
            operations,
            registrations,
        ));
        let http = server::listen(shared.clone(), self.http_port, None).await?;
        let https = server::listen(shared.clone(), self.https_port, Some(tls.acceptor)).await?;
        Ok(LocalEndpoint {
            shared,
            ca_pem: tls.ca_pem,
            http,
            https,
        })
    }
}

impl fmt::Debug for LocalEndpointBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEndpointBuilder")
            .field("routes", &self.routes.len())
            .field("api_version", &self.api_version)
            .field("http_port", &self.http_port)
            .field("https_port", &self.https_port)
            .field("page_size", &self.page_size)
            .field("polls_until_done", &self.polls_until_done)
            .field("retry_after", &self.retry_after)
            .field("record_traffic", &self.traffic.is_some())
            .field("unregistered_providers", &self.unregistered_providers)
            .finish()
    }
}

/// The delay of `Retry-After` in whole seconds, rounded up.
fn whole_seconds(delay: Duration) -> u64 {
    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_in_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
    }
}
