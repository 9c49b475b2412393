//! [`Client`]: the one request path every operation goes through (URL, authentication, headers,
//! retries, provider registration, tracing), and [`ClientBuilder`] to configure it.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use azure_core::credentials::TokenCredential;
use bytes::Bytes;
use reqwest::Url;
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use tracing::Instrument as _;

use crate::call::CallOptions;
use crate::credential::{IntoCredential, TokenCache, scope_of};
use crate::endpoint::{AzureCloud, ensure_trusted, parse_endpoint, resolve_trusted};
use crate::error::{Error, ErrorKind, innermost_cause};
use crate::registration::{
    PROVIDERS_API_VERSION, ProviderRegistration, ProviderState, missing_registration,
};
use crate::request::{Method, Request, append_query};
use crate::response::{Headers, RawResponse, Response};
use crate::retry::{RetryOptions, is_retryable_status};
use crate::stream::BodyStream;
use crate::validation::{Rule, Validation, ValidationError};

/// A client for Azure Resource Manager: endpoint, subscription, credential, retries. Cheap to
/// clone; clones share connections and the token cache. `Debug` shows the endpoint and the
/// subscription id, never a token.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    subscription_id: String,
    endpoint: Url,
    endpoint_text: String,
    http: reqwest::Client,
    tokens: TokenCache,
    retry: RetryOptions,
    registration: ProviderRegistration,
    timeout: Duration,
    user_agent: HeaderValue,
    poll_interval: Duration,
    default_headers: HeaderMap,
    validation: Validation,
    client_values: Vec<(&'static str, String)>,
}

/// The check of a generated client's own values (its client parameters), run once by
/// [`ClientBuilder::build`].
pub type ClientCheck = fn(&Client) -> Result<(), Error>;

/// Configures a [`Client`]; made by [`Client::builder`].
///
/// `C` is what [`ClientBuilder::build`] returns: the runtime's [`Client`], or a generated crate's
/// client that wraps one (`From<Client>`), so users of a generated crate build its client
/// directly.
pub struct ClientBuilder<C = Client> {
    built: PhantomData<fn() -> C>,
    subscription_id: String,
    endpoint: String,
    credential: Option<Arc<dyn TokenCredential>>,
    audience: Option<String>,
    retry: RetryOptions,
    registration: ProviderRegistration,
    timeout: Duration,
    connect_timeout: Duration,
    application_id: Option<String>,
    package: (String, String),
    http: Option<reqwest::Client>,
    trusted_pems: Vec<String>,
    poll_interval: Duration,
    default_headers: Vec<(String, String)>,
    validation: Validation,
    client_values: Vec<(&'static str, String)>,
    check: Option<ClientCheck>,
}

/// The per-attempt timeout unless set: .NET's default network timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

/// The connect timeout of the client's own HTTP client unless set: Go's default dial timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest application id in the `User-Agent` (the Azure SDK guidelines' limit).
const MAX_APPLICATION_ID_LEN: usize = 24;

/// One HTTP exchange, after the URL is known and trusted.
struct Call<'a> {
    operation_id: &'a str,
    method: Method,
    path_template: &'a str,
    url: Url,
    headers: &'a [(&'static str, String)],
    body: Option<&'a [u8]>,
    expected: &'a [u16],
    options: &'a CallOptions,
    /// Whether a success response's body is handed out unread (a file, see [`BodyStream`]).
    stream: bool,
}

/// A response as the exchange received it: whole, or (a success of a streamed call) with its
/// body left on the connection.
struct Received {
    response: RawResponse,
    unread: Option<reqwest::Response>,
}

/// The options of the requests the runtime makes of itself (polls, next pages, provider
/// registration): the client's configuration.
static NO_CALL_OPTIONS: CallOptions = CallOptions::new();

impl<'a> Call<'a> {
    /// The exchange of `request`, sent to `url`; a success body left unread when `stream`.
    fn of(request: &'a Request, url: Url, stream: bool) -> Self {
        Call {
            operation_id: request.operation_id,
            method: request.method,
            path_template: request.path_template,
            url,
            headers: &request.headers,
            body: request.body.as_deref(),
            expected: request.expected_status,
            options: &request.call,
            stream,
        }
    }
}

impl Client {
    /// Starts configuring a client for `subscription_id`.
    pub fn builder(subscription_id: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(subscription_id)
    }

    /// The subscription id operations default to.
    pub fn subscription_id(&self) -> &str {
        &self.inner.subscription_id
    }

