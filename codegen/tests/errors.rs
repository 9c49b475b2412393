//! Generator errors: each fixture under `tests/fixtures/errors/` breaks one rule, and the error
//! must be the right variant and name the file and the JSON pointer (or line and column).

use std::path::{Path, PathBuf};

use azrm_codegen::{Config, Error};

fn errors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/errors")
}

fn config(input: &str) -> Config {
    Config {
        crate_name: "broken".into(),
        api_version: "2024-01-01".into(),
        output: PathBuf::from("out"),
        inputs: vec![PathBuf::from(input)],
        spec_dir: errors_dir(),
        ..Default::default()
    }
}

fn generate(config: &Config) -> Error {
    match azrm_codegen::output::generate(config, &mut Default::default()) {
        Ok((files, _)) => panic!(
            "{:?}: expected an error, generated {} files",
            config.inputs,
            files.len()
        ),
        Err(error) => error,
    }
}

/// The variant's name, from `Debug` (`Shape { .. }` → `Shape`).
fn variant(error: &Error) -> String {
    format!("{error:?}")
        .split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The file and JSON pointer an error names, where it names one.
fn location(error: &Error) -> (Option<&Path>, Option<&str>) {
    match error {
        Error::Shape { file, pointer, .. }
        | Error::DanglingRef { file, pointer, .. }
        | Error::RefCycle { file, pointer, .. }
        | Error::Unsupported { file, pointer, .. }
        | Error::InvalidPattern { file, pointer, .. }
        | Error::Operation { file, pointer, .. } => (Some(file), Some(pointer)),
        Error::Io { file, .. } | Error::Parse { file, .. } | Error::Config { file, .. } => {
            (Some(file), None)
        }
        Error::Emit { .. } => (None, None),
    }
}

/// Generates from `fixture` and checks the error: its variant, the file it names (relative to
/// the errors folder), its JSON pointer, and that `Display` shows `file#pointer` plus `extra`.
fn check(
    fixture: &str,
    expected_variant: &str,
    file: &str,
    pointer: &str,
    extra: &[&str],
) -> Error {
    let error = generate(&config(fixture));
    let message = error.to_string();
    assert_eq!(variant(&error), expected_variant, "{fixture}: {message}");
    let (error_file, error_pointer) = location(&error);
    let expected_file = errors_dir().join(file);
    assert_eq!(
        error_file,
        Some(expected_file.as_path()),
        "{fixture}: {message}"
    );
    assert_eq!(error_pointer, Some(pointer), "{fixture}: {message}");
    let shown = format!("{}#{pointer}", expected_file.display());
    assert!(
        message.contains(&shown),
        "{fixture}: {message:?} lacks {shown:?}"
    );
    for part in extra {
        assert!(
            message.contains(part),
            "{fixture}: {message:?} lacks {part:?}"
        );
    }
    error
}

#[test]
fn malformed_json_names_line_and_column() {
    let error = generate(&config("malformed.json"));
    let Error::Parse {
        file,
        format,
        line,
        column,
        ..
    } = &error
    else {
        panic!("expected Error::Parse, got {error:?}");
    };
    assert_eq!(file, &errors_dir().join("malformed.json"));
    assert_eq!((*format, *line, *column), ("JSON", 3, 30));
    let shown = format!("{}:3:30: malformed JSON", file.display());
    assert!(error.to_string().starts_with(&shown), "{error}");
}

#[test]
fn malformed_yaml_names_line_and_column() {
    let error = generate(&config("malformed.yaml"));
    let Error::Parse {
        file,
        format,
        line,
        column,
        ..
    } = &error
    else {
        panic!("expected Error::Parse, got {error:?}");
    };
    assert_eq!(file, &errors_dir().join("malformed.yaml"));
    assert_eq!(*format, "YAML");
    assert!(*line >= 6 && *column >= 1, "{error:?}");
    let shown = format!("{}:{line}:{column}: malformed YAML", file.display());
    assert!(error.to_string().starts_with(&shown), "{error}");
}

#[test]
fn wrong_shape() {
    check(
        "wrong_shape.json",
        "Shape",
        "wrong_shape.json",
        "/paths/~1x/get/parameters",
        &["not valid Swagger 2.0", "expected a sequence"],
    );
}

#[test]
fn swagger_version_3() {
    check(
        "swagger_3.json",
        "Shape",
        "swagger_3.json",
        "/swagger",
        &[r#"expected "2.0", found "3.0""#],
    );
}

#[test]
fn dangling_local_ref() {
    check(
        "dangling_local.json",
        "DanglingRef",
        "dangling_local.json",
        "/definitions/Widget/properties/extra",
        &[
            "#/definitions/Missing",
            r#"has nothing at "/definitions/Missing""#,
        ],
    );
}

#[test]
fn dangling_ref_to_missing_file() {
    check(
        "dangling_file.json",
        "DanglingRef",
        "dangling_file.json",
        "/definitions/Widget/properties/extra",
        &[
            "./common/nope.json#/definitions/Thing",
            "the file does not exist",
        ],
    );
}

#[test]
fn dangling_ref_to_missing_pointer_in_existing_file() {
    check(
        "dangling_pointer.json",
        "DanglingRef",
        "dangling_pointer.json",
        "/definitions/Widget/properties/extra",
        &[
            "common/target.json",
            r#"has nothing at "/definitions/Missing""#,
        ],
    );
}

#[test]
fn all_of_cycle() {
    check(
        "ref_cycle.json",
        "RefCycle",
        "ref_cycle.json",
        "/definitions/B/allOf",
        &["A -> B -> A"],
    );
}

/// `type: file` in a model property stays a located error: only a whole response body is a file
/// (fixture `file_response.json`).
#[test]
fn unsupported_file_type() {
    check(
        "file_type.json",
        "Unsupported",
        "file_type.json",
        "/definitions/Widget/properties/extra",
        &["`type: file`", "only a whole response body can be a file"],
    );
}

/// A long-running operation whose result is a file is a located error, not a poller of `()`.
#[test]
fn a_long_running_file() {
    check(
        "long_running_file.json",
        "Unsupported",
        "long_running_file.json",
        "/paths/~1widgets~1{widgetName}~1export/post",
        &[
            "\"Widgets_Export\"",
            "`type: file`",
            "`x-ms-long-running-operation`",
        ],
    );
}

#[test]
fn unsupported_form_data_parameter() {
    check(
        "form_data.json",
        "Unsupported",
        "form_data.json",
        "/paths/~1widgets~1{widgetName}/get/parameters/1",
        &["\"upload\"", "`in: formData`"],
    );
}

#[test]
fn invalid_pattern() {
    let error = check(
        "invalid_pattern.json",
        "InvalidPattern",
        "invalid_pattern.json",
        "/definitions/Widget/properties/extra",
        &["\"(unclosed\"", "unclosed group"],
    );
    let Error::InvalidPattern { pattern, .. } = error else {
        unreachable!()
    };
    assert_eq!(pattern, "(unclosed");
}

#[test]
fn duplicate_operation_id() {
    check(
        "duplicate_operation_id.json",
        "Operation",
        "duplicate_operation_id.json",
        "/paths/~1other/get",
        &[
            "\"Widgets_Get\"",
            "first defined at /paths/~1widgets~1{widgetName}/get",
        ],
    );
}

#[test]
fn missing_operation_id() {
    check(
        "missing_operation_id.json",
        "Operation",
        "missing_operation_id.json",
        "/paths/~1widgets~1{widgetName}/get",
        &["no operationId"],
    );
}

#[test]
fn example_without_a_file_reference() {
    check(
        "example_without_ref.json",
        "Shape",
        "example_without_ref.json",
        "/paths/~1widgets~1{widgetName}/get/x-ms-examples/Get a widget/$ref",
        &["expected a string"],
    );
}

#[test]
fn missing_input_file() {
    let error = generate(&config("does_not_exist.json"));
    let Error::Io { file, action, .. } = &error else {
        panic!("expected Error::Io, got {error:?}");
    };
    assert_eq!(file, &errors_dir().join("does_not_exist.json"));
    assert_eq!(*action, "cannot read");
    assert!(
        error
            .to_string()
            .contains("does_not_exist.json: cannot read"),
        "{error}"
    );
}

#[test]
fn config_without_inputs() {
    let path = errors_dir().join("config_missing_inputs.yaml");
    let error = Config::read(&path).expect_err("no `inputs`");
    assert_eq!(variant(&error), "Config", "{error:?}");
    let message = error.to_string();
    let shown = format!("{}: invalid regen config", path.display());
    assert!(message.starts_with(&shown), "{message}");
    assert!(message.contains("inputs"), "{message}");
}

#[test]
fn config_with_empty_inputs() {
    let dir = std::env::temp_dir().join(format!("azrm-codegen-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("regen.yaml");
    std::fs::write(
        &path,
        "crate_name: x\napi_version: \"1\"\noutput: out\ninputs: []\n",
    )
    .unwrap();
    let error = Config::read(&path).expect_err("empty `inputs`");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(variant(&error), "Config", "{error:?}");
    assert!(
        error.to_string().contains("`inputs` lists no spec file"),
        "{error}"
    );
}

/// A front page outside the crate folder would not be packaged, and one beside `about` would
/// leave `about` unused: both are refused, naming the setting; a missing one fails the regen.
#[test]
fn config_readme_must_be_inside_the_crate_and_exist() {
    let dir = std::env::temp_dir().join(format!("azrm-codegen-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("regen.yaml");
    let base = "crate_name: x\napi_version: \"1\"\noutput: out\ninputs: [a.json]\n";
    for (extra, expected) in [
        (
            "readme: ../README.md\n",
            "must be a relative path inside the crate folder",
        ),
        (
            "readme: README.md\nabout: x\n",
            "`about` and `readme` are both set",
        ),
    ] {
        std::fs::write(&path, format!("{base}{extra}")).unwrap();
        let error = Config::read(&path).expect_err(extra);
        assert!(error.to_string().contains(expected), "{error}");
    }
    std::fs::write(&path, format!("{base}readme: README.md\n")).unwrap();
    let config = Config::read(&path).expect("valid");
    let error = azrm_codegen::regen(&config, &dir, azrm_codegen::Mode::Check).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        error.to_string().contains("`readme` names") && error.to_string().contains("README.md"),
        "{error}"
    );
}

#[test]
fn config_api_version_mismatch() {
    let path = errors_dir().join("config_version_mismatch.yaml");
    let config = Config::read(&path).expect("the config itself is valid");
    assert_eq!(config.spec_dir, errors_dir());
    assert_eq!(config.input_paths(), [errors_dir().join("valid.json")]);
    let error = generate(&config);
    let Error::Config { file, message } = &error else {
        panic!("expected Error::Config, got {error:?}");
    };
    // The error names `regen.yaml` in the config's folder, not the file actually read (see the
    // test report): only the folder is checked here.
    assert_eq!(file.parent(), Some(errors_dir().as_path()));
    assert!(message.contains("\"2099-12-31\""), "{message}");
    assert!(message.contains("\"2024-01-01\""), "{message}");
    assert!(
        error.to_string().contains("invalid regen config"),
        "{error}"
    );
}

#[test]
fn valid_fixture_generates() {
    // The fixtures above are each one rule away from this one.
    let (files, api) =
        azrm_codegen::output::generate(&config("valid.json"), &mut Default::default())
            .expect("valid.json generates");
    assert!(!files.is_empty());
    assert_eq!(api.operations.len(), 1);
}

#[test]
fn unknown_http_method() {
    check(
        "unknown_method.json",
        "Shape",
        "unknown_method.json",
        "/paths/~1widgets~1{widgetName}/fetch",
        &["`fetch` is not an HTTP method of Swagger 2.0"],
    );
}

#[test]
fn multiple_of_zero() {
    check(
        "multiple_of_zero.json",
        "Shape",
        "multiple_of_zero.json",
        "/definitions/Widget/properties/count/multipleOf",
        &["`multipleOf` must be a number greater than 0, found 0"],
    );
}

#[test]
fn malformed_extension() {
    check(
        "malformed_extension.json",
        "Shape",
        "malformed_extension.json",
        "/paths/~1widgets~1{widgetName}/put/x-ms-long-running-operation-options/final-state-via",
        &["invalid type: integer `3`, expected"],
    );
}

/// Generating `config` fails with a config error that names `name` and says `rule`.
fn assert_config_error(config: &Config, name: &str, rule: &str) {
    let error = generate(config);
    assert!(matches!(error, Error::Config { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains(name) && message.contains(rule),
        "{message}"
    );
}

#[test]
fn a_listed_secret_must_be_a_string_property_of_the_spec() {
    for entry in ["Widget.colour", "Gadget.name"] {
        let mut config = config("valid.json");
        config.secrets = vec![entry.to_owned()];
        assert_config_error(&config, entry, "no such property");
    }
    let mut config = config("valid.json");
    config.secrets = vec!["Widget.name".to_owned()];
    azrm_codegen::output::generate(&config, &mut Default::default()).expect("a string property");
}

#[test]
fn a_rename_names_a_type_of_the_spec_and_a_free_rust_type_name() {
    for (from, to, rule) in [
        ("Gadget", "Thing", "no such type"),
        ("Widget", "thing_name", "not a Rust type name"),
        ("Widget", "Self", "not a Rust type name"),
    ] {
        let mut config = config("valid.json");
        config.rename = [(from.to_owned(), to.to_owned())].into();
        assert_config_error(&config, from, rule);
    }
}

#[test]
fn a_header_collection_prefix_off_a_header_parameter() {
    check(
        "header_collection_not_a_header.json",
        "Unsupported",
        "header_collection_not_a_header.json",
        "/paths/~1widgets~1{widgetName}/get/parameters/1/x-ms-header-collection-prefix",
        &["`in: query`", "only a header parameter"],
    );
}

#[test]
fn a_header_collection_prefix_on_a_header_that_is_no_map() {
    check(
        "header_collection_not_a_map.json",
        "Unsupported",
        "header_collection_not_a_map.json",
        "/paths/~1widgets~1{widgetName}/get/parameters/1/x-ms-header-collection-prefix",
        &["`x-ms-meta`", "not a map of strings"],
    );
}

#[test]
fn an_array_client_parameter() {
    check(
        "client_param_array.json",
        "Unsupported",
        "client_param_array.json",
        "/paths/~1widgets~1{widgetName}/get/parameters/1",
        &[
            "`tags`",
            "client parameter",
            "x-ms-parameter-location: method",
        ],
    );
}
