//! 2: cold compile time of the generated crate against `azure_mgmt_cosmosdb` 0.21 from
//! crates.io (default features), built the same way in the same run, and the size of both.
//!
//! Each build runs in a fresh target dir with incremental compilation off and no compiler
//! wrapper. The whole tree is one cold `cargo build`; the crate alone is the same build again
//! after `cargo clean -p` of that crate, so only it is compiled. The peer is built by a
//! throwaway project under the target dir that depends on it and copies this workspace's
//! profile settings (debug info as for a workspace member), so both are built the same way.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use serde_json::Value;

use super::Settings;
use super::report::{Report, count, median, megabytes, ratio, secs, verdict};
use super::runner::cargo;

/// The peer crate and the version the issue names.
pub(super) const PEER: &str = "azure_mgmt_cosmosdb";
pub(super) const PEER_VERSION: &str = "0.21";

/// Lines and bytes of the `.rs` files under a folder.
#[derive(Debug, Clone, Copy, Default)]
struct Size {
    files: u64,
    lines: u64,
    bytes: u64,
}

/// Measures and adds the rows of part 2. `--quick` only counts our generated lines.
pub fn compile(root: &Path, settings: &Settings, report: &mut Report) -> Result<()> {
    let ours = size_of(&root.join("generated/src"))?;
    if settings.quick {
        report.row(
            2,
            "generated source (azrm-cosmosdb, generated/src)",
            size_text(ours),
            "not measured (--quick)",
            "-",
            "",
        );
        report.note("Cold compiles skipped (--quick).");
        return Ok(());
    }
    let base = settings.target_dir.join("bench/compile");
    let peer = match PeerProject::prepare(root, &base.join("peer")) {
        Ok(peer) => Some(peer),
        Err(error) => {
            eprintln!("bench: {PEER} {PEER_VERSION} is unavailable: {error:#}");
            report.note(format!(
                "{PEER} {PEER_VERSION}: unavailable ({error:#}); its rows show only ours."
            ));
            None
        }
    };
    for release in [false, true] {
        let profile = if release { "release" } else { "debug" };
        let our_dir = base.join(format!("ours-{profile}"));
        let ours_build = Build {
            dir: root,
            args: &["build", "-p", "azrm-cosmosdb"],
            krate: "azrm-cosmosdb",
            target_dir: &our_dir,
            release,
        };
        let their_dir = peer
            .as_ref()
            .map(|peer| peer.dir.join(format!("target-{profile}")));
        let theirs_build = peer
            .as_ref()
            .zip(their_dir.as_ref())
            .map(|(peer, dir)| Build {
                dir: &peer.dir,
                args: &["build"],
                krate: PEER,
                target_dir: dir,
                release,
            });
        let ours_tree = ours_build.cold()?;
        let theirs_tree = theirs_build.as_ref().map(Build::cold).transpose()?;
        // The crate alone, ours and theirs in turn: each figure is the median of the rounds.
        let mut ours_alone = Vec::new();
        let mut theirs_alone = Vec::new();
        for _ in 0..settings.compile_rounds {
            ours_alone.push(ours_build.alone()?);
            if let Some(theirs) = &theirs_build {
                theirs_alone.push(theirs.alone()?);
            }
        }
        let rounds = settings.compile_rounds;
        let ours_alone_median = median(&ours_alone);
        match theirs_tree {
            Some(theirs_tree) => {
                let ratios: Vec<f64> = ours_alone
                    .iter()
                    .zip(&theirs_alone)
                    .map(|(ours, theirs)| ours / theirs)
                    .collect();
                let alone_ratio = median(&ratios);
                report.row(
                    2,
                    format!(
                        "cold build, {profile}: the crate alone, dependencies built \
                         (median of {rounds})"
                    ),
                    secs(ours_alone_median),
                    format!("{} ({PEER} {PEER_VERSION})", secs(median(&theirs_alone))),
                    format!("{alone_ratio:.2}x"),
                    verdict("<= 0.5x", alone_ratio <= 0.5),
                );
                report.row(
                    2,
                    format!("cold build, {profile}: the whole dependency tree"),
                    secs(ours_tree),
                    format!("{} ({PEER} {PEER_VERSION})", secs(theirs_tree)),
                    ratio(ours_tree, theirs_tree),
                    "",
                );
            }
            None => {
                report.row(
                    2,
                    format!(
                        "cold build, {profile}: the crate alone, dependencies built \
                         (median of {rounds})"
                    ),
                    secs(ours_alone_median),
                    "unavailable",
                    "-",
                    "<= 0.5x",
                );
                report.row(
                    2,
                    format!("cold build, {profile}: the whole dependency tree"),
                    secs(ours_tree),
                    "unavailable",
                    "-",
                    "",
                );
            }
        }
        // Free the disk: a release tree is large.
        let _ = std::fs::remove_dir_all(&our_dir);
        if let Some(dir) = &their_dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    match &peer {
        Some(peer) => {
            report.row(
                2,
                "generated source (azrm-cosmosdb, generated/src)",
                size_text(ours),
                format!(
                    "{} ({PEER}, every api-version package)",
                    size_text(peer.size)
                ),
                ratio(ours.lines as f64, peer.size.lines as f64),
                "",
            );
            report.row(
                2,
                format!(
                    "generated source vs the peer's default package only ({})",
                    peer.default_module
                ),
                size_text(ours),
                size_text(peer.default_size),
                ratio(ours.lines as f64, peer.default_size.lines as f64),
                "",
            );
        }
        None => report.row(
            2,
            "generated source (azrm-cosmosdb, generated/src)",
            size_text(ours),
            "unavailable",
            "-",
            "",
        ),
    }
    report.note(
        "Cold builds: fresh target dir, CARGO_INCREMENTAL=0, no RUSTC_WRAPPER, default jobs; \
         'the crate alone' is the rebuild after `cargo clean -p` of that crate (its ratio is the \
         median of the per-round ratios); the peer is built by a throwaway project with this \
         workspace's profile settings and default features.",
    );
    Ok(())
}

/// One crate's build: `cargo ARGS` in `dir` with `target_dir`.
pub(super) struct Build<'a> {
    /// Where cargo runs.
    pub dir: &'a Path,
    /// The cargo command and its arguments, without `--release`.
    pub args: &'a [&'a str],
    /// The crate that `alone` cleans.
    pub krate: &'a str,
    /// The target dir of the build.
    pub target_dir: &'a Path,
    /// Whether to add `--release`.
    pub release: bool,
}

