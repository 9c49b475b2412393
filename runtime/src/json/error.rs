//! [`DecodeError`]: why a JSON value did not decode, and where in the document.

use std::fmt;

/// One step of the path to a value: an object's key or an array's index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// A JSON value that did not decode into its model: what was wrong and where.
///
/// The path is built as the error leaves each object and array, so decoding pays nothing for it
/// until something fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// From the innermost value outwards.
    segments: Vec<Segment>,
    message: String,
}

impl DecodeError {
    /// An error at the value being decoded.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            segments: Vec::new(),
            message: message.into(),
        }
    }

    /// A required property absent from the object `model`.
    pub fn missing_field(model: &str, name: &str) -> Self {
        Self::new(format!("missing field `{name}` of {model}"))
    }

    /// The same error, one object level further out: it happened under `key`.
    pub(crate) fn in_field(mut self, key: &str) -> Self {
        self.segments.push(Segment::Key(key.to_owned()));
        self
    }

    /// The same error, one array level further out: it happened at element `index`.
    pub(crate) fn in_element(mut self, index: usize) -> Self {
        self.segments.push(Segment::Index(index));
        self
    }

    /// Where decoding failed: keys joined by `.`, array indexes in `[]`, such as
    /// `value[3].properties.locations`; `.` for the document itself. A key that is empty or holds
    /// other characters than letters, digits, `_`, `-`, `$` and `@` is written as `["a.b"]`.
    pub fn path(&self) -> String {
        if self.segments.is_empty() {
            return ".".to_owned();
        }
        let mut path = String::new();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Key(key) if is_plain(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Segment::Key(key) => {
                    // Quoted, so that an empty key or one holding `.` or `[` stays readable.
                    path.push('[');
                    path.push_str(&serde_json::Value::from(key.as_str()).to_string());
                    path.push(']');
                }
                Segment::Index(index) => {
                    path.push('[');
                    path.push_str(&index.to_string());
                    path.push(']');
                }
            }
        }
        path
    }

    /// What was wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Whether `key` can stand in a path unquoted.
fn is_plain(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '@'))
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.message)
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_reads_from_the_document_inwards() {
        let error = DecodeError::new("bad")
            .in_field("locations")
            .in_field("properties")
            .in_element(3)
            .in_field("value");
        assert_eq!(error.path(), "value[3].properties.locations");
        assert_eq!(error.to_string(), "value[3].properties.locations: bad");
        assert_eq!(DecodeError::new("bad").path(), ".");
        assert_eq!(DecodeError::new("x").in_element(0).path(), "[0]");
        let odd = DecodeError::new("x")
            .in_field("")
            .in_field("a.b")
            .in_field("ok");
        assert_eq!(odd.path(), r#"ok["a.b"][""]"#);
    }
}