    /// The Resource Manager endpoint, without a trailing `/`.
    pub fn endpoint(&self) -> &str {
        &self.inner.endpoint_text
    }

    /// The delay between polls of a long-running operation when the service names none.
    pub fn poll_interval(&self) -> Duration {
        self.inner.poll_interval
    }

    /// Which constraints of the spec operations check before sending; see [`Validation`].
    pub fn validation(&self) -> Validation {
        self.inner.validation
    }

    /// The value of the client parameter `name` (its wire name), as set on the builder with
    /// a generated crate's setter; `None` when unset.
    pub fn client_value(&self, name: &str) -> Option<&str> {
        self.inner
            .client_values
            .iter()
            .find(|(set, _)| *set == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of the required client parameter `name`; an error of kind
    /// [`ErrorKind::InvalidParameter`] naming it, with [`Rule::Required`], when unset.
    pub fn required_client_value(&self, name: &str) -> Result<&str, Error> {
        self.client_value(name).ok_or_else(|| {
            let error = ValidationError::new(name, "", Rule::Required);
            Error::new(ErrorKind::InvalidParameter(error))
        })
    }

    /// Sends `request` with authentication, retries and tracing, as its [`CallOptions`] adjust
    /// them. Returns the response if its status is one of `request.expected_status`, else an
    /// error of kind [`ErrorKind::Http`] carrying the service's ARM error and request id.
    pub async fn send(&self, request: Request) -> Result<RawResponse, Error> {
        let url = self.request_url(&request)?;
        let call = Call::of(&request, url, false);
        let response = self.execute(&call).await?.response;
        Ok(response.with_url(call.url))
    }

    /// Sends `request` as [`Client::send`] does, for an operation that answers with a file: a
    /// success response comes back as soon as its status and headers arrive, its body unread
    /// (a [`BodyStream`]). An error status is still read whole and becomes the typed error, and
    /// retries happen before a success body is handed out.
    pub async fn send_streamed(&self, request: Request) -> Result<Response<BodyStream>, Error> {
        let url = self.request_url(&request)?;
        let call = Call::of(&request, url, true);
        let Received { response, unread } = self.execute(&call).await?;
        let body = match unread {
            Some(unread) => BodyStream::new(call.operation_id, response.clone(), unread),
            // `attempt` leaves every success body of a streamed call unread; one read whole
            // all the same would be handed out as it is, in one chunk.
            None => BodyStream::from_bytes(
                call.operation_id,
                response.status(),
                Bytes::copy_from_slice(response.body()),
            ),
        };
        Ok(response.with_model(body))
    }

    /// GETs an absolute or endpoint-relative `link` (a `nextLink` or a polling URL) after checking
    /// that it names the endpoint's scheme, host and port, with `api-version` as `link_api_version`
    /// says (nothing is added when `api_version` is empty: the operation has no api-version).
    pub(crate) async fn get_link(
        &self,
        operation_id: &str,
        label: &str,
        api_version: &str,
        link_api_version: LinkApiVersion,
        link: &str,
        expected: &[u16],
    ) -> Result<RawResponse, Error> {
        let url = self.resolve_link(link)?;
        self.get_url(
            operation_id,
            label,
            api_version,
            link_api_version,
            &url,
            expected,
        )
        .await
    }

    /// [`Client::get_link`] for a link already resolved by [`Client::resolve_link`] (a polling
    /// URL the poller keeps parsed): checked again before anything is sent, as every request is.
    pub(crate) async fn get_url(
        &self,
        operation_id: &str,
        label: &str,
        api_version: &str,
        link_api_version: LinkApiVersion,
        url: &Url,
        expected: &[u16],
    ) -> Result<RawResponse, Error> {
        let mut url = url.clone();
        if !api_version.is_empty() {
            set_api_version(&mut url, api_version, link_api_version);
        }
        self.execute(&Call {
            operation_id,
            method: Method::Get,
            path_template: label,
            url,
            headers: &[],
            body: None,
            expected,
            options: &NO_CALL_OPTIONS,
            stream: false,
        })
        .await
        .map(|received| received.response)
    }

    /// Checks that the credential may be sent to `url` (see [`Client::resolve_link`]).
    pub(crate) fn ensure_trusted(&self, url: &Url) -> Result<(), Error> {
        ensure_trusted(&self.inner.endpoint, url)
    }

    /// Resolves `link` (absolute, or relative to the endpoint) and checks that the credential may
    /// be sent there: same scheme, host and port as the endpoint.
    pub(crate) fn resolve_link(&self, link: &str) -> Result<Url, Error> {
        resolve_trusted(&self.inner.endpoint, link)
    }

    /// The full URL of `request`: endpoint, path, encoded query and `api-version`.
    pub(crate) fn request_url(&self, request: &Request) -> Result<Url, Error> {
        let invalid = |reason: &str| {
            Error::new(ErrorKind::InvalidRequest {
                operation_id: request.operation_id.to_owned(),
                reason: reason.to_owned(),
            })
        };
        if !request.path.starts_with('/') {
            return Err(invalid("the path must start with `/`"));
        }
        if let Some(parameter) = empty_path_parameter(request) {
            // An empty value would address the parent collection instead of a resource.
            let error = ValidationError::new(parameter, "", Rule::MinLength(1));
            return Err(Error::new(ErrorKind::InvalidParameter(error)));
        }
        let base_path = self.inner.endpoint.path().trim_end_matches('/');
        let mut text = format!("{}{}", self.endpoint(), request.path);
        let query = request
            .query
            .iter()
            .map(|(name, value)| (*name, value.as_str()));
        append_query(&mut text, query);
        if !request.api_version.is_empty()
            && !request.query.iter().any(|(name, _)| *name == "api-version")
        {
            append_query(&mut text, [("api-version", request.api_version)]);
        }
        let url = Url::parse(&text).map_err(|error| invalid(&format!("invalid URL: {error}")))?;
        ensure_trusted(&self.inner.endpoint, &url)?;
        // A value sent without encoding (`x-ms-skip-url-encoding`) may carry a query of its own:
        // only the part before it is the path.
        let path = request.path.split('?').next().unwrap_or_default();
        if url.path().strip_prefix(base_path) != Some(path) {
            return Err(invalid(
                "a path segment is `.` or `..` or not percent-encoded, which would change the \
                 addressed resource",
            ));
        }
        Ok(url)
    }

    async fn execute(&self, call: &Call<'_>) -> Result<Received, Error> {
        let span = tracing::info_span!(
            "arm_request",
            operation_id = call.operation_id,
            method = call.method.as_str(),
            path_template = call.path_template,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        self.execute_registering(call, &span)
            .instrument(span.clone())
            .await
    }

    /// [`Client::execute_with_retries`], registering the resource provider and sending `call`
    /// again when the subscription is not registered for it (see [`ProviderRegistration`]).
    async fn execute_registering(
        &self,
        call: &Call<'_>,
        span: &tracing::Span,
    ) -> Result<Received, Error> {
        let registration = &self.inner.registration;
        let mut registrations = 0;
        loop {
            let error = match self.execute_with_retries(call, span).await {
                Err(error) if registration.enabled && registrations < registration.max_attempts => {
                    error
                }
                result => return result,
            };
            let base_path = self.inner.endpoint.path().trim_end_matches('/');
            let path = call.url.path();
            let path = path.strip_prefix(base_path).unwrap_or(path);
            let Some((subscription, namespace)) =
                missing_registration(&error, path, self.subscription_id())
            else {
                return Err(error);
            };
            registrations += 1;
            tracing::info!(%namespace, "registering the resource provider");
            self.register_provider(&subscription, &namespace).await?;
        }
    }

    /// Registers the provider `namespace` for `subscription` and waits until Resource Manager
    /// says it is registered.
    async fn register_provider(&self, subscription: &str, namespace: &str) -> Result<(), Error> {
        let options = &self.inner.registration;
        let provider = format!(
            "/subscriptions/{}/providers/{}",
            crate::encode_path_segment(subscription),
            crate::encode_path_segment(namespace)
        );
        let url = |suffix: &str| {
            let mut url = self.resolve_link(&format!("{provider}{suffix}"))?;
            set_api_version(&mut url, PROVIDERS_API_VERSION, LinkApiVersion::Replace);
            Ok::<_, Error>(url)
        };
        let call = |operation_id, method, path_template, url| Call {
            operation_id,
            method,
            path_template,
            url,
            headers: &[],
            body: None,
            expected: &[200],
            options: &NO_CALL_OPTIONS,
            stream: false,
        };
        let span = tracing::Span::current();
        let registered = self
            .execute_with_retries(
                &call(
                    "Providers_Register",
                    Method::Post,
                    "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}/register",
                    url("/register")?,
                ),
                &span,
            )
            .await?
            .response;
        let started = tokio::time::Instant::now();
        let mut body = registered.body().to_vec();
        while !ProviderState::is_registered(&body) {
            if started.elapsed() >= options.polling_timeout {
                return Err(Error::with_response(
                    ErrorKind::UnexpectedResponse {
                        operation_id: "Providers_Get".to_owned(),
                        status: 200,
                        reason: format!(
                            "the resource provider {namespace} was not registered within {} s",
                            options.polling_timeout.as_secs()
                        ),
                    },
                    registered,
                ));
            }
            tokio::time::sleep(options.polling_delay).await;
            body = self
                .execute_with_retries(
                    &call(
                        "Providers_Get",
                        Method::Get,
                        "/subscriptions/{subscriptionId}/providers/{resourceProviderNamespace}",
                        url("")?,
                    ),
                    &span,
                )
                .await?
                .response
                .body()
                .to_vec();
        }
        Ok(())
    }

    async fn execute_with_retries(
        &self,
        call: &Call<'_>,
        span: &tracing::Span,
    ) -> Result<Received, Error> {
        self.ensure_trusted(&call.url)?;
        let shared_headers = self.headers(call)?;
        let retry = call.options.retry().unwrap_or(&self.inner.retry);
        let mut attempt = 0;
        let mut reauthenticated = false;
        loop {
            attempt += 1;
            span.record("attempts", attempt);
            let mut headers = shared_headers.clone();
            let token = self.inner.tokens.authorization().await?;
            headers.insert(header::AUTHORIZATION, token.clone());
            let outcome = self.attempt(call, headers).await;
            let retries_left = attempt <= retry.max_retries;
            match outcome {
                Ok(received) => {
                    let response = &received.response;
                    span.record("status", response.status());
                    if let Some(id) = response.known_header(&REQUEST_ID) {
                        span.record("request_id", id);
                    }
                    if call.expected.contains(&response.status()) {
                        return Ok(received);
                    }
                    if response.status() == 401 && !reauthenticated {
                        // The token was revoked, or a claims challenge (continuous access
                        // evaluation) asks for a new one: once, with a token fresh from the
                        // credential. azure_core 1.1's token request cannot carry the challenge's
                        // claims, so a credential that needs them will be refused again.
                        reauthenticated = true;
                        let claims = response
                            .header("www-authenticate")
                            .is_some_and(|challenge| challenge.contains("claims="));
                        tracing::debug!(claims, "401: retrying once with a new token");
                        self.inner.tokens.forget(&token).await;
                        attempt -= 1;
                        continue;
                    }
                    if !(retries_left && is_retryable_status(response.status())) {
                        return Err(Error::from_status(call.operation_id, received.response));
                    }
                    // `None`: the service asked to wait longer than the client ever waits.
                    let Some(delay) = retry.delay(attempt - 1, Some(response.headers())) else {
                        return Err(Error::from_status(call.operation_id, received.response));
                    };
                    tracing::debug!(status = response.status(), ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(error) if retries_left && is_retryable_transport(&error, call.method) => {
                    let delay = retry.delay(attempt - 1, None).unwrap_or_default();
                    tracing::debug!(timeout = error.is_timeout(), ?delay, "retrying");
                    tokio::time::sleep(delay).await;
                }
                Err(error) => return Err(transport_error(call.operation_id, error)),
            }
        }
    }

    /// One attempt: the request with `headers`, then the whole response body (left unread for
    /// a success status of a call that streams).
    async fn attempt(
        &self,
        call: &Call<'_>,
        headers: HeaderMap,
    ) -> Result<Received, reqwest::Error> {
        // Built whole rather than through reqwest's `RequestBuilder`, which would copy the
        // headers one by one into a map of its own.
        let mut request = reqwest::Request::new(call.method.to_reqwest(), call.url.clone());
        *request.headers_mut() = headers;
        *request.timeout_mut() = Some(call.options.timeout().unwrap_or(self.inner.timeout));
        if let Some(body) = call.body {
            *request.body_mut() = Some(body.to_vec().into());
        }
        let mut response = self.inner.http.execute(request).await?;
        let status = response.status().as_u16();
        // Taken, not cloned: reading the body needs none of them.
        let response_headers = Headers::new(std::mem::take(response.headers_mut()));
        if call.stream && call.expected.contains(&status) {
            return Ok(Received {
                response: RawResponse::new(status, response_headers, Bytes::new()),
                unread: Some(response),
            });
        }
        let body = response.bytes().await?;
        Ok(Received {
            response: RawResponse::new(status, response_headers, body),
            unread: None,
        })
    }

    /// The headers every attempt of `call` shares: the client's, the operation's header
    /// parameters, then the call's own ([`CallOptions`]), each replacing a header of the same
    /// name. The call may not set `Authorization`, which comes from the credential.
    fn headers(&self, call: &Call<'_>) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(header::USER_AGENT, self.inner.user_agent.clone());
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let invalid = |name: &str, what: &str| {
            Error::new(ErrorKind::InvalidRequest {
                operation_id: call.operation_id.to_owned(),
                reason: format!("header `{name}` {what}"),
            })
        };
        let id = match call.options.client_request_id() {
            Some(id) => HeaderValue::from_str(id).map_err(|_| {
                invalid(
                    CLIENT_REQUEST_ID.as_str(),
                    "has a value that is not allowed in HTTP",
                )
            })?,
            None => client_request_id(),
        };
        headers.insert(CLIENT_REQUEST_ID, id);
        if call.body.is_some() {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for (name, value) in &self.inner.default_headers {
            headers.insert(name, value.clone());
        }
        let operation_headers = call
            .headers
            .iter()
            .map(|(name, value)| (*name, value.as_str()));
        for (name, value) in operation_headers.chain(call.options.headers()) {
            let not_allowed = || invalid(name, "has a value that is not allowed in HTTP");
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| not_allowed())?;
            if name == header::AUTHORIZATION {
                return Err(invalid(
                    name.as_str(),
                    "cannot be set for a call: the client sends its credential's token",
                ));
            }
            let value = HeaderValue::from_str(value).map_err(|_| not_allowed())?;
            headers.insert(name, value);
        }
        Ok(headers)
    }
}

/// How a link the service returned (a `nextLink` or a polling URL) gets the operation's
/// `api-version`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkApiVersion {
    /// Added only if the link has no `api-version` parameter (polling URLs are the service's own).
    AddIfMissing,
    /// Set to the operation's, replacing any `api-version` parameter the link has, whatever its
    /// case (a `nextLink` is requested with the client's api-version, as the Azure SDKs do).
    Replace,
}

/// Gives `url` the query parameter `api-version=api_version` as `mode` says, keeping every other
/// parameter byte for byte.
fn set_api_version(url: &mut Url, api_version: &str, mode: LinkApiVersion) {
    match mode {
        LinkApiVersion::AddIfMissing => {
            if !url.query_pairs().any(|(name, _)| name == "api-version") {
                url.query_pairs_mut()
                    .append_pair("api-version", api_version);
            }
        }
        LinkApiVersion::Replace => {
            let is_api_version = |pair: &&str| {
                let name = pair.split('=').next().unwrap_or_default();
                url::form_urlencoded::parse(name.as_bytes())
                    .next()
                    .is_some_and(|(name, _)| name.eq_ignore_ascii_case("api-version"))
            };
            let ours = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("api-version", api_version)
                .finish();
            // The first api-version parameter becomes ours, in place; any other goes.
            let mut replaced = false;
            let mut query: Vec<String> = Vec::new();
            for pair in url.query().unwrap_or_default().split('&') {
                if pair.is_empty() || (is_api_version(&pair) && replaced) {
                    continue;
                }
                if is_api_version(&pair) {
                    replaced = true;
                    query.push(ours.clone());
                } else {
                    query.push(pair.to_owned());
                }
            }
            if !replaced {
                query.push(ours);
            }
            let query = query.join("&");
            if url.query() != Some(query.as_str()) {
                url.set_query(Some(&query));
            }
        }
    }
}

/// The header carrying the id of each request, for the service's logs and support requests.
const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-client-request-id");

/// The header carrying the id Resource Manager gave a request.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-ms-request-id");

/// A fresh `x-ms-client-request-id`: a version-4 UUID made from a random seed drawn once per
/// process and a counter, unique for every request of the process. `Uuid::new_v4` would draw
/// from the operating system on every request: a system call that cost more CPU time than the
/// rest of the client's own work per request.
fn client_request_id() -> HeaderValue {
    static SEED: OnceLock<(u64, u64)> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let (high_seed, low_seed) = *SEED.get_or_init(|| uuid::Uuid::new_v4().as_u64_pair());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    // `mix` is a bijection, so different counts give different high halves.
    let high = mix(high_seed ^ count);
    let low = mix(low_seed.wrapping_add(count));
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&high.to_be_bytes());
    bytes[8..].copy_from_slice(&low.to_be_bytes());
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .encode_lower(&mut text);
    HeaderValue::from_str(text).expect("a UUID is valid in a header")
}

/// The SplitMix64 finaliser: spreads the bits of `value` (a bijection on `u64`).
fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// A transport error caused by `error`, summed up by its innermost cause (such as `Connection
/// refused`), with `error` as its source.
fn transport_error(operation_id: &str, error: reqwest::Error) -> Error {
    let kind = ErrorKind::Transport {
        operation_id: operation_id.to_owned(),
        message: innermost_cause(&error),
        timeout: error.is_timeout(),
    };
    Error::new(kind).with_source(error)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.endpoint_text)
            .field("subscription_id", &self.inner.subscription_id)
            .finish_non_exhaustive()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// Starts configuring a client for `subscription_id`, with the public Azure cloud, default
    /// retries and no credential yet.
    pub fn new(subscription_id: impl Into<String>) -> Self {
        ClientBuilder {
            built: PhantomData,
            subscription_id: subscription_id.into(),
            endpoint: AzureCloud::Public.endpoint().to_owned(),
            credential: None,
            audience: None,
            retry: RetryOptions::default(),
            registration: ProviderRegistration::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            application_id: None,
            package: (
                env!("CARGO_PKG_NAME").to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            ),
            http: None,
            trusted_pems: Vec::new(),
            poll_interval: Duration::from_secs(30),
            default_headers: Vec::new(),
            validation: Validation::Strict,
            client_values: Vec::new(),
            check: None,
        }
    }

    /// Sets the client parameter `name` (its wire name) to `value`, replacing an earlier value:
    /// what a generated crate's setters for its client parameters call.
    #[doc(hidden)]
    pub fn client_value(mut self, name: &'static str, value: String) -> Self {
        self.client_values.retain(|(set, _)| *set != name);
        self.client_values.push((name, value));
        self
    }

    /// The check [`ClientBuilder::build`] runs on the client before returning it: a generated
    /// crate's check of its client parameters (required ones set, each valid).
    #[doc(hidden)]
    pub fn check_client(mut self, check: ClientCheck) -> Self {
        self.check = Some(check);
        self
    }

    /// A header sent with every request of the client (polls and next pages included), replacing
    /// the value the client would send itself: for example a fixed `x-ms-client-request-id` that
    /// correlates every request of a session. A header parameter of an operation still takes
    /// precedence. [`ClientBuilder::build`] fails if the name or value is not valid in HTTP.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }

    /// The Resource Manager endpoint; `https://management.azure.com` unless set. Must be https,
    /// except for a loopback host (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The endpoint of an Azure cloud.
    pub fn cloud(self, cloud: AzureCloud) -> Self {
        self.endpoint(cloud.endpoint())
    }

    /// The audience tokens are requested for, when it differs from the endpoint (Azure Stack
    /// Hub, private clouds, a proxy with a path of its own): the scope becomes
    /// `{audience}/.default` (or `audience` itself if it ends with `/.default`). Unless set, the
    /// scope is `{endpoint}/.default`, right for the public, US Government and China clouds.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audience = Some(audience.into());
        self
    }

    /// The credential that provides bearer tokens: what an `azure_identity` constructor returns
    /// (`DeveloperToolsCredential::new(None)?`, an `Arc`), any `Arc` of a [`TokenCredential`]
    /// (shared with other clients), or a [`StaticTokenCredential`](crate::StaticTokenCredential);
    /// see [`IntoCredential`].
    pub fn credential(mut self, credential: impl IntoCredential) -> Self {
        self.credential = Some(credential.into_credential());
        self
    }

    /// How requests are retried; see [`RetryOptions`].
    pub fn retry(mut self, retry: RetryOptions) -> Self {
        self.retry = retry;
        self
    }

    /// Whether and how a resource provider the subscription is not registered for is
    /// registered; see [`ProviderRegistration`] (on by default).
    pub fn provider_registration(mut self, registration: ProviderRegistration) -> Self {
        self.registration = registration;
        self
    }

    /// The timeout of each HTTP attempt, from sending the request to reading the whole body;
    /// 100 s unless set (the .NET SDK's default), so that a half-open connection cannot hang a
    /// call. An attempt that times out is retried, except a `POST` (the service may have acted
    /// on it).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The timeout for opening a connection (TCP and TLS), retried like any failed connection;
    /// 30 s unless set (Go's default). Applies to the HTTP client the builder makes, not to one
    /// set with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> Self {
        self.connect_timeout = connect_timeout;
        self
    }

