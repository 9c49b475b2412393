//! `cargo xtask changelog <old spec> <new spec>`: the release entry of a move to a new
//! api-version. Takes the change report of `api-diff` between the two specs, decides the crate's
//! next version from it (the scheme in the generated crate's README: any breaking change is a
//! major bump, counted on the first non-zero number while the crate is `0.x`; compatible
//! changes only are a minor bump, a patch bump while `0.x`; a report without changes is a patch
//! bump), puts the entry with the report at the top of the crate's `CHANGELOG.md` and sets the
//! version in the crate's `Cargo.toml` and in the workspace's dependency on it.

use std::path::Path;

use anyhow::{Context, Result, bail};
use azrm_codegen::Config;
use azrm_codegen::diff::{ApiDiff, diff};

use crate::spec_workflow::read_spec_argument;

/// `cargo xtask changelog <old> <new>` for the crate of `config`.
pub fn command(args: &[String], root: &Path, config: &Config) -> Result<()> {
    let [old, new] = args else {
        bail!("usage: cargo xtask changelog <old spec folder or file> <new spec folder or file>");
    };
    let report = diff(&read_spec_argument(old)?, &read_spec_argument(new)?);
    if report.new_version != config.api_version {
        bail!(
            "the new spec is api-version {} but spec/regen.yaml generates {}: run \
             `cargo xtask regen --spec {new}` first",
            report.new_version,
            config.api_version
        );
    }
    let crate_dir = root.join(&config.output);
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest = read(&manifest_path)?;
    let current = package_version(&manifest)
        .with_context(|| format!("{}: no version in [package]", manifest_path.display()))?;
    let next = next_version(current, &report)?;
    let changelog_path = crate_dir.join("CHANGELOG.md");
    let changelog = insert_entry(&read(&changelog_path)?, &entry(&next, &report));
    let manifest = set_package_version(&manifest, &next)?;
    let workspace_path = root.join("Cargo.toml");
    let workspace = set_dependency_version(&read(&workspace_path)?, &config.crate_name, &next)?;
    std::fs::write(&changelog_path, changelog)?;
    std::fs::write(&manifest_path, manifest)?;
    std::fs::write(&workspace_path, workspace)?;
    println!(
        "{} {current} → {next} (api-version {} → {}): entry added to {}",
        config.crate_name,
        report.old_version,
        report.new_version,
        changelog_path.display()
    );
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// The version after `current` for a release with the changes of `report`.
fn next_version(current: &str, report: &ApiDiff) -> Result<String> {
    let parts: Vec<u64> = current
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()
        .filter(|parts: &Vec<u64>| parts.len() == 3)
        .with_context(|| format!("version {current:?} is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = [parts[0], parts[1], parts[2]];
    let changed = !report.changes.is_empty();
    Ok(match (major, report.is_breaking(), changed) {
        (0, true, _) => format!("0.{}.0", minor + 1),
        (_, true, _) => format!("{}.0.0", major + 1),
        (0, false, _) | (_, false, false) => format!("{major}.{minor}.{}", patch + 1),
        (_, false, true) => format!("{major}.{}.0", minor + 1),
    })
}

/// The changelog entry of `version`: its api-version, what the report means for the version,
/// and the report with its headings one level down.
fn entry(version: &str, report: &ApiDiff) -> String {
    let kind = if report.is_breaking() {
        "breaking changes, so a major version bump"
    } else if report.changes.is_empty() {
        "no change to the generated API"
    } else {
        "compatible changes only"
    };
    let mut out = format!(
        "## {version} (api-version {})\n\nGenerated from api-version {} (was {}): {kind}.\n\n",
        report.new_version, report.new_version, report.old_version
    );
    for line in report.to_markdown().lines() {
        if line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// `changelog` with `entry` before its first entry (a line starting with `## `).
fn insert_entry(changelog: &str, entry: &str) -> String {
    let at = if changelog.starts_with("## ") {
        0
    } else {
        changelog.find("\n## ").map_or(changelog.len(), |i| i + 1)
    };
    format!("{}{entry}{}", &changelog[..at], &changelog[at..])
}

/// The `version` of the `[package]` section of a manifest.
fn package_version(manifest: &str) -> Option<&str> {
    let package = manifest.split("\n[").next()?;
    package.lines().find_map(|line| {
        line.strip_prefix("version = \"")
            .and_then(|rest| rest.strip_suffix('"'))
    })
}

/// The manifest with `version` as its package version.
fn set_package_version(manifest: &str, version: &str) -> Result<String> {
    let current = package_version(manifest).context("no version in [package]")?;
    Ok(manifest.replacen(
        &format!("version = \"{current}\""),
        &format!("version = \"{version}\""),
        1,
    ))
}

/// The workspace manifest with `version` as the requirement of its dependency on `name`.
fn set_dependency_version(manifest: &str, name: &str, version: &str) -> Result<String> {
    let mut found = false;
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            let Some(spec) = line.strip_prefix(&format!("{name} = {{")) else {
                return line.to_owned();
            };
            let Some(start) = spec.find("version = \"") else {
                return line.to_owned();
            };
            let value = start + "version = \"".len();
            let Some(end) = spec[value..].find('"') else {
                return line.to_owned();
            };
            found = true;
            format!(
                "{name} = {{{}{version}{}",
                &spec[..value],
                &spec[value + end..]
            )
        })
        .collect();
    if !found {
        bail!("the workspace manifest has no `{name} = {{ version = \"..\", .. }}` dependency");
    }
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use azrm_codegen::diff::{Change, Impact};

    use super::*;

    fn report(impacts: &[Impact]) -> ApiDiff {
        ApiDiff {
            old_version: "2026-03-15".into(),
            new_version: "2026-09-01".into(),
            changes: impacts
                .iter()
                .map(|impact| Change {
                    impact: *impact,
                    subject: "operation `Widgets_Get`".into(),
                    detail: "changed".into(),
                })
                .collect(),
        }
    }

    #[test]
    fn breaking_reports_bump_the_major_version_and_others_less() {
        let breaking = report(&[Impact::Compatible, Impact::RustApi]);
        let compatible = report(&[Impact::Compatible]);
        let none = report(&[]);
        assert_eq!(next_version("0.1.3", &breaking).unwrap(), "0.2.0");
        assert_eq!(next_version("1.4.2", &breaking).unwrap(), "2.0.0");
        assert_eq!(
            next_version("1.4.2", &report(&[Impact::Wire])).unwrap(),
            "2.0.0"
        );
        assert_eq!(next_version("0.1.3", &compatible).unwrap(), "0.1.4");
        assert_eq!(next_version("1.4.2", &compatible).unwrap(), "1.5.0");
        assert_eq!(next_version("1.4.2", &none).unwrap(), "1.4.3");
        let error = next_version("1.4", &none).unwrap_err();
        assert!(error.to_string().contains("MAJOR.MINOR.PATCH"), "{error}");
    }

    #[test]
    fn the_entry_goes_on_top_with_the_report_a_level_down() {
        let entry = entry("0.2.0", &report(&[Impact::RustApi]));
        assert!(
            entry.starts_with(
                "## 0.2.0 (api-version 2026-09-01)\n\nGenerated from api-version 2026-09-01 (was \
                 2026-03-15): breaking changes, so a major version bump.\n\n### API changes: \
                 2026-03-15 → 2026-09-01\n"
            ),
            "{entry}"
        );
        assert!(
            entry.contains("\n#### Breaking: generated Rust API only (1)\n"),
            "{entry}"
        );
        let changelog = "# Changelog\n\nIntro.\n\n## 0.1.0 (api-version 2026-03-15)\n\nFirst.\n";
        assert_eq!(
            insert_entry(changelog, "## 0.2.0\n\nNew.\n\n"),
            "# Changelog\n\nIntro.\n\n## 0.2.0\n\nNew.\n\n## 0.1.0 (api-version 2026-03-15)\n\nFirst.\n"
        );
    }

    #[test]
    fn the_version_is_set_in_the_crate_and_in_the_workspace_dependency() {
        let manifest = "[package]\nname = \"c\"\nversion = \"0.1.0\"\n\n[dependencies]\nx = { version = \"0.1.0\" }\n";
        assert_eq!(
            set_package_version(manifest, "0.2.0").unwrap(),
            manifest.replacen("0.1.0", "0.2.0", 1)
        );
        let workspace = "[workspace.dependencies]\nc-other = { version = \"0.1.0\", path = \"o\" }\nc = { version = \"0.1.0\", path = \"g\" }\n";
        assert_eq!(
            set_dependency_version(workspace, "c", "0.2.0").unwrap(),
            "[workspace.dependencies]\nc-other = { version = \"0.1.0\", path = \"o\" }\nc = { version = \"0.2.0\", path = \"g\" }\n"
        );
        assert!(set_dependency_version(workspace, "d", "0.2.0").is_err());
    }

    /// The committed changelog agrees with the crate: its top entry is the crate's version and
    /// the api-version it is generated from, and the workspace depends on that version.
    #[test]
    fn the_changelog_names_the_version_the_crate_has() {
        let root = crate::workspace_root();
        let config = crate::main_config(&root).unwrap();
        let crate_dir = root.join(&config.output);
        let manifest = read(&crate_dir.join("Cargo.toml")).unwrap();
        let version = package_version(&manifest).unwrap();
        let changelog = read(&crate_dir.join("CHANGELOG.md")).unwrap();
        let top = changelog
            .lines()
            .find(|line| line.starts_with("## "))
            .expect("an entry");
        assert_eq!(
            top,
            format!("## {version} (api-version {})", config.api_version),
            "the top entry of {}/CHANGELOG.md is not this version: `cargo xtask changelog` \
             writes it",
            config.output.display()
        );
        let workspace = read(&root.join("Cargo.toml")).unwrap();
        assert_eq!(
            set_dependency_version(&workspace, &config.crate_name, version).unwrap(),
            workspace,
            "the workspace depends on another version of {}",
            config.crate_name
        );
    }
}
