//! The state machine of one long-running operation, independent of its result type: which URL
//! to poll, how to read the status, and where the final result comes from.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::json::{Decode, DecodeError, ValueSource, required};

use crate::client::{Client, LinkApiVersion};
use crate::error::{ArmError, Error, ErrorKind};
use crate::request::{Method, Request};
use crate::response::Response;
use crate::retry::retry_after;

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
    Status(String),
    /// The `Location` URL: `202` while running, then the result.
    Location,
    /// The resource itself, until its `provisioningState` is terminal.
    OriginalUri,
}

/// Everything needed to continue polling; this is what a resume token holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct State {
    pub(crate) operation_id: String,
    pub(crate) api_version: String,
    pub(crate) method: Method,
    pub(crate) original_url: String,
    pub(crate) monitor: Monitor,
    pub(crate) location: Option<String>,
    /// What the spec says; `None` leaves it to the method (see [`Operation::final_state_via`]).
    #[serde(default)]
    pub(crate) final_state_via: Option<FinalStateVia>,
}

/// The result of one step.
pub(crate) enum Step {
    /// Still running.
    Pending,
    /// Finished; the response holds the final result body (possibly empty).
    Done(Response),
}

/// A running operation: its state, the service's last status and the delay before the next poll.
pub(crate) struct Operation {
    pub(crate) client: Client,
    pub(crate) state: State,
    pub(crate) status: String,
    pub(crate) delay: Duration,
}

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
fn provisioning_state(response: &Response) -> Option<String> {
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

fn phase(status: &str) -> Phase {
    if status.eq_ignore_ascii_case("succeeded") {
        Phase::Succeeded
    } else if ["failed", "canceled", "cancelled"]
        .iter()
        .any(|terminal| status.eq_ignore_ascii_case(terminal))
    {
        Phase::Failed
    } else {
        Phase::Running
    }
}

impl Operation {
    /// Reads the initial response of `request`: finished at once, or how to poll.
    pub(crate) fn start(
        client: Client,
        request: &Request,
        response: Response,
        final_state_via: Option<FinalStateVia>,
    ) -> Result<(Operation, Step), Error> {
        let original_url = client.request_url(request)?.to_string();
        let mut operation = Operation {
            delay: retry_after(response.headers()).unwrap_or(client.poll_interval()),
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
            status: "InProgress".to_owned(),
        };
        // A 200 OK whose resource body has a terminal provisioningState has finished, whatever
        // polling headers come with it (ARM sends them only while an operation runs; a 201
        // Created with them is polled).
        let finished = provisioning_state(&response)
            .is_some_and(|state| !matches!(phase(&state), Phase::Running));
        if finished && response.status() == 200 {
            let step = operation.read_resource(response)?;
            return Ok((operation, step));
        }
        let client = &operation.client;
        let status_url = response
            .header("azure-asyncoperation")
            .or_else(|| response.header("operation-location"))
            .map(|link| client.resolve_link(link).map(String::from))
            .transpose()?;
        let location = response
            .header("location")
            .map(|link| client.resolve_link(link).map(String::from))
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
            _ => Monitor::OriginalUri,
        };
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
            client.resolve_link(link)?;
        }
        Ok(Operation {
            client,
            state,
            status: "InProgress".to_owned(),
            delay: Duration::ZERO,
        })
    }

    /// Polls once.
    pub(crate) async fn step(&mut self) -> Result<Step, Error> {
        match self.state.monitor.clone() {
            Monitor::Status(url) => {
                let response = self.get(&url, &[200, 201, 202]).await?;
                let body: StatusBody = response.json(&self.state.operation_id)?;
                self.status = body.status;
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
                let location = self.state.location.clone().unwrap_or_default();
                let response = self.get(&location, &[200, 201, 202, 204]).await?;
                if response.status() == 202 {
                    self.status = "InProgress".to_owned();
                    return Ok(Step::Pending);
                }
                if self.original_uri_is_result() {
                    self.status = "Succeeded".to_owned();
                    let original = self.state.original_url.clone();
                    return Ok(Step::Done(self.get(&original, &[200, 201]).await?));
                }
                // What the Location URL answers may be the resource with its provisioningState
                // (a DELETE that failed, say).
                match provisioning_state(&response) {
                    Some(state) if matches!(phase(&state), Phase::Failed) => {
                        self.status = state;
                        Err(self.failed(ArmError::from_body(response.body()), response))
                    }
                    _ => {
                        self.status = "Succeeded".to_owned();
                        Ok(Step::Done(response))
                    }
                }
            }
            Monitor::OriginalUri => {
                let original = self.state.original_url.clone();
                let response = self.get(&original, &[200, 201, 202]).await?;
                self.read_resource(response)
            }
        }
    }

    /// GETs a polling URL, taking note of `Location` and `Retry-After`.
    async fn get(&mut self, link: &str, expected: &[u16]) -> Result<Response, Error> {
        let response = self
            .client
            .get_link(
                &self.state.operation_id,
                "(long-running operation poll)",
                &self.state.api_version,
                LinkApiVersion::AddIfMissing,
                link,
                expected,
            )
            .await?;
        if let Some(location) = response.header("location") {
            self.state.location = Some(self.client.resolve_link(location)?.into());
        }
        self.delay = retry_after(response.headers()).unwrap_or(self.client.poll_interval());
        Ok(response)
    }

    /// A resource body: done unless its `provisioningState` is still running.
    fn read_resource(&mut self, response: Response) -> Result<Step, Error> {
        self.status = provisioning_state(&response).unwrap_or_else(|| "Succeeded".to_owned());
        match phase(&self.status) {
            Phase::Running if response.status() != 204 => Ok(Step::Pending),
            Phase::Failed => Err(self.failed(ArmError::from_body(response.body()), response)),
            _ => Ok(Step::Done(response)),
        }
    }

    /// Final-state-via as the spec says, else what ARM implies by the method: the original URL
    /// for `PUT`/`PATCH`, the `Location` URL for `POST`, the status resource for `DELETE` (the
    /// resource is gone; there is nothing more to fetch).
    fn final_state_via(&self) -> FinalStateVia {
        self.state
            .final_state_via
            .unwrap_or(match self.state.method {
                Method::Put | Method::Patch => FinalStateVia::OriginalUri,
                Method::Delete => FinalStateVia::AzureAsyncOperation,
                _ => FinalStateVia::Location,
            })
    }

    /// After the status resource said `Succeeded`: the result, per final-state-via, as the Azure
    /// SDKs read it: the `Location` URL when the spec says so; else, for `PUT` and `PATCH`, the
    /// resource itself at the original URL; else the original URL when the spec says so; else
    /// the status resource's `properties`, or the whole status resource when it has none (a
    /// `POST` or `DELETE` via `azure-async-operation`).
    async fn final_result(&mut self, status_response: Response) -> Result<Step, Error> {
        let location = self.state.location.clone();
        let fetch = match self.final_state_via() {
            FinalStateVia::Location if location.is_some() => location,
            _ if matches!(self.state.method, Method::Put | Method::Patch) => {
                Some(self.state.original_url.clone())
            }
            FinalStateVia::OriginalUri if self.state.method != Method::Delete => {
                Some(self.state.original_url.clone())
            }
            _ => None,
        };
        match fetch {
            Some(url) => Ok(Step::Done(self.get(&url, &[200, 201, 204]).await?)),
            None => Ok(Step::Done(properties_of(status_response))),
        }
    }

    /// Whether the spec says the result is read from the original URL (never for a `DELETE`:
    /// it is gone). Without a word from the spec, what the `Location` URL answers is the result.
    fn original_uri_is_result(&self) -> bool {
        self.state.final_state_via == Some(FinalStateVia::OriginalUri)
            && self.state.method != Method::Delete
    }

    fn failed(&self, error: Option<ArmError>, response: Response) -> Error {
        let kind = ErrorKind::OperationFailed {
            operation_id: self.state.operation_id.clone(),
            status: self.status.clone(),
            error,
        };
        Error::with_response(kind, response)
    }
}

/// The status resource's `properties` as the result body; the whole status resource when it has
/// none.
fn properties_of(response: Response) -> Response {
    let properties = serde_json::from_slice::<serde_json::Value>(response.body())
        .ok()
        .and_then(|mut body| body.get_mut("properties").map(serde_json::Value::take))
        .and_then(|properties| serde_json::to_vec(&properties).ok());
    match properties {
        Some(properties) => response.with_body(properties.into()),
        None => response,
    }
}
