//! `cargo xtask new-crate <name> (--spec PATH... | --checkout DIR --tag TAG [--readme FILE])
//! [--dir DIR]`: sets up a further generated client crate without hand work.
//!
//! It writes the regen config `spec/<name>.regen.yaml` (found by `cargo xtask regen`, which
//! regenerates and checks every `spec/*.regen.yaml` with the main crate), the crate's
//! `Cargo.toml` and an empty `src/lib.rs` in `--dir` (by default `crates/<name>`), adds the
//! crate to the workspace's `members`, then generates its code. The spec files are either
//! already under `spec/` (`--spec`, a file or a version folder, repeatable) or imported there
//! first by AutoRest tag from an azure-rest-api-specs checkout (module [`crate::import`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use azrm_codegen::read_api;

use crate::import::{ReadmeSource, Selection, import, slash};
use crate::spec_workflow::{inputs_under, options, spec_files};

/// What a new crate is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The package name, e.g. `azrm-cosmosdb-2024-11-15`.
    pub name: String,
    /// The crate folder, relative to the workspace root.
    pub dir: PathBuf,
    /// The spec files, under the spec folder.
    pub inputs: Vec<PathBuf>,
}

const USAGE: &str = "usage: cargo xtask new-crate <name> (--spec <file or folder under spec/>... \
                     | --checkout <azure-rest-api-specs checkout> --tag <tag> [--readme <file>]) \
                     [--dir <crate folder>]";

/// Parses the command line, importing by tag into `spec_dir` when asked; returns the request.
pub fn parse(spec_dir: &Path, main_input: &Path, args: &[String]) -> Result<Request> {
    let mut name = None;
    let mut specs = Vec::new();
    let (mut checkout, mut tag, mut readme, mut dir) = (None, None, None, None);
    let flags = ["--spec", "--checkout", "--tag", "--readme", "--dir"];
    for (flag, value) in options(args, USAGE, &flags)? {
        match (flag, value) {
            (None, value) if name.is_none() => name = Some(value),
            (None, value) => bail!("unexpected argument {value:?}; {USAGE}"),
            (Some("--spec"), value) => specs.push(PathBuf::from(value)),
            (Some("--checkout"), value) => checkout = Some(PathBuf::from(value)),
            (Some("--tag"), value) => tag = Some(value),
            (Some("--readme"), value) => readme = Some(PathBuf::from(value)),
            (Some(_), value) => dir = Some(PathBuf::from(value)),
        }
    }
    let Some(name) = name else {
        bail!("{USAGE}");
    };
    let inputs = match (specs.is_empty(), checkout, tag) {
        (false, None, None) => {
            specs
                .iter()
                .map(|s| spec_files(s))
                .try_fold(Vec::new(), |mut all, files| {
                    all.extend(files?);
                    Ok::<_, anyhow::Error>(all)
                })?
        }
        (true, Some(checkout), Some(tag)) => {
            let readme = readme.map_or_else(
                || ReadmeSource::Near(main_input.to_owned()),
                ReadmeSource::Given,
            );
            let imported = import(&checkout, &Selection::Tag(tag), &readme, spec_dir)?;
            println!(
                "imported tag {} of {}: {} spec files, {} examples ({} named but missing)",
                imported.tag,
                imported.readme,
                imported.spec_files.len(),
                imported.examples.len(),
                imported.missing_examples.len()
            );
            imported
                .inputs
                .iter()
                .map(|input| spec_dir.join(input))
                .collect()
        }
        _ => bail!("give either --spec or both --checkout and --tag; {USAGE}"),
    };
    let dir = dir.unwrap_or_else(|| Path::new("crates").join(&name));
    Ok(Request { name, dir, inputs })
}

/// Creates the crate of `request` in the workspace at `root` whose spec folder is `spec_dir`:
/// config, manifest, empty `src/lib.rs`, workspace member. Returns the config's path. Nothing is
/// written when the name, folder or config is taken or an input is outside `spec_dir`.
pub fn create(root: &Path, spec_dir: &Path, request: &Request) -> Result<PathBuf> {
    let name = &request.name;
    if name.is_empty()
        || !name.starts_with(|c: char| c.is_ascii_lowercase())
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    {
        bail!(
            "{name:?} is not a crate name: lowercase ASCII letters, digits, `-` and `_`, \
             starting with a letter"
        );
    }
    let crate_dir = root.join(&request.dir);
    if crate_dir.exists() {
        bail!("{} exists already", crate_dir.display());
    }
    let config_path = spec_dir.join(format!("{name}.regen.yaml"));
    if config_path.exists() {
        bail!("{} exists already", config_path.display());
    }
    let manifest_path = root.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("reading {}", manifest_path.display()))?;
    let member = slash(&request.dir);
    let manifest = with_member(&manifest, &member)
        .with_context(|| format!("adding {member} to {}", manifest_path.display()))?;
    let inputs = inputs_under(spec_dir, &request.inputs)?;
    let api = read_api(&request.inputs).context("reading the spec of the new crate")?;

    let mut config = format!(
        "# `cargo xtask regen` config of `{name}`, made by `cargo xtask new-crate`. Paths under \
         `inputs`\n# are relative to this folder; `output` is relative to the workspace root.\n\
         crate_name: {name}\napi_version: \"{version}\"\noutput: {member}\ninputs:\n",
        version = api.api_version,
    );
    for input in &inputs {
        config.push_str(&format!("  - {input}\n"));
    }
    let cargo_toml = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\ndescription = \"Client for {title} \
         {version}, generated by azrm-codegen from spec/{name}.regen.yaml.\"\n\
         edition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\n\
         publish.workspace = true\n\n[dependencies]\n\
         azrm-runtime.workspace = true\nserde.workspace = true\nserde_json.workspace = true\n\
         time.workspace = true\nuuid.workspace = true\n",
        title = api.title.replace('"', "'"),
        version = api.api_version,
    );
    write(&config_path, &config)?;
    write(&crate_dir.join("Cargo.toml"), &cargo_toml)?;
    write(&crate_dir.join("src/lib.rs"), "")?;
    write(&manifest_path, &manifest)?;
    Ok(config_path)
}

