//! Helpers shared by the runtime's test binaries, on top of `arm_runtime::testing`.
#![allow(dead_code)] // Each test binary uses a different part of this module.

use std::time::Duration;

use arm_runtime::{Client, Method, Request, RetryOptions, StaticTokenCredential};

pub use arm_runtime::testing::{Reply, StubServer as Server};

pub const TOKEN: &str = "test-token-5ecret";

/// A client for `base` with the test token, fast retries and no poll delay.
pub fn client(base: &str) -> Client {
    Client::builder("sub-1")
        .endpoint(base)
        .credential(StaticTokenCredential::new(TOKEN))
        .retry(RetryOptions::new().initial_delay(Duration::from_millis(1)))
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap()
}

/// A GET of `path` expecting 200.
pub fn get(operation_id: &'static str, path: &str) -> Request {
    Request {
        operation_id,
        method: Method::Get,
        path_template: "/test/{name}",
        path: path.to_owned(),
        query: Vec::new(),
        headers: Vec::new(),
        body: None,
        api_version: "2024-01-01",
        expected_status: &[200],
    }
}
