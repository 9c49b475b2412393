//! The crate root (`lib.rs`) and `models/mod.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::EmitSettings;
use super::docs::{code, inner_doc_attrs, prose};
use crate::ir::Api;

/// `lib.rs`: crate docs, modules, the api-version and the runtime items users need.
pub fn emit_lib(api: &Api, settings: &EmitSettings, has_params: bool) -> TokenStream {
    let title = format!("# {}", api.title);
    let intro = format!(
        "Typed client for the {} REST API, api-version {}, generated from its spec.",
        prose(&api.title),
        code(&api.api_version)
    );
    let description = api.description.as_deref().map(prose).unwrap_or_default();
    let layout = format!(
        "Crate {}: [`models`] holds every request and response type{}. Regenerate with `cargo xtask regen`.",
        code(&settings.crate_name),
        if has_params {
            ", [`params`] the validated parameter types"
        } else {
            ""
        }
    );
    let docs = inner_doc_attrs(&[title, intro, description, layout]);
    let params = has_params.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod params;
        }
    });
    let api_version = &api.api_version;
    quote! {
        #docs
        #![deny(missing_docs)]

        // Generated modules are formatted by prettyplease at generation time.
        #[rustfmt::skip]
        pub mod models;
        #params

        /// The api-version every request of this crate sends.
        pub const API_VERSION: &str = #api_version;

        pub use arm_runtime::{Secret, Validate, ValidationError};
    }
}

/// `models/mod.rs`: declares the area modules and re-exports all their models.
pub fn emit_models_mod(areas: &[String]) -> TokenStream {
    let modules = areas.iter().map(|area| format_ident!("{}", area));
    let reexports = modules.clone();
    quote! {
        //! Request and response models, grouped by the operation group that uses them and
        //! re-exported here, so every model is `models::Name`.
        //!
        //! Structs keep the wire's nesting (a resource's `properties` stay in `properties`); every
        //! struct keeps properties it does not know in `additional_properties` and sends them back.
        #(#[rustfmt::skip] mod #modules;)*
        #(pub use self::#reexports::*;)*
    }
}
