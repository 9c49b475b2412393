//! The smallest JSON value a type accepts: required properties filled in, plus optional
//! scalars, with placeholder values. The local endpoint answers with it where the spec has a
//! response model but no example to copy (an action whose example file is missing, say).

use serde_json::{Map, Value, json};

use crate::ir::{Api, Primitive, TypeKind, TypeRef};

/// How deep nested objects are filled in; deeper required objects stay empty.
const MAX_DEPTH: usize = 6;

/// A placeholder value of `ty`.
pub fn skeleton(api: &Api, ty: &TypeRef) -> Value {
    value_of(api, ty, 0)
}

fn value_of(api: &Api, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::Named(name) => named(api, name, depth),
        TypeRef::Primitive(primitive) => scalar(*primitive),
        TypeRef::List(_) => json!([]),
        TypeRef::Map(_) | TypeRef::Any => json!({}),
    }
}

fn named(api: &Api, name: &str, depth: usize) -> Value {
    let Some(def) = api.types.get(name) else {
        return Value::Null;
    };
    match &def.kind {
        TypeKind::Enum(e) => e
            .values
            .first()
            .map_or(Value::Null, |v| Value::String(v.value.clone())),
        TypeKind::Newtype(_) => json!("string"),
        TypeKind::Union(u) => match u.variants.first() {
            Some(variant) => {
                let mut value = named(api, &variant.ty, depth);
                if let Value::Object(object) = &mut value {
                    object.insert(u.property.clone(), Value::String(variant.value.clone()));
                }
                value
            }
            None => json!({}),
        },
        TypeKind::Struct(s) => {
            let mut object = Map::new();
            if depth < MAX_DEPTH {
                for field in &s.fields {
                    let scalar_field = matches!(field.ty, TypeRef::Primitive(_));
                    if field.required || scalar_field {
                        object.insert(field.wire_name.clone(), value_of(api, &field.ty, depth + 1));
                    }
                }
            }
            Value::Object(object)
        }
    }
}

fn scalar(primitive: Primitive) -> Value {
    match primitive {
        Primitive::String | Primitive::Secret | Primitive::Uri | Primitive::ArmId => {
            json!("string")
        }
        Primitive::Uuid => json!("00000000-0000-0000-0000-000000000000"),
        Primitive::DateTime => json!("2026-01-01T00:00:00Z"),
        Primitive::Bytes => json!(""),
        Primitive::Bool => json!(false),
        Primitive::I32 | Primitive::I64 => json!(0),
        Primitive::F64 => json!(0.0),
    }
}
