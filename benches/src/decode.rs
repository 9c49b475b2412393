//! Decoding throughput: a large SQL container list into `SqlContainerListResult` against
//! `serde_json::Value`, and the encode direction.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use azrm_cosmosdb::models::SqlContainerListResult;
use azrm_runtime::RawResponse;
use serde::Serialize;
use serde_json::Value;

use crate::measure::median;

/// Typed decode as the client does it: the runtime's decoding of a response body.
pub fn typed_runtime(
    response: &RawResponse,
) -> Result<SqlContainerListResult, azrm_runtime::Error> {
    response.json("SqlResources_ListSqlContainers")
}

/// Typed decode with plain `serde_json`.
pub fn typed(bytes: &[u8]) -> serde_json::Result<SqlContainerListResult> {
    serde_json::from_slice(bytes)
}

/// The floor: the same bytes into a `serde_json::Value`.
pub fn value(bytes: &[u8]) -> serde_json::Result<Value> {
    serde_json::from_slice(bytes)
}

/// Throughput of each variant, MB/s (10^6 bytes), median of the runs.
#[derive(Debug, Clone, Serialize)]
pub struct DecodeReport {
    /// Items in the list.
    pub items: usize,
    /// Size of the list in bytes.
    pub bytes: usize,
    /// Runs of each variant.
    pub runs: usize,
    /// `serde_json::from_slice::<Value>` (the floor).
    pub decode_value_mb_s: f64,
    /// `serde_json::from_slice::<SqlContainerListResult>` (through the models' serde impls).
    pub decode_typed_mb_s: f64,
    /// The runtime's response decoding (what the client does) into `SqlContainerListResult`.
    pub decode_typed_runtime_mb_s: f64,
    /// `serde_json::to_vec` of the `Value` (the floor of encoding).
    pub encode_value_mb_s: f64,
    /// `azrm_runtime::json::to_vec` of the typed list (how the client encodes bodies).
    pub encode_typed_mb_s: f64,
}

/// Decodes and encodes a list of `items` containers `runs` times each (interleaved) and reports
/// the median throughput of each variant. Checks first that the typed list re-encodes to the
/// same JSON.
pub fn run(items: usize, runs: usize) -> Result<DecodeReport> {
    let bytes = crate::data::sql_container_list(items)?;
    let runs = runs.max(1);
    let floor = value(&bytes)?;
    let decoded = typed(&bytes)?;
    ensure!(
        decoded.value.as_ref().map(Vec::len) == Some(items),
        "the typed list lost items"
    );
    ensure!(
        same_json(&serde_json::to_value(&decoded)?, &floor),
        "the typed list does not re-encode to the same JSON"
    );
    let response = RawResponse::from_body(200, bytes.clone());
    let mut times: [Vec<f64>; 5] = Default::default();
    for _ in 0..runs {
        times[0].push(timed(|| value(&bytes).map(drop))?);
        times[1].push(timed(|| typed(&bytes).map(drop))?);
        times[2].push(timed(|| typed_runtime(&response).map(drop))?);
        times[3].push(timed(|| serde_json::to_vec(&floor).map(drop))?);
        times[4].push(timed(|| {
            drop(azrm_runtime::json::to_vec(&decoded));
            Ok::<(), serde_json::Error>(())
        })?);
    }
    let mb_s = |samples: &[f64]| bytes.len() as f64 / 1e6 / median(samples);
    Ok(DecodeReport {
        items,
        bytes: bytes.len(),
        runs,
        decode_value_mb_s: mb_s(&times[0]),
        decode_typed_mb_s: mb_s(&times[1]),
        decode_typed_runtime_mb_s: mb_s(&times[2]),
        encode_value_mb_s: mb_s(&times[3]),
        encode_typed_mb_s: mb_s(&times[4]),
    })
}

/// Seconds `work` took.
fn timed<E>(work: impl FnOnce() -> Result<(), E>) -> Result<f64, E> {
    let started = Instant::now();
    work()?;
    Ok(Duration::as_secs_f64(&started.elapsed()))
}

/// JSON equality where numbers compare by value: `_ts` is `type: number` in the spec, so the
/// typed model holds an `f64` and re-encodes `1459200611` as `1459200611.0`.
pub fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => left.as_f64() == right.as_f64(),
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same_json(l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, l)| right.get(key).is_some_and(|r| same_json(l, r)))
        }
        _ => left == right,
    }
}
