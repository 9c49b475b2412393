//! Resource ids against a path template: the parsing and printing behind a generated crate's
//! typed ids (`ids::DatabaseAccountId` and the like), written once here.
//!
//! A template is an ARM path as the spec writes it, `/subscriptions/{subscriptionId}/...`: fixed
//! segments and `{name}` placeholders, one segment each. An id matches when it has as many
//! segments, every fixed segment equals the template's ignoring ASCII case (ARM gives back
//! `resourcegroups` or `Microsoft.DocumentDb` as readily as the spec's spelling), and every value
//! is non-empty and percent-decodes to UTF-8. Printing percent-encodes each value as a request
//! path does, so `parse(print(values)) == values` for any values.

use std::fmt;

use crate::error::{Error, ErrorKind};
use crate::request::{PathValue, fill_path};

/// A string that is not the id of the expected resource type, with what did not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceIdError {
    id: String,
    template: Option<&'static str>,
    mismatch: IdMismatch,
}

/// What did not match between an id and a resource type's template.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdMismatch {
    /// The id does not start with `/`.
    NotAbsolute,
    /// The id has another number of segments than the template.
    SegmentCount {
        /// The template's segments.
        expected: usize,
        /// The id's segments.
        found: usize,
    },
    /// A fixed segment differs (ignoring ASCII case).
    Segment {
        /// Its position, from 1 after the leading `/`.
        position: usize,
        /// The template's segment.
        expected: &'static str,
        /// The id's segment.
        found: String,
    },
    /// The value for a placeholder is empty.
    EmptyValue {
        /// The placeholder's name in the template.
        name: &'static str,
    },
    /// The value for a placeholder has a `%` that is not a percent-encoded byte, or its bytes
    /// are not UTF-8 once decoded.
    Encoding {
        /// The placeholder's name in the template.
        name: &'static str,
    },
    /// The id matches none of the resource types the crate knows.
    UnknownType,
}

impl ResourceIdError {
    /// The error for `id` against `template` (`None`: against every resource type).
    pub fn new(id: &str, template: Option<&'static str>, mismatch: IdMismatch) -> Self {
        Self {
            id: id.to_owned(),
            template,
            mismatch,
        }
    }

    /// The id that did not parse.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The template it was parsed against; `None` when no resource type matched.
    pub fn template(&self) -> Option<&'static str> {
        self.template
    }

    /// What did not match.
    pub fn mismatch(&self) -> &IdMismatch {
        &self.mismatch
    }
}

impl fmt::Display for ResourceIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(template) = self.template else {
            return write!(
                f,
                "`{}` is not the id of any resource type this crate knows",
                self.id
            );
        };
        write!(
            f,
            "`{}` is not a resource id of the form `{template}`: ",
            self.id
        )?;
        match &self.mismatch {
            IdMismatch::NotAbsolute => f.write_str("it does not start with `/`"),
            IdMismatch::SegmentCount { expected, found } => {
                write!(f, "it has {found} segments, not {expected}")
            }
            IdMismatch::Segment {
                position,
                expected,
                found,
            } => write!(f, "segment {position} is `{found}`, not `{expected}`"),
            IdMismatch::EmptyValue { name } => write!(f, "`{{{name}}}` is empty"),
            IdMismatch::Encoding { name } => write!(
                f,
                "`{{{name}}}` has a `%` that is not a percent-encoded byte, or is not UTF-8"
            ),
            IdMismatch::UnknownType => f.write_str("no resource type matches"),
        }
    }
}

impl std::error::Error for ResourceIdError {}

/// An id that does not parse, as the client's [`Error`] (kind [`ErrorKind::Other`], with the
/// [`ResourceIdError`] as its source), so that `?` works in code that returns [`Error`].
impl From<ResourceIdError> for Error {
    fn from(error: ResourceIdError) -> Self {
        Error::new(ErrorKind::Other(error.to_string())).with_source(error)
    }
}

/// The values of `template`'s placeholders in `id`, in order, decoded.
///
/// `N` is the number of placeholders, which generated code knows; a template with another number
/// is reported as a segment-count mismatch rather than a panic.
pub fn parse_resource_id<const N: usize>(
    id: &str,
    template: &'static str,
) -> Result<[String; N], ResourceIdError> {
    let values = parse_values(id, template)?;
    let found = values.len();
    values.try_into().map_err(|_| {
        ResourceIdError::new(
            id,
            Some(template),
            IdMismatch::SegmentCount { expected: N, found },
        )
    })
}

/// Writes `template` with `values` in its placeholders, each percent-encoded as one segment.
pub fn fmt_resource_id(f: &mut fmt::Formatter<'_>, template: &str, values: &[&str]) -> fmt::Result {
    let values: Vec<PathValue<'_>> = values
        .iter()
        .map(|value| PathValue::Segment(value))
        .collect();
    f.write_str(&fill_path(template, &values))
}

