//! The crate root (`lib.rs`) and `models/mod.rs`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::EmitSettings;
use super::client::CLIENT_PARAMETERS;
use super::docs::{code, inner_doc_attrs, prose};
use crate::plan::{HostPlan, Plan, ResultKind};

/// Runtime items that appear in the generated crate's public signatures or that its users
/// need, re-exported so they depend on one crate: paths under `azrm_runtime`, each re-exported
/// under its last segment.
const RUNTIME_REEXPORTS: &[&str] = &[
    "ArmError",
    "ArmId",
    "AzureCloud",
    "CallOptions",
    "ClientBuilder",
    "Error",
    "ErrorKind",
    "FieldPath",
    "Headers",
    "IntoCredential",
    "ItemPage",
    "Nullable",
    "Page",
    "Pager",
    "Poller",
    "PollerStatus",
    "ProviderRegistration",
    "RawResponse",
    "Response",
    "RetryOptions",
    "Rule",
    "Secret",
    "StaticTokenCredential",
    "TokenCredential",
    "UnlistedValue",
    "Uri",
    "Validate",
    "Validation",
    "ValidationError",
    "json::Decode",
    "json::Encode",
];

/// What the crate's `prelude` brings in: the client, a call's options and result, errors.
const PRELUDE: &[&str] = &[
    "CallOptions",
    "Client",
    "Error",
    "ErrorKind",
    "Pager",
    "Poller",
    "PollerStatus",
    "Response",
    "RetryOptions",
    "models",
];

