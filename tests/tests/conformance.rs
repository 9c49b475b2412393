//! The conformance suite (`workspace_tests::conformance`) on the spec's examples, plus checks that
//! it reports what it should: tampered examples fail at the right JSON pointer, read-only
//! properties are left out of request bodies, error statuses give typed errors.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use azrm_codegen::ir::{Api, TypeRef};
use serde_json::{Value, json};
use workspace_tests::conformance::{
    Report, first_difference, load_api, load_examples_from, normalised, run_blocking,
    without_read_only,
};
use workspace_tests::dispatch::Returns;
use workspace_tests::{COSMOS_DB, COSMOS_DB_2024_11_15, Target};

/// Examples that contradict their own spec, so no client can pass them: `(example name, why)`.
const KNOWN_SPEC_BUGS: &[(&str, &str)] = &[(
    "CosmosDBCassandraRoleDefinitionList",
    "its `api-version` parameter is `2025-11-01-preview`: the file was copied from a preview \
     version, while the 2026-03-15 spec that names it only accepts `2026-03-15`",
)];

/// Examples of the 2024-11-15 spec that contradict it: `(example name, why)`.
const KNOWN_SPEC_BUGS_2024_11_15: &[(&str, &str)] = &[
    ("CosmosDBNotebookWorkspaceList", SUBID_IS_NOT_A_UUID),
    ("CosmosDBNotebookWorkspaceGet", SUBID_IS_NOT_A_UUID),
    ("CosmosDBNotebookWorkspaceDelete", SUBID_IS_NOT_A_UUID),
    (
        "CosmosDBNotebookWorkspaceListConnectionInfo",
        SUBID_IS_NOT_A_UUID,
    ),
];

/// Why the notebook examples of 2024-11-15 fail.
const SUBID_IS_NOT_A_UUID: &str = "`notebook.json` takes the subscription id from \
     common-types v5 `#/parameters/SubscriptionIdParameter`: `\"description\": \"The ID of the \
     target subscription. The value must be an UUID.\"`, `\"format\": \"uuid\"`; the example \
     gives `\"subscriptionId\": \"subid\"`, which the client refuses before sending";

fn api() -> Api {
    api_of(&COSMOS_DB)
}

fn api_of(target: &Target) -> Api {
    load_api(&target.regen_config()).unwrap_or_else(|error| panic!("{error}"))
}

fn run(api: &Api, dir: Option<&Path>) -> Report {
    run_on(&COSMOS_DB, api, dir)
}

fn run_on(target: &Target, api: &Api, dir: Option<&Path>) -> Report {
    let examples = load_examples_from(api, dir).unwrap_or_else(|error| panic!("{error}"));
    run_blocking(target, api, &examples).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn every_spec_example_conforms_except_the_known_failures() {
    let api = api();
    let report = run(&api, None);
    println!("{report}");

    assert_eq!(report.operations_total, 237);
    assert!(
        report.examples_total >= 120,
        "only {} examples",
        report.examples_total
    );
    assert!(report.operations_covered >= 115, "{report}");
    assert!(
        !report.missing.is_empty(),
        "the snapshot lacks example files"
    );
    // Every example got as far as sending its request, and the checks were not vacuous.
    assert_eq!(report.checked.requests, report.examples_total, "{report}");
    assert!(report.checked.request_bodies >= 30, "{report}");
    assert!(report.checked.responses >= 200, "{report}");
    assert!(report.checked.polled >= 50, "{report}");
    assert!(report.checked.declared_properties >= 1000, "{report}");
    // The first exchange of every call is kept for `cargo xtask oav`.
    assert_eq!(report.traffic.len(), report.checked.responses, "{report}");

    let known: BTreeSet<&str> = KNOWN_SPEC_BUGS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        report.failed_examples(),
        known,
        "the failing examples are not the known ones:\n{report}"
    );
    assert_eq!(
        report.examples_passed,
        report.examples_total - known.len(),
        "{report}"
    );
    // The known failures fail for the known reason.
    for failure in &report.failures {
        assert_eq!(failure.pointer, "/parameters/api-version", "{failure}");
    }
}

