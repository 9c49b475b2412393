//! Paging, resolved: how each page model splits into its items and next link (by the plan's
//! field names), and how a pageable operation's pager fetches further pages, in particular
//! through the next-page operation a spec names (`x-ms-pageable.operationName`).

use std::collections::BTreeMap;

use super::operations::{OperationPlan, ParamKind, ParamPlan};
use super::types::{TypePlan, TypeShape};
use crate::ir::{Api, TypeKind, TypeRef};

/// How a pageable operation's pager fetches further pages.
#[derive(Debug)]
pub enum PagerPlan {
    /// GETs of each page's next link.
    Plain,
    /// None: the spec says the operation has no next link, though its page model has one.
    Single,
    /// Requests of the next-page operation the spec names (`x-ms-pageable.operationName`).
    WithNext(NextPagePlan),
}

/// How the next-page operation's request is built from a page's next link and this call's
/// arguments (by wire name).
#[derive(Debug)]
pub struct NextPagePlan {
    /// The next-page operation's request builder (in the same group).
    pub request_fn: String,
    /// What the pager keeps of this call's arguments, in order.
    pub captures: Vec<Capture>,
    /// The next-page request builder's arguments.
    pub args: Vec<NextArg>,
    /// Whether the next-page operation takes the link (else it ignores it, as autorest does).
    pub takes_link: bool,
}

/// Something a pager keeps from the first call, under the same name.
#[derive(Debug)]
pub enum Capture {
    /// A text or list argument, owned: `let x = x.to_owned();`.
    Owned(String),
    /// A cloned argument: `let x = x.clone();`.
    Cloned(String),
    /// An optional body reference, cloned: `let x = x.cloned();`.
    ClonedOption(String),
    /// The next operation's options, from this call's (`let next_options = ..`): `(field, this
    /// call's field)` pairs; other fields (the call options among them) take their defaults.
    Options {
        /// The next operation's options struct.
        ident: String,
        /// Each field set from this call's options.
        fields: Vec<(String, String)>,
    },
}

/// One argument of the next-page request.
#[derive(Debug)]
pub enum NextArg {
    /// The page's next link.
    Link,
    /// A kept scalar, by value.
    Value(String),
    /// A kept value, by reference.
    Ref(String),
    /// A kept required body, passed to an optional body: `Some(&x)`.
    SomeRef(String),
    /// A kept optional body: `x.as_ref()`.
    AsRef(String),
    /// No body.
    NoBody,
    /// The captured options: `&next_options`.
    Options,
}

/// A page model split into its items and next link, by Rust field names.
#[derive(Debug)]
pub struct PagePlan<'a> {
    /// The page model's IR name.
    pub page: String,
    /// The items' type.
    pub item_type: &'a TypeRef,
    /// The wire name of the property holding the items.
    pub items_wire: &'a str,
    /// The Rust field holding the items, and whether it is required.
    pub items: (String, bool),
    /// The Rust field holding the next link, and whether it is required.
    pub next_link: Option<(String, bool)>,
}

