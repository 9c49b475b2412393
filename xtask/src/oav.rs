//! `cargo xtask oav [--keep]`: validates the HTTP traffic of the conformance suite and of the
//! quickstart against the spec with oav's `validate-traffic` command (npm package `oav`, pinned
//! by `tests/oav/package-lock.json`).
//!
//! 1. installs oav with `tests/oav/install.sh` (into `target/oav`, or `$OAV_DIR`);
//! 2. builds the `conformance` binary and the `quickstart` example in one cargo invocation and
//!    runs each with `--traffic-dir`, into a temporary folder: the conformance suite writes the
//!    first exchange of every example call, the quickstart every exchange with the local ARM
//!    endpoint (polls of long-running operations left out: they are not operations of the spec);
//! 3. removes the traffic of the examples in [`EXCLUDED`], saying why;
//! 4. stages the spec for oav, which loads whole files where regen follows only what the inputs
//!    reach: the files regen reads, plus every file a `$ref` anywhere in them names, copied in
//!    their layout; a named file the snapshot lacks is replaced by a stand-in defining the
//!    definitions referenced from it as any JSON, and listed;
//! 5. runs `oav validate-traffic <traffic> <spec> --jsonReport <file>` and prints the traffic
//!    files, the operations covered, and the request and response errors grouped by error code.
//!
//! Exits with status 1 if there is any request error, any request oav matches to no operation
//! of the spec, or any operation whose validation failed with an oav runtime exception. Response
//! errors are printed, not failed on. `--keep` keeps the temporary folder (traffic, staged spec,
//! oav's report and log) and prints where it is.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use azrm_codegen::load::{self, normalise_path};
use azrm_codegen::{Config, Error as CodegenError};
use serde_json::{Value, json};

use crate::{main_config, workspace_root};

const USAGE: &str = "usage: cargo xtask oav [--keep]";

/// Traffic files left out of the validation: `(name, why)`, the name being the file's name
/// after its `NNNN-` counter and without `.json` (`<operation id>.<example name>.<status>` for
/// the conformance suite). Only examples that contradict the spec they belong to go here.
const EXCLUDED: &[(&str, &str)] = &[(
    "Fleet_Update.CosmosDB_Fleet_Update.200",
    "the example's PATCH body sets `tags`, which the spec's body model `FleetResourceUpdate` \
     does not define; the client sends the properties it is given",
)];

/// The folder of the conformance suite's traffic, in the traffic folder.
const CONFORMANCE: &str = "conformance";
/// The folder of the quickstart's traffic, in the traffic folder.
const QUICKSTART: &str = "quickstart";

