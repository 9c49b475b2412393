//! Field-by-field serde for generated model structs, in place of `#[derive(Serialize,
//! Deserialize)]` with a `#[serde(flatten)]` map of unknown properties.
//!
//! A derive with `flatten` expands, for every model, into a field-identifier enum and visitor,
//! a buffer of unknown keys and values, and a wrapper type per formatted field; across the
//! hundreds of models of a resource provider that code dominates the generated crate's build.
//! Here the shared parts (reading keys, counting required fields, the formatted values) are
//! written once, and each model supplies only a `match` from wire name to field
//! ([`DecodeFields`]) and a sequence of `serialize_entry` calls.
//!
//! Decoding keeps what the derive did: unknown properties land in the model's map of
//! additional properties, `null` reads as `None` for optional fields, a missing required field
//! is an error naming it. A key that appears twice keeps its last value, as
//! `serde_json::Value` does.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;

use crate::serde_support::{base64_bytes, date_time, skip_read_only};

/// A model whose fields are decoded one JSON property at a time by [`deserialize_model`].
pub trait DecodeFields: Default {
    /// The model's name, for error messages (`expected struct Widget`).
    const NAME: &'static str;
    /// Wire names of the required properties; bit `i` of the mask [`DecodeFields::decode_field`]
    /// returns stands for `REQUIRED[i]`. At most 64.
    const REQUIRED: &'static [&'static str];

    /// Reads the value of property `key` from `map` into its field (or into the map of
    /// additional properties) and returns the required-property bit it set, or 0.
    fn decode_field<'de, A: MapAccess<'de>>(
        &mut self,
        key: Key<'de>,
        map: &mut A,
    ) -> Result<u64, A::Error>;
}

/// Deserializes a [`DecodeFields`] model from a JSON object.
pub fn deserialize_model<'de, D: Deserializer<'de>, M: DecodeFields>(
    deserializer: D,
) -> Result<M, D::Error> {
    deserializer.deserialize_map(ModelVisitor(PhantomData))
}

struct ModelVisitor<M>(PhantomData<M>);

impl<'de, M: DecodeFields> Visitor<'de> for ModelVisitor<M> {
    type Value = M;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "struct {}", M::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<M, A::Error> {
        let mut model = M::default();
        let mut seen = 0u64;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            seen |= model.decode_field(key, &mut map)?;
        }
        match missing_required(M::REQUIRED, seen) {
            Some(name) => Err(A::Error::missing_field(name)),
            None => Ok(model),
        }
    }
}

/// The first of `required` whose bit is not set in `seen`.
fn missing_required(required: &'static [&'static str], seen: u64) -> Option<&'static str> {
    required
        .iter()
        .enumerate()
        .find(|(bit, _)| seen & (1u64 << bit) == 0)
        .map(|(_, name)| *name)
}

/// An optional read-only field's value to write: none while serializing a request body
/// ([`to_request_body`](crate::serde_support::to_request_body)), as the service sets it.
pub fn read_only<T>(value: &Option<T>) -> Option<&T> {
    if skip_read_only(value) {
        None
    } else {
        value.as_ref()
    }
}

/// A property name, borrowed from the input where the deserializer allows it.
#[derive(Debug)]
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned: the key of an additional property.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a property name")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A `format: date-time` value as read ([`date_time`]: RFC 3339, or without offset as UTC).
#[derive(Debug)]
pub struct DateTimeValue(pub OffsetDateTime);

impl<'de> Deserialize<'de> for DateTimeValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        date_time::deserialize(deserializer).map(Self)
    }
}

/// A `format: date-time` value to write, as RFC 3339.
#[derive(Debug)]
pub struct DateTimeRef<'a>(pub &'a OffsetDateTime);

impl Serialize for DateTimeRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        date_time::serialize(self.0, serializer)
    }
}

/// A `format: byte` value as read (standard base64).
#[derive(Debug)]
pub struct Base64Value(pub Vec<u8>);

