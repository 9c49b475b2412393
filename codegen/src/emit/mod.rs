//! Stage 5, **emit**: the plan as Rust token streams, one module per area.
//!
//! Models are grouped by the operation group that uses them (`models/sql_resources.rs`, ...);
//! models used by several groups, or by none, go to `models/common.rs`. Each area's JSON codec
//! impls go to its private `codec` submodule (`models/sql_resources/codec.rs`). Validated
//! parameter newtypes go to `params.rs`, typed resource ids to `ids.rs`. `models/mod.rs`
//! re-exports every model, so users write `models::DatabaseAccountGetResults` without knowing
//! the area.
//!
//! Every emitter reads the [`Plan`]: names and decisions come from it, the IR supplies only data
//! (wire names, descriptions, constraints). [`test_support`] holds the emitters of files for
//! workspace tests, which are never part of a generated crate.

mod builders;
mod client;
mod docs;
mod example_code;
mod fake;
mod ids;
mod model_json;
mod models;
mod newtypes;
mod operations;
mod root;
pub mod skeleton;
pub mod test_support;
mod types;
mod validate;

use proc_macro2::TokenStream;

use crate::examples::Examples;
use crate::plan::Plan;

/// One file to write, relative to the crate's `src/`.
#[derive(Debug)]
pub struct EmittedFile {
    /// Path relative to `src/`, with `/` separators.
    pub path: String,
    /// The file's code.
    pub tokens: TokenStream,
}

/// Settings the emitter needs besides the plan.
#[derive(Debug, Clone)]
pub struct EmitSettings {
    /// Package name of the generated crate.
    pub crate_name: String,
    /// The cargo feature behind which `fake.rs` (local endpoint routes and fakes) is emitted;
    /// `None` emits no fakes.
    pub fake_feature: Option<String>,
    /// What the crate is, for its front page; `None` uses the spec's description.
    pub about: Option<String>,
    /// The crate's hand-written front page, relative to the crate folder with `/` separators
    /// (`README.md`), which the crate docs include; `None` generates the whole front page.
    pub readme: Option<String>,
}

/// Whether `tokens` name the identifier `name` anywhere, so a module imports only what it uses.
pub(crate) fn names_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => names_ident(&group.stream(), name),
        _ => false,
    })
}

/// The runtime's `Method` variant of an HTTP method.
fn http_method(method: crate::ir::Method) -> TokenStream {
    use crate::ir::Method;
    match method {
        Method::Get => quote::quote!(Method::Get),
        Method::Put => quote::quote!(Method::Put),
        Method::Post => quote::quote!(Method::Post),
        Method::Patch => quote::quote!(Method::Patch),
        Method::Delete => quote::quote!(Method::Delete),
        Method::Head => quote::quote!(Method::Head),
        Method::Options => quote::quote!(Method::Options),
    }
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
pub fn emit(plan: &Plan<'_>, examples: &Examples, settings: &EmitSettings) -> Vec<EmittedFile> {
    let has_params = plan.newtypes().next().is_some();
    let mut files = Vec::new();
    if has_params {
        files.push(EmittedFile {
            path: "params.rs".into(),
            tokens: newtypes::emit_params_module(plan),
        });
    }
    let krate = crate::names::sanitize(&settings.crate_name, crate::names::Case::Snake);
    let docs = operations::DocContext {
        krate: &krate,
        examples,
    };
    let areas = plan.areas();
    for (area, models) in &areas {
        let modules = models::emit_area(plan, area, models);
        files.push(EmittedFile {
            path: format!("models/{area}.rs"),
            tokens: modules.models,
        });
        files.push(EmittedFile {
            path: format!("models/{area}/codec.rs"),
            tokens: modules.codec,
        });
    }
    for group in &plan.groups {
        files.push(EmittedFile {
            path: format!("operations/{}.rs", group.module),
            tokens: operations::emit_group(plan, group, &docs),
        });
    }
    files.push(EmittedFile {
        path: "operations/pages.rs".into(),
        tokens: operations::emit_pages(plan),
    });
    files.push(EmittedFile {
        path: "operations/mod.rs".into(),
        tokens: operations::emit_operations_mod(plan),
    });
    if settings.fake_feature.is_some() {
        files.push(EmittedFile {
            path: "fake.rs".into(),
            tokens: fake::emit_fake(plan, examples),
        });
    }
    if let Some(tokens) = ids::emit_ids(&plan.ids, &settings.crate_name) {
        files.push(EmittedFile {
            path: "ids.rs".into(),
            tokens,
        });
    }
    files.push(EmittedFile {
        path: "client.rs".into(),
        tokens: client::emit_client(plan),
    });
    let area_names: Vec<String> = areas.keys().map(|area| (*area).to_owned()).collect();
    files.push(EmittedFile {
        path: "models/mod.rs".into(),
        tokens: root::emit_models_mod(&area_names),
    });
    files.push(EmittedFile {
        path: "lib.rs".into(),
        tokens: root::emit_lib(plan, settings, has_params),
    });
    files
}
