//! Benchmarks of the generator, the runtime and the generated crate, run by `cargo xtask bench`
//! through the `arm-bench` binary (one process per measurement, each printing one JSON line),
//! and the criterion benches under `benches/`.
//!
//! - [`regen`]: the regen pipeline per stage against the floor, a `serde_json` parse of the
//!   same spec files;
//! - [`decode`]: decoding and encoding a large SQL container list into the typed models against
//!   `serde_json::Value`;
//! - [`client`] and [`serve`]: client overhead per request against the local ARM endpoint,
//!   for the generated client and the floor (raw `reqwest` + `serde_json::Value`);
//! - [`measure`]: CPU time, peak RSS and medians.
#![deny(missing_docs)]

pub mod client;
pub mod data;
pub mod decode;
pub mod measure;
pub mod regen;
pub mod serve;

use std::path::{Path, PathBuf};

/// The workspace root: the parent of this crate's folder.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}

/// The subscription, resource group and names every client scenario uses (the Python and JS
/// scripts under `peers/` use the same).
pub mod names {
    /// The subscription of every request.
    pub const SUBSCRIPTION: &str = "00000000-0000-0000-0000-00000000be1c";
    /// The resource group of the accounts.
    pub const RESOURCE_GROUP: &str = "bench-rg";
    /// The account the GET and the long-running create address.
    pub const ACCOUNT: &str = "bench-account-0000";
    /// The SQL database the long-running create (re)creates.
    pub const DATABASE: &str = "bench-db";
    /// How many accounts the endpoint holds (the paged list returns them all).
    pub const ACCOUNTS: usize = 1000;
    /// Items per page of the endpoint: the list takes `ACCOUNTS / PAGE_SIZE` requests.
    pub const PAGE_SIZE: usize = 100;
    /// `InProgress` answers before `Succeeded`: a long-running create polls 3 times.
    pub const POLLS_IN_PROGRESS: u32 = 2;
    /// The spec's api-version.
    pub const API_VERSION: &str = "2026-03-15";
}
