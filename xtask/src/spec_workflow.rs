//! The maintainer workflow around api-versions:
//!
//! - `cargo xtask import-spec <azure-rest-api-specs checkout> --tag <tag>` (or `--api-version
//!   <v>`) copies the spec files of an AutoRest tag (its `input-file`s, every file they
//!   reference, their examples) verbatim into `spec/`, in their upstream layout, and records
//!   them in `spec/SOURCE.md` (module [`crate::import`]);
//! - `cargo xtask regen --spec <folder or file under spec/>` points `spec/regen.yaml` at those
//!   files (inputs and api-version) and regenerates;
//! - `cargo xtask api-diff <old spec> <new spec>` prints the change report of the generated API
//!   as Markdown, and `regen` prints it too when the api-version changed and the previous
//!   version's files are still in `spec/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use azrm_codegen::diff::diff;
use azrm_codegen::{Config, read_api};

use crate::import::{ReadmeSource, Selection, import, slash};

/// The spec files a command-line argument names: the file itself, or every `*.json` file
/// directly inside a folder (an ARM version folder), sorted.
pub fn spec_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .with_context(|| format!("reading {}", path.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("{} holds no *.json spec file", path.display());
    }
    Ok(files)
}

/// `cargo xtask api-diff <old> <new>`.
pub fn api_diff_command(args: &[String]) -> Result<()> {
    let [old, new] = args else {
        bail!("usage: cargo xtask api-diff <old spec folder or file> <new spec folder or file>");
    };
    print!(
        "{}",
        diff(&read_spec_argument(old)?, &read_spec_argument(new)?).to_markdown()
    );
    Ok(())
}

/// The API of the spec a command-line argument names (a file, or a folder of spec files).
pub fn read_spec_argument(arg: &str) -> Result<azrm_codegen::ir::Api> {
    let files = spec_files(Path::new(arg))?;
    read_api(&files).with_context(|| format!("reading the spec at {arg}"))
}

/// The api-version and inputs the committed crate was generated from, captured before a regen
/// so the change can be reported after it.
#[derive(Debug)]
pub struct PreviousApi {
    api_version: Option<String>,
    config: Config,
}

impl PreviousApi {
    /// Reads the api-version from the header of the committed crate's `lib.rs`.
    pub fn capture(config: &Config, root: &Path) -> Self {
        let lib = root.join(&config.output).join("src/lib.rs");
        let api_version = std::fs::read_to_string(lib)
            .ok()
            .and_then(|text| azrm_codegen::format::header_api_version(&text).map(str::to_owned));
        Self {
            api_version,
            config: config.clone(),
        }
    }

    /// After a regen to `config`: if the api-version changed, prints the change report when the
    /// previous version's spec files are still in `spec/` (found by putting the old version in
    /// place of the new one in the input paths), else says how to get it.
    pub fn report_change(&self, config: &Config) -> Result<()> {
        let Some(old_version) = &self.api_version else {
            return Ok(());
        };
        if *old_version == config.api_version {
            return Ok(());
        }
        let inputs_changed = self.config.inputs != config.inputs;
        let old_inputs: Vec<PathBuf> = if inputs_changed {
            self.config.input_paths()
        } else {
            config
                .input_paths()
                .iter()
                .map(|p| with_version(p, &config.api_version, old_version))
                .collect()
        };
        if old_inputs.iter().all(|p| p.is_file()) {
            let old = read_api(&old_inputs).context("reading the previous api-version's spec")?;
            let new = read_api(&config.input_paths())?;
            println!("\n{}", diff(&old, &new).to_markdown());
        } else {
            println!(
                "api-version changed from {old_version} to {}; its spec files are not in spec/ \
                 any more, so no change report (`cargo xtask api-diff <old> <new>` makes one)",
                config.api_version
            );
        }
        Ok(())
    }
}

