//! Every property the spec declares for a model decodes into that model's field, never into its
//! map of additional properties.
//!
//! A decoder that matched a property under the wrong wire name would keep it among the additional
//! properties and encode it back unchanged, so a decode → encode round trip cannot see the
//! mistake. Here the body is decoded with the generated decoder and encoded with
//! [`JsonWriter::declared_only`], which leaves the additional properties out; walking the body
//! along the IR's types, every declared property it carries (with a value other than `null`,
//! which decodes to an absent field) must still be there.

use azrm_codegen::ir::{Api, TypeKind, TypeRef};
use azrm_runtime::json::JsonWriter;
use serde_json::Value;

use crate::conformance::escape_pointer;
use crate::dispatch::Target;

/// What [`check_wire_names`] found in one body.
#[derive(Debug, Default)]
pub struct WireNames {
    /// Declared properties the body carries, at any depth.
    pub declared: usize,
    /// JSON pointers of those the decoder kept among the additional properties.
    pub misplaced: Vec<String>,
}

/// Decodes `body` as `model` with `target`'s generated decoder and finds the properties the spec declares for `model` (or for a
/// model nested in it) that the decoder kept among the additional properties. An error if `body`
/// does not decode as `model` or the spec has no such model.
pub fn check_wire_names(
    target: &Target,
    api: &Api,
    model: &str,
    body: &Value,
) -> Result<WireNames, String> {
    let declared = (target.round_trip)(model, body, JsonWriter::declared_only())
        .ok_or_else(|| format!("no model named {model}"))??
        .json;
    let mut found = WireNames::default();
    let model = TypeRef::Named(model.to_owned());
    walk(api, &model, body, &declared, "", &mut found);
    Ok(found)
}

/// Walks `input` (of type `ty`) beside `declared`, its encoding without additional properties,
/// counting the declared properties of `input` and recording those missing from `declared`.
fn walk(
    api: &Api,
    ty: &TypeRef,
    input: &Value,
    declared: &Value,
    pointer: &str,
    found: &mut WireNames,
) {
    match (ty, input, declared) {
        (TypeRef::List(inner), Value::Array(items), Value::Array(encoded)) => {
            for (index, (item, encoded)) in items.iter().zip(encoded).enumerate() {
                walk(
                    api,
                    inner,
                    item,
                    encoded,
                    &format!("{pointer}/{index}"),
                    found,
                );
            }
        }
        (TypeRef::Map(inner), Value::Object(map), Value::Object(encoded)) => {
            for (key, item) in map {
                if let Some(encoded) = encoded.get(key) {
                    let at = format!("{pointer}/{}", escape_pointer(key));
                    walk(api, inner, item, encoded, &at, found);
                }
            }
        }
        (TypeRef::Named(name), Value::Object(map), Value::Object(encoded)) => {
            match api.types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Struct(def)) => {
                    for field in &def.fields {
                        let Some(item) = map.get(&field.wire_name).filter(|item| !item.is_null())
                        else {
                            continue;
                        };
                        found.declared += 1;
                        let at = format!("{pointer}/{}", escape_pointer(&field.wire_name));
                        match encoded.get(&field.wire_name) {
                            Some(encoded) => walk(api, &field.ty, item, encoded, &at, found),
                            None => found.misplaced.push(at),
                        }
                    }
                }
                Some(TypeKind::Union(union)) => {
                    let variant = map
                        .get(&union.property)
                        .and_then(Value::as_str)
                        .and_then(|tag| union.variants.iter().find(|v| v.value == tag));
                    if let Some(variant) = variant {
                        let variant = TypeRef::Named(variant.ty.clone());
                        walk(api, &variant, input, declared, pointer, found);
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}
