//! `cargo xtask import-spec`: copies the spec files of one AutoRest tag (or api-version) from an
//! azure-rest-api-specs checkout, verbatim and at their upstream paths, into a spec folder.
//!
//! The files are the tag's `input-file`s (read from the AutoRest `readme.md`, see
//! [`crate::readme`]), every file their `$ref`s reach (common-types included; `$ref` paths are
//! resolved as text, so `.../../x.json` names the sibling `x.json` as AutoRest reads it), and the
//! example files their `x-ms-examples` name. The import is recorded in the folder's `SOURCE.md`.
//! An example file the spec names but the checkout lacks is reported, not fatal (snapshots often
//! lack some); a spec file a `$ref` names but the checkout lacks is an error naming the `$ref`.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use azrm_codegen::load::{self, normalise_path};
use serde_json::Value;

use crate::readme::Readme;

/// Which spec files of the checkout to import.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// The input files of an AutoRest tag.
    Tag(String),
    /// The input files of the one tag whose files sit in a folder named after the api-version.
    ApiVersion(String),
}

/// Where to find the readme of the tags.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadmeSource {
    /// This readme, relative to the checkout (or absolute).
    Given(PathBuf),
    /// The `readme.md` files on the way from this spec file (relative to the checkout) up to the
    /// checkout's root, nearest first.
    Near(PathBuf),
}

/// What [`import`] copied.
#[derive(Debug)]
pub struct Imported {
    /// The tag the files came from.
    pub tag: String,
    /// The readme that defines the tag, relative to the checkout.
    pub readme: String,
    /// The api-version the input files declare (`info.version`), if they agree on one.
    pub api_version: Option<String>,
    /// The tag's input files, relative to the output folder.
    pub inputs: Vec<String>,
    /// Every copied spec file (inputs and the files they reference), relative to the output
    /// folder.
    pub spec_files: Vec<String>,
    /// Every copied example file, relative to the output folder.
    pub examples: Vec<String>,
    /// Example files the spec names that the checkout lacks, relative to the checkout.
    pub missing_examples: Vec<String>,
    /// How many operations the input files define (`paths` and `x-ms-paths`).
    pub operations: usize,
}

/// Copies the files `selection` names from `checkout` into `out` and appends their record to
/// `out/SOURCE.md`.
pub fn import(
    checkout: &Path,
    selection: &Selection,
    readme: &ReadmeSource,
    out: &Path,
) -> Result<Imported> {
    let checkout = std::fs::canonicalize(checkout)
        .with_context(|| format!("reading the checkout {}", checkout.display()))?;
    let readmes = find_readmes(&checkout, readme)?;
    let (readme, tag) = choose_tag(&readmes, selection)?;
    let inputs = readme.inputs(&tag)?;
    for input in &inputs {
        if !input.is_file() {
            bail!(
                "{} lists {} under tag {tag:?}, but the checkout has no such file",
                readme.path.display(),
                input.display()
            );
        }
    }
    let set = load::load(&inputs).with_context(|| format!("loading the spec files of {tag}"))?;
    let mut imported = Imported {
        tag: tag.clone(),
        readme: slash(&relative_inside(&checkout, &readme.path)?),
        api_version: declared_version(&set),
        inputs: Vec::new(),
        spec_files: Vec::new(),
        examples: Vec::new(),
        missing_examples: Vec::new(),
        operations: 0,
    };
    // The operations, and so the examples, are the inputs'; other files only lend definitions.
    let mut examples = BTreeSet::new();
    for input in &set.roots {
        imported
            .inputs
            .push(slash(&relative_inside(&checkout, input)?));
        let raw = &set.file(input).raw;
        imported.operations += operation_count(raw);
        let folder = input.parent().unwrap_or(&checkout);
        examples.extend(
            example_refs(raw)
                .into_iter()
                .map(|reference| normalise_path(&folder.join(reference))),
        );
    }
    for path in set.files.keys() {
        let relative = relative_inside(&checkout, path)?;
        copy(path, &out.join(&relative))?;
        imported.spec_files.push(slash(&relative));
    }
    for example in examples {
        let relative = relative_inside(&checkout, &example)?;
        if example.is_file() {
            copy(&example, &out.join(&relative))?;
            imported.examples.push(slash(&relative));
        } else {
            imported.missing_examples.push(slash(&relative));
        }
    }
    append_source_record(&checkout, out, &imported)?;
    Ok(imported)
}