impl Build<'_> {
    /// A cold build of the whole tree in a fresh target dir; seconds.
    pub fn cold(&self) -> Result<f64> {
        if self.target_dir.exists() {
            std::fs::remove_dir_all(self.target_dir)
                .with_context(|| format!("removing {}", self.target_dir.display()))?;
        }
        self.build()
    }

    /// The crate alone: `cargo clean -p` of it, then the build again; seconds.
    fn alone(&self) -> Result<f64> {
        let mut clean = cargo(self.dir);
        clean.args(["clean", "--quiet", "-p", self.krate]);
        if self.release {
            clean.arg("--release");
        }
        build_env(&mut clean, self.target_dir);
        let status = clean.status().context("running cargo clean")?;
        if !status.success() {
            bail!("cargo clean -p {} failed ({status})", self.krate);
        }
        self.build()
    }

    fn build(&self) -> Result<f64> {
        let mut command = cargo(self.dir);
        command.args(self.args);
        if self.release {
            command.arg("--release");
        }
        timed(command, self.target_dir)
    }
}

/// Runs a cargo build in `target_dir` and returns its wall time in seconds.
fn timed(mut command: Command, target_dir: &Path) -> Result<f64> {
    command.arg("--quiet");
    build_env(&mut command, target_dir);
    let started = Instant::now();
    let output = command.output().context("running cargo build")?;
    let elapsed = started.elapsed().as_secs_f64();
    if !output.status.success() {
        bail!(
            "cargo build failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(elapsed)
}

/// The environment of every cold build: the target dir, no incremental compilation and no
/// compiler wrapper (a cache would make the build warm).
fn build_env(command: &mut Command, target_dir: &Path) {
    command
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER");
}

/// The throwaway project that builds the peer crate.
struct PeerProject {
    dir: PathBuf,
    size: Size,
    default_module: String,
    default_size: Size,
}

impl PeerProject {
    /// Writes the project, downloads the peer (untimed) and measures its source.
    fn prepare(root: &Path, dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir.join("src"))?;
        let profiles = workspace_profiles(root)?;
        std::fs::write(
            dir.join("Cargo.toml"),
            format!(
                "# Written by `cargo xtask bench`: builds {PEER} {PEER_VERSION} for the compile-time \
                 comparison.\n[package]\nname = \"peer-compile\"\nversion = \"0.0.0\"\n\
                 edition = \"2021\"\npublish = false\n\n[dependencies]\n\
                 {PEER} = \"{PEER_VERSION}\"\n\n[workspace]\n\n{profiles}\
                 \n# {PEER} gets the debug info of a workspace member, as azrm-cosmosdb does.\n\
                 [profile.dev.package.{PEER}]\ndebug = \"line-tables-only\"\n"
            ),
        )?;
        std::fs::write(dir.join("src/lib.rs"), "")?;
        let mut fetch = cargo(dir);
        fetch.args(["fetch", "--quiet"]);
        let output = fetch.output().context("running cargo fetch")?;
        if !output.status.success() {
            bail!(
                "cargo fetch failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        let mut metadata = cargo(dir);
        metadata.args(["metadata", "--format-version", "1", "--quiet"]);
        let output = metadata.output().context("running cargo metadata")?;
        if !output.status.success() {
            bail!("cargo metadata failed");
        }
        let metadata: Value = serde_json::from_slice(&output.stdout)?;
        let package = metadata["packages"]
            .as_array()
            .and_then(|packages| packages.iter().find(|package| package["name"] == PEER))
            .with_context(|| format!("{PEER} is not in the project's metadata"))?;
        let source = Path::new(
            package["manifest_path"]
                .as_str()
                .context("no manifest path")?,
        )
        .parent()
        .context("manifest path without folder")?
        .join("src");
        let default_feature = default_package_feature(&package["features"])
            .context("the peer's default features select no `package-*` feature")?;
        let default_module = default_feature.replace(['-', '.'], "_");
        Ok(Self {
            dir: dir.to_owned(),
            size: size_of(&source)?,
            default_size: size_of(&source.join(&default_module))?,
            default_module: format!("feature {default_feature}, src/{default_module}"),
        })
    }
}

/// The first `package-*` feature the `default` feature turns on, directly or through other
/// features (`default = ["default_tag"]`, `default_tag = ["package-preview-2024-09"]`).
fn default_package_feature(features: &Value) -> Option<String> {
    let mut pending = vec!["default".to_owned()];
    let mut seen = Vec::new();
    while let Some(feature) = pending.pop() {
        if feature.starts_with("package-") {
            return Some(feature);
        }
        if seen.contains(&feature) {
            continue;
        }
        for enabled in features[&feature].as_array().into_iter().flatten() {
            if let Some(name) = enabled.as_str() {
                pending.insert(0, name.to_owned());
            }
        }
        seen.push(feature);
    }
    None
}

/// The `[profile.*]` tables of the workspace's `Cargo.toml`, verbatim.
fn workspace_profiles(root: &Path) -> Result<String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    Ok(crate::package_check::profile_sections(&text))
}

/// Files, lines and bytes of the `.rs` files under `dir`.
fn size_of(dir: &Path) -> Result<Size> {
    let mut size = Size::default();
    let sources = crate::spec_workflow::walk(dir)?;
    for path in sources
        .iter()
        .filter(|p| p.extension().is_some_and(|ext| ext == "rs"))
    {
        let bytes = std::fs::read(path)?;
        size.files += 1;
        size.bytes += bytes.len() as u64;
        size.lines += bytes.iter().filter(|&&byte| byte == b'\n').count() as u64;
    }
    Ok(size)
}

fn size_text(size: Size) -> String {
    format!(
        "{} lines, {} in {} files",
        count(size.lines),
        megabytes(size.bytes),
        size.files
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_package_feature_is_found_through_other_features() {
        let features = serde_json::json!({
            "default": ["default_tag", "enable_reqwest"],
            "default_tag": ["package-preview-2024-09"],
            "enable_reqwest": ["azure_core/enable_reqwest"],
            "package-preview-2024-09": [],
        });
        assert_eq!(
            default_package_feature(&features).as_deref(),
            Some("package-preview-2024-09")
        );
        assert_eq!(default_package_feature(&serde_json::json!({})), None);
    }
}
