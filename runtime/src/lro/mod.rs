//! [`Poller`]: waits for a long-running operation (`Azure-AsyncOperation`, `Location`,
//! `Operation-Location` or `provisioningState` polling) and decodes its result; can be saved as
//! a resume token and continued later.

mod operation;

use std::any::TypeId;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use crate::json::Decode;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;

pub use operation::FinalStateVia;
use operation::{Operation, State, Step};

use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::paging::{Page, Pager};
use crate::request::Request;
use crate::response::RawResponse;

/// Options of a long-running operation, from the spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LroOptions {
    /// Where the final result of a `POST` comes from; `None` means the `Location` URL if there
    /// is one. A `PUT` or `PATCH` always reads the resource at its own URL in the end, and a
    /// `DELETE` reads nothing more, as the Go and .NET Azure SDKs do.
    pub final_state_via: Option<FinalStateVia>,
}

/// Whether a long-running operation has finished, after [`Poller::poll`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollStatus {
    /// Still running; poll again later.
    InProgress,
    /// Finished successfully; [`Poller::wait`] returns the result without another request.
    Done,
}

/// A long-running operation in progress, producing a `T` (`()` for operations without a result
/// body; whatever body the service sends is then ignored).
///
/// `.await` it (or call [`Poller::wait`]) to poll until it finishes, honouring `Retry-After`;
/// without one, the first poll comes after a second and the wait doubles up to the client's poll
/// interval. [`Poller::poll`] polls once. A `Failed` or `Canceled` operation is an error of kind
/// [`ErrorKind::OperationFailed`] carrying the service's error. A poll that fails (after the
/// client's retries) only means the status could not be read: the poller stays as it was and
/// can poll again ([`Poller::poll_until_done`] keeps it for that). Polling URLs that name
/// another scheme, host or port than the client's endpoint are refused with
/// [`ErrorKind::UntrustedUrl`] before anything is sent.
///
/// When the service ends the operation with no body (204, or an empty 200), the result is what
/// `null` decodes to (`()`, `None` for an `Option`), else what `{}` decodes to: for a model
/// whose properties are all optional, the model with none set (its `Default`), like the zero
/// value Go's SDK returns. A model with required properties has no such value; that is a
/// [`ErrorKind::Decode`] error naming the missing property.
pub struct Poller<T> {
    operation: Operation,
    outcome: Outcome<T>,
}

enum Outcome<T> {
    Pending,
    Done(T),
    Failed(Error),
    /// [`Poller::poll_until_done`] handed the result out.
    Taken,
}

