//! [`Links`]: the absolute URLs by which an answer points back at the endpoint (`nextLink`,
//! long-running operations' status and result URLs), on the listener the request came in on, so
//! they keep its scheme.

use azrm_runtime::append_query;

/// Absolute URLs on one listener.
#[derive(Debug, Clone, Copy)]
pub(super) struct Links<'a> {
    /// The listener's base URL, such as `https://127.0.0.1:PORT`.
    base: &'a str,
    /// The api-version the endpoint serves.
    api_version: &'static str,
}

impl<'a> Links<'a> {
    /// URLs on the listener at `base` for an endpoint serving `api_version`.
    pub(super) fn new(base: &'a str, api_version: &'static str) -> Self {
        Self { base, api_version }
    }

    /// The absolute URL of `path` with `query` (percent-encoded).
    pub(super) fn url<'q>(
        &self,
        path: &str,
        query: impl IntoIterator<Item = (&'q str, &'q str)>,
    ) -> String {
        let mut url = format!("{}{path}", self.base);
        append_query(&mut url, query);
        url
    }

    /// The absolute URL of `path` with the api-version.
    pub(super) fn link(&self, path: &str) -> String {
        self.url(path, [("api-version", self.api_version)])
    }
}
