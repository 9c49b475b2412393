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

        use crate::dispatch::{RoundTrip, round_trip_as};

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
    }
}
