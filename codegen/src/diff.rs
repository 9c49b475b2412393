//! The change report between two versions of an API, for a changelog. Each change is classified
//! by what it breaks ([`Impact`]): the wire contract (requests or responses an old client sends
//! or understands), only the generated Rust API (the wire is the same, code written against the
//! old crate may not compile), or nothing (an addition). What changes neither is left out.
//!
//! Two specs of one service often describe the same wire contract differently (a hand-written
//! multi-file spec and its TypeSpec re-emission: other definition names, inline enums instead of
//! named ones, other integer formats, types moved between files). So the report does not match
//! things by name alone:
//!
//! - operations are matched by method and path template (literal segments compared without case,
//!   parameter names ignored), then by `operationId`; a matched pair with another id is a rename;
//! - named types are matched where they are used: the types of a matched operation's parameters,
//!   body and result, and recursively of their fields, list items, map values and union variants,
//!   are compared by wire shape (fields, required-ness, enum values, discriminators), so a model
//!   or enum renamed or replaced by an inline one with the same values is one Rust-only change,
//!   not a removal plus an addition; types no operation reaches are matched by name, then by
//!   equal shape;
//! - scalars are compared twice: by wire type (`string`, `integer`, `number`, `boolean`) and by
//!   Rust type (`int64` → `int32` changes the Rust type only; `string` → `arm-id` changes neither,
//!   both being `String`); type names are compared as the Rust names they become.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::ir::{
    Api, Constraints, EnumDef, Field, FinalStateVia, LongRunning, Method, Operation, Param,
    ParamLocation, ParamRole, Primitive, StructDef, TypeKind, TypeRef, UnionDef,
};
use crate::names::{Case, sanitize};

/// What a change breaks, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    /// Old clients may send requests the service refuses or fail to read its responses.
    Wire,
    /// The wire is unchanged, but code written against the old generated crate may not compile
    /// (a type renamed, an `i64` now an `i32`, a method renamed).
    RustApi,
    /// Nothing breaks: an addition or a loosening.
    Compatible,
}

/// One change of the API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// What it breaks.
    pub impact: Impact,
    /// What changed, such as ``operation `Widgets_Get` ``.
    pub subject: String,
    /// How it changed, as a sentence fragment.
    pub detail: String,
}

impl Change {
    /// Whether code or clients written against the old API may break.
    pub fn breaking(&self) -> bool {
        self.impact != Impact::Compatible
    }
}

/// Every change between two APIs, wire-contract breaks first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiDiff {
    /// The old API's version.
    pub old_version: String,
    /// The new API's version.
    pub new_version: String,
    /// The changes, sorted by impact, then subject.
    pub changes: Vec<Change>,
}

impl ApiDiff {
    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(Change::breaking)
    }

    /// How many changes have `impact`.
    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The report as Markdown, for a changelog.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "## API changes: {} → {}\n",
            self.old_version, self.new_version
        );
        if self.changes.is_empty() {
            out.push_str("\nNo changes to the public API.\n");
            return out;
        }
        let _ = write!(
            out,
            "\n{} breaking changes to the wire contract, {} breaking changes to the generated \
             Rust API only (the wire is unchanged), {} compatible changes. Changes to neither \
             (other spec files, other definition names with the same Rust name, string formats \
             with the same Rust type) are left out.\n",
            self.count(Impact::Wire),
            self.count(Impact::RustApi),
            self.count(Impact::Compatible)
        );
        for (impact, title) in [
            (Impact::Wire, "Breaking: wire contract"),
            (Impact::RustApi, "Breaking: generated Rust API only"),
            (Impact::Compatible, "Compatible changes"),
        ] {
            let changes: Vec<&Change> =
                self.changes.iter().filter(|c| c.impact == impact).collect();
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
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        visited: BTreeSet::new(),
    };
    differ.operations();
    differ.unreached_types();
    differ.renamed_types();
    let mut changes = grouped(differ.changes);
    changes.sort();
    changes.dedup();
    ApiDiff {
        old_version: old.api_version.clone(),
        new_version: new.api_version.clone(),
        changes,
    }
}

