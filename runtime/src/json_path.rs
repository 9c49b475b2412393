//! [`path_at`]: where in a JSON document a position lies, as a path such as
//! `value[2].properties.resource.id`, to name where decoding stopped without tracking the path
//! during decoding (which costs throughput and a copy of the deserializer's code for every
//! model).

/// One open container while scanning.
enum Frame {
    /// An object and the key of the value being read, once its key is known.
    Object(Option<String>),
    /// An array and the index of the element being read.
    Array(usize),
}

/// The path of the value being read at `line` and `column` (1-based, as `serde_json` errors
/// report them) of `json`: keys joined by `.`, array indexes in `[]`, `.` for the top level. A
/// position just past a value's end (a missing field is reported at the closing `}` of its
/// object) names that value.
pub(crate) fn path_at(json: &[u8], line: usize, column: usize) -> String {
    let line_start = if line <= 1 {
        0
    } else {
        json.iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2)
            .map_or(json.len(), |(index, _)| index + 1)
    };
    let end = line_start.saturating_add(column).min(json.len());
    render(&frames_until(json, end))
}

/// The containers open after reading `json[..end]`.
fn frames_until(json: &[u8], end: usize) -> Vec<Frame> {
    let mut frames = Vec::new();
    let mut index = 0;
    while index < end {
        match json[index] {
            b'{' => frames.push(Frame::Object(None)),
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => {
                if let Some(Frame::Array(element)) = frames.last_mut() {
                    *element += 1;
                }
            }
            b'"' => {
                let close = string_end(json, index);
                let is_key = json[close.saturating_add(1).min(json.len())..]
                    .iter()
                    .find(|byte| !byte.is_ascii_whitespace())
                    == Some(&b':');
                if let (true, Some(Frame::Object(key))) = (is_key, frames.last_mut()) {
                    let raw = &json[index..(close + 1).min(json.len())];
                    *key = Some(
                        serde_json::from_slice::<String>(raw)
                            .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned()),
                    );
                }
                index = close;
            }
            _ => {}
        }
        index += 1;
    }
    frames
}

/// The index of the `"` closing the string whose opening `"` is at `start` (the last index when
/// the string is not closed).
fn string_end(json: &[u8], start: usize) -> usize {
    let mut index = start + 1;
    while index < json.len() {
        match json[index] {
            b'\\' => index += 2,
            b'"' => return index,
            _ => index += 1,
        }
    }
    json.len().saturating_sub(1)
}

/// `a.b[2].c`, or `.` for none.
fn render(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(element) => {
                path.push('[');
                path.push_str(&element.to_string());
                path.push(']');
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Resource {
        id: String,
        count: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Properties {
        resource: Resource,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct List {
        value: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        name: String,
        properties: Option<Properties>,
    }

    /// The path `path_at` names for the error of decoding `json` as a `List`.
    fn path_of(json: &str) -> String {
        let error = serde_json::from_str::<List>(json).unwrap_err();
        path_at(json.as_bytes(), error.line(), error.column())
    }

    #[test]
    fn a_wrong_type_names_its_field() {
        let json = r#"{"value": [{"name": "a"}, {"name": "b", "properties": {"resource": {"id": "x", "count": "many"}}}]}"#;
        assert_eq!(path_of(json), "value[1].properties.resource.count");
    }

    #[test]
    fn a_missing_field_names_its_object() {
        let json =
            "{\n  \"value\": [\n    {\"name\": \"a\", \"properties\": {\"resource\": {}}}\n  ]\n}";
        assert_eq!(path_of(json), "value[0].properties.resource");
    }

    #[test]
    fn keys_with_escapes_commas_and_brackets_in_strings_do_not_confuse_it() {
        let json = r#"{"value": [{"name": "a,]}[{", "x\"y": [1, 2], "properties": {"resource": {"id": 5}}}]}"#;
        assert_eq!(path_of(json), "value[0].properties.resource.id");
    }

    #[test]
    fn trailing_characters_and_the_top_level_are_the_root() {
        let json = r#"{"value": []} x"#;
        assert_eq!(path_of(json), ".");
        assert_eq!(path_of("7"), ".");
    }
}