    /// An application id put in front of the `User-Agent`, as in every Azure SDK:
    /// `{application_id} azsdk-rust-{package}/{version} ({rustc}; {os}; {arch})`. At most 24
    /// characters, HTTP token characters only (no spaces); [`ClientBuilder::build`] fails
    /// otherwise.
    pub fn application_id(mut self, application_id: impl Into<String>) -> Self {
        self.application_id = Some(application_id.into());
        self
    }

    /// The package that makes the requests, named in the `User-Agent`; `azrm-runtime` unless
    /// set. Generated crates set their own name and version.
    #[doc(hidden)]
    pub fn package(mut self, name: &str, version: &str) -> Self {
        self.package = (name.to_owned(), version.to_owned());
        self
    }

    /// The HTTP client to use. It should not follow redirects
    /// (`reqwest::redirect::Policy::none()`), so that no request leaves the endpoint. Without
    /// this, the client builds its own with rustls on a ring provider of its own (it neither
    /// reads nor installs the process-wide default) and redirects disabled. If it does
    /// follow them, reqwest drops the `Authorization` header when a redirect changes the host,
    /// so the token still goes to the endpoint only (`tests/tests/token_containment.rs`).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Also trusts the CA certificates in `pem` (PEM text, one or more certificates) for https,
    /// besides the system's roots: for a local endpoint or a proxy with its own CA, such as the
    /// `ca_certificate_pem()` of `azrm_local_endpoint::LocalEndpoint`. Applies to the HTTP client
    /// the builder makes: with [`ClientBuilder::http_client`], [`ClientBuilder::build`] fails, as
    /// that client must trust the certificate itself.
    pub fn trust_certificate_pem(mut self, pem: &str) -> Self {
        self.trusted_pems.push(pem.to_owned());
        self
    }

