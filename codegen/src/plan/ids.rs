//! Typed resource ids: one per ARM resource path template of the spec (a path that a `GET`
//! reads, ending at a resource's name), with its placeholders as fields, its parent's and
//! ancestors' id types, and its name, from the `GET` operation (`SqlResources_GetSqlContainer`
//! gives `SqlContainerId`, `DatabaseAccounts_Get` the group's singular, `DatabaseAccountId`).

use std::collections::BTreeMap;

use super::names::Namespace;
use crate::ir::{Api, Method, Operation};
use crate::names::Case;

/// The typed ids of a crate, in template order, and the enum of them all.
#[derive(Debug, Default)]
pub struct IdsPlan {
    /// One per resource path template, sorted by template.
    pub ids: Vec<IdPlan>,
    /// The enum with a variant per id type, for an id whose type is not known ahead.
    pub any: String,
}

/// One resource id type.
#[derive(Debug)]
pub struct IdPlan {
    /// The type's name (`SqlContainerId`).
    pub ident: String,
    /// Its variant in the enum of all ids (`SqlContainer`).
    pub variant: String,
    /// The path template, as the spec writes it.
    pub template: String,
    /// The `GET` operation that reads the resource (`SqlResources_GetSqlContainer`).
    pub operation: String,
    /// One per placeholder, in order.
    pub fields: Vec<IdField>,
    /// The id type of the template one `type/{name}` pair shorter, when the spec has it.
    pub parent: Option<String>,
    /// Every shorter template the spec has, nearest first: `(method, id type)`.
    pub ancestors: Vec<(String, String)>,
}

/// One placeholder of a template.
#[derive(Debug)]
pub struct IdField {
    /// The field's name.
    pub ident: String,
    /// The placeholder's name in the template.
    pub wire_name: String,
    /// The path parameter's description in the `GET` operation.
    pub description: Option<String>,
}

/// Methods every id type has, which navigation methods must not take.
const ID_METHODS: &[&str] = &["new", "parse", "parent", "template"];

/// The id types of `api`: none when no path is an ARM resource path.
pub(super) fn plan_ids(api: &Api) -> IdsPlan {
    let mut reads: BTreeMap<&str, &Operation> = BTreeMap::new();
    for op in &api.operations {
        if op.method == Method::Get && is_resource_path(&op.path) {
            reads.entry(op.path.as_str()).or_insert(op);
        }
    }
    let mut types = Namespace::default();
    let mut variants = Namespace::default();
    let named: BTreeMap<&str, (String, String)> = reads
        .iter()
        .map(|(template, op)| {
            let resource = resource_name(op);
            let ident = types.claim(&format!("{resource}Id"), Case::Type);
            let variant = variants.claim(&resource, Case::Type);
            (*template, (ident, variant))
        })
        .collect();
    let any = types.claim_first_free(&["ResourceId", "AnyResourceId"], Case::Type);
    let ids = reads
        .iter()
        .map(|(template, op)| {
            let (ident, variant) = named[template].clone();
            let shorter = shorter_templates(template);
            let mut methods = Namespace::reserving(ID_METHODS);
            let ancestors: Vec<(String, String)> = shorter
                .iter()
                .filter_map(|prefix| named.get(prefix.as_str()))
                .map(|(ancestor, _)| {
                    let base = ancestor.strip_suffix("Id").unwrap_or(ancestor);
                    (methods.claim(base, Case::Snake), ancestor.clone())
                })
                .collect();
            let parent = shorter
                .first()
                .and_then(|prefix| named.get(prefix.as_str()))
                .map(|(parent, _)| parent.clone());
            IdPlan {
                ident,
                variant,
                template: (*template).to_owned(),
                operation: op.id.clone(),
                fields: id_fields(template, op),
                parent,
                ancestors,
            }
        })
        .collect();
    IdsPlan { ids, any }
}

