//! `cargo xtask package-check`: what a user of the registry gets. Packages every publishable
//! crate of the workspace (`publish = true`) with one `cargo package`, which orders them by
//! their dependencies, resolves their dependencies on each other from the packages it has just
//! made and builds each one from its package alone; unpacks the `.crate` files into a scratch
//! project outside the workspace that depends on them by path (the generated crate directly,
//! the others through `[patch.crates-io]`, as the registry would supply them) and runs the
//! first example of the generated crate's packaged `README.md` there, against the local
//! endpoint of its fake feature.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use azrm_codegen::Config;

/// A crate of the workspace that `cargo package` packages.
#[derive(Debug, Clone, PartialEq)]
struct Publishable {
    name: String,
    version: String,
}

/// `cargo xtask package-check`.
pub fn command(args: &[String], root: &Path, config: &Config) -> Result<ExitCode> {
    if !args.is_empty() {
        bail!("usage: cargo xtask package-check");
    }
    let crates = publishable(root)?;
    if !crates.iter().any(|c| c.name == config.crate_name) {
        bail!(
            "{} (spec/regen.yaml) is not publishable: set `publish = true` in its Cargo.toml",
            config.crate_name
        );
    }
    let mut package = cargo(root);
    package.arg("package");
    for krate in &crates {
        package.args(["-p", &krate.name]);
    }
    run(&mut package)?;

    let scratch = std::env::temp_dir().join(format!("azrm-package-check-{}", std::process::id()));
    let unpacked = scratch.join("crates");
    std::fs::create_dir_all(&unpacked)?;
    let mut dirs = Vec::new();
    for krate in &crates {
        let file = root.join(format!(
            "target/package/{}-{}.crate",
            krate.name, krate.version
        ));
        run(Command::new("tar")
            .arg("-xzf")
            .arg(&file)
            .arg("-C")
            .arg(&unpacked))?;
        let dir = unpacked.join(format!("{}-{}", krate.name, krate.version));
        for required in ["README.md", "LICENSE", "Cargo.toml"] {
            if !dir.join(required).is_file() {
                bail!("{} holds no {required}", file.display());
            }
        }
        dirs.push((krate.name.clone(), dir));
    }

    let client = &dirs[crates
        .iter()
        .position(|c| c.name == config.crate_name)
        .expect("checked above")]
    .1;
    let readme = std::fs::read_to_string(client.join("README.md"))?;
    let example =
        readme_example(&readme).with_context(|| format!("{}/README.md", config.crate_name))?;
    let project = scratch.join("project");
    std::fs::create_dir_all(project.join("src"))?;
    std::fs::write(project.join("src/main.rs"), example)?;
    let workspace_manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    std::fs::write(
        project.join("Cargo.toml"),
        scratch_manifest(config, &dirs, &profile_sections(&workspace_manifest)),
    )?;
    println!(
        "package-check: running the first example of {}'s README in {}",
        config.crate_name,
        project.display()
    );
    // The workspace's target dir and profile: the dependencies the verification built are
    // reused, only the unpacked crates and the example are compiled again.
    let output = cargo(&project)
        .args(["run", "--quiet"])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .context("running cargo in the scratch project")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if !output.status.success() {
        bail!("the README's example failed in {}", project.display());
    }
    if stdout.trim().is_empty() {
        bail!("the README's example printed nothing: it is meant to show what it did");
    }
    std::fs::remove_dir_all(&scratch)?;
    println!(
        "package-check: {} packaged, built from the packages alone, the example ran",
        crates
            .iter()
            .map(|c| format!("{} {}", c.name, c.version))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo` with the environment of the caller minus what `cargo xtask` set for itself.
fn cargo(dir: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(dir).env_remove("CARGO_TARGET_DIR");
    command
}

/// Runs `command`, failing with its command line when it fails.
fn run(command: &mut Command) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("running {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed: {status}");
    }
    Ok(())
}

/// The workspace members that `publish = true` (cargo metadata's `publish` is `null`).
fn publishable(root: &Path) -> Result<Vec<Publishable>> {
    let output = cargo(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!("cargo metadata failed");
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    Ok(publishable_in(&metadata))
}

/// The packages of `metadata` that may go to any registry.
fn publishable_in(metadata: &serde_json::Value) -> Vec<Publishable> {
    let packages = metadata["packages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    packages
        .iter()
        .filter(|package| package["publish"].is_null())
        .filter_map(|package| {
            Some(Publishable {
                name: package["name"].as_str()?.to_owned(),
                version: package["version"].as_str()?.to_owned(),
            })
        })
        .collect()
}

/// The first `rust` code block of a README as a program: the lines rustdoc hides (`# ...`)
/// are kept, without their marker, as rustdoc compiles them; blocks marked `no_run`, `ignore`
/// or `compile_fail` are skipped, as they are not meant to run.
fn readme_example(readme: &str) -> Result<String> {
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let attributes: Vec<&str> = info.split(',').map(str::trim).collect();
        let runs = attributes.first() == Some(&"rust")
            && !attributes
                .iter()
                .any(|a| matches!(*a, "no_run" | "ignore" | "compile_fail"));
        let mut program = String::new();
        for line in lines.by_ref() {
            if line.trim_start().starts_with("```") {
                break;
            }
            let shown = match line.trim_start() {
                "#" => "",
                hidden if hidden.starts_with("# ") => &hidden[2..],
                _ => line,
            };
            program.push_str(shown);
            program.push('\n');
        }
        if runs {
            return Ok(program);
        }
    }
    bail!("no ```rust example that runs (one not marked no_run, ignore or compile_fail)")
}

/// The `[profile.*]` sections of a workspace manifest, verbatim: a project outside the
/// workspace (the scratch project here, the bench's peer project) builds its dependencies as
/// the workspace does, and reuses what the workspace built.
pub fn profile_sections(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile.");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The scratch project's manifest: the generated crate by path (with its fake feature behind
/// the project's own, on by default, so the example's `cfg(feature = ..)` lines hold), the
/// other packages in place of the registry's, and the workspace's profiles.
fn scratch_manifest(config: &Config, dirs: &[(String, PathBuf)], profiles: &str) -> String {
    let path = |dir: &Path| dir.display().to_string().replace('\\', "/");
    let mut manifest = String::from(
        "[package]\nname = \"package-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
         publish = false\n\n# Not a member of the workspace it was made from.\n[workspace]\n\n\
         [dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    );
    let mut patches = String::from("\n[patch.crates-io]\n");
    for (name, dir) in dirs {
        if *name == config.crate_name {
            manifest.push_str(&format!("{name} = {{ path = {:?} }}\n", path(dir)));
        } else {
            patches.push_str(&format!("{name} = {{ path = {:?} }}\n", path(dir)));
        }
    }
    if let Some(feature) = &config.fake_feature {
        manifest.push_str(&format!(
            "\n[features]\ndefault = [{feature:?}]\n{feature} = [\"{}/{feature}\"]\n",
            config.crate_name
        ));
    }
    manifest.push_str(&patches);
    manifest.push('\n');
    manifest.push_str(profiles);
    manifest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_is_the_first_block_that_runs_with_its_hidden_lines() {
        let readme = "# crate\n\n```sh\ncargo add x\n```\n\n```rust,no_run\nfn main() { azure() }\n```\n\n\
                      ```rust\n# #[cfg(feature = \"fake\")]\nuse x::Y;\n#\nfn main() {}\n```\n\n```rust\nfn second() {}\n```\n";
        assert_eq!(
            readme_example(readme).unwrap(),
            "#[cfg(feature = \"fake\")]\nuse x::Y;\n\nfn main() {}\n"
        );
        let error = readme_example("```rust,ignore\nfn main() {}\n```\n").unwrap_err();
        assert!(error.to_string().contains("no ```rust example"), "{error}");
    }

    #[test]
    fn only_packages_without_a_publish_restriction_are_packaged() {
        let metadata = serde_json::json!({"packages": [
            {"name": "azrm-runtime", "version": "0.1.0", "publish": null},
            {"name": "xtask", "version": "0.1.0", "publish": []},
        ]});
        assert_eq!(
            publishable_in(&metadata),
            [Publishable {
                name: "azrm-runtime".into(),
                version: "0.1.0".into()
            }]
        );
    }

    #[test]
    fn the_scratch_project_gets_the_workspace_profiles_and_the_packages_by_path() {
        let profiles = profile_sections(
            "[workspace]\nmembers = []\n\n[profile.dev]\ndebug = 0\n\n[profile.dev.package.\"*\"]\ndebug = false\n",
        );
        assert_eq!(
            profiles,
            "[profile.dev]\ndebug = 0\n\n[profile.dev.package.\"*\"]\ndebug = false\n"
        );
        let config = Config {
            crate_name: "client".into(),
            fake_feature: Some("fake".into()),
            ..Config::default()
        };
        let dirs = [
            ("runtime".to_owned(), PathBuf::from("/tmp/c/runtime-0.1.0")),
            ("client".to_owned(), PathBuf::from("/tmp/c/client-0.1.0")),
        ];
        let manifest = scratch_manifest(&config, &dirs, &profiles);
        assert!(
            manifest.contains("[dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\nclient = { path = \"/tmp/c/client-0.1.0\" }\n"),
            "{manifest}"
        );
        assert!(
            manifest.contains("default = [\"fake\"]\nfake = [\"client/fake\"]"),
            "{manifest}"
        );
        assert!(
            manifest.contains("[patch.crates-io]\nruntime = { path = \"/tmp/c/runtime-0.1.0\" }\n"),
            "{manifest}"
        );
        assert!(manifest.ends_with(&profiles), "{manifest}");
    }
}
