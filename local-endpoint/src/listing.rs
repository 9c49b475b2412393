//! The `List` behaviour: stored resources of a collection as `{item_name: [...], nextLink}`, in
//! pages of the endpoint's page size with a `$skipToken` in each `nextLink`.

use serde_json::{Map, Value};

use crate::arm_error;
use crate::fake::{FakeRequest, FakeResponse};
use crate::resource::ResourcePath;
use crate::route::Route;
use crate::state::Context;

/// The query parameter that carries the offset of the next page.
const SKIP_TOKEN: &str = "$skipToken";

/// Answers a list of the collection at `path`. When nothing is stored there and the route has an
/// example (lists of things no operation stores, such as usages), the example answers.
pub(super) fn list(
    context: &Context<'_>,
    route: &Route,
    path: &ResourcePath,
    request: &FakeRequest,
) -> FakeResponse {
    let store = context.lock_store();
    let items = store.list(path);
    if let (true, Some(example)) = (items.is_empty(), &route.example) {
        return FakeResponse::example(example, None);
    }
    let item_name = route
        .pageable
        .map_or("value", |pageable| pageable.item_name);
    let mut body = Map::new();
    let Some(next_link_name) = route.pageable.and_then(|pageable| pageable.next_link_name) else {
        body.insert(
            item_name.to_owned(),
            Value::Array(items.into_iter().cloned().collect()),
        );
        return FakeResponse::json(200, &body);
    };
    let skip = match skip_token(request) {
        None => 0,
        Some(token) => match token.parse::<usize>() {
            Ok(skip) if skip <= items.len() => skip,
            _ => return arm_error::invalid_skip_token(token),
        },
    };
    let page_size = context.shared.settings.page_size;
    let end = skip.saturating_add(page_size).min(items.len());
    let has_more = end < items.len();
    // Only this page is cloned, not every stored item.
    let page: Vec<Value> = items[skip..end].iter().map(|&item| item.clone()).collect();
    drop(store);
    body.insert(item_name.to_owned(), Value::Array(page));
    if has_more {
        body.insert(
            next_link_name.to_owned(),
            Value::from(next_link(context, request, &end.to_string())),
        );
    }
    FakeResponse::json(200, &body)
}

/// The `$skipToken` of the request, if it has one.
pub(super) fn skip_token(request: &FakeRequest) -> Option<&str> {
    request.query_param(SKIP_TOKEN)
}

/// The URL of the page after `request`'s: its path and query with `$skipToken` set to `token`.
pub(super) fn next_link(context: &Context<'_>, request: &FakeRequest, token: &str) -> String {
    let query = request
        .query
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case(SKIP_TOKEN))
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .chain([(SKIP_TOKEN, token)]);
    context.links.url(&request.path, query)
}
