//! Every example response in the spec's `examples/` folder decodes into the model its operation
//! declares for that status, every property the spec declares (at any depth) into its own field
//! rather than among the additional properties, and encodes back to the same JSON.
//!
//! Encoding back is compared value by value with the conformance suite's comparison: date-times
//! are compared as instants and numbers by value.

use azrm_codegen::examples::load_examples;
use azrm_codegen::ir::TypeRef;
use azrm_runtime::json::JsonWriter;
use workspace_tests::conformance::{first_difference, load_api, normalised};
use workspace_tests::wire_names::check_wire_names;
use workspace_tests::{COSMOS_DB, model_registry, regen_config};

struct Outcome {
    decoded: usize,
    identical: usize,
    /// Declared properties found in their fields, at any depth.
    in_their_fields: usize,
    failures: Vec<String>,
    examples_read: usize,
    examples_named: usize,
}

fn run() -> Outcome {
    let api = load_api(&regen_config()).unwrap_or_else(|error| panic!("{error}"));
    let examples = load_examples(&api).unwrap_or_else(|error| panic!("{error}"));
    let mut outcome = Outcome {
        decoded: 0,
        identical: 0,
        in_their_fields: 0,
        failures: Vec::new(),
        examples_read: examples.read_count(),
        examples_named: examples.read_count() + examples.missing.len(),
    };
    for (operation_id, example) in examples.iter() {
        let Some(op) = api.operations.iter().find(|op| op.id == operation_id) else {
            continue;
        };
        let name = &example.name;
        for (status, body) in example.responses() {
            let Some(body) = body else {
                continue;
            };
            let declared = op.responses.iter().find(|r| r.status == Some(status));
            let Some(TypeRef::Named(model)) = declared.and_then(|r| r.ty.as_ref()) else {
                outcome.failures.push(format!(
                    "{name} ({operation_id}) {status}: the spec declares no model for this status"
                ));
                continue;
            };
            match check_wire_names(&COSMOS_DB, &api, model, body) {
                Ok(found) if found.misplaced.is_empty() => {
                    outcome.in_their_fields += found.declared
                }
                Ok(found) => outcome.failures.push(format!(
                    "{name} {status}: {model} kept declared properties among its additional \
                     properties (wrong wire name?) at {}",
                    found.misplaced.join(", ")
                )),
                Err(error) => outcome.failures.push(format!("{name} {status}: {error}")),
            }
            match model_registry::round_trip(model, body, JsonWriter::new()) {
                Some(Ok(encoded)) => {
                    outcome.decoded += 1;
                    match first_difference(&normalised(body), &normalised(&encoded.json), "") {
                        None => outcome.identical += 1,
                        Some((pointer, message)) => outcome.failures.push(format!(
                            "{name} {status}: {model} re-encodes differently at {pointer}: {message}"
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
    outcome
}

#[test]
fn every_example_response_decodes_into_its_model() {
    let outcome = run();
    println!(
        "example files: {} of {} named by the spec are in the snapshot; response bodies decoded: {}, re-encoded identically: {}, declared properties found in their fields: {}",
        outcome.examples_read,
        outcome.examples_named,
        outcome.decoded,
        outcome.identical,
        outcome.in_their_fields
    );
    assert!(
        outcome.examples_read >= 120,
        "only {} example files read",
        outcome.examples_read
    );
    assert!(
        outcome.decoded >= 100,
        "only {} bodies decoded",
        outcome.decoded
    );
    assert!(
        outcome.in_their_fields >= 1000,
        "only {} declared properties checked",
        outcome.in_their_fields
    );
    assert!(
        outcome.failures.is_empty(),
        "{} failures:\n{}",
        outcome.failures.len(),
        outcome.failures.join("\n")
    );
}
