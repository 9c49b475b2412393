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
use crate::response::Response;

/// Options of a long-running operation, from the spec.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LroOptions {
    /// Where the final result comes from; `None` means what ARM implies by the method: the
    /// original URL for `PUT`/`PATCH`, the `Location` URL for `POST`/`DELETE`.
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
/// `.await` it (or call [`Poller::wait`]) to poll until it finishes, honouring `Retry-After`.
/// [`Poller::poll`] polls once. A `Failed` or `Canceled` operation is an error of kind
/// [`ErrorKind::OperationFailed`] carrying the service's error. Polling URLs that name another
/// scheme, host or port than the client's endpoint are refused with
/// [`ErrorKind::UntrustedUrl`] before anything is sent.
pub struct Poller<T> {
    operation: Operation,
    outcome: Outcome<T>,
}

enum Outcome<T> {
    Pending,
    Done(T),
    Failed(Error),
}

impl<T: Decode + Send + 'static> Poller<T> {
    /// Starts tracking the operation `request` began, from its initial `response` (which the
    /// request's expected statuses accepted).
    #[doc(hidden)]
    pub fn start(
        client: Client,
        request: &Request,
        response: Response,
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
    pub async fn poll(&mut self) -> Result<PollStatus, Error> {
        if let Outcome::Pending = self.outcome {
            let step = self.operation.step().await;
            self.settle(step)?;
        }
        match &self.outcome {
            Outcome::Pending => Ok(PollStatus::InProgress),
            Outcome::Done(_) => Ok(PollStatus::Done),
            Outcome::Failed(error) => Err(error.clone()),
        }
    }

    /// Polls until the operation finishes, waiting `Retry-After` (or the client's poll interval)
    /// between polls, and returns its result.
    pub async fn wait(mut self) -> Result<T, Error> {
        loop {
            match self.outcome {
                Outcome::Done(result) => return Ok(result),
                Outcome::Failed(error) => return Err(error),
                Outcome::Pending => {
                    // A zero-length sleep still waits for the timer's next tick (about 1 ms).
                    if !self.operation.delay.is_zero() {
                        tokio::time::sleep(self.operation.delay).await;
                    }
                    // An error is kept in `outcome` and returned on the next turn.
                    let _ = self.poll().await;
                }
            }
        }
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

/// The result of a finished step, `None` while pending. For `T = ()` the body is ignored.
fn decode_result<T: Decode + 'static>(operation_id: &str, step: Step) -> Result<Option<T>, Error> {
    match step {
        Step::Pending => Ok(None),
        Step::Done(response) if TypeId::of::<T>() == TypeId::of::<()>() => {
            // An empty body decodes as `null`, which is `()`.
            response
                .with_body(Bytes::new())
                .json(operation_id)
                .map(Some)
        }
        Step::Done(response) => response.json(operation_id).map(Some),
    }
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
