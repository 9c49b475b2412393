//! The regen configuration (`spec/regen.yaml`): which spec files to read, which crate to write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// Folders whose `*.regen.yaml` files configure further generated crates, regenerated and checked
/// with the main one: the crates `cargo xtask new-crate` made, the clients of the autorest test
/// server's specs, and the expected outputs of the codegen fixtures (workspace crates, so every
/// expected output is built).
pub const EXTRA_CONFIG_DIRS: &[&str] = &["spec", "tests/autorest", "codegen/tests/output"];

/// Every regen config of the workspace at `root`: `spec/regen.yaml`, then the `*.regen.yaml`
/// files of [`EXTRA_CONFIG_DIRS`] (those that exist) in name order. `cargo xtask regen` and the
/// staleness test both go through this list.
pub fn workspace_configs(root: &Path) -> Result<Vec<PathBuf>> {
    let mut configs = vec![root.join("spec/regen.yaml")];
    for dir in EXTRA_CONFIG_DIRS {
        let dir = root.join(dir);
        if !dir.is_dir() {
            continue;
        }
        let io_error = |source| Error::Io {
            file: dir.clone(),
            action: "cannot list regen configs",
            source,
        };
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io_error)? {
            let path = entry.map_err(io_error)?.path();
            if path.to_string_lossy().ends_with(".regen.yaml") {
                found.push(path);
            }
        }
        found.sort();
        configs.extend(found);
    }
    Ok(configs)
}

/// What to generate and from which files.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Package name of the generated crate, e.g. `azrm-cosmosdb`.
    pub crate_name: String,
    /// The api-version the inputs describe; must match the spec's `info.version`.
    pub api_version: String,
    /// Output crate folder, relative to the workspace root; code goes to its `src/`.
    pub output: PathBuf,
    /// Spec files, relative to the folder holding the config file.
    pub inputs: Vec<PathBuf>,
    /// Optional: files for workspace tests, outside the generated crate.
    #[serde(default)]
    pub tests: TestSupport,
    /// Optional: the name of a cargo feature of the generated crate (which must enable its
    /// optional dependency `azrm-local-endpoint`); when set, regen writes `src/fake.rs` behind it:
    /// the route table of the local ARM endpoint and typed fakes per operation group.
    #[serde(default)]
    pub fake_feature: Option<String>,
    /// Optional: what the crate is, in a sentence or two, for the first paragraph of its docs
    /// after the title; without it the spec's `info.description` is used, which often names
    /// only part of the API.
    #[serde(default)]
    pub about: Option<String>,
    /// Optional: a hand-written file of the crate folder (relative to `output`, e.g.
    /// `README.md`) that is the crate's front page: the crate docs include it
    /// (`#![doc = include_str!("../README.md")]`, so its examples run as doctests) in place of
    /// the generated title and description, and the generated paragraphs on the api-version and
    /// the layout follow it. It must be inside the crate folder, where `cargo package` takes it.
    #[serde(default)]
    pub readme: Option<PathBuf>,
    /// Optional: string properties that hold secrets although the spec does not mark them and
    /// the name rule does not catch them, as `Model.property` by the spec's names. They become
    /// `azrm_runtime::Secret`, which prints `***` in `Debug`.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Optional: Rust names for types, by spec name, in place of the names derived from the
    /// spec (definition names that tooling made up, say). A name that is not a Rust type name,
    /// or that another type of the spec has, is an error.
    #[serde(default)]
    pub rename: BTreeMap<String, String>,
    /// Folder holding the config file; input paths are relative to it. Set by [`Config::read`].
    #[serde(skip)]
    pub spec_dir: PathBuf,
    /// The config file itself, for error messages. Set by [`Config::read`].
    #[serde(skip)]
    pub path: PathBuf,
}

/// Files regen writes for workspace tests, never part of the generated crate (`tests:` in the
/// config).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TestSupport {
    /// A file (relative to the workspace root) that receives a model registry, decoding any
    /// model by its spec name.
    #[serde(default)]
    pub registry: Option<PathBuf>,
    /// A file (relative to the workspace root) that receives an operation dispatch registry:
    /// `call(client, operation_id, parameters)` runs any operation with its parameters taken by
    /// spec name from an example file's `parameters` and returns the result as JSON. The crate
    /// holding it must depend on the generated crate, `azrm-runtime`, `serde`, `serde_json`,
    /// `serde_path_to_error` and `futures`.
    #[serde(default)]
    pub dispatch: Option<PathBuf>,
}

impl Config {
    /// Reads a YAML config file.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            file: path.to_owned(),
            action: "cannot read",
            source,
        })?;
        let mut config: Config = serde_yaml::from_str(&text).map_err(|error| Error::Config {
            file: path.to_owned(),
            message: error.to_string(),
        })?;
        if config.inputs.is_empty() {
            return Err(Error::Config {
                file: path.to_owned(),
                message: "`inputs` lists no spec file".into(),
            });
        }
        if let Some(readme) = &config.readme
            && !readme
                .components()
                .all(|part| matches!(part, std::path::Component::Normal(_)))
        {
            return Err(Error::Config {
                file: path.to_owned(),
                message: format!(
                    "`readme` is {}: it must be a relative path inside the crate folder \
                     (no `..`, not absolute)",
                    readme.display()
                ),
            });
        }
        if config.readme.is_some() && config.about.is_some() {
            return Err(Error::Config {
                file: path.to_owned(),
                message: "`about` and `readme` are both set: the readme is the front page, so \
                          say what the crate is there"
                    .into(),
            });
        }
        config.spec_dir = path.parent().unwrap_or(Path::new(".")).to_owned();
        config.path = path.to_owned();
        Ok(config)
    }

    /// The input files as paths usable from the current directory.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        self.inputs
            .iter()
            .map(|input| self.spec_dir.join(input))
            .collect()
    }
}
