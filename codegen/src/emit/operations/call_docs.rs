//! The doc comment of an operation's public method: the spec's summary and description, the
//! request and what the method returns, then `# Arguments` (each parameter with the spec's
//! description and the constraints checked before sending), `# Errors` (what the runtime
//! returns as `Err`, and when) and `# Examples` (the spec's first example as a `no_run`
//! doctest, from [`example_code`](crate::emit::example_code)).

use crate::emit::docs::{code, describe_constraints, prose};
use crate::emit::example_code::operation_example;
use crate::examples::Examples;
use crate::ir::{Constraints, TypeKind, TypeRef};
use crate::plan::{GroupPlan, OperationPlan, PagerPlan, ParamKind, ParamPlan, Plan, ResultKind};

/// What the docs need besides the plan: the crate's name in Rust and the spec's examples.
#[derive(Debug, Clone, Copy)]
pub struct DocContext<'e> {
    /// The generated crate as a Rust path (`azrm_cosmosdb`).
    pub krate: &'e str,
    /// The examples of every operation.
    pub examples: &'e Examples,
}

/// The doc comment's paragraphs.
pub(super) fn operation_doc(
    plan: &Plan<'_>,
    group: &GroupPlan<'_>,
    operation: &OperationPlan<'_>,
    docs: &DocContext<'_>,
) -> Vec<String> {
    let op = operation.op;
    let mut paragraphs = Vec::new();
    match (&op.summary, &op.description) {
        (Some(summary), Some(description)) if summary != description => {
            paragraphs.push(prose(summary));
            paragraphs.push(prose(description));
        }
        (Some(text), _) | (None, Some(text)) => paragraphs.push(prose(text)),
        (None, None) => paragraphs.push(format!("The {} operation.", code(&op.id))),
    }
    paragraphs.push(format!(
        "Sends {} (operation id {}).",
        code(&format!("{} {}", op.method.as_str(), op.path)),
        code(&op.id)
    ));
    paragraphs.push(result_doc(operation));
    if op.deprecated {
        paragraphs.push("Deprecated by the spec.".into());
    }
    if let ResultKind::Pageable { pager, .. } = &operation.result {
        paragraphs.extend(next_page_doc(operation, pager));
    }
    paragraphs.push("# Arguments".into());
    paragraphs.push(arguments_doc(plan, operation));
    let constrained = operation
        .required
        .iter()
        .any(|param| param_constraints(plan, param).is_some())
        || operation.body.as_ref().is_some_and(|body| body.validates);
    if constrained {
        paragraphs.push(
            "The checks follow the client's [`Validation`](crate::Validation): all of \
             them by default, while `Validation::Relaxed` leaves patterns and lengths to the \
             service."
                .into(),
        );
    }
    paragraphs.push("# Errors".into());
    paragraphs.extend(errors_doc(operation));
    paragraphs.extend(examples_doc(plan, group, operation, docs));
    paragraphs
}

/// What the method returns.
fn result_doc(operation: &OperationPlan<'_>) -> String {
    match &operation.result {
        ResultKind::LongRunning(_) => {
            let mut text = "Long-running: returns once the service has accepted the request, with \
                            a [`Poller`] to `.await` for the result (or poll step by step, or save \
                            with `resume_token`)."
                .to_owned();
            if operation.op.pageable.is_some() {
                text.push_str(
                    " Pageable: the result is the first page of a list; `into_pager()` turns the \
                     [`Poller`] into a [`Pager`](crate::Pager) of the items of every page.",
                );
            }
            text
        }
        ResultKind::Pageable { .. } => {
            "Pageable: returns a [`Pager`], a stream of items that fetches pages as it is polled; \
             nothing is sent until then."
                .into()
        }
        ResultKind::Exists => {
            "Returns whether the resource exists (`404` is `false`), in a [`Response`] with the \
             status and headers."
                .into()
        }
        ResultKind::Model { .. } => {
            "Returns the result in a [`Response`], which dereferences to it and keeps the status \
             and headers (`request_id()`, `etag()`); `into_model()` gives the result itself."
                .into()
        }
        ResultKind::Empty => {
            "Returns a [`Response`] with the status and headers (the operation has no result)."
                .into()
        }
        ResultKind::File { content_type } => format!(
            "Returns a file ({}) as soon as the status and headers arrive: a [`Response`] whose \
             [`BodyStream`](crate::BodyStream) yields the body as it comes off the connection, chunk by chunk \
             (`futures::StreamExt::next`), or whole with `collect()`. The body is never held \
             in memory unless collected.",
            code(content_type)
        ),
    }
}

