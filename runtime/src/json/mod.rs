//! JSON for generated models without serde's per-model generics: [`Decode`] reads a value
//! through the object-safe [`ValueSource`], [`Encode`] writes into a [`JsonWriter`].
//!
//! A serde impl is generic over the (de)serializer, so each model's code is compiled once per
//! format it meets and drags a copy of `serde_json`'s parser loop along with it; across the
//! hundreds of models of a resource provider that code dominated the generated crate's build.
//! Here a model's decoder and encoder are plain functions, compiled once, and `serde_json`'s
//! parser is instantiated once for all of them ([`SerdeSource`]). Models still implement serde's
//! traits, through [`serialize`] and [`deserialize`], for use in other formats and types; those
//! impls cost nothing until a caller uses them.
//!
//! A generated struct decodes in place: [`decode_object`] reads its object and checks its
//! required properties, and the struct's `match` from wire name to field decodes each value into
//! its field ([`decode_into`], [`decode_optional`]). Nullable values and array elements go
//! through a [`ValueSink`] rather than a closure per type, so the code compiled per field type
//! stays small.
//!
//! Decoding keeps what serde's derive did: unknown properties land in the model's map of
//! additional properties, `null` reads as `None` for optional properties (and as
//! `Nullable::Null` for those that may be sent as `null`), a missing required
//! property is an error naming it, and every error names its path in the document.

mod decode;
mod encode;
mod error;
mod formats;
mod object;
mod serde_source;

pub use decode::{
    Decode, EntryFn, TextFn, ValueSink, ValueSource, closed_enum, extensible_enum, required,
};
pub use encode::{ArrayWriter, Encode, JsonWriter, ObjectWriter};
pub use error::DecodeError;
pub use formats::{Base64Ref, Base64Value, DateTimeRef, DateTimeValue, parse_date_time};
pub use object::{
    Properties, decode_entry, decode_into, decode_nullable, decode_object, decode_optional,
    decode_some,
};
pub use serde_source::SerdeSource;

/// Decodes a JSON document. Anything but whitespace after the value is an error.
pub fn from_slice<T: Decode>(json: &[u8]) -> Result<T, DecodeError> {
    let mut value = None;
    read_document(json, &mut value)?;
    value.ok_or_else(no_value)
}

/// Decodes a JSON document into `sink`; the part of [`from_slice`] that does not depend on the
/// type, compiled once.
pub(crate) fn read_document(json: &[u8], sink: &mut dyn ValueSink) -> Result<(), DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    sink.accept(&mut SerdeSource::new(&mut deserializer))?;
    deserializer
        .end()
        .map_err(|error| DecodeError::new(error.to_string()))
}

/// The error of a document read without error but without its `Option` sink taking a value: a
/// safeguard, since an `Option` that accepts a value holds it.
#[cold]
pub(crate) fn no_value() -> DecodeError {
    DecodeError::new("the document held no value")
}

/// Decodes a `serde_json::Value`: the variant of a polymorphic model, once its discriminator is
/// read.
pub fn from_value<T: Decode>(value: serde_json::Value) -> Result<T, DecodeError> {
    T::decode(&mut SerdeSource::new(value))
}

/// Encodes `value` as JSON, every property included.
pub fn to_vec(value: &dyn Encode) -> Vec<u8> {
    let mut out = JsonWriter::new();
    value.encode(&mut out);
    out.into_bytes()
}

/// Encodes `value` as a request body: read-only properties are left out.
pub fn to_request_body(value: &dyn Encode) -> Vec<u8> {
    let mut out = JsonWriter::request_body();
    value.encode(&mut out);
    out.into_bytes()
}

/// `Serialize` for a model: through its JSON form, so it serializes to any format as the JSON
/// the service sees.
pub fn serialize<S: serde::Serializer>(
    value: &dyn Encode,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let json: serde_json::Value =
        serde_json::from_slice(&to_vec(value)).map_err(serde::ser::Error::custom)?;
    serde::Serialize::serialize(&json, serializer)
}

/// `Deserialize` for a model, from any deserializer; errors carry the path of the failing value.
pub fn deserialize<'de, T: Decode, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::decode(&mut SerdeSource::new(deserializer)).map_err(serde::de::Error::custom)
}

/// Reads the discriminator property `name` of a JSON object, to pick the variant of a
/// polymorphic model.
pub fn discriminator<'v>(value: &'v serde_json::Value, name: &str) -> Option<&'v str> {
    value.get(name).and_then(serde_json::Value::as_str)
}

#[cfg(test)]
mod tests;