/// `endpoint(..)`: the spec's host template (`x-ms-parameterized-host`) filled in, for
/// `ClientBuilder::endpoint`.
fn emit_endpoint(plan: &HostPlan<'_>) -> TokenStream {
    let host = plan.host;
    let params: Vec<(&crate::ir::HostParameter, syn::Ident)> = plan
        .params
        .iter()
        .map(|(param, name)| (*param, format_ident!("{}", name)))
        .collect();
    // The template as a `format!` string: `{name}` of a parameter becomes `{}`, in order.
    let mut format = host
        .scheme
        .as_ref()
        .map_or_else(String::new, |s| format!("{s}://"));
    let mut args = Vec::new();
    let mut rest = host.template.as_str();
    while let Some(start) = rest.find('{') {
        format.push_str(&rest[..start].replace('}', "}}"));
        let after = &rest[start + 1..];
        let known = after.find('}').and_then(|end| {
            let name = &after[..end];
            params
                .iter()
                .find(|(param, _)| param.name == name)
                .map(|(_, ident)| (end, ident))
        });
        match known {
            Some((end, ident)) => {
                format.push_str("{}");
                args.push(ident.clone());
                rest = &after[end + 1..];
            }
            None => {
                format.push_str("{{");
                rest = after;
            }
        }
    }
    format.push_str(&rest.replace('}', "}}"));
    let mut doc = vec![format!(
        "The endpoint to build the client with ([`ClientBuilder::endpoint`]): {}the spec's \
             host template {} (`x-ms-parameterized-host`) filled in with these values, used as \
             they are.",
        host.scheme
            .as_ref()
            .map_or_else(String::new, |scheme| format!("`{scheme}://` and ")),
        code(&host.template),
    )];
    for (param, ident) in &params {
        let mut line = format!("- `{ident}`");
        if let Some(description) = &param.description {
            line.push_str(": ");
            line.push_str(&prose(description));
        }
        if let Some(default) = &param.default {
            line.push_str(&format!(" (the spec's default: {})", code(default)));
        }
        doc.push(line);
    }
    let doc = super::docs::doc_attrs(&doc);
    let idents = params.iter().map(|(_, ident)| ident);
    let call = if args.is_empty() {
        quote!(#format.to_owned())
    } else {
        quote!(format!(#format, #(#args),*))
    };
    quote! {
        #doc
        pub fn endpoint(#(#idents: &str),*) -> String {
            #call
        }
    }
}

/// `lib.rs`: crate docs, modules, the api-version and the runtime items users need.
pub fn emit_lib(plan: &Plan<'_>, settings: &EmitSettings, has_params: bool) -> TokenStream {
    let api = plan.api;
    let title = format!("# {}", api.title);
    let intro = format!(
        "Typed client for the {} REST API, api-version {}, generated from its spec.",
        prose(&api.title),
        code(&api.api_version)
    );
    let description = settings
        .about
        .as_deref()
        .or(api.description.as_deref())
        .map(prose)
        .unwrap_or_default();
    let layout = format!(
        "Crate {}: [`Client`] is the entry point, with one accessor per operation group; \
         [`operations`] holds the groups, [`models`] every request and response type{}. \
         Regenerate with `cargo xtask regen`.",
        code(&settings.crate_name),
        if has_params {
            ", [`params`] the validated parameter types"
        } else {
            ""
        }
    );
    // A hand-written front page replaces the title and description; the generated facts
    // (api-version, layout) follow it under their own heading.
    let docs = match &settings.readme {
        Some(readme) => {
            let include = format!("../{readme}");
            let generated = inner_doc_attrs(&["## Generated code".to_owned(), intro, layout]);
            quote! {
                #![doc = include_str!(#include)]
                #generated
            }
        }
        None => inner_doc_attrs(&[title, intro, description, layout]),
    };
    let params = has_params.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod params;
        }
    });
    let ids = (!plan.ids.ids.is_empty()).then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod ids;
        }
    });
    let fake = settings.fake_feature.as_ref().map(|feature| {
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod fake;
        }
    });
    let endpoint = plan.host.as_ref().map(emit_endpoint);
    let api_version = &api.api_version;
    // Specs that are not ARM-shaped may leave `api-version` out of some operations.
    let api_version_doc = if plan.operations().all(|(_, op)| op.sends_api_version) {
        " The api-version every request of this crate sends."
    } else {
        " The spec's version: the `api-version` that the operations with that parameter send \
         (the others send none)."
    };
    // One `pub use` per item, in rustfmt's order: the crate root is formatted by rustfmt too.
    let mut items: Vec<&str> = RUNTIME_REEXPORTS.to_vec();
    // The body of a file, only where an operation returns one.
    let files = plan
        .operations()
        .any(|(_, operation)| matches!(operation.result, ResultKind::File { .. }));
    items.extend(files.then_some("BodyStream"));
    items.sort_unstable();
    let reexports = items.iter().map(|item| {
        let path = item.split("::").map(|segment| format_ident!("{}", segment));
        quote!(pub use azrm_runtime::#(#path)::*;)
    });
    // The client parameters' setters are a trait: in the prelude, so `use crate::prelude::*`
    // brings them in.
    let parameters = (!plan.client_params.is_empty()).then_some(CLIENT_PARAMETERS);
    let client_reexport = match parameters {
        Some(parameters) => {
            let parameters = format_ident!("{}", parameters);
            quote!(pub use client::{Client, #parameters};)
        }
        None => quote!(
            pub use client::Client;
        ),
    };
    let mut prelude: Vec<&str> = PRELUDE.iter().copied().chain(parameters).collect();
    prelude.sort_unstable();
    let prelude = prelude.iter().map(|item| format_ident!("{}", item));
    quote! {
        #docs
        #![deny(missing_docs)]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #params
        #ids
        #fake

        #[doc = #api_version_doc]
        pub const API_VERSION: &str = #api_version;

        #endpoint

        #(#reexports)*
        /// The runtime's client underneath this crate's [`Client`] ([`Client::runtime`]).
        pub use azrm_runtime::Client as RuntimeClient;
        #client_reexport
        /// The JSON crate of [`serde_json::Value`] in models (free-form properties).
        pub use serde_json;
        /// The date and time crate of [`time::OffsetDateTime`] in models.
        pub use time;
        /// The UUID crate of [`uuid::Uuid`] in models.
        pub use uuid;

        /// What most code using this crate needs: `use crate_name::prelude::*;`.
        pub mod prelude {
            #(pub use crate::#prelude;)*
        }
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
