//! [`LocalEndpoint`] and its [`LocalEndpointBuilder`]: start, URLs, certificate, credential,
//! handlers, fault rules and the request log.

use std::fmt;
use std::io;
use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::Duration;

use azrm_runtime::StaticTokenCredential;

use crate::fake::{AnyHandler, FakeRequest, FakeResponse, Handler};
use crate::faults::FaultRule;
use crate::operations::Operations;
use crate::registration::Registrations;
use crate::route::Route;
use crate::script::FakeAnswer;
use crate::served::ServedRequest;
use crate::server::{self, Listener};
use crate::state::{Settings, Shared};
use crate::sync::lock;
use crate::tls;
use crate::traffic::TrafficRecorder;

/// The token [`LocalEndpoint::credential`] hands out (any non-empty bearer token is accepted).
const TOKEN: &str = "local-endpoint-token";

/// A running local ARM endpoint: an http and an https listener on loopback (127.0.0.1 unless
/// [`LocalEndpointBuilder::ip`] says otherwise) serving one route table. Dropping it (or [`LocalEndpoint::shutdown`]) stops both listeners and every open
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
    ip: Ipv4Addr,
    http_port: u16,
    https_port: u16,
    page_size: usize,
    polls_until_done: u32,
    retry_after: Duration,
    traffic: Option<TrafficRecorder>,
    unregistered_providers: bool,
    request_log_limit: usize,
    operation_limit: usize,
}

impl LocalEndpoint {
    /// Starts configuring an endpoint serving `routes` at `api_version` (every request must carry
    /// exactly that `api-version`).
    pub fn builder(routes: &'static [Route], api_version: &'static str) -> LocalEndpointBuilder {
        LocalEndpointBuilder {
            routes,
            api_version,
            ip: Ipv4Addr::LOCALHOST,
            http_port: 0,
            https_port: 0,
            page_size: 100,
            polls_until_done: 1,
            retry_after: Duration::ZERO,
            traffic: None,
            unregistered_providers: false,
            request_log_limit: LocalEndpointBuilder::DEFAULT_REQUEST_LOG_LIMIT,
            operation_limit: LocalEndpointBuilder::DEFAULT_OPERATION_LIMIT,
        }
    }

    /// The plain http URL, `http://127.0.0.1:PORT` (no trailing `/`; the builder's
    /// [`ip`](LocalEndpointBuilder::ip) if set).
    pub fn http_url(&self) -> String {
        self.http.url.clone()
    }

    /// The https URL, `https://127.0.0.1:PORT` (no trailing `/`; the builder's
    /// [`ip`](LocalEndpointBuilder::ip) if set); its certificate is signed by
    /// [`LocalEndpoint::ca_certificate_pem`] and names that address and `localhost`.
    pub fn https_url(&self) -> String {
        self.https.url.clone()
    }

