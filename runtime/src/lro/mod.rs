//! [`Poller`]: waits for a long-running operation (`Azure-AsyncOperation`, `Location`,
//! `Operation-Location` or `provisioningState` polling), reports its status as it goes and
//! decodes its result; can be saved as a resume token and continued later.

mod operation;
mod status;
mod token;

use std::any::TypeId;
use std::fmt;
use std::pin::Pin;
use std::sync::{Mutex, PoisonError};
use std::task::{Context, Poll, ready};

use crate::json::Decode;
use bytes::Bytes;
use futures::Stream;
use futures::future::BoxFuture;
use tokio::time::Instant;

pub use operation::FinalStateVia;
use operation::{Operation, Step};
pub use status::PollerStatus;

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

/// A long-running operation in progress, producing a `T` (`()` for operations without a result
/// body; whatever body the service sends is then ignored).
///
/// - `.await` it, or call [`Poller::wait`], to poll until it finishes and get its result.
///   `wait` borrows the poller, so a wait cut short (`tokio::time::timeout(d, poller.wait())`)
///   can be continued by waiting again: the same operation, no request repeated.
/// - It is a [`Stream`] of the [`PollerStatus`] each poll reads, ending once the operation has
///   finished; [`Poller::poll`] is one step of it without `futures`' `StreamExt`.
///
/// Every poll waits its turn: what the service asked for with `Retry-After` (or
/// `retry-after-ms`) in its last response, else a second after the first response, doubling up
/// to the client's poll interval; a resumed poller polls at once. A `Failed` or `Canceled`
/// operation is, from [`Poller::wait`], an error of kind [`ErrorKind::OperationFailed`] carrying
/// the service's error. A poll that fails (after the client's retries) only means the status
/// could not be read: the poller stays as it was and the next poll retries at once. Polling URLs
/// that name another scheme, host or port than the client's endpoint are refused with
/// [`ErrorKind::UntrustedUrl`] before anything is sent.
///
/// When the service ends the operation with no body (204, or an empty 200), the result is what
/// `null` decodes to (`()`, `None` for an `Option`), else what `{}` decodes to: for a model
/// whose properties are all optional, the model with none set (its `Default`), like the zero
/// value Go's SDK returns. A model with required properties has no such value; that is a
/// [`ErrorKind::Decode`] error naming the missing property.
///
/// [`Poller::resume_token`] saves the operation as text; the operation group's `resume_*`
/// method for the same operation continues it, in this or another process.
pub struct Poller<T> {
    /// The operation as of the last poll that read a status.
    operation: Operation,
    outcome: Outcome<T>,
    /// The response that started the operation (`None` for a resumed poller).
    initial: Option<RawResponse>,
    /// When the next poll may be sent; `None`: at once.
    next_poll: Option<Instant>,
    /// The poll under way, kept when the caller stops waiting for it (a timeout), so that the
    /// next wait picks it up rather than sending it again. In a `Mutex` only so that the poller
    /// stays `Sync` (it is only reached through `&mut self`, with `get_mut`, never locked).
    in_flight: Mutex<Option<BoxFuture<'static, Polled>>>,
}

/// What a finished poll hands back: the operation it advanced (a clone of the poller's) and
/// the step it took.
type Polled = (Operation, Result<Step, Error>);

