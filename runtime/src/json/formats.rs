//! Primitives whose wire form differs from their Rust type: `format: date-time` (RFC 3339 text,
//! [`OffsetDateTime`]) and `format: byte` (base64 text, bytes). Generated code reads and writes
//! such properties through these wrappers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::decode::parse_text;
use super::{Decode, DecodeError, Encode, JsonWriter, ValueSource};

/// Parses RFC 3339, falling back to a date-time without offset (which some services send), read
/// as UTC.
pub fn parse_date_time(text: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339).or_else(|rfc_error| {
        OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339)
            .map_err(|_| format!("invalid RFC 3339 date-time {text:?}: {rfc_error}"))
    })
}

/// A `format: date-time` value as read.
#[derive(Debug)]
pub struct DateTimeValue(pub OffsetDateTime);

impl Decode for DateTimeValue {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        parse_text(source, |text| {
            parse_date_time(text).map_err(DecodeError::new)
        })
        .map(Self)
    }
}

/// A `format: date-time` value to write, as RFC 3339.
#[derive(Debug)]
pub struct DateTimeRef<'a>(pub &'a OffsetDateTime);

impl Encode for DateTimeRef<'_> {
    fn encode(&self, out: &mut JsonWriter) {
        match self.0.format(&Rfc3339) {
            Ok(text) => out.string(&text),
            // RFC 3339 has no form for years outside 0..=9999; the value is written as `time`
            // displays it rather than dropped.
            Err(_) => out.string(&self.0.to_string()),
        }
    }
}

/// A `format: byte` value as read (standard base64).
#[derive(Debug)]
pub struct Base64Value(pub Vec<u8>);

impl Decode for Base64Value {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        parse_text(source, |text| {
            STANDARD
                .decode(text.as_bytes())
                .map_err(|error| DecodeError::new(format!("invalid base64: {error}")))
        })
        .map(Self)
    }
}

/// A `format: byte` value to write, as standard base64.
#[derive(Debug)]
pub struct Base64Ref<'a>(pub &'a [u8]);

impl Encode for Base64Ref<'_> {
    fn encode(&self, out: &mut JsonWriter) {
        out.string(&STANDARD.encode(self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_read_rfc3339_and_offsetless_values() {
        let with_offset = parse_date_time("2022-02-02T10:20:30.1234567Z").unwrap();
        let without_offset = parse_date_time("2022-02-02T10:20:30.1234567").unwrap();
        assert_eq!(with_offset, without_offset);
        let error = parse_date_time("yesterday").unwrap_err();
        assert!(error.contains("\"yesterday\""), "{error}");
    }
}
