//! `cargo xtask bench [--quick] [--only 1,2,3,4,5,6] [--out FILE]`: runs every benchmark of the
//! workspace (or the parts `--only` names) and prints one table, each figure beside a baseline
//! measured in the same run (see `BENCHMARKS.md`).
//!
//! 1. regen per stage against a `serde_json` parse of the same files;
//! 2. cold compile time of the generated crate against `azure_mgmt_cosmosdb` 0.21;
//! 3. client overhead against the local ARM endpoint: ours, the floor (raw `reqwest` +
//!    `serde_json::Value`), the Python and the JS SDK;
//! 4. decoding throughput of a large list against `serde_json::Value`;
//! 5. peak memory of regen and of that decode;
//! 6. the first build of a new user's project with one dependency, ours against the peer's
//!    (full runs and `--only 6`, never `--quick`).
//!
//! The measurements run in the `arm-bench` binary of the `arm-benches` crate, built in release
//! mode. `--quick` is a smoke run for CI: the dev profile (what the test build compiled), tiny
//! counts, no peers and no cold compiles, and it writes nothing unless `--out` is given.

mod client;
mod compile;
mod first_build;
mod local;
mod peers;
mod report;
mod runner;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};

use report::Report;
use runner::Bench;

const USAGE: &str = "usage: cargo xtask bench [--quick] [--only 1,2,3,4,5,6] [--out FILE]";

/// The markers around the part of `BENCHMARKS.md` the bench rewrites.
const BEGIN: &str = "<!-- cargo xtask bench: results begin -->";
const END: &str = "<!-- cargo xtask bench: results end -->";

/// How much each part runs.
pub struct Settings {
    /// `--quick`: the CI smoke run.
    pub quick: bool,
    /// The workspace's target dir (`CARGO_TARGET_DIR` or `target/`).
    pub target_dir: PathBuf,
    /// Runs of the regen pipeline.
    pub regen_runs: usize,
    /// Items of the decoded list.
    pub decode_items: usize,
    /// Runs of each decode and encode.
    pub decode_runs: usize,
    /// Rounds of the client loops (every client once per round).
    pub rounds: usize,
    /// Rounds of the crate-alone cold builds (ours and the peer's in turn).
    pub compile_rounds: usize,
    /// Timed and warm-up operations of the GET.
    pub get: (usize, usize),
    /// Timed and warm-up operations of the paged list.
    pub list: (usize, usize),
    /// Timed and warm-up operations of the long-running create.
    pub lro: (usize, usize),
}

impl Settings {
    fn new(quick: bool, target_dir: PathBuf) -> Self {
        if quick {
            Self {
                quick,
                target_dir,
                regen_runs: 1,
                decode_items: 1_000,
                decode_runs: 1,
                rounds: 1,
                compile_rounds: 0,
                get: (20, 2),
                list: (1, 1),
                lro: (5, 1),
            }
        } else {
            Self {
                quick,
                target_dir,
                regen_runs: 10,
                decode_items: 10_000,
                decode_runs: 10,
                rounds: 5,
                compile_rounds: 3,
                get: (1_000, 50),
                list: (20, 2),
                lro: (300, 20),
            }
        }
    }

    /// The target column: whether `met` holds, or nothing judged in a `--quick` run (dev
    /// profile, tiny counts).
    pub fn verdict(&self, target: &str, met: bool) -> String {
        if self.quick {
            format!("{target}: not judged (--quick)")
        } else {
            report::verdict(target, met)
        }
    }

    /// The Cargo profile the measurements are built with.
    pub fn profile(&self) -> &'static str {
        if self.quick { "dev profile" } else { "release" }
    }
}

