//! Every scenario of the autorest test server's `lro.json`, `lro-parameterized-endpoints.json`,
//! `paging.json`, `custom-baseUrl-paging.json` and `head.json`, run with the clients generated
//! from those specs against the test server on loopback. Each test prints passed / total per spec
//! and fails on any failure not listed, with its reason, as known.

mod error_with_secrets;
mod head;
mod head_exceptions;
mod lro;
mod paging;
mod required_optional;
mod validation;
mod xms_error_responses;

use std::future::Future;

use azrm_runtime::json::Decode;
use azrm_runtime::{Error, Poller};

/// Starts a long-running operation and waits for its result.
async fn finish<T: Decode + Send + 'static>(
    begin: impl Future<Output = Result<Poller<T>, Error>>,
) -> Result<T, Error> {
    begin.await?.await
}