enum Outcome<T> {
    Pending,
    Done(T),
    Failed(Error),
    /// [`Poller::wait`] handed the result out.
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
        let initial = response.clone();
        let (operation, step) =
            Operation::start(client, request, response, options.final_state_via)?;
        let mut poller = Poller::new(operation, Some(initial));
        poller.next_poll = Some(Instant::now() + poller.operation.delay);
        poller.settle(Ok(step));
        match &poller.outcome {
            Outcome::Failed(error) => Err(error.clone()),
            _ => Ok(poller),
        }
    }

    /// Continues the operation `operation_id` from a token saved with [`Poller::resume_token`];
    /// the first poll is immediate. Generated crates call this from their typed `resume_*`
    /// methods, which know the operation and its result type.
    ///
    /// A token of another format version, or made by another operation, is an error of kind
    /// [`ErrorKind::ResumeToken`] saying so; a token whose URLs name another host than the
    /// client's endpoint is refused with [`ErrorKind::UntrustedUrl`].
    #[doc(hidden)]
    pub fn resume(client: Client, operation_id: &str, token: &str) -> Result<Poller<T>, Error> {
        Ok(Poller::new(
            resume_operation(client, operation_id, token)?,
            None,
        ))
    }

    fn new(operation: Operation, initial: Option<RawResponse>) -> Self {
        Poller {
            operation,
            outcome: Outcome::Pending,
            initial,
            next_poll: None,
            in_flight: Mutex::new(None),
        }
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

    /// Waits until the next poll is due, polls the service once and returns the status it
    /// read; once the operation has finished, returns its last status at once without sending
    /// anything.
    ///
    /// A `Failed` or `Canceled` status is returned as such (its error comes from
    /// [`Poller::wait`]). An error means this poll could not read the status (the service or
    /// the network failed after the client's retries): the poller is left as it was, and
    /// polling again continues.
    pub async fn poll(&mut self) -> Result<PollerStatus, Error> {
        std::future::poll_fn(|cx| self.poll_status(cx)).await
    }

    /// Polls until the operation finishes and returns its result. A failed poll returns its
    /// error and leaves the poller as it was, as does a wait cut short by a timeout: waiting
    /// again continues the operation. The result is handed out once; a second call after
    /// success is an error of kind [`ErrorKind::InvalidRequest`].
    pub async fn wait(&mut self) -> Result<T, Error> {
        while !self.is_done() {
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
        let mut poller = self;
        let first_page = Box::pin(async move {
            let page = poller.wait().await?;
            let headers = poller
                .latest_response()
                .map(|response| response.headers().clone())
                .unwrap_or_default();
            Ok((page, headers))
        });
        Pager::after(client, operation_id, api_version, first_page)
    }

    /// One step of [`Poller::poll`]: starts the next poll (after waiting its turn) unless one is
    /// under way or the operation has finished, and drives it.
    fn poll_status(&mut self, cx: &mut Context<'_>) -> Poll<Result<PollerStatus, Error>> {
        if self.is_done() {
            return Poll::Ready(Ok(self.operation.status.clone()));
        }
        let slot = self
            .in_flight
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        let in_flight = slot.get_or_insert_with(|| {
            let mut operation = self.operation.clone();
            let due = self.next_poll;
            Box::pin(async move {
                if let Some(due) = due.filter(|due| *due > Instant::now()) {
                    tokio::time::sleep_until(due).await;
                }
                let step = operation.step().await;
                (operation, step)
            })
        });
        let (operation, step) = ready!(in_flight.as_mut().poll(cx));
        *slot = None;
        if let Err(error) = &step
            && !matches!(error.kind(), ErrorKind::OperationFailed { .. })
        {
            return Poll::Ready(Err(error.clone()));
        }
        self.operation = operation;
        self.next_poll = Some(Instant::now() + self.operation.delay);
        self.settle(step);
        Poll::Ready(Ok(self.operation.status.clone()))
    }

    /// Records the outcome of a step; decodes the result when the operation is done.
    fn settle(&mut self, step: Result<Step, Error>) {
        self.outcome =
            match step.and_then(|step| decode_result(&self.operation.state.operation_id, step)) {
                Ok(Some(result)) => Outcome::Done(result),
                Ok(None) => Outcome::Pending,
                Err(error) => Outcome::Failed(error),
            };
    }
}

impl<T> Poller<T> {
    /// The last status the service reported ([`PollerStatus::InProgress`] until a poll or the
    /// initial response said otherwise).
    pub fn status(&self) -> &PollerStatus {
        &self.operation.status
    }

    /// Whether the operation has finished (successfully or not).
    pub fn is_done(&self) -> bool {
        !matches!(self.outcome, Outcome::Pending)
    }

    /// The response that started the operation: its status and headers (`x-ms-request-id`,
    /// `Azure-AsyncOperation`...). `None` for a poller resumed from a token.
    pub fn initial_response(&self) -> Option<&RawResponse> {
        self.initial.as_ref()
    }

    /// The last response the service sent for this operation: the initial response until a
    /// poll succeeds, then the latest poll's (the final result's, once done). `None` for a
    /// resumed poller before its first poll.
    pub fn latest_response(&self) -> Option<&RawResponse> {
        self.operation.latest.as_ref()
    }

    /// A token that the operation group's `resume_*` method for this operation turns back into
    /// a poller, in this or another process. It holds a format version, the operation id, the
    /// polling URLs, the method and final-state-via (no credential).
    pub fn resume_token(&self) -> Result<String, Error> {
        token::encode(&self.operation.state)
    }
}

/// The operation a resume token saved: the part of [`Poller::resume`] that does not depend on the
/// result type, compiled once.
fn resume_operation(client: Client, operation_id: &str, token: &str) -> Result<Operation, Error> {
    Operation::resume(client, token::decode(token, operation_id)?)
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
    type IntoFuture = BoxFuture<'static, Result<T, Error>>;

    fn into_future(mut self) -> Self::IntoFuture {
        Box::pin(async move { self.wait().await })
    }
}

// The poller never pins its fields in place, whatever the result type.
impl<T> Unpin for Poller<T> {}

/// The status each poll reads, as [`Poller::poll`] returns it; the stream ends once the
/// operation has finished (at once if it had before the first poll).
impl<T: Decode + Send + 'static> Stream for Poller<T> {
    type Item = Result<PollerStatus, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.is_done() {
            return Poll::Ready(None);
        }
        this.poll_status(cx).map(Some)
    }
}

impl<T> fmt::Debug for Poller<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Poller")
            .field("operation_id", &self.operation.state.operation_id)
            .field("status", &self.operation.status.as_str())
            .field("done", &self.is_done())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Poller;

    /// A poller can be moved to another task and shared by reference across `.await`s.
    #[test]
    fn a_poller_is_send_and_sync() {
        fn send_and_sync<T: Send + Sync>() {}
        send_and_sync::<Poller<serde_json::Value>>();
    }
}
