//! [`Encode`]: how a type writes itself as JSON, into a [`JsonWriter`]: plain method calls, no
//! generic serializer, so a model's encoder is compiled once.

use std::collections::BTreeMap;

use crate::Nullable;

/// A type that writes itself as one JSON value. Generated models implement it; the client encodes
/// request bodies with it.
pub trait Encode {
    /// Writes this value to `out`.
    fn encode(&self, out: &mut JsonWriter);
}

/// JSON text being written. [`JsonWriter::request_body`] makes one for a request body, which
/// leaves out read-only properties (the service sets them and some services reject them).
#[derive(Debug, Default)]
pub struct JsonWriter {
    bytes: Vec<u8>,
    request_body: bool,
    declared_only: bool,
}

impl JsonWriter {
    /// A writer that keeps every property, read-only ones included.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer for a request body: read-only properties are left out.
    pub fn request_body() -> Self {
        Self {
            request_body: true,
            ..Self::default()
        }
    }

    /// A writer that leaves out the properties models keep aside because their spec does not
    /// describe them ([`ObjectWriter::entries`]): what remains is what the spec declares. Tests
    /// use it to check that each declared property decoded into its own field.
    pub fn declared_only() -> Self {
        Self {
            declared_only: true,
            ..Self::default()
        }
    }

    /// Whether this writes a request body, without read-only properties.
    pub fn is_request_body(&self) -> bool {
        self.request_body
    }

    /// The JSON written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// Writes a string, escaped as `serde_json` escapes it.
    pub fn string(&mut self, value: &str) {
        self.serde(value);
    }

    /// Writes `true` or `false`.
    pub fn boolean(&mut self, value: bool) {
        self.bytes
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    /// Writes an integer.
    pub fn i64(&mut self, value: i64) {
        self.serde(&value);
    }

    /// Writes a number as `serde_json` does: shortest round-trip form, `null` if not finite.
    pub fn f64(&mut self, value: f64) {
        self.serde(&value);
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.bytes.extend_from_slice(b"null");
    }

    /// Writes any JSON value.
    pub fn value(&mut self, value: &serde_json::Value) {
        self.serde(value);
    }

    /// Starts an object; write its properties with [`ObjectWriter::field`], then
    /// [`ObjectWriter::end`] it.
    pub fn object(&mut self) -> ObjectWriter<'_> {
        self.bytes.push(b'{');
        ObjectWriter {
            out: self,
            empty: true,
        }
    }

    /// Starts an array; write its elements with [`ArrayWriter::element`], then
    /// [`ArrayWriter::end`] it.
    pub fn array(&mut self) -> ArrayWriter<'_> {
        self.bytes.push(b'[');
        ArrayWriter {
            out: self,
            empty: true,
        }
    }

    /// Writes a primitive or a `serde_json::Value` with `serde_json`, which cannot fail for
    /// these types into a `Vec`.
    fn serde<T: serde::Serialize + ?Sized>(&mut self, value: &T) {
        // A `Vec<u8>` writer cannot fail, and strings, numbers and `Value`s always serialize.
        let _ = serde_json::to_writer(&mut self.bytes, value);
    }
}

/// An array being written by [`JsonWriter::array`].
#[derive(Debug)]
pub struct ArrayWriter<'a> {
    out: &'a mut JsonWriter,
    empty: bool,
}

impl ArrayWriter<'_> {
    /// Writes the next element.
    pub fn element(&mut self, value: &dyn Encode) {
        if !self.empty {
            self.out.bytes.push(b',');
        }
        self.empty = false;
        value.encode(self.out);
    }

    /// Closes the array.
    pub fn end(self) {
        self.out.bytes.push(b']');
    }
}

/// An object being written by [`JsonWriter::object`].
#[derive(Debug)]
pub struct ObjectWriter<'a> {
    out: &'a mut JsonWriter,
    empty: bool,
}

impl ObjectWriter<'_> {
    /// Writes the property `name` with `value`.
    pub fn field(&mut self, name: &str, value: &dyn Encode) {
        if !self.empty {
            self.out.bytes.push(b',');
        }
        self.empty = false;
        self.out.string(name);
        self.out.bytes.push(b':');
        value.encode(self.out);
    }

    /// Writes the property `name` if `value` is present.
    pub fn optional<T: Encode>(&mut self, name: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// Writes the property `name` that may be `null`: left out when absent, `null` when null.
    pub fn nullable<T: Encode>(&mut self, name: &str, value: &Nullable<T>) {
        match value {
            Nullable::Absent => {}
            Nullable::Null => self.field(name, &()),
            Nullable::Value(value) => self.field(name, value),
        }
    }

    /// Writes the read-only property `name` if `value` is present and this is not a request
    /// body.
    pub fn read_only<T: Encode>(&mut self, name: &str, value: &Option<T>) {
        if !self.out.request_body {
            self.optional(name, value);
        }
    }

    /// Writes each entry of `map` as a property: the properties a model does not describe
    /// (none with [`JsonWriter::declared_only`]).
    pub fn entries<T: Encode>(&mut self, map: &BTreeMap<String, T>) {
        if !self.out.declared_only {
            self.fields(map);
        }
    }

    /// Writes each entry of `map` as a property.
    fn fields<T: Encode>(&mut self, map: &BTreeMap<String, T>) {
        for (name, value) in map {
            self.field(name, value);
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.bytes.push(b'}');
    }
}

impl Encode for str {
    fn encode(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl Encode for String {
    fn encode(&self, out: &mut JsonWriter) {
        out.string(self);
    }
}

impl Encode for bool {
    fn encode(&self, out: &mut JsonWriter) {
        out.boolean(*self);
    }
}

impl Encode for i32 {
    fn encode(&self, out: &mut JsonWriter) {
        out.i64(i64::from(*self));
    }
}

impl Encode for i64 {
    fn encode(&self, out: &mut JsonWriter) {
        out.i64(*self);
    }
}

impl Encode for f64 {
    fn encode(&self, out: &mut JsonWriter) {
        out.f64(*self);
    }
}

impl Encode for serde_json::Value {
    fn encode(&self, out: &mut JsonWriter) {
        out.value(self);
    }
}

impl Encode for serde_json::Map<String, serde_json::Value> {
    fn encode(&self, out: &mut JsonWriter) {
        out.serde(self);
    }
}

/// `null`.
impl Encode for () {
    fn encode(&self, out: &mut JsonWriter) {
        out.null();
    }
}

impl Encode for uuid::Uuid {
    fn encode(&self, out: &mut JsonWriter) {
        let mut buffer = uuid::Uuid::encode_buffer();
        out.string(self.hyphenated().encode_lower(&mut buffer));
    }
}

impl Encode for crate::Secret {
    fn encode(&self, out: &mut JsonWriter) {
        out.string(self.expose());
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self, out: &mut JsonWriter) {
        (**self).encode(out);
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    fn encode(&self, out: &mut JsonWriter) {
        (**self).encode(out);
    }
}

/// `None` is `null`; model properties that are absent are left out instead.
impl<T: Encode> Encode for Option<T> {
    fn encode(&self, out: &mut JsonWriter) {
        match self {
            Some(value) => value.encode(out),
            None => out.null(),
        }
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self, out: &mut JsonWriter) {
        let mut array = out.array();
        for item in self {
            array.element(item);
        }
        array.end();
    }
}

impl<T: Encode> Encode for BTreeMap<String, T> {
    fn encode(&self, out: &mut JsonWriter) {
        let mut object = out.object();
        object.fields(self);
        object.end();
    }
}