#[test]
fn every_example_of_the_2024_11_15_spec_conforms_except_the_known_failures() {
    let api = api_of(&COSMOS_DB_2024_11_15);
    let report = run_on(&COSMOS_DB_2024_11_15, &api, None);
    println!("{report}");
    assert_eq!(report.operations_total, 190);
    // 194 example files, one of them named by two operations.
    assert_eq!(report.examples_total, 195, "{report}");
    assert_eq!(report.missing.len(), 7, "{report}");
    let known: BTreeSet<&str> = KNOWN_SPEC_BUGS_2024_11_15
        .iter()
        .map(|(name, _)| *name)
        .collect();
    // Every example but the known ones got as far as sending its request.
    assert_eq!(
        report.checked.requests,
        report.examples_total - known.len(),
        "{report}"
    );
    assert!(report.checked.responses >= 270, "{report}");
    assert!(report.checked.polled >= 80, "{report}");
    assert_eq!(report.traffic.len(), report.checked.responses, "{report}");
    assert!(report.checked.declared_properties >= 3000, "{report}");
    assert_eq!(report.failed_examples(), known, "{report}");
    assert_eq!(
        report.examples_passed,
        report.examples_total - known.len(),
        "{report}"
    );
    // The known failures fail for the known reason: nothing was sent for the subscription id.
    for failure in &report.failures {
        assert_eq!(failure.pointer, "/parameters", "{failure}");
        assert!(
            failure
                .message
                .contains("\"subid\" for `subscriptionId`: must be a UUID"),
            "{failure}"
        );
    }
}

#[test]
fn the_dispatch_registry_calls_every_operation_of_the_spec() {
    let api = api();
    let ids: BTreeSet<&str> = COSMOS_DB.operations.iter().map(|(id, _)| *id).collect();
    let spec: BTreeSet<&str> = api.operations.iter().map(|op| op.id.as_str()).collect();
    assert_eq!(ids, spec);
    assert_eq!(COSMOS_DB.operations.len(), 237);
    let returns = |id: &str| COSMOS_DB.returns(id);
    assert_eq!(returns("DatabaseAccounts_Get"), Some(Returns::Body));
    assert_eq!(
        returns("DatabaseAccounts_CheckNameExists"),
        Some(Returns::Exists)
    );
    assert_eq!(
        returns("DatabaseAccounts_CreateOrUpdate"),
        Some(Returns::LongRunning(true))
    );
    assert_eq!(
        returns("DatabaseAccounts_Delete"),
        Some(Returns::LongRunning(false))
    );
    assert_eq!(
        returns("DatabaseAccounts_List"),
        Some(Returns::FirstPage("value"))
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = azrm_runtime::Client::builder("00000000-0000-0000-0000-000000000000")
        .endpoint("http://127.0.0.1:1")
        .credential(azrm_runtime::StaticTokenCredential::new("t"))
        .build()
        .unwrap();
    let parameters = serde_json::Map::new();
    runtime.block_on(async {
        assert!(
            (COSMOS_DB.call)(&client, "NoSuch_Operation", &parameters)
                .await
                .is_none()
        );
        // A missing parameter is reported by name before anything is sent.
        let error = (COSMOS_DB.call)(&client, "DatabaseAccounts_Get", &parameters)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "parameter \"resourceGroupName\": missing"
        );
    });
}

/// A folder under the system temp folder, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn spec_examples_dir() -> PathBuf {
    COSMOS_DB.regen_config().input_paths()[0]
        .parent()
        .unwrap()
        .join("examples")
}

/// Copies the spec's example `file` into `dir` with `change` applied.
fn tampered(dir: &Path, file: &str, change: impl FnOnce(&mut Value)) {
    let mut example: Value =
        serde_json::from_slice(&std::fs::read(spec_examples_dir().join(file)).unwrap()).unwrap();
    change(&mut example);
    std::fs::write(dir.join(file), serde_json::to_vec_pretty(&example).unwrap()).unwrap();
}

/// The name of the body parameter in an example's parameters (the one object-valued entry).
fn body_name(example: &Value) -> String {
    example["parameters"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, value)| value.is_object())
        .map(|(name, _)| name.clone())
        .unwrap()
}

