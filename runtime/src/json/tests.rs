//! The codec against what the generator emits for a model, and against `serde_json`.

use std::collections::BTreeMap;

use serde_json::json;
use time::OffsetDateTime;

use super::*;

/// What the generator emits for a model with a required name, an optional date-time, bytes, a
/// read-only id, a list of children and unknown properties.
#[derive(Debug, Default, Clone, PartialEq)]
struct Widget {
    name: String,
    created: Option<OffsetDateTime>,
    blob: Option<Vec<u8>>,
    id: Option<String>,
    children: Option<Vec<Widget>>,
    additional_properties: BTreeMap<String, serde_json::Value>,
}

impl Decode for Widget {
    fn decode(source: &mut dyn ValueSource) -> Result<Self, DecodeError> {
        const PROPERTIES: Properties = Properties {
            model: "Widget",
            expecting: "struct Widget",
            required: &["name"],
        };
        let mut this = Self::default();
        decode_object(source, &PROPERTIES, &mut |key, value| match key {
            "name" => decode_into(&mut this.name, value),
            "created" => {
                this.created = Option::<DateTimeValue>::decode(value)?.map(|v| v.0);
                Ok(())
            }
            "blob" => {
                this.blob = Option::<Base64Value>::decode(value)?.map(|v| v.0);
                Ok(())
            }
            "id" => decode_optional(&mut this.id, value),
            "children" => decode_optional(&mut this.children, value),
            _ => decode_entry(&mut this.additional_properties, key, value),
        })?;
        Ok(this)
    }
}

impl Encode for Widget {
    fn encode(&self, out: &mut JsonWriter) {
        let mut object = out.object();
        object.field("name", &self.name);
        if let Some(value) = &self.created {
            object.field("created", &DateTimeRef(value));
        }
        if let Some(value) = &self.blob {
            object.field("blob", &Base64Ref(value));
        }
        object.read_only("id", &self.id);
        object.optional("children", &self.children);
        object.entries(&self.additional_properties);
        object.end();
    }
}

impl serde::Serialize for Widget {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(self, serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Widget {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize(deserializer)
    }
}

const TEXT: &str = r#"{"name":"w","created":"2024-01-02T03:04:05Z","blob":"AQI=","id":"/x","children":[{"name":"c","extra":null}],"extra":{"a":[1,2.5,"\u00e9\n"]}}"#;

#[test]
fn fields_formats_children_and_unknown_properties_round_trip() {
    let widget: Widget = from_slice(TEXT.as_bytes()).unwrap();
    assert_eq!(widget.name, "w");
    assert_eq!(widget.blob.as_deref(), Some(&[1u8, 2][..]));
    assert_eq!(widget.id.as_deref(), Some("/x"));
    assert_eq!(widget.children.as_ref().unwrap()[0].name, "c");
    assert_eq!(
        widget.children.as_ref().unwrap()[0].additional_properties["extra"],
        serde_json::Value::Null
    );
    assert_eq!(widget.additional_properties["extra"]["a"][2], "é\n");
    // Byte for byte what serde_json writes for the same document.
    let expected = serde_json::to_vec(&serde_json::from_str::<serde_json::Value>(TEXT).unwrap());
    assert_eq!(to_vec(&widget), expected.unwrap());
}

#[test]
fn request_bodies_leave_read_only_properties_out() {
    let widget: Widget = from_slice(TEXT.as_bytes()).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&to_request_body(&widget)).unwrap();
    assert_eq!(body.get("id"), None);
    assert_eq!(body["name"], "w");
    let all: serde_json::Value = serde_json::from_slice(&to_vec(&widget)).unwrap();
    assert_eq!(all["id"], "/x");
}

#[test]
fn declared_only_leaves_unknown_properties_out_but_keeps_maps() {
    let widget: Widget = from_slice(TEXT.as_bytes()).unwrap();
    let map = BTreeMap::from([("key".to_owned(), widget)]);
    let mut out = JsonWriter::declared_only();
    map.encode(&mut out);
    let declared: serde_json::Value = serde_json::from_slice(&out.into_bytes()).unwrap();
    assert_eq!(declared["key"]["id"], "/x");
    assert_eq!(declared["key"].get("extra"), None);
    assert_eq!(declared["key"]["children"], json!([{"name": "c"}]));
}