/// The command-line arguments as `(flag, value)`: `(Some(flag), value)` for each of `flags`
/// followed by its value, `(None, argument)` for the others; an error naming `usage` for a flag
/// without a value or an unknown `--flag`.
pub fn options<'f>(
    args: &[String],
    usage: &str,
    flags: &[&'f str],
) -> Result<Vec<(Option<&'f str>, String)>> {
    let mut out = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if let Some(flag) = flags.iter().find(|flag| **flag == arg) {
            let value = args
                .next()
                .with_context(|| format!("{arg} needs a value; {usage}"))?;
            out.push((Some(*flag), value.clone()));
        } else if arg.starts_with("--") {
            bail!("unknown option {arg:?}; {usage}");
        } else {
            out.push((None, arg.clone()));
        }
    }
    Ok(out)
}

/// `path` with every segment equal to `from` replaced by `to`, and the `stable`/`preview` folder
/// before it matched to `to`.
fn with_version(path: &Path, from: &str, to: &str) -> PathBuf {
    let segments: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let mut out = PathBuf::new();
    for (index, segment) in segments.iter().enumerate() {
        let next_is_version = segments.get(index + 1).is_some_and(|s| s == from);
        if segment == from {
            out.push(to);
        } else if next_is_version && (segment == "stable" || segment == "preview") {
            out.push(if to.contains("preview") {
                "preview"
            } else {
                "stable"
            });
        } else {
            out.push(segment);
        }
    }
    out
}

/// `--spec PATH` taken out of `args`: the path, and the other arguments.
pub fn take_spec_argument(args: &[String]) -> Result<(Option<PathBuf>, Vec<String>)> {
    let mut spec = None;
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--spec" {
            let Some(path) = args.next() else {
                bail!("--spec needs a spec folder or file under spec/");
            };
            spec = Some(PathBuf::from(path));
        } else {
            rest.push(arg.clone());
        }
    }
    Ok((spec, rest))
}

/// Points the regen config file at the spec files `spec` names (a folder or file inside the
/// config's folder) and their api-version, keeping the file's comments.
pub fn point_config_at(config: &Config, spec: &Path) -> Result<()> {
    let files = spec_files(spec)?;
    let api = read_api(&files).with_context(|| format!("reading {}", spec.display()))?;
    let inputs = inputs_under(&config.spec_dir, &files)?;
    let text = std::fs::read_to_string(&config.path)
        .with_context(|| format!("reading {}", config.path.display()))?;
    let text = rewrite_config(&text, &api.api_version, &inputs);
    std::fs::write(&config.path, text)
        .with_context(|| format!("writing {}", config.path.display()))?;
    println!(
        "{}: api_version {}, inputs {}",
        config.path.display(),
        api.api_version,
        inputs.join(", ")
    );
    Ok(())
}

/// `files` as config inputs: relative to `spec_dir`, `/`-separated; an error for a file outside
/// it.
pub fn inputs_under(spec_dir: &Path, files: &[PathBuf]) -> Result<Vec<String>> {
    let root = std::fs::canonicalize(spec_dir)
        .with_context(|| format!("reading {}", spec_dir.display()))?;
    files
        .iter()
        .map(|file| {
            let absolute = std::fs::canonicalize(file)
                .with_context(|| format!("reading {}", file.display()))?;
            match absolute.strip_prefix(&root) {
                Ok(relative) => Ok(slash(relative)),
                Err(_) => bail!(
                    "{} is not under {}: import it first with `cargo xtask import-spec`",
                    file.display(),
                    spec_dir.display()
                ),
            }
        })
        .collect()
}

