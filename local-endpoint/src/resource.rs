//! [`ResourcePath`]: a request path read as an ARM resource id: its key in the store, its `id`,
//! `name` and `type`, and the scope it lives in.

use azrm_runtime::encode_path_segment;

use crate::matching::{percent_decode, split_path};

/// A path of percent-decoded segments, such as
/// `subscriptions/s/resourceGroups/rg/providers/Microsoft.X/widgets/w`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ResourcePath {
    segments: Vec<String>,
}

impl ResourcePath {
    /// Reads a percent-encoded request path.
    pub(super) fn parse(path: &str) -> Self {
        Self {
            segments: split_path(path).into_iter().map(percent_decode).collect(),
        }
    }

    /// The case-insensitive store key: lower-case segments, each percent-encoded, each after a
    /// `/` (empty for the root).
    pub(super) fn key(&self) -> String {
        self.segments
            .iter()
            .map(|segment| format!("/{}", encode_path_segment(&segment.to_lowercase())))
            .collect()
    }

    /// The resource id: `/` and the decoded segments.
    pub(super) fn id(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }

    /// The last segment.
    pub(super) fn name(&self) -> &str {
        self.segments.last().map_or("", String::as_str)
    }

    /// The subscription id, for paths below `/subscriptions/{id}`.
    pub(super) fn subscription(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [first, id, ..] if first.eq_ignore_ascii_case("subscriptions") => Some(id),
            _ => None,
        }
    }

    /// The namespace after the last `providers` segment, such as `Microsoft.X`.
    pub(super) fn namespace(&self) -> Option<&str> {
        let providers = self.last_providers()?;
        self.segments.get(providers + 1).map(String::as_str)
    }

    /// The resource type of a resource path: the namespace and the type segments after the last
    /// `providers` (`Microsoft.X/widgets/parts` for `.../providers/Microsoft.X/widgets/w/parts/p`).
    pub(super) fn resource_type(&self) -> Option<String> {
        let providers = self.last_providers()?;
        let (namespace, rest) = self.segments.get(providers + 1..)?.split_first()?;
        if rest.is_empty() {
            return None;
        }
        let types: Vec<&str> = rest.iter().step_by(2).map(String::as_str).collect();
        Some(format!("{namespace}/{}", types.join("/")))
    }

    /// For a collection path ending in a resource type right after `providers/{namespace}`
    /// (`/subscriptions/s/providers/Microsoft.X/widgets`): the scope before `providers` and the
    /// type (`Microsoft.X/widgets`).
    pub(super) fn type_collection(&self) -> Option<(&[String], String)> {
        match self.segments.as_slice() {
            [scope @ .., providers, namespace, resource_type]
                if providers.eq_ignore_ascii_case("providers") =>
            {
                Some((scope, format!("{namespace}/{resource_type}")))
            }
            _ => None,
        }
    }

    /// Whether this resource lives within `scope`: the segments before its last `providers`
    /// start with `scope` (ignoring case).
    pub(super) fn is_within(&self, scope: &[String]) -> bool {
        let own = &self.segments[..self.last_providers().unwrap_or(self.segments.len())];
        own.len() >= scope.len()
            && own
                .iter()
                .zip(scope)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
    }

    fn last_providers(&self) -> Option<usize> {
        self.segments
            .iter()
            .rposition(|segment| segment.eq_ignore_ascii_case("providers"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_names_types_and_scopes() {
        let path = ResourcePath::parse(
            "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.X/widgets/w%201/parts/p",
        );
        assert_eq!(
            path.id(),
            "/subscriptions/s1/resourceGroups/RG/providers/Microsoft.X/widgets/w 1/parts/p"
        );
        assert_eq!(
            path.key(),
            "/subscriptions/s1/resourcegroups/rg/providers/microsoft.x/widgets/w%201/parts/p"
        );
        assert_eq!(path.name(), "p");
        assert_eq!(path.subscription(), Some("s1"));
        assert_eq!(path.namespace(), Some("Microsoft.X"));
        assert_eq!(
            path.resource_type().as_deref(),
            Some("Microsoft.X/widgets/parts")
        );
        assert!(path.is_within(&["SUBSCRIPTIONS".into(), "s1".into()]));
        assert!(!path.is_within(&["subscriptions".into(), "s2".into()]));

        let list = ResourcePath::parse("/subscriptions/s1/providers/Microsoft.X/widgets");
        let (scope, ty) = list.type_collection().unwrap();
        assert_eq!(scope, ["subscriptions", "s1"]);
        assert_eq!(ty, "Microsoft.X/widgets");
        assert_eq!(ResourcePath::parse("/").key(), "");
        assert!(
            ResourcePath::parse("/subscriptions/s1/resourceGroups/rg")
                .resource_type()
                .is_none()
        );
    }
}