/// Whether `path` is an ARM resource path: `/subscriptions/{..}`, optionally
/// `/resourceGroups/{..}`, then `/providers/{Namespace}` and one or more `type/{name}` pairs
/// (a fixed type, a placeholder name), ending at a name.
fn is_resource_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let mut at = match segments.as_slice() {
        [
            "subscriptions",
            subscription,
            "resourceGroups",
            group,
            "providers",
            namespace,
            ..,
        ] if is_placeholder(subscription)
            && is_placeholder(group)
            && !is_placeholder(namespace) =>
        {
            6
        }
        ["subscriptions", subscription, "providers", namespace, ..]
            if is_placeholder(subscription) && !is_placeholder(namespace) =>
        {
            4
        }
        _ => return false,
    };
    if at == segments.len() {
        return false;
    }
    while at < segments.len() {
        match &segments[at..] {
            [kind, name, ..] if !is_placeholder(kind) && is_placeholder(name) => at += 2,
            _ => return false,
        }
    }
    true
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// The templates of `template`'s ancestors, nearest first: one `type/{name}` pair shorter each
/// time, down to the provider's first pair.
fn shorter_templates(template: &str) -> Vec<String> {
    let mut shorter = Vec::new();
    let mut current = template;
    while let Some(prefix) = current
        .rsplit_once('/')
        .and_then(|(prefix, _)| prefix.rsplit_once('/'))
        .map(|(prefix, _)| prefix)
    {
        if prefix
            .rsplit_once('/')
            .is_some_and(|(_, last)| !is_placeholder(last))
        {
            break;
        }
        shorter.push(prefix.to_owned());
        current = prefix;
    }
    shorter
}

/// What the `GET` operation reads: its name after `Get` (`GetSqlContainer`), else the group's
/// name in the singular (`DatabaseAccounts_Get`, `RestorableDatabaseAccounts_GetByLocation`).
fn resource_name(op: &Operation) -> String {
    match op.name.strip_prefix("Get") {
        Some(rest) if !rest.is_empty() && !rest.starts_with("By") => rest.to_owned(),
        _ => singular(&op.group),
    }
}

/// `Accounts` → `Account`, `Policies` → `Policy`; a name not ending in a plural `s` as it is.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    match name.strip_suffix('s') {
        Some(stem) if !stem.ends_with('s') && !stem.is_empty() => stem.to_owned(),
        _ => name.to_owned(),
    }
}

/// The fields of `template`'s placeholders, described as `op`'s path parameters are.
fn id_fields(template: &str, op: &Operation) -> Vec<IdField> {
    let mut scope = Namespace::default();
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| IdField {
            ident: scope.claim(name, Case::Snake),
            wire_name: name.to_owned(),
            description: op
                .params
                .iter()
                .find(|param| param.wire_name == name)
                .and_then(|param| param.description.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.X/accounts/{accountName}";

    #[test]
    fn resource_paths() {
        for path in [
            ACCOUNT,
            "/subscriptions/{s}/providers/Microsoft.X/locations/{location}",
            "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.X/a/{a}/b/{b}",
        ] {
            assert!(is_resource_path(path), "{path}");
        }
        for path in [
            "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.X/accounts",
            "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.X/a/{a}/listKeys",
            "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.X/a/{a}/settings/default",
            "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.X",
            "/providers/Microsoft.X/names/{name}",
            "/subscriptions/{s}/resourceGroups/{g}",
            "/subscriptions/{s}/providers/{namespace}/a/{a}",
        ] {
            assert!(!is_resource_path(path), "{path}");
        }
    }

    #[test]
    fn ancestors_nearest_first() {
        assert_eq!(
            shorter_templates(&format!("{ACCOUNT}/dbs/{{db}}/containers/{{c}}")),
            [format!("{ACCOUNT}/dbs/{{db}}"), ACCOUNT.to_owned()]
        );
        assert!(shorter_templates(ACCOUNT).is_empty());
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("DatabaseAccounts", "DatabaseAccount"),
            ("Policies", "Policy"),
            ("Service", "Service"),
            ("Address", "Address"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
