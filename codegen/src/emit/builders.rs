//! Each struct's `new` (its required properties) and `with_*` setters, as the plan's
//! [`BuilderPlan`] says, so that a request body is one expression.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::code;
use super::types::rust_type;
use crate::ir::{Field, StructDef, TypeKind};
use crate::plan::{BuilderPlan, FieldInit, FieldPlan, Plan, SetterPlan, StructPlan, TypeShape};

/// The `impl` block with `new` and the setters of the struct `ident`, if it has any.
pub fn emit_builder(
    plan: &Plan<'_>,
    ident: &syn::Ident,
    s: &StructDef,
    shape: &StructPlan,
) -> TokenStream {
    let builder: &BuilderPlan = &shape.builder;
    let constructor = emit_constructor(plan, s, shape);
    let setters = builder
        .setters
        .iter()
        .filter_map(|setter| emit_setter(plan, shape, setter));
    let methods = quote!(#constructor #(#setters)*);
    if methods.is_empty() {
        return methods;
    }
    quote! {
        impl #ident {
            #methods
        }
    }
}

fn emit_constructor(plan: &Plan<'_>, s: &StructDef, shape: &StructPlan) -> Option<TokenStream> {
    let constructor = shape.builder.constructor.as_ref()?;
    let arg_idents: Vec<syn::Ident> = constructor
        .args
        .iter()
        .map(|arg| format_ident!("{}", arg.ident))
        .collect();
    let params = constructor
        .args
        .iter()
        .zip(&arg_idents)
        .map(|(arg, ident)| {
            let ty = rust_type(&arg.ty, plan);
            quote!(#ident: impl Into<#ty>)
        });
    let inits = s
        .fields
        .iter()
        .zip(&shape.fields)
        .zip(&constructor.inits)
        .map(|((_, field_plan), init)| {
            let field = format_ident!("{}", field_plan.ident);
            let value = match init {
                FieldInit::Arg(index) => {
                    let arg = &arg_idents[*index];
                    quote!(#arg.into())
                }
                FieldInit::Nested { ty, args } => {
                    let ty = format_ident!("{}", plan.type_ident(ty));
                    let args = args.iter().map(|index| &arg_idents[*index]);
                    quote!(#ty::new(#(#args),*))
                }
                FieldInit::Default => quote!(Default::default()),
                FieldInit::Unset if field_plan.nullable => {
                    return quote!(#field: azrm_runtime::Nullable::Absent,);
                }
                FieldInit::Unset => return quote!(#field: None,),
            };
            if field_plan.boxed {
                quote!(#field: Box::new(#value),)
            } else {
                quote!(#field: #value,)
            }
        });
    let extras = format_ident!("{}", shape.extras);
    let many = (constructor.args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    Some(quote! {
        /// Creates the model from the properties a request must have (a flattened struct's
        /// among them); the others are unset.
        #many
        pub fn new(#(#params),*) -> Self {
            Self {
                #(#inits)*
                #extras: BTreeMap::new(),
            }
        }
    })
}

fn emit_setter(plan: &Plan<'_>, shape: &StructPlan, setter: &SetterPlan) -> Option<TokenStream> {
    let owner = plan.types.get(&setter.owner)?;
    let (TypeKind::Struct(owner_def), TypeShape::Struct(owner_shape)) =
        (&owner.def.kind, &owner.shape)
    else {
        return None;
    };
    let field: &Field = owner_def.fields.get(setter.field)?;
    let field_plan: &FieldPlan = owner_shape.fields.get(setter.field)?;
    let method = format_ident!("{}", setter.method);
    let ident = format_ident!("{}", field_plan.ident);
    let ty = rust_type(&field.ty, plan);
    let mut value = quote!(value.into());
    if field_plan.boxed {
        value = quote!(Box::new(#value));
    }
    if field_plan.nullable {
        value = quote!(azrm_runtime::Nullable::Value(#value));
    } else if !field.required {
        value = quote!(Some(#value));
    }
    let (place, doc) = match &setter.through {
        None => (
            quote!(self.#ident),
            format!(" Sets {}.", code(&field.wire_name)),
        ),
        Some(through) => {
            let outer = shape.fields.get(through.field)?;
            let outer_ident = format_ident!("{}", outer.ident);
            let outer_place = if through.optional {
                quote!(self.#outer_ident.get_or_insert_with(Default::default))
            } else {
                quote!(self.#outer_ident)
            };
            (
                quote!(#outer_place.#ident),
                format!(
                    " Sets {} inside {}.",
                    code(&field.wire_name),
                    code(&outer.ident)
                ),
            )
        }
    };
    let clear = setter.clear.as_ref().map(|clear| {
        let clear = format_ident!("{}", clear);
        let doc = format!(
            " Sends {} as `null` (in a `PATCH` body: removes it on the service).",
            code(&field.wire_name)
        );
        quote! {
            #[doc = #doc]
            pub fn #clear(mut self) -> Self {
                #place = azrm_runtime::Nullable::Null;
                self
            }
        }
    });
    Some(quote! {
        #[doc = #doc]
        pub fn #method(mut self, value: impl Into<#ty>) -> Self {
            #place = #value;
            self
        }

        #clear
    })
}
