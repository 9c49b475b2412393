//! Stage 4, **emit**: the IR as Rust token streams, one module per area.
//!
//! Models are grouped by the operation group that uses them (`models/sql_resources.rs`, ...);
//! models used by several groups, or by none, go to `models/common.rs`. Validated parameter
//! newtypes go to `params.rs`. `models/mod.rs` re-exports every model, so users write
//! `models::DatabaseAccountGetResults` without knowing the area.

mod dispatch;
mod docs;
mod fake;
mod graph;
mod model_json;
mod models;
mod newtypes;
mod operations;
mod registry;
mod root;
mod skeleton;
mod types;
mod validate;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::TokenStream;

use crate::examples::Examples;
use crate::ir::{Api, TypeKind};
use crate::names::{Case, sanitize};

pub use graph::TypeGraph;

/// One file to write, relative to the crate's `src/`.
#[derive(Debug)]
pub struct EmittedFile {
    /// Path relative to `src/`, with `/` separators.
    pub path: String,
    /// The file's code.
    pub tokens: TokenStream,
}

/// Settings the emitter needs besides the IR.
#[derive(Debug, Clone)]
pub struct EmitSettings {
    /// Package name of the generated crate.
    pub crate_name: String,
    /// The cargo feature behind which `fake.rs` (local endpoint routes and fakes) is emitted;
    /// `None` emits no fakes.
    pub fake_feature: Option<String>,
}

/// The model registry for workspace tests: decoders for every model by spec name.
pub fn emit_test_registry(api: &Api, settings: &EmitSettings) -> TokenStream {
    registry::emit_registry(api, &settings.crate_name, &Names::new(api))
}

/// The operation dispatch registry for workspace tests: calls any operation by its operation id
/// with parameters by spec name (an example file's `parameters`) and returns its result as JSON.
/// The crate it goes into must depend on the generated crate, `arm-runtime`, `serde`,
/// `serde_json`, `serde_path_to_error` and `futures`.
pub fn emit_dispatch_registry(api: &Api, settings: &EmitSettings) -> TokenStream {
    dispatch::emit_dispatch(api, &settings.crate_name, &Names::new(api))
}

/// Whether `tokens` name the identifier `name` anywhere, so a module imports only what it uses.
pub(crate) fn names_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => names_ident(&group.stream(), name),
        _ => false,
    })
}

/// HTTP status codes as unsuffixed literals (`200`, not `200u16`), for readable generated code.
fn statuses(codes: &[u16]) -> Vec<proc_macro2::Literal> {
    codes
        .iter()
        .map(|code| proc_macro2::Literal::u16_unsuffixed(*code))
        .collect()
}

/// Emits every file of the generated crate's `src/`; `examples` supply the responses the local
/// endpoint answers actions with.
pub fn emit(api: &Api, examples: &Examples, settings: &EmitSettings) -> Vec<EmittedFile> {
    let names = Names::new(api);
    let graph = TypeGraph::new(api);
    let areas = assign_areas(api, &graph);
    let newtype_names: Vec<String> = api
        .types
        .iter()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Newtype(_)))
        .map(|(name, _)| name.clone())
        .collect();
    let has_params = !newtype_names.is_empty();
    let mut files = Vec::new();
    if has_params {
        files.push(EmittedFile {
            path: "params.rs".into(),
            tokens: newtypes::emit_params_module(api, &newtype_names, &names),
        });
    }
    let mut area_names = Vec::new();
    for (area, type_names) in &areas {
        files.push(EmittedFile {
            path: format!("models/{area}.rs"),
            tokens: models::emit_area(api, area, type_names, &names, &graph),
        });
        area_names.push(area.clone());
    }
    let groups = operations::groups(api);
    for group in &groups {
        files.push(EmittedFile {
            path: format!("operations/{}.rs", group.module),
            tokens: operations::emit_group(api, group, &names, &graph),
        });
    }
    files.push(EmittedFile {
        path: "operations/pages.rs".into(),
        tokens: operations::emit_pages(api, &names),
    });
    files.push(EmittedFile {
        path: "operations/mod.rs".into(),
        tokens: operations::emit_operations_mod(&groups),
    });
    if settings.fake_feature.is_some() {
        files.push(EmittedFile {
            path: "fake.rs".into(),
            tokens: fake::emit_fake(api, &groups, examples, &names),
        });
    }
    files.push(EmittedFile {
        path: "client.rs".into(),
        tokens: root::emit_client(api, &groups),
    });
    files.push(EmittedFile {
        path: "models/mod.rs".into(),
        tokens: root::emit_models_mod(&area_names),
    });
    files.push(EmittedFile {
        path: "lib.rs".into(),
        tokens: root::emit_lib(api, settings, has_params),
    });
    files
}

const COMMON_AREA: &str = "common";

/// Area (module name under `models/`) → the IR names of the models in it. Newtypes are not
/// models: they go to `params.rs`.
fn assign_areas(api: &Api, graph: &TypeGraph) -> BTreeMap<String, Vec<String>> {
    let mut users: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for operation in &api.operations {
        let area = sanitize(&operation.group, Case::Snake);
        for name in graph.reachable(operation.referenced_types()) {
            users.entry(name).or_default().insert(area.clone());
        }
    }
    let mut areas: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, def) in &api.types {
        if matches!(def.kind, TypeKind::Newtype(_)) {
            continue;
        }
        let area = match users.get(name.as_str()) {
            Some(groups) if groups.len() == 1 => groups.iter().next().cloned().unwrap_or_default(),
            _ => COMMON_AREA.to_owned(),
        };
        areas.entry(area).or_default().push(name.clone());
    }
    areas
}

/// Rust names of the IR's types: unique, sanitized, stable.
#[derive(Debug)]
pub struct Names {
    types: BTreeMap<String, String>,
}

impl Names {
    fn new(api: &Api) -> Self {
        let mut taken = HashSet::new();
        let mut types = BTreeMap::new();
        for name in api.types.keys() {
            let base = sanitize(name, Case::Type);
            let mut rust = base.clone();
            let mut counter = 2;
            while !taken.insert(rust.clone()) {
                rust = format!("{base}{counter}");
                counter += 1;
            }
            types.insert(name.clone(), rust);
        }
        Self { types }
    }

    /// The Rust name of the IR type `name`.
    pub fn type_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.types.get(name).map_or(name, String::as_str)
    }
}
