//! The large list response of the decoding benchmark: SQL containers built from the spec's
//! example of a container resource.
//!
//! The spec snapshot has no example of a SQL container (`CosmosDBSqlContainerGet.json` and
//! `CosmosDBSqlContainerList.json` are named but not included), so each item is the body of
//! `CosmosDBGremlinGraphGet.json`, whose `properties.resource` has the same shape as a SQL
//! container's (indexing policy, partition key, TTL, unique keys, conflict resolution, `_rid`,
//! `_ts`, `_etag`), with the id, name and type of a SQL container and a location and tags as ARM
//! returns them.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use serde_json::{Value, json};

/// The example file each item is built from, next to the spec's `openapi.json`.
pub const EXAMPLE_FILE: &str = "CosmosDBGremlinGraphGet.json";

/// The folder of the spec's examples, from `spec/regen.yaml`.
pub fn examples_dir() -> Result<PathBuf> {
    let config_path = crate::workspace_root().join("spec/regen.yaml");
    let config = azrm_codegen::Config::read(&config_path)
        .with_context(|| format!("reading {}", config_path.display()))?;
    let input = config
        .input_paths()
        .into_iter()
        .next()
        .context("spec/regen.yaml names no input")?;
    Ok(input
        .parent()
        .map(|dir| dir.join("examples"))
        .unwrap_or_default())
}

/// The body of the example response the items are built from.
pub fn example_item() -> Result<Value> {
    let path = examples_dir()?.join(EXAMPLE_FILE);
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let example: Value = serde_json::from_slice(&bytes)?;
    example
        .pointer("/responses/200/body")
        .cloned()
        .with_context(|| format!("{} has no 200 response body", path.display()))
}

/// A `SqlContainerListResult` body with `items` containers, compact JSON as the service sends
/// it. Written item by item, so building it needs little more memory than its bytes.
pub fn sql_container_list(items: usize) -> Result<Vec<u8>> {
    let template = example_item()?;
    let mut out = Vec::with_capacity(items * 1300 + 16);
    out.extend_from_slice(b"{\"value\":[");
    for index in 0..items {
        if index > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &container(&template, index))?;
    }
    out.write_all(b"]}")?;
    Ok(out)
}

/// Item `index`: the template with a container's id, name and type.
fn container(template: &Value, index: usize) -> Value {
    let name = format!("container{index:05}");
    let mut item = template.clone();
    item["id"] = Value::from(format!(
        "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg1/providers/\
         Microsoft.DocumentDB/databaseAccounts/ddb1/sqlDatabases/databaseName/containers/{name}"
    ));
    item["name"] = Value::from(name.clone());
    item["type"] = Value::from("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
    item["location"] = Value::from("West US");
    item["tags"] = json!({});
    if let Some(resource) = item.pointer_mut("/properties/resource") {
        resource["id"] = Value::from(name);
        resource["_rid"] = Value::from(format!("PD5DALigDgw{index:05}="));
        resource["_ts"] = Value::from(1_459_200_611 + index as u64);
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_decodes_into_the_typed_model_and_round_trips() {
        let bytes = sql_container_list(3).unwrap();
        let typed: azrm_cosmosdb::models::SqlContainerListResult =
            serde_json::from_slice(&bytes).unwrap();
        let items = typed.value.as_ref().unwrap();
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].name.as_deref(), Some("container00002"));
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(crate::decode::same_json(
            &serde_json::to_value(&typed).unwrap(),
            &value
        ));
    }
}
