//! Project automation. `cargo xtask regen` regenerates the client crate from `spec/regen.yaml`,
//! further crates from `spec/*.regen.yaml` (made by `cargo xtask new-crate`, module
//! [`new_crate`]) and the autorest test-server clients from `tests/autorest/*.regen.yaml`;
//! `cargo xtask regen --check` regenerates in memory and fails if the committed code differs;
//! `--config FILE` does either for one config.
//! `cargo xtask conformance [--crate NAME] [--examples DIR]` replays every example of the spec against the
//! generated client and prints the report (it runs the `conformance` binary of the
//! `workspace-tests` crate, so this crate does not depend on the generated one).
//! `cargo xtask bench [--quick]` runs the benchmarks and prints one table (module `bench`).
//! `cargo xtask soak --requests N [--clients C]` drives `N` requests of mixed operations from
//! several clients against the local ARM endpoint and reports its memory (module
//! `workspace_tests::soak`).
//! `cargo xtask oav [--keep]` validates the traffic of the conformance suite and the quickstart
//! against the spec with oav's `validate-traffic` (module [`oav`]).
//! `cargo xtask import-spec`, `regen --spec` and `api-diff` move the crate between api-versions
//! (see [`spec_workflow`]).
//! `cargo xtask changelog OLD NEW` writes the generated crate's release entry from the change
//! report and sets its version (module [`changelog`]).
//! `cargo xtask package-check` packages the publishable crates and runs the generated crate's
//! README example in a project outside the workspace that depends on the packages alone
//! (module [`package_check`]).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use azrm_codegen::{Config, Mode, regen};

mod bench;
mod changelog;
mod import;
mod new_crate;
mod oav;
mod package_check;
mod readme;
mod spec_workflow;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("regen") => regen_with_report(&args[1..]),
        Some("conformance") => conformance_command(&args[1..]),
        Some("bench") => bench::command(&args[1..]),
        Some("soak") => soak_command(&args[1..]),
        Some("oav") => oav::command(&args[1..]),
        Some("api-diff") => spec_workflow::api_diff_command(&args[1..]).map(|()| ExitCode::SUCCESS),
        Some("new-crate") => new_crate_command(&args[1..]),
        Some("changelog") => {
            let root = workspace_root();
            changelog::command(&args[1..], &root, &main_config(&root)?).map(|()| ExitCode::SUCCESS)
        }
        Some("package-check") => {
            let root = workspace_root();
            package_check::command(&args[1..], &root, &main_config(&root)?)
        }
        Some("import-spec") => {
            let config = main_config(&workspace_root())?;
            spec_workflow::import_spec_command(&config, &args[1..]).map(|()| ExitCode::SUCCESS)
        }
        _ => {
            eprintln!(
                "usage: cargo xtask regen [--check] [--config FILE] [--spec PATH] \
                 | cargo xtask new-crate NAME (--spec PATH... | --checkout DIR --tag T) [--dir DIR] \
                 | cargo xtask conformance [--crate NAME] [--examples DIR] \
                 | cargo xtask api-diff OLD NEW | cargo xtask changelog OLD NEW | cargo xtask import-spec CHECKOUT (--tag T | --api-version V) [--readme FILE] [--out DIR] | cargo xtask bench [--quick] \
                 | cargo xtask oav [--keep] | cargo xtask soak --requests N [--clients C] | cargo xtask package-check"
            );
            Ok(ExitCode::from(2))
        }
    }
}

/// `regen`, after pointing the config (`--config FILE`, else `spec/regen.yaml`) at the `--spec`
/// files if given; prints the API change report when the api-version changed.
fn regen_with_report(args: &[String]) -> Result<ExitCode> {
    let (spec, rest) = spec_workflow::take_spec_argument(args)?;
    let root = workspace_root();
    let (config_path, mode) = regen_arguments(&rest)?;
    let only = config_path
        .clone()
        .unwrap_or_else(|| root.join("spec/regen.yaml"));
    let read = || Config::read(&only).with_context(|| format!("reading {}", only.display()));
    let config = read()?;
    let previous = spec_workflow::PreviousApi::capture(&config, &root);
    if let Some(spec) = spec {
        spec_workflow::point_config_at(&config, &spec)?;
    }
    let configs = match config_path {
        Some(path) => vec![path],
        None => regen_configs(&root)?,
    };
    let mut code = ExitCode::SUCCESS;
    for config_path in configs {
        if regen_config(&root, &config_path, mode)? != ExitCode::SUCCESS {
            code = ExitCode::FAILURE;
        }
    }
    if code == ExitCode::SUCCESS && mode == Mode::Write {
        previous.report_change(&read()?)?;
    }
    Ok(code)
}

/// The main regen config, `spec/regen.yaml`.
fn main_config(root: &Path) -> Result<Config> {
    let path = root.join("spec/regen.yaml");
    Config::read(&path).with_context(|| format!("reading {}", path.display()))
}