/// `cargo xtask oav [--keep]` (see the module documentation).
pub fn command(args: &[String]) -> Result<ExitCode> {
    let keep = match args {
        [] => false,
        [flag] if flag == "--keep" => true,
        _ => bail!(USAGE),
    };
    let root = workspace_root();
    let config = main_config(&root)?;
    let temp = TempDir::new(keep)?;
    let traffic = temp.path.join("traffic");

    let started = Instant::now();
    let oav_dir = install(&root)?;
    let installed = started.elapsed();

    let started = Instant::now();
    let (conformance, quickstart) = build_capture_binaries(&root)?;
    let built = started.elapsed();

    let started = Instant::now();
    capture(&conformance, &traffic.join(CONFORMANCE), &[0, 1])?;
    capture(&quickstart, &traffic.join(QUICKSTART), &[0])?;
    let excluded = exclude(&traffic)?;
    let captured = started.elapsed();

    let started = Instant::now();
    let stage = temp.path.join("spec");
    let (spec, stand_ins) = stage_spec(&config, &stage)?;
    let (report, stdout) = validate_traffic(&oav_dir, &traffic, &spec, &temp.path)?;
    let validated = started.elapsed();

    println!(
        "oav {} validate-traffic against {}",
        oav_version(&oav_dir),
        spec.strip_prefix(&stage).unwrap_or(&spec).display()
    );
    for stand_in in &stand_ins {
        println!("{stand_in}");
    }
    for (name, why) in &excluded {
        println!("excluded {name}: {why}");
    }
    let summary = Summary::of(&report, &stdout)?;
    println!(
        "traffic files: {} ({CONFORMANCE} {}, {QUICKSTART} {})",
        count_json(&traffic)?,
        count_json(&traffic.join(CONFORMANCE))?,
        count_json(&traffic.join(QUICKSTART))?
    );
    print!("{summary}");
    println!(
        "time: install {:.1} s, build {:.1} s, capture {:.1} s, oav {:.1} s",
        installed.as_secs_f64(),
        built.as_secs_f64(),
        captured.as_secs_f64(),
        validated.as_secs_f64()
    );
    if keep {
        println!("kept {}", temp.path.display());
    }
    Ok(if summary.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Runs `oav validate-traffic traffic spec`, its JSON report and log written into `dir`;
/// returns the report and what oav printed on stdout.
fn validate_traffic(
    oav_dir: &Path,
    traffic: &Path,
    spec: &Path,
    dir: &Path,
) -> Result<(Value, String)> {
    let report_path = dir.join("oav-report.json");
    let output = Command::new("node")
        .arg(oav_dir.join("node_modules/oav/dist/cli.js"))
        .arg("validate-traffic")
        .arg(traffic)
        .arg(spec)
        .arg("--jsonReport")
        .arg(&report_path)
        // No HTML report; the console quiet, the full log in `dir`.
        .args(["--report", "", "--logLevel", "off", "--logFilepath"])
        .arg(dir.join("oav.log"))
        .output()
        .context("running node (is it installed?)")?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if stdout.contains("Exception when loading spec") {
        bail!("oav could not load the spec:\n{stdout}");
    }
    let report = std::fs::read(&report_path)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .with_context(|| {
            format!(
                "oav wrote no report ({}); its output:\n{stdout}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    Ok((report, stdout))
}

/// A folder under the system's temporary folder, removed when dropped unless kept.
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    fn new(keep: bool) -> Result<Self> {
        let path = std::env::temp_dir().join(format!("xtask-oav-{}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("removing {}", path.display()))?;
        }
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Self { path, keep })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            // Best effort: a leftover temporary folder harms nobody.
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Runs `tests/oav/install.sh`; returns the folder it printed last.
fn install(root: &Path) -> Result<PathBuf> {
    let output = Command::new("bash")
        .arg(root.join("tests/oav/install.sh"))
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running bash tests/oav/install.sh")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    match stdout.lines().last() {
        Some(dir) if output.status.success() => Ok(PathBuf::from(dir)),
        _ => bail!("tests/oav/install.sh failed ({}): {stdout}", output.status),
    }
}

/// The version of the installed oav, from its `package.json`.
fn oav_version(oav_dir: &Path) -> String {
    std::fs::read(oav_dir.join("node_modules/oav/package.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|package| package.get("version")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| "(unknown version)".to_owned())
}

/// Builds the `conformance` binary and the `quickstart` example in one cargo invocation (so the
/// crates they share are built once, with one feature set); returns their executables.
fn build_capture_binaries(root: &Path) -> Result<(PathBuf, PathBuf)> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--message-format=json-render-diagnostics",
            "--package",
            "workspace-tests",
            "--bin",
            "conformance",
            "--package",
            "azrm-cosmosdb",
            "--features",
            "azrm-cosmosdb/fake",
            "--example",
            "quickstart",
        ])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running cargo build")?;
    if !output.status.success() {
        bail!("cargo build failed ({})", output.status);
    }
    let executable = |name: &str, kind: &str| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|message| {
                let target = &message["target"];
                target["name"] == name
                    && target["kind"]
                        .as_array()
                        .is_some_and(|kinds| kinds.contains(&json!(kind)))
            })
            .and_then(|message| message["executable"].as_str().map(PathBuf::from))
            .with_context(|| format!("cargo build reported no executable for the {kind} {name}"))
    };
    Ok((
        executable("conformance", "bin")?,
        executable("quickstart", "example")?,
    ))
}

/// Runs `program --traffic-dir dir`, accepting the exit codes `ok` (the conformance suite exits
/// with 1 when an example fails, which its own test covers).
fn capture(program: &Path, dir: &Path, ok: &[i32]) -> Result<()> {
    let output = Command::new(program)
        .arg("--traffic-dir")
        .arg(dir)
        .output()
        .with_context(|| format!("running {}", program.display()))?;
    if output.status.code().is_some_and(|code| ok.contains(&code)) {
        return Ok(());
    }
    bail!(
        "{} --traffic-dir failed ({}):\n{}{}",
        program.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Removes the traffic files [`EXCLUDED`] names from every source folder of `traffic`; returns
/// what it removed with why. An entry that matches no file is an error: the list must not rot.
fn exclude(traffic: &Path) -> Result<Vec<(String, &'static str)>> {
    let mut removed = Vec::new();
    for (name, why) in EXCLUDED {
        let mut found = false;
        for source in [CONFORMANCE, QUICKSTART] {
            for path in json_files(&traffic.join(source))? {
                let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                let matches = file_name.as_deref().is_some_and(|file_name| {
                    file_name
                        .split_once('-')
                        .is_some_and(|(_, rest)| rest.strip_suffix(".json") == Some(name))
                });
                if matches {
                    std::fs::remove_file(&path)
                        .with_context(|| format!("removing {}", path.display()))?;
                    removed.push((format!("{source}/{}", file_name.unwrap_or_default()), *why));
                    found = true;
                }
            }
        }
        if !found {
            bail!("the exclusion {name:?} matches no traffic file: remove it from EXCLUDED");
        }
    }
    Ok(removed)
}

/// The `*.json` files directly in `dir`, sorted.
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// How many `*.json` files `dir` holds, at any depth.
fn count_json(dir: &Path) -> Result<usize> {
    Ok(crate::spec_workflow::walk(dir)?
        .iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .count())
}

/// A file the spec's files name that the snapshot lacks, replaced in the staged copy.
struct StandIn {
    /// The file, relative to the spec folder.
    file: PathBuf,
    /// The definitions referenced from it.
    definitions: BTreeSet<String>,
    /// The file whose `$ref` named it first, relative to the spec folder.
    named_by: PathBuf,
}

impl std::fmt::Display for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stand-in for {} (named by {}, not in the snapshot): {} defined as any JSON",
            self.file.display(),
            self.named_by.display(),
            self.definitions
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Copies the files oav loads into `stage` (see the module documentation); returns the path to
/// give oav (the staged input, or `stage` for several inputs) and the stand-ins written.
fn stage_spec(config: &Config, stage: &Path) -> Result<(PathBuf, Vec<StandIn>)> {
    let spec_dir = normalise_path(&config.spec_dir);
    let inputs: Vec<PathBuf> = config.input_paths();
    let read = load::load(&inputs).context("loading the spec")?;
    let mut staged = Vec::new();
    for path in read.files.keys() {
        staged.push(copy_into(&spec_dir, path, stage)?);
    }
    let mut stand_ins: BTreeMap<PathBuf, StandIn> = BTreeMap::new();
    // Every staged file is an input of the loader, so it is scanned whole as oav does; each
    // dangling `$ref` it reports is fixed by copying the file or writing a stand-in, then the
    // loader runs again. Each round adds a file or a definition, so this ends.
    loop {
        let (file, reference) = match load::load(&staged) {
            Ok(_) => break,
            Err(CodegenError::DanglingRef { file, target, .. }) => (file, target),
            Err(other) => return Err(other).context("loading the staged spec"),
        };
        let (file_part, fragment) = reference.split_once('#').unwrap_or((&reference, ""));
        let target = normalise_path(&file.parent().unwrap_or(stage).join(file_part));
        let relative = target
            .strip_prefix(stage)
            .with_context(|| format!("{reference:?} in {} leaves the spec folder", file.display()))?
            .to_owned();
        let original = spec_dir.join(&relative);
        if !target.exists() && original.is_file() {
            staged.push(copy_into(&spec_dir, &original, stage)?);
            continue;
        }
        let definition = fragment
            .strip_prefix("/definitions/")
            .filter(|name| !name.is_empty() && !name.contains('/'));
        let Some(definition) = definition else {
            bail!(
                "{reference:?} in {} names a file the snapshot lacks, at {fragment:?}: only \
                 definitions can be stood in for",
                file.display()
            );
        };
        let named_by = file.strip_prefix(stage).unwrap_or(&file).to_owned();
        let stand_in = stand_ins.entry(target.clone()).or_insert_with(|| StandIn {
            file: relative,
            definitions: BTreeSet::new(),
            named_by,
        });
        if !stand_in.definitions.insert(definition.to_owned()) {
            bail!(
                "the stand-in {} does not satisfy {reference:?}",
                target.display()
            );
        }
        write_stand_in(&target, stand_in)?;
        if !staged.contains(&target) {
            staged.push(target);
        }
    }
    let spec =
        match inputs.as_slice() {
            [input] => stage.join(normalise_path(input).strip_prefix(&spec_dir).with_context(
                || format!("{} is outside {}", input.display(), spec_dir.display()),
            )?),
            _ => stage.to_owned(),
        };
    Ok((spec, stand_ins.into_values().collect()))
}

/// Copies `path` (inside `spec_dir`) to the same place under `stage`; returns the copy's path.
fn copy_into(spec_dir: &Path, path: &Path, stage: &Path) -> Result<PathBuf> {
    let relative = path
        .strip_prefix(spec_dir)
        .with_context(|| format!("{} is outside {}", path.display(), spec_dir.display()))?;
    let to = stage.join(relative);
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::copy(path, &to)
        .with_context(|| format!("copying {} to {}", path.display(), to.display()))?;
    Ok(to)
}

/// Writes the stand-in Swagger file at `path`: no paths, each definition an empty schema.
fn write_stand_in(path: &Path, stand_in: &StandIn) -> Result<()> {
    let description = "A stand-in written by `cargo xtask oav`: the spec snapshot lacks this file.";
    let definitions: serde_json::Map<String, Value> = stand_in
        .definitions
        .iter()
        .map(|name| (name.clone(), json!({"description": description})))
        .collect();
    let document = json!({
        "swagger": "2.0",
        "info": {"title": "stand-in", "version": "0", "description": description},
        "paths": {},
        "definitions": definitions,
    });
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, serde_json::to_string_pretty(&document)?)
        .with_context(|| format!("writing {}", path.display()))
}

/// Errors by source (`request`, `response`), then code, then `(operation id, message)`, with how
/// often each occurred.
type Errors = BTreeMap<String, BTreeMap<String, BTreeMap<(String, String), usize>>>;

/// What oav found, from its JSON report and its console output.
struct Summary {
    operations_total: u64,
    operations_covered: u64,
    /// See [`Errors`].
    errors: Errors,
    /// Requests oav matched to no operation of the spec (`METHOD path`).
    unmatched: Vec<String>,
    /// Operations whose validation failed without an error in the report: an oav runtime
    /// exception (the log says which).
    runtime_failures: u64,
}

impl Summary {
    /// Reads oav's JSON report and the `Undefined operation` lines it prints on stdout.
    fn of(report: &Value, stdout: &str) -> Result<Self> {
        let number = |key: &str| {
            report[key]
                .as_u64()
                .with_context(|| format!("oav's report has no number {key:?}"))
        };
        let operations_total = number("allOperations")?;
        if operations_total == 0 {
            bail!("oav loaded no operation from the spec");
        }
        let mut errors = Errors::new();
        let text = |error: &Value, key: &str| error[key].as_str().unwrap_or("?").to_owned();
        for error in report["errors"].as_array().into_iter().flatten() {
            *errors
                .entry(text(error, "issueSource"))
                .or_default()
                .entry(text(error, "errorCode"))
                .or_default()
                .entry((text(error, "operationId"), text(error, "errorMessage")))
                .or_default() += 1;
        }
        let with_errors: BTreeSet<String> = report["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|error| text(error, "operationId"))
            .collect();
        let unmatched = stdout
            .lines()
            .filter_map(|line| {
                line.split_once("Undefined operation ")
                    .map(|(_, rest)| rest)
            })
            .map(|info| {
                let request = serde_json::from_str::<Value>(info)
                    .map(|info| info["validationRequest"].clone())
                    .unwrap_or_default();
                match (
                    request["requestMethod"].as_str(),
                    request["pathStr"].as_str(),
                ) {
                    (Some(method), Some(path)) => format!("{} {path}", method.to_uppercase()),
                    _ => info.to_owned(),
                }
            })
            .collect();
        Ok(Self {
            operations_total,
            operations_covered: number("coveredOperations")?,
            errors,
            unmatched,
            runtime_failures: number("failedOperations")?.saturating_sub(with_errors.len() as u64),
        })
    }

    /// The number of errors from `source`.
    fn count(&self, source: &str) -> usize {
        self.errors.get(source).map_or(0, |codes| {
            codes.values().flat_map(|found| found.values()).sum()
        })
    }

    /// Whether the run fails: request errors, unmatched requests or runtime exceptions.
    fn failed(&self) -> bool {
        self.count("request") > 0 || !self.unmatched.is_empty() || self.runtime_failures > 0
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "operations covered: {} / {}",
            self.operations_covered, self.operations_total
        )?;
        writeln!(
            f,
            "requests matching no operation: {}",
            self.unmatched.len()
        )?;
        for request in &self.unmatched {
            writeln!(f, "  {request}")?;
        }
        writeln!(
            f,
            "operations failing with an oav runtime exception: {}",
            self.runtime_failures
        )?;
        for source in ["request", "response"] {
            writeln!(f, "{source} errors: {}", self.count(source))?;
            for (code, found) in self.errors.get(source).into_iter().flatten() {
                writeln!(f, "  {code}: {}", found.values().sum::<usize>())?;
                for ((operation, message), count) in found {
                    writeln!(f, "    {operation}: {message} (x{count})")?;
                }
            }
        }
        Ok(())
    }
}
