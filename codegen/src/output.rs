//! Runs the whole pipeline from a [`Config`] and writes or checks the output crate's `src/`:
//! files are written only when their content changed, files regen no longer produces are
//! removed, and check mode reports every difference without touching anything.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::config::Config;
use proc_macro2::TokenStream;

use crate::emit::test_support::{emit_dispatch_registry, emit_test_registry};
use crate::emit::{EmitSettings, emit};
use crate::error::{Error, Result};
use crate::examples::load_examples;
use crate::format::{Provenance, format_file};
use crate::names::{Case, sanitize};
use crate::plan::{Plan, PlanSettings};
use crate::{ir, load, normalise};

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files, remove stale ones.
    Write,
    /// Change nothing; report differences.
    Check,
}

/// Wall time of each stage.
#[derive(Debug, Clone, Default)]
pub struct StageTimings {
    /// Reading and parsing the spec files.
    pub load: Duration,
    /// Swagger 2.0 → OpenAPI 3.
    pub normalise: Duration,
    /// Building the IR.
    pub ir: Duration,
    /// Planning: every Rust name and operation shape decided.
    pub plan: Duration,
    /// Emitting token streams.
    pub emit: Duration,
    /// Formatting with prettyplease.
    pub format: Duration,
    /// Comparing with and writing to disk.
    pub write: Duration,
}

/// What [`generate`] reports besides the files: how long each stage took and which example
/// files it read.
#[derive(Debug, Clone, Default)]
pub struct GenerateReport {
    /// Wall time of each stage.
    pub timings: StageTimings,
    /// How many example files were read (only with a fake feature, whose routes answer from them).
    pub examples_read: usize,
    /// `(operation id, file)` of each example file the spec names that does not exist: spec
    /// snapshots often carry only some of them.
    pub examples_missing: Vec<(String, PathBuf)>,
}

/// What a regen produced.
#[derive(Debug)]
pub struct Generated {
    /// Every file, relative to the workspace root, with its content.
    pub files: Vec<(String, String)>,
    /// Files whose content differs from disk (written in write mode).
    pub changed: Vec<String>,
    /// Files on disk that regen no longer produces (removed in write mode).
    pub stale: Vec<String>,
    /// For check mode: a short description of each difference.
    pub differences: Vec<String>,
    /// Wall time per stage and the example files read.
    pub report: GenerateReport,
    /// The IR, for callers that report on it.
    pub api: ir::Api,
}

impl Generated {
    /// Total lines of generated code.
    pub fn line_count(&self) -> usize {
        self.files
            .iter()
            .map(|(_, text)| text.lines().count())
            .sum()
    }
}

/// Runs every stage for `config`; `workspace` is the folder `config.output` is relative to.
pub fn regen(config: &Config, workspace: &Path, mode: Mode) -> Result<Generated> {
    if let Some(readme) = &config.readme {
        let full = workspace.join(&config.output).join(readme);
        if !full.is_file() {
            return Err(Error::Config {
                file: config.path.clone(),
                message: format!(
                    "`readme` names {}, which does not exist: the crate docs include it",
                    full.display()
                ),
            });
        }
    }
    let mut report = GenerateReport::default();
    let (files, api) = generate(config, &mut report)?;
    let started = Instant::now();
    let mut changed = Vec::new();
    let mut differences = Vec::new();
    for (path, text) in &files {
        let full = workspace.join(path);
        let current = std::fs::read_to_string(&full).ok();
        if current.as_deref().map(normalize_newlines) == Some(text.clone()) {
            continue;
        }
        changed.push(path.clone());
        differences.push(describe_difference(path, current.as_deref(), text));
        if mode == Mode::Write {
            write_file(&full, text)?;
        }
    }
    let stale = stale_files(workspace, &config.output.join("src"), &files)?;
    for path in &stale {
        differences.push(format!("{path}: no longer generated"));
        if mode == Mode::Write {
            let full = workspace.join(path);
            std::fs::remove_file(&full).map_err(|source| Error::Io {
                file: full,
                action: "cannot remove stale file",
                source,
            })?;
        }
    }
    report.timings.write = started.elapsed();
    Ok(Generated {
        files,
        changed,
        stale,
        differences,
        report,
        api,
    })
}

/// Runs load → normalise → IR → emit → format, without touching the disk. Paths are relative
/// to the workspace root.
pub fn generate(
    config: &Config,
    report: &mut GenerateReport,
) -> Result<(Vec<(String, String)>, ir::Api)> {
    let timings = &mut report.timings;
    let started = Instant::now();
    let set = load::load(&config.input_paths())?;
    timings.load = started.elapsed();

    let started = Instant::now();
    let normalised = normalise::normalise(&set)?;
    timings.normalise = started.elapsed();

    let started = Instant::now();
    let mut api = ir::build(&normalised)?;
    ir::secrets::mark_secrets(&mut api, &config.secrets).map_err(|message| Error::Config {
        file: config.path.clone(),
        message,
    })?;
    if api.api_version != config.api_version {
        return Err(Error::Config {
            file: config.path.clone(),
            message: format!(
                "`api_version` is {:?} but the spec's info.version is {:?}",
                config.api_version, api.api_version
            ),
        });
    }
    timings.ir = started.elapsed();

    let started = Instant::now();
    check_renames(config, &api)?;
    let plan = Plan::new(
        &api,
        &PlanSettings {
            rename: config.rename.clone(),
        },
    );
    timings.plan = started.elapsed();

    let started = Instant::now();
    let examples = load_examples(&api)?;
    let settings = EmitSettings {
        crate_name: config.crate_name.clone(),
        fake_feature: config.fake_feature.clone(),
        about: config.about.clone(),
        readme: config.readme.as_deref().map(slash_path),
    };
    let src = config.output.join("src");
    let mut emitted: Vec<(String, TokenStream)> = emit(&plan, &examples, &settings)
        .into_iter()
        .map(|file| (slash_path(&src.join(&file.path)), file.tokens))
        .collect();
    report.examples_read = examples.read_count();
    report.examples_missing = examples.missing;
    if let Some(registry) = &config.tests.registry {
        emitted.push((
            slash_path(registry),
            emit_test_registry(&plan, &config.crate_name),
        ));
    }
    if let Some(dispatch) = &config.tests.dispatch {
        emitted.push((
            slash_path(dispatch),
            emit_dispatch_registry(&plan, &config.crate_name),
        ));
    }
    timings.emit = started.elapsed();

    let started = Instant::now();
    let provenance = Provenance {
        title: api.title.clone(),
        api_version: api.api_version.clone(),
        input_hash: input_hash(&set, &config.spec_dir),
    };
    let files = emitted
        .into_iter()
        .map(|(path, tokens)| {
            let text = format_file(&path, tokens, &provenance)?;
            Ok((path, text))
        })
        .collect::<Result<Vec<_>>>()?;
    timings.format = started.elapsed();
    Ok((files, api))
}

