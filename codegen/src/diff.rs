//! The change report between two versions of an API, in terms of the generated public API:
//! operations added, removed or changed (parameters, body, responses, long-running, paging),
//! models and fields added, removed or retyped, enum values, constraints tightened or loosened.
//! Each change is classified breaking or not for code written against the older crate, and the
//! report renders as Markdown for a changelog.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::ir::{
    Api, Constraints, EnumDef, Field, Operation, Param, ParamRole, StructDef, TypeDef, TypeKind,
    TypeRef, UnionDef,
};

/// One change of the public API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// Whether code written against the old API may stop compiling or behave differently.
    pub breaking: bool,
    /// What changed, such as ``operation `Widgets_Get` ``.
    pub subject: String,
    /// How it changed, as a sentence fragment.
    pub detail: String,
}

/// Every change between two APIs, breaking ones first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The old API's version.
    pub old_version: String,
    /// The new API's version.
    pub new_version: String,
    /// The changes, sorted: breaking first, then by subject.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }

    /// The report as Markdown, for `CHANGELOG.md`.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "## API changes: {} → {}\n",
            self.old_version, self.new_version
        );
        if self.changes.is_empty() {
            out.push_str("\nNo changes to the public API.\n");
            return out;
        }
        for (breaking, title) in [(true, "Breaking changes"), (false, "Other changes")] {
            let changes: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if changes.is_empty() {
                continue;
            }
            let _ = write!(out, "\n### {title} ({})\n\n", changes.len());
            for change in changes {
                let _ = writeln!(out, "- {}: {}", change.subject, change.detail);
            }
        }
        out
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Api, new: &Api) -> ApiDiff {
    let mut changes = Changes::default();
    diff_operations(old, new, &mut changes);
    diff_types(old, new, &mut changes);
    let mut changes = changes.0;
    changes.sort_by(|a, b| b.breaking.cmp(&a.breaking).then_with(|| a.cmp(b)));
    changes.dedup();
    ApiDiff {
        old_version: old.api_version.clone(),
        new_version: new.api_version.clone(),
        changes,
    }
}

#[derive(Default)]
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, breaking: bool, subject: &str, detail: impl Into<String>) {
        self.0.push(Change {
            breaking,
            subject: subject.to_owned(),
            detail: detail.into(),
        });
    }
}

fn diff_operations(old: &Api, new: &Api, changes: &mut Changes) {
    for op in &old.operations {
        let subject = format!("operation `{}`", op.id);
        match new.operations.iter().find(|n| n.id == op.id) {
            None => changes.push(true, &subject, "removed"),
            Some(new_op) => diff_operation(op, new_op, &subject, changes),
        }
    }
    for op in &new.operations {
        if !old.operations.iter().any(|o| o.id == op.id) {
            let detail = format!("added (`{} {}`)", op.method.as_str(), op.path);
            changes.push(false, &format!("operation `{}`", op.id), detail);
        }
    }
}

