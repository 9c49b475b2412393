//! The API change report on a fixture pair with one edit per rule: each change is found and
//! classified, and the Markdown is snapshotted.

use std::path::PathBuf;

use arm_codegen::diff::{ApiDiff, diff};
use arm_codegen::read_api;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/diff/{name}.json"))
}

fn report() -> ApiDiff {
    let old = read_api(&[fixture("old")]).unwrap_or_else(|e| panic!("{e}"));
    let new = read_api(&[fixture("new")]).unwrap_or_else(|e| panic!("{e}"));
    diff(&old, &new)
}

fn find(report: &ApiDiff, subject: &str, detail: &str) -> bool {
    report
        .changes
        .iter()
        .find(|c| c.subject.contains(subject) && c.detail.contains(detail))
        .map(|c| c.breaking)
        .unwrap_or_else(|| {
            panic!(
                "no change `{subject}` / `{detail}` in\n{}",
                report.to_markdown()
            )
        })
}

#[test]
fn every_edit_is_reported_and_classified() {
    let report = report();
    assert_eq!(
        (report.old_version.as_str(), report.new_version.as_str()),
        ("2024-01-01", "2025-01-01")
    );
    for (subject, detail, breaking) in [
        ("operation `Widgets_Restart`", "removed", true),
        ("operation `Widgets_Stop`", "added", false),
        ("operation `Widgets_Delete`", "now long-running", true),
        (
            "operation `Widgets_Get`",
            "optional parameter `$expand` added",
            false,
        ),
        (
            "operation `Widgets_List`",
            "required parameter `x-ms-region` added",
            true,
        ),
        ("field `legacy`", "removed", true),
        ("field `weight`", "added", false),
        ("field `color`", "is now required", true),
        ("field `size`", "maximum is now 200 (was 100)", false),
        ("enum `Color`", "value `green` added", false),
        ("enum `Shape`", "value `oval` added", true),
        ("model `Gadget`", "removed", true),
        ("model `Sprocket`", "added", false),
        ("`", "maxLength is now 40 (was 50)", true),
    ] {
        assert_eq!(
            find(&report, subject, detail),
            breaking,
            "{subject}: {detail}"
        );
    }
    assert!(report.is_breaking());
    insta::assert_snapshot!("api_diff_markdown", report.to_markdown());
}

#[test]
fn an_api_compared_with_itself_has_no_changes() {
    let old = read_api(&[fixture("old")]).unwrap_or_else(|e| panic!("{e}"));
    let report = diff(&old, &old);
    assert!(report.changes.is_empty());
    assert!(
        report
            .to_markdown()
            .contains("No changes to the public API.")
    );
}
