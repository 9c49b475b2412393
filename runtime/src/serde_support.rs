//! Serde support that generated models share: RFC 3339 date-times, base64 bytes, extensible
//! enums, discriminated unions, and the rule that read-only fields stay out of request bodies.
//!
//! These are `pub` because generated code names them in `#[serde(with = ...)]` attributes; they
//! are not meant to be called by hand.

use std::cell::Cell;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

thread_local! {
    static SERIALIZING_REQUEST_BODY: Cell<bool> = const { Cell::new(false) };
}

/// Serializes `value` as a request body: like `serde_json::to_vec`, but read-only fields (those
/// generated with `skip_serializing_if = "...::skip_read_only"`) are left out, because the
/// service sets them and some services reject them on input.
pub fn to_request_body<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            SERIALIZING_REQUEST_BODY.with(|flag| flag.set(self.0));
        }
    }
    let _reset = Reset(SERIALIZING_REQUEST_BODY.with(|flag| flag.replace(true)));
    serde_json::to_vec(value)
}

/// `skip_serializing_if` for read-only fields: they are skipped when absent, and always while
/// serializing a request body with [`to_request_body`]. A response model serialized with plain
/// `serde_json` keeps them.
pub fn skip_read_only<T>(value: &Option<T>) -> bool {
    value.is_none() || SERIALIZING_REQUEST_BODY.with(Cell::get)
}

/// Deserializes a string into an enum that keeps unknown values (`From<&str>`), borrowing the
/// string where the input allows it.
pub fn deserialize_str_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    let value = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    Ok(T::from(&value))
}

/// Reads the discriminator property `name` of a JSON object, to pick the variant of a
/// polymorphic model.
pub fn discriminator<'v>(value: &'v serde_json::Value, name: &str) -> Option<&'v str> {
    value.get(name).and_then(serde_json::Value::as_str)
}

/// Turns a variant's decode error into the outer deserializer's error.
pub fn variant_error<E: serde::de::Error>(error: serde_json::Error) -> E {
    E::custom(error)
}

/// `format: date-time`: RFC 3339 on the wire. Values without an offset (which some services send)
/// are read as UTC.
pub mod date_time {
    use super::*;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;

    /// Writes RFC 3339.
    pub fn serialize<S: Serializer>(
        value: &OffsetDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let text = value.format(&Rfc3339).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads RFC 3339, or an ISO 8601 date-time without offset as UTC.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<OffsetDateTime, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        parse(&text).map_err(D::Error::custom)
    }

    /// Parses RFC 3339, falling back to a date-time without offset, read as UTC.
    pub fn parse(text: &str) -> Result<OffsetDateTime, String> {
        OffsetDateTime::parse(text, &Rfc3339).or_else(|rfc_error| {
            OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339)
                .map_err(|_| format!("invalid RFC 3339 date-time {text:?}: {rfc_error}"))
        })
    }

    /// The same for `Option<OffsetDateTime>` fields.
    pub mod option {
        use super::*;

        /// Writes RFC 3339 (callers skip `None`).
        pub fn serialize<S: Serializer>(
            value: &Option<OffsetDateTime>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads RFC 3339 or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<OffsetDateTime>, D::Error> {
            match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
                Some(text) => parse(&text).map(Some).map_err(D::Error::custom),
                None => Ok(None),
            }
        }
    }
}

/// `format: byte`: standard base64 on the wire, bytes in Rust.
pub mod base64_bytes {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    /// Writes base64.
    pub fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(value))
    }

    /// Reads base64.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        STANDARD.decode(text.as_bytes()).map_err(D::Error::custom)
    }

    /// The same for `Option<Vec<u8>>` fields.
    pub mod option {
        use super::*;

        /// Writes base64 (callers skip `None`).
        pub fn serialize<S: Serializer>(
            value: &Option<Vec<u8>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(value) => super::serialize(value, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads base64 or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Vec<u8>>, D::Error> {
            match Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)? {
                Some(text) => STANDARD
                    .decode(text.as_bytes())
                    .map(Some)
                    .map_err(D::Error::custom),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[derive(Serialize)]
    struct Resource {
        #[serde(skip_serializing_if = "skip_read_only")]
        id: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        location: Option<String>,
    }

    #[test]
    fn read_only_fields_stay_out_of_request_bodies_only() {
        let resource = Resource {
            id: Some("/subscriptions/x".into()),
            location: Some("westus".into()),
        };
        let body = String::from_utf8(to_request_body(&resource).unwrap()).unwrap();
        assert_eq!(body, r#"{"location":"westus"}"#);
        let plain = serde_json::to_string(&resource).unwrap();
        assert_eq!(plain, r#"{"id":"/subscriptions/x","location":"westus"}"#);
    }

    #[test]
    fn date_times_read_rfc3339_and_offsetless_values() {
        let with_offset = date_time::parse("2022-02-02T10:20:30.1234567Z").unwrap();
        let without_offset = date_time::parse("2022-02-02T10:20:30.1234567").unwrap();
        assert_eq!(with_offset, without_offset);
        let error = date_time::parse("yesterday").unwrap_err();
        assert!(error.contains("\"yesterday\""), "{error}");
    }

    #[test]
    fn discriminator_reads_a_string_property() {
        let value = serde_json::json!({"type": "Periodic", "n": 1});
        assert_eq!(discriminator(&value, "type"), Some("Periodic"));
        assert_eq!(discriminator(&value, "n"), None);
        assert_eq!(discriminator(&value, "missing"), None);
    }
}