fn diff_operation(old: &Operation, new: &Operation, subject: &str, changes: &mut Changes) {
    if old.method != new.method || old.path != new.path {
        let detail = format!(
            "now `{} {}` (was `{} {}`)",
            new.method.as_str(),
            new.path,
            old.method.as_str(),
            old.path
        );
        changes.push(true, subject, detail);
    }
    diff_params(&old.params, &new.params, subject, changes);
    let body = |op: &Operation| op.body.as_ref().map(|b| (describe(&b.ty), b.required));
    match (body(old), body(new)) {
        (None, Some((ty, _))) => changes.push(true, subject, format!("now takes a {ty} body")),
        (Some(_), None) => changes.push(true, subject, "no longer takes a body"),
        (Some(a), Some(b)) if a != b => changes.push(
            true,
            subject,
            format!("body is now {}{} (was {}{})", b.0, req(b.1), a.0, req(a.1)),
        ),
        _ => {}
    }
    if old.long_running.is_some() != new.long_running.is_some() {
        let now = if new.long_running.is_some() {
            "long-running (`begin_*`, a poller)"
        } else {
            "no longer long-running"
        };
        changes.push(true, subject, format!("now {now}"));
    } else if let (Some(a), Some(b)) = (&old.long_running, &new.long_running)
        && a.final_state_via != b.final_state_via
    {
        let detail = format!(
            "final-state-via is now {:?} (was {:?})",
            b.final_state_via, a.final_state_via
        );
        changes.push(false, subject, detail);
    }
    if old.pageable.is_some() != new.pageable.is_some() {
        let now = if new.pageable.is_some() {
            "pageable (returns a pager)"
        } else {
            "no longer pageable"
        };
        changes.push(true, subject, format!("now {now}"));
    }
    let success = |op: &Operation| {
        op.responses
            .iter()
            .filter(|r| r.status.is_some_and(|s| s < 300))
            .map(|r| (r.status, r.ty.as_ref().map(describe)))
            .collect::<BTreeSet<_>>()
    };
    let (old_success, new_success) = (success(old), success(new));
    let result =
        |set: &BTreeSet<(Option<u16>, Option<String>)>| set.iter().find_map(|(_, ty)| ty.clone());
    if result(&old_success) != result(&new_success) {
        let show = |ty: Option<String>| ty.unwrap_or_else(|| "nothing".to_owned());
        let detail = format!(
            "returns {} (was {})",
            show(result(&new_success)),
            show(result(&old_success))
        );
        changes.push(true, subject, detail);
    } else if old_success != new_success {
        let statuses = |set: &BTreeSet<(Option<u16>, Option<String>)>| {
            set.iter()
                .filter_map(|(s, _)| *s)
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let detail = format!(
            "success statuses are now {} (were {})",
            statuses(&new_success),
            statuses(&old_success)
        );
        changes.push(false, subject, detail);
    }
}

fn diff_params(old: &[Param], new: &[Param], subject: &str, changes: &mut Changes) {
    let method_params = |params: &[Param]| -> Vec<Param> {
        params
            .iter()
            .filter(|p| p.role == ParamRole::Method)
            .cloned()
            .collect()
    };
    let (old, new) = (method_params(old), method_params(new));
    for param in &old {
        match new.iter().find(|p| p.wire_name == param.wire_name) {
            None => changes.push(
                true,
                subject,
                format!("parameter `{}` removed", param.wire_name),
            ),
            Some(now) => {
                if now.required != param.required {
                    let detail = format!(
                        "parameter `{}` is now {}",
                        param.wire_name,
                        if now.required { "required" } else { "optional" }
                    );
                    changes.push(true, subject, detail);
                }
                if describe(&now.ty) != describe(&param.ty) {
                    let detail = format!(
                        "parameter `{}` is now {} (was {})",
                        param.wire_name,
                        describe(&now.ty),
                        describe(&param.ty)
                    );
                    changes.push(true, subject, detail);
                }
            }
        }
    }
    for param in &new {
        if !old.iter().any(|p| p.wire_name == param.wire_name) {
            let detail = format!(
                "{} parameter `{}` added",
                if param.required {
                    "required"
                } else {
                    "optional"
                },
                param.wire_name
            );
            changes.push(param.required, subject, detail);
        }
    }
}

fn diff_types(old: &Api, new: &Api, changes: &mut Changes) {
    for (name, def) in &old.types {
        let subject = format!("{} `{name}`", kind_name(&def.kind));
        match new.types.get(name) {
            None => changes.push(true, &subject, "removed"),
            Some(now) => diff_type(def, now, &subject, changes),
        }
    }
    for (name, def) in &new.types {
        if !old.types.contains_key(name) {
            changes.push(
                false,
                &format!("{} `{name}`", kind_name(&def.kind)),
                "added",
            );
        }
    }
}

fn diff_type(old: &TypeDef, new: &TypeDef, subject: &str, changes: &mut Changes) {
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => diff_struct(a, b, subject, changes),
        (TypeKind::Enum(a), TypeKind::Enum(b)) => diff_enum(a, b, subject, changes),
        (TypeKind::Union(a), TypeKind::Union(b)) => diff_union(a, b, subject, changes),
        (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
            diff_constraints(&a.constraints, &b.constraints, subject, changes);
        }
        (a, b) => changes.push(
            true,
            subject,
            format!("is now a {} (was a {})", kind_name(b), kind_name(a)),
        ),
    }
}

fn diff_struct(old: &StructDef, new: &StructDef, subject: &str, changes: &mut Changes) {
    for field in &old.fields {
        let field_subject = format!("{subject}, field `{}`", field.wire_name);
        match new.fields.iter().find(|f| f.wire_name == field.wire_name) {
            None => changes.push(true, &field_subject, "removed"),
            Some(now) => diff_field(field, now, &field_subject, changes),
        }
    }
    for field in &new.fields {
        if !old.fields.iter().any(|f| f.wire_name == field.wire_name) {
            let required = field.required && !field.read_only;
            let detail = format!(
                "added ({}{})",
                describe(&field.ty),
                if required { ", required" } else { "" }
            );
            changes.push(
                required,
                &format!("{subject}, field `{}`", field.wire_name),
                detail,
            );
        }
    }
}