    /// Which constraints of the spec operations check before sending: [`Validation::Strict`]
    /// (every one) unless set; [`Validation::Relaxed`] leaves patterns and lengths to the
    /// service, for a service that accepts names an older spec rejects. An empty path parameter
    /// or a `.`/`..` segment is refused either way.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = validation;
        self
    }

    /// How long a long-running operation waits between polls when the service does not say
    /// (`Retry-After`); 30 s unless set. Zero polls without waiting (tests, benchmarks).
    pub fn poll_interval(mut self, poll_interval: Duration) -> Self {
        self.poll_interval = poll_interval;
        self
    }

    /// Builds the client. Fails if the endpoint is not https (and not loopback), if there is no
    /// credential, if the application id or a [header](ClientBuilder::header) is not valid in
    /// HTTP, if a trusted certificate is not PEM or comes with an HTTP client of the caller's,
    /// or if a generated crate's client parameters are missing or invalid (an error of kind
    /// [`ErrorKind::InvalidParameter`] naming the parameter).
    pub fn build(self) -> Result<C, Error> {
        let endpoint = parse_endpoint(&self.endpoint)?;
        let endpoint_text = endpoint.as_str().trim_end_matches('/').to_owned();
        let credential = self.credential.ok_or_else(|| {
            Error::new(ErrorKind::Credential(
                "the client has no credential; set one with ClientBuilder::credential".to_owned(),
            ))
        })?;
        let user_agent = user_agent(self.application_id.as_deref(), &self.package)?;
        let mut default_headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let invalid = || builder_error(&format!("header `{name}` is not valid in HTTP"));
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            default_headers.insert(name, value);
        }
        let http = match self.http {
            Some(_) if !self.trusted_pems.is_empty() => {
                return Err(builder_error(
                    "trust_certificate_pem applies to the client's own HTTP client, not to one \
                     set with http_client: make that one trust the certificate",
                ));
            }
            Some(http) => http,
            None => default_http_client(&self.trusted_pems, self.connect_timeout)?,
        };
        let scope = scope_of(self.audience.as_deref().unwrap_or(&endpoint_text));
        let client = Client {
            inner: Arc::new(Inner {
                tokens: TokenCache::new(credential, scope),
                subscription_id: self.subscription_id,
                endpoint,
                endpoint_text,
                http,
                retry: self.retry,
                registration: self.registration,
                timeout: self.timeout,
                user_agent,
                poll_interval: self.poll_interval,
                default_headers,
                validation: self.validation,
                client_values: self.client_values,
            }),
        };
        if let Some(check) = self.check {
            check(&client)?;
        }
        Ok(C::from(client))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("endpoint", &self.endpoint)
            .field("subscription_id", &self.subscription_id)
            .finish_non_exhaustive()
    }
}