/// How many operations must share one change before it is listed once for all of them.
const GROUP_AT: usize = 4;

/// The changes with those that [`GROUP_AT`] or more operations share (same impact and detail,
/// such as a parameter now set on the client) merged into one that names them all.
fn grouped(changes: Vec<Change>) -> Vec<Change> {
    let mut by_detail: BTreeMap<(Impact, String), Vec<String>> = BTreeMap::new();
    let mut out = Vec::new();
    for change in changes {
        match change.subject.strip_prefix("operation ") {
            Some(operation) if !operation.contains(',') => by_detail
                .entry((change.impact, change.detail))
                .or_default()
                .push(operation.to_owned()),
            _ => out.push(change),
        }
    }
    for ((impact, detail), mut operations) in by_detail {
        if operations.len() < GROUP_AT {
            out.extend(operations.into_iter().map(|operation| Change {
                impact,
                subject: format!("operation {operation}"),
                detail: detail.clone(),
            }));
            continue;
        }
        operations.sort();
        out.push(Change {
            impact,
            subject: format!("{} operations", operations.len()),
            detail: format!("{detail}: {}", operations.join(", ")),
        });
    }
    out
}

/// The comparison in progress.
struct Differ<'a> {
    old: &'a Api,
    new: &'a Api,
    changes: Vec<Change>,
    /// `(old type, new type)` pairs compared (or being compared).
    visited: BTreeSet<(String, String)>,
}

