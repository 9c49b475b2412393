//! The state machine of one long-running operation, independent of its result type: which URL
//! to poll, how to read the status, and where the final result comes from.

use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, LOCATION};
use serde::{Deserialize, Serialize};

use crate::json::{Decode, DecodeError, ValueSource, required};

use crate::client::{Client, LinkApiVersion};
use crate::error::{ArmError, Error, ErrorKind};
use crate::request::{Method, Request};
use crate::response::RawResponse;
use crate::retry::retry_after;

use super::PollerStatus;

/// Where the result of a finished long-running operation is read from
/// (`x-ms-long-running-operation-options.final-state-via` in the spec).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FinalStateVia {
    /// The body of the `Azure-AsyncOperation` status resource (its `properties`), if any.
    AzureAsyncOperation,
    /// A GET of the `Location` URL.
    Location,
    /// A GET of the URL of the original request.
    OriginalUri,
    /// The body of the `Operation-Location` status resource (its `properties`), if any.
    OperationLocation,
}

/// What is polled next.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum Monitor {
    /// A status resource (`Azure-AsyncOperation` or `Operation-Location`) at this URL.
    Status(Url),
    /// The `Location` URL: `202` while running, then the result.
    Location,
    /// The resource itself, until its `provisioningState` is terminal.
    OriginalUri,
}

/// Everything needed to continue polling; this is what a resume token holds. The URLs are kept
/// parsed, each checked once against the endpoint when it arrives (and again before each
/// request), and written in a token as text.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) operation_id: String,
    pub(crate) api_version: String,
    pub(crate) method: Method,
    pub(crate) original_url: Url,
    pub(crate) monitor: Monitor,
    pub(crate) location: Option<Url>,
    /// What the spec says; `None` leaves it to the method (see [`Operation::final_state_via`]).
    #[serde(default)]
    pub(crate) final_state_via: Option<FinalStateVia>,
}

/// The result of one step.
pub(crate) enum Step {
    /// Still running.
    Pending,
    /// Finished; the response holds the final result body (possibly empty).
    Done(RawResponse),
}

/// A running operation: its state, the service's last status and response, and the delay before
/// the next poll. A poll works on a clone, kept only when the poll read a status, so a poll that
/// fails or is dropped halfway changes nothing.
#[derive(Clone)]
pub(crate) struct Operation {
    pub(crate) client: Client,
    pub(crate) state: State,
    pub(crate) status: PollerStatus,
    /// The last response the service sent for this operation (`None` after a resume, until the
    /// first poll).
    pub(crate) latest: Option<RawResponse>,
    pub(crate) delay: Duration,
    /// The delay after the next poll whose response names none: it starts short and doubles up
    /// to `poll_interval`.
    default_delay: Duration,
    /// The longest delay between polls when the service names none: the client's, or the call's.
    poll_interval: Duration,
}

/// The status resource's URL of an Azure Resource Manager operation.
const AZURE_ASYNC_OPERATION: HeaderName = HeaderName::from_static("azure-asyncoperation");

/// The status resource's URL of an operation in the newer Azure REST guidelines' style.
const OPERATION_LOCATION: HeaderName = HeaderName::from_static("operation-location");

/// The wait before the first poll when the service names none (then doubling up to the client's
/// poll interval), so that a short operation is not kept waiting for a whole interval.
const FIRST_POLL_DELAY: Duration = Duration::from_secs(1);

/// The body of a status resource. The error is read separately, so that an error object of
/// another shape does not hide the status.
struct StatusBody {
    status: String,
    error: Option<serde_json::Value>,
}

