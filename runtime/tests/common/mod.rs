//! Helpers shared by the runtime's test binaries, which run the client against stub servers
//! (`azrm_local_endpoint::LocalEndpoint::stub`).
// Each test binary uses a different part of this module.
#![allow(dead_code, unused_imports)]

use std::net::Ipv4Addr;
use std::time::Duration;

use azrm_local_endpoint::LocalEndpoint;
use azrm_runtime::json::{Decode, DecodeError, ValueSource, required};
use azrm_runtime::{
    CallOptions, Client, ClientBuilder, Method, Page, Request, RetryOptions, StaticTokenCredential,
};

pub const TOKEN: &str = "test-token-5ecret";

/// A stub server without a handler yet on 127.0.0.2: another host to a client of one on
/// 127.0.0.1.
pub async fn other_host() -> LocalEndpoint {
    LocalEndpoint::builder(&[], "")
        .ip(Ipv4Addr::new(127, 0, 0, 2))
        .start()
        .await
        .unwrap()
}

/// A client builder for `base` with the test token and otherwise the defaults.
pub fn builder(base: &str) -> ClientBuilder {
    Client::builder("sub-1")
        .endpoint(base)
        .credential(StaticTokenCredential::new(TOKEN))
}

/// A client for `base` with the test token, fast retries and no poll delay.
pub fn client(base: &str) -> Client {
    builder(base)
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
        call: CallOptions::new(),
    }
}

/// A page of a list operation as generated list models are: `value` and `nextLink`.
pub struct ListPage<T> {
    pub value: Vec<T>,
    pub next_link: Option<String>,
}

impl<T: Decode> Decode for ListPage<T> {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut value = None;
        let mut next_link = None;
        source.object("a page", &mut |key, field| {
            match key {
                "value" => value = Some(Vec::decode(field)?),
                "nextLink" => next_link = Option::decode(field)?,
                _ => field.value().map(drop)?,
            }
            Ok(())
        })?;
        Ok(Self {
            value: required(value, "ListPage", "value")?,
            next_link,
        })
    }
}

impl<T: Decode> Page for ListPage<T> {
    type Item = T;

    fn into_items(self) -> (Vec<T>, Option<String>) {
        (self.value, self.next_link)
    }
}
