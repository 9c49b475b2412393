//! The bodies of the fuzz targets of `fuzz/` (run by `cargo +nightly fuzz run <target>`), shared
//! with the stable replay of their saved corpora (`tests/tests/fuzz_corpus.rs`), so that both run
//! exactly the same code on an input.
//!
//! The decode targets go through the client's own path for response bodies,
//! [`RawResponse::json`] (on failure it names where in the body decoding stopped), and a decoded
//! value must re-encode and decode again to the same value, as a GET → modify → PUT cycle needs.
//! `decode_error_response` is what the client does with the body of an error status,
//! [`Error::from_status`], and `load_spec` is the generator's first three stages on a spec file
//! held in memory. A panic, a stack overflow or an allocation past the fuzzer's limit is a
//! finding; returning a typed error is not.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use azrm_cosmosdb::models::{
    DatabaseAccountGetResults, SqlContainerGetResults, SqlContainerListResult,
};
use azrm_runtime::json::{Decode, Encode};
use azrm_runtime::{Error, ErrorKind, Page, RawResponse};

/// One fuzz target: its name (the `fuzz/fuzz_targets/<name>.rs` binary and the
/// `fuzz/corpus/<name>/` folder) and what it does with one input.
#[derive(Clone, Copy)]
pub struct Target {
    /// The target's name.
    pub name: &'static str,
    /// Runs the target on one input.
    pub run: fn(&[u8]) -> Outcome,
}

/// What a target made of one input.
#[derive(Debug)]
pub enum Outcome {
    /// The input decoded (a model, a page, an ARM error, a spec's API).
    Decoded,
    /// The client refused the input with its typed error.
    Client(Error),
    /// The generator refused the input with its typed error.
    Generator(azrm_codegen::Error),
}

/// Every target, in the order of `fuzz/Cargo.toml`.
pub const TARGETS: [Target; 5] = [
    Target {
        name: "decode_database_account",
        run: decode_database_account,
    },
    Target {
        name: "decode_sql_container",
        run: decode_sql_container,
    },
    Target {
        name: "decode_error_response",
        run: decode_error_response,
    },
    Target {
        name: "decode_list_page",
        run: decode_list_page,
    },
    Target {
        name: "load_spec",
        run: load_spec,
    },
];

/// The status of the responses the decode targets build.
const OK: u16 = 200;

/// `body` as a response of operation `operation_id` decoded into `T` the way the generated
/// operations decode theirs; a decoded value must survive re-encoding.
fn decode<T>(operation_id: &str, body: &[u8]) -> Result<T, Error>
where
    T: Decode + Encode + PartialEq + std::fmt::Debug,
{
    let response = RawResponse::from_body(OK, body.to_vec());
    match response.json::<T>(operation_id) {
        Ok(value) => {
            let encoded = azrm_runtime::json::to_vec(&value);
            let again = RawResponse::from_body(OK, encoded.clone())
                .json::<T>(operation_id)
                .unwrap_or_else(|error| {
                    panic!(
                        "a re-encoded value does not decode: {error}\n{}",
                        String::from_utf8_lossy(&encoded)
                    )
                });
            assert_eq!(again, value, "a value changed through re-encoding");
            Ok(value)
        }
        Err(error) => {
            // What a caller prints or logs.
            let _ = (error.to_string(), format!("{error:?}"));
            Err(error)
        }
    }
}

fn outcome<T>(result: Result<T, Error>) -> Outcome {
    match result {
        Ok(_) => Outcome::Decoded,
        Err(error) => Outcome::Client(error),
    }
}

/// A `DatabaseAccounts_Get` response body.
pub fn decode_database_account(body: &[u8]) -> Outcome {
    outcome(decode::<DatabaseAccountGetResults>(
        "DatabaseAccounts_Get",
        body,
    ))
}

/// A `SqlResources_GetSqlContainer` response body.
pub fn decode_sql_container(body: &[u8]) -> Outcome {
    outcome(decode::<SqlContainerGetResults>(
        "SqlResources_GetSqlContainer",
        body,
    ))
}

/// A page of `SqlResources_ListSqlContainers`, decoded and split into items and next link as the
/// `Pager` does.
pub fn decode_list_page(body: &[u8]) -> Outcome {
    outcome(
        decode::<SqlContainerListResult>("SqlResources_ListSqlContainers", body)
            .map(Page::into_items),
    )
}

/// The body of an error status (`400`), read as the client reads it: [`Error::from_status`]
/// parses the ARM error (wrapped `{"error": {...}}` or bare) into the error it returns.
/// [`Outcome::Decoded`] when an ARM error was found, otherwise the error without one.
pub fn decode_error_response(body: &[u8]) -> Outcome {
    let error = Error::from_status(
        "DatabaseAccounts_Get",
        RawResponse::from_body(400, body.to_vec()),
    );
    // What a caller reads and prints.
    let _ = (
        error.to_string(),
        format!("{error:?}"),
        error.error_code(),
        error.error_message(),
        error.status(),
    );
    match error.kind() {
        ErrorKind::Http { error: Some(_), .. } => Outcome::Decoded,
        _ => Outcome::Client(error),
    }
}

/// Where `load_spec` puts its input: `spec.json` when the input starts with `{`, otherwise
/// `spec.yaml` (so the YAML reader is fuzzed too).
fn spec_path(bytes: &[u8]) -> PathBuf {
    let name = if bytes.first() == Some(&b'{') {
        "spec.json"
    } else {
        "spec.yaml"
    };
    Path::new("fuzz").join(name)
}

/// A spec file: the generator's load, normalise and IR stages on `bytes` as the only input, held
/// in memory beside one other file it may refer to (`./common/types.json`, the common types of
/// the generator's test fixtures).
pub fn load_spec(bytes: &[u8]) -> Outcome {
    const COMMON_TYPES: &[u8] = include_bytes!("../../codegen/tests/fixtures/common/types.json");
    let input = spec_path(bytes);
    let files = BTreeMap::from([
        (input.clone(), bytes.to_vec()),
        (
            Path::new("fuzz/common/types.json").to_owned(),
            COMMON_TYPES.to_vec(),
        ),
    ]);
    let api = azrm_codegen::load::load_in_memory(&files, &[input])
        .and_then(|set| azrm_codegen::normalise::normalise(&set))
        .and_then(|normalised| azrm_codegen::ir::build(&normalised));
    match api {
        Ok(_) => Outcome::Decoded,
        Err(error) => {
            let _ = error.to_string();
            Outcome::Generator(error)
        }
    }
}
