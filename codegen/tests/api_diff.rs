//! The API change report on a fixture pair with one edit per rule (each change is found and
//! classified, and the Markdown is snapshotted) and on a re-emitted spec (renames and Rust-only
//! changes apart from wire-contract breaks, what changes neither left out).

use std::path::PathBuf;

use azrm_codegen::diff::{ApiDiff, Impact, diff};
use azrm_codegen::read_api;

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
        .map(|c| c.breaking())
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

/// A re-emission of one contract (other definition and operation names, an inline enum in place
/// of a named one, other integer and string formats, other path parameter names and case): only
/// what changes the wire or the Rust API is reported, each where it belongs.
#[test]
fn a_reemitted_spec_reports_renames_and_rust_only_changes_apart_from_the_wire() {
    let old = read_api(&[fixture("reemitted_old")]).unwrap_or_else(|e| panic!("{e}"));
    let new = read_api(&[fixture("reemitted_new")]).unwrap_or_else(|e| panic!("{e}"));
    let report = diff(&old, &new);
    let found: Vec<(Impact, &str, &str)> = report
        .changes
        .iter()
        .map(|c| (c.impact, c.subject.as_str(), c.detail.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                Impact::Wire,
                "model `Gizmo` (was `GizmoOld`), field `label`",
                "is now i32 (was string)"
            ),
            (
                Impact::Wire,
                "model `Gizmo` (was `GizmoOld`), field `legacy`",
                "removed"
            ),
            (
                Impact::RustApi,
                "enum `KindOfGizmo`",
                "renamed to `GizmoKind`"
            ),
            (Impact::RustApi, "model `GizmoOld`", "renamed to `Gizmo`"),
            (
                Impact::RustApi,
                "model `Gizmo` (was `GizmoOld`), field `count`",
                "is now i32 (was i64); the same on the wire"
            ),
            (
                Impact::RustApi,
                "model `Orphan`",
                "renamed to `OrphanRenamed`"
            ),
            (
                Impact::RustApi,
                "operation `Gizmo_Get`",
                "path parameter `gizmoName` renamed to `name`"
            ),
            (
                Impact::RustApi,
                "operation `Gizmo_Get`",
                "renamed from `Gizmos_Get` (same method and path)"
            ),
        ],
        "\n{}",
        report.to_markdown()
    );
    assert_eq!(
        (
            report.count(Impact::Wire),
            report.count(Impact::RustApi),
            report.count(Impact::Compatible)
        ),
        (2, 6, 0)
    );
    let markdown = report.to_markdown();
    let wire = markdown
        .find("### Breaking: wire contract (2)")
        .expect("wire section");
    let rust = markdown
        .find("### Breaking: generated Rust API only (6)")
        .expect("Rust section");
    assert!(wire < rust, "{markdown}");
}
