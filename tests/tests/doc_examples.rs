//! Every operation with an example in the spec snapshot has a Rust example in its docs: the
//! method's doc comment in the generated crate holds a `rust,no_run` block (compiled by
//! `cargo test --doc`). Counts operations, operations with an example file present, doctests,
//! and the values the examples leave out (`// Not rendered: ...`, each with its rule).

use azrm_codegen::examples::load_examples;
use azrm_codegen::plan::{Plan, PlanSettings};
use workspace_tests::conformance::load_api;
use workspace_tests::dispatch::Target;
use workspace_tests::{COSMOS_DB, COSMOS_DB_2024_11_15, workspace_root};

/// What the docs of one crate hold.
#[derive(Debug, Default)]
struct Count {
    operations: usize,
    with_examples: usize,
    doctests: usize,
    not_rendered: Vec<String>,
    gaps: Vec<String>,
}

/// The doc comment right above `pub (async) fn {method}(` in `source`, if the method is there.
fn doc_of<'s>(source: &'s str, method: &str) -> Option<Vec<&'s str>> {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines.iter().position(|line| {
        let line = line.trim_start();
        line.starts_with(&format!("pub async fn {method}("))
            || line.starts_with(&format!("pub fn {method}("))
    })?;
    let mut doc: Vec<&str> = lines[..at]
        .iter()
        .rev()
        .take_while(|line| line.trim_start().starts_with("///"))
        .copied()
        .collect();
    doc.reverse();
    Some(doc)
}

fn count(target: &Target) -> Count {
    let config = target.regen_config();
    let api = load_api(&config).unwrap_or_else(|error| panic!("{error}"));
    let examples = load_examples(&api).unwrap_or_else(|error| panic!("{error}"));
    let plan = Plan::new(
        &api,
        &PlanSettings {
            rename: config.rename.clone(),
        },
    );
    let mut count = Count::default();
    for (group, operation) in plan.operations() {
        count.operations += 1;
        let file = workspace_root()
            .join(&config.output)
            .join(format!("src/operations/{}.rs", group.module));
        let source = std::fs::read_to_string(&file)
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let doc = doc_of(&source, &operation.method)
            .unwrap_or_else(|| panic!("{}: no method `{}`", file.display(), operation.method));
        let doctest = doc.iter().any(|line| line.trim() == "/// ```rust,no_run");
        count.doctests += usize::from(doctest);
        count.not_rendered.extend(
            doc.iter()
                .filter_map(|line| line.trim().strip_prefix("/// // Not rendered: "))
                .map(|note| format!("{}: {note}", operation.op.id)),
        );
        if !examples.of(&operation.op.id).is_empty() {
            count.with_examples += 1;
            if !doctest {
                count.gaps.push(operation.op.id.clone());
            }
        }
    }
    count
}

fn check(target: &Target) -> Count {
    let count = count(target);
    eprintln!(
        "{}: {} operations, {} with an example in the snapshot, {} doctests, {} values not \
         rendered:\n  {}",
        target.crate_name,
        count.operations,
        count.with_examples,
        count.doctests,
        count.not_rendered.len(),
        count.not_rendered.join("\n  ")
    );
    assert!(
        count.gaps.is_empty(),
        "{}: operations with an example but no Rust example in their docs: {:?}",
        target.crate_name,
        count.gaps
    );
    // Only operations with an example get one: a doctest without an example would be made up.
    assert_eq!(count.doctests, count.with_examples, "{}", target.crate_name);
    count
}

#[test]
fn every_operation_with_an_example_has_a_rust_example_in_its_docs() {
    let count = check(&COSMOS_DB);
    assert!(count.with_examples >= 120, "{count:?}");
    // Values the typed model cannot hold stay rare: each is listed above with its rule.
    assert!(count.not_rendered.len() <= 2, "{:?}", count.not_rendered);
}

#[test]
fn the_older_api_version_crate_too() {
    let count = check(&COSMOS_DB_2024_11_15);
    assert!(count.with_examples >= 180, "{count:?}");
}
