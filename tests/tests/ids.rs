//! Typed resource ids (`azrm_cosmosdb::ids`) against the spec: the `id` of every resource in the
//! spec's example responses parses into the id type of the resource's path, and prints back
//! the same id (fixed segments compared ignoring case, as ARM spells them either way); any names
//! survive print and parse; navigation keeps the names; a wrong id is a typed error.

use std::collections::BTreeSet;
use std::path::PathBuf;

use azrm_cosmosdb::ids::{
    DatabaseAccountId, IdMismatch, ResourceId, SqlContainerId, SqlDatabaseId,
};
use proptest::prelude::*;
use serde_json::Value;

const SPEC_DIR: &str = "spec/specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15";

fn read_json(path: &PathBuf) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Whether `printed` is `original` with its fixed segments in any case and its names exact.
fn same_id(printed: &str, original: &str, template: &str) -> bool {
    let segments = |text: &str| text.split('/').map(str::to_owned).collect::<Vec<_>>();
    let (printed, original, template) = (segments(printed), segments(original), segments(template));
    printed.len() == original.len()
        && printed
            .iter()
            .zip(&original)
            .zip(&template)
            .all(|((p, o), t)| {
                if t.starts_with('{') {
                    p == o
                } else {
                    p.eq_ignore_ascii_case(o)
                }
            })
}

/// `(expected template, id)` of every resource in the example responses of the operations on
/// a resource path (its `id`) or on the collection above one (each listed item's `id`).
fn example_ids() -> Vec<(String, String)> {
    let root = workspace_tests::workspace_root().join(SPEC_DIR);
    let spec = read_json(&root.join("openapi.json")).expect("the spec");
    let paths = spec["paths"].as_object().expect("paths");
    // A path that a `GET` reads and that ends at a name: the resource paths of the spec.
    let is_resource = |path: &str| {
        path.starts_with("/subscriptions/")
            && path.ends_with('}')
            && paths[path].get("get").is_some()
    };
    let mut found = Vec::new();
    for (path, operations) in paths {
        let item_template = paths
            .keys()
            .find(|candidate| {
                candidate
                    .strip_prefix(path.as_str())
                    .and_then(|rest| rest.strip_prefix("/{"))
                    .is_some_and(|rest| !rest.contains('/'))
                    && is_resource(candidate)
            })
            .cloned();
        let own_template = is_resource(path).then(|| path.clone());
        for operation in operations.as_object().into_iter().flat_map(|o| o.values()) {
            let examples = operation["x-ms-examples"].as_object().into_iter().flatten();
            for (_, reference) in examples {
                let file = reference["$ref"].as_str().unwrap_or_default();
                let Some(example) = read_json(&root.join(file)) else {
                    continue;
                };
                for body in example["responses"]
                    .as_object()
                    .into_iter()
                    .flat_map(|responses| responses.values())
                    .map(|response| &response["body"])
                {
                    if let (Some(template), Some(id)) = (&own_template, body["id"].as_str()) {
                        found.push((template.clone(), id.to_owned()));
                    }
                    let items = body["value"].as_array().into_iter().flatten();
                    if let Some(template) = &item_template {
                        for id in items.filter_map(|item| item["id"].as_str()) {
                            found.push((template.clone(), id.to_owned()));
                        }
                    }
                }
            }
        }
    }
    found
}

/// Type segments that example files of the snapshot spell differently from their operation's
/// path (`.../sqlDatabases/db/sqlContainers/c` where the path and the service say `containers`):
/// errata of the examples, not ids the service returns. The test checks that these, and only
/// these, are what keeps such an id from parsing.
const EXAMPLE_TYPE_ERRATA: [&str; 5] = [
    "cassandraTables",
    "gremlinGraphs",
    "mongodbCollections",
    "sqlContainers",
    "sqlUserDefinedFunctions",
];

/// `id` with the type segments that differ from `template` spelled as the template does, and
/// those segments; `None` if it differs otherwise (another number of segments, or a segment
/// that is not an erratum).
fn respelled(id: &str, template: &str) -> Option<(String, Vec<String>)> {
    let ids: Vec<&str> = id.split('/').collect();
    let fixed: Vec<&str> = template.split('/').collect();
    if ids.len() != fixed.len() {
        return None;
    }
    let mut spelled = Vec::new();
    let mut segments = Vec::new();
    for (mine, theirs) in ids.iter().zip(&fixed) {
        if theirs.starts_with('{') || mine.eq_ignore_ascii_case(theirs) {
            segments.push(*mine);
        } else if EXAMPLE_TYPE_ERRATA.contains(mine) {
            spelled.push((*mine).to_owned());
            segments.push(*theirs);
        } else {
            return None;
        }
    }
    Some((segments.join("/"), spelled))
}

