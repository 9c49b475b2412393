//! Runs the validators generated from `codegen/tests/fixtures/constraints.json` (whose emitted
//! code the `constraints` snapshot of azrm-codegen shows): exclusive bounds, `multipleOf`,
//! `uniqueItems`, `x-nullable: false`, and constraints on array items, nested arrays and map
//! values. Each case breaks one rule of an otherwise valid widget and expects the error to name
//! the field, the rule and the value.

use std::collections::BTreeMap;

use azrm_runtime::FieldPath;
use fixture_constraints::models::Widget;
use fixture_constraints::{
    Client, ErrorKind, RetryOptions, StaticTokenCredential, Validate, Validation,
};
use serde_json::{Value, json};

/// A widget every validator accepts, each constrained field set just inside its bounds.
fn valid() -> Widget {
    Widget {
        capacity: 1,
        ratio: Some(0.75),
        labels: Some(vec!["a".into(), "abcdefgh".into(), "c".into()]),
        limits: Some(BTreeMap::from([("low".into(), 1), ("high".into(), 10)])),
        grid: Some(vec![vec![5, -10], vec![], vec![0]]),
        settings: Some(json!({"mode": "fast"})),
        annotations: Some(BTreeMap::from([("owner".into(), json!("me"))])),
        comment: azrm_runtime::Nullable::Value(String::new()),
        ..Widget::new(1)
    }
}

/// Validates `valid()` changed by `change`: `Ok(())` or the error's message.
fn validate(change: impl FnOnce(&mut Widget)) -> Result<(), String> {
    let mut widget = valid();
    change(&mut widget);
    widget
        .validate(&FieldPath::root("widget"))
        .map_err(|error| error.to_string())
}

fn rejects(change: impl FnOnce(&mut Widget), message: &str) {
    assert_eq!(validate(change), Err(message.to_owned()));
}

#[test]
fn a_widget_within_every_bound_is_valid() {
    assert_eq!(validate(|_| {}), Ok(()));
    assert_eq!(validate(|w| w.capacity = 99), Ok(()));
    assert_eq!(validate(|w| w.ratio = Some(0.0)), Ok(()));
    // Absent optional fields are not checked; `x-nullable: true` (`comment`) constrains nothing.
    assert_eq!(validate(|w| *w = Widget::new(50)), Ok(()));
}

#[test]
fn exclusive_bounds_reject_the_bounds_themselves() {
    rejects(
        |w| w.capacity = 0,
        "invalid value 0 for `widget.capacity`: must be greater than 0",
    );
    rejects(
        |w| w.capacity = 100,
        "invalid value 100 for `widget.capacity`: must be less than 100",
    );
    rejects(
        |w| w.ratio = Some(1.0),
        "invalid value 1 for `widget.ratio`: must be less than 1",
    );
    rejects(
        |w| w.ratio = Some(-0.25),
        "invalid value -0.25 for `widget.ratio`: must be at least 0",
    );
}

#[test]
fn multiple_of_applies_to_numbers_and_nested_items() {
    rejects(
        |w| w.ratio = Some(0.3),
        "invalid value 0.3 for `widget.ratio`: must be a multiple of 0.25",
    );
    rejects(
        |w| w.grid = Some(vec![vec![5], vec![10, 7]]),
        "invalid value 7 for `widget.grid[1][1]`: must be a multiple of 5",
    );
}

#[test]
fn arrays_check_their_length_uniqueness_and_each_item() {
    rejects(
        |w| w.labels = Some(Vec::new()),
        "invalid value with 0 items for `widget.labels`: must have at least 1 items",
    );
    rejects(
        |w| w.labels = Some(vec!["a".into(), "b".into(), "a".into()]),
        "invalid value with item 2 equal to item 0 for `widget.labels`: must not repeat an item",
    );
    rejects(
        |w| w.labels = Some(vec!["a".into(), "Bad".into()]),
        "invalid value \"Bad\" for `widget.labels[1]`: must match the pattern `^[a-z]+$`",
    );
    rejects(
        |w| w.labels = Some(vec!["abcdefghi".into()]),
        "invalid value \"abcdefghi\" for `widget.labels[0]`: must be at most 8 characters long",
    );
    rejects(
        |w| w.grid = Some(vec![vec![5, 10, 15]]),
        "invalid value with 3 items for `widget.grid[0]`: must have at most 2 items",
    );
}

#[test]
fn map_values_are_checked_by_key() {
    rejects(
        |w| w.limits = Some(BTreeMap::from([("over".into(), 11)])),
        "invalid value 11 for `widget.limits[\"over\"]`: must be at most 10",
    );
    rejects(
        |w| w.limits = Some(BTreeMap::from([("under".into(), 0)])),
        "invalid value 0 for `widget.limits[\"under\"]`: must be at least 1",
    );
}

#[test]
fn not_nullable_values_reject_null() {
    rejects(
        |w| w.settings = Some(Value::Null),
        "invalid value null for `widget.settings`: must not be null",
    );
    rejects(
        |w| w.annotations = Some(BTreeMap::from([("gone".into(), Value::Null)])),
        "invalid value null for `widget.annotations[\"gone\"]`: must not be null",
    );
}

#[tokio::test]
async fn an_operation_rejects_an_invalid_body_before_sending() {
    // Nothing listens on the discard port: an attempt to send would fail differently.
    let client = Client::builder("00000000-0000-0000-0000-000000000000")
        .endpoint("https://127.0.0.1:9")
        .credential(StaticTokenCredential::new("token"))
        .build()
        .expect("client");
    let widget = Widget {
        capacity: 100,
        ..valid()
    };
    let error = client
        .widgets()
        .create_or_update("my-widget", &widget, None)
        .await
        .expect_err("capacity 100 is out of range");
    let ErrorKind::InvalidParameter(invalid) = error.kind() else {
        panic!("expected InvalidParameter, got {error:?}");
    };
    assert_eq!(invalid.target(), "widget.capacity");
}

#[tokio::test]
async fn relaxed_validation_sends_bodies_breaking_patterns_and_lengths_only() {
    // The body is validated before anything is sent; whatever passes meets the discard port
    // (nothing listens) and fails to connect, once.
    let relaxed = Client::builder("00000000-0000-0000-0000-000000000000")
        .endpoint("https://127.0.0.1:9")
        .credential(StaticTokenCredential::new("token"))
        .retry(RetryOptions::new().max_retries(0))
        .validation(Validation::Relaxed)
        .build()
        .expect("client");
    let send = |widget: Widget| {
        let client = relaxed.clone();
        async move {
            let error = client
                .widgets()
                .create_or_update("my-widget", &widget, None)
                .await
                .expect_err("nothing listens");
            error.kind().clone()
        }
    };
    for labels in [vec!["Bad".to_owned()], vec!["abcdefghi".to_owned()]] {
        let widget = Widget {
            labels: Some(labels),
            ..valid()
        };
        let kind = send(widget).await;
        assert!(matches!(kind, ErrorKind::Transport { .. }), "{kind:?}");
    }
    let out_of_range = Widget {
        capacity: 100,
        ..valid()
    };
    let kind = send(out_of_range).await;
    assert!(matches!(kind, ErrorKind::InvalidParameter(_)), "{kind:?}");
}
