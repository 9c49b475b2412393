//! Path safety: whatever string a caller passes as an unconstrained resource name, the request
//! path has exactly the template's segments and the name arrives intact in its own segment; an
//! empty name is refused before sending (it would address the parent collection).

use azrm_cosmosdb::{Client, ErrorKind, StaticTokenCredential};
use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use azrm_runtime::encode_path_segment;
use proptest::prelude::*;
use serde_json::json;

const TEMPLATE_SEGMENTS: usize = 11;

fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).expect("ascii");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).expect("utf-8")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The encoding alone: no separator survives, and decoding gives the value back (`.` and `..`
    /// stay as they are; the client refuses them, see below).
    #[test]
    fn an_encoded_segment_has_no_separator_and_decodes_back(value in any::<String>()) {
        let encoded = encode_path_segment(&value);
        prop_assert!(!encoded.contains(['/', '?', '#', '\\']), "{}", encoded);
        prop_assert_eq!(decode(&encoded), value);
    }
}

#[test]
fn any_database_name_stays_in_its_segment() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(LocalEndpoint::stub(|_, _| {
            FakeResponse::json(200, &json!({"name": "x"}))
        }))
        .expect("server");
    let client = Client::builder("00000000-0000-0000-0000-000000000001")
        .endpoint(server.http_url())
        .credential(StaticTokenCredential::new("t"))
        .build()
        .expect("client");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let sent = std::cell::Cell::new(0);
    let names = any::<String>().prop_filter("non-empty", |s| !s.is_empty());
    let result = runner.run(&names, |name| {
        let before = server.requests().len();
        let sql = client.sql_resources();
        match runtime.block_on(sql.get_sql_database("rg", "acct", &name, None)) {
            Ok(_) => {
                let requests = server.requests();
                prop_assert_eq!(requests.len(), before + 1);
                let path = requests[before].path().to_owned();
                let segments: Vec<&str> = path.split('/').collect();
                prop_assert_eq!(segments.len(), TEMPLATE_SEGMENTS, "{}", path);
                prop_assert_eq!(segments[TEMPLATE_SEGMENTS - 2], "sqlDatabases");
                prop_assert_eq!(decode(segments[TEMPLATE_SEGMENTS - 1]), name);
                sent.set(sent.get() + 1);
            }
            Err(error) => {
                // `.` and `..` cannot travel in a path at all: refused, nothing sent.
                prop_assert!(name == "." || name == "..", "{:?}: {}", name, error);
                let refused = matches!(error.kind(), ErrorKind::InvalidRequest { .. });
                prop_assert!(refused, "{:?}", error);
                prop_assert_eq!(server.requests().len(), before);
            }
        }
        Ok(())
    });
    result.expect("every name stays in its segment");
    let sent = sent.get();
    assert!(sent > 200, "only {sent} requests sent");

    for dots in [".", ".."] {
        let error = runtime
            .block_on(
                client
                    .sql_resources()
                    .get_sql_database("rg", "acct", dots, None),
            )
            .expect_err("dot segments are refused");
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
            "{error:?}"
        );
    }
    let error = runtime
        .block_on(
            client
                .sql_resources()
                .get_sql_database("rg", "acct", "", None),
        )
        .expect_err("an empty name is refused");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidParameter(_)),
        "{error:?}"
    );
    assert!(error.to_string().contains("databaseName"), "{error}");
    assert!(server.requests().len() == sent, "the empty name was sent");
}
