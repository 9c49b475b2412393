//! Client-side validation of the constraints a REST spec puts on parameters and model fields
//! (`pattern`, `minLength`, `maxLength`, `minimum`, `maximum` and their exclusive forms,
//! `multipleOf`, `minItems`, `maxItems`, `uniqueItems`, `format: uuid`, `x-nullable: false`).
//! Generated code calls these checks before any byte is sent; a failure is a [`ValidationError`]
//! that names the parameter or field, the rule and the offending value. [`Validation`] is the
//! per-client switch that leaves the spec's patterns and lengths to the service.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// A value broke a constraint of the REST spec. Nothing was sent to the service.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid value {value} for `{target}`: {rule}")]
pub struct ValidationError {
    target: String,
    value: String,
    rule: Rule,
}

impl ValidationError {
    /// Creates an error for `target` (a parameter name or a field path such as
    /// `body.properties.consistencyPolicy.maxIntervalInSeconds`) whose `value` broke `rule`.
    pub fn new(target: impl Into<String>, value: impl Into<String>, rule: Rule) -> Self {
        Self {
            target: target.into(),
            value: value.into(),
            rule,
        }
    }

    /// The parameter name or field path that was invalid.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The offending value as it appears in the message (quoted for strings).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The rule the value broke.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }
}

/// A constraint from the REST spec.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `pattern`: the string must contain a match of this regular expression (as in JSON Schema,
    /// the pattern is not implicitly anchored).
    Pattern(&'static str),
    /// `minLength`: at least this many characters.
    MinLength(u64),
    /// `maxLength`: at most this many characters.
    MaxLength(u64),
    /// `minimum`: the number must be at least this.
    Minimum(f64),
    /// `maximum`: the number must be at most this.
    Maximum(f64),
    /// `minimum` with `exclusiveMinimum`: the number must be greater than this.
    ExclusiveMinimum(f64),
    /// `maximum` with `exclusiveMaximum`: the number must be less than this.
    ExclusiveMaximum(f64),
    /// `multipleOf`: the number must be a whole multiple of this.
    MultipleOf(f64),
    /// `minItems`: the array must have at least this many items.
    MinItems(u64),
    /// `maxItems`: the array must have at most this many items.
    MaxItems(u64),
    /// `uniqueItems`: no two items of the array may be equal.
    UniqueItems,
    /// `x-nullable: false`: the value must not be `null`.
    NotNull,
    /// `format: uuid`: the string must be a UUID.
    Uuid,
    /// `required`: the value must be set (a client parameter left unset on the builder).
    Required,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Pattern(pattern) => write!(f, "must match the pattern `{pattern}`"),
            Rule::MinLength(n) => write!(f, "must be at least {n} characters long"),
            Rule::MaxLength(n) => write!(f, "must be at most {n} characters long"),
            Rule::Minimum(n) => write!(f, "must be at least {n}"),
            Rule::Maximum(n) => write!(f, "must be at most {n}"),
            Rule::ExclusiveMinimum(n) => write!(f, "must be greater than {n}"),
            Rule::ExclusiveMaximum(n) => write!(f, "must be less than {n}"),
            Rule::MultipleOf(n) => write!(f, "must be a multiple of {n}"),
            Rule::MinItems(n) => write!(f, "must have at least {n} items"),
            Rule::MaxItems(n) => write!(f, "must have at most {n} items"),
            Rule::UniqueItems => f.write_str("must not repeat an item"),
            Rule::NotNull => f.write_str("must not be null"),
            Rule::Required => f.write_str("must be set"),
            Rule::Uuid => {
                f.write_str("must be a UUID such as 00000000-0000-0000-0000-000000000000")
            }
        }
    }
}

