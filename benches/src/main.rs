//! `arm-bench`: one measurement per process, each printing one JSON line on standard output.
//! Run by `cargo xtask bench`, which builds it in release mode and puts the numbers in one
//! table.
//!
//! ```text
//! arm-bench regen --runs N
//! arm-bench decode --items N --runs N
//! arm-bench rss regen|spec-parse|decode-typed|decode-value [--items N]
//! arm-bench serve --ca-file PATH
//! arm-bench client --impl ours|floor|bytes --url URL --ca-file PATH --scenario get|list|lro
//!                  --iterations N [--warmup N]
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use arm_benches::client::{Implementation, Scenario};
use arm_benches::{client, decode, measure, regen, serve};
use serde_json::json;

const USAGE: &str = "usage: arm-bench regen --runs N | decode --items N --runs N | \
    rss regen|spec-parse|decode-typed|decode-value [--items N] | serve --ca-file PATH | \
    client --impl ours|floor|bytes --url URL --ca-file PATH --scenario get|list|lro --iterations N \
    [--warmup N]";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("arm-bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        bail!("{USAGE}");
    };
    match command.as_str() {
        "regen" => {
            let flags = Flags::parse(rest, &[])?;
            print_json(&regen::run(flags.number("runs", 5)?)?)
        }
        "decode" => {
            let flags = Flags::parse(rest, &[])?;
            print_json(&decode::run(
                flags.number("items", 10_000)?,
                flags.number("runs", 5)?,
            )?)
        }
        "rss" => {
            let flags = Flags::parse(rest, &["workload"])?;
            rss(&flags.text("workload")?, flags.number("items", 10_000)?)
        }
        "serve" => {
            let flags = Flags::parse(rest, &[])?;
            serve::run(Path::new(&flags.text("ca-file")?))
        }
        "client" => {
            let flags = Flags::parse(rest, &[])?;
            let ca_file = flags.text("ca-file")?;
            let ca_pem =
                std::fs::read_to_string(&ca_file).with_context(|| format!("reading {ca_file}"))?;
            print_json(&client::run(
                Implementation::parse(&flags.text("impl")?)?,
                Scenario::parse(&flags.text("scenario")?)?,
                &flags.text("url")?,
                &ca_pem,
                flags.number("iterations", 100)?,
                flags.number("warmup", 10)?,
            )?)
        }
        other => bail!("unknown command {other:?}; {USAGE}"),
    }
}

/// Does one workload and prints this process's peak resident memory.
fn rss(workload: &str, items: usize) -> Result<()> {
    match workload {
        "regen" => {
            let config = regen::config()?;
            std::hint::black_box(regen::regen_once(&config)?);
        }
        "spec-parse" => {
            let config = regen::config()?;
            let files = regen::json_inputs(&config)?;
            std::hint::black_box(regen::parse_all(&files)?);
        }
        "decode-typed" | "decode-value" => {
            let bytes = arm_benches::data::sql_container_list(items)?;
            if workload == "decode-typed" {
                std::hint::black_box(decode::typed(&bytes)?);
            } else {
                std::hint::black_box(decode::value(&bytes)?);
            }
        }
        other => bail!("unknown workload {other:?}; {USAGE}"),
    }
    print_json(&json!({
        "workload": workload,
        "peak_rss_kib": measure::peak_rss_kib(),
    }))
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    println!("{}", serde_json::to_string(value)?);
    Ok(())
}

/// `--name value` pairs, and positional arguments under the names given.
struct Flags(HashMap<String, String>);

impl Flags {
    fn parse(args: &[String], positional: &[&str]) -> Result<Self> {
        let mut map = HashMap::new();
        let mut positional = positional.iter();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            if let Some(name) = arg.strip_prefix("--") {
                let value = args
                    .next()
                    .with_context(|| format!("--{name} needs a value"))?;
                map.insert(name.to_owned(), value.clone());
            } else if let Some(name) = positional.next() {
                map.insert((*name).to_owned(), arg.clone());
            } else {
                bail!("unexpected argument {arg:?}; {USAGE}");
            }
        }
        Ok(Self(map))
    }

    fn text(&self, name: &str) -> Result<String> {
        self.0
            .get(name)
            .cloned()
            .with_context(|| format!("--{name} is required; {USAGE}"))
    }

    fn number(&self, name: &str, default: usize) -> Result<usize> {
        self.0.get(name).map_or(Ok(default), |text| {
            text.parse()
                .with_context(|| format!("--{name} {text:?} is not a number"))
        })
    }
}
