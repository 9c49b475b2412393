//! Records the compiler's version for the `User-Agent` header (`azsdk-rust-... (1.88.0; ...)`),
//! as `azure_core` does; `unknown` when `rustc --version` cannot be run.

use std::process::Command;

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .ok()
        .and_then(|output| String::from_utf8(output.stdout).ok())
        .and_then(|text| text.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=AZRM_RUNTIME_RUSTC_VERSION={version}");
    println!("cargo:rerun-if-env-changed=RUSTC");
}
