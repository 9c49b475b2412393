//! Stage 4, **plan**: every Rust identifier the generated crate will contain, and every decision
//! about its shape, taken once from the IR.
//!
//! - [`names::Namespace`] is the one uniquifier: each scope (the crate's types, a struct's
//!   fields, an enum's variants, a group's methods, a call's arguments, a module's statics)
//!   claims its names through one, with one suffix rule.
//! - [`TypePlan`]: each type's Rust name, module, field and variant names, which fields are boxed
//!   or validated, which types derive `Default`, and the pattern statics of each module; each
//!   struct's [`BuilderPlan`] (`new` with its required properties, `with_*` setters).
//! - [`GroupPlan`] and [`OperationPlan`]: each operation's method, arguments with their roles and
//!   Rust types, path values, success statuses and [`ResultKind`] (model, empty, existence, file,
//!   long-running with its result and final-state-via, pageable with its pager).
//!
//! - [`IdsPlan`]: the typed resource id of each resource path template, with its fields,
//!   parent and ancestors.
//! - [`ClientParamPlan`]: each client parameter but the subscription id, with its builder
//!   setter, Rust type and whether `build()` requires it.
//!
//! The emitters read the plan and the IR's data (wire names, descriptions); they compute no
//! name and take no decision the plan has taken.

mod builders;
mod client;
mod graph;
mod ids;
pub mod names;
mod nullable;
mod operations;
mod paging;
mod types;

use std::collections::BTreeMap;

use crate::ir::{Api, HostParameter, ParameterizedHost};
use crate::names::Case;
use names::Namespace;

pub use builders::{ArgPlan, BuilderPlan, ConstructorPlan, FieldInit, SetterPlan, Through};
pub use client::ClientParamPlan;
pub use graph::TypeGraph;
pub use ids::{IdField, IdPlan, IdsPlan};
pub use operations::{
    BodyPlan, ClientValue, FakeResult, GroupPlan, HeaderAccessor, LongRunningPlan, OperationPlan,
    ParamKind, ParamPlan, PathSource, PathValue, ResponseHeadersPlan, ResultKind,
};
pub use paging::{Capture, NextArg, NextPagePlan, PagePlan, PagerPlan};
pub use types::{
    COMMON_AREA, EnumPlan, FieldPlan, NewtypePlan, PatternModule, PatternStatics, StructPlan,
    TypePlan, TypeShape, UnionPlan, UnionVariantPlan,
};

/// What the config decides for the plan.
#[derive(Debug, Clone, Default)]
pub struct PlanSettings {
    /// Rust names for types, by spec name (`rename:` in the config), in place of the names
    /// derived from the spec.
    pub rename: BTreeMap<String, String>,
}

/// The resolved plan of a generated crate.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The IR it was made from.
    pub api: &'a Api,
    /// Every named type, by IR name.
    pub types: BTreeMap<String, TypePlan<'a>>,
    /// The operation groups, sorted by module name.
    pub groups: Vec<GroupPlan<'a>>,
    /// The page model of every pageable operation, in operation order.
    pub pages: Vec<PagePlan<'a>>,
    /// The `x-ms-parameterized-host` parameters, with their argument names.
    pub host: Option<HostPlan<'a>>,
    /// The client parameters other than the subscription id: setters of the client's builder.
    pub client_params: Vec<ClientParamPlan<'a>>,
    /// The typed resource ids, one per resource path template.
    pub ids: IdsPlan,
    patterns: BTreeMap<PatternModule, PatternStatics>,
}

/// The host template's parameters that appear in it, with their argument names.
#[derive(Debug)]
pub struct HostPlan<'a> {
    /// The IR's host template.
    pub host: &'a ParameterizedHost,
    /// Each parameter the template uses, with its argument name.
    pub params: Vec<(&'a HostParameter, String)>,
}

impl<'a> Plan<'a> {
    /// Plans the crate for `api`.
    pub fn new(api: &'a Api, settings: &PlanSettings) -> Self {
        let graph = TypeGraph::new(api);
        let types::TypesPlan { types, patterns } = types::plan_types(api, &graph, &settings.rename);
        let (groups, pages) = operations::plan_operations(api, &types, &graph);
        Plan {
            api,
            client_params: client::plan_client_params(api, &types),
            host: api.parameterized_host.as_ref().map(plan_host),
            types,
            groups,
            pages,
            ids: ids::plan_ids(api),
            patterns,
        }
    }

    /// The Rust name of the IR type `name`.
    pub fn type_ident<'s>(&'s self, name: &'s str) -> &'s str {
        self.types
            .get(name)
            .map_or(name, |plan| plan.ident.as_str())
    }

    /// The models of each area (module under `models/`), in IR order.
    pub fn areas(&self) -> BTreeMap<&str, Vec<&TypePlan<'a>>> {
        let mut areas: BTreeMap<&str, Vec<&TypePlan<'a>>> = BTreeMap::new();
        for plan in self.types.values() {
            if !matches!(plan.shape, TypeShape::Newtype(_)) {
                areas.entry(plan.area.as_str()).or_default().push(plan);
            }
        }
        areas
    }

    /// The validated parameter newtypes, in IR order.
    pub fn newtypes(&self) -> impl Iterator<Item = &TypePlan<'a>> {
        self.types
            .values()
            .filter(|plan| matches!(plan.shape, TypeShape::Newtype(_)))
    }

    /// The pattern statics `module` declares: `(name, pattern)`.
    pub fn patterns(&self, module: &PatternModule) -> impl Iterator<Item = (&str, &str)> {
        self.patterns
            .get(module)
            .into_iter()
            .flat_map(PatternStatics::iter)
    }

    /// Every operation, group by group.
    pub fn operations(&self) -> impl Iterator<Item = (&GroupPlan<'a>, &OperationPlan<'a>)> {
        self.groups
            .iter()
            .flat_map(|group| group.operations.iter().map(move |op| (group, op)))
    }

    /// The plan of the page model named `page`.
    pub fn page(&self, page: &str) -> Option<&PagePlan<'a>> {
        self.pages.iter().find(|plan| plan.page == page)
    }
}

fn plan_host(host: &ParameterizedHost) -> HostPlan<'_> {
    let mut scope = Namespace::default();
    let params = host
        .parameters
        .iter()
        .filter(|param| host.template.contains(&format!("{{{}}}", param.name)))
        .map(|param| (param, scope.claim(&param.name, Case::Snake)))
        .collect();
    HostPlan { host, params }
}