/// Runs the benchmarks and prints the table; writes `BENCHMARKS.md` unless `--quick`.
pub fn command(args: &[String]) -> Result<ExitCode> {
    let mut quick = false;
    let mut out = None;
    let mut only: Option<Vec<u8>> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--only" => {
                let list = args
                    .next()
                    .with_context(|| format!("--only needs parts; {USAGE}"))?;
                let parts = list
                    .split(',')
                    .map(|part| {
                        part.trim()
                            .parse::<u8>()
                            .ok()
                            .filter(|n| (1..=6).contains(n))
                    })
                    .collect::<Option<Vec<u8>>>()
                    .with_context(|| format!("--only {list:?}: parts are 1 to 6; {USAGE}"))?;
                only = Some(parts);
            }
            "--out" => {
                let file = args
                    .next()
                    .with_context(|| format!("--out needs a file; {USAGE}"))?;
                out = Some(std::env::current_dir()?.join(file));
            }
            other => bail!("unknown argument {other:?}; {USAGE}"),
        }
    }
    let root = super::workspace_root();
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root.join(dir)
            }
        })
        .unwrap_or_else(|| root.join("target"));
    let settings = Settings::new(quick, target_dir);
    // Only a full run of every part rewrites BENCHMARKS.md unless `--out` says where.
    let out = out.or_else(|| (!quick && only.is_none()).then(|| root.join("BENCHMARKS.md")));
    let wanted = |part: u8| only.as_ref().is_none_or(|parts| parts.contains(&part));

    let started = Instant::now();
    eprintln!("bench: building arm-bench ({})", settings.profile());
    let bench = Bench::build(&root, &settings.target_dir, !quick)?;
    let mut report = Report::default();
    let mut failed = false;
    let mut part = |name: &str, result: Result<()>, report: &mut Report| {
        if let Err(error) = result {
            eprintln!("bench: {name} failed: {error:#}");
            report.note(format!("{name}: failed: {error:#}"));
            failed = true;
        }
    };
    if wanted(1) {
        eprintln!("bench: 1/5 regen");
        part(
            "regen",
            local::regen(&bench, &settings, &mut report),
            &mut report,
        );
    }
    if wanted(4) {
        eprintln!("bench: 4/5 decoding");
        part(
            "decode",
            local::decode(&bench, &settings, &mut report),
            &mut report,
        );
    }
    if wanted(5) {
        eprintln!("bench: 5/5 peak memory");
        part(
            "memory",
            local::memory(&bench, &settings, &mut report),
            &mut report,
        );
    }
    if wanted(3) {
        eprintln!("bench: 3/5 client overhead");
        part(
            "client",
            client::client(&bench, &root, &settings, &mut report),
            &mut report,
        );
    }
    if wanted(2) {
        eprintln!(
            "bench: 2/5 compile time{}",
            if quick {
                " (skipped: --quick)"
            } else {
                " (cold builds: minutes)"
            }
        );
        part(
            "compile",
            compile::compile(&root, &settings, &mut report),
            &mut report,
        );
    }
    if wanted(6) && !quick {
        eprintln!("bench: 6 first build of a user's project (cold builds: minutes)");
        part(
            "first build",
            first_build::first_build(&root, &settings, &mut report),
            &mut report,
        );
    }
    report.rows.sort_by_key(|row| row.part);

    let machine = machine();
    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let results = format!(
        "Measured by `{command}` on {} ({:.0} s with the build), {}.\n\n{}\n{}",
        today(),
        started.elapsed().as_secs_f64(),
        machine,
        report.table(),
        if report.notes.is_empty() {
            String::new()
        } else {
            format!("\n{}", report.notes())
        }
    );
    println!("{results}");
    if let Some(out) = out {
        write_results(&out, &results)?;
        eprintln!("bench: wrote {}", out.display());
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Replaces the results between the markers of `file` (creating it if needed), keeping the
/// hand-written text around them.
fn write_results(file: &Path, results: &str) -> Result<()> {
    let current = std::fs::read_to_string(file).unwrap_or_default();
    let block = format!("{BEGIN}\n{results}{END}");
    let text = match (current.find(BEGIN), current.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!(
                "{}{block}{}",
                &current[..begin],
                &current[end + END.len()..]
            )
        }
        _ => format!("# Benchmarks\n\n{block}\n"),
    };
    std::fs::write(file, text).with_context(|| format!("writing {}", file.display()))
}

/// The machine in one line: CPU, cores, memory, kernel, toolchains.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU", |(_, name)| name.trim())
        .to_owned();
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or_else(String::new, |kib| {
            format!(", {:.0} GiB", kib / 1024.0 / 1024.0)
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").map_or_else(
        |_| std::env::consts::OS.to_owned(),
        |text| format!("Linux {}", text.trim()),
    );
    let version = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| {
                let text = String::from_utf8_lossy(&output.stdout).trim().to_owned();
                if text.is_empty() {
                    String::from_utf8_lossy(&output.stderr).trim().to_owned()
                } else {
                    text
                }
            })
    };
    let tools: Vec<String> = [
        version("rustc", "-V"),
        version("python3", "--version"),
        version("node", "--version").map(|node| format!("Node.js {node}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "{cpu}, {cores} cores{memory}, {kernel}; {}",
        tools.join(", ")
    )
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() / 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_781), (2026, 11, 24));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn results_replace_only_the_marked_block() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("BENCHMARKS.md");
        std::fs::write(&file, format!("intro\n{BEGIN}\nold\n{END}\noutro\n")).unwrap();
        write_results(&file, "new\n").unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(text, format!("intro\n{BEGIN}\nnew\n{END}\noutro\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
