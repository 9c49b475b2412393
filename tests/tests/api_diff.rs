//! The API change report on the real spec: a copy with known edits (one per kind of change)
//! reports exactly those edits, classified, and the spec compared with itself reports nothing;
//! the committed 2024-11-15 → 2026-03-15 report is what `api-diff` prints today.

use std::path::{Path, PathBuf};

use azrm_codegen::diff::diff;
use azrm_codegen::read_api;
use serde_json::{Value, json};
use workspace_tests::regen_config;

/// Copies every file the spec loads to `dir` with the same relative layout, so its relative
/// `$ref`s resolve; returns the copied inputs.
fn copy_spec(dir: &Path) -> Vec<PathBuf> {
    let config = regen_config();
    let set = azrm_codegen::load::load(&config.input_paths()).unwrap_or_else(|e| panic!("{e}"));
    let spec_dir = azrm_codegen::load::normalise_path(&config.spec_dir);
    for (path, file) in &set.files {
        let relative = path.strip_prefix(&spec_dir).expect("inside spec/");
        let target = dir.join(relative);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, &file.bytes).expect("write");
    }
    config.inputs.iter().map(|input| dir.join(input)).collect()
}

fn edit(spec: &mut Value) {
    spec["info"]["version"] = json!("2026-09-01");
    let paths = spec["paths"].as_object_mut().expect("paths");
    paths.retain(|_, item| {
        item.get("get").and_then(|op| op["operationId"].as_str())
            != Some("DatabaseAccounts_ListUsages")
    });
    for item in paths.values_mut() {
        for operation in item.as_object_mut().expect("path item").values_mut() {
            for param in operation["parameters"].as_array_mut().into_iter().flatten() {
                if param["name"] == "accountName" {
                    param["maxLength"] = json!(44);
                }
            }
        }
    }
    let definitions = &mut spec["definitions"];
    for (name, value) in [
        ("DefaultConsistencyLevel", "Quantum"),
        ("AnalyticalStorageSchemaType", "Columnar"),
    ] {
        let def = &mut definitions[name];
        def["enum"].as_array_mut().expect("enum").push(json!(value));
        // `get_mut`, not indexing: indexing a missing key would insert `"values": null`, which
        // the loader rejects (`x-ms-enum.values` is a list).
        let values = def
            .get_mut("x-ms-enum")
            .and_then(|x_ms_enum| x_ms_enum.get_mut("values"))
            .and_then(Value::as_array_mut);
        if let Some(values) = values {
            values.push(json!({"name": value, "value": value}));
        }
    }
    definitions["SqlDatabaseResource"]["required"] = json!(["id", "createMode"]);
}

#[test]
fn known_edits_of_the_real_spec_are_reported_exactly() {
    let dir = std::env::temp_dir().join(format!("api-diff-{}", std::process::id()));
    let inputs = copy_spec(&dir);
    let old = read_api(&inputs).unwrap_or_else(|e| panic!("{e}"));
    assert!(diff(&old, &old).changes.is_empty());

    let text = std::fs::read_to_string(&inputs[0]).expect("read copy");
    let mut spec: Value = serde_json::from_str(&text).expect("json");
    edit(&mut spec);
    std::fs::write(
        &inputs[0],
        serde_json::to_vec_pretty(&spec).expect("encode"),
    )
    .expect("write");
    let new = read_api(&inputs).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_dir_all(&dir);

    let report = diff(&old, &new);
    println!("{}", report.to_markdown());
    let found: Vec<(bool, String, String)> = report
        .changes
        .iter()
        .map(|c| (c.breaking(), c.subject.clone(), c.detail.clone()))
        .collect();
    let expected = [
        (
            true,
            "enum `DefaultConsistencyLevel`",
            "value `Quantum` added",
        ),
        // `allOf` children inherit the field, so they change with their parent.
        (
            true,
            "model `RestorableSqlDatabasePropertiesResourceDatabase`, field `createMode`",
            "is now required",
        ),
        (
            true,
            "model `SqlDatabaseGetPropertiesResource`, field `createMode`",
            "is now required",
        ),
        (
            true,
            "model `SqlDatabaseResource`, field `createMode`",
            "is now required",
        ),
        (
            true,
            "operation `DatabaseAccounts_ListUsages`",
            "removed (`GET /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.DocumentDB/databaseAccounts/{accountName}/usages`)",
        ),
        (
            true,
            "parameter type `AccountName`",
            "maxLength is now 44 (was 50)",
        ),
        (
            false,
            "enum `AnalyticalStorageSchemaType`",
            "value `Columnar` added",
        ),
    ];
    let expected: Vec<(bool, String, String)> = expected
        .iter()
        .map(|(b, s, d)| (*b, s.to_string(), d.to_string()))
        .collect();
    assert_eq!(found, expected, "\n{}", report.to_markdown());
    assert_eq!(
        (report.old_version.as_str(), report.new_version.as_str()),
        ("2026-03-15", "2026-09-01")
    );
}

/// `docs/changes-2024-11-15-to-2026-03-15.md` ends with the report `api-diff` makes between the
/// two Cosmos DB specs in `spec/` today.
#[test]
fn the_committed_change_report_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let rp = root.join("spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB");
    let read = |folder: PathBuf| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        read_api(&files).unwrap_or_else(|e| panic!("{e}"))
    };
    let old = read(rp.join("stable/2024-11-15"));
    let new = read(rp.join("DocumentDB/stable/2026-03-15"));
    let report = diff(&old, &new).to_markdown();
    let doc = std::fs::read_to_string(root.join("docs/changes-2024-11-15-to-2026-03-15.md"))
        .expect("the committed report");
    assert!(
        doc.ends_with(&report),
        "docs/changes-2024-11-15-to-2026-03-15.md does not end with the current report; put \
         this in its place:\n{report}"
    );
}