#[test]
fn every_example_resource_id_parses_into_its_type_and_prints_back() {
    let ids = example_ids();
    let mut types = BTreeSet::new();
    let mut misspelled = BTreeSet::new();
    for (template, id) in &ids {
        let parsed = match ResourceId::parse(id) {
            Ok(parsed) => parsed,
            Err(error) => {
                let (fixed, spelled) = respelled(id, template).unwrap_or_else(|| panic!("{error}"));
                misspelled.extend(spelled);
                ResourceId::parse(&fixed).unwrap_or_else(|error| panic!("{error}"))
            }
        };
        assert_eq!(parsed.template(), template, "{id}");
        let printed = parsed.to_string();
        let original = respelled(id, template).map_or_else(|| id.clone(), |(fixed, _)| fixed);
        assert!(
            same_id(&printed, &original, template),
            "{id} printed as {printed}"
        );
        assert_eq!(printed.parse::<ResourceId>().unwrap(), parsed);
        types.insert(template.clone());
    }
    assert_eq!(
        misspelled,
        BTreeSet::from(EXAMPLE_TYPE_ERRATA.map(str::to_owned))
    );
    // The snapshot's examples cover these many resource types (most example files are not in it).
    assert!(types.len() >= 30, "{} types: {types:#?}", types.len());
    assert!(ids.len() >= 63, "{} ids", ids.len());
}

#[test]
fn type_segments_match_in_any_case_and_print_as_the_spec_spells_them() {
    let id: SqlContainerId = "/SUBSCRIPTIONS/sub/resourcegroups/My-RG/providers/microsoft.documentdb/DATABASEACCOUNTS/acct/sqldatabases/db/Containers/c1"
        .parse()
        .unwrap();
    assert_eq!(id, SqlContainerId::new("sub", "My-RG", "acct", "db", "c1"));
    assert_eq!(
        id.to_string(),
        "/subscriptions/sub/resourceGroups/My-RG/providers/Microsoft.DocumentDB/databaseAccounts/acct/sqlDatabases/db/containers/c1"
    );
}

#[test]
fn navigation_keeps_the_names() {
    let id = SqlContainerId::new("sub", "rg", "acct", "db", "c1");
    assert_eq!(id.parent(), SqlDatabaseId::new("sub", "rg", "acct", "db"));
    assert_eq!(id.sql_database(), id.parent());
    assert_eq!(
        id.database_account(),
        DatabaseAccountId::new("sub", "rg", "acct")
    );
    assert_eq!(id.parent().parent(), id.database_account());
}

#[test]
fn an_id_of_another_type_is_a_typed_error_naming_it() {
    let error = DatabaseAccountId::parse(
        "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.DocumentDB/cassandraClusters/c1",
    )
    .unwrap_err();
    assert_eq!(
        *error.mismatch(),
        IdMismatch::Segment {
            position: 7,
            expected: "databaseAccounts",
            found: "cassandraClusters".into()
        }
    );
    assert!(
        error.to_string().contains("cassandraClusters/c1"),
        "{error}"
    );
    let error = ResourceId::parse("/subscriptions/sub/resourceGroups/rg").unwrap_err();
    assert_eq!(*error.mismatch(), IdMismatch::UnknownType);
    assert!(DatabaseAccountId::parse("").is_err());
}

proptest! {
    #[test]
    fn any_names_survive_print_and_parse(
        names in proptest::collection::vec("\\PC{1,12}", 5),
    ) {
        let id = SqlContainerId::new(
            names[0].clone(), names[1].clone(), names[2].clone(), names[3].clone(), names[4].clone(),
        );
        let printed = id.to_string();
        prop_assert_eq!(printed.split('/').count(), 13);
        prop_assert_eq!(SqlContainerId::parse(&printed).unwrap(), id.clone());
        prop_assert_eq!(ResourceId::parse(&printed).unwrap(), ResourceId::SqlContainer(id));
    }
}
