//! Which [`Route`] serves a request: method plus path template, `{param}` matching one
//! non-empty segment, literal segments matching case-insensitively, the most literal template
//! winning. Also splitting paths into segments and percent-decoding them.

use crate::route::Route;

/// A route that serves a request, with the template's parameters bound.
#[derive(Debug)]
pub(super) struct Matched {
    /// The route.
    pub(super) route: &'static Route,
    /// Template parameter names and their percent-decoded values, in template order.
    pub(super) path_params: Vec<(String, String)>,
}

/// The route of `routes` serving `method` on `path` (percent-encoded, without query): among all
/// that match, the one with the most literal segments (the first such in the table).
pub(super) fn find_route(routes: &'static [Route], method: &str, path: &str) -> Option<Matched> {
    let segments = split_path(path);
    let mut best: Option<(usize, Matched)> = None;
    for route in routes
        .iter()
        .filter(|route| route.method.as_str().eq_ignore_ascii_case(method))
    {
        let Some((literals, path_params)) = match_template(route.path_template, &segments) else {
            continue;
        };
        if best.as_ref().is_none_or(|(most, _)| literals > *most) {
            best = Some((literals, Matched { route, path_params }));
        }
    }
    best.map(|(_, matched)| matched)
}

/// Whether the template's last segment is a literal (a singleton such as `.../default`).
pub(super) fn ends_with_literal(template: &str) -> bool {
    split_path(template)
        .last()
        .is_some_and(|segment| parameter_name(segment).is_none())
}

/// The segments of `path`: one leading and one trailing `/` ignored, empty segments kept.
pub(super) fn split_path(path: &str) -> Vec<&str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    let path = path.strip_suffix('/').unwrap_or(path);
    if path.is_empty() {
        Vec::new()
    } else {
        path.split('/').collect()
    }
}

/// Decodes `%XX` escapes; malformed escapes stay as they are, invalid UTF-8 is replaced.
pub(super) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// `name` for a template segment `{name}`.
fn parameter_name(segment: &str) -> Option<&str> {
    segment
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
}

/// The number of literal segments and the bound parameters, if `template` matches `segments`.
fn match_template(template: &str, segments: &[&str]) -> Option<(usize, Vec<(String, String)>)> {
    let parts = split_path(template);
    if parts.len() != segments.len() {
        return None;
    }
    let mut literals = 0;
    let mut params = Vec::new();
    for (part, segment) in parts.iter().zip(segments) {
        match parameter_name(part) {
            Some(_) if segment.is_empty() => return None,
            Some(name) => params.push((name.to_owned(), percent_decode(segment))),
            None if part.eq_ignore_ascii_case(segment) => literals += 1,
            None => return None,
        }
    }
    Some((literals, params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::Behaviour;
    use azrm_runtime::Method;

    const fn route(
        operation_id: &'static str,
        method: Method,
        path_template: &'static str,
    ) -> Route {
        Route {
            operation_id,
            method,
            path_template,
            behaviour: Behaviour::Read,
            statuses: &[200],
            long_running: None,
            pageable: None,
            example: None,
            decode_body: None,
            provisioning_state: true,
        }
    }

    static ROUTES: &[Route] = &[
        route("Any", Method::Get, "/s/{sub}/things/{name}"),
        route("Default", Method::Get, "/s/{sub}/things/default"),
        route("Put", Method::Put, "/s/{sub}/things/{name}"),
    ];

    #[test]
    fn the_most_literal_template_wins_and_literals_ignore_case() {
        let matched = find_route(ROUTES, "GET", "/S/1/THINGS/Default").unwrap();
        assert_eq!(matched.route.operation_id, "Default");
        let matched = find_route(ROUTES, "GET", "/s/1/things/a%20b/").unwrap();
        assert_eq!(matched.route.operation_id, "Any");
        assert_eq!(
            matched.path_params,
            [("sub".into(), "1".into()), ("name".into(), "a b".into())]
        );
        assert_eq!(
            find_route(ROUTES, "PUT", "/s/1/things/x")
                .unwrap()
                .route
                .operation_id,
            "Put"
        );
    }

    #[test]
    fn parameters_need_a_non_empty_segment_and_methods_must_match() {
        assert!(find_route(ROUTES, "GET", "/s//things/x").is_none());
        assert!(find_route(ROUTES, "DELETE", "/s/1/things/x").is_none());
        assert!(find_route(ROUTES, "GET", "/s/1/things").is_none());
    }

    #[test]
    fn percent_decoding_tolerates_malformed_escapes() {
        assert_eq!(percent_decode("a%2Fb%zz%4"), "a/b%zz%4");
        assert_eq!(percent_decode("%C3%A4"), "ä");
        assert!(ends_with_literal("/a/{b}/c"));
        assert!(!ends_with_literal("/a/{b}"));
    }
}
