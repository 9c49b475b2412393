//! [`Store`]: the resources the endpoint holds, by case-insensitive path, with what ARM adds to a
//! stored resource (`id`, `name`, `type`, `systemData`, `provisioningState`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::resource::ResourcePath;

/// Who `systemData` says created and modified stored resources.
const ACTOR: &str = "local";

/// The current time in RFC 3339.
pub(super) fn timestamp() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// One stored resource: its path with the casing it was created with, and its body.
#[derive(Debug)]
struct Stored {
    path: ResourcePath,
    value: Value,
}

/// The stored resources, by [`ResourcePath::key`].
#[derive(Debug, Default)]
pub(super) struct Store {
    resources: BTreeMap<String, Stored>,
}

impl Store {
    /// The resource at `path`.
    pub(super) fn get(&self, path: &ResourcePath) -> Option<&Value> {
        self.resources.get(&path.key()).map(|stored| &stored.value)
    }

    /// Whether a resource is stored at `path`.
    pub(super) fn contains(&self, path: &ResourcePath) -> bool {
        self.resources.contains_key(&path.key())
    }

    /// Stores `body` at `path` (replacing what was there; the id keeps its first casing) and
    /// returns the stored resource and whether it was created.
    pub(super) fn put(
        &mut self,
        path: &ResourcePath,
        body: Value,
        provisioning_state: bool,
    ) -> (Value, bool) {
        let key = path.key();
        let previous = self.resources.remove(&key);
        let created = previous.is_none();
        let (path, created_at) = match previous {
            Some(stored) => {
                let created_at = stored.value.pointer("/systemData/createdAt").cloned();
                (stored.path, created_at)
            }
            None => (path.clone(), None),
        };
        let value = stamped(body, &path, created_at, provisioning_state);
        self.resources.insert(
            key,
            Stored {
                path,
                value: value.clone(),
            },
        );
        (value, created)
    }

    /// Merges `patch` into the resource at `path` (JSON merge patch, RFC 7386) and returns the
    /// result; `None` if nothing is stored there.
    pub(super) fn update(
        &mut self,
        path: &ResourcePath,
        patch: &Value,
        provisioning_state: bool,
    ) -> Option<Value> {
        let stored = self.resources.get_mut(&path.key())?;
        let mut merged = stored.value.take();
        merge_patch(&mut merged, patch);
        let created_at = merged.pointer("/systemData/createdAt").cloned();
        stored.value = stamped(merged, &stored.path, created_at, provisioning_state);
        Some(stored.value.clone())
    }

    /// Removes the resource at `path` and every resource below it; whether it existed.
    pub(super) fn delete(&mut self, path: &ResourcePath) -> bool {
        let key = path.key();
        let existed = self.resources.remove(&key).is_some();
        let prefix = format!("{key}/");
        self.resources
            .retain(|other, _| !other.starts_with(&prefix));
        existed
    }

    /// The resources directly below `collection` and, when it names a resource type right after
    /// `providers/{namespace}`, every resource of that type within its scope; sorted by id.
    /// Borrowed, so that a caller answering one page clones only that page.
    pub(super) fn list(&self, collection: &ResourcePath) -> Vec<&Value> {
        let prefix = format!("{}/", collection.key());
        let mut found: BTreeMap<&str, &Stored> = self
            .resources
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .filter(|(key, _)| !key[prefix.len()..].contains('/'))
            .map(|(key, stored)| (key.as_str(), stored))
            .collect();
        if let Some((scope, wanted)) = collection.type_collection() {
            for (key, stored) in &self.resources {
                let same_type = stored
                    .path
                    .resource_type()
                    .is_some_and(|ty| ty.eq_ignore_ascii_case(&wanted));
                if same_type && stored.path.is_within(scope) {
                    found.insert(key, stored);
                }
            }
        }
        let mut items: Vec<&Stored> = found.into_values().collect();
        items.sort_by_cached_key(|stored| stored.path.id().to_lowercase());
        items.into_iter().map(|stored| &stored.value).collect()
    }
}