/// `# Arguments`: one item per argument of the method, in order.
fn arguments_doc(plan: &Plan<'_>, operation: &OperationPlan<'_>) -> String {
    let mut items: Vec<String> = operation
        .required
        .iter()
        .map(|param| {
            let mut item = format!("- `{}`: {}", param.ident, param_description(plan, param));
            if let Some(checked) = param_constraints(plan, param) {
                item.push_str(&format!(" Checked before sending: {checked}."));
            }
            item
        })
        .collect();
    if let Some(body) = &operation.body {
        let description = body
            .param
            .description
            .as_deref()
            .or_else(|| type_description(plan, &body.param.ty))
            .map_or_else(|| "The request body.".to_owned(), one_line);
        let mut item = format!("- `{}`: {description}", body.ident);
        if !body.param.required {
            item.push_str(" Optional: `None` sends no body.");
        }
        if body.validates {
            item.push_str(" Its properties' constraints are checked before sending.");
        }
        items.push(item);
    }
    items.push(format!(
        "- `options`: [`{}`], or `None` for {}the client's configuration.",
        operation.options_ident,
        if operation.optional.is_empty() {
            ""
        } else {
            "no optional parameters and "
        }
    ));
    items.join("\n")
}

/// A parameter's description: its own, else its type's, else its wire name.
fn param_description(plan: &Plan<'_>, param: &ParamPlan<'_>) -> String {
    param
        .param
        .description
        .as_deref()
        .or_else(|| type_description(plan, &param.param.ty))
        .map_or_else(
            || format!("The {} parameter.", code(&param.param.wire_name)),
            one_line,
        )
}

/// The description of a named type.
fn type_description<'p>(plan: &'p Plan<'_>, ty: &TypeRef) -> Option<&'p str> {
    match ty {
        TypeRef::Named(name) => plan.types.get(name)?.def.description.as_deref(),
        _ => None,
    }
}

/// Spec prose on one line (a list item).
fn one_line(text: &str) -> String {
    let text = prose(&text.split_whitespace().collect::<Vec<_>>().join(" "));
    if text.ends_with(['.', '!', '?']) {
        text
    } else {
        format!("{text}.")
    }
}

/// The constraints the request builder checks on a parameter, in words.
fn param_constraints(plan: &Plan<'_>, param: &ParamPlan<'_>) -> Option<String> {
    let constraints: &Constraints = match &param.kind {
        ParamKind::Validated(_) => match &param.param.ty {
            TypeRef::Named(name) => match &plan.types.get(name)?.def.kind {
                TypeKind::Newtype(newtype) => &newtype.constraints,
                _ => return None,
            },
            _ => return None,
        },
        ParamKind::Scalar(_) => &param.param.number_constraints,
        _ => return None,
    };
    let text = describe_constraints(constraints);
    (!text.is_empty()).then_some(text)
}