/// A regular expression from the spec, compiled once on first use and shared afterwards.
///
/// Generated code declares one `static` per distinct pattern. The generator checks at generation
/// time that every pattern compiles with this crate's regex engine.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// A pattern that is compiled on its first use.
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as written in the spec.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` contains a match. A pattern that does not compile matches nothing, so
    /// the value is reported invalid instead of being sent unchecked.
    pub fn is_match(&self, value: &str) -> bool {
        self.compiled
            .get_or_init(|| Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|regex| regex.is_match(value))
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Which constraints of the spec a client checks before it sends a request; set with
/// [`ClientBuilder::validation`](crate::ClientBuilder::validation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Validation {
    /// Every constraint of the spec, on parameters and request bodies (the default).
    #[default]
    Strict,
    /// The spec's `pattern`, `minLength` and `maxLength` are left to the service, on parameters
    /// and request bodies alike: for a service newer than the spec that accepts names the spec
    /// still rejects. The other constraints are checked, and a path parameter that is empty or
    /// is `.` or `..` is refused all the same (it would address another resource).
    Relaxed,
}

/// Where a value sits inside a request: a parameter, then fields, indexes and map keys, and the
/// [`Validation`] its checks follow. Cheap to build (it borrows), rendered to a string only when
/// a check fails.
#[derive(Debug, Clone, Copy)]
pub struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    segment: Segment<'a>,
    validation: Validation,
}

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Name(&'a str),
    Index(usize),
    Key(&'a str),
}

impl<'a> FieldPath<'a> {
    /// The path of a parameter (or a whole request body) by its wire name, checked strictly.
    pub fn root(name: &'a str) -> Self {
        Self {
            parent: None,
            segment: Segment::Name(name),
            validation: Validation::Strict,
        }
    }

    /// The same path, whose checks (and those of every path inside it) follow `validation`.
    pub fn with_validation(self, validation: Validation) -> Self {
        Self { validation, ..self }
    }

    /// The [`Validation`] the checks at this path follow.
    pub fn validation(&self) -> Validation {
        self.validation
    }

    /// The path of the field `name` inside the value at this path.
    pub fn field(&'a self, name: &'a str) -> FieldPath<'a> {
        self.child(Segment::Name(name))
    }

    /// The path of item `index` of the array at this path.
    pub fn index(&'a self, index: usize) -> FieldPath<'a> {
        self.child(Segment::Index(index))
    }

    /// The path of entry `key` of the map at this path.
    pub fn key(&'a self, key: &'a str) -> FieldPath<'a> {
        self.child(Segment::Key(key))
    }

    fn child(&'a self, segment: Segment<'a>) -> FieldPath<'a> {
        FieldPath {
            parent: Some(self),
            segment,
            validation: self.validation,
        }
    }
}

impl fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}")?;
        }
        match (self.segment, self.parent.is_some()) {
            (Segment::Name(name), true) => write!(f, ".{name}"),
            (Segment::Name(name), false) => f.write_str(name),
            (Segment::Index(index), _) => write!(f, "[{index}]"),
            (Segment::Key(key), _) => write!(f, "[{key:?}]"),
        }
    }
}

/// A model whose fields carry constraints from the spec. Generated for every model that has a
/// constrained field somewhere inside it; request bodies are validated before they are sent.
pub trait Validate {
    /// Checks every constrained field; `path` names this value in the error.
    fn validate(&self, path: &FieldPath<'_>) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        (**self).validate(path)
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        self.as_ref().map_or(Ok(()), |value| value.validate(path))
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        self.iter()
            .enumerate()
            .try_for_each(|(index, item)| item.validate(&path.index(index)))
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &FieldPath<'_>) -> Result<(), ValidationError> {
        self.iter()
            .try_for_each(|(key, value)| value.validate(&path.key(key)))
    }
}

/// Checks `pattern` against a string value, unless `path` is checked with
/// [`Validation::Relaxed`].
pub fn pattern(
    path: &FieldPath<'_>,
    value: &str,
    pattern: &Pattern,
) -> Result<(), ValidationError> {
    if path.validation == Validation::Relaxed || pattern.is_match(value) {
        Ok(())
    } else {
        Err(string_error(path, value, Rule::Pattern(pattern.source())))
    }
}

/// Checks `minLength` / `maxLength` (counted in characters) against a string value, unless
/// `path` is checked with [`Validation::Relaxed`].
pub fn length(
    path: &FieldPath<'_>,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    if path.validation == Validation::Relaxed {
        return Ok(());
    }
    let count = value.chars().count() as u64;
    if let Some(min) = min.filter(|&min| count < min) {
        return Err(string_error(path, value, Rule::MinLength(min)));
    }
    if let Some(max) = max.filter(|&max| count > max) {
        return Err(string_error(path, value, Rule::MaxLength(max)));
    }
    Ok(())
}

/// Checks `format: uuid` against a string value.
pub fn uuid(path: &FieldPath<'_>, value: &str) -> Result<(), ValidationError> {
    match uuid::Uuid::try_parse(value) {
        Ok(_) => Ok(()),
        Err(_) => Err(string_error(path, value, Rule::Uuid)),
    }
}

/// Checks `minimum` / `maximum` (inclusive) against a number.
pub fn range(
    path: &FieldPath<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), ValidationError> {
    let broken = if let Some(min) = min.filter(|&min| value < min) {
        Rule::Minimum(min)
    } else if let Some(max) = max.filter(|&max| value > max) {
        Rule::Maximum(max)
    } else {
        return Ok(());
    };
    Err(number_error(path, value, broken))
}

/// Checks `minimum` / `maximum` with `exclusiveMinimum` / `exclusiveMaximum`: the number must lie
/// strictly beyond each bound given.
pub fn exclusive_range(
    path: &FieldPath<'_>,
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
) -> Result<(), ValidationError> {
    let broken = if let Some(min) = min.filter(|&min| value <= min) {
        Rule::ExclusiveMinimum(min)
    } else if let Some(max) = max.filter(|&max| value >= max) {
        Rule::ExclusiveMaximum(max)
    } else {
        return Ok(());
    };
    Err(number_error(path, value, broken))
}

/// Checks `multipleOf` against a number: `value / factor` must be a whole number (up to the
/// rounding of `f64` division, so `0.75` is a multiple of `0.25`).
pub fn multiple_of(path: &FieldPath<'_>, value: f64, factor: f64) -> Result<(), ValidationError> {
    let quotient = value / factor;
    if (quotient - quotient.round()).abs() <= 1e-9 * quotient.abs().max(1.0) {
        Ok(())
    } else {
        Err(number_error(path, value, Rule::MultipleOf(factor)))
    }
}

/// Checks `uniqueItems` against an array: no two items may be equal.
pub fn unique_items<T: PartialEq>(
    path: &FieldPath<'_>,
    items: &[T],
) -> Result<(), ValidationError> {
    for (later, item) in items.iter().enumerate() {
        if let Some(earlier) = items[..later].iter().position(|other| other == item) {
            return Err(ValidationError::new(
                path.to_string(),
                format!("with item {later} equal to item {earlier}"),
                Rule::UniqueItems,
            ));
        }
    }
    Ok(())
}

/// Checks `x-nullable: false` against a value of any JSON type: it must not be `null`.
pub fn not_null(path: &FieldPath<'_>, value: &serde_json::Value) -> Result<(), ValidationError> {
    if value.is_null() {
        Err(ValidationError::new(
            path.to_string(),
            "null",
            Rule::NotNull,
        ))
    } else {
        Ok(())
    }
}

/// Checks `minItems` / `maxItems` against an array length.
pub fn items(
    path: &FieldPath<'_>,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    let count = len as u64;
    let broken = if let Some(min) = min.filter(|&min| count < min) {
        Rule::MinItems(min)
    } else if let Some(max) = max.filter(|&max| count > max) {
        Rule::MaxItems(max)
    } else {
        return Ok(());
    };
    Err(ValidationError::new(
        path.to_string(),
        format!("with {len} items"),
        broken,
    ))
}

fn number_error(path: &FieldPath<'_>, value: f64, rule: Rule) -> ValidationError {
    ValidationError::new(path.to_string(), value.to_string(), rule)
}

fn string_error(path: &FieldPath<'_>, value: &str, rule: Rule) -> ValidationError {
    ValidationError::new(path.to_string(), format!("{value:?}"), rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    static ACCOUNT_NAME: Pattern = Pattern::new("^[a-z0-9]+(-[a-z0-9]+)*");

    fn message(result: Result<(), ValidationError>) -> String {
        result
            .expect_err("the value should be rejected")
            .to_string()
    }

    #[test]
    fn pattern_accepts_a_match_and_names_the_rule_on_a_miss() {
        let path = FieldPath::root("accountName");
        assert_eq!(pattern(&path, "my-account", &ACCOUNT_NAME), Ok(()));
        assert_eq!(
            message(pattern(&path, "Bad_Name", &ACCOUNT_NAME)),
            "invalid value \"Bad_Name\" for `accountName`: must match the pattern `^[a-z0-9]+(-[a-z0-9]+)*`"
        );
    }

    #[test]
    fn an_uncompilable_pattern_rejects_instead_of_panicking() {
        static BROKEN: Pattern = Pattern::new("([");
        assert!(pattern(&FieldPath::root("x"), "anything", &BROKEN).is_err());
    }

    #[test]
    fn relaxed_paths_skip_patterns_and_lengths_only() {
        let root = FieldPath::root("body").with_validation(Validation::Relaxed);
        let name = root.field("name");
        assert_eq!(name.validation(), Validation::Relaxed);
        assert_eq!(pattern(&name, "Bad_Name", &ACCOUNT_NAME), Ok(()));
        assert_eq!(length(&name, "", Some(3), Some(50)), Ok(()));
        assert!(range(&root.field("count"), 11.0, None, Some(10.0)).is_err());
        assert!(uuid(&root.field("id"), "not-a-uuid").is_err());
        let strict = FieldPath::root("name");
        assert!(pattern(&strict, "Bad_Name", &ACCOUNT_NAME).is_err());
    }

    #[test]
    fn length_counts_characters() {
        let path = FieldPath::root("accountName");
        assert_eq!(length(&path, "abc", Some(3), Some(50)), Ok(()));
        assert_eq!(length(&path, "äöü", Some(3), Some(3)), Ok(()));
        let short = length(&path, "ab", Some(3), Some(50)).unwrap_err();
        assert_eq!(short.rule(), &Rule::MinLength(3));
        let long = length(&path, &"a".repeat(51), Some(3), Some(50)).unwrap_err();
        assert_eq!(long.rule(), &Rule::MaxLength(50));
    }

    #[test]
    fn range_is_inclusive_and_reports_the_bound() {
        let root = FieldPath::root("body");
        let path = root.field("maxIntervalInSeconds");
        assert_eq!(range(&path, 5.0, Some(5.0), Some(86400.0)), Ok(()));
        assert_eq!(range(&path, 86400.0, Some(5.0), Some(86400.0)), Ok(()));
        assert_eq!(
            message(range(&path, 4.0, Some(5.0), Some(86400.0))),
            "invalid value 4 for `body.maxIntervalInSeconds`: must be at least 5"
        );
        let high = range(&path, 86401.0, Some(5.0), Some(86400.0)).unwrap_err();
        assert_eq!(high.rule(), &Rule::Maximum(86400.0));
    }

    #[test]
    fn exclusive_range_rejects_the_bounds_themselves() {
        let path = FieldPath::root("capacity");
        assert_eq!(exclusive_range(&path, 0.5, Some(0.0), Some(100.0)), Ok(()));
        assert_eq!(exclusive_range(&path, 99.0, Some(0.0), Some(100.0)), Ok(()));
        assert_eq!(
            message(exclusive_range(&path, 0.0, Some(0.0), Some(100.0))),
            "invalid value 0 for `capacity`: must be greater than 0"
        );
        assert_eq!(
            message(exclusive_range(&path, 100.0, None, Some(100.0))),
            "invalid value 100 for `capacity`: must be less than 100"
        );
    }

    #[test]
    fn multiple_of_allows_rounding_of_fractions_only() {
        let path = FieldPath::root("ratio");
        assert_eq!(multiple_of(&path, 0.75, 0.25), Ok(()));
        assert_eq!(multiple_of(&path, 0.3, 0.1), Ok(()));
        assert_eq!(multiple_of(&path, -20.0, 10.0), Ok(()));
        assert_eq!(multiple_of(&path, 0.0, 10.0), Ok(()));
        assert_eq!(
            message(multiple_of(&path, 25.0, 10.0)),
            "invalid value 25 for `ratio`: must be a multiple of 10"
        );
        assert_eq!(
            multiple_of(&path, 0.8, 0.25).unwrap_err().rule(),
            &Rule::MultipleOf(0.25)
        );
    }

    #[test]
    fn unique_items_names_the_repeated_pair() {
        let path = FieldPath::root("labels");
        assert_eq!(unique_items(&path, &["a", "b", "c"]), Ok(()));
        assert_eq!(unique_items::<&str>(&path, &[]), Ok(()));
        assert_eq!(
            message(unique_items(&path, &["a", "b", "c", "b"])),
            "invalid value with item 3 equal to item 1 for `labels`: must not repeat an item"
        );
    }

    #[test]
    fn not_null_rejects_only_null() {
        let root = FieldPath::root("body");
        let path = root.field("settings");
        assert_eq!(not_null(&path, &serde_json::json!({})), Ok(()));
        assert_eq!(not_null(&path, &serde_json::json!(false)), Ok(()));
        assert_eq!(
            message(not_null(&path, &serde_json::Value::Null)),
            "invalid value null for `body.settings`: must not be null"
        );
    }

    #[test]
    fn items_checks_array_length() {
        let path = FieldPath::root("dataRegions");
        assert_eq!(items(&path, 1, Some(1), None), Ok(()));
        assert_eq!(
            message(items(&path, 0, Some(1), None)),
            "invalid value with 0 items for `dataRegions`: must have at least 1 items"
        );
        assert_eq!(
            items(&path, 3, None, Some(2)).unwrap_err().rule(),
            &Rule::MaxItems(2)
        );
    }

    #[test]
    fn uuid_format() {
        let path = FieldPath::root("subscriptionId");
        assert_eq!(uuid(&path, "00000000-1111-2222-3333-444444444444"), Ok(()));
        assert_eq!(uuid(&path, "not-a-uuid").unwrap_err().rule(), &Rule::Uuid);
    }

    #[test]
    fn field_paths_render_fields_indexes_and_keys() {
        let root = FieldPath::root("body");
        let locations = root.field("locations");
        let first = locations.index(0);
        let tags = first.field("tags");
        let key = tags.key("env");
        assert_eq!(key.to_string(), "body.locations[0].tags[\"env\"]");
    }
}
