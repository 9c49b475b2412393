//! The Python and JS SDKs, installed by the bench from their registries into folders under the
//! target dir (never by hand), and the commands that run their scripts under `benches/peers/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context as _, Result, bail};

/// The Python SDK and the version measured.
const PYTHON_PACKAGE: &str = "azure-mgmt-cosmosdb";
const PYTHON_VERSION: &str = "10.0.0";
/// The JS SDK and the version measured.
const JS_PACKAGE: &str = "@azure/arm-cosmosdb";
const JS_VERSION: &str = "17.0.0";

/// An installed peer SDK.
pub enum Peer {
    /// `python_client.py` run by the venv's interpreter.
    Python {
        /// The venv's `python`.
        python: PathBuf,
        /// `benches/peers/python_client.py`.
        script: PathBuf,
        /// The installed version.
        version: String,
    },
    /// `js_client.mjs`, copied next to its `node_modules`.
    Js {
        /// The folder with `node_modules` and the script.
        dir: PathBuf,
        /// The installed version.
        version: String,
    },
}

impl Peer {
    /// The name in the table.
    pub fn label(&self) -> String {
        match self {
            Self::Python { version, .. } => format!("Python {PYTHON_PACKAGE} {version}"),
            Self::Js { version, .. } => format!("JS {JS_PACKAGE} {version}"),
        }
    }

    /// The command that runs one timed loop (the caller adds the scenario's arguments).
    pub fn command(&self, ca_file: &Path) -> Command {
        match self {
            Self::Python { python, script, .. } => {
                let mut command = Command::new(python);
                command.arg(script).arg("--ca").arg(ca_file);
                command
            }
            Self::Js { dir, .. } => {
                let mut command = Command::new("node");
                command
                    .current_dir(dir)
                    .arg("js_client.mjs")
                    .env("NODE_EXTRA_CA_CERTS", ca_file);
                command
            }
        }
    }
}

/// Creates a venv under `dir` and installs the Python SDK into it.
pub fn python(root: &Path, dir: &Path) -> Result<Peer> {
    let unavailable = |reason: String| {
        anyhow::anyhow!("Python {PYTHON_PACKAGE}: unavailable ({reason}); its rows are left out")
    };
    let venv = dir.join("python");
    let python = venv.join("bin/python");
    if !python.exists() {
        std::fs::create_dir_all(dir)?;
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .map_err(|error| unavailable(format!("python3 -m venv: {error:#}")))?;
    }
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(["--timeout", "30", "--retries", "1"])
        .arg(format!("{PYTHON_PACKAGE}=={PYTHON_VERSION}")))
    .map_err(|error| unavailable(format!("pip install: {error:#}")))?;
    let version = output(Command::new(&python).args([
        "-c",
        &format!("import importlib.metadata as m; print(m.version({PYTHON_PACKAGE:?}))"),
    ]))
    .map_err(|error| unavailable(format!("{error:#}")))?;
    Ok(Peer::Python {
        python,
        script: root.join("benches/peers/python_client.py"),
        version,
    })
}

/// Installs the JS SDK with npm into a folder under `dir` and copies the script next to it.
pub fn js(root: &Path, dir: &Path) -> Result<Peer> {
    let unavailable = |reason: String| {
        anyhow::anyhow!("JS {JS_PACKAGE}: unavailable ({reason}); its rows are left out")
    };
    let js = dir.join("js");
    std::fs::create_dir_all(&js)?;
    std::fs::write(
        js.join("package.json"),
        format!(
            "{{\n  \"name\": \"arm-bench-js-peer\",\n  \"private\": true,\n  \
             \"description\": \"Written by cargo xtask bench\",\n  \
             \"dependencies\": {{ \"{JS_PACKAGE}\": \"{JS_VERSION}\" }}\n}}\n"
        ),
    )?;
    run(Command::new("npm")
        .current_dir(&js)
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .args(["--fetch-retries=1", "--fetch-timeout=30000"]))
    .map_err(|error| unavailable(format!("npm install: {error:#}")))?;
    std::fs::copy(
        root.join("benches/peers/js_client.mjs"),
        js.join("js_client.mjs"),
    )?;
    let manifest = js
        .join("node_modules")
        .join(JS_PACKAGE)
        .join("package.json");
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&manifest).map_err(|error| unavailable(format!("{error}")))?,
    )?;
    let version = manifest["version"]
        .as_str()
        .unwrap_or(JS_VERSION)
        .to_owned();
    output(Command::new("node").arg("--version"))
        .map_err(|error| unavailable(format!("node: {error:#}")))?;
    Ok(Peer::Js { dir: js, version })
}

/// Runs `command`, failing with its standard error.
fn run(command: &mut Command) -> Result<()> {
    output(command).map(drop)
}

/// Runs `command` and returns its trimmed standard output.
fn output(command: &mut Command) -> Result<String> {
    let output = command
        .output()
        .with_context(|| format!("starting {:?}", command.get_program()))?;
    if !output.status.success() {
        bail!(
            "{} ({})",
            String::from_utf8_lossy(&output.stderr).trim(),
            output.status
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