    /// The PEM of the CA that signed the https certificate: trust it with
    /// [`ClientBuilder::trust_certificate_pem`](azrm_runtime::ClientBuilder::trust_certificate_pem).
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
        let handler: Handler =
            Arc::new(move |request| handler(request).into().map(FakeAnswer::from));
        lock(&self.shared.handlers).set(operation_id, handler);
    }

    /// Answers operation `operation_id` with `handler` as [`LocalEndpoint::on`] does, where the
    /// handler's [`FakeAnswer`] may also script a long-running operation
    /// ([`FakePoller`](crate::FakePoller)) or a list's pages ([`FakePages`](crate::FakePages)):
    /// what the typed fakes of a generated crate register.
    pub fn on_scripted(
        &self,
        operation_id: &str,
        handler: impl Fn(&FakeRequest) -> FakeAnswer + Send + Sync + 'static,
    ) {
        let handler: Handler = Arc::new(move |request| Some(handler(request)));
        lock(&self.shared.handlers).set(operation_id, handler);
    }

    /// Starts an endpoint without routes on 127.0.0.1 that answers every request with `handler`
    /// (see [`LocalEndpoint::on_any`]): a recording stub server for tests of a client.
    pub async fn stub(
        handler: impl Fn(&ServedRequest, &str) -> FakeResponse + Send + Sync + 'static,
    ) -> io::Result<Self> {
        let endpoint = Self::builder(&[], "").start().await?;
        endpoint.on_any(handler);
        Ok(endpoint)
    }

    /// Answers every request with `handler` (replacing an earlier one), instead of the route
    /// table: a recording stub server for tests of a client. The handler sees each request as
    /// the request log records it (no status yet) and the base URL of the listener it came in
    /// on, such as `http://127.0.0.1:PORT`, for links back to the endpoint. Nothing is checked
    /// first (no authentication, api-version or JSON checks) and the answer is sent as it is
    /// (with `content-type: application/json` for a body, but no ARM request ids); fault rules
    /// still apply.
    ///
    /// ```
    /// use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let stub = LocalEndpoint::stub(|request, base| match request.path() {
    ///     "/missing" => FakeResponse::status(404),
    ///     _ => FakeResponse::json(200, &serde_json::json!({"next": format!("{base}/missing")})),
    /// })
    /// .await?;
    /// // point a client at `stub.http_url()`, then inspect `stub.requests()`
    /// # Ok(()) }
    /// ```
    pub fn on_any(
        &self,
        handler: impl Fn(&ServedRequest, &str) -> FakeResponse + Send + Sync + 'static,
    ) {
        let handler: AnyHandler = Arc::new(handler);
        lock(&self.shared.handlers).set_any(handler);
    }

    /// Removes every handler registered with [`LocalEndpoint::on`] and
    /// [`LocalEndpoint::on_any`].
    pub fn clear_handlers(&self) {
        lock(&self.shared.handlers).clear();
    }

    /// Adds a fault rule, after those added before.
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).add(rule);
    }

    /// The requests received, oldest first: the newest
    /// [`request_log_limit`](LocalEndpointBuilder::request_log_limit) of them.
    pub fn requests(&self) -> Vec<ServedRequest> {
        lock(&self.shared.log).iter().cloned().collect()
    }

    /// How many requests the endpoint received since it started, those the log let go included.
    pub fn requests_received(&self) -> u64 {
        lock(&self.shared.log).pushed()
    }

    /// How many long-running operations the endpoint remembers (at most its
    /// [`operation_limit`](LocalEndpointBuilder::operation_limit)).
    pub fn operations_remembered(&self) -> usize {
        lock(&self.shared.operations).len()
    }

    /// How many scripted lists the endpoint keeps for their next pages (at most
    /// [`SCRIPTED_LISTS`](crate::SCRIPTED_LISTS)).
    pub fn scripted_lists_kept(&self) -> usize {
        lock(&self.shared.pagers).len()
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
    /// How many requests the request log keeps unless set.
    pub const DEFAULT_REQUEST_LOG_LIMIT: usize = 100_000;

    /// How many long-running operations the endpoint remembers unless set.
    pub const DEFAULT_OPERATION_LIMIT: usize = 10_000;

    /// How many requests [`LocalEndpoint::requests`] keeps, the newest (at least 1);
    /// [`LocalEndpointBuilder::DEFAULT_REQUEST_LOG_LIMIT`] unless set.
    pub fn request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
        self
    }

    /// How many long-running operations the endpoint remembers (at least 1): when one more
    /// starts, the oldest finished one is forgotten, else the oldest, and polls of a forgotten
    /// operation answer 404; [`LocalEndpointBuilder::DEFAULT_OPERATION_LIMIT`] unless set.
    pub fn operation_limit(mut self, limit: usize) -> Self {
        self.operation_limit = limit;
        self
    }

    /// The loopback address both listeners bind to; 127.0.0.1 unless set. Another one, such as
    /// 127.0.0.2, makes a second endpoint another host to a client. [`LocalEndpointBuilder::start`]
    /// fails for an address that is not loopback.
    pub fn ip(mut self, ip: Ipv4Addr) -> Self {
        self.ip = ip;
        self
    }

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

    /// Makes the certificates and starts both listeners. Fails if a port is taken or the
    /// [`ip`](LocalEndpointBuilder::ip) is not a loopback address (`InvalidInput`).
    pub async fn start(self) -> io::Result<LocalEndpoint> {
        if !self.ip.is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the local endpoint listens on loopback only, and {} is not a loopback address",
                    self.ip
                ),
            ));
        }
        let tls = tls::generate(self.ip)?;
        let settings = Settings {
            api_version: self.api_version,
            page_size: self.page_size.max(1),
            traffic: self.traffic,
        };
        let operations = Operations::new(
            self.polls_until_done,
            whole_seconds(self.retry_after),
            self.operation_limit,
        );
        let registrations = Registrations::new(self.unregistered_providers);
        let shared = Arc::new(Shared::new(
            self.routes,
            settings,
            operations,
            registrations,
            self.request_log_limit,
        ));
        let http = server::listen(shared.clone(), self.ip, self.http_port, None).await?;
        let https =
            server::listen(shared.clone(), self.ip, self.https_port, Some(tls.acceptor)).await?;
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
            .field("ip", &self.ip)
            .field("http_port", &self.http_port)
            .field("https_port", &self.https_port)
            .field("page_size", &self.page_size)
            .field("polls_until_done", &self.polls_until_done)
            .field("retry_after", &self.retry_after)
            .field("record_traffic", &self.traffic.is_some())
            .field("unregistered_providers", &self.unregistered_providers)
            .field("request_log_limit", &self.request_log_limit)
            .field("operation_limit", &self.operation_limit)
            .finish()
    }
}