#[test]
fn tampered_examples_fail_at_the_first_differing_pointer() {
    let dir = TempDir::new("conformance-tampered");
    // Passing: read-only properties in a request body are not sent and not expected.
    tampered(&dir.0, "CosmosDBDatabaseAccountCreateMin.json", |example| {
        let body = &mut example["parameters"]["createUpdateParameters"];
        body["id"] = json!("/subscriptions/x/resourceGroups/rg1/providers/p/databaseAccounts/ddb1");
        body["name"] = json!("ddb1");
        body["type"] = json!("Microsoft.DocumentDB/databaseAccounts");
        body["properties"]["keysMetadata"] = json!({});
        // Passing too: a `null` member is the same as no member (see `normalised`).
        example["responses"]["200"]["body"]["properties"]["documentEndpoint"] = Value::Null;
    });
    // Passing: an error status gives the typed error with the example's code and message.
    tampered(&dir.0, "CosmosDBMongoDBDatabaseGet.json", |example| {
        example["responses"]["500"] =
            json!({"body": {"error": {"code": "InternalServerError", "message": "boom"}}});
    });
    // Passing: only the first page is read; its nextLink (to another host) is not followed.
    tampered(&dir.0, "CosmosDBMongoDBDatabaseList.json", |example| {
        example["responses"]["200"]["body"]["nextLink"] = json!("https://elsewhere.example/next");
    });
    // Failing: a response body that does not decode into the spec's model.
    tampered(&dir.0, "CosmosDBDatabaseAccountGet.json", |example| {
        example["responses"]["200"]["body"]["properties"]["documentEndpoint"] = json!(42);
    });
    // Failing: a status the spec does not list for the operation.
    tampered(&dir.0, "CosmosDBTableGet.json", |example| {
        let ok = example["responses"]["200"].clone();
        example["responses"]["201"] = ok;
    });
    // Failing: a body parameter that does not decode into its model.
    tampered(&dir.0, "CosmosDBGremlinGraphCreateUpdate.json", |example| {
        let name = body_name(example);
        example["parameters"][&name]["properties"]["resource"] = json!("not an object");
    });
    // Failing: parameters that are not an object.
    tampered(&dir.0, "CosmosDBLocationGet.json", |example| {
        example["parameters"] = json!([]);
    });
    // Failing: a path parameter missing.
    tampered(
        &dir.0,
        "CosmosDBPrivateEndpointConnectionGet.json",
        |example| {
            example["parameters"]
                .as_object_mut()
                .unwrap()
                .remove("privateEndpointConnectionName");
        },
    );

    let api = api();
    let report = run(&api, Some(&dir.0));
    println!("{report}");
    assert_eq!(report.examples_total, 8, "{report}");
    assert_eq!(report.examples_passed, 3, "{report}");
    assert_eq!(report.checked.read_only_removed, 4, "{report}");

    let failure = |file: &str| {
        let found: Vec<_> = report
            .failures
            .iter()
            .filter(|f| f.file.ends_with(file))
            .collect();
        assert_eq!(found.len(), 1, "{file}: {found:?}");
        (found[0].pointer.as_str(), found[0].message.as_str())
    };
    for passing in [
        "CosmosDBDatabaseAccountCreateMin.json",
        "CosmosDBMongoDBDatabaseGet.json",
        "CosmosDBMongoDBDatabaseList.json",
    ] {
        assert!(
            report.failures.iter().all(|f| !f.file.ends_with(passing)),
            "{passing}:\n{report}"
        );
    }

    let (pointer, message) = failure("CosmosDBDatabaseAccountGet.json");
    assert_eq!(pointer, "/responses/200/body");
    assert!(
        message.contains("could not decode") && message.contains("properties.documentEndpoint"),
        "{message}"
    );

    let (pointer, message) = failure("CosmosDBTableGet.json");
    assert_eq!(pointer, "/responses/201");
    assert!(message.contains("does not list status 201"), "{message}");

    let (pointer, message) = failure("CosmosDBGremlinGraphCreateUpdate.json");
    let example: Value = serde_json::from_slice(
        &std::fs::read(dir.0.join("CosmosDBGremlinGraphCreateUpdate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(pointer, format!("/parameters/{}", body_name(&example)));
    assert!(
        message.contains("does not decode at properties.resource"),
        "{message}"
    );

    let (pointer, message) = failure("CosmosDBLocationGet.json");
    assert_eq!(pointer, "/parameters");
    assert!(message.contains("not an object"), "{message}");

    let (pointer, message) = failure("CosmosDBPrivateEndpointConnectionGet.json");
    assert_eq!(pointer, "/parameters/privateEndpointConnectionName");
    assert!(message.contains("missing"), "{message}");
}

#[test]
fn a_malformed_example_file_is_an_error_naming_it() {
    let dir = TempDir::new("conformance-malformed");
    std::fs::write(dir.0.join("CosmosDBTableGet.json"), "{\"parameters\": ").unwrap();
    let error = load_examples_from(&api(), Some(&dir.0)).unwrap_err();
    assert!(error.contains("CosmosDBTableGet.json"), "{error}");
}

/// Copies the spec's example `file` to `dir/to`.
fn place_example(dir: &Path, file: &str, to: &str) {
    let target = dir.join(to);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(spec_examples_dir().join(file), target).unwrap();
}

/// The operation whose examples name `file`, and the file found for it.
fn found<'a>(examples: &'a azrm_codegen::examples::Examples, file: &str) -> Option<&'a Path> {
    examples
        .iter()
        .map(|(_, example)| example.file.as_path())
        .find(|path| path.file_name().is_some_and(|name| name == file))
}

#[test]
fn examples_in_subfolders_of_the_examples_folder_are_found() {
    let dir = TempDir::new("conformance-upstream-layout");
    place_example(&dir.0, "CosmosDBTableGet.json", "CosmosDBTableGet.json");
    place_example(
        &dir.0,
        "CosmosDBLocationGet.json",
        "fleet/CosmosDBLocationGet.json",
    );
    place_example(
        &dir.0,
        "CosmosDBDatabaseAccountGet.json",
        "mongoMIrbac/deeper/CosmosDBDatabaseAccountGet.json",
    );
    let examples = load_examples_from(&api(), Some(&dir.0)).unwrap();
    assert_eq!(examples.read_count(), 3);
    assert_eq!(
        found(&examples, "CosmosDBLocationGet.json"),
        Some(dir.0.join("fleet/CosmosDBLocationGet.json").as_path())
    );
    assert_eq!(
        found(&examples, "CosmosDBDatabaseAccountGet.json"),
        Some(
            dir.0
                .join("mongoMIrbac/deeper/CosmosDBDatabaseAccountGet.json")
                .as_path()
        )
    );
    let report = run_blocking(&COSMOS_DB, &api(), &examples).unwrap();
    assert_eq!(report.examples_passed, 3, "{report}");

    // Two files of one name in subfolders: the spec's own subfolder decides, else it is an
    // error naming both.
    std::fs::remove_file(dir.0.join("CosmosDBTableGet.json")).unwrap();
    place_example(
        &dir.0,
        "CosmosDBTableGet.json",
        "fleet/CosmosDBTableGet.json",
    );
    place_example(
        &dir.0,
        "CosmosDBTableGet.json",
        "other/CosmosDBTableGet.json",
    );
    let error = load_examples_from(&api(), Some(&dir.0)).unwrap_err();
    assert_eq!(
        error,
        "the spec names the example ./examples/CosmosDBTableGet.json, and the examples folder \
         holds several files of that name: fleet/CosmosDBTableGet.json, \
         other/CosmosDBTableGet.json"
    );
    let mut api = api();
    let mut in_fleet = 0;
    for operation in &mut api.operations {
        for (_, reference) in &mut operation.examples {
            if reference.ends_with("/CosmosDBTableGet.json") {
                *reference = "./examples/fleet/CosmosDBTableGet.json".to_owned();
                in_fleet += 1;
            }
        }
    }
    assert_eq!(in_fleet, 1);
    let examples = load_examples_from(&api, Some(&dir.0)).unwrap();
    assert_eq!(
        found(&examples, "CosmosDBTableGet.json"),
        Some(dir.0.join("fleet/CosmosDBTableGet.json").as_path())
    );
}

#[test]
fn read_only_properties_are_removed_at_any_depth() {
    let api = api();
    let body = json!({
        "id": "read-only",
        "location": "westus",
        "tags": {"a": "b"},
        "properties": {
            "keysMetadata": {},
            "databaseAccountOfferType": "Standard",
            "locations": [{"locationName": "westus", "documentEndpoint": "read-only"}]
        }
    });
    let ty = TypeRef::Named("DatabaseAccountCreateUpdateParameters".into());
    assert_eq!(
        without_read_only(&api, &ty, &body),
        json!({
            "location": "westus",
            "tags": {"a": "b"},
            "properties": {
                "databaseAccountOfferType": "Standard",
                "locations": [{"locationName": "westus"}]
            }
        })
    );
}

#[test]
fn comparison_ignores_key_order_number_notation_date_time_notation_and_null_members() {
    let expected = json!({"b": 5, "a": "2024-01-01T00:00:00Z", "c": [1, {"x": true, "n": null}]});
    let actual = json!({"a": "2024-01-01T00:00:00.000Z", "c": [1.0, {"x": true}], "b": 5.0});
    assert_eq!(
        first_difference(&normalised(&expected), &normalised(&actual), ""),
        None
    );
    let differs = json!({"a": "2024-01-01T00:00:01Z", "b": 5, "c": [1, {"x": false}]});
    assert_eq!(
        first_difference(&normalised(&expected), &normalised(&differs), "")
            .map(|(pointer, _)| pointer),
        Some("/a".to_owned())
    );
    // A `null` member is absent, but a `null` item of an array is still an item.
    let null_item = json!({"a": "2024-01-01T00:00:00Z", "b": 5, "c": [null, {"x": true}]});
    assert_eq!(
        first_difference(&normalised(&expected), &normalised(&null_item), "")
            .map(|(pointer, _)| pointer),
        Some("/c/0".to_owned())
    );
    let shorter = json!({"a": "2024-01-01T00:00:00Z", "b": 5, "c": [1]});
    assert_eq!(
        first_difference(&expected, &shorter, "/body").map(|(pointer, _)| pointer),
        Some("/body/c/1".to_owned())
    );
    let escaped = first_difference(&json!({"a/b": 1}), &json!({"a/b": 2}), "");
    assert_eq!(
        escaped.map(|(pointer, _)| pointer),
        Some("/a~1b".to_owned())
    );
}