impl<'de> Deserialize<'de> for Base64Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        base64_bytes::deserialize(deserializer).map(Self)
    }
}

/// A `format: byte` value to write, as standard base64.
#[derive(Debug)]
pub struct Base64Ref<'a>(pub &'a [u8]);

impl Serialize for Base64Ref<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        base64_bytes::serialize(self.0, serializer)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::ser::SerializeMap as _;

    use super::*;

    /// What the generator emits for a model with a required name, an optional date-time and
    /// bytes, and unknown properties.
    #[derive(Debug, Default, PartialEq)]
    struct Widget {
        name: String,
        created: Option<OffsetDateTime>,
        blob: Option<Vec<u8>>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    impl DecodeFields for Widget {
        const NAME: &'static str = "Widget";
        const REQUIRED: &'static [&'static str] = &["name"];

        fn decode_field<'de, A: MapAccess<'de>>(
            &mut self,
            key: Key<'de>,
            map: &mut A,
        ) -> Result<u64, A::Error> {
            Ok(match key.as_str() {
                "name" => {
                    self.name = map.next_value()?;
                    1
                }
                "created" => {
                    self.created = map.next_value::<Option<DateTimeValue>>()?.map(|v| v.0);
                    0
                }
                "blob" => {
                    self.blob = map.next_value::<Option<Base64Value>>()?.map(|v| v.0);
                    0
                }
                _ => {
                    let value = map.next_value()?;
                    self.additional_properties.insert(key.into_string(), value);
                    0
                }
            })
        }
    }

    impl<'de> Deserialize<'de> for Widget {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserialize_model(deserializer)
        }
    }

    impl Serialize for Widget {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(None)?;
            map.serialize_entry("name", &self.name)?;
            if let Some(value) = &self.created {
                map.serialize_entry("created", &DateTimeRef(value))?;
            }
            if let Some(value) = &self.blob {
                map.serialize_entry("blob", &Base64Ref(value))?;
            }
            for (key, value) in &self.additional_properties {
                map.serialize_entry(key, value)?;
            }
            map.end()
        }
    }

    #[test]
    fn fields_formats_and_unknown_properties_round_trip() {
        let text =
            r#"{"name":"w","created":"2024-01-02T03:04:05Z","blob":"AQI=","extra":{"a":[1]}}"#;
        let widget: Widget = serde_json::from_str(text).unwrap();
        assert_eq!(widget.name, "w");
        assert_eq!(widget.blob.as_deref(), Some(&[1u8, 2][..]));
        assert_eq!(widget.additional_properties["extra"]["a"][0], 1);
        assert_eq!(serde_json::to_string(&widget).unwrap(), text);
        // The same from a `serde_json::Value`, whose keys are not borrowed.
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::from_value::<Widget>(value).unwrap(), widget);
    }

    #[test]
    fn null_optionals_are_none_and_missing_required_fields_are_named() {
        let widget: Widget = serde_json::from_str(r#"{"name":"w","created":null}"#).unwrap();
        assert_eq!(widget.created, None);
        let error = serde_json::from_str::<Widget>(r#"{"created":null}"#).unwrap_err();
        assert!(
            error.to_string().contains("missing field `name`"),
            "{error}"
        );
        let error = serde_json::from_str::<Widget>("[1]").unwrap_err();
        assert!(
            error.to_string().contains("expected struct Widget"),
            "{error}"
        );
        let error = serde_json::from_str::<Widget>(r#"{"name":"w","blob":"%"}"#).unwrap_err();
        assert!(error.to_string().contains("line 1"), "{error}");
    }

    #[test]
    fn the_first_missing_required_property_is_reported() {
        assert_eq!(missing_required(&["a", "b", "c"], 0b101), Some("b"));
        assert_eq!(missing_required(&["a", "b"], 0b11), None);
        assert_eq!(missing_required(&[], 0), None);
    }
}
