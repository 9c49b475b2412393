//! Fuzzed decoders (property tests): response bodies for the main models — a database account,
//! a SQL container, the ARM error response and a paged list — mutated structurally (values
//! replaced by other JSON, keys dropped, deep nesting) and byte-wise (truncated, bytes flipped)
//! decode to a value or an error, never a panic or a stack overflow.

use arm_runtime::json::Decode;
use cosmos_arm::models::{
    DatabaseAccountGetResults, DatabaseAccountsListResult, ErrorResponse, SqlContainerGetResults,
};
use proptest::prelude::*;
use serde_json::{Value, json};

const CASES: u32 = 1500;

fn account() -> Value {
    let path = workspace_tests::workspace_root().join(
        "spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15/examples/CosmosDBDatabaseAccountGet.json",
    );
    let example: Value =
        serde_json::from_slice(&std::fs::read(path).expect("example")).expect("json");
    example["responses"]["200"]["body"].clone()
}

fn seeds() -> Vec<(&'static str, Value)> {
    let account = account();
    vec![
        ("account", account.clone()),
        (
            "container",
            json!({"id": "/subscriptions/s/x", "name": "c", "properties": {"resource": {
                "id": "c", "partitionKey": {"paths": ["/a"], "kind": "Hash"}, "_ts": 1459200611.0,
                "indexingPolicy": {"indexingMode": "consistent", "includedPaths": [{"path": "/*"}]}
            }, "options": {"throughput": 400}}}),
        ),
        (
            "error",
            json!({"error": {"code": "BadRequest", "message": "m", "target": "t",
                "details": [{"code": "c", "message": "d"}],
                "additionalInfo": [{"type": "t", "info": {"k": 1}}]}}),
        ),
        (
            "list",
            json!({"value": [account.clone(), account], "nextLink": "https://x/next"}),
        ),
    ]
}

/// Decodes `bytes` as the seed's model the way the client does; whether it succeeded.
fn decode(target: &str, bytes: &[u8]) -> bool {
    fn as_model<T: Decode>(bytes: &[u8]) -> bool {
        arm_runtime::json::from_slice::<T>(bytes).is_ok()
    }
    match target {
        "account" => as_model::<DatabaseAccountGetResults>(bytes),
        "container" => as_model::<SqlContainerGetResults>(bytes),
        "error" => as_model::<ErrorResponse>(bytes),
        _ => as_model::<DatabaseAccountsListResult>(bytes),
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

    /// A value somewhere in a valid body replaced by arbitrary JSON, or its key dropped.
    #[test]
    fn structurally_mutated_bodies_decode_or_fail_cleanly(
        seed in 0..4usize,
        choices in prop::collection::vec((any::<prop::sample::Index>(), any::<bool>(), any_json()), 1..4),
    ) {
        let (target, mut body) = seeds().swap_remove(seed);
        for (index, drop, replacement) in choices {
            let mut all = Vec::new();
            pointers(&body, String::new(), &mut all);
            if all.is_empty() {
                break;
            }
            let pointer = all[index.index(all.len())].clone();
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer has a slash");
            match (drop, body.pointer_mut(parent)) {
                (true, Some(Value::Object(map))) => {
                    map.remove(&key.replace("~1", "/").replace("~0", "~"));
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
