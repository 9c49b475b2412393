//! Building and running the `arm-bench` binary (crate `arm-benches`): one measurement per
//! process, each printing one JSON line.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

/// The `arm-bench` binary, built for this run.
pub struct Bench {
    exe: PathBuf,
}

impl Bench {
    /// Builds `arm-bench` in the workspace's target dir: release mode, or the dev profile for
    /// `--quick` (which reuses what the test build compiled).
    pub fn build(root: &Path, target_dir: &Path, release: bool) -> Result<Self> {
        let mut command = cargo(root);
        command.args([
            "build",
            "--quiet",
            "-p",
            "arm-benches",
            "--bin",
            "arm-bench",
        ]);
        if release {
            command.arg("--release");
        }
        let status = command.status().context("running cargo build")?;
        if !status.success() {
            bail!("building arm-bench failed ({status})");
        }
        let profile = if release { "release" } else { "debug" };
        let exe = target_dir
            .join(profile)
            .join(format!("arm-bench{}", std::env::consts::EXE_SUFFIX));
        if !exe.exists() {
            bail!("{} is missing after the build", exe.display());
        }
        Ok(Self { exe })
    }

    /// The binary's path.
    pub fn exe(&self) -> &Path {
        &self.exe
    }

    /// Runs `arm-bench ARGS` and parses the last line it printed.
    pub fn json(&self, args: &[&str]) -> Result<Value> {
        let mut command = Command::new(&self.exe);
        command.args(args);
        run_json(command).with_context(|| format!("arm-bench {}", args.join(" ")))
    }

    /// Runs `arm-bench rss WORKLOAD ARGS` and returns its peak resident memory in KiB and how it
    /// was measured: `/usr/bin/time -v` when present, else the child's own `VmHWM`.
    pub fn peak_rss(&self, workload: &str, args: &[&str]) -> Result<(u64, &'static str)> {
        let time = Path::new("/usr/bin/time");
        let mut command = if time.exists() {
            let mut command = Command::new(time);
            command.arg("-v").arg(&self.exe);
            command
        } else {
            Command::new(&self.exe)
        };
        command.arg("rss").arg(workload).args(args);
        let output = command
            .stdin(Stdio::null())
            .output()
            .with_context(|| format!("running arm-bench rss {workload}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            bail!("arm-bench rss {workload} failed: {}", stderr.trim());
        }
        let from_time = stderr
            .lines()
            .find_map(|line| {
                line.trim()
                    .strip_prefix("Maximum resident set size (kbytes):")
            })
            .and_then(|value| value.trim().parse::<u64>().ok());
        if let Some(kib) = from_time {
            return Ok((kib, "/usr/bin/time -v"));
        }
        let json = last_json_line(&String::from_utf8_lossy(&output.stdout))?;
        let kib = json["peak_rss_kib"]
            .as_u64()
            .context("the child reported no VmHWM")?;
        Ok((kib, "VmHWM of /proc/self/status"))
    }
}

/// `cargo` (the one running xtask) in the workspace root.
pub fn cargo(root: &Path) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.current_dir(root);
    command
}

/// Runs `command` and parses the last line of its standard output as JSON.
pub fn run_json(mut command: Command) -> Result<Value> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .context("starting the process")?;
    if !output.status.success() {
        bail!(
            "exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    last_json_line(&String::from_utf8_lossy(&output.stdout))
}

/// The last non-empty line of `text`, parsed as JSON.
pub fn last_json_line(text: &str) -> Result<Value> {
    let line = text
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .context("no output")?;
    serde_json::from_str(line).with_context(|| format!("not JSON: {line}"))
}

/// A number field of a JSON report.
pub fn number(value: &Value, field: &str) -> Result<f64> {
    value[field]
        .as_f64()
        .with_context(|| format!("no number {field:?} in {value}"))
}