/// An error of [`ClientBuilder::build`] about its configuration.
fn builder_error(reason: &str) -> Error {
    Error::new(ErrorKind::InvalidRequest {
        operation_id: "ClientBuilder::build".to_owned(),
        reason: reason.to_owned(),
    })
}

/// The `User-Agent` in the Azure SDK form: `[{application_id} ]azsdk-rust-{name}/{version}
/// ({rustc}; {os}; {arch})`, as `azure_core`'s policy writes it.
fn user_agent(
    application_id: Option<&str>,
    package: &(String, String),
) -> Result<HeaderValue, Error> {
    let (name, version) = package;
    let platform = format!(
        "({}; {}; {})",
        env!("AZRM_RUNTIME_RUSTC_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    let text = match application_id {
        Some(id) => {
            let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
            if id.is_empty() || id.len() > MAX_APPLICATION_ID_LEN || !id.chars().all(token) {
                return Err(builder_error(&format!(
                    "the application id {id:?} must be 1 to {MAX_APPLICATION_ID_LEN} HTTP token \
                     characters (letters, digits, !#$%&'*+-.^_`|~; no spaces)"
                )));
            }
            format!("{id} azsdk-rust-{name}/{version} {platform}")
        }
        None => format!("azsdk-rust-{name}/{version} {platform}"),
    };
    HeaderValue::from_str(&text)
        .map_err(|_| builder_error("the package name or version is not valid in a header"))
}

/// A reqwest client with rustls on ring, no redirects, no automatic decompression and
/// `connect_timeout`, trusting the certificates in `trusted_pems` besides the system's roots.
fn default_http_client(
    trusted_pems: &[String],
    connect_timeout: Duration,
) -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .tls_backend_preconfigured(tls_config(trusted_pems)?)
        .build()
        .map_err(|error| transport_error("ClientBuilder::build", error))
}

