//! Fuzzed decoders (property tests): response bodies for the main models — a database account,
//! a SQL container, the ARM error response and a page of containers — mutated structurally
//! (values replaced by other JSON, keys dropped, unknown keys added, deep nesting) and byte-wise
//! (truncated, bytes flipped) go through the client's path for response bodies, the fuzz targets
//! of `workspace_tests::fuzz_targets`. Each either decodes, and then re-encodes to JSON that
//! decodes to the same value (the targets assert it), or is refused with the client's typed
//! error: a decode error naming the operation, or for an error status an error without an ARM
//! error in it. Never a panic or a stack overflow.

use azrm_runtime::ErrorKind;
use proptest::prelude::*;
use serde_json::{Value, json};
use workspace_tests::fuzz_targets::{Outcome, TARGETS};

const CASES: u32 = 1500;

fn account() -> Value {
    let path = workspace_tests::workspace_root().join(
        "spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15/examples/CosmosDBDatabaseAccountGet.json",
    );
    let example: Value =
        serde_json::from_slice(&std::fs::read(path).expect("example")).expect("json");
    let mut account = example["responses"]["200"]["body"].clone();
    // A property this api-version does not describe, kept aside and sent back.
    account["properties"]["futureProperty"] = json!({"a": [1, 2.5, "x"]});
    account
}

fn container() -> Value {
    json!({"id": "/subscriptions/s/x", "name": "c", "properties": {"resource": {
        "id": "c", "partitionKey": {"paths": ["/a"], "kind": "Hash"}, "_ts": 1459200611.0,
        "indexingPolicy": {"indexingMode": "consistent", "includedPaths": [{"path": "/*"}]}
    }, "options": {"throughput": 400}}})
}

/// A valid body for each decode target, by target name.
fn seeds() -> Vec<(&'static str, Value)> {
    vec![
        ("decode_database_account", account()),
        ("decode_sql_container", container()),
        (
            "decode_error_response",
            json!({"error": {"code": "BadRequest", "message": "m", "target": "t",
                "details": [{"code": "c", "message": "d"}],
                "additionalInfo": [{"type": "t", "info": {"k": 1}}]}}),
        ),
        (
            "decode_list_page",
            json!({"value": [container(), container()], "nextLink": "https://x/next"}),
        ),
    ]
}

/// Runs the fuzz target `name` on `bytes`: whether it decoded. A refusal must be the client's
/// typed error for that target.
fn decode(name: &str, bytes: &[u8]) -> bool {
    let target = TARGETS
        .iter()
        .find(|target| target.name == name)
        .unwrap_or_else(|| panic!("no fuzz target {name}"));
    match (target.run)(bytes) {
        Outcome::Decoded => true,
        Outcome::Client(error) => {
            match (name, error.kind()) {
                (
                    "decode_error_response",
                    ErrorKind::Http {
                        error: None,
                        status: 400,
                        ..
                    },
                ) => {}
                (
                    _,
                    ErrorKind::Decode {
                        operation_id,
                        status: 200,
                        ..
                    },
                ) if !operation_id.is_empty() => {}
                (_, other) => panic!("{name}: not the typed error expected: {other:?}"),
            }
            false
        }
        Outcome::Generator(error) => panic!("{name}: a generator error: {error}"),
    }
}

/// Arbitrary JSON, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer in `value`.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                out.push(pointer.clone());
                pointers(child, pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{at}/{index}");
                out.push(pointer.clone());
                pointers(child, pointer, out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    /// A value somewhere in a valid body replaced by arbitrary JSON, its key dropped, or an
    /// unknown key added beside it.
    #[test]
    fn structurally_mutated_bodies_decode_and_round_trip_or_fail_cleanly(
        seed in 0..4usize,
        choices in prop::collection::vec(
            (any::<prop::sample::Index>(), 0..3u8, "[a-z]{1,8}", any_json()),
            1..4,
        ),
    ) {
        let (target, mut body) = seeds().swap_remove(seed);
        for (index, operation, new_key, replacement) in choices {
            let mut all = Vec::new();
            pointers(&body, String::new(), &mut all);
            if all.is_empty() {
                break;
            }
            let pointer = all[index.index(all.len())].clone();
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer has a slash");
            match (operation, body.pointer_mut(parent)) {
                (0, Some(Value::Object(map))) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
                }
                (1, Some(Value::Object(map))) => {
                    map.insert(format!("unknown-{new_key}"), replacement);
                }
                _ => {
                    if let Some(slot) = body.pointer_mut(&pointer) {
                        *slot = replacement;
                    }
                }
            }
        }
        let bytes = serde_json::to_vec(&body).expect("encodes");
        decode(target, &bytes);
    }

    /// The bytes of a valid body truncated and with bytes flipped.
    #[test]
    fn byte_mutated_bodies_decode_or_fail_cleanly(
        seed in 0..4usize,
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
    ) {
        let (target, body) = seeds().swap_remove(seed);
        let mut bytes = serde_json::to_vec(&body).expect("encodes");
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        decode(target, &bytes);
    }
}

#[test]
fn the_seeds_decode_and_deep_nesting_is_refused_without_overflow() {
    for (target, body) in seeds() {
        assert!(
            decode(target, &serde_json::to_vec(&body).expect("encodes")),
            "{target}"
        );
    }
    // 100,000 nested arrays where a string is expected: serde_json's depth limit answers.
    let deep = format!(
        "{{\"name\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (target, _) in seeds() {
        assert!(!decode(target, deep.as_bytes()), "{target}");
    }
}
