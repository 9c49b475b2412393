//! The regen pipeline per stage, median of N runs, against the floor: reading and parsing the
//! same JSON files (the spec files the load stage reads and the example files the emit stage
//! reads) into `serde_json::Value`, and nothing else.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, Result};
use azrm_codegen::{Config, Mode, examples, load, normalise, regen};
use serde::Serialize;
use serde_json::Value;

use crate::measure::{median, ms};

/// Median wall time of each stage and of the floor, in milliseconds.
#[derive(Debug, Clone, Serialize)]
pub struct RegenReport {
    /// Runs of the pipeline and of the floor.
    pub runs: usize,
    /// Reading and parsing the spec files.
    pub load_ms: f64,
    /// Swagger 2.0 to OpenAPI 3.
    pub normalise_ms: f64,
    /// Building the IR.
    pub ir_ms: f64,
    /// Planning the Rust names and operation shapes.
    pub plan_ms: f64,
    /// Reading the examples and emitting token streams.
    pub emit_ms: f64,
    /// Formatting with prettyplease.
    pub format_ms: f64,
    /// Comparing with the files on disk (check mode: nothing is written).
    pub write_ms: f64,
    /// The whole pipeline (median of the per-run totals).
    pub total_ms: f64,
    /// The floor: read and parse the same JSON files.
    pub floor_ms: f64,
    /// JSON files the floor reads.
    pub floor_files: usize,
    /// Their bytes.
    pub floor_bytes: usize,
    /// Files regen produces.
    pub generated_files: usize,
    /// Their lines.
    pub generated_lines: usize,
    /// Their bytes.
    pub generated_bytes: usize,
}

/// The workspace's regen configuration.
pub fn config() -> Result<Config> {
    let path = crate::workspace_root().join("spec/regen.yaml");
    Config::read(&path).with_context(|| format!("reading {}", path.display()))
}

/// Every JSON file regen reads: the spec files and the example files that exist.
pub fn json_inputs(config: &Config) -> Result<Vec<PathBuf>> {
    let set = load::load(&config.input_paths())?;
    let api = azrm_codegen::ir::build(&normalise::normalise(&set)?)?;
    let examples = examples::load_examples(&api)?;
    let mut files: BTreeSet<PathBuf> = set.files.keys().cloned().collect();
    files.extend(
        examples
            .by_operation
            .values()
            .flatten()
            .map(|example| example.file.clone()),
    );
    Ok(files.into_iter().collect())
}

/// The floor once: reads and parses every file, keeping the values (as the load stage keeps
/// the parsed spec). Returns the values and the bytes read.
pub fn parse_all(files: &[PathBuf]) -> Result<(Vec<Value>, usize)> {
    let mut values = Vec::with_capacity(files.len());
    let mut bytes = 0;
    for file in files {
        let text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        bytes += text.len();
        values.push(
            serde_json::from_slice(&text).with_context(|| format!("parsing {}", file.display()))?,
        );
    }
    Ok((values, bytes))
}

/// One regen in check mode (nothing is written).
pub fn regen_once(config: &Config) -> Result<azrm_codegen::Generated> {
    Ok(regen(config, &crate::workspace_root(), Mode::Check)?)
}

/// Runs the pipeline and the floor `runs` times each, interleaved.
pub fn run(runs: usize) -> Result<RegenReport> {
    let runs = runs.max(1);
    let config = config()?;
    let files = json_inputs(&config)?;
    let mut stages: [Vec<f64>; 8] = Default::default();
    let mut floor = Vec::new();
    let mut floor_bytes = 0;
    let mut last = None;
    for _ in 0..runs {
        let started = Instant::now();
        let (values, bytes) = parse_all(&files)?;
        floor.push(ms(started.elapsed()));
        drop(std::hint::black_box(values));
        floor_bytes = bytes;

        let generated = regen_once(&config)?;
        let t = &generated.report.timings;
        let each = [t.load, t.normalise, t.ir, t.plan, t.emit, t.format, t.write];
        for (samples, stage) in stages.iter_mut().zip(each) {
            samples.push(ms(stage));
        }
        stages[7].push(each.iter().map(|stage| ms(*stage)).sum());
        last = Some(generated);
    }
    let generated = last.context("no run")?;
    Ok(RegenReport {
        runs,
        load_ms: median(&stages[0]),
        normalise_ms: median(&stages[1]),
        ir_ms: median(&stages[2]),
        plan_ms: median(&stages[3]),
        emit_ms: median(&stages[4]),
        format_ms: median(&stages[5]),
        write_ms: median(&stages[6]),
        total_ms: median(&stages[7]),
        floor_ms: median(&floor),
        floor_files: files.len(),
        floor_bytes,
        generated_files: generated.files.len(),
        generated_lines: generated.line_count(),
        generated_bytes: generated.files.iter().map(|(_, text)| text.len()).sum(),
    })
}
