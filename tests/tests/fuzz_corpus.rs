//! CI's smoke run of the fuzz targets of `fuzz/`, which need nightly and libFuzzer: every input
//! saved in `fuzz/corpus/<target>/` and `fuzz/regressions/<target>/` goes through the same function the libFuzzer target calls
//! (`workspace_tests::fuzz_targets`), on stable, and must decode or be refused with the typed
//! error of the client or the generator, without a panic.

use std::path::{Path, PathBuf};

use azrm_runtime::ErrorKind;
use workspace_tests::fuzz_targets::{Outcome, TARGETS, Target};
use workspace_tests::workspace_root;

fn fuzz_dir() -> PathBuf {
    workspace_root().join("fuzz")
}

fn target(name: &str) -> Target {
    *TARGETS
        .iter()
        .find(|target| target.name == name)
        .unwrap_or_else(|| panic!("no fuzz target {name}"))
}

/// The files of `folder`, sorted.
fn files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    files
}

/// Replays the corpus of target `name` and the inputs of its past findings
/// (`fuzz/regressions/<name>/`, kept apart so that minimising the corpus cannot drop them); the
/// operation id a decode error must name, if any.
fn replay(name: &str, operation_id: Option<&str>) {
    let target = target(name);
    let folder = fuzz_dir().join("corpus").join(name);
    let mut inputs = files(&folder);
    assert!(!inputs.is_empty(), "{} is empty", folder.display());
    let regressions = fuzz_dir().join("regressions").join(name);
    if regressions.exists() {
        inputs.extend(files(&regressions));
    }
    let mut decoded = 0;
    for input in &inputs {
        let bytes = std::fs::read(input).expect("a corpus file");
        let at = input.display();
        match (target.run)(&bytes) {
            Outcome::Decoded => decoded += 1,
            Outcome::Client(error) => match (error.kind(), operation_id) {
                (
                    ErrorKind::Decode {
                        operation_id: named,
                        status,
                        path,
                        message,
                    },
                    Some(expected),
                ) => {
                    assert_eq!(named, expected, "{at}");
                    assert_eq!(*status, 200, "{at}");
                    assert!(!path.is_empty() && !message.is_empty(), "{at}: {error}");
                    assert_eq!(error.raw_body(), Some(bytes.as_slice()), "{at}");
                }
                (ErrorKind::Http { status, error, .. }, None) => {
                    assert_eq!(*status, 400, "{at}");
                    assert!(error.is_none(), "{at}");
                }
                (kind, _) => panic!("{at}: unexpected error {kind:?}"),
            },
            Outcome::Generator(error) => {
                assert_eq!(name, "load_spec", "{at}");
                assert!(!error.to_string().is_empty(), "{at}");
            }
        }
    }
    eprintln!("{name}: {} inputs, {decoded} decoded", inputs.len());
    // A corpus the target refuses whole would say nothing about decoding.
    assert!(decoded > 0, "no input of {} decodes", folder.display());
}

#[test]
fn decode_database_account() {
    replay("decode_database_account", Some("DatabaseAccounts_Get"));
}

#[test]
fn decode_sql_container() {
    replay("decode_sql_container", Some("SqlResources_GetSqlContainer"));
}

#[test]
fn decode_error_response() {
    replay("decode_error_response", None);
}

#[test]
fn decode_list_page() {
    replay("decode_list_page", Some("SqlResources_ListSqlContainers"));
}

#[test]
fn load_spec() {
    replay("load_spec", None);
}

/// The binaries of `fuzz/Cargo.toml` are exactly [`TARGETS`], and each calls its function.
#[test]
fn every_target_has_a_libfuzzer_binary_calling_its_function() {
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).expect("manifest");
    let binaries: Vec<&str> = manifest
        .split("[[bin]]")
        .skip(1)
        .filter_map(|bin| {
            let name = bin.lines().find_map(|line| line.strip_prefix("name = "))?;
            Some(name.trim().trim_matches('"'))
        })
        .collect();
    let names: Vec<&str> = TARGETS.iter().map(|target| target.name).collect();
    assert_eq!(binaries, names);
    for name in names {
        let path = fuzz_dir().join(format!("fuzz_targets/{name}.rs"));
        let source = std::fs::read_to_string(&path).expect("a fuzz target");
        assert!(
            source.contains(&format!("workspace_tests::fuzz_targets::{name}(data)")),
            "{} does not call fuzz_targets::{name}",
            path.display()
        );
    }
}