/// The config text with its `api_version` line and `inputs` list replaced.
fn rewrite_config(text: &str, api_version: &str, inputs: &[String]) -> String {
    let mut out = String::new();
    let mut in_inputs = false;
    for line in text.lines() {
        if in_inputs && line.trim_start().starts_with("- ") {
            continue;
        }
        in_inputs = false;
        if line.starts_with("api_version:") {
            out.push_str(&format!("api_version: \"{api_version}\"\n"));
        } else if line.starts_with("inputs:") {
            out.push_str("inputs:\n");
            for input in inputs {
                out.push_str(&format!("  - {input}\n"));
            }
            in_inputs = true;
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `cargo xtask import-spec <checkout> (--tag <tag> | --api-version <v>) [--readme <file>]
/// [--out <folder>]`: imports into `--out`, by default the main config's spec folder, reading the
/// tags of `--readme`, by default of the readmes above the main config's input in the checkout.
pub fn import_spec_command(config: &Config, args: &[String]) -> Result<()> {
    const USAGE: &str = "usage: cargo xtask import-spec <azure-rest-api-specs checkout> \
                         (--tag <tag> | --api-version <version>) [--readme <readme.md>] \
                         [--out <folder>]";
    let mut checkout = None;
    let (mut selection, mut readme, mut out) = (None, None, None);
    for (flag, value) in options(
        args,
        USAGE,
        &["--tag", "--api-version", "--readme", "--out"],
    )? {
        match (flag, value) {
            (None, value) if checkout.is_none() => checkout = Some(PathBuf::from(value)),
            (None, value) => bail!("unexpected argument {value:?}; {USAGE}"),
            (Some("--tag"), value) => selection = Some(Selection::Tag(value)),
            (Some("--api-version"), value) => selection = Some(Selection::ApiVersion(value)),
            (Some("--readme"), value) => readme = Some(PathBuf::from(value)),
            (Some(_), value) => out = Some(PathBuf::from(value)),
        }
    }
    let (Some(checkout), Some(selection)) = (checkout, selection) else {
        bail!("{USAGE}");
    };
    let readme = readme.map_or_else(
        || ReadmeSource::Near(config.inputs[0].clone()),
        ReadmeSource::Given,
    );
    let out = out.unwrap_or_else(|| config.spec_dir.clone());
    let imported = import(&checkout, &selection, &readme, &out)?;
    for file in imported.spec_files.iter().chain(&imported.examples) {
        println!("copied {file}");
    }
    for file in &imported.missing_examples {
        println!("missing example {file}");
    }
    let folders: BTreeSet<String> = imported
        .inputs
        .iter()
        .map(|input| {
            out.join(input)
                .parent()
                .unwrap_or(&out)
                .display()
                .to_string()
        })
        .collect();
    println!(
        "tag {} of {} (api-version {}): {} spec files ({} inputs, {} operations), {} examples \
         copied, {} named but not in the checkout; next: cargo xtask regen --spec {}",
        imported.tag,
        imported.readme,
        imported.api_version.as_deref().unwrap_or("mixed"),
        imported.spec_files.len(),
        imported.inputs.len(),
        imported.operations,
        imported.examples.len(),
        imported.missing_examples.len(),
        folders.into_iter().collect::<Vec<_>>().join(" | ")
    );
    Ok(())
}

/// Every file under `folder` (none if it does not exist), sorted.
pub(crate) fn walk(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !folder.is_dir() {
        return Ok(files);
    }
    let mut pending = vec![folder.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_swapped_with_their_stability_folder() {
        let path = Path::new("specification/x/stable/2026-03-15/openapi.json");
        assert_eq!(
            with_version(path, "2026-03-15", "2026-09-01-preview"),
            Path::new("specification/x/preview/2026-09-01-preview/openapi.json")
        );
        assert_eq!(
            with_version(path, "2026-03-15", "2027-01-01"),
            Path::new("specification/x/stable/2027-01-01/openapi.json")
        );
    }

    #[test]
    fn the_config_keeps_its_comments_and_gets_new_inputs() {
        let text = "# header\ncrate_name: c\napi_version: \"1\"\ninputs:\n  - a/1/openapi.json\n  - a/1/more.json\n# after\ntest_registry: x\n";
        let rewritten = rewrite_config(text, "2", &["a/2/openapi.json".to_owned()]);
        assert_eq!(
            rewritten,
            "# header\ncrate_name: c\napi_version: \"2\"\ninputs:\n  - a/2/openapi.json\n# after\ntest_registry: x\n"
        );
    }

    /// A fake azure-rest-api-specs checkout holding this repository's spec as api-version
    /// `2026-09-01`, imported into a scratch spec folder, then made the regen input.
    #[test]
    fn a_new_api_version_is_imported_verbatim_and_becomes_the_input() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let real = Config::read(&root.join("spec/regen.yaml")).expect("config");
        let scratch = std::env::temp_dir().join(format!("import-spec-{}", std::process::id()));
        let checkout = scratch.join("checkout");
        let old_input = &real.inputs[0];
        let new_input = with_version(old_input, &real.api_version, "2026-09-01");
        let text = std::fs::read_to_string(real.spec_dir.join(old_input)).expect("spec");
        let text = text.replacen(
            "\"version\": \"2026-03-15\"",
            "\"version\": \"2026-09-01\"",
            1,
        );
        let write = |path: PathBuf, text: &str| {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write(checkout.join(&new_input), &text);
        let common = "specification/common-types/resource-management/v6/types.json";
        write(
            checkout.join(common),
            &std::fs::read_to_string(real.spec_dir.join(common)).expect("common types"),
        );
        let folder = new_input.parent().expect("folder");
        let example = folder.join("examples/CosmosDBOperationsList.json");
        write(checkout.join(&example), "{}");
        write(checkout.join(folder.join("examples/Unnamed.json")), "{}");
        write(
            checkout
                .join(folder.parent().expect("stable").parent().expect("rp"))
                .join("readme.md"),
            "```yaml $(tag) == 'package-2026-09'\ninput-file:\n  - stable/2026-09-01/openapi.json\n```\n",
        );
        write(checkout.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(checkout.join(".git/refs/heads/main"), "0123abcd\n");

        let spec_dir = scratch.join("spec");
        write(
            spec_dir.join("regen.yaml"),
            &std::fs::read_to_string(&real.path).expect("yaml"),
        );
        let config = Config::read(&spec_dir.join("regen.yaml")).expect("scratch config");
        let imported = import(
            &checkout,
            &Selection::ApiVersion("2026-09-01".to_owned()),
            &ReadmeSource::Near(config.inputs[0].clone()),
            &config.spec_dir,
        )
        .expect("imports");
        assert_eq!(imported.tag, "package-2026-09");
        assert_eq!(imported.examples, [slash(&example)]);
        assert!(imported.missing_examples.len() > 100);
        assert_eq!(imported.spec_files, [common.to_owned(), slash(&new_input)]);
        for file in imported.spec_files.iter().chain(&imported.examples) {
            assert_eq!(
                std::fs::read(spec_dir.join(file)).expect("copied"),
                std::fs::read(checkout.join(file)).expect("source"),
                "{file} is copied byte for byte"
            );
        }
        let source = std::fs::read_to_string(spec_dir.join("SOURCE.md")).expect("SOURCE.md");
        assert!(
            source.contains("## package-2026-09 (api-version 2026-09-01)"),
            "{source}"
        );
        assert!(source.contains("commit 0123abcd"), "{source}");

        point_config_at(&config, &spec_dir.join(new_input.parent().expect("folder")))
            .expect("points the config at the new version");
        let moved = Config::read(&config.path).expect("rewritten config");
        assert_eq!(moved.api_version, "2026-09-01");
        assert_eq!(moved.inputs, [new_input]);
        let _ = std::fs::remove_dir_all(&scratch);
    }

    #[test]
    fn options_pair_flags_with_their_values() {
        let args: Vec<String> = ["checkout", "--tag", "t", "--out", "o"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            options(&args, "usage", &["--tag", "--out"]).expect("parses"),
            [
                (None, "checkout".to_owned()),
                (Some("--tag"), "t".to_owned()),
                (Some("--out"), "o".to_owned())
            ]
        );
        let missing = options(&["--tag".to_owned()], "usage", &["--tag"]).unwrap_err();
        assert_eq!(missing.to_string(), "--tag needs a value; usage");
        let unknown = options(&["--tga".to_owned()], "usage", &["--tag"]).unwrap_err();
        assert_eq!(unknown.to_string(), "unknown option \"--tga\"; usage");
    }

    #[test]
    fn spec_arguments_are_taken_out() {
        let args: Vec<String> = ["--check", "--spec", "spec/x"].map(String::from).to_vec();
        let (spec, rest) = take_spec_argument(&args).expect("parses");
        assert_eq!(spec, Some(PathBuf::from("spec/x")));
        assert_eq!(rest, ["--check"]);
        assert!(take_spec_argument(&["--spec".to_owned()]).is_err());
    }
}