/// `--check` and `--config FILE` (relative to the current folder) of `regen`.
fn regen_arguments(args: &[String]) -> Result<(Option<PathBuf>, Mode)> {
    const USAGE: &str = "usage: cargo xtask regen [--check] [--config FILE] [--spec PATH]";
    let mut mode = Mode::Write;
    let mut config = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            "--config" => {
                let path = args
                    .next()
                    .with_context(|| format!("--config needs a file; {USAGE}"))?;
                config = Some(
                    std::env::current_dir()
                        .context("reading the current folder")?
                        .join(path),
                );
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    Ok((config, mode))
}

/// Every regen config ([`azrm_codegen::config::workspace_configs`], which the staleness test reads
/// too).
fn regen_configs(root: &Path) -> Result<Vec<PathBuf>> {
    Ok(azrm_codegen::config::workspace_configs(root)?)
}

/// `cargo xtask new-crate`: creates the crate (module [`new_crate`]) and generates its code.
fn new_crate_command(args: &[String]) -> Result<ExitCode> {
    let root = workspace_root();
    let config = main_config(&root)?;
    let request = new_crate::parse(&config.spec_dir, &config.inputs[0], args)?;
    let config_path = new_crate::create(&root, &config.spec_dir, &request)?;
    println!(
        "created {} (crate {}, workspace member) and {}",
        request.dir.display(),
        request.name,
        config_path.display()
    );
    let code = regen_config(&root, &config_path, Mode::Write)?;
    println!(
        "next: cargo build -p {name}; `cargo xtask regen --config {config}` regenerates it, \
         `cargo xtask regen [--check]` does it with every crate",
        name = request.name,
        config = config_path.display()
    );
    Ok(code)
}

/// Regenerates (or checks) the crate of one config and prints what it did.
fn regen_config(root: &Path, config_path: &Path, mode: Mode) -> Result<ExitCode> {
    let config =
        Config::read(config_path).with_context(|| format!("reading {}", config_path.display()))?;
    println!(
        "{}:",
        config_path
            .strip_prefix(root)
            .unwrap_or(config_path)
            .display()
    );
    let generated = regen(&config, root, mode)?;
    let t = &generated.report.timings;
    let total = t.load + t.normalise + t.ir + t.plan + t.emit + t.format + t.write;
    println!(
        "regen: {} files, {} lines, {} types, {} operations ({} long-running, {} pageable)",
        generated.files.len(),
        generated.line_count(),
        generated.api.types.len(),
        generated.api.operations.len(),
        generated
            .api
            .operations
            .iter()
            .filter(|op| op.long_running.is_some())
            .count(),
        generated
            .api
            .operations
            .iter()
            .filter(|op| op.pageable.is_some())
            .count(),
    );
    println!(
        "stages: load {} | normalise {} | ir {} | plan {} | emit {} | format {} | write {} | total {}",
        ms(t.load),
        ms(t.normalise),
        ms(t.ir),
        ms(t.plan),
        ms(t.emit),
        ms(t.format),
        ms(t.write),
        ms(total)
    );
    let report = &generated.report;
    if let Some((operation, file)) = report.examples_missing.first() {
        // `components` drops the `.` segments of the spec's relative `$ref`s.
        let file: PathBuf = file
            .strip_prefix(root)
            .unwrap_or(file)
            .components()
            .collect();
        println!(
            "examples: {} read; {} files the spec names are not in the snapshot, e.g. {} \
             ({operation})",
            report.examples_read,
            report.examples_missing.len(),
            file.display(),
        );
    }
    let out = config.output.join("src");
    match mode {
        Mode::Write => {
            for path in &generated.changed {
                println!("wrote {path}");
            }
            for path in &generated.stale {
                println!("removed {path}");
            }
            if generated.changed.is_empty() && generated.stale.is_empty() {
                println!("{} is up to date", out.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Mode::Check if generated.differences.is_empty() => {
            println!("{} is up to date", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Mode::Check => {
            eprintln!(
                "{} is stale: run `cargo xtask regen` and commit the result.",
                out.display()
            );
            for difference in &generated.differences {
                eprintln!("  {difference}");
            }
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Runs `cargo run -p workspace-tests --bin conformance -- [--crate NAME] [--examples DIR]` from the workspace
/// root and passes on its exit status.
fn conformance_command(args: &[String]) -> Result<ExitCode> {
    const USAGE: &str = "usage: cargo xtask conformance [--crate NAME] [--examples DIR]";
    let mut forwarded = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--examples" => {
                let Some(dir) = args.next() else {
                    bail!("--examples needs a folder; {USAGE}");
                };
                // The binary runs from the workspace root: make a relative folder absolute.
                let dir = std::env::current_dir()
                    .context("reading the current folder")?
                    .join(dir);
                forwarded.push("--examples".to_owned());
                forwarded.push(dir.to_string_lossy().into_owned());
            }
            "--crate" => {
                let Some(name) = args.next() else {
                    bail!("--crate needs a crate name; {USAGE}");
                };
                forwarded.push("--crate".to_owned());
                forwarded.push(name.clone());
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    run_workspace_tests_binary("conformance", &forwarded)
}

/// `cargo xtask soak --requests N [--clients C]`: the endurance run of the local endpoint (the
/// `soak` binary of the `workspace-tests` crate, so this crate does not depend on the generated
/// one); it fails when an item is lost or duplicated or memory grows past its bound.
fn soak_command(args: &[String]) -> Result<ExitCode> {
    const USAGE: &str = "usage: cargo xtask soak --requests N [--clients C]";
    let mut forwarded = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" | "--clients" => {
                let value = args
                    .next()
                    .filter(|value| value.parse::<u64>().is_ok())
                    .with_context(|| format!("{arg} needs a number; {USAGE}"))?;
                forwarded.extend([arg.clone(), value.clone()]);
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    if !forwarded.iter().any(|arg| arg == "--requests") {
        bail!("{USAGE}");
    }
    run_workspace_tests_binary("soak", &forwarded)
}

/// Runs binary `name` of the `workspace-tests` crate from the workspace root with `args`, and
/// exits as it does.
fn run_workspace_tests_binary(name: &str, args: &[String]) -> Result<ExitCode> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "run",
            "--quiet",
            "--package",
            "workspace-tests",
            "--bin",
            name,
            "--",
        ])
        .args(args)
        .status()
        .context("running cargo")?;
    Ok(match status.code() {
        Some(0) => ExitCode::SUCCESS,
        Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
        None => ExitCode::FAILURE,
    })
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}