/// The client's own TLS configuration: rustls with the ring provider named here (never the
/// process-wide default, which this crate neither reads nor installs, so it cannot clash with an
/// application's choice), TLS 1.2 and 1.3, the system's roots through the platform verifier as
/// reqwest uses them, plus the certificates in `trusted_pems`, and HTTP/1.1 by ALPN (reqwest is
/// built without HTTP/2).
fn tls_config(trusted_pems: &[String]) -> Result<rustls::ClientConfig, Error> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;

    let mut trusted = Vec::new();
    for pem in trusted_pems {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| {
                builder_error(&format!("a trusted certificate is not valid PEM: {error}"))
            })?;
        if certificates.is_empty() {
            return Err(builder_error(
                "a trusted certificate PEM holds no certificate",
            ));
        }
        trusted.extend(certificates);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |error: rustls::Error| builder_error(&format!("TLS set-up failed: {error}"));
    let verifier = if trusted.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(trusted, provider.clone())
    }
    .map_err(tls_error)?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Whether a failed attempt may be sent again: a connection that was never made (refused, or its
/// connect timeout expired), or — for every method but `POST`, which the service may have acted
/// on — an attempt that timed out or whose connection closed before the whole response arrived
/// (reset, truncated body).
fn is_retryable_transport(error: &reqwest::Error, method: Method) -> bool {
    error.is_connect()
        || (method != Method::Post
            && (error.is_timeout() || error.is_request() || error.is_body() || error.is_decode()))
}

/// The name of the path parameter whose value is empty in `request`, found by lining the path up
/// with its template segment by segment (`{databaseName}` against ``).
fn empty_path_parameter(request: &Request) -> Option<&str> {
    let path = request.path.split('?').next().unwrap_or_default();
    let template = request.path_template.split('?').next().unwrap_or_default();
    path.split('/')
        .zip(template.split('/'))
        .find(|(value, template)| value.is_empty() && template.starts_with('{'))
        .map(|(_, template)| template.trim_start_matches('{').trim_end_matches('}'))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn client_request_ids_are_distinct_version_4_uuids() {
        let ids: HashSet<String> = (0..10_000)
            .map(|_| client_request_id().to_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let uuid = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(uuid.get_version_num(), 4, "{id}");
            assert_eq!(uuid.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
    }
}