/// The workspace manifest with `member` appended to `[workspace] members`.
fn with_member(manifest: &str, member: &str) -> Result<String> {
    let start = manifest
        .find("members = [")
        .context("it has no `members = [` list")?;
    let end = start
        + manifest[start..]
            .find(']')
            .context("its `members` list is not closed")?;
    let quoted = format!("\"{member}\"");
    if manifest[start..end].contains(&quoted) {
        bail!("{member} is a member already");
    }
    let before = manifest[..end].trim_end();
    let comma = if before.ends_with(',') || before.ends_with('[') {
        ""
    } else {
        ","
    };
    Ok(format!(
        "{before}{comma}\n    {quoted},\n{}",
        &manifest[end..]
    ))
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use azrm_codegen::{Config, Mode, regen};

    #[test]
    fn members_are_appended() {
        let manifest = "[workspace]\nmembers = [\n    \"a\",\n    \"b\"\n]\n\n[x]\n";
        assert_eq!(
            with_member(manifest, "crates/c").expect("adds"),
            "[workspace]\nmembers = [\n    \"a\",\n    \"b\",\n    \"crates/c\",\n]\n\n[x]\n"
        );
        assert!(with_member(manifest, "b").is_err());
        assert!(with_member("[workspace]\n", "c").is_err());
    }

    /// A scratch workspace with the autorest `head.json` under its `spec/`: `new-crate` writes the
    /// crate, its config (which `regen` then finds) and the member, and refuses to do it twice.
    #[test]
    fn a_new_crate_is_configured_generated_and_found_by_regen() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = std::env::temp_dir().join(format!("new-crate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let spec_dir = root.join("spec");
        let head = spec_dir.join("autorest/head.json");
        write(
            &head,
            &std::fs::read_to_string(repo.join("tests/autorest/spec/head.json")).expect("head"),
        )
        .expect("spec");
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\n    \"generated\",\n]\n",
        )
        .expect("manifest");
        write(&spec_dir.join("regen.yaml"), "").expect("main config");
        let request = Request {
            name: "head-again".to_owned(),
            dir: PathBuf::from("crates/head-again"),
            inputs: vec![head.clone()],
        };
        let config_path = create(&root, &spec_dir, &request).expect("creates");
        assert_eq!(config_path, spec_dir.join("head-again.regen.yaml"));
        let config = Config::read(&config_path).expect("config");
        assert_eq!(config.crate_name, "head-again");
        assert_eq!(config.api_version, "1.0.0");
        assert_eq!(config.output, Path::new("crates/head-again"));
        assert_eq!(config.inputs, [Path::new("autorest/head.json")]);
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).expect("manifest");
        assert!(
            manifest.contains("    \"crates/head-again\",\n]"),
            "{manifest}"
        );
        let cargo_toml =
            std::fs::read_to_string(root.join("crates/head-again/Cargo.toml")).expect("toml");
        assert!(cargo_toml.contains("name = \"head-again\""), "{cargo_toml}");
        assert_eq!(
            std::fs::read_to_string(root.join("crates/head-again/src/lib.rs")).expect("lib"),
            ""
        );
        assert!(
            crate::regen_configs(&root)
                .expect("configs")
                .contains(&config_path)
        );
        let generated = regen(&config, &root, Mode::Write).expect("generates");
        assert!(!generated.changed.is_empty());
        assert!(
            std::fs::read_to_string(root.join("crates/head-again/src/lib.rs"))
                .expect("lib")
                .contains("pub mod")
        );

        let again = create(&root, &spec_dir, &request).unwrap_err().to_string();
        assert!(
            again.ends_with("crates/head-again exists already"),
            "{again}"
        );
        let outside = Request {
            name: "elsewhere".to_owned(),
            dir: PathBuf::from("crates/elsewhere"),
            inputs: vec![repo.join("tests/autorest/spec/head.json")],
        };
        let error = create(&root, &spec_dir, &outside).unwrap_err().to_string();
        assert!(error.contains("import it first"), "{error}");
        let bad_name = Request {
            name: "Head".to_owned(),
            ..outside
        };
        assert!(create(&root, &spec_dir, &bad_name).is_err());
        assert!(!root.join("crates/elsewhere").exists());
        let _ = std::fs::remove_dir_all(&root);
    }
}
