//! Every example response in the spec's `examples/` folder decodes into the model its operation
//! declares for that status, and encodes back to the same JSON.
//!
//! Encoding back is compared value by value; the only differences allowed are the ones listed in
//! [`normalised`]: date-times are compared as instants and numbers by value.

use std::collections::BTreeMap;
use std::path::Path;

use arm_codegen::ir::{self, Api, TypeRef};
use arm_codegen::{load, normalise};
use serde_json::Value;
use workspace_tests::{model_registry, regen_config};

struct Outcome {
    decoded: usize,
    identical: usize,
    failures: Vec<String>,
    examples_read: usize,
    examples_named: usize,
}

fn api() -> Api {
    let config = regen_config();
    let set = load::load(&config.input_paths()).unwrap_or_else(|error| panic!("{error}"));
    ir::build(&normalise::normalise(&set).unwrap_or_else(|error| panic!("{error}")))
        .unwrap_or_else(|error| panic!("{error}"))
}

fn run() -> Outcome {
    let api = api();
    let spec_dir = regen_config().input_paths()[0].parent().unwrap().to_owned();
    let mut outcome = Outcome {
        decoded: 0,
        identical: 0,
        failures: Vec::new(),
        examples_read: 0,
        examples_named: 0,
    };
    for op in &api.operations {
        for (name, reference) in &op.examples {
            outcome.examples_named += 1;
            let Some(example) = read_example(&spec_dir.join(reference)) else {
                continue;
            };
            outcome.examples_read += 1;
            let responses = example["responses"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for (status, response) in responses {
                let Some(body) = response.get("body") else {
                    continue;
                };
                let declared = op
                    .responses
                    .iter()
                    .find(|r| r.status.map(|s| s.to_string()) == Some(status.clone()));
                let Some(TypeRef::Named(model)) = declared.and_then(|r| r.ty.as_ref()) else {
                    outcome.failures.push(format!(
                        "{name} ({}) {status}: the spec declares no model for this status",
                        op.id
                    ));
                    continue;
                };
                match model_registry::round_trip(model, body) {
                    Some(Ok(encoded)) => {
                        outcome.decoded += 1;
                        match first_difference(
                            &normalised(body),
                            &normalised(&encoded),
                            String::new(),
                        ) {
                            None => outcome.identical += 1,
                            Some(difference) => outcome.failures.push(format!(
                                "{name} {status}: {model} re-encodes differently at {difference}"
                            )),
                        }
                    }
                    Some(Err(error)) => outcome
                        .failures
                        .push(format!("{name} {status}: {model} does not decode: {error}")),
                    None => outcome
                        .failures
                        .push(format!("{name} {status}: no model named {model}")),
                }
            }
        }
    }
    outcome
}

/// The JSON pointer of the first place where `expected` and `actual` differ, with both values.
fn first_difference(expected: &Value, actual: &Value, pointer: String) -> Option<String> {
    match (expected, actual) {
        (Value::Object(left), Value::Object(right)) => {
            let keys: std::collections::BTreeSet<&String> =
                left.keys().chain(right.keys()).collect();
            keys.into_iter().find_map(|key| {
                let here = format!("{pointer}/{key}");
                match (left.get(key), right.get(key)) {
                    (Some(l), Some(r)) => first_difference(l, r, here),
                    (l, r) => Some(format!("{here}: example {l:?}, re-encoded {r:?}")),
                }
            })
        }
        (Value::Array(left), Value::Array(right)) if left.len() == right.len() => left
            .iter()
            .zip(right)
            .enumerate()
            .find_map(|(index, (l, r))| first_difference(l, r, format!("{pointer}/{index}"))),
        (left, right) if left == right => None,
        (left, right) => Some(format!("{pointer}: example {left}, re-encoded {right}")),
    }
}

/// The example file, if the snapshot includes it (it holds 127 of the 249 the spec names).
fn read_example(path: &Path) -> Option<Value> {
    let bytes = std::fs::read(path).ok()?;
    Some(
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display())),
    )
}

/// JSON with date-time strings replaced by the instant they denote (`...00Z` and `...00.000Z`
/// are one instant) and numbers compared by value (`5` and `5.0` are one JSON number).
fn normalised(value: &Value) -> Value {
    match value {
        Value::Number(number) => number.as_f64().map_or_else(|| value.clone(), Value::from),
        Value::String(text) => match arm_runtime_date_time(text) {
            Some(instant) => Value::String(instant),
            None => value.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), normalised(value)))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        ),
        other => other.clone(),
    }
}

fn arm_runtime_date_time(text: &str) -> Option<String> {
    let looks_like_date_time = text.len() >= 19
        && text.as_bytes().get(10) == Some(&b'T')
        && text.as_bytes().get(4) == Some(&b'-');
    if !looks_like_date_time {
        return None;
    }
    let parsed: Result<DateTime, _> = serde_json::from_value(Value::String(text.to_owned()));
    parsed.ok().map(|d| d.0.unix_timestamp_nanos().to_string())
}

#[derive(serde::Deserialize)]
struct DateTime(#[serde(with = "arm_runtime::serde_support::date_time")] time::OffsetDateTime);

#[test]
fn every_example_response_decodes_into_its_model() {
    let outcome = run();
    println!(
        "example files: {} of {} named by the spec are in the snapshot; response bodies decoded: {}, re-encoded identically: {}",
        outcome.examples_read, outcome.examples_named, outcome.decoded, outcome.identical
    );
    assert!(
        outcome.examples_read >= 120,
        "only {} example files read",
        outcome.examples_read
    );
    assert!(
        outcome.failures.is_empty(),
        "{} failures:\n{}",
        outcome.failures.len(),
        outcome.failures.join("\n")
    );
}