/// For a pageable operation whose spec names another operation that fetches further pages:
/// what the pager keeps of this call and how it builds that operation's request from a page's
/// next link (passed as its `nextLink` parameter, if it has one; the other parameters are this
/// call's, by wire name and type).
///
/// `None` means further pages are GETs of the next link: the spec names no operation (or this
/// one, without a `nextLink` parameter: autorest's default), or one in another group, or one that
/// needs a parameter or body this call does not have.
pub(super) fn next_page<'a>(
    first: &OperationPlan<'a>,
    group: &[OperationPlan<'a>],
) -> Option<NextPagePlan> {
    let next_id = first.op.pageable.as_ref()?.operation_name.as_deref()?;
    let next = group.iter().find(|plan| plan.op.id == next_id)?;
    let is_link = |plan: &ParamPlan<'_>| {
        plan.param.wire_name.eq_ignore_ascii_case("nextLink") && plan.kind == ParamKind::Text
    };
    if next.op.id == first.op.id
        && !next
            .op
            .params
            .iter()
            .any(|p| p.wire_name.eq_ignore_ascii_case("nextLink"))
    {
        return None;
    }
    let mut captures = Vec::new();
    let mut captured: Vec<&str> = Vec::new();
    let mut args = Vec::new();
    for param in &next.required {
        if is_link(param) {
            args.push(NextArg::Link);
            continue;
        }
        let same = first.required.iter().find(|mine| {
            mine.param.wire_name == param.param.wire_name
                && mine.param.location == param.param.location
                && mine.kind == param.kind
        })?;
        if !captured.contains(&same.ident.as_str()) {
            captured.push(&same.ident);
            match same.kind {
                ParamKind::Validated(_) | ParamKind::Text | ParamKind::List(_) => {
                    captures.push(Capture::Owned(same.ident.clone()));
                }
                ParamKind::Enum(_) | ParamKind::HeaderCollection(_) => {
                    captures.push(Capture::Cloned(same.ident.clone()));
                }
                // Copied into the closure.
                ParamKind::Scalar(_) => {}
            }
        }
        args.push(match same.kind {
            ParamKind::Scalar(_) => NextArg::Value(same.ident.clone()),
            _ => NextArg::Ref(same.ident.clone()),
        });
    }
    match (&next.body, &first.body) {
        (None, _) => {}
        (Some(body), Some(mine)) if body.param.ty == mine.param.ty => {
            let ident = mine.ident.clone();
            captures.push(if mine.param.required {
                Capture::Cloned(ident.clone())
            } else {
                Capture::ClonedOption(ident.clone())
            });
            args.push(match (body.param.required, mine.param.required) {
                (true, true) => NextArg::Ref(ident),
                (false, true) => NextArg::SomeRef(ident),
                (false, false) => NextArg::AsRef(ident),
                (true, false) => return None,
            });
        }
        (Some(body), _) if !body.param.required => args.push(NextArg::NoBody),
        (Some(_), _) => return None,
    }
    if !next.optional.is_empty() {
        let fields: Vec<(String, String)> = next
            .optional
            .iter()
            .filter_map(|param| {
                let same = first.optional.iter().find(|mine| {
                    mine.param.wire_name == param.param.wire_name
                        && mine.param.location == param.param.location
                        && mine.kind == param.kind
                })?;
                Some((param.ident.clone(), same.ident.clone()))
            })
            .collect();
        captures.push(Capture::Options {
            ident: next.options_ident.clone(),
            fields,
        });
        args.push(NextArg::Options);
    }
    Some(NextPagePlan {
        request_fn: next.request_fn.clone(),
        captures,
        args,
        takes_link: next.required.iter().any(is_link),
    })
}

/// The page model of every pageable operation that can be split into items and next link, in
/// operation order.
pub(super) fn plan_pages<'a>(
    api: &'a Api,
    types: &BTreeMap<String, TypePlan<'a>>,
) -> Vec<PagePlan<'a>> {
    let mut pages: Vec<PagePlan<'a>> = Vec::new();
    for op in api.operations.iter().filter(|op| op.pageable.is_some()) {
        let page = op.responses.iter().find_map(|r| {
            r.ty.as_ref()
                .and_then(TypeRef::named)
                .filter(|_| r.status.is_some_and(|s| s < 300))
        });
        let Some(page) = page else { continue };
        if pages.iter().any(|plan| plan.page == page) {
            continue;
        }
        if let Some(plan) = page_plan(api, types, page) {
            pages.push(plan);
        }
    }
    pages
}

/// How to split the page model named `page`; `None` when it has no list field by the
/// operations' `itemName`.
fn page_plan<'a>(
    api: &'a Api,
    types: &BTreeMap<String, TypePlan<'a>>,
    page: &str,
) -> Option<PagePlan<'a>> {
    // Operations sharing a page model may differ in `nextLinkName`: the model's next link is the
    // one any of them names (an operation whose spec says it has none uses a single page).
    let mut candidates = api
        .operations
        .iter()
        .filter_map(|op| op.pageable.as_ref().map(|p| (op, p)))
        .filter(|(op, _)| {
            op.responses
                .iter()
                .any(|r| r.ty == Some(TypeRef::Named(page.to_owned())))
        })
        .map(|(_, p)| p);
    let first = candidates.clone().next()?;
    let pageable = candidates
        .find(|p| p.next_link_name.is_some() && p.item_name == first.item_name)
        .unwrap_or(first);
    let plan = types.get(page)?;
    let (TypeKind::Struct(page_struct), TypeShape::Struct(fields)) = (&plan.def.kind, &plan.shape)
    else {
        return None;
    };
    let field = |wire: &str| {
        page_struct
            .fields
            .iter()
            .zip(&fields.fields)
            .find(|(field, _)| field.wire_name == wire)
    };
    let (items, items_plan) = field(&pageable.item_name)?;
    let TypeRef::List(item_type) = &items.ty else {
        return None;
    };
    let next_link = pageable
        .next_link_name
        .as_deref()
        .and_then(field)
        .map(|(field, plan)| (plan.ident.clone(), field.required));
    Some(PagePlan {
        page: page.to_owned(),
        item_type,
        items_wire: &items.wire_name,
        items: (items_plan.ident.clone(), items.required),
        next_link,
    })
}