/// `# Errors`: the kinds of `Err` the call gives, as the runtime makes them.
fn errors_doc(operation: &OperationPlan<'_>) -> Vec<String> {
    let kind = |name: &str| format!("[`ErrorKind::{name}`](crate::ErrorKind::{name})");
    let mut checked: Vec<String> = operation
        .required
        .iter()
        .chain(&operation.optional)
        .filter(|param| {
            matches!(param.kind, ParamKind::Validated(_))
                || (matches!(param.kind, ParamKind::Scalar(_))
                    && param.param.number_constraints != Constraints::default())
        })
        .map(|param| code(&param.ident))
        .collect();
    if operation.body.as_ref().is_some_and(|body| body.validates) {
        let body = operation.body.as_ref().map(|body| body.ident.as_str());
        checked.push(format!("a property of {}", code(body.unwrap_or_default())));
    }
    if !operation.client_checks.is_empty() {
        checked.push("the client's subscription id".into());
    }
    let has_path_params = operation.op.path.contains('{');
    let mut items = Vec::new();
    let mut refused = Vec::new();
    if has_path_params {
        refused.push("an empty path value".to_owned());
    }
    if !checked.is_empty() {
        refused.insert(0, format!("{} breaking its rule", checked.join(", ")));
    }
    if !refused.is_empty() {
        items.push(format!(
            "- {}: {}; the error names the parameter and the rule, and nothing is sent.",
            kind("InvalidParameter"),
            refused.join(", or ")
        ));
    }
    items.push(format!(
        "- {}: the request cannot be built ({}a header value that HTTP does not allow); nothing \
         is sent.",
        kind("InvalidRequest"),
        if has_path_params {
            "a path value `.` or `..`, "
        } else {
            ""
        }
    ));
    items.push(format!(
        "- {}: the client's credential could not provide a token.",
        kind("Credential")
    ));
    items.push(format!(
        "- {}: no response (connection, TLS, timeout), after the client's retries.",
        kind("Transport")
    ));
    let statuses: Vec<String> = operation
        .statuses
        .iter()
        .filter(|status| **status < 400)
        .map(|status| format!("`{status}`"))
        .collect();
    let exists = matches!(operation.result, ResultKind::Exists);
    items.push(format!(
        "- {}: the service answered with another status than {}{}, after the client's retries: \
         the error has the status and the service's error code and message (`error_code()`, \
         `error_message()`).",
        kind("Http"),
        if statuses.is_empty() {
            "the spec lists".to_owned()
        } else {
            statuses.join(", ")
        },
        if exists { " (or `404`)" } else { "" }
    ));
    if matches!(
        operation.result,
        ResultKind::Model { .. } | ResultKind::Pageable { .. }
    ) {
        items.push(format!(
            "- {}: the response body does not match the model (the error names where).",
            kind("Decode")
        ));
    }
    match &operation.result {
        ResultKind::LongRunning(long_running) => items.push(format!(
            "- Awaiting the [`Poller`]: {} when the operation ends `Failed` or `Canceled` (with \
             the service's error), {} for a status URL on another host than the client's \
             endpoint (nothing is sent there), {}and the errors above for each status request.",
            kind("OperationFailed"),
            kind("UntrustedUrl"),
            match long_running.result {
                Some(_) => format!(
                    "{} for a final body that does not match the model, ",
                    kind("Decode")
                ),
                None => String::new(),
            }
        )),
        ResultKind::Pageable { .. } => items.push(format!(
            "- {} for a next link on another host than the client's endpoint (nothing is sent \
             there), {} for a next link seen before.",
            kind("UntrustedUrl"),
            kind("PagingLoop")
        )),
        ResultKind::File { .. } => items.push(format!(
            "- Reading the [`BodyStream`](crate::BodyStream): {} when the connection breaks off or the call's \
             timeout expires before the body is complete (the error says how many bytes came).",
            kind("BodyInterrupted")
        )),
        _ => {}
    }
    let lead = match &operation.result {
        ResultKind::Pageable { .. } => {
            "The [`Pager`] yields each error as an item, and stops after it (a refused \
             parameter is its first item):"
        }
        _ => "Returns `Err` with an [`Error`] of kind:",
    };
    vec![lead.to_owned(), items.join("\n")]
}

/// `# Examples`: the spec's first example of the operation as Rust, and the names of all.
fn examples_doc(
    plan: &Plan<'_>,
    group: &GroupPlan<'_>,
    operation: &OperationPlan<'_>,
    docs: &DocContext<'_>,
) -> Vec<String> {
    let op = operation.op;
    if op.examples.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = op
        .examples
        .iter()
        .map(|(name, file)| {
            match file
                .rsplit('/')
                .next()
                .and_then(|f| f.strip_suffix(".json"))
            {
                Some(stem) => code(stem),
                None => code(name),
            }
        })
        .collect();
    let mut paragraphs = vec!["# Examples".to_owned()];
    match docs.examples.of(&op.id).first() {
        Some(example) => {
            match operation_example(plan, group, operation, docs.krate, example) {
                Ok(lines) => {
                    paragraphs.push(format!(
                        "From the spec's example {} (no Azure call is made when the docs are \
                         tested):",
                        names[0]
                    ));
                    paragraphs.push(format!("```rust,no_run\n{}\n```", lines.join("\n")));
                }
                Err(reason) => paragraphs.push(format!(
                    "No Rust example: {reason} (spec example {}).",
                    names[0]
                )),
            }
            if names.len() > 1 {
                paragraphs.push(format!("Examples in the spec: {}.", names.join(", ")));
            }
        }
        None => paragraphs.push(format!(
            "Examples in the spec, whose files the spec snapshot this crate was generated from \
             does not hold: {}.",
            names.join(", ")
        )),
    }
    paragraphs
}

/// Where a pageable operation's further pages come from, when the spec names an operation.
fn next_page_doc(operation: &OperationPlan<'_>, pager: &PagerPlan) -> Option<String> {
    let pageable = operation.op.pageable.as_ref()?;
    pageable.next_link_name.as_ref()?;
    let next = pageable
        .operation_name
        .as_deref()
        .filter(|next| *next != operation.op.id)?;
    Some(match pager {
        PagerPlan::WithNext(_) => format!(
            "Further pages come from {} (the spec's `operationName`), called with each page's \
             next link and this call's arguments.",
            code(next)
        ),
        _ => format!(
            "The spec names {} for further pages, which cannot be called from this operation \
             (another group, or parameters this call does not have): further pages are GETs of \
             each page's next link.",
            code(next)
        ),
    })
}
