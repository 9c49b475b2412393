//! [`Decode`]: how a type reads itself from one JSON value, through the object-safe
//! [`ValueSource`], so that the code of a model's decoder is compiled once, not once per
//! deserializer it is used with.

use std::collections::BTreeMap;

use super::{DecodeError, decode_entry};
use crate::UnlistedValue;

/// Callback for the entries of an object: the key and its value.
pub type EntryFn<'f> = dyn FnMut(&str, &mut dyn ValueSource) -> Result<(), DecodeError> + 'f;
/// Callback for a string value, borrowed where the input allows it.
pub type TextFn<'f> = dyn FnMut(&str) -> Result<(), DecodeError> + 'f;

/// One JSON value waiting to be read: exactly one method may be called, once.
///
/// Errors name the path inside the document: [`ValueSource::object`] and [`ValueSource::array`]
/// add the key or index of the entry whose callback failed.
pub trait ValueSource {
    /// Reads a string.
    fn string(&mut self) -> Result<String, DecodeError>;
    /// Reads a string and passes it to `text` without copying it where possible.
    fn text(&mut self, text: &mut TextFn<'_>) -> Result<(), DecodeError>;
    /// Reads `true` or `false`.
    fn boolean(&mut self) -> Result<bool, DecodeError>;
    /// Reads an integer that fits an `i32`.
    fn i32(&mut self) -> Result<i32, DecodeError>;
    /// Reads an integer that fits an `i64`.
    fn i64(&mut self) -> Result<i64, DecodeError>;
    /// Reads a number.
    fn f64(&mut self) -> Result<f64, DecodeError>;
    /// Reads any JSON value as it is.
    fn value(&mut self) -> Result<serde_json::Value, DecodeError>;
    /// Reads `null`.
    fn null(&mut self) -> Result<(), DecodeError>;
    /// Reads `null`, or decodes the value into `some`.
    fn option(&mut self, some: &mut dyn ValueSink) -> Result<(), DecodeError>;
    /// Reads an object, passing each entry to `entry`. `expecting` names the object for a value
    /// of another type (`struct Widget`, `a map`).
    fn object(&mut self, expecting: &str, entry: &mut EntryFn<'_>) -> Result<(), DecodeError>;
    /// Reads an array, decoding each element into `elements`.
    fn array(&mut self, elements: &mut dyn ValueSink) -> Result<(), DecodeError>;
}

/// Where a value read from a [`ValueSource`] goes, its type erased so that the code reading a
/// nullable value or the elements of an array is compiled once: an empty `Option<T>` takes the
/// value (one that already holds a value is an error), a `Vec<T>` appends it.
pub trait ValueSink {
    /// Decodes the value `source` holds into this place.
    fn accept(&mut self, source: &mut dyn ValueSource) -> Result<(), DecodeError>;
}

impl<T: Decode> ValueSink for Option<T> {
    fn accept(&mut self, source: &mut dyn ValueSource) -> Result<(), DecodeError> {
        if self.is_some() {
            return Err(already_held());
        }
        // `empty` is the `None` just checked (nothing else can reach `self` meanwhile), so there
        // is nothing to drop; not dropping it keeps the drop code of `T` out of this function,
        // which is compiled once per decoded type (that drop code was about 5% of a generated
        // crate's machine code).
        let empty = self.replace(T::decode(source)?);
        std::mem::forget(empty);
        Ok(())
    }
}

/// The error of a value decoded into an `Option` that already holds one.
#[cold]
fn already_held() -> DecodeError {
    DecodeError::new("decoded into an `Option` that already holds a value")
}

impl<T: Decode> ValueSink for Vec<T> {
    fn accept(&mut self, source: &mut dyn ValueSource) -> Result<(), DecodeError> {
        self.push(T::decode(source)?);
        Ok(())
    }
}

/// A type that reads itself from a JSON value. Generated models implement it; the client decodes
/// response bodies with it.
pub trait Decode: Sized {
    /// Reads a value of this type from `source`.
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError>;
}

impl Decode for String {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.string()
    }
}

impl Decode for bool {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.boolean()
    }
}

impl Decode for i32 {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.i32()
    }
}

impl Decode for i64 {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.i64()
    }
}

impl Decode for f64 {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.f64()
    }
}

impl Decode for serde_json::Value {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.value()
    }
}

/// `null` only: the body of an operation that returns none.
impl Decode for () {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.null()
    }
}

impl Decode for uuid::Uuid {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        parse_text(source, |text| {
            uuid::Uuid::parse_str(text)
                .map_err(|error| DecodeError::new(format!("invalid UUID {text:?}: {error}")))
        })
    }
}

impl Decode for crate::Secret {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        source.string().map(crate::Secret::new)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        T::decode(source).map(Box::new)
    }
}

/// `null` is `None`.
impl<T: Decode> Decode for Option<T> {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut decoded = None;
        source.option(&mut decoded)?;
        Ok(decoded)
    }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut items = Vec::new();
        source.array(&mut items)?;
        Ok(items)
    }
}

/// A repeated key keeps its last value, as in `serde_json::Value`.
impl<T: Decode> Decode for BTreeMap<String, T> {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        source.object("a map", &mut |key, value| {
            decode_entry(&mut map, key, value)
        })?;
        Ok(map)
    }
}

/// The value of a required property, or the error naming it when the object lacked it.
pub fn required<T>(value: Option<T>, model: &str, name: &str) -> Result<T, DecodeError> {
    value.ok_or_else(|| DecodeError::missing_field(model, name))
}

/// Reads a closed enum: one of `values`' wire names becomes its value, any other string an
/// [`UnlistedValue`] wrapped by `unlisted`, so that a value a later api-version adds does not
/// fail the response that holds it.
pub fn closed_enum<T: Clone>(
    source: &mut dyn ValueSource,
    values: &[(&str, T)],
    unlisted: fn(UnlistedValue) -> T,
) -> Result<T, DecodeError> {
    parse_text(source, |text| {
        Ok(match values.iter().find(|(name, _)| *name == text) {
            Some((_, value)) => value.clone(),
            None => unlisted(UnlistedValue::new(text)),
        })
    })
}

/// Reads an extensible enum: any string, known values becoming their variant.
pub fn extensible_enum<T: for<'a> From<&'a str>>(
    source: &mut dyn ValueSource,
) -> Result<T, DecodeError> {
    parse_text(source, |text| Ok(T::from(text)))
}

/// Reads a string and turns it into a `T` with `parse`, without copying the string where the
/// input allows it.
pub(super) fn parse_text<T>(
    source: &mut dyn ValueSource,
    mut parse: impl FnMut(&str) -> Result<T, DecodeError>,
) -> Result<T, DecodeError> {
    let mut parsed = None;
    source.text(&mut |text| {
        parsed = Some(parse(text)?);
        Ok(())
    })?;
    parsed.ok_or_else(|| DecodeError::new("expected a string"))
}
