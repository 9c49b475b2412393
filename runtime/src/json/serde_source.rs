//! [`SerdeSource`]: a [`ValueSource`] over any serde `Deserializer`, so that [`Decode`] types read
//! `serde_json`'s parser (the client's path), a `serde_json::Value`, or any other format.
//!
//! Each object entry, array element and optional value is handed to the callback as a new
//! `SerdeSource` over the deserializer serde gives for it: sources never wrap sources, so there
//! is no extra layer per level of nesting, and each deserializer type instantiates this code
//! once for every model.
//!
//! [`Decode`]: super::Decode

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::DecodeError;
use super::decode::{EntryFn, TextFn, ValueSink, ValueSource};

/// A [`ValueSource`] reading one value from the serde deserializer `D`.
pub struct SerdeSource<'de, D: Deserializer<'de>> {
    deserializer: Option<D>,
    input: PhantomData<&'de ()>,
}

impl<'de, D: Deserializer<'de>> SerdeSource<'de, D> {
    /// The source of the value `deserializer` reads.
    pub fn new(deserializer: D) -> Self {
        Self {
            deserializer: Some(deserializer),
            input: PhantomData,
        }
    }

    fn take(&mut self) -> Result<D, DecodeError> {
        self.deserializer
            .take()
            .ok_or_else(|| DecodeError::new("the value was already read"))
    }

    /// Reads a `T` with its serde impl.
    fn read<T: Deserialize<'de>>(&mut self) -> Result<T, DecodeError> {
        T::deserialize(self.take()?).map_err(from_serde)
    }
}

/// A serde error (syntax, wrong type) as a decode error at the value being read.
fn from_serde(error: impl fmt::Display) -> DecodeError {
    DecodeError::new(error.to_string())
}

/// The callback's own error where it failed, else the deserializer's. Inlined: it runs for
/// every value decoded, and a call of its own cost 2.4% of the instructions of a list.
#[inline]
fn settle<T, E: fmt::Display>(
    result: Result<T, E>,
    failure: Option<DecodeError>,
) -> Result<T, DecodeError> {
    result.map_err(|error| failure.unwrap_or_else(|| from_serde(error)))
}

/// The error a visitor returns to serde after a callback failed; the callback's error itself
/// travels in the visitor's `failure` slot, with its path.
fn abandon<E: de::Error>() -> E {
    E::custom("decoding stopped")
}

impl<'de, D: Deserializer<'de>> ValueSource for SerdeSource<'de, D> {
    fn string(&mut self) -> Result<String, DecodeError> {
        self.read()
    }

    fn text(&mut self, text: &mut TextFn<'_>) -> Result<(), DecodeError> {
        let mut failure = None;
        let result = self.take()?.deserialize_str(TextVisitor {
            text,
            failure: &mut failure,
        });
        settle(result, failure)
    }

    fn boolean(&mut self) -> Result<bool, DecodeError> {
        self.read()
    }

    fn i32(&mut self) -> Result<i32, DecodeError> {
        self.read()
    }

    fn i64(&mut self) -> Result<i64, DecodeError> {
        self.read()
    }

    fn f64(&mut self) -> Result<f64, DecodeError> {
        self.read()
    }

    fn value(&mut self) -> Result<serde_json::Value, DecodeError> {
        self.read()
    }

    fn null(&mut self) -> Result<(), DecodeError> {
        self.read()
    }

    fn option(&mut self, some: &mut dyn ValueSink) -> Result<(), DecodeError> {
        let mut failure = None;
        let result = self.take()?.deserialize_option(OptionVisitor {
            some,
            failure: &mut failure,
        });
        settle(result, failure)
    }

    fn object(&mut self, expecting: &str, entry: &mut EntryFn<'_>) -> Result<(), DecodeError> {
        let mut failure = None;
        let result = self.take()?.deserialize_map(ObjectVisitor {
            expecting,
            entry,
            failure: &mut failure,
        });
        settle(result, failure)
    }

    fn array(&mut self, elements: &mut dyn ValueSink) -> Result<(), DecodeError> {
        let mut failure = None;
        let result = self.take()?.deserialize_seq(ArrayVisitor {
            elements,
            failure: &mut failure,
        });
        settle(result, failure)
    }
}

struct TextVisitor<'a, 'f> {
    text: &'a mut TextFn<'f>,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> Visitor<'de> for TextVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<(), E> {
        (self.text)(value).map_err(|error| {
            *self.failure = Some(error);
            abandon()
        })
    }
}

struct OptionVisitor<'a> {
    some: &'a mut dyn ValueSink,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> Visitor<'de> for OptionVisitor<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D2: Deserializer<'de>>(self, deserializer: D2) -> Result<(), D2::Error> {
        self.some
            .accept(&mut SerdeSource::new(deserializer))
            .map_err(|error| {
                *self.failure = Some(error);
                abandon()
            })
    }
}

struct ObjectVisitor<'a, 'f> {
    expecting: &'a str,
    entry: &'a mut EntryFn<'f>,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> Visitor<'de> for ObjectVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.expecting)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            map.next_value_seed(EntrySeed {
                key: &key,
                entry: &mut *self.entry,
                failure: &mut *self.failure,
            })?;
        }
        Ok(())
    }
}

/// The value of the object entry `key`, handed to the entry callback.
struct EntrySeed<'a, 'f> {
    key: &'a str,
    entry: &'a mut EntryFn<'f>,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> DeserializeSeed<'de> for EntrySeed<'_, '_> {
    type Value = ();

    fn deserialize<D2: Deserializer<'de>>(self, deserializer: D2) -> Result<(), D2::Error> {
        (self.entry)(self.key, &mut SerdeSource::new(deserializer)).map_err(|error| {
            *self.failure = Some(error.in_field(self.key));
            abandon()
        })
    }
}

struct ArrayVisitor<'a> {
    elements: &'a mut dyn ValueSink,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> Visitor<'de> for ArrayVisitor<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while seq
            .next_element_seed(ElementSeed {
                index,
                elements: &mut *self.elements,
                failure: &mut *self.failure,
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }
}

/// Array element `index`, handed to the element callback.
struct ElementSeed<'a> {
    index: usize,
    elements: &'a mut dyn ValueSink,
    failure: &'a mut Option<DecodeError>,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_> {
    type Value = ();

    fn deserialize<D2: Deserializer<'de>>(self, deserializer: D2) -> Result<(), D2::Error> {
        self.elements
            .accept(&mut SerdeSource::new(deserializer))
            .map_err(|error| {
                *self.failure = Some(error.in_element(self.index));
                abandon()
            })
    }
}

/// A property name, borrowed from the input where the deserializer allows it.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}
