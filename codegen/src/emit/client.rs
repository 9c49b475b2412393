//! `client.rs`: the crate's `Client`, with one accessor per operation group, and its client
//! parameters (the values set once on the builder, which operations read from the client): a
//! setter each on the runtime's `ClientBuilder` through the `ClientParameters` trait, and the
//! check `build()` runs on them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc_attrs, prose};
use super::operations::check;
use super::types::primitive_type;
use crate::plan::{ClientParamPlan, ParamKind, Plan};

/// The trait of the client parameters' setters, implemented for the crate's `ClientBuilder`.
pub const CLIENT_PARAMETERS: &str = "ClientParameters";

/// `client.rs`.
pub fn emit_client(plan: &Plan<'_>) -> TokenStream {
    let title = prose(&plan.api.title);
    let doc = format!(
        " A client for the {title} API: the endpoint, the subscription, the credential, retries, \
         {}and one accessor per operation group. Cheap to clone.",
        if plan.client_params.is_empty() {
            ""
        } else {
            "the spec's client parameters, "
        }
    );
    let accessors = plan.groups.iter().map(|group| {
        let method = format_ident!("{}", group.accessor);
        let ty = format_ident!("{}", group.ident);
        let doc = format!(" The `{}` operations.", group.name);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> crate::operations::#ty<'_> {
                crate::operations::#ty::new(&self.inner)
            }
        }
    });
    let (builder_doc, check_hook) = if plan.client_params.is_empty() {
        (String::new(), quote!())
    } else {
        let required: Vec<String> = plan
            .client_params
            .iter()
            .filter(|param| param.required)
            .map(|param| format!("`.{}(..)`", param.setter))
            .collect();
        let required = if required.is_empty() {
            String::new()
        } else {
            format!(" (required: {})", required.join(", "))
        };
        (
            format!(
                "The spec's client parameters are set with the setters of \
                 [`{CLIENT_PARAMETERS}`]{required}; `build()` checks them."
            ),
            quote!(.check_client(check_client_parameters)),
        )
    };
    let builder_doc = doc_attrs(&[
        "Starts configuring a client for `subscription_id`: set a credential with\n\
         `.credential(..)` (an `azure_identity` credential as its constructor returns it,\n\
         or any `Arc` of a `TokenCredential`), optionally `.endpoint(..)`, `.retry(..)`,\n\
         `.timeout(..)`, `.validation(..)`, then `.build()`."
            .to_owned(),
        builder_doc,
    ]);
    let parameters = emit_client_parameters(&plan.client_params);
    quote! {
        //! The entry point: [`Client`].
        use azrm_runtime::ClientBuilder;

        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: azrm_runtime::Client,
        }

        impl Client {
            #builder_doc
            pub fn builder(subscription_id: impl Into<String>) -> ClientBuilder<Client> {
                ClientBuilder::new(subscription_id)
                    .package(env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"))
                    #check_hook
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &azrm_runtime::Client {
                &self.inner
            }

            #(#accessors)*
        }

        impl From<azrm_runtime::Client> for Client {
            fn from(inner: azrm_runtime::Client) -> Self {
                Self { inner }
            }
        }

        #parameters
    }
}

/// The `ClientParameters` trait with a setter per client parameter, and the check of their
/// values that `build()` runs; nothing when the spec has none.
fn emit_client_parameters(params: &[ClientParamPlan<'_>]) -> TokenStream {
    if params.is_empty() {
        return quote!();
    }
    let trait_ident = format_ident!("{}", CLIENT_PARAMETERS);
    let (declarations, definitions): (Vec<_>, Vec<_>) = params.iter().map(setter).unzip();
    let checks = params.iter().map(check_value);
    quote! {
        /// The spec's client parameters: values set once on the client's builder and sent by
        /// every operation that uses them. [`ClientBuilder::build`] fails, naming the
        /// parameter, when a required one is unset or a value breaks the spec's constraints.
        pub trait #trait_ident {
            #(#declarations)*
        }

        impl #trait_ident for ClientBuilder<Client> {
            #(#definitions)*
        }

        /// The check [`ClientBuilder::build`] runs on the client parameters.
        fn check_client_parameters(client: &azrm_runtime::Client) -> Result<(), azrm_runtime::Error> {
            #(#checks)*
            Ok(())
        }
    }
}

/// The declaration and definition of `param`'s setter.
fn setter(param: &ClientParamPlan<'_>) -> (TokenStream, TokenStream) {
    let (setter, wire) = (format_ident!("{}", param.setter), &param.param.wire_name);
    let (arg, text) = match &param.kind {
        ParamKind::Enum(ty) => {
            let ty = format_ident!("{}", ty);
            (
                quote!(crate::models::#ty),
                quote!(value.as_str().to_owned()),
            )
        }
        ParamKind::Scalar(primitive) => (primitive_type(*primitive), quote!(value.to_string())),
        // The IR refuses array and map client parameters.
        _ => (quote!(impl Into<String>), quote!(value.into())),
    };
    let doc = doc_attrs(&[
        param
            .param
            .description
            .as_deref()
            .map_or_else(|| format!("The {} parameter.", code(wire)), prose),
        format!(
            "Client parameter {}: {}.",
            code(wire),
            if param.required {
                "required, `build()` fails without it"
            } else {
                "optional, sent only when set"
            }
        ),
    ]);
    (
        quote! {
            #doc
            fn #setter(self, value: #arg) -> Self;
        },
        quote! {
            fn #setter(self, value: #arg) -> Self {
                self.client_value(#wire, #text)
            }
        },
    )
}

/// The check of `param`'s value by `build()`: there if required, valid if constrained.
fn check_value(param: &ClientParamPlan<'_>) -> TokenStream {
    let wire = &param.param.wire_name;
    let validation = quote!(client.validation());
    let value = if param.required {
        quote!(client.required_client_value(#wire)?)
    } else {
        quote!(client.client_value(#wire))
    };
    match &param.kind {
        // A number is checked as the number it was set as.
        ParamKind::Scalar(primitive) => {
            let ty = primitive_type(*primitive);
            let Some(check) = check(&param.kind, param.param, &quote!(number), &validation) else {
                return required_only(param, &value);
            };
            if param.required {
                quote!(if let Ok(number) = #value.parse::<#ty>() #check)
            } else {
                quote!(if let Some(value) = #value && let Ok(number) = value.parse::<#ty>() #check)
            }
        }
        kind => {
            let Some(check) = check(kind, param.param, &quote!(value), &validation) else {
                return required_only(param, &value);
            };
            if param.required {
                quote! {
                    let value = #value;
                    #check
                }
            } else {
                quote!(if let Some(value) = #value { #check })
            }
        }
    }
}

/// The check of a value without constraints: a required one must be there.
fn required_only(param: &ClientParamPlan<'_>, value: &TokenStream) -> TokenStream {
    if param.required {
        quote!(#value;)
    } else {
        quote!()
    }
}
