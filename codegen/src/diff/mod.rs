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

mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use types::*;

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
                && sanitize(a.client_name(), Case::Snake) != sanitize(b.client_name(), Case::Snake)
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
/// its method that `azrm_runtime` applies (the original URL for `PUT` and `PATCH`, the status
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
