//! The maintainer workflow around api-versions:
//!
//! - `cargo xtask import-spec <azure-rest-api-specs checkout> --api-version <v>` copies the spec
//!   files of another api-version (the `openapi.json`, every file it references, its examples)
//!   verbatim into `spec/`, in their upstream layout, and records them in `spec/SOURCE.md`;
//! - `cargo xtask regen --spec <folder or file under spec/>` points `spec/regen.yaml` at those
//!   files (inputs and api-version) and regenerates;
//! - `cargo xtask api-diff <old spec> <new spec>` prints the change report of the generated API
//!   as Markdown, and `regen` prints it too when the api-version changed and the previous
//!   version's files are still in `spec/`.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};
use arm_codegen::diff::diff;
use arm_codegen::{Config, load, read_api};

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
    let read = |arg: &String| {
        let files = spec_files(Path::new(arg))?;
        read_api(&files).with_context(|| format!("reading the spec at {arg}"))
    };
    print!("{}", diff(&read(old)?, &read(new)?).to_markdown());
    Ok(())
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
            .and_then(|text| arm_codegen::format::header_api_version(&text).map(str::to_owned));
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
    let spec_dir = std::fs::canonicalize(&config.spec_dir)
        .with_context(|| format!("reading {}", config.spec_dir.display()))?;
    let files = spec_files(spec)?;
    let api = read_api(&files).with_context(|| format!("reading {}", spec.display()))?;
    let mut inputs = Vec::new();
    for file in &files {
        let absolute =
            std::fs::canonicalize(file).with_context(|| format!("reading {}", file.display()))?;
        let Ok(relative) = absolute.strip_prefix(&spec_dir) else {
            bail!(
                "{} is not under {}: copy it in first with `cargo xtask import-spec`",
                file.display(),
                spec_dir.display()
            );
        };
        inputs.push(slash(relative));
    }
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

fn slash(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// `cargo xtask import-spec <checkout> --api-version <v>`, into the config's spec folder.
pub fn import_spec_command(config: &Config, args: &[String]) -> Result<()> {
    const USAGE: &str =
        "usage: cargo xtask import-spec <azure-rest-api-specs checkout> --api-version <version>";
    let (checkout, version) = match args {
        [checkout, flag, version] if flag == "--api-version" => (checkout, version),
        [flag, version, checkout] if flag == "--api-version" => (checkout, version),
        _ => bail!("{USAGE}"),
    };
    let imported = import_spec(config, Path::new(checkout), version)?;
    for file in &imported.files {
        println!("copied {file}");
    }
    println!(
        "copied {} files ({} examples); next: cargo xtask regen --spec {}",
        imported.files.len(),
        imported.examples,
        imported.inputs.join(" --spec ")
    );
    Ok(())
}

/// What [`import_spec`] copied.
#[derive(Debug)]
pub struct Imported {
    /// Every copied file, relative to the spec folder.
    pub files: Vec<String>,
    /// How many of them are examples.
    pub examples: usize,
    /// The new input files, relative to the workspace root's current folder.
    pub inputs: Vec<String>,
}

/// Copies the spec files of api-version `version` from `checkout` into `config`'s spec folder:
/// each input with the version put in place of the config's, every file they reference, and the
/// `examples/` folder beside each input; then appends their record to `SOURCE.md` there.
pub fn import_spec(config: &Config, checkout: &Path, version: &str) -> Result<Imported> {
    let checkout = std::fs::canonicalize(checkout)
        .with_context(|| format!("reading the checkout {}", checkout.display()))?;
    let sources: Vec<PathBuf> = config
        .inputs
        .iter()
        .map(|input| checkout.join(with_version(input, &config.api_version, version)))
        .collect();
    for source in &sources {
        if !source.is_file() {
            bail!(
                "{} does not exist: the checkout has no api-version {version} at the path the \
                 current inputs imply",
                source.display()
            );
        }
    }
    let set = load::load(&sources).context("loading the new spec")?;
    let mut files = Vec::new();
    for path in set.files.keys() {
        let relative = relative_inside(&checkout, path)?;
        copy(path, &config.spec_dir.join(&relative))?;
        files.push(slash(&relative));
    }
    let mut examples = 0;
    for source in &sources {
        let folder = source.parent().unwrap_or(&checkout).join("examples");
        for example in walk(&folder)? {
            let relative = relative_inside(&checkout, &example)?;
            copy(&example, &config.spec_dir.join(&relative))?;
            files.push(slash(&relative));
            examples += 1;
        }
    }
    append_source_record(config, &checkout, version, &files, examples)?;
    let inputs = sources
        .iter()
        .map(|source| relative_inside(&checkout, source))
        .map(|relative| relative.map(|r| slash(&config.spec_dir.join(r))))
        .collect::<Result<_>>()?;
    Ok(Imported {
        files,
        examples,
        inputs,
    })
}

/// `path` relative to `root`, refusing paths that leave it.
fn relative_inside(root: &Path, path: &Path) -> Result<PathBuf> {
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

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
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

fn append_source_record(
    config: &Config,
    checkout: &Path,
    version: &str,
    files: &[String],
    examples: usize,
) -> Result<()> {
    let source = config.spec_dir.join("SOURCE.md");
    let mut text = std::fs::read_to_string(&source).unwrap_or_default();
    let commit = checkout_commit(checkout).unwrap_or_else(|| "unknown commit".to_owned());
    text.push_str(&format!(
        "\n## api-version {version}\n\nImported verbatim with `cargo xtask import-spec` from a \
         checkout of Azure/azure-rest-api-specs at {commit}, same paths:\n\n"
    ));
    for file in files.iter().filter(|f| !f.contains("/examples/")) {
        text.push_str(&format!("- `{file}`\n"));
    }
    text.push_str(&format!(
        "- {examples} example files under the inputs' `examples/`\n"
    ));
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
        let example = new_input
            .parent()
            .expect("folder")
            .join("examples/sql/Get.json");
        write(checkout.join(&example), "{}");
        write(checkout.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(checkout.join(".git/refs/heads/main"), "0123abcd\n");

        let spec_dir = scratch.join("spec");
        write(
            spec_dir.join("regen.yaml"),
            &std::fs::read_to_string(&real.path).expect("yaml"),
        );
        let config = Config::read(&spec_dir.join("regen.yaml")).expect("scratch config");
        let imported = import_spec(&config, &checkout, "2026-09-01").expect("imports");
        assert_eq!(imported.examples, 1);
        let mut files = imported.files.clone();
        files.sort();
        assert_eq!(
            files,
            [common.to_owned(), slash(&example), slash(&new_input)]
        );
        for file in &files {
            assert_eq!(
                std::fs::read(spec_dir.join(file)).expect("copied"),
                std::fs::read(checkout.join(file)).expect("source"),
                "{file} is copied byte for byte"
            );
        }
        let source = std::fs::read_to_string(spec_dir.join("SOURCE.md")).expect("SOURCE.md");
        assert!(source.contains("## api-version 2026-09-01"), "{source}");
        assert!(source.contains("commit 0123abcd"), "{source}");

        point_config_at(&config, &spec_dir.join(new_input.parent().expect("folder")))
            .expect("points the config at the new version");
        let moved = Config::read(&config.path).expect("rewritten config");
        assert_eq!(moved.api_version, "2026-09-01");
        assert_eq!(moved.inputs, [new_input]);
        let _ = std::fs::remove_dir_all(&scratch);
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