fn diff_field(old: &Field, new: &Field, subject: &str, changes: &mut Changes) {
    if describe(&old.ty) != describe(&new.ty) {
        let detail = format!("is now {} (was {})", describe(&new.ty), describe(&old.ty));
        changes.push(true, subject, detail);
    }
    if old.required != new.required {
        let detail = if new.required {
            "is now required"
        } else {
            "is now optional"
        };
        changes.push(true, subject, detail);
    }
    if old.read_only != new.read_only {
        // A field that becomes read-only is no longer sent: values callers set are dropped.
        let detail = if new.read_only {
            "is now read-only (no longer sent)"
        } else {
            "is now writable"
        };
        changes.push(new.read_only, subject, detail);
    }
    diff_constraints(&old.constraints, &new.constraints, subject, changes);
}

fn diff_enum(old: &EnumDef, new: &EnumDef, subject: &str, changes: &mut Changes) {
    let values = |e: &EnumDef| {
        e.values
            .iter()
            .map(|v| v.value.clone())
            .collect::<BTreeSet<_>>()
    };
    let (old_values, new_values) = (values(old), values(new));
    for removed in old_values.difference(&new_values) {
        changes.push(true, subject, format!("value `{removed}` removed"));
    }
    for added in new_values.difference(&old_values) {
        // A closed enum gains a variant: exhaustive matches stop compiling.
        changes.push(!new.extensible, subject, format!("value `{added}` added"));
    }
    if old.extensible != new.extensible {
        let detail = if new.extensible {
            "is now extensible (gains an `Other` variant)"
        } else {
            "is no longer extensible (unknown values are refused)"
        };
        changes.push(true, subject, detail);
    }
}

fn diff_union(old: &UnionDef, new: &UnionDef, subject: &str, changes: &mut Changes) {
    let kinds = |u: &UnionDef| {
        u.variants
            .iter()
            .map(|v| v.value.clone())
            .collect::<BTreeSet<_>>()
    };
    let (old_kinds, new_kinds) = (kinds(old), kinds(new));
    for removed in old_kinds.difference(&new_kinds) {
        changes.push(true, subject, format!("kind `{removed}` removed"));
    }
    for added in new_kinds.difference(&old_kinds) {
        changes.push(
            true,
            subject,
            format!("kind `{added}` added (a new variant)"),
        );
    }
}

/// Compares the constraints of one value: a new or narrower bound is breaking (values that were
/// valid are refused), a dropped or wider bound is not.
fn diff_constraints(old: &Constraints, new: &Constraints, subject: &str, changes: &mut Changes) {
    let mut bound =
        |name: &str, old: Option<f64>, new: Option<f64>, tighter: fn(f64, f64) -> bool| {
            let detail = match (old, new) {
                (None, Some(b)) => format!("{name} {b} added"),
                (Some(a), None) => format!("{name} {a} removed"),
                (Some(a), Some(b)) if a != b => format!("{name} is now {b} (was {a})"),
                _ => return,
            };
            let breaking = match (old, new) {
                (Some(a), Some(b)) => tighter(a, b),
                (None, Some(_)) => true,
                _ => false,
            };
            changes.push(breaking, subject, detail);
        };
    let as_f64 = |v: Option<u64>| v.map(|v| v as f64);
    let raised = |a: f64, b: f64| b > a;
    let lowered = |a: f64, b: f64| b < a;
    bound(
        "minLength",
        as_f64(old.min_length),
        as_f64(new.min_length),
        raised,
    );
    bound(
        "maxLength",
        as_f64(old.max_length),
        as_f64(new.max_length),
        lowered,
    );
    bound("minimum", old.minimum, new.minimum, raised);
    bound("maximum", old.maximum, new.maximum, lowered);
    bound(
        "minItems",
        as_f64(old.min_items),
        as_f64(new.min_items),
        raised,
    );
    bound(
        "maxItems",
        as_f64(old.max_items),
        as_f64(new.max_items),
        lowered,
    );
    if old.pattern != new.pattern {
        let detail = match (&old.pattern, &new.pattern) {
            (None, Some(p)) => format!("pattern `{p}` added"),
            (Some(p), None) => format!("pattern `{p}` removed"),
            (Some(a), Some(b)) => format!("pattern is now `{b}` (was `{a}`)"),
            (None, None) => return,
        };
        // A changed pattern may refuse values the old one accepted: treated as breaking.
        changes.push(new.pattern.is_some(), subject, detail);
    }
    if old.uuid != new.uuid {
        let detail = if new.uuid {
            "must now be a UUID"
        } else {
            "no longer needs to be a UUID"
        };
        changes.push(new.uuid, subject, detail);
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "model",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Newtype(_) => "parameter type",
    }
}

fn req(required: bool) -> &'static str {
    if required { "" } else { ", optional" }
}

/// A type as a reader of the report knows it.
fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::Primitive(primitive) => format!("{primitive:?}").to_lowercase(),
        TypeRef::List(inner) => format!("list of {}", describe(inner)),
        TypeRef::Map(inner) => format!("map of {}", describe(inner)),
        TypeRef::Any => "any JSON".to_owned(),
    }
}