impl Differ<'_> {
    fn push(&mut self, impact: Impact, subject: &str, detail: impl Into<String>) {
        self.changes.push(Change {
            impact,
            subject: subject.to_owned(),
            detail: detail.into(),
        });
    }

    /// Matches operations (by method and path, then by id) and compares each pair.
    fn operations(&mut self) {
        let mut unmatched_new: Vec<&Operation> = self.new.operations.iter().collect();
        let mut unmatched_old = Vec::new();
        let mut pairs = Vec::new();
        for op in &self.old.operations {
            match unmatched_new.iter().position(|n| route(n) == route(op)) {
                Some(index) => pairs.push((op, unmatched_new.remove(index))),
                None => unmatched_old.push(op),
            }
        }
        for op in unmatched_old {
            match unmatched_new.iter().position(|n| n.id == op.id) {
                Some(index) => pairs.push((op, unmatched_new.remove(index))),
                None => {
                    let detail = format!("removed (`{} {}`)", op.method.as_str(), op.path);
                    self.push(Impact::Wire, &format!("operation `{}`", op.id), detail);
                }
            }
        }
        for op in unmatched_new {
            let detail = format!("added (`{} {}`)", op.method.as_str(), op.path);
            self.push(
                Impact::Compatible,
                &format!("operation `{}`", op.id),
                detail,
            );
        }
        for (old, new) in pairs {
            self.operation(old, new);
        }
    }

    fn operation(&mut self, old: &Operation, new: &Operation) {
        let subject = format!("operation `{}`", new.id);
        if old.id != new.id && rust_method(old) != rust_method(new) {
            let detail = format!("renamed from `{}` (same method and path)", old.id);
            self.push(Impact::RustApi, &subject, detail);
        }
        if route(old) != route(new) {
            let detail = format!(
                "now `{} {}` (was `{} {}`)",
                new.method.as_str(),
                new.path,
                old.method.as_str(),
                old.path
            );
            self.push(Impact::Wire, &subject, detail);
        }
        self.params(old, new, &subject);
        match (&old.body, &new.body) {
            (None, Some(body)) => {
                let detail = format!("now takes a {} body", describe(&body.ty));
                self.push(Impact::Wire, &subject, detail);
            }
            (Some(_), None) => self.push(Impact::Wire, &subject, "no longer takes a body"),
            (Some(a), Some(b)) => {
                self.required(a.required, b.required, &subject, "the body");
                self.compare(&a.ty, &b.ty, &format!("{subject}, body"));
            }
            (None, None) => {}
        }
        self.toggled(
            (old.long_running.is_some(), new.long_running.is_some()),
            &subject,
            ("long-running (`begin_*`, a poller)", "long-running"),
        );
        if let (Some(a), Some(b)) = (&old.long_running, &new.long_running) {
            let (a, b) = (final_state_via(old, a), final_state_via(new, b));
            if a != b {
                // Which URL the client reads the result from; the service sends them all.
                let detail = format!("final-state-via is now {b:?} (was {a:?})");
                self.push(Impact::Compatible, &subject, detail);
            }
        }
        self.toggled(
            (old.pageable.is_some(), new.pageable.is_some()),
            &subject,
            ("pageable (returns a pager)", "pageable"),
        );
        self.results(old, new, &subject);
    }

    /// Reports an operation that became or stopped being something its protocol depends on
    /// (long-running, pageable): `(was, is)`, and how to say it `(became, stopped)`.
    fn toggled(&mut self, (was, is): (bool, bool), subject: &str, (became, stopped): (&str, &str)) {
        match (was, is) {
            (false, true) => self.push(Impact::Wire, subject, format!("now {became}")),
            (true, false) => self.push(Impact::Wire, subject, format!("now no longer {stopped}")),
            _ => {}
        }
    }

    /// Compares the success responses: the result type, then the statuses.
    fn results(&mut self, old: &Operation, new: &Operation, subject: &str) {
        let result = |op: &Operation| {
            op.responses
                .iter()
                .filter(|r| r.status.is_some_and(|s| s < 300))
                .find_map(|r| r.ty.clone())
        };
        match (result(old), result(new)) {
            (Some(a), Some(b)) => self.compare(&a, &b, &format!("{subject}, result")),
            (None, None) => {}
            (a, b) => {
                let show =
                    |ty: Option<TypeRef>| ty.map_or_else(|| "nothing".into(), |t| describe(&t));
                let detail = format!("returns {} (was {})", show(b), show(a));
                self.push(Impact::Wire, subject, detail);
            }
        }
        let statuses = |op: &Operation| {
            op.responses
                .iter()
                .filter_map(|r| r.status.filter(|s| *s < 300))
                .collect::<BTreeSet<_>>()
        };
        let (a, b) = (statuses(old), statuses(new));
        if a != b {
            let list = |set: &BTreeSet<u16>| {
                set.iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let detail = format!("success statuses are now {} (were {})", list(&b), list(&a));
            self.push(Impact::Compatible, subject, detail);
        }
    }

    /// Compares the parameters: path parameters by their position in the path (their names are
    /// only argument names), the query and header parameters callers pass by wire name.
    fn params(&mut self, old: &Operation, new: &Operation, subject: &str) {
        let (old_path, new_path) = (path_params(old), path_params(new));
        for (a, b) in old_path.into_iter().zip(new_path) {
            if a.role != b.role {
                let detail = format!(
                    "path parameter `{}` is now {} (was {})",
                    b.wire_name,
                    role_name(b.role),
                    role_name(a.role)
                );
                self.push(Impact::RustApi, subject, detail);
            } else if a.role == ParamRole::Method
                && sanitize(&a.wire_name, Case::Snake) != sanitize(&b.wire_name, Case::Snake)
            {
                let detail = format!(
                    "path parameter `{}` renamed to `{}`",
                    a.wire_name, b.wire_name
                );
                self.push(Impact::RustApi, subject, detail);
            }
            self.param(a, b, subject);
        }
        let of = |op: &Operation, location: ParamLocation| -> Vec<Param> {
            op.params
                .iter()
                .filter(|p| p.role == ParamRole::Method && p.location == location)
                .cloned()
                .collect()
        };
        for location in [ParamLocation::Query, ParamLocation::Header] {
            let (old, new) = (of(old, location), of(new, location));
            let key = |p: &Param| p.wire_name.to_ascii_lowercase();
            for param in &old {
                match new.iter().find(|p| key(p) == key(param)) {
                    Some(now) => self.param(param, now, subject),
                    None => {
                        let detail = format!("parameter `{}` removed", param.wire_name);
                        self.push(Impact::Wire, subject, detail);
                    }
                }
            }
            for param in new.iter().filter(|p| !old.iter().any(|o| key(o) == key(p))) {
                let (impact, kind) = if param.required {
                    (Impact::Wire, "required")
                } else {
                    (Impact::Compatible, "optional")
                };
                let detail = format!("{kind} parameter `{}` added", param.wire_name);
                self.push(impact, subject, detail);
            }
        }
    }

    fn param(&mut self, old: &Param, new: &Param, subject: &str) {
        let what = format!("parameter `{}`", new.wire_name);
        self.required(old.required, new.required, subject, &what);
        self.compare(&old.ty, &new.ty, &format!("{subject}, {what}"));
    }

    /// Reports a change of required-ness of something sent: newly required breaks requests that
    /// leave it out; newly optional only changes the Rust signature.
    fn required(&mut self, old: bool, new: bool, subject: &str, what: &str) {
        match (old, new) {
            (false, true) => self.push(Impact::Wire, subject, format!("{what} is now required")),
            (true, false) => self.push(Impact::RustApi, subject, format!("{what} is now optional")),
            _ => {}
        }
    }

    /// Compares two uses of types at `subject`: named types as a pair (once per pair), scalars
    /// by wire type and by Rust type.
    fn compare(&mut self, old: &TypeRef, new: &TypeRef, subject: &str) {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.pair(a, b),
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.compare(a, b, subject);
            }
            _ => {
                let detail = format!("is now {} (was {})", describe(new), describe(old));
                if wire_kind(self.old, old) != wire_kind(self.new, new) {
                    self.push(Impact::Wire, subject, detail);
                } else if rust_type(old) != rust_type(new) {
                    let detail = format!("{detail}; the same on the wire");
                    self.push(Impact::RustApi, subject, detail);
                }
            }
        }
    }

    /// Compares the old type `a` with the new type `b` used in its place, once per pair.
    fn pair(&mut self, a: &str, b: &str) {
        if !self.visited.insert((a.to_owned(), b.to_owned())) {
            return;
        }
        let (Some(old), Some(new)) = (self.old.types.get(a), self.new.types.get(b)) else {
            return;
        };
        let subject = if a == b {
            format!("{} `{b}`", kind_name(&new.kind))
        } else {
            format!("{} `{b}` (was `{a}`)", kind_name(&new.kind))
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.structs(x, y, &subject),
            (TypeKind::Enum(x), TypeKind::Enum(y)) => self.enums(x, y, &subject),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.unions(x, y, &subject),
            (TypeKind::Newtype(x), TypeKind::Newtype(y)) => {
                self.constraints(&x.constraints, &y.constraints, &subject);
            }
            (x, y) => {
                let detail = format!("is now a {} (was a {})", kind_name(y), kind_name(x));
                self.push(Impact::Wire, &subject, detail);
            }
        }
    }

    fn structs(&mut self, old: &StructDef, new: &StructDef, subject: &str) {
        for field in &old.fields {
            let field_subject = format!("{subject}, field `{}`", field.wire_name);
            match new.fields.iter().find(|f| f.wire_name == field.wire_name) {
                None => self.push(Impact::Wire, &field_subject, "removed"),
                Some(now) => self.field(field, now, &field_subject),
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
                let impact = if required {
                    Impact::Wire
                } else {
                    Impact::Compatible
                };
                self.push(
                    impact,
                    &format!("{subject}, field `{}`", field.wire_name),
                    detail,
                );
            }
        }
        if let (Some(a), Some(b)) = (&old.additional, &new.additional) {
            self.compare(a, b, &format!("{subject}, additional properties"));
        }
    }

    fn field(&mut self, old: &Field, new: &Field, subject: &str) {
        let numbers = |ty: &TypeRef| {
            matches!(
                ty,
                TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::F64)
            )
        };
        if old.read_only && new.read_only && numbers(&old.ty) && numbers(&new.ty) {
            // Only the service sends it, and any JSON number reads as before.
            if rust_type(&old.ty) != rust_type(&new.ty) {
                let detail = format!(
                    "is now {} (was {}); read-only, a JSON number either way",
                    describe(&new.ty),
                    describe(&old.ty)
                );
                self.push(Impact::RustApi, subject, detail);
            }
        } else {
            self.compare(&old.ty, &new.ty, subject);
        }
        if old.required != new.required {
            // Required both ways: sent by callers and returned by the service.
            let detail = if new.required {
                "is now required"
            } else {
                "is now optional"
            };
            self.push(Impact::Wire, subject, detail);
        }
        if old.read_only != new.read_only {
            // A field that becomes read-only is no longer sent: values callers set are dropped.
            if new.read_only {
                self.push(Impact::Wire, subject, "is now read-only (no longer sent)");
            } else {
                self.push(Impact::Compatible, subject, "is now writable");
            }
        }
        self.constraints(&old.constraints, &new.constraints, subject);
    }

    fn enums(&mut self, old: &EnumDef, new: &EnumDef, subject: &str) {
        let (old_values, new_values) = (enum_values(old), enum_values(new));
        for removed in old_values.difference(&new_values) {
            self.push(Impact::Wire, subject, format!("value `{removed}` removed"));
        }
        for added in new_values.difference(&old_values) {
            // A closed enum gains a value old clients cannot read.
            let impact = if new.extensible {
                Impact::Compatible
            } else {
                Impact::Wire
            };
            self.push(impact, subject, format!("value `{added}` added"));
        }
        match (old.extensible, new.extensible) {
            (false, true) => self.push(
                Impact::RustApi,
                subject,
                "is now extensible (gains an `Other` variant)",
            ),
            (true, false) => self.push(
                Impact::Wire,
                subject,
                "is no longer extensible (unknown values are refused)",
            ),
            _ => {}
        }
    }

    fn unions(&mut self, old: &UnionDef, new: &UnionDef, subject: &str) {
        for variant in &old.variants {
            match new.variants.iter().find(|v| v.value == variant.value) {
                Some(now) => self.pair(&variant.ty, &now.ty),
                None => {
                    let detail = format!("kind `{}` removed", variant.value);
                    self.push(Impact::Wire, subject, detail);
                }
            }
        }
        for variant in &new.variants {
            if !old.variants.iter().any(|v| v.value == variant.value) {
                // Old clients cannot read the new kind.
                let detail = format!("kind `{}` added (a new variant)", variant.value);
                self.push(Impact::Wire, subject, detail);
            }
        }
    }

    /// Compares the constraints of one value: a new or narrower bound is breaking (values that
    /// were valid are refused), a dropped or wider bound is not.
    fn constraints(&mut self, old: &Constraints, new: &Constraints, subject: &str) {
        let mut bound =
            |name: &str, old: Option<f64>, new: Option<f64>, tighter: fn(f64, f64) -> bool| {
                let (detail, breaking) = match (old, new) {
                    (None, Some(b)) => (format!("{name} {b} added"), true),
                    (Some(a), None) => (format!("{name} {a} removed"), false),
                    (Some(a), Some(b)) if a != b => {
                        (format!("{name} is now {b} (was {a})"), tighter(a, b))
                    }
                    _ => return,
                };
                let impact = if breaking {
                    Impact::Wire
                } else {
                    Impact::Compatible
                };
                self.push(impact, subject, detail);
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
            let impact = if new.pattern.is_some() {
                Impact::Wire
            } else {
                Impact::Compatible
            };
            self.push(impact, subject, detail);
        }
        if old.uuid != new.uuid {
            if new.uuid {
                self.push(Impact::Wire, subject, "must now be a UUID");
            } else {
                self.push(Impact::Compatible, subject, "no longer needs to be a UUID");
            }
        }
    }

    /// Compares the types no operation reached: same names as pairs, then names only in the old
    /// API with names only in the new one when exactly one has the same wire shape.
    fn unreached_types(&mut self) {
        let reached_old: BTreeSet<String> = self.visited.iter().map(|(a, _)| a.clone()).collect();
        let reached_new: BTreeSet<String> = self.visited.iter().map(|(_, b)| b.clone()).collect();
        let names: Vec<String> = self
            .old
            .types
            .keys()
            .filter(|name| !reached_old.contains(*name) && self.new.types.contains_key(*name))
            .cloned()
            .collect();
        for name in names {
            self.pair(&name, &name);
        }
        let old_only = unreached_only(self.old, self.new, &reached_old);
        let new_only = unreached_only(self.new, self.old, &reached_new);
        let mut matches = Vec::new();
        for a in &old_only {
            let same: Vec<&&String> = new_only
                .iter()
                .filter(|b| self.same_shape(a, b, &mut BTreeSet::new()))
                .collect();
            if let [b] = same.as_slice() {
                matches.push(((*a).clone(), (**b).clone()));
            }
        }
        for (a, b) in matches {
            self.pair(&a, &b);
        }
    }

    /// Reports the named types as the Rust API sees them: removed (used nowhere in the new
    /// API), renamed (used, one for one, where a type of another name was), replaced by several,
    /// or added.
    fn renamed_types(&mut self) {
        let mut used_for: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut used_as: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (a, b) in &self.visited {
            used_for.entry(a).or_default().insert(b);
            used_as.entry(b).or_default().insert(a);
        }
        let mut changes = Vec::new();
        for (name, def) in &self.old.types {
            let subject = format!("{} `{name}`", kind_name(&def.kind));
            let now: Vec<&str> = used_for
                .get(name.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|b| rust_name(b) != rust_name(name))
                .collect();
            let kept = self.new.types.contains_key(name);
            match (kept, now.as_slice()) {
                (true, []) => {}
                (false, []) if used_for.contains_key(name.as_str()) => {}
                (false, []) => changes.push((Impact::RustApi, subject, "removed".to_owned())),
                (false, [one])
                    if !self.old.types.contains_key(*one)
                        && used_as.get(one).is_some_and(|olds| olds.len() == 1) =>
                {
                    changes.push((Impact::RustApi, subject, format!("renamed to `{one}`")));
                }
                (kept, several) => {
                    let list = several
                        .iter()
                        .map(|b| format!("`{b}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let detail = if kept {
                        format!("also replaced by {list} in some places")
                    } else {
                        format!("replaced by {list}")
                    };
                    changes.push((Impact::RustApi, subject, detail));
                }
            }
        }
        for (name, def) in &self.new.types {
            if !self.old.types.contains_key(name) && !used_as.contains_key(name.as_str()) {
                let subject = format!("{} `{name}`", kind_name(&def.kind));
                changes.push((Impact::Compatible, subject, "added".to_owned()));
            }
        }
        for (impact, subject, detail) in changes {
            self.push(impact, &subject, detail);
        }
    }

    /// Whether the old type `a` and the new type `b` have the same wire shape; pairs in
    /// `assumed` (being compared further up) count as equal.
    fn same_shape(&self, a: &str, b: &str, assumed: &mut BTreeSet<(String, String)>) -> bool {
        if !assumed.insert((a.to_owned(), b.to_owned())) {
            return true;
        }
        let (Some(old), Some(new)) = (self.old.types.get(a), self.new.types.get(b)) else {
            return false;
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                x.fields.len() == y.fields.len()
                    && x.fields.iter().all(|f| {
                        y.fields.iter().any(|g| {
                            g.wire_name == f.wire_name
                                && g.required == f.required
                                && g.read_only == f.read_only
                                && self.same_ref_shape(&f.ty, &g.ty, assumed)
                        })
                    })
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => enum_values(x) == enum_values(y),
            (TypeKind::Union(x), TypeKind::Union(y)) => {
                x.property == y.property
                    && x.variants.len() == y.variants.len()
                    && x.variants.iter().all(|v| {
                        y.variants
                            .iter()
                            .any(|w| w.value == v.value && self.same_shape(&v.ty, &w.ty, assumed))
                    })
            }
            (TypeKind::Newtype(x), TypeKind::Newtype(y)) => x.constraints == y.constraints,
            _ => false,
        }
    }

    fn same_ref_shape(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        assumed: &mut BTreeSet<(String, String)>,
    ) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.same_shape(a, b, assumed),
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.same_ref_shape(a, b, assumed)
            }
            _ => wire_kind(self.old, old) == wire_kind(self.new, new),
        }
    }
}

