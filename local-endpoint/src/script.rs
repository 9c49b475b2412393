//! What a typed fake handler answers: [`FakeError`] (an ARM error), [`FakePoller`] (how a
//! long-running operation progresses), [`FakePages`] (a list's pages), and [`FakeAnswer`], any of
//! these or a plain [`FakeResponse`] as the endpoint serves them. Go's `azfake` has the same
//! three: `ErrorResponder`, `PollerResponder` and `PagerResponder`.

use azrm_runtime::json::Encode;
use serde_json::{Value, json};

use crate::fake::{FakeResponse, encoded};

/// An ARM error a fake handler answers with: `{"error": {"code", "message"}}` with `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeError {
    /// The HTTP status, such as 404 or 409.
    pub status: u16,
    /// The ARM error code, such as `ResourceNotFound`.
    pub code: String,
    /// The error message.
    pub message: String,
}

impl FakeError {
    /// An error with `status`, ARM error `code` and `message`.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// 400 `InvalidRequestContent`: the request is not what the operation takes.
    pub fn invalid_content(message: &str) -> Self {
        Self::new(
            400,
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {message}"),
        )
    }

    /// The error as an ARM error response.
    pub fn response(&self) -> FakeResponse {
        FakeResponse::error(self.status, &self.code, &self.message)
    }

    /// `{"code", "message"}`: the `error` of an ARM error body or of a failed operation's status.
    pub(super) fn error_object(&self) -> Value {
        json!({"code": self.code, "message": self.message})
    }
}

impl From<FakeError> for FakeResponse {
    fn from(error: FakeError) -> Self {
        error.response()
    }
}

/// How a long-running operation a fake handler started progresses: `InProgress` for some polls,
/// then `Succeeded` with its result or `Failed` with an error.
///
/// The endpoint answers the first request as ARM would (the resource as sent, with a
/// provisioning state that is not final, or `202 Accepted`) with the status monitor URLs; the
/// change is applied at once, so that a client reading the resource when the operation has
/// succeeded finds `result` at its URL (`PUT`, `PATCH`), or gone (`DELETE`). A `POST` action's
/// result is served by the operation's result URL.
///
/// ```
/// use azrm_local_endpoint::{FakeError, FakePoller};
/// let created: FakePoller<u32> = FakePoller::succeeded(7).after_polls(3);
/// let failed: FakePoller<u32> =
///     FakePoller::failed(FakeError::new(409, "Conflict", "taken")).after_polls(2);
/// // A bare result is done at the first poll:
/// let at_once: FakePoller<u32> = 7.into();
/// # let _ = (created, failed, at_once);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FakePoller<T> {
    polls: u32,
    outcome: Result<T, FakeError>,
}

impl<T> FakePoller<T> {
    /// An operation that succeeds with `result` at the first poll.
    pub fn succeeded(result: T) -> Self {
        Self {
            polls: 0,
            outcome: Ok(result),
        }
    }

    /// An operation that fails with `error` at the first poll: the status monitor says
    /// `Failed` with the error's code and message, the result URL answers the error.
    pub fn failed(error: FakeError) -> Self {
        Self {
            polls: 0,
            outcome: Err(error),
        }
    }

    /// The operation answers `InProgress` to its first `polls` polls, then ends.
    pub fn after_polls(mut self, polls: u32) -> Self {
        self.polls = polls;
        self
    }

    /// The script with the result as `encode` makes it JSON (`None`: no body).
    fn answer(self, encode: impl FnOnce(T) -> Result<Option<Value>, FakeResponse>) -> FakeAnswer {
        let outcome = match self.outcome {
            Ok(result) => match encode(result) {
                Ok(result) => Ok(result),
                Err(response) => return FakeAnswer(Answer::Respond(response)),
            },
            Err(error) => Err(error),
        };
        FakeAnswer(Answer::Poll {
            polls: self.polls,
            outcome,
        })
    }
}

impl<T: Encode> FakePoller<T> {
    /// The script as the endpoint serves it, the result encoded as a response body.
    pub fn into_answer(self) -> FakeAnswer {
        self.answer(|result| encoded(&result).map(Some))
    }
}

