//! A model registry for workspace tests: a function that decodes JSON as a model named by its
//! spec name and serializes it back, so tests driven by the spec's example files can reach every
//! model without a hand-written list.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Names;
use crate::ir::{Api, TypeKind};
use crate::names::{Case, sanitize};

/// The registry module for the generated crate named `crate_name`.
pub fn emit_registry(api: &Api, crate_name: &str, names: &Names) -> TokenStream {
    let krate = format_ident!("{}", sanitize(crate_name, Case::Snake));
    let arms = api
        .types
        .iter()
        .filter(|(_, def)| !matches!(def.kind, TypeKind::Newtype(_)))
        .map(|(name, _)| {
            let ty = format_ident!("{}", names.type_name(name));
            quote!(#name => round_trip_as::<#krate::models::#ty>(json, out),)
        });
    quote! {
        //! Decoders for every model of the generated crate, by spec name, for workspace tests.

        /// Decodes `json` as the model named `name` in the spec and encodes it back into `out`
        /// (a `JsonWriter::new()`, or `declared_only()` to leave out the properties the model
        /// kept aside); `None` if the spec has no such model. Errors name the JSON path that
        /// failed.
        pub fn round_trip(
            name: &str,
            json: &serde_json::Value,
            out: arm_runtime::json::JsonWriter,
        ) -> Option<Result<serde_json::Value, String>> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }

        /// Decodes `json` with the model's `Decode` and encodes it back into `out` with its
        /// `Encode`, as the client does.
        fn round_trip_as<T: arm_runtime::json::Decode + arm_runtime::json::Encode>(
            json: &serde_json::Value,
            mut out: arm_runtime::json::JsonWriter,
        ) -> Result<serde_json::Value, String> {
            let model: T = arm_runtime::json::from_value(json.clone())
                .map_err(|error| format!("at {}: {}", error.path(), error.message()))?;
            arm_runtime::json::Encode::encode(&model, &mut out);
            serde_json::from_slice(&out.into_bytes()).map_err(|error| error.to_string())
        }
    }
}