/// The names of `api`'s types that no operation reached (`reached`) and `other` does not have.
fn unreached_only<'a>(api: &'a Api, other: &Api, reached: &BTreeSet<String>) -> Vec<&'a String> {
    api.types
        .keys()
        .filter(|name| !reached.contains(*name) && !other.types.contains_key(*name))
        .collect()
}

/// An operation's method and path, literal segments without case and parameter names left out.
fn route(op: &Operation) -> (String, String) {
    let path = op
        .path
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}".to_owned()
            } else {
                segment.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    (op.method.as_str().to_owned(), path)
}

/// The final-state-via a long-running operation has in effect: the spec's, else the default for
/// its method that `arm_runtime` applies (the original URL for `PUT` and `PATCH`, the status
/// resource for `DELETE`, the `Location` URL otherwise).
fn final_state_via(op: &Operation, long_running: &LongRunning) -> FinalStateVia {
    long_running.final_state_via.unwrap_or(match op.method {
        Method::Put | Method::Patch => FinalStateVia::OriginalUri,
        Method::Delete => FinalStateVia::AzureAsyncOperation,
        _ => FinalStateVia::Location,
    })
}

/// An operation's path parameters in the order of the path template.
fn path_params(op: &Operation) -> Vec<&Param> {
    op.path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .filter_map(|name| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == name)
        })
        .collect()
}