/// SHA-256 over every loaded file's path (relative to the spec folder) and bytes.
fn input_hash(set: &load::SpecSet, spec_dir: &Path) -> String {
    let base = load::normalise_path(spec_dir);
    let mut hasher = Sha256::new();
    for (path, file) in &set.files {
        let relative = relative_to(path, &base);
        hasher.update(relative.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.update([0]);
        hasher.update(&file.bytes);
    }
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Each of the config's `rename:` entries names a type of the spec and gives it a Rust type name
/// that no other type of the spec has.
fn check_renames(config: &Config, api: &ir::Api) -> Result<()> {
    let error = |message: String| Error::Config {
        file: config.path.clone(),
        message,
    };
    let mut targets = std::collections::BTreeSet::new();
    for (name, ident) in &config.rename {
        if !targets.insert(ident) {
            return Err(error(format!(
                "`rename` gives the name {ident} to two types"
            )));
        }
        if !api.types.contains_key(name) {
            return Err(error(format!(
                "`rename` names {name}, but the spec has no such type"
            )));
        }
        if sanitize(ident, Case::Type) != *ident {
            return Err(error(format!(
                "`rename` gives {name} the name {ident:?}, which is not a Rust type name (UpperCamelCase, not a keyword)"
            )));
        }
        if api
            .types
            .keys()
            .any(|other| other != name && sanitize(other, Case::Type) == *ident)
        {
            return Err(error(format!(
                "`rename` gives {name} the name {ident}, which another type of the spec has"
            )));
        }
    }
    Ok(())
}

/// `path` relative to `base` (both normalised), with `..` segments where it lies outside, so that
/// the hash of inputs outside the spec folder (`../fixtures/x.json`) does not depend on where the
/// checkout is.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<_> = path.components().collect();
    let base: Vec<_> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    out.extend(&path[common..]);
    out
}

fn normalize_newlines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|source| Error::Io {
            file: parent.to_owned(),
            action: "cannot create folder",
            source,
        })?;
    }
    std::fs::write(path, text).map_err(|source| Error::Io {
        file: path.to_owned(),
        action: "cannot write",
        source,
    })
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// `.rs` files under `workspace/src` that are not among `files` (paths relative to `workspace`).
fn stale_files(workspace: &Path, src: &Path, files: &[(String, String)]) -> Result<Vec<String>> {
    let mut stale = Vec::new();
    let mut stack = vec![workspace.join(src)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path: PathBuf = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = slash_path(path.strip_prefix(workspace).unwrap_or(&path));
            if relative.ends_with(".rs") && !files.iter().any(|(p, _)| *p == relative) {
                stale.push(relative);
            }
        }
    }
    stale.sort();
    Ok(stale)
}

/// `path: line N differs` (with both lines), or `path: new file`.
fn describe_difference(path: &str, current: Option<&str>, expected: &str) -> String {
    let Some(current) = current else {
        return format!("{path}: missing (would be created)");
    };
    let mut current_lines = current.lines();
    for (index, expected_line) in expected.lines().enumerate() {
        let found = current_lines.next();
        if found != Some(expected_line) {
            return format!(
                "{path}: line {} differs\n    on disk:   {}\n    generated: {}",
                index + 1,
                found.unwrap_or("<end of file>"),
                expected_line
            );
        }
    }
    format!("{path}: has extra lines at the end")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_paths_are_hashed_relative_to_the_spec_folder_even_outside_it() {
        let base = Path::new("/checkout/codegen/tests/output");
        assert_eq!(
            relative_to(Path::new("/checkout/codegen/tests/fixtures/x.json"), base),
            Path::new("../fixtures/x.json")
        );
        assert_eq!(
            relative_to(
                Path::new("/checkout/codegen/tests/output/spec/y.json"),
                base
            ),
            Path::new("spec/y.json")
        );
        assert_eq!(
            relative_to(Path::new("/elsewhere/x.json"), Path::new("/checkout/a")),
            Path::new("../../elsewhere/x.json")
        );
        // The same layout in another place hashes the same paths.
        assert_eq!(
            relative_to(
                Path::new("/other/place/codegen/tests/fixtures/x.json"),
                Path::new("/other/place/codegen/tests/output")
            ),
            Path::new("../fixtures/x.json")
        );
    }
}