impl<T: Decode + Send + 'static> Poller<T> {
    /// Starts tracking the operation `request` began, from its initial `response` (which the
    /// request's expected statuses accepted).
    #[doc(hidden)]
    pub fn start(
        client: Client,
        request: &Request,
        response: RawResponse,
        options: LroOptions,
    ) -> Result<Poller<T>, Error> {
        let (operation, step) =
            Operation::start(client, request, response, options.final_state_via)?;
        let mut poller = Poller {
            operation,
            outcome: Outcome::Pending,
        };
        poller.settle(Ok(step))?;
        Ok(poller)
    }

    /// The poller with `poll_interval` (when set) as the longest wait between polls when the
    /// service names none, instead of the client's: a call's
    /// [`CallOptions::with_poll_interval`](crate::CallOptions::with_poll_interval).
    #[doc(hidden)]
    pub fn with_poll_interval(mut self, poll_interval: Option<std::time::Duration>) -> Self {
        if let Some(poll_interval) = poll_interval {
            self.operation.set_poll_interval(poll_interval);
        }
        self
    }

    /// Continues an operation saved with [`Poller::resume_token`]. The first poll is immediate.
    pub fn resume(client: &Client, token: &str) -> Result<Poller<T>, Error> {
        let invalid = |message: String| Error::new(ErrorKind::ResumeToken(message));
        let json = URL_SAFE_NO_PAD
            .decode(token.trim())
            .map_err(|error| invalid(format!("not base64url: {error}")))?;
        let state: State = serde_json::from_slice(&json)
            .map_err(|error| invalid(format!("unreadable: {error}")))?;
        Ok(Poller {
            operation: Operation::resume(client.clone(), state)?,
            outcome: Outcome::Pending,
        })
    }

    /// Polls the service once (at once, without waiting) unless the operation has finished.
    ///
    /// An error of kind [`ErrorKind::OperationFailed`] means the operation failed, for good. Any
    /// other error means this poll could not read the status (the service or the network failed
    /// after the client's retries): the poller is left as it was, and polling again continues.
    pub async fn poll(&mut self) -> Result<PollStatus, Error> {
        if let Outcome::Pending = self.outcome {
            let before = self.operation.snapshot();
            match self.operation.step().await {
                Err(error) if !matches!(error.kind(), ErrorKind::OperationFailed { .. }) => {
                    self.operation.restore(before);
                    return Err(error);
                }
                step => self.settle(step)?,
            }
        }
        match &self.outcome {
            Outcome::Pending => Ok(PollStatus::InProgress),
            Outcome::Done(_) | Outcome::Taken => Ok(PollStatus::Done),
            Outcome::Failed(error) => Err(error.clone()),
        }
    }

    /// Polls until the operation finishes, waiting `Retry-After` (or the default delay) between
    /// polls, and returns its result. A failed poll returns its error and leaves the poller as
    /// it was: calling this again (after a pause, say) continues the operation. The result is
    /// handed out once; a second call after success is an error of kind
    /// [`ErrorKind::InvalidRequest`].
    pub async fn poll_until_done(&mut self) -> Result<T, Error> {
        while let Outcome::Pending = self.outcome {
            // A zero-length sleep still waits for the timer's next tick (about 1 ms).
            if !self.operation.delay.is_zero() {
                tokio::time::sleep(self.operation.delay).await;
            }
            self.poll().await?;
        }
        match std::mem::replace(&mut self.outcome, Outcome::Taken) {
            Outcome::Done(result) => Ok(result),
            Outcome::Failed(error) => {
                self.outcome = Outcome::Failed(error.clone());
                Err(error)
            }
            Outcome::Pending | Outcome::Taken => Err(Error::new(ErrorKind::InvalidRequest {
                operation_id: self.operation.state.operation_id.clone(),
                reason: "the result of this long-running operation was already returned".to_owned(),
            })),
        }
    }

    /// Polls until the operation finishes, as [`Poller::poll_until_done`] does, and returns its
    /// result. On an error the poller is gone; take a [`Poller::resume_token`] first, or use
    /// [`Poller::poll_until_done`], to be able to continue after a failed poll.
    pub async fn wait(mut self) -> Result<T, Error> {
        self.poll_until_done().await
    }

    /// For an operation whose result is the first page of a list (a long-running operation that
    /// is also pageable): a [`Pager`] that waits for the operation (as [`Poller::wait`] does),
    /// then yields the items of that page and of every page its next link leads to.
    pub fn into_pager(self) -> Pager<T>
    where
        T: Page,
        T::Item: Send + 'static,
    {
        let client = self.operation.client.clone();
        let operation_id = self.operation.state.operation_id.clone();
        let api_version = self.operation.state.api_version.clone();
        Pager::after(client, operation_id, api_version, Box::pin(self.wait()))
    }

    /// Records the outcome of a step; decodes the result when the operation is done.
    fn settle(&mut self, step: Result<Step, Error>) -> Result<(), Error> {
        self.outcome =
            match step.and_then(|step| decode_result(&self.operation.state.operation_id, step)) {
                Ok(Some(result)) => Outcome::Done(result),
                Ok(None) => Outcome::Pending,
                Err(error) => Outcome::Failed(error),
            };
        match &self.outcome {
            Outcome::Failed(error) => Err(error.clone()),
            _ => Ok(()),
        }
    }
}

impl<T> Poller<T> {
    /// The last status the service reported, such as `InProgress` or `Succeeded`.
    pub fn status(&self) -> &str {
        &self.operation.status
    }

    /// Whether the operation has finished (successfully or not).
    pub fn is_done(&self) -> bool {
        !matches!(self.outcome, Outcome::Pending)
    }

    /// A token that [`Poller::resume`] turns back into a poller, in this or another process. It
    /// holds the polling URLs, the method, final-state-via and the operation id (no credential).
    pub fn resume_token(&self) -> Result<String, Error> {
        let json = serde_json::to_vec(&self.operation.state)
            .map_err(|error| Error::new(ErrorKind::ResumeToken(error.to_string())))?;
        Ok(URL_SAFE_NO_PAD.encode(json))
    }
}

/// The result of a finished step, `None` while pending. For `T = ()` the body is ignored; an
/// empty final body is the empty value of `T` (see [`Poller`]).
fn decode_result<T: Decode + 'static>(operation_id: &str, step: Step) -> Result<Option<T>, Error> {
    let response = match step {
        Step::Pending => return Ok(None),
        Step::Done(response) => response,
    };
    if TypeId::of::<T>() == TypeId::of::<()>() || operation::is_empty(&response) {
        // An empty body decodes as `null`: `()`, `None`, a JSON `Value::Null`.
        let response = response.with_body(Bytes::new());
        if let Ok(result) = response.json(operation_id) {
            return Ok(Some(result));
        }
        return response
            .with_body(Bytes::from_static(b"{}"))
            .json(operation_id)
            .map(Some);
    }
    response.json(operation_id).map(Some)
}

impl<T: Decode + Send + 'static> IntoFuture for Poller<T> {
    type Output = Result<T, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.wait())
    }
}

impl<T> fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("operation_id", &self.operation.state.operation_id)
            .field("status", &self.operation.status)
            .field("done", &self.is_done())
            .finish_non_exhaustive()
    }
}