impl Decode for StatusBody {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut status = None;
        let mut error = None;
        source.object("an operation status", &mut |key, value| {
            match key {
                "status" => status = Some(String::decode(value)?),
                "error" => error = Option::decode(value)?,
                _ => value.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self {
            status: required(status, "the operation status", "status")?,
            error,
        })
    }
}

/// The part of a resource body that tells whether it is still being provisioned.
#[derive(Deserialize)]
struct ResourceBody {
    properties: Option<ResourceProperties>,
}

/// The `properties.provisioningState` of a resource body, if it has one.
fn provisioning_state(response: &RawResponse) -> Option<String> {
    serde_json::from_slice::<ResourceBody>(response.body())
        .ok()
        .and_then(|body| body.properties?.provisioning_state)
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceProperties {
    provisioning_state: Option<String>,
}

enum Phase {
    Running,
    Succeeded,
    Failed,
}

fn phase(status: &PollerStatus) -> Phase {
    match status {
        PollerStatus::Succeeded => Phase::Succeeded,
        PollerStatus::Failed | PollerStatus::Canceled => Phase::Failed,
        _ => Phase::Running,
    }
}

impl Operation {
    /// Reads the initial response of `request`: finished at once, or how to poll.
    pub(crate) fn start(
        client: Client,
        request: &Request,
        response: RawResponse,
        final_state_via: Option<FinalStateVia>,
    ) -> Result<(Operation, Step), Error> {
        // The URL `Client::send` built for the request, unless the response came otherwise.
        let original_url = match response.url() {
            Some(url) => url.clone(),
            None => client.request_url(request)?,
        };
        let mut operation = Operation {
            delay: Duration::ZERO,
            default_delay: FIRST_POLL_DELAY.min(client.poll_interval()),
            poll_interval: client.poll_interval(),
            client,
            state: State {
                operation_id: request.operation_id.to_owned(),
                api_version: request.api_version.to_owned(),
                method: request.method,
                original_url,
                monitor: Monitor::OriginalUri,
                location: None,
                final_state_via,
            },
            status: PollerStatus::InProgress,
            latest: Some(response.clone()),
        };
        operation.next_delay(&response);
        // A 200 OK whose resource body has a terminal provisioningState has finished, whatever
        // polling headers come with it (ARM sends them only while an operation runs; a 201
        // Created with them is polled).
        let finished = provisioning_state(&response)
            .is_some_and(|state| !matches!(phase(&PollerStatus::parse(&state)), Phase::Running));
        if finished && response.status() == 200 {
            let step = operation.read_resource(response)?;
            return Ok((operation, step));
        }
        let client = &operation.client;
        let status_url = response
            .known_header(&AZURE_ASYNC_OPERATION)
            .or_else(|| response.known_header(&OPERATION_LOCATION))
            .map(|link| client.resolve_link(link))
            .transpose()?;
        let location = response
            .known_header(&LOCATION)
            .map(|link| client.resolve_link(link))
            .transpose()?;
        let monitor = match (status_url, &location) {
            (Some(url), _) => Monitor::Status(url),
            (None, Some(_)) if response.status() == 202 => Monitor::Location,
            (None, None) if response.status() == 202 => {
                return Err(Error::with_response(
                    ErrorKind::UnexpectedResponse {
                        operation_id: request.operation_id.to_owned(),
                        status: 202,
                        reason: "202 Accepted without an Azure-AsyncOperation, Operation-Location \
                                 or Location header to poll"
                            .to_owned(),
                    },
                    response,
                ));
            }
            // Only a PUT or PATCH polls the resource itself (as Go's body poller); a POST or
            // DELETE without polling headers has finished, whatever its body says.
            _ if request.method.is_put_or_patch() => Monitor::OriginalUri,
            _ => {
                operation.status = PollerStatus::Succeeded;
                return Ok((operation, Step::Done(response)));
            }
        };
        if matches!(monitor, Monitor::OriginalUri)
            && is_empty(&response)
            && response.status() != 204
        {
            // Nothing tells how the operation stands: no polling header and no resource body
            // with a provisioningState (Python's ARMPolling refuses this too).
            return Err(Error::with_response(
                ErrorKind::UnexpectedResponse {
                    operation_id: request.operation_id.to_owned(),
                    status: response.status(),
                    reason: "a long-running PUT or PATCH answered without a body and without an \
                             Azure-AsyncOperation, Operation-Location or Location header to poll"
                        .to_owned(),
                },
                response,
            ));
        }
        operation.state.monitor = monitor;
        operation.state.location = location;
        let step = match operation.state.monitor {
            Monitor::OriginalUri => operation.read_resource(response)?,
            _ => Step::Pending,
        };
        Ok((operation, step))
    }

    /// Continues from a resume token's state; the next poll is immediate.
    pub(crate) fn resume(client: Client, state: State) -> Result<Operation, Error> {
        let links = [Some(&state.original_url), state.location.as_ref()];
        let status_url = match &state.monitor {
            Monitor::Status(url) => Some(url),
            _ => None,
        };
        for link in links.into_iter().chain([status_url]).flatten() {
            client.ensure_trusted(link)?;
        }
        Ok(Operation {
            default_delay: FIRST_POLL_DELAY.min(client.poll_interval()),
            poll_interval: client.poll_interval(),
            client,
            state,
            status: PollerStatus::InProgress,
            latest: None,
            delay: Duration::ZERO,
        })
    }

    /// Makes `poll_interval` the longest delay between polls when the service names none.
    pub(crate) fn set_poll_interval(&mut self, poll_interval: Duration) {
        self.poll_interval = poll_interval;
        self.default_delay = FIRST_POLL_DELAY.min(poll_interval);
    }

    /// Polls once.
    pub(crate) async fn step(&mut self) -> Result<Step, Error> {
        match self.state.monitor.clone() {
            Monitor::Status(url) => {
                let response = self.get(&url, &[200, 201, 202]).await?;
                let body: StatusBody = response.json(&self.state.operation_id)?;
                self.status = PollerStatus::parse(&body.status);
                match phase(&self.status) {
                    Phase::Running => Ok(Step::Pending),
                    Phase::Failed => {
                        let error = body
                            .error
                            .and_then(|error| ArmError::deserialize(error).ok());
                        Err(self.failed(error, response))
                    }
                    Phase::Succeeded => self.final_result(response).await,
                }
            }
            Monitor::Location => {
                let Some(location) = self.state.location.clone() else {
                    return Err(Error::new(ErrorKind::InvalidRequest {
                        operation_id: self.state.operation_id.clone(),
                        reason: "the operation is polled at its Location URL but has none"
                            .to_owned(),
                    }));
                };
                let response = self.get(&location, &[200, 201, 202, 204]).await?;
                if response.status() == 202 {
                    self.status = PollerStatus::InProgress;
                    return Ok(Step::Pending);
                }
                // What the Location URL answers may be the resource with its provisioningState
                // (a DELETE still running, or one that failed), as Go's Location poller reads it.
                if let Some(state) = provisioning_state(&response) {
                    self.status = PollerStatus::parse(&state);
                    match phase(&self.status) {
                        Phase::Running => return Ok(Step::Pending),
                        Phase::Failed => {
                            let error = ArmError::from_body(response.body());
                            return Err(self.failed(error, response));
                        }
                        Phase::Succeeded => {}
                    }
                }
                self.status = PollerStatus::Succeeded;
                if self.location_answer_is_not_the_result(&response) {
                    let original = self.state.original_url.clone();
                    return Ok(Step::Done(self.get(&original, &[200, 201]).await?));
                }
                Ok(Step::Done(response))
            }
            Monitor::OriginalUri => {
                let original = self.state.original_url.clone();
                let response = self.get(&original, &[200, 201, 202]).await?;
                self.read_resource(response)
            }
        }
    }

    /// GETs a polling URL, taking note of `Location` and `Retry-After`.
    async fn get(&mut self, url: &Url, expected: &[u16]) -> Result<RawResponse, Error> {
        let response = self
            .client
            .get_url(
                &self.state.operation_id,
                "(long-running operation poll)",
                &self.state.api_version,
                LinkApiVersion::AddIfMissing,
                url,
                expected,
            )
            .await?;
        if let Some(location) = response.known_header(&LOCATION) {
            // Resolved and checked again only when it changed (ARM repeats it on every poll).
            let known = self.state.location.as_ref().map(Url::as_str);
            if known != Some(location) {
                self.state.location = Some(self.client.resolve_link(location)?);
            }
        }
        self.next_delay(&response);
        self.latest = Some(response.clone());
        Ok(response)
    }

    /// Sets the delay before the next poll: what `response` asks for, else the default delay,
    /// which doubles for the poll after (up to the client's poll interval).
    fn next_delay(&mut self, response: &RawResponse) {
        self.delay = match retry_after(response.headers()) {
            Some(asked) => asked,
            None => {
                let delay = self.default_delay;
                self.default_delay = (delay * 2).min(self.poll_interval);
                delay
            }
        };
    }

    /// A resource body: done unless its `provisioningState` is still running.
    fn read_resource(&mut self, response: RawResponse) -> Result<Step, Error> {
        self.status = provisioning_state(&response)
            .map_or(PollerStatus::Succeeded, |state| PollerStatus::parse(&state));
        match phase(&self.status) {
            Phase::Running if response.status() != 204 => Ok(Step::Pending),
            Phase::Failed => Err(self.failed(ArmError::from_body(response.body()), response)),
            _ => Ok(Step::Done(response)),
        }
    }

    /// After the status resource said `Succeeded`: the result, as the Go and .NET Azure SDKs
    /// read it. `PUT` and `PATCH`: the resource itself, at the original URL, whatever
    /// final-state-via says (the `Location` of a Cosmos DB operation is often its status URL,
    /// whose body is not the resource). `DELETE`: nothing more to fetch (the resource is gone,
    /// and a resource-scoped result URL may answer 404). `POST`: final-state-via: the `Location`
    /// URL (also when the spec says nothing and there is one), the original URL, or the status
    /// resource's `properties` (the whole status resource when it has none).
    async fn final_result(&mut self, status_response: RawResponse) -> Result<Step, Error> {
        let location = self.state.location.clone();
        let fetch = match (self.state.method, self.state.final_state_via) {
            (method, _) if method.is_put_or_patch() => Some(self.state.original_url.clone()),
            (Method::Delete, _) => None,
            (_, Some(FinalStateVia::OriginalUri)) => Some(self.state.original_url.clone()),
            (_, Some(FinalStateVia::Location) | None) => location,
            _ => None,
        };
        match fetch {
            Some(url) => Ok(Step::Done(self.get(&url, &[200, 201, 204]).await?)),
            None => Ok(Step::Done(properties_of(status_response))),
        }
    }

    /// Whether the resource must be read at the original URL after the `Location` URL answered
    /// that the operation is done: for a `PUT` or `PATCH` whose answer carries no resource (204,
    /// an empty body, or an operation status such as `{"status": "Succeeded"}`), or when the spec
    /// says final-state-via `original-uri` (never for a `DELETE`: the resource is gone). A body
    /// that is a resource is the result, as in Go's and Python's Location pollers.
    fn location_answer_is_not_the_result(&self, response: &RawResponse) -> bool {
        match self.state.method {
            Method::Delete => false,
            method if method.is_put_or_patch() => {
                is_empty(response) || is_operation_status(response)
            }
            _ => self.state.final_state_via == Some(FinalStateVia::OriginalUri),
        }
    }

    fn failed(&self, error: Option<ArmError>, response: RawResponse) -> Error {
        let kind = ErrorKind::OperationFailed {
            operation_id: self.state.operation_id.clone(),
            status: self.status.to_string(),
            error,
        };
        Error::with_response(kind, response)
    }
}

/// Whether `response` carries no result: 204, or a body of nothing but white space.
pub(crate) fn is_empty(response: &RawResponse) -> bool {
    response.status() == 204 || response.body().trim_ascii().is_empty()
}

/// Whether the body of `response` is an operation status (`{"status": ..., "error": ...}`, maybe
/// with ids and times) rather than a resource: it has a `status` string and no `properties`.
fn is_operation_status(response: &RawResponse) -> bool {
    #[derive(Deserialize)]
    struct Shape {
        status: Option<String>,
        properties: Option<serde::de::IgnoredAny>,
    }
    serde_json::from_slice::<Shape>(response.body())
        .is_ok_and(|shape| shape.status.is_some() && shape.properties.is_none())
}

/// The status resource's `properties` as the result body; the whole status resource when it has
/// none.
fn properties_of(response: RawResponse) -> RawResponse {
    let properties = serde_json::from_slice::<serde_json::Value>(response.body())
        .ok()
        .and_then(|mut body| body.get_mut("properties").map(serde_json::Value::take))
        .and_then(|properties| serde_json::to_vec(&properties).ok());
    match properties {
        Some(properties) => response.with_body(properties.into()),
        None => response,
    }
}
