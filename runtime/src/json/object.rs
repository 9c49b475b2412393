//! [`decode_object`]: a generated struct's object read entry by entry, its required properties
//! checked here, once, so that the struct's own decoder is a `match` from wire name to the field
//! it decodes in place.
//!
//! Checking required properties is the same work for every model; doing it in one non-generic
//! function keeps it out of the code compiled per model.

use std::collections::BTreeMap;

use super::{Decode, DecodeError, EntryFn, ValueSink, ValueSource};
use crate::Nullable;

/// What [`decode_object`] needs to know of a generated struct besides its fields.
#[derive(Debug, Clone, Copy)]
pub struct Properties {
    /// The struct's name in the spec, for the error naming a missing property.
    pub model: &'static str,
    /// What a value of another type was expected to be, e.g. `a Widget object`.
    pub expecting: &'static str,
    /// The wire names of its required properties.
    pub required: &'static [&'static str],
}

/// Reads an object described by `properties`, handing each entry to `entry`; then fails, naming
/// it, if a required property was missing.
pub fn decode_object(
    source: &mut dyn ValueSource,
    properties: &Properties,
    entry: &mut EntryFn<'_>,
) -> Result<(), DecodeError> {
    if properties.required.is_empty() {
        return source.object(properties.expecting, entry);
    }
    let mut seen = Seen::new(properties.required.len());
    source.object(properties.expecting, &mut |key, value| {
        if let Some(number) = properties.required.iter().position(|name| *name == key) {
            seen.mark(number);
        }
        entry(key, value)
    })?;
    match seen.first_missing() {
        Some(number) => Err(DecodeError::missing_field(
            properties.model,
            properties.required[number],
        )),
        None => Ok(()),
    }
}

/// Decodes `source` into `slot`, replacing its value. Kept out of line, so that each field's arm
/// in a model's decoder is a call rather than a copy of the decode, move and drop.
#[inline(never)]
pub fn decode_into<T: Decode>(
    slot: &mut T,
    source: &mut dyn ValueSource,
) -> Result<(), DecodeError> {
    *slot = T::decode(source)?;
    Ok(())
}

/// Decodes `source` into `slot` as present: a required property held in an `Option` until the
/// whole object is read. A repeated key keeps its last value.
pub fn decode_some<T: Decode>(
    slot: &mut Option<T>,
    source: &mut dyn ValueSource,
) -> Result<(), DecodeError> {
    *slot = None;
    slot.accept(source)
}

/// Decodes `source` into the optional property `slot`: `null` is `None`.
pub fn decode_optional<T: Decode>(
    slot: &mut Option<T>,
    source: &mut dyn ValueSource,
) -> Result<(), DecodeError> {
    *slot = None;
    source.option(slot)
}

/// Decodes `source` into the property `slot` that may be `null` (a `PATCH` body's, or
/// `x-nullable: true`): `null` is [`Nullable::Null`], any other value [`Nullable::Value`].
pub fn decode_nullable<T: Decode>(
    slot: &mut Nullable<T>,
    source: &mut dyn ValueSource,
) -> Result<(), DecodeError> {
    let mut decoded = None;
    source.option(&mut decoded)?;
    *slot = Nullable::from(decoded);
    Ok(())
}

/// Decodes `source` as the entry `key` of `map`: a property the struct does not describe, kept
/// with the others. A repeated key keeps its last value.
pub fn decode_entry<T: Decode>(
    map: &mut BTreeMap<String, T>,
    key: &str,
    source: &mut dyn ValueSource,
) -> Result<(), DecodeError> {
    map.insert(key.to_owned(), T::decode(source)?);
    Ok(())
}

/// Which of the required properties were seen, by their index in [`Properties::required`]: bits
/// of one word, more words only for a struct with more than 64 required properties.
struct Seen {
    required: usize,
    words: Vec<u64>,
    first: u64,
}

impl Seen {
    fn new(required: usize) -> Self {
        let extra_words = required.saturating_sub(1) / 64;
        Self {
            required,
            words: vec![0; extra_words],
            first: 0,
        }
    }

    fn mark(&mut self, number: usize) {
        let bit = 1 << (number % 64);
        match number / 64 {
            0 => self.first |= bit,
            word => self.words[word - 1] |= bit,
        }
    }

    fn is_marked(&self, number: usize) -> bool {
        let word = match number / 64 {
            0 => self.first,
            word => self.words[word - 1],
        };
        word & (1 << (number % 64)) != 0
    }

    fn first_missing(&self) -> Option<usize> {
        (0..self.required).find(|&number| !self.is_marked(number))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::from_slice;

    /// A struct of 70 required integers `p0`..`p69` (more than one word of `Seen`), decoded
    /// into a `Vec` by the number in the name.
    struct Wide(Vec<i32>);

    impl Decode for Wide {
        fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
            let names: Vec<&'static str> = (0..70)
                .map(|number| &*Box::leak(format!("p{number}").into_boxed_str()))
                .collect();
            let properties = Properties {
                model: "Wide",
                expecting: "a Wide object",
                required: Box::leak(names.into_boxed_slice()),
            };
            let mut values = vec![0; 70];
            decode_object(source, &properties, &mut |key, value| match key
                .strip_prefix('p')
                .and_then(|number| number.parse::<usize>().ok())
            {
                Some(number) if number < 70 => decode_into(&mut values[number], value),
                _ => Err(DecodeError::new(format!("unexpected {key}"))),
            })?;
            Ok(Self(values))
        }
    }

    fn wide_json(skip: Option<usize>) -> String {
        let entries: Vec<String> = (0..70)
            .filter(|&number| Some(number) != skip)
            .map(|number| format!("\"p{number}\": {number}"))
            .collect();
        format!("{{{}}}", entries.join(", "))
    }

    #[test]
    fn every_required_property_is_checked_past_the_first_word() {
        let all = from_slice::<Wide>(wide_json(None).as_bytes()).unwrap();
        assert_eq!(all.0, (0..70).collect::<Vec<_>>());
        for missing in [0, 63, 64, 69] {
            let error = from_slice::<Wide>(wide_json(Some(missing)).as_bytes())
                .err()
                .unwrap();
            assert_eq!(
                error.message(),
                format!("missing field `p{missing}` of Wide"),
            );
        }
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value_and_unknown_keys_reach_the_callback() {
        let mut extras = BTreeMap::new();
        let mut first = 0;
        let properties = Properties {
            model: "Pair",
            expecting: "a Pair object",
            required: &["first"],
        };
        let json = br#"{"first": 1, "other": true, "first": 2}"#;
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        decode_object(
            &mut crate::json::SerdeSource::new(&mut deserializer),
            &properties,
            &mut |key, value| match key {
                "first" => decode_into(&mut first, value),
                _ => decode_entry(&mut extras, key, value),
            },
        )
        .unwrap();
        assert_eq!(first, 2);
        assert_eq!(
            extras,
            BTreeMap::from([("other".to_owned(), serde_json::Value::Bool(true))])
        );
    }
}
