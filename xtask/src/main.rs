//! Project automation. `cargo xtask regen` regenerates the client crate from `spec/regen.yaml`;
//! `cargo xtask regen --check` regenerates in memory and fails if the committed code differs.

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
        _ => {
            eprintln!("usage: cargo xtask regen [--check]");
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

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// The workspace root: the parent of this crate's folder.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_owned)
}