/// `body` as ARM stores it: `id`, `name` and `type` first, `systemData` (keeping `created_at`),
/// and, when the resource has a `provisioning_state`, `properties.provisioningState =
/// "Succeeded"` if `properties` is an object.
fn stamped(
    body: Value,
    path: &ResourcePath,
    created_at: Option<Value>,
    provisioning_state: bool,
) -> Value {
    let Value::Object(fields) = body else {
        return body;
    };
    let now = timestamp();
    let mut object = Map::new();
    object.insert("id".to_owned(), Value::from(path.id()));
    object.insert("name".to_owned(), Value::from(path.name()));
    if let Some(resource_type) = path.resource_type() {
        object.insert("type".to_owned(), Value::from(resource_type));
    }
    for (name, value) in fields {
        if !matches!(name.as_str(), "id" | "name" | "type" | "systemData") {
            object.insert(name, value);
        }
    }
    if provisioning_state && let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties.insert("provisioningState".to_owned(), Value::from("Succeeded"));
    }
    object.insert(
        "systemData".to_owned(),
        json!({
            "createdBy": ACTOR,
            "createdByType": "Application",
            "createdAt": created_at.unwrap_or_else(|| Value::from(now.clone())),
            "lastModifiedBy": ACTOR,
            "lastModifiedByType": "Application",
            "lastModifiedAt": now,
        }),
    );
    Value::Object(object)
}

/// JSON merge patch (RFC 7386): objects merge recursively, `null` removes, anything else
/// replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (name, value) in patch {
            if value.is_null() {
                target.remove(name);
            } else {
                merge_patch(target.entry(name.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> ResourcePath {
        ResourcePath::parse(text)
    }

    #[test]
    fn put_stamps_and_keeps_the_first_casing_and_creation_time() {
        let mut store = Store::default();
        let widget = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.X/widgets/W1";
        let (first, created) = store.put(
            &path(widget),
            json!({"properties": {}, "id": "bogus"}),
            true,
        );
        assert!(created);
        assert_eq!(first["id"], widget);
        assert_eq!(first["name"], "W1");
        assert_eq!(first["type"], "Microsoft.X/widgets");
        assert_eq!(first["properties"]["provisioningState"], "Succeeded");
        let (second, created) = store.put(&path(&widget.to_lowercase()), json!({"tags": {}}), true);
        assert!(!created);
        assert_eq!(second["id"], widget);
        assert_eq!(
            second["systemData"]["createdAt"],
            first["systemData"]["createdAt"]
        );
        assert!(second.get("properties").is_none());
    }

    #[test]
    fn a_resource_without_a_provisioning_state_in_its_model_gets_none() {
        let mut store = Store::default();
        let throughput =
            "/subscriptions/s/providers/Microsoft.X/widgets/w/throughputSettings/default";
        let body = json!({"properties": {"resource": {"throughput": 400}}});
        let (stored, _) = store.put(&path(throughput), body, false);
        assert_eq!(
            stored["properties"],
            json!({"resource": {"throughput": 400}})
        );
        let patched = store
            .update(
                &path(throughput),
                &json!({"properties": {"options": {}}}),
                false,
            )
            .unwrap();
        assert!(patched["properties"].get("provisioningState").is_none());
    }

    #[test]
    fn merge_patch_merges_replaces_and_removes() {
        let mut target = json!({"a": {"b": 1, "c": 2}, "d": [1], "e": 1});
        merge_patch(
            &mut target,
            &json!({"a": {"b": null, "x": 3}, "d": [2], "e": null}),
        );
        assert_eq!(target, json!({"a": {"c": 2, "x": 3}, "d": [2]}));
    }

    #[test]
    fn delete_removes_children_but_not_siblings_with_a_common_prefix() {
        let mut store = Store::default();
        store.put(&path("/a/providers/N/w/x"), json!({}), true);
        store.put(&path("/a/providers/N/w/x/p/1"), json!({}), true);
        store.put(&path("/a/providers/N/w/xy"), json!({}), true);
        assert!(store.delete(&path("/a/providers/N/w/X")));
        assert!(!store.contains(&path("/a/providers/N/w/x/p/1")));
        assert!(store.contains(&path("/a/providers/N/w/xy")));
        assert!(!store.delete(&path("/a/providers/N/w/x")));
    }
}