impl FakePoller<()> {
    /// The script of an operation without a result, as the endpoint serves it.
    pub fn into_empty_answer(self) -> FakeAnswer {
        self.answer(|()| Ok(None))
    }
}

impl<T> From<T> for FakePoller<T> {
    fn from(result: T) -> Self {
        Self::succeeded(result)
    }
}

/// The pages of a list a fake handler answers: the first page answers the request, each page
/// links to the next with a `nextLink` that the endpoint serves (and serves again when a client
/// retries it), and the list may end with an error instead of a last page.
///
/// ```
/// use azrm_local_endpoint::{FakeError, FakePages};
/// let three = FakePages::new().page([1, 2]).page([3]).page([4, 5]);
/// let broken = FakePages::new()
///     .page([1, 2])
///     .then_fail(FakeError::new(503, "ServiceUnavailable", "try later"));
/// // One page:
/// let one: FakePages<u32> = vec![1, 2, 3].into();
/// # let _ = (three, broken, one);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FakePages<T> {
    pages: Vec<Vec<T>>,
    error: Option<FakeError>,
}

impl<T> Default for FakePages<T> {
    fn default() -> Self {
        Self {
            pages: Vec::new(),
            error: None,
        }
    }
}

impl<T> FakePages<T> {
    /// No pages yet: an empty list (one page without items) unless pages are added.
    pub fn new() -> Self {
        Self::default()
    }

    /// The pages with one more, holding `items`.
    pub fn page(mut self, items: impl IntoIterator<Item = T>) -> Self {
        self.pages.push(items.into_iter().collect());
        self
    }

    /// The list ends with `error`: the last page links to a page that answers it.
    pub fn then_fail(mut self, error: FakeError) -> Self {
        self.error = Some(error);
        self
    }
}

impl<T: Encode> FakePages<T> {
    /// The pages as the endpoint serves them, each item encoded as a response body.
    pub fn into_answer(self) -> FakeAnswer {
        let mut pages = Vec::with_capacity(self.pages.len());
        for page in self.pages {
            let items: Result<Vec<Value>, FakeResponse> = page.iter().map(encoded).collect();
            match items {
                Ok(items) => pages.push(items),
                Err(response) => return FakeAnswer(Answer::Respond(response)),
            }
        }
        FakeAnswer(Answer::Pages(ScriptedPages {
            pages,
            error: self.error,
        }))
    }
}

impl<T> From<Vec<T>> for FakePages<T> {
    fn from(items: Vec<T>) -> Self {
        Self::new().page(items)
    }
}

/// A list's pages as JSON, and the error that may end it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct ScriptedPages {
    /// The items of each page.
    pub(super) pages: Vec<Vec<Value>>,
    /// The answer after the last page, if the list ends with an error.
    pub(super) error: Option<FakeError>,
}

/// What a handler given to [`LocalEndpoint::on_scripted`](crate::LocalEndpoint::on_scripted)
/// answers: a response, a long-running operation's script or a list's pages. Made from a
/// [`FakeResponse`] or [`FakeError`] (`into()`), [`FakePoller::into_answer`] or
/// [`FakePages::into_answer`].
#[derive(Debug, Clone, PartialEq)]
pub struct FakeAnswer(pub(super) Answer);

/// The kinds of [`FakeAnswer`].
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Answer {
    /// Send this response.
    Respond(FakeResponse),
    /// Start a long-running operation that answers `InProgress` to `polls` polls, then ends
    /// with `outcome` (`Ok(None)`: succeeded without a result body).
    Poll {
        polls: u32,
        outcome: Result<Option<Value>, FakeError>,
    },
    /// Serve these pages.
    Pages(ScriptedPages),
}

impl From<FakeResponse> for FakeAnswer {
    fn from(response: FakeResponse) -> Self {
        Self(Answer::Respond(response))
    }
}

impl From<FakeError> for FakeAnswer {
    fn from(error: FakeError) -> Self {
        Self(Answer::Respond(error.response()))
    }
}