/// The delay of `Retry-After` in whole seconds, rounded up.
fn whole_seconds(delay: Duration) -> u64 {
    delay.as_secs() + u64::from(delay.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use azrm_runtime::{Client, Method, Request, Secret};
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn an_address_that_is_not_loopback_is_refused_by_name() {
        let error = LocalEndpoint::builder(&[], "")
            .ip(Ipv4Addr::new(192, 0, 2, 1))
            .start()
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            error.to_string(),
            "the local endpoint listens on loopback only, and 192.0.2.1 is not a loopback address"
        );
    }

    #[tokio::test]
    async fn a_handler_of_every_request_answers_as_it_likes_and_the_log_keeps_the_request() {
        let stub = LocalEndpoint::builder(&[], "")
            .ip(Ipv4Addr::new(127, 0, 0, 3))
            .start()
            .await
            .unwrap();
        stub.on_any(|request, base| {
            FakeResponse::json(201, &json!({"seen": request.json(), "base": base}))
                .with_header("x-custom", request.header("X-Test").unwrap_or("none"))
        });
        let base = stub.http_url();
        assert!(base.starts_with("http://127.0.0.3:"), "{base}");
        let client = Client::builder("sub-1")
            .endpoint(&base)
            .credential(StaticTokenCredential::new("stub-token"))
            .build()
            .unwrap();
        let response = client
            .send(Request {
                operation_id: "Things_Put",
                method: Method::Put,
                path_template: "(test)",
                path: "/things/a%2Fb".to_owned(),
                query: Vec::new(),
                headers: vec![("x-test", "yes".to_owned())],
                body: Some(br#"{"a":1}"#.to_vec()),
                api_version: "v1",
                expected_status: &[201],
                call: azrm_runtime::CallOptions::new(),
            })
            .await
            .unwrap();
        assert_eq!(response.header("x-custom"), Some("yes"));
        assert_eq!(response.header("content-type"), Some("application/json"));
        assert_eq!(response.header("x-ms-request-id"), None);
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        assert_eq!(body, json!({"seen": {"a": 1}, "base": base}));

        let [served] = stub.requests().try_into().unwrap();
        assert_eq!(served.method, "PUT");
        assert_eq!(served.target, "/things/a%2Fb?api-version=v1");
        assert_eq!(served.path(), "/things/a%2Fb");
        assert_eq!(served.body, br#"{"a":1}"#);
        assert_eq!(served.header("X-TEST"), Some("yes"));
        assert_eq!(served.header("authorization"), None);
        assert_eq!(
            served.authorization.as_ref().map(Secret::expose),
            Some("Bearer stub-token")
        );
        assert!(!format!("{served:?}").contains("stub-token"), "{served:?}");
        assert_eq!((served.status, served.operation_id), (Some(201), None));
    }

    #[tokio::test]
    async fn the_request_log_and_the_operation_table_stay_within_their_limits() {
        static ROUTES: &[Route] = crate::route::TEST_CREATE_WIDGET;
        const LOG: usize = 40;
        const OPERATIONS: usize = 10;
        let endpoint = LocalEndpoint::builder(ROUTES, "v1")
            .request_log_limit(LOG)
            .operation_limit(OPERATIONS)
            .polls_until_done(0)
            .start()
            .await
            .unwrap();
        let client = Client::builder("sub-1")
            .endpoint(endpoint.http_url())
            .credential(endpoint.credential())
            .build()
            .unwrap();
        let request = |method, path: String, body: Option<&str>| Request {
            operation_id: "test",
            method,
            path_template: "(test)",
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: body.map(|body| body.as_bytes().to_vec()),
            api_version: "v1",
            expected_status: &[200, 201],
            call: azrm_runtime::CallOptions::new(),
        };
        let base = endpoint.http_url();
        let status_path = |response: &azrm_runtime::RawResponse| {
            let url = response.header("azure-asyncoperation").unwrap();
            let path = url.strip_prefix(base.as_str()).unwrap();
            path.split('?').next().unwrap().to_owned()
        };
        // Every third operation is never polled: the table forgets finished ones first.
        let mut unpolled = Vec::new();
        let mut sent = 0;
        for n in 0..60 {
            let path = format!("/subscriptions/sub-1/providers/Microsoft.Widgets/widgets/w{n}");
            let created = client
                .send(request(Method::Put, path, Some("{}")))
                .await
                .unwrap();
            sent += 1;
            if n % 3 == 0 {
                unpolled.push(status_path(&created));
                continue;
            }
            client
                .send(request(Method::Get, status_path(&created), None))
                .await
                .unwrap();
            sent += 1;
            assert!(endpoint.operations_remembered() <= OPERATIONS);
        }
        assert_eq!(endpoint.requests().len(), LOG);
        assert_eq!(endpoint.requests_received(), sent);
        let newest = endpoint.requests().pop().unwrap();
        assert!(newest.target.contains("operationsStatus"), "{newest:?}");
        assert_eq!(endpoint.operations_remembered(), OPERATIONS);
        // The newest unpolled operations outlive the finished ones; the oldest are forgotten.
        let older_than_the_limit = &unpolled[unpolled.len() - 5];
        let polled = client
            .send(request(Method::Get, older_than_the_limit.clone(), None))
            .await
            .unwrap();
        assert_eq!(polled.status(), 200);
        let forgotten = client
            .send(request(Method::Get, unpolled[0].clone(), None))
            .await
            .unwrap_err();
        assert_eq!(forgotten.status(), Some(404));
    }

    #[test]
    fn retry_after_is_in_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1500)), 2);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
    }
}