/// The readmes `source` names that define at least one tag.
fn find_readmes(checkout: &Path, source: &ReadmeSource) -> Result<Vec<Readme>> {
    match source {
        ReadmeSource::Given(path) => Ok(vec![Readme::read(&checkout.join(path))?]),
        ReadmeSource::Near(spec) => {
            let mut readmes = Vec::new();
            let start = normalise_path(&checkout.join(spec));
            for folder in start.ancestors().skip(1) {
                if !folder.starts_with(checkout) {
                    break;
                }
                let path = folder.join("readme.md");
                if path.is_file() {
                    let readme = Readme::read(&path)?;
                    if !readme.tags.is_empty() {
                        readmes.push(readme);
                    }
                }
            }
            if readmes.is_empty() {
                bail!(
                    "no readme.md with AutoRest tags in the folders from {} up to the checkout \
                     {}; name one with --readme",
                    spec.display(),
                    checkout.display()
                );
            }
            Ok(readmes)
        }
    }
}

/// The nearest readme defining the selected tag, and the tag; an error listing every readme's
/// tags when none does.
fn choose_tag<'a>(readmes: &'a [Readme], selection: &Selection) -> Result<(&'a Readme, String)> {
    for readme in readmes {
        match selection {
            Selection::Tag(tag) if readme.tags.contains_key(tag) => {
                return Ok((readme, tag.clone()));
            }
            Selection::ApiVersion(version) => {
                if let Some(tag) = readme.tag_for_version(version)? {
                    return Ok((readme, tag.to_owned()));
                }
            }
            Selection::Tag(_) => {}
        }
    }
    let wanted = match selection {
        Selection::Tag(tag) => format!("tag {tag:?}"),
        Selection::ApiVersion(version) => format!("a tag for api-version {version}"),
    };
    let listed: Vec<String> = readmes
        .iter()
        .map(|readme| format!("{} has {}", readme.path.display(), readme.tag_list()))
        .collect();
    bail!("no readme defines {wanted}: {}", listed.join("; "))
}

