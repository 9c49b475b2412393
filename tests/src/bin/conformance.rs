//! `conformance [--crate NAME] [--examples DIR] [--traffic-dir DIR]`: replays every example of
//! the spec against a generated client (`azrm-cosmosdb` unless `--crate` names another of
//! `workspace_tests::TARGETS`) on a loopback stub server and prints the report (see
//! `workspace_tests::conformance`).
//!
//! Without `--examples`, the example files are read from beside the spec (as its `x-ms-examples`
//! references say); with it, from `DIR`, by file name. `--traffic-dir DIR` writes the first
//! exchange of every call into `DIR` as oav traffic files (`cargo xtask oav` validates them).
//! Exits with status 1 if any example failed and 2 on a usage, loading or writing error.
//! `cargo xtask conformance` runs it.

use std::path::PathBuf;
use std::process::ExitCode;

use azrm_local_endpoint::traffic::write_oav;
use workspace_tests::conformance::{load_api, load_examples_from, run_blocking};
use workspace_tests::{COSMOS_DB, TARGETS, Target};

const USAGE: &str = "usage: conformance [--crate NAME] [--examples DIR] [--traffic-dir DIR]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, String> {
    let mut examples_dir: Option<PathBuf> = None;
    let mut traffic_dir: Option<PathBuf> = None;
    let mut target: Target = COSMOS_DB;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--examples" => {
                let dir = args
                    .next()
                    .ok_or(format!("--examples needs a folder; {USAGE}"))?;
                examples_dir = Some(PathBuf::from(dir));
            }
            "--crate" => {
                let name = args
                    .next()
                    .ok_or(format!("--crate needs a name; {USAGE}"))?;
                target = *TARGETS
                    .iter()
                    .find(|target| target.crate_name == name)
                    .ok_or_else(|| {
                        let known: Vec<&str> = TARGETS.iter().map(|t| t.crate_name).collect();
                        format!("no crate {name:?} under test; the crates are {known:?}")
                    })?;
            }
            "--traffic-dir" => {
                let dir = args
                    .next()
                    .ok_or(format!("--traffic-dir needs a folder; {USAGE}"))?;
                traffic_dir = Some(PathBuf::from(dir));
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument {other:?}; {USAGE}")),
        }
    }
    if let Some(dir) = &examples_dir
        && !dir.is_dir()
    {
        return Err(format!("{} is not a folder", dir.display()));
    }
    let api = load_api(&target.regen_config())?;
    let examples = load_examples_from(&api, examples_dir.as_deref())?;
    let report = run_blocking(&target, &api, &examples)?;
    print!("{report}");
    if let Some(dir) = &traffic_dir {
        let written = write_oav(dir, &report.traffic).map_err(|error| error.to_string())?;
        println!("wrote {} traffic files to {}", written.len(), dir.display());
    }
    Ok(if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
