//! `operations/pages.rs`: the runtime's `Page` for every page model of a pageable operation: how
//! it splits into its items and the link to the next page.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::types::qualified_type;
use crate::plan::Plan;

/// The `pages` module.
pub fn emit_pages(plan: &Plan<'_>) -> TokenStream {
    let impls: Vec<TokenStream> = plan
        .pages
        .iter()
        .map(|page| {
            let page_ident = format_ident!("{}", plan.type_ident(&page.page));
            let item_type = qualified_type(page.item_type, plan);
            let (items_field, items_required) = &page.items;
            let items_field = format_ident!("{}", items_field);
            let items = if *items_required {
                quote!(self.#items_field)
            } else {
                quote!(self.#items_field.unwrap_or_default())
            };
            let next = match &page.next_link {
                Some((field, required)) => {
                    let ident = format_ident!("{}", field);
                    if *required {
                        quote!(Some(self.#ident))
                    } else {
                        quote!(self.#ident)
                    }
                }
                None => quote!(None),
            };
            quote! {
                impl azrm_runtime::Page for models::#page_ident {
                    type Item = #item_type;
                    fn into_items(self) -> (Vec<Self::Item>, Option<String>) {
                        (#items, #next)
                    }
                }
            }
        })
        .collect();
    let import = (!impls.is_empty()).then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        //! How each page model splits into its items and the link to the next page.
        #import
        #(#impls)*
    }
}
