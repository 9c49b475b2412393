//! The pages of lists that fake handlers scripted ([`FakePages`](crate::FakePages)): the first
//! page answers the handler's request, each page's `nextLink` carries a `$skipToken` naming the
//! list and the next page, and the endpoint answers those from this table without calling the
//! handler again. A page can be fetched again (a client retrying it). The table is bounded: it
//! keeps the newest [`SCRIPTED_LISTS`] lists; a token of a forgotten list is a 400.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::arm_error;
use crate::fake::{FakeRequest, FakeResponse};
use crate::listing::{next_link, skip_token};
use crate::route::Route;
use crate::script::ScriptedPages;
use crate::state::Context;
use crate::sync::lock;

/// How many scripted lists the endpoint keeps for their next pages.
pub const SCRIPTED_LISTS: usize = 1_000;

/// The start of the `$skipToken` of a scripted list's page: `scripted.{list}.{page}`.
const PREFIX: &str = "scripted.";

/// The scripted lists, by id, the newest [`SCRIPTED_LISTS`] only.
#[derive(Debug, Default)]
pub(super) struct Pagers {
    /// Shared, so that answering a page clones no items but the page's.
    by_id: HashMap<String, Arc<ScriptedPages>>,
    order: VecDeque<String>,
}

impl Pagers {
    /// Keeps `pages` under a new id (forgetting the oldest list when full) and returns the id.
    fn add(&mut self, pages: Arc<ScriptedPages>) -> String {
        if self.order.len() >= SCRIPTED_LISTS
            && let Some(oldest) = self.order.pop_front()
        {
            self.by_id.remove(&oldest);
        }
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.by_id.insert(id.clone(), pages);
        self.order.push_back(id.clone());
        id
    }

    /// How many lists are kept.
    pub(super) fn len(&self) -> usize {
        self.by_id.len()
    }
}

/// Answers the first page of `pages`, which a handler gave for `request` to `route`, keeping
/// the list when further pages (or its error) follow.
pub(super) fn first(
    context: &Context<'_>,
    route: &Route,
    request: &FakeRequest,
    pages: ScriptedPages,
) -> FakeResponse {
    let paged = route
        .pageable
        .is_some_and(|pageable| pageable.next_link_name.is_some());
    let more = pages.pages.len() > 1 || pages.error.is_some();
    let pages = Arc::new(pages);
    let id = (paged && more).then(|| lock(&context.shared.pagers).add(pages.clone()));
    page_answer(context, route, request, &pages, 0, id.as_deref())
}

/// Answers `request` when its `$skipToken` names a page of a scripted list; `None` when it has
/// no such token (the handler or the stored behaviour answers).
pub(super) fn next(
    context: &Context<'_>,
    route: &Route,
    request: &FakeRequest,
) -> Option<FakeResponse> {
    let token = skip_token(request)?;
    let rest = token.strip_prefix(PREFIX)?;
    let found = rest.split_once('.').and_then(|(id, page)| {
        let page: usize = page.parse().ok()?;
        let pages = lock(&context.shared.pagers).by_id.get(id)?.clone();
        Some((id.to_owned(), page, pages))
    });
    let Some((id, page, pages)) = found else {
        return Some(arm_error::invalid_skip_token(token));
    };
    Some(page_answer(
        context,
        route,
        request,
        &pages,
        page,
        Some(&id),
    ))
}

/// Page `index` of `pages` (the list kept as `id`, if it is): `{item_name: [...],
/// next_link_name: URL}`, or the list's error after its last page.
fn page_answer(
    context: &Context<'_>,
    route: &Route,
    request: &FakeRequest,
    pages: &ScriptedPages,
    index: usize,
    id: Option<&str>,
) -> FakeResponse {
    let count = pages.pages.len().max(1);
    if index >= count {
        return match (&pages.error, index == count) {
            (Some(error), true) => error.response(),
            _ => arm_error::invalid_skip_token(&format!("{PREFIX}{index}")),
        };
    }
    let item_name = route
        .pageable
        .map_or("value", |pageable| pageable.item_name);
    let next_link_name = route.pageable.and_then(|pageable| pageable.next_link_name);
    let mut body = Map::new();
    let Some(next_link_name) = next_link_name else {
        // A list the spec says has one page: every item in it.
        let items = pages.pages.iter().flatten().cloned().collect();
        body.insert(item_name.to_owned(), Value::Array(items));
        return FakeResponse::json(200, &body);
    };
    let items = pages.pages.get(index).cloned().unwrap_or_default();
    body.insert(item_name.to_owned(), Value::Array(items));
    let has_next = index + 1 < count + usize::from(pages.error.is_some());
    if let (true, Some(id)) = (has_next, id) {
        let token = format!("{PREFIX}{id}.{}", index + 1);
        body.insert(
            next_link_name.to_owned(),
            Value::from(next_link(context, request, &token)),
        );
    }
    FakeResponse::json(200, &body)
}
