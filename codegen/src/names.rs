//! The one place that turns spec names into Rust identifiers: casing with `heck`, Rust keywords,
//! leading digits, and names that would shadow the prelude. Every result is checked to parse as
//! an identifier with `syn`.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// The case an identifier is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types and enum variants.
    Type,
    /// `snake_case`: fields, functions, modules.
    Snake,
    /// `SHOUTY_SNAKE_CASE`: constants and statics.
    Constant,
}

/// Rust keywords (strict and reserved) that cannot be identifiers as they are.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Type names generated code uses unqualified; a spec type with one of these names gets a suffix.
const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "BTreeMap",
    "Serialize",
    "Deserialize",
    "Serializer",
    "Deserializer",
    "Value",
    "Validate",
    "ValidationError",
    "FieldPath",
    "Pattern",
    "OffsetDateTime",
    "Uuid",
    "Secret",
    "Uri",
    "ArmId",
    "Self",
];

/// A Rust identifier for `raw` in `case`.
pub fn sanitize(raw: &str, case: Case) -> String {
    // Keep `.` and `-` between digits apart: `1.0` and `10` must not collide.
    let spaced: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = match case {
        Case::Type => join_digit_groups(&spaced, |s| s.to_upper_camel_case()),
        Case::Snake => spaced.to_snake_case(),
        Case::Constant => spaced.to_shouty_snake_case(),
    };
    if name.is_empty() {
        name = match case {
            Case::Type => "Empty".into(),
            Case::Snake => "empty".into(),
            Case::Constant => "EMPTY".into(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = match case {
            Case::Type => format!("V{name}"),
            Case::Snake => format!("v{name}"),
            Case::Constant => format!("V{name}"),
        };
    }
    if KEYWORDS.contains(&name.as_str())
        || (case == Case::Type && RESERVED_TYPES.contains(&name.as_str()))
    {
        name.push('_');
    }
    debug_assert!(
        syn::parse_str::<syn::Ident>(&name).is_ok(),
        "{name:?} is not an identifier"
    );
    name
}

/// UpperCamelCase, but digit groups that the separator split stay apart with `_` (`1 0` → `1_0`).
fn join_digit_groups(spaced: &str, case: impl Fn(&str) -> String) -> String {
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut out = String::new();
    for (index, word) in words.iter().enumerate() {
        let previous_ends_in_digit =
            index > 0 && words[index - 1].ends_with(|c: char| c.is_ascii_digit());
        if previous_ends_in_digit && word.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        out.push_str(&case(word));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, case: Case, expected: &str) {
        assert_eq!(sanitize(raw, case), expected, "sanitize({raw:?}, {case:?})");
    }

    #[test]
    fn type_names() {
        check(
            "DatabaseAccountGetResults",
            Case::Type,
            "DatabaseAccountGetResults",
        );
        check("createdByType", Case::Type, "CreatedByType");
        check("Self", Case::Type, "Self_");
        check("Result", Case::Type, "Result_");
        check("3.2", Case::Type, "V3_2");
        check("10", Case::Type, "V10");
        check("Tls1.2", Case::Type, "Tls1_2");
        check("", Case::Type, "Empty");
        check("*", Case::Type, "Empty");
    }

    #[test]
    fn field_names() {
        check("systemData", Case::Snake, "system_data");
        check("type", Case::Snake, "type_");
        check("self", Case::Snake, "self_");
        check("$filter", Case::Snake, "filter");
        check(
            "x-ms-force-deallocate",
            Case::Snake,
            "x_ms_force_deallocate",
        );
        check("2fa", Case::Snake, "v2fa");
        check("ipRules", Case::Snake, "ip_rules");
    }

    #[test]
    fn constant_names() {
        check("accountName", Case::Constant, "ACCOUNT_NAME");
    }
}
