//! The one uniquifier of Rust identifiers: a [`Namespace`] per scope (the crate's types, a
//! struct's fields, an enum's variants, a group's methods, a call's arguments, a module's
//! statics) hands out names made by [`sanitize`], numbered with one suffix rule when taken.

use std::collections::HashSet;

use crate::names::{Case, sanitize};

/// The names taken in one scope.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: HashSet<String>,
}

impl Namespace {
    /// A scope where `reserved` are taken already (names the generated code uses itself).
    pub fn reserving(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    /// `raw` as an identifier in `case`, numbered when the scope has it already: `Name2`,
    /// `name_2`, `NAME_2` (the case's own word separator before the number).
    pub fn claim(&mut self, raw: &str, case: Case) -> String {
        self.claim_identifier(sanitize(raw, case), case)
    }

    /// `raw` as an identifier in `case` if the scope does not have it yet; `None` otherwise, for
    /// optional names that are left out rather than numbered.
    pub fn try_claim(&mut self, raw: &str, case: Case) -> Option<String> {
        let name = sanitize(raw, case);
        self.taken.insert(name.clone()).then_some(name)
    }

    /// The first of `candidates` (identifiers already) that is free, else the first numbered.
    pub fn claim_first_free(&mut self, candidates: &[&str], case: Case) -> String {
        match candidates.iter().find(|name| !self.taken.contains(**name)) {
            Some(name) => self.claim_identifier((*name).to_owned(), case),
            None => self.claim_identifier(candidates[0].to_owned(), case),
        }
    }

    /// `base` (an identifier already), numbered when taken.
    pub fn claim_identifier(&mut self, base: String, case: Case) -> String {
        let separator = match case {
            Case::Type => "",
            Case::Snake | Case::Constant => "_",
        };
        let mut name = base.clone();
        let mut counter = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{base}{separator}{counter}");
            counter += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(claims: &[(&str, Case)], expected: &[&str]) {
        let mut scope = Namespace::reserving(&["new"]);
        let names: Vec<String> = claims
            .iter()
            .map(|(raw, case)| scope.claim(raw, *case))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn numbers_repeated_names_in_the_case_style() {
        check(
            &[("Widget", Case::Type), ("widget", Case::Type)],
            &["Widget", "Widget2"],
        );
        check(
            &[
                ("name", Case::Snake),
                ("Name", Case::Snake),
                ("NAME", Case::Snake),
            ],
            &["name", "name_2", "name_3"],
        );
        check(
            &[("a-b", Case::Constant), ("a.b", Case::Constant)],
            &["A_B", "A_B_2"],
        );
    }

    #[test]
    fn reserved_names_are_numbered() {
        check(&[("new", Case::Snake)], &["new_2"]);
    }

    #[test]
    fn first_free_candidate() {
        let mut scope = Namespace::default();
        scope.claim("Other", Case::Type);
        assert_eq!(
            scope.claim_first_free(&["Other", "UnknownValue"], Case::Type),
            "UnknownValue"
        );
        assert_eq!(
            scope.claim_first_free(&["Other", "UnknownValue"], Case::Type),
            "Other2"
        );
    }
}
