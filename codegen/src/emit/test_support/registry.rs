//! A model registry for workspace tests: a function that decodes JSON as a model named by its
//! spec name and serializes it back (and prints its `Debug`), so tests driven by the spec's
//! example files, or walking the IR, can reach every model without a hand-written list.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::names::{Case, sanitize};
use crate::plan::{Plan, TypeShape};

/// The registry module for the generated crate named `crate_name`.
pub fn emit_registry(plan: &Plan<'_>, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", sanitize(crate_name, Case::Snake));
    let arms = plan
        .types
        .iter()
        .filter(|(_, model)| !matches!(model.shape, TypeShape::Newtype(_)))
        .map(|(name, model)| {
            let ty = format_ident!("{}", model.ident);
            quote!(#name => round_trip_as::<#krate::models::#ty>(json, out),)
        });
    quote! {
        //! Decoders for every model of the generated crate, by spec name, for workspace tests.

        /// A model decoded and encoded back.
        pub struct RoundTrip {
            /// The model encoded back to JSON.
            pub json: serde_json::Value,
            /// The model's `Debug` output.
            pub debug: String,
        }

        /// Decodes `json` as the model named `name` in the spec and encodes it back into `out`
        /// (a `JsonWriter::new()`, or `declared_only()` to leave out the properties the model
        /// kept aside); `None` if the spec has no such model. Errors name the JSON path that
        /// failed.
        pub fn round_trip(
            name: &str,
            json: &serde_json::Value,
            out: azrm_runtime::json::JsonWriter,
        ) -> Option<Result<RoundTrip, String>> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }

        /// Decodes `json` with the model's `Decode` and encodes it back into `out` with its
        /// `Encode`, as the client does.
        fn round_trip_as<T: azrm_runtime::json::Decode + azrm_runtime::json::Encode + std::fmt::Debug>(
            json: &serde_json::Value,
            mut out: azrm_runtime::json::JsonWriter,
        ) -> Result<RoundTrip, String> {
            let model: T = azrm_runtime::json::from_value(json.clone())
                .map_err(|error| format!("at {}: {}", error.path(), error.message()))?;
            azrm_runtime::json::Encode::encode(&model, &mut out);
            let json = serde_json::from_slice(&out.into_bytes()).map_err(|error| error.to_string())?;
            Ok(RoundTrip { json, debug: format!("{model:?}") })
        }
    }
}