/// The `info.version` of the input files, if they all give the same one.
fn declared_version(set: &load::SpecSet) -> Option<String> {
    let versions: BTreeSet<&str> = set
        .roots
        .iter()
        .filter_map(|root| set.file(root).raw.pointer("/info/version")?.as_str())
        .collect();
    match versions.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// How many operations a Swagger document defines in `paths` and `x-ms-paths`.
fn operation_count(document: &Value) -> usize {
    const METHODS: &[&str] = &["get", "put", "post", "patch", "delete", "head", "options"];
    ["paths", "x-ms-paths"]
        .iter()
        .filter_map(|key| document.get(key)?.as_object())
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .map(|item| {
            item.keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .count()
        })
        .sum()
}

/// The file part of every `$ref` inside an `x-ms-examples` object of `value`.
fn example_refs(value: &Value) -> Vec<String> {
    fn walk(value: &Value, in_examples: bool, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    match (key.as_str(), child) {
                        ("$ref", Value::String(reference)) if in_examples => {
                            let file = reference.split('#').next().unwrap_or_default();
                            if !file.is_empty() {
                                out.push(file.to_owned());
                            }
                        }
                        _ => walk(child, in_examples || key == "x-ms-examples", out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| walk(item, in_examples, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, false, &mut out);
    out
}

/// `path` relative to `root`, refusing paths that leave it.
pub fn relative_inside(root: &Path, path: &Path) -> Result<PathBuf> {
    let relative = path.strip_prefix(root).with_context(|| {
        format!(
            "{} is outside the checkout {}",
            path.display(),
            root.display()
        )
    })?;
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!("{} leaves the checkout", path.display());
    }
    Ok(relative.to_owned())
}

/// Copies one file byte for byte, creating its folder.
fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

/// `path` with `/` between its segments on every platform.
pub fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Appends the record of an import to `out/SOURCE.md`.
fn append_source_record(checkout: &Path, out: &Path, imported: &Imported) -> Result<()> {
    let source = out.join("SOURCE.md");
    let mut text = std::fs::read_to_string(&source).unwrap_or_default();
    let commit = checkout_commit(checkout).unwrap_or_else(|| "an unknown commit".to_owned());
    let version = imported.api_version.as_deref().unwrap_or("(mixed)");
    text.push_str(&format!(
        "\n## {tag} (api-version {version})\n\nImported verbatim with `cargo xtask import-spec` \
         from a checkout of Azure/azure-rest-api-specs at {commit}, same paths: the input files \
         of tag `{tag}` in `{readme}` ({operations} operations), every file they reference and \
         the example files they name.\n\n",
        tag = imported.tag,
        readme = imported.readme,
        operations = imported.operations,
    ));
    for file in &imported.spec_files {
        let role = if imported.inputs.contains(file) {
            "input"
        } else {
            "referenced"
        };
        text.push_str(&format!("- `{file}` ({role})\n"));
    }
    text.push_str(&format!(
        "- {} example files beside them\n",
        imported.examples.len()
    ));
    if !imported.missing_examples.is_empty() {
        text.push_str(&format!(
            "\n{} example files the spec names are not in the checkout:\n\n",
            imported.missing_examples.len()
        ));
        for file in &imported.missing_examples {
            text.push_str(&format!("- `{file}`\n"));
        }
    }
    std::fs::write(&source, text).with_context(|| format!("writing {}", source.display()))
}

/// The commit a git checkout has checked out, read from `.git` without running git.
fn checkout_commit(checkout: &Path) -> Option<String> {
    let git = checkout.join(".git");
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    match head.strip_prefix("ref: ") {
        Some(reference) => std::fs::read_to_string(git.join(reference))
            .ok()
            .map(|commit| format!("commit {}", commit.trim())),
        None => Some(format!("commit {head}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder of the Cosmos DB resource provider, relative to a checkout.
    const RP: &str = "specification/cosmos-db/resource-manager";
    /// The 2024-11-15 files' folder in the corpus (the older upstream layout).
    const OLD_FOLDER: &str =
        "specification/cosmos-db/resource-manager/Microsoft.DocumentDB/stable/2024-11-15";
    /// Where readmes are looked for: above the main config's input, as `import-spec` does.
    const MAIN_INPUT: &str = "specification/cosmos-db/resource-manager/Microsoft.DocumentDB/DocumentDB/stable/2026-03-15/openapi.json";

    /// `../shared/spec-corpus` from the workspace root: the 2024-11-15 spec copied verbatim from
    /// upstream. The tests need it, so its absence fails them.
    fn corpus() -> PathBuf {
        let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/spec-corpus");
        assert!(
            corpus.join("SOURCE.md").is_file(),
            "{} is missing: the import tests build their checkout from it",
            corpus.display()
        );
        corpus
    }

    /// A scratch folder, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Self {
            let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            Self(path)
        }

        /// Copies the corpus file or folder `from` to `to` in the scratch checkout.
        fn place(&self, from: &str, to: &str) {
            let from = corpus().join(from);
            let to = self.0.join("checkout").join(to);
            if from.is_file() {
                copy(&from, &to).expect("copies");
                return;
            }
            for file in crate::spec_workflow::walk(&from).expect("corpus folder") {
                let relative = file.strip_prefix(&from).expect("inside");
                copy(&file, &to.join(relative)).expect("copies");
            }
        }

        fn import(&self, selection: Selection) -> Result<Imported> {
            import(
                &self.0.join("checkout"),
                &selection,
                &ReadmeSource::Near(PathBuf::from(MAIN_INPUT)),
                &self.0.join("spec"),
            )
        }

        /// Every imported file is byte for byte the checkout's.
        fn assert_verbatim(&self, imported: &Imported) {
            for file in imported.spec_files.iter().chain(&imported.examples) {
                assert_eq!(
                    std::fs::read(self.0.join("spec").join(file)).expect("copied"),
                    std::fs::read(self.0.join("checkout").join(file)).expect("source"),
                    "{file} is copied byte for byte"
                );
            }
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const SPEC_FILES: [&str; 9] = [
        "cosmos-db.json",
        "managedCassandra.json",
        "mongorbac.json",
        "notebook.json",
        "privateEndpointConnection.json",
        "privateLinkResources.json",
        "rbac.json",
        "restorable.json",
        "services.json",
    ];

    /// The newer layout: `Microsoft.DocumentDB/DocumentDB/readme.md` with the
    /// `package-2024-11-15` tag, its files in `DocumentDB/stable/2024-11-15/` as the tag says.
    #[test]
    fn a_tag_of_the_newer_layout_imports_its_files_references_and_examples() {
        let scratch = Scratch::new("import-newer-layout");
        let documentdb = format!("{RP}/Microsoft.DocumentDB/DocumentDB");
        scratch.place(
            &format!("{documentdb}/readme.md"),
            &format!("{documentdb}/readme.md"),
        );
        let folder = format!("{documentdb}/stable/2024-11-15");
        scratch.place(OLD_FOLDER, &folder);
        let common = "specification/common-types";
        scratch.place(common, common);

        // The corpus files are verbatim from the older layout: their common-types `$ref`s climb
        // five folders, which from the newer folder ends in `specification/cosmos-db/`.
        let error = format!(
            "{:#}",
            scratch
                .import(Selection::Tag("package-2024-11-15".into()))
                .unwrap_err()
        );
        assert!(
            error.contains("../../../../../common-types/resource-management/v")
                && error.contains("does not exist"),
            "{error}"
        );
        scratch.place(common, "specification/cosmos-db/common-types");

        let imported = scratch
            .import(Selection::Tag("package-2024-11-15".into()))
            .expect("imports");
        assert_eq!(imported.readme, format!("{documentdb}/readme.md"));
        assert_eq!(imported.api_version.as_deref(), Some("2024-11-15"));
        let inputs: Vec<String> = SPEC_FILES.map(|f| format!("{folder}/{f}")).to_vec();
        assert_eq!(imported.inputs, inputs);
        let mut spec_files: Vec<String> = (1..=5)
            .filter(|v| *v != 4)
            .map(|v| {
                format!("specification/cosmos-db/common-types/resource-management/v{v}/types.json")
            })
            .chain(inputs)
            .collect();
        spec_files.sort();
        assert_eq!(imported.spec_files, spec_files);
        assert_eq!(imported.operations, 190);
        assert_eq!(imported.examples.len(), 194);
        assert_eq!(imported.missing_examples.len(), 7);
        assert!(imported.examples.contains(&format!(
            "{folder}/examples/CosmosDBDatabaseAccountGet.json"
        )));
        scratch.assert_verbatim(&imported);
        let source = std::fs::read_to_string(scratch.0.join("spec/SOURCE.md")).expect("SOURCE.md");
        assert!(
            source.contains("## package-2024-11-15 (api-version 2024-11-15)")
                && source.contains(&format!("- `{folder}/services.json` (input)"))
                && source.contains("- 194 example files beside them")
                && source.contains("7 example files the spec names are not in the checkout"),
            "{source}"
        );

        let by_version = scratch
            .import(Selection::ApiVersion("2024-11-15".into()))
            .expect("imports by api-version");
        assert_eq!(by_version.tag, "package-2024-11-15");
        assert_eq!(by_version.spec_files, imported.spec_files);

        let error = scratch
            .import(Selection::Tag("package-2024-11".into()))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("no readme defines tag \"package-2024-11\": ")
                && error.contains("package-2024-11-15, package-2025-04-15"),
            "{error}"
        );
    }

    /// The older layout: `resource-manager/readme.md`, whose tags name
    /// `Microsoft.DocumentDB/stable/<version>/` files and which predates 2024-11-15.
    #[test]
    fn a_tag_of_the_older_layout_follows_references_into_other_version_folders() {
        let scratch = Scratch::new("import-older-layout");
        scratch.place(&format!("{RP}/readme.md"), &format!("{RP}/readme.md"));
        scratch.place(OLD_FOLDER, OLD_FOLDER);
        scratch.place("specification/common-types", "specification/common-types");

        let error = scratch
            .import(Selection::Tag("package-2024-11-15".into()))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!("{RP}/readme.md has package-2014-04"))
                && error.contains("package-2022-11, ")
                && error.contains("package-preview-2023-03 (default)"),
            "{error}"
        );
        let error = scratch
            .import(Selection::ApiVersion("2024-11-15".into()))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("no readme defines a tag for api-version 2024-11-15"),
            "{error}"
        );

        // The same nine files placed where the readme's `package-2022-11` tag says: four of them
        // reference `../../stable/2024-11-15/…` and `services.json` references
        // `.../../cosmos-db.json`, which resolve as paths.
        let folder = format!("{RP}/Microsoft.DocumentDB/stable/2022-11-15");
        scratch.place(OLD_FOLDER, &folder);
        let imported = scratch
            .import(Selection::Tag("package-2022-11".into()))
            .expect("imports");
        assert_eq!(
            imported.inputs,
            SPEC_FILES.map(|f| format!("{folder}/{f}")).to_vec()
        );
        let reached: Vec<&String> = imported
            .spec_files
            .iter()
            .filter(|f| !imported.inputs.contains(f))
            .collect();
        assert_eq!(
            reached,
            [
                "specification/common-types/resource-management/v1/types.json",
                "specification/common-types/resource-management/v2/types.json",
                "specification/common-types/resource-management/v3/types.json",
                "specification/common-types/resource-management/v5/types.json",
                &format!("{OLD_FOLDER}/cosmos-db.json"),
                &format!("{OLD_FOLDER}/privateEndpointConnection.json"),
            ]
        );
        assert_eq!(imported.examples.len(), 194);
        assert!(imported.examples.iter().all(|e| e.starts_with(&folder)));
        scratch.assert_verbatim(&imported);
    }
}
