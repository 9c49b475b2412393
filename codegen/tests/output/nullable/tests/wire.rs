//! The wire form of properties that may be `null`, generated from
//! `codegen/tests/fixtures/nullable.json`: a merge-patch `PATCH` body (`WidgetUpdate`, with the
//! flattened `WidgetUpdateProperties`) and an `x-nullable: true` property of a response
//! (`Widget.note`). `Nullable::Null` is written as `null`, `Absent` is left out, and `null` read
//! from the service is `Null`; a model the patch shares with responses (`Settings`) keeps
//! `Option` fields, and read-only and required properties are never `null`.

use azrm_runtime::json;
use fixture_nullable::Nullable;
use fixture_nullable::models::{Settings, Widget, WidgetUpdate, WidgetUpdateProperties};
use serde_json::{Value, json};

fn body(update: &WidgetUpdate) -> Value {
    serde_json::from_slice(&json::to_request_body(update)).unwrap()
}

fn check(update: WidgetUpdate, expected: Value) {
    assert_eq!(body(&update), expected);
}

#[test]
fn absent_properties_stay_out_of_the_body() {
    check(WidgetUpdate::new(3), json!({"revision": 3}));
}

#[test]
fn cleared_properties_are_sent_as_null() {
    check(
        WidgetUpdate::new(3).clear_tags(),
        json!({"revision": 3, "tags": null}),
    );
    check(
        WidgetUpdate::new(3).clear_properties(),
        json!({"revision": 3, "properties": null}),
    );
}

#[test]
fn setters_through_the_flattened_properties_clear_inside_them() {
    check(
        WidgetUpdate::new(3)
            .with_label("blue")
            .clear_expires_at()
            .clear_settings(),
        json!({"revision": 3, "properties": {"label": "blue", "expiresAt": null, "settings": null}}),
    );
}

#[test]
fn a_value_in_a_wire_format_is_sent_in_it() {
    let at = time::OffsetDateTime::parse(
        "2026-01-02T03:04:05Z",
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    check(
        WidgetUpdate::new(3).with_expires_at(at),
        json!({"revision": 3, "properties": {"expiresAt": "2026-01-02T03:04:05Z"}}),
    );
}

#[test]
fn null_from_the_service_decodes_as_null_and_goes_back_unchanged() {
    let update: WidgetUpdate = json::from_slice(
        br#"{"revision": 1, "tags": null, "properties": {"label": null, "expiresAt": null}}"#,
    )
    .unwrap();
    assert!(update.tags.is_null());
    let properties = update.properties.value().unwrap();
    assert_eq!(properties.label, Nullable::Null);
    assert_eq!(properties.expires_at, Nullable::Null);
    assert!(properties.settings.is_absent());
    assert_eq!(
        body(&update),
        json!({"revision": 1, "tags": null, "properties": {"label": null, "expiresAt": null}})
    );
}

#[test]
fn x_nullable_properties_of_responses_keep_null() {
    let widget: Widget = json::from_slice(br#"{"id": "w", "note": null, "label": null}"#).unwrap();
    assert_eq!(widget.note, Nullable::Null);
    // An ordinary optional property reads `null` as `None`, and is left out when sent back.
    assert_eq!(widget.label, None);
    assert_eq!(
        serde_json::from_slice::<Value>(&json::to_vec(&widget)).unwrap(),
        json!({"id": "w", "note": null})
    );
}

#[test]
fn only_properties_that_may_be_null_are_nullable() {
    // Shared with responses: `Option`, so `None` is left out and `null` cannot be sent.
    let settings = Settings::default().with_size(2);
    assert_eq!(settings.color, None);
    // Read-only: never sent, so an `Option` too.
    let properties = WidgetUpdateProperties::default();
    assert_eq!(properties.etag, None);
}