#[test]
fn nulls_are_none_and_a_missing_required_property_is_named_with_its_path() {
    let widget: Widget = from_slice(br#"{"name":"w","created":null,"children":null}"#).unwrap();
    assert_eq!((widget.created, widget.children), (None, None));
    let error =
        from_slice::<Widget>(br#"{"name":"w","children":[{"name":"a"},{"id":"b"}]}"#).unwrap_err();
    assert_eq!(error.path(), "children[1]");
    assert_eq!(error.message(), "missing field `name` of Widget");
}

#[test]
fn wrong_types_bad_formats_and_syntax_errors_name_the_value() {
    let cases: [(&[u8], &str, &str); 6] = [
        (
            br#"{"name":5}"#,
            "name",
            "invalid type: integer `5`, expected a string",
        ),
        (
            br#"{"name":"w","created":"soon"}"#,
            "created",
            "invalid RFC 3339",
        ),
        (br#"{"name":"w","blob":"%"}"#, "blob", "invalid base64"),
        (
            br#"{"name":"w","children":[{"name":"c","x":tru}]}"#,
            "children[0].x",
            "expected ident",
        ),
        (b"[1]", ".", "expected struct Widget"),
        (br#"{"name":"w"} x"#, ".", "trailing characters"),
    ];
    for (json, path, message) in cases {
        let error = from_slice::<Widget>(json).unwrap_err();
        assert_eq!(error.path(), path, "{error}");
        assert!(error.message().contains(message), "{error}");
    }
}

#[test]
fn integers_out_of_range_are_errors() {
    let error = from_slice::<i32>(b"2147483648").unwrap_err();
    assert!(error.message().contains("expected i32"), "{error}");
    assert_eq!(
        from_slice::<i64>(b"-9223372036854775808").unwrap(),
        i64::MIN
    );
    assert_eq!(from_slice::<f64>(b"3").unwrap(), 3.0);
}

#[test]
fn a_repeated_key_keeps_its_last_value() {
    let widget: Widget = from_slice(br#"{"name":"a","name":"b"}"#).unwrap();
    assert_eq!(widget.name, "b");
}

#[test]
fn a_repeated_key_of_a_property_held_in_an_option_keeps_its_last_value() {
    let json = br#"{"required": 1, "optional": 2, "required": 3, "optional": 4}"#;
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let (mut required, mut optional) = (None, None);
    SerdeSource::new(&mut deserializer)
        .object("a pair", &mut |key, value| match key {
            "required" => decode_some(&mut required, value),
            _ => decode_optional(&mut optional, value),
        })
        .unwrap();
    assert_eq!((required, optional), (Some(3), Some(4)));
}

#[test]
fn an_option_takes_one_value_and_refuses_a_second() {
    let mut place = None;
    place.accept(&mut SerdeSource::new(json!(1))).unwrap();
    assert_eq!(place, Some(1));
    let error = place.accept(&mut SerdeSource::new(json!(2))).unwrap_err();
    assert_eq!(
        error.message(),
        "decoded into an `Option` that already holds a value"
    );
    assert_eq!(place, Some(1));
}

#[test]
fn values_and_other_deserializers_decode_the_same() {
    let value: serde_json::Value = serde_json::from_str(TEXT).unwrap();
    let from_bytes: Widget = from_slice(TEXT.as_bytes()).unwrap();
    assert_eq!(from_value::<Widget>(value.clone()).unwrap(), from_bytes);
    // serde's traits, as users see them.
    let through_serde: Widget = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(through_serde, from_bytes);
    assert_eq!(serde_json::to_value(&from_bytes).unwrap(), value);
    let error = serde_json::from_value::<Widget>(json!({"name": "w", "children": [{}]}))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("children[0]: missing field `name`"),
        "{error}"
    );
}

#[test]
fn primitives_encode_as_serde_json_does() {
    let cases = [
        json!("quote \" backslash \\ control \u{1} unicode ✓"),
        json!(1.0e21),
        json!(0.1),
        json!(-0.0),
        json!(i64::MIN),
        json!(u64::MAX),
        json!({"nested": [true, false, null, {}]}),
    ];
    for value in cases {
        assert_eq!(
            to_vec(&value),
            serde_json::to_vec(&value).unwrap(),
            "{value}"
        );
    }
    assert_eq!(to_vec(&f64::NAN), b"null");
    assert_eq!(to_vec(&Some(3i32)), b"3");
    assert_eq!(to_vec(&None::<i32>), b"null");
    let uuid = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
    assert_eq!(to_vec(&uuid), serde_json::to_vec(&uuid).unwrap());
    assert_eq!(from_slice::<uuid::Uuid>(&to_vec(&uuid)).unwrap(), uuid);
}

#[test]
fn maps_and_lists_of_models_round_trip() {
    let mut map = BTreeMap::new();
    map.insert("k".to_owned(), vec![Widget::default()]);
    let json = to_vec(&map);
    assert_eq!(json, br#"{"k":[{"name":""}]}"#);
    assert_eq!(
        from_slice::<BTreeMap<String, Vec<Widget>>>(&json).unwrap(),
        map
    );
    let error = from_slice::<BTreeMap<String, Vec<Widget>>>(br#"{"k":[{"name":1}]}"#).unwrap_err();
    assert_eq!(error.path(), "k[0].name");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let mut json = "[".repeat(10_000);
    json.push_str(&"]".repeat(10_000));
    let error = from_slice::<serde_json::Value>(json.as_bytes()).unwrap_err();
    assert!(error.message().contains("recursion limit"), "{error}");
    let mut nested = r#"{"name":"a","children":["#.repeat(2_000);
    nested.push_str(&"]}".repeat(2_000));
    let error = from_slice::<Widget>(nested.as_bytes()).unwrap_err();
    assert!(error.message().contains("recursion limit"), "{error}");
}

#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Periodic,
    Continuous,
    Unlisted(crate::UnlistedValue),
}

#[derive(Debug, PartialEq)]
struct Kind(String);

impl From<&str> for Kind {
    fn from(text: &str) -> Self {
        Self(text.to_owned())
    }
}

#[test]
fn closed_enums_keep_unlisted_values_and_extensible_ones_keep_any() {
    let values = [
        ("Periodic", Mode::Periodic),
        ("Continuous", Mode::Continuous),
    ];
    let read = |json: &str| {
        closed_enum(
            &mut SerdeSource::new(&mut serde_json::Deserializer::from_str(json)),
            &values,
            Mode::Unlisted,
        )
    };
    assert_eq!(read(r#""Continuous""#).unwrap(), Mode::Continuous);
    let Mode::Unlisted(unlisted) = read(r#""Hourly""#).unwrap() else {
        panic!("an unlisted value decodes as such");
    };
    assert_eq!(unlisted.as_str(), "Hourly");
    assert_eq!(format!("{unlisted:?} {unlisted}"), r#""Hourly" Hourly"#);
    assert!(
        read("1")
            .unwrap_err()
            .message()
            .contains("expected a string")
    );
    let kind: Kind = extensible_enum(&mut SerdeSource::new(
        &mut serde_json::Deserializer::from_str(r#""New\u0041""#),
    ))
    .unwrap();
    assert_eq!(kind, Kind("NewA".to_owned()));
}