/// Who provides a parameter, for the report.
fn role_name(role: ParamRole) -> &'static str {
    match role {
        ParamRole::Method => "an argument of the method",
        ParamRole::Client => "set on the client",
        ParamRole::ApiVersion => "the api-version",
    }
}

/// The Rust names an operation's group and method get.
fn rust_method(op: &Operation) -> (String, String) {
    (
        sanitize(&op.group, Case::Type),
        sanitize(&op.name, Case::Snake),
    )
}

/// The Rust name of a named type.
fn rust_name(name: &str) -> String {
    sanitize(name, Case::Type)
}

/// The JSON type a value has on the wire; named types other than validated strings are their
/// own (compared as pairs).
fn wire_kind(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::Bool => "boolean",
            Primitive::I32 | Primitive::I64 => "integer",
            Primitive::F64 => "number",
            Primitive::String
            | Primitive::Secret
            | Primitive::Uri
            | Primitive::ArmId
            | Primitive::Uuid
            | Primitive::DateTime
            | Primitive::Bytes => "string",
        }
        .to_owned(),
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Newtype(_)) => "string".to_owned(),
            _ => format!("`{name}`"),
        },
        TypeRef::List(inner) => format!("list of {}", wire_kind(api, inner)),
        TypeRef::Map(inner) => format!("map of {}", wire_kind(api, inner)),
        TypeRef::Any => "any JSON".to_owned(),
    }
}

/// The Rust type a scalar becomes (`arm_runtime::Uri` and `ArmId` are `String`).
fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String | Primitive::Uri | Primitive::ArmId => "String",
            Primitive::Secret => "Secret",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "OffsetDateTime",
            Primitive::Bytes => "Vec<u8>",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::F64 => "f64",
        }
        .to_owned(),
        TypeRef::Named(name) => rust_name(name),
        TypeRef::List(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", rust_type(inner)),
        TypeRef::Any => "Value".to_owned(),
    }
}

fn enum_values(def: &EnumDef) -> BTreeSet<&str> {
    def.values.iter().map(|v| v.value.as_str()).collect()
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "model",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Newtype(_) => "parameter type",
    }
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
