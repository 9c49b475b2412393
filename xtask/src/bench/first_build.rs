//! 6: what a new user pays on the first build of a project with one dependency: the generated
//! crate against `azure_mgmt_cosmosdb` 0.21 from crates.io, each in a fresh project outside
//! the workspace (its own lockfile, so the latest versions a new user would resolve; cargo's
//! default profiles; default features), measured in the same run: cold `cargo build`, cold
//! `cargo build --release` and cold `cargo check`, ours and theirs alternated. The debug builds
//! run with `--timings`, whose reports stay under the target dir for the critical path.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::Settings;
use super::compile::{Build, PEER, PEER_VERSION};
use super::report::{Report, ratio, secs, verdict};
use super::runner::cargo;

/// The three cold builds and the ratio each must reach (none for `check`).
const BUILDS: &[(&str, &[&str], bool, Option<f64>)] = &[
    (
        "cargo build (debug)",
        &["build", "--timings"],
        false,
        Some(0.6),
    ),
    ("cargo build --release", &["build"], true, Some(0.7)),
    ("cargo check", &["check"], false, None),
];

/// Measures and adds the rows of part 6.
pub fn first_build(root: &Path, settings: &Settings, report: &mut Report) -> Result<()> {
    if settings.quick {
        report.note("First builds skipped (--quick).");
        return Ok(());
    }
    let base = settings.target_dir.join("bench/first-build");
    let generated = root.join("generated");
    let ours = user_project(
        &base.join("ours"),
        &format!("azrm-cosmosdb = {{ path = {:?} }}", slash(&generated)),
    )?;
    let theirs = user_project(&base.join("peer"), &format!("{PEER} = \"{PEER_VERSION}\""))?;
    for (name, args, release, target) in BUILDS {
        let ours_dir = ours.join("target");
        let theirs_dir = theirs.join("target");
        let our_build = Build {
            dir: &ours,
            args,
            krate: "azrm-cosmosdb",
            target_dir: &ours_dir,
            release: *release,
        };
        let their_build = Build {
            dir: &theirs,
            args,
            krate: PEER,
            target_dir: &theirs_dir,
            release: *release,
        };
        let our_time = our_build.cold()?;
        let their_time = their_build.cold()?;
        let label = format!("first build of a user's project, one dependency: {name}");
        report.row(
            6,
            label,
            secs(our_time),
            format!("{} ({PEER} {PEER_VERSION})", secs(their_time)),
            ratio(our_time, their_time),
            target.map_or_else(String::new, |target| {
                verdict(&format!("<= {target}x"), our_time / their_time <= target)
            }),
        );
        if args.contains(&"--timings") {
            for (who, dir) in [("ours", &ours_dir), ("theirs", &theirs_dir)] {
                keep_timings(dir, &base.join(format!("cargo-timing-{who}.html")))?;
            }
        }
        for dir in [&ours_dir, &theirs_dir] {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    report.note(format!(
        "First builds: a fresh project outside the workspace with one dependency (ours by path \
         to generated/, {PEER} {PEER_VERSION} from crates.io), its own lockfile, cargo's default \
         profiles and features, fresh target dir, CARGO_INCREMENTAL=0, no RUSTC_WRAPPER, ours \
         and theirs alternated; the `cargo build --timings` reports of the debug builds are in \
         {}.",
        slash(base.strip_prefix(root).unwrap_or(&base))
    ));
    Ok(())
}

/// A project with one dependency (its manifest line), dependencies fetched (untimed).
fn user_project(dir: &Path, dependency: &str) -> Result<PathBuf> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "# Written by `cargo xtask bench`: a new user's project.\n[package]\nname = \
             \"first-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{dependency}\n\n[workspace]\n"
        ),
    )?;
    std::fs::write(dir.join("src/main.rs"), "fn main() {}\n")?;
    // A new lockfile each run, as a new user resolves today's versions.
    let _ = std::fs::remove_file(dir.join("Cargo.lock"));
    let output = cargo(dir)
        .args(["fetch", "--quiet"])
        .output()
        .context("running cargo fetch")?;
    if !output.status.success() {
        bail!(
            "cargo fetch in {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(dir.to_owned())
}

/// Copies the `--timings` report of a build in `target_dir` to `to`.
fn keep_timings(target_dir: &Path, to: &Path) -> Result<()> {
    let from = target_dir.join("cargo-timings/cargo-timing.html");
    std::fs::copy(&from, to).with_context(|| format!("copying {}", from.display()))?;
    Ok(())
}

fn slash(path: &Path) -> String {
    path.display().to_string().replace('\\', "/")
}
