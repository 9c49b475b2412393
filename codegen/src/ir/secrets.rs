//! Which string properties hold secrets: those the spec marks (`x-ms-secret`, `format:
//! password`, read by the type builder), those a conservative name rule catches, and those the
//! config lists (`secrets:` in `regen.yaml`). Each becomes [`Primitive::Secret`], whose Rust type
//! (`azrm_runtime::Secret`) prints `***` in `Debug` and keeps the value behind `expose()`.

use super::{Api, Primitive, TypeKind, TypeRef};

/// Endings of a property name (compared without case) that mark a string as a secret: account
/// keys, passwords, connection strings, credentials and tokens. Conservative on purpose: a name
/// that merely contains `key` or `token` (`partitionKey`, `keyVaultKeyUri`, `continuationToken`)
/// is left alone, and lists of strings (`tokens` of a Cassandra ring) are not touched.
const SECRET_ENDINGS: &[&str] = &[
    "password",
    "connectionstring",
    "masterkey",
    "accountkey",
    "accesskey",
    "sharedkey",
    "primarykey",
    "secondarykey",
    "authtoken",
    "accesstoken",
    "refreshtoken",
    "sastoken",
    "clientsecret",
];

/// Why a property is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretSource {
    /// The spec says so (`x-ms-secret`, `format: password`).
    Spec,
    /// Its name ends like a secret's ([`is_secret_name`]).
    Name,
    /// The config lists it.
    Config,
}

/// One secret property: `(model, wire name, why)`, by the spec's names.
pub type SecretField = (String, String, SecretSource);

/// Whether a string property named `wire_name` holds a secret by the name rule.
pub fn is_secret_name(wire_name: &str) -> bool {
    let lower = wire_name.to_ascii_lowercase();
    SECRET_ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

/// Turns the string properties the name rule catches and those `listed` (`Model.property`, by
/// the spec's names) into secrets, and returns every secret property of `api`. A listed entry
/// that names no string property is an error naming it.
pub fn mark_secrets(api: &mut Api, listed: &[String]) -> Result<Vec<SecretField>, String> {
    let mut unused: Vec<&String> = listed.iter().collect();
    let mut secrets = Vec::new();
    for (name, def) in &mut api.types {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            let entry = format!("{name}.{}", field.wire_name);
            let is_listed = listed.contains(&entry);
            unused.retain(|listed| **listed != entry);
            let source = match &field.ty {
                TypeRef::Primitive(Primitive::Secret) => SecretSource::Spec,
                TypeRef::Primitive(Primitive::String) if is_listed => SecretSource::Config,
                TypeRef::Primitive(Primitive::String) if is_secret_name(&field.wire_name) => {
                    SecretSource::Name
                }
                _ if is_listed => {
                    return Err(format!(
                        "`secrets` lists {entry}, which is not a string property"
                    ));
                }
                _ => continue,
            };
            field.ty = TypeRef::Primitive(Primitive::Secret);
            secrets.push((name.clone(), field.wire_name.clone(), source));
        }
    }
    match unused.first() {
        Some(entry) => Err(format!(
            "`secrets` lists {entry}, but the spec has no such property (expected `Model.property` by the spec's names)"
        )),
        None => Ok(secrets),
    }
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn the_name_rule_catches_keys_passwords_and_tokens_only() {
        for name in [
            "primaryMasterKey",
            "secondaryReadonlyMasterKey",
            "connectionString",
            "password",
            "serviceUserPassword",
            "authToken",
            "clientSecret",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "partitionKey",
            "keyVaultKeyUri",
            "keyKind",
            "continuationToken",
            "tokens",
            "passwordPolicy",
            "secretName",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