/// The part of [`parse_resource_id`] that does not depend on `N`, compiled once.
fn parse_values(id: &str, template: &'static str) -> Result<Vec<String>, ResourceIdError> {
    let error = |mismatch| ResourceIdError::new(id, Some(template), mismatch);
    let expected: Vec<&'static str> = segments(template).unwrap_or_default();
    let found: Vec<&str> = segments(id).ok_or_else(|| error(IdMismatch::NotAbsolute))?;
    if found.len() != expected.len() {
        return Err(error(IdMismatch::SegmentCount {
            expected: expected.len(),
            found: found.len(),
        }));
    }
    let mut values = Vec::new();
    for (index, (expected, found)) in expected.into_iter().zip(found).enumerate() {
        match placeholder(expected) {
            Some(name) if found.is_empty() => return Err(error(IdMismatch::EmptyValue { name })),
            Some(name) => values
                .push(percent_decode(found).ok_or_else(|| error(IdMismatch::Encoding { name }))?),
            None if expected.eq_ignore_ascii_case(found) => {}
            None => {
                return Err(error(IdMismatch::Segment {
                    position: index + 1,
                    expected,
                    found: found.to_owned(),
                }));
            }
        }
    }
    Ok(values)
}

/// The segments of an absolute path, `None` if it does not start with `/`.
fn segments(path: &str) -> Option<Vec<&str>> {
    Some(path.strip_prefix('/')?.split('/').collect())
}

/// The name of a `{name}` segment.
fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// `value` with each `%XX` replaced by its byte; `None` for a `%` without two hex digits after
/// it, or bytes that are not UTF-8.
fn percent_decode(value: &str) -> Option<String> {
    if !value.contains('%') {
        return Some(value.to_owned());
    }
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&byte, after)) = rest.split_first() {
        if byte == b'%' {
            let hex = std::str::from_utf8(after.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &after[2..];
        } else {
            bytes.push(byte);
            rest = after;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Widgets/widgets/{widgetName}";

    fn parse(id: &str) -> Result<[String; 3], ResourceIdError> {
        parse_resource_id(id, TEMPLATE)
    }

    struct Shown<'a>(&'a [&'a str]);

    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt_resource_id(f, TEMPLATE, self.0)
        }
    }

    fn mismatch(id: &str) -> IdMismatch {
        parse(id).unwrap_err().mismatch
    }

    #[test]
    fn an_id_that_does_not_parse_is_the_clients_error_with_the_parse_error_as_source() {
        let as_client_error = || -> Result<[String; 3], Error> { Ok(parse("/subscriptions/s")?) };
        let error = as_client_error().unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::Other(message) if message.contains("/subscriptions/s"))
        );
        let source = std::error::Error::source(&error).expect("a source");
        assert!(
            source.downcast_ref::<ResourceIdError>().is_some(),
            "{source:?}"
        );
    }

    #[test]
    fn fixed_segments_match_in_any_case_and_values_keep_theirs() {
        let values =
            parse("/SUBSCRIPTIONS/s/resourcegroups/My-RG/providers/microsoft.widgets/WIDGETS/W1");
        assert_eq!(values.unwrap(), ["s", "My-RG", "W1"]);
    }

    #[test]
    fn values_are_percent_decoded_and_printed_encoded() {
        let values = parse(
            "/subscriptions/s/resourceGroups/a%20b/providers/Microsoft.Widgets/widgets/%C3%A9%2F",
        )
        .unwrap();
        assert_eq!(values, ["s", "a b", "é/"]);
        let shown = Shown(&["s", "a b", "é/"]).to_string();
        assert_eq!(
            shown,
            "/subscriptions/s/resourceGroups/a%20b/providers/Microsoft.Widgets/widgets/%C3%A9%2F"
        );
    }

    #[test]
    fn each_mismatch_is_named() {
        assert_eq!(mismatch("subscriptions/s"), IdMismatch::NotAbsolute);
        assert_eq!(
            mismatch("/subscriptions/s/resourceGroups/rg"),
            IdMismatch::SegmentCount {
                expected: 8,
                found: 4
            }
        );
        assert_eq!(
            mismatch("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Widgets/gadgets/w"),
            IdMismatch::Segment {
                position: 7,
                expected: "widgets",
                found: "gadgets".into()
            }
        );
        assert_eq!(
            mismatch("/subscriptions/s/resourceGroups//providers/Microsoft.Widgets/widgets/w"),
            IdMismatch::EmptyValue {
                name: "resourceGroupName"
            }
        );
        for bad in ["%zz", "%4", "%FF"] {
            assert_eq!(
                mismatch(&format!(
                    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Widgets/widgets/{bad}"
                )),
                IdMismatch::Encoding { name: "widgetName" },
                "{bad}"
            );
        }
    }

    #[test]
    fn the_message_names_the_id_the_template_and_the_segment() {
        let error =
            parse("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Widgets/gadgets/w")
                .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "`/subscriptions/s/resourceGroups/rg/providers/Microsoft.Widgets/gadgets/w` is not a resource id of the form `{TEMPLATE}`: segment 7 is `gadgets`, not `widgets`"
            )
        );
    }

    #[test]
    fn a_placeholder_count_other_than_n_is_an_error() {
        let error = parse_resource_id::<2>(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Widgets/widgets/w",
            TEMPLATE,
        )
        .unwrap_err();
        assert_eq!(
            error.mismatch,
            IdMismatch::SegmentCount {
                expected: 2,
                found: 3
            }
        );
    }
}
