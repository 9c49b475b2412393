//! Project automation. `cargo xtask regen` regenerates the client crate from `spec/regen.yaml`;
//! `cargo xtask regen --check` regenerates in memory and fails if the committed code differs.
//! `cargo xtask conformance [--examples DIR]` replays every example of the spec against the
//! generated client and prints the report (it runs the `conformance` binary of the
//! `workspace-tests` crate, so this crate does not depend on the generated one).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use arm_codegen::{Config, Mode, regen};

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
        Some("regen") => regen_command(&args[1..]),
        Some("conformance") => conformance_command(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask regen [--check] | cargo xtask conformance [--examples DIR]"
            );
            Ok(ExitCode::from(2))
        }
    }
}

fn regen_command(args: &[String]) -> Result<ExitCode> {
    let mut mode = Mode::Write;
    for arg in args {
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            other => bail!("unknown argument {other:?}; usage: cargo xtask regen [--check]"),
        }
    }
    let root = workspace_root();
    let config_path = root.join("spec/regen.yaml");
    let config =
        Config::read(&config_path).with_context(|| format!("reading {}", config_path.display()))?;
    let generated = regen(&config, &root, mode)?;
    let t = &generated.timings;
    let total = t.load + t.normalise + t.ir + t.emit + t.format + t.write;
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
        "stages: load {} | normalise {} | ir {} | emit {} | format {} | write {} | total {}",
        ms(t.load),
        ms(t.normalise),
        ms(t.ir),
        ms(t.emit),
        ms(t.format),
        ms(t.write),
        ms(total)
    );
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

/// Runs `cargo run -p workspace-tests --bin conformance -- [--examples DIR]` from the workspace
/// root and passes on its exit status.
fn conformance_command(args: &[String]) -> Result<ExitCode> {
    const USAGE: &str = "usage: cargo xtask conformance [--examples DIR]";
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
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = std::process::Command::new(cargo)
        .current_dir(workspace_root())
        .args([
            "run",
            "--quiet",
            "--package",
            "workspace-tests",
            "--bin",
            "conformance",
            "--",
        ])
        .args(&forwarded)
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
