//! Which optional properties can be sent as JSON `null`: those of the structs only a `PATCH`
//! request body reaches (merge-patch, RFC 7396: `null` removes the property on the service), and
//! those the spec marks `x-nullable: true`. Their fields are `Nullable<T>`; every other optional
//! property stays an `Option<T>`, where `None` leaves the property out. Read-only properties are
//! never sent and stay `Option`s.

use std::collections::BTreeSet;

use super::graph::TypeGraph;
use crate::ir::{Api, Field, Method};

/// The structs whose optional properties may be `null`, from the operations that use them.
#[derive(Debug)]
pub(super) struct NullableFields<'a> {
    /// Structs reached from a `PATCH` body and from nothing else (no response, no other body).
    patch_only: BTreeSet<&'a str>,
}

impl<'a> NullableFields<'a> {
    pub(super) fn new(api: &'a Api, graph: &'a TypeGraph) -> Self {
        let mut patch_roots = Vec::new();
        let mut other_roots = Vec::new();
        for op in &api.operations {
            match (&op.body, op.method) {
                (Some(body), Method::Patch) => {
                    patch_roots.extend(body.ty.named());
                    let responses = op.responses.iter().filter_map(|r| r.ty.as_ref());
                    let final_schema = op
                        .long_running
                        .iter()
                        .filter_map(|l| l.final_schema.as_ref());
                    other_roots.extend(responses.chain(final_schema).filter_map(|ty| ty.named()));
                }
                _ => other_roots.extend(op.referenced_types()),
            }
        }
        let elsewhere = graph.reachable(other_roots);
        let patch_only = graph
            .reachable(patch_roots)
            .into_iter()
            .filter(|name| !elsewhere.contains(name))
            .collect();
        Self { patch_only }
    }

    /// Whether `field` of the struct `owner` may be sent as `null`.
    pub(super) fn contains(&self, owner: &str, field: &Field) -> bool {
        !field.required
            && !field.read_only
            && (field.constraints.nullable == Some(true) || self.patch_only.contains(owner))
    }
}
