//! The measurements that run `arm-bench` alone: regen per stage (1), decoding throughput (4)
//! and peak memory (5).

use anyhow::Result;

use super::Settings;
use super::report::{self, Report, count, mebibytes, megabytes, ms, ratio};
use super::runner::{Bench, number};

/// 1: the regen pipeline per stage against a `serde_json` parse of the same files.
pub fn regen(bench: &Bench, settings: &Settings, report: &mut Report) -> Result<()> {
    let runs = settings.regen_runs.to_string();
    let json = bench.json(&["regen", "--runs", &runs])?;
    let floor = number(&json, "floor_ms")?;
    let total = number(&json, "total_ms")?;
    let baseline = format!(
        "{} (serde_json parse of the {} spec and example files, {})",
        ms(floor),
        json["floor_files"],
        megabytes(json["floor_bytes"].as_u64().unwrap_or(0))
    );
    report.row(
        1,
        format!(
            "regen, whole pipeline (median of {runs}, {})",
            settings.profile()
        ),
        ms(total),
        baseline,
        ratio(total, floor),
        settings.verdict("< 1 s", total < 1000.0),
    );
    let stages = [
        ("load", "load_ms"),
        ("normalise", "normalise_ms"),
        ("ir", "ir_ms"),
        ("plan", "plan_ms"),
        ("emit (with reading the examples)", "emit_ms"),
        ("format", "format_ms"),
        ("write (check mode: compare only)", "write_ms"),
    ];
    let mut dominant = ("", 0.0);
    for (name, field) in stages {
        let value = number(&json, field)?;
        if value > dominant.1 {
            dominant = (name, value);
        }
        report.row(
            1,
            format!("regen stage: {name}"),
            ms(value),
            ms(floor),
            ratio(value, floor),
            "",
        );
    }
    report.note(format!(
        "Regen: the dominant stage is {} ({:.0}% of the total); it produced {} files, {} lines.",
        dominant.0,
        100.0 * dominant.1 / total.max(f64::MIN_POSITIVE),
        json["generated_files"],
        count(json["generated_lines"].as_u64().unwrap_or(0)),
    ));
    Ok(())
}

/// 4: decoding a large SQL container list into the typed models against `serde_json::Value`,
/// and encoding it.
pub fn decode(bench: &Bench, settings: &Settings, report: &mut Report) -> Result<()> {
    let items = settings.decode_items.to_string();
    let runs = settings.decode_runs.to_string();
    let json = bench.json(&["decode", "--items", &items, "--runs", &runs])?;
    let size = megabytes(json["bytes"].as_u64().unwrap_or(0));
    let value = number(&json, "decode_value_mb_s")?;
    let what = format!(
        "{} SQL containers, {size}, median of {runs}",
        report::count(settings.decode_items as u64)
    );
    let mb_s = |value: f64| format!("{value:.0} MB/s");
    let runtime = number(&json, "decode_typed_runtime_mb_s")?;
    report.row(
        4,
        format!("decode into SqlContainerListResult as the client does ({what})"),
        mb_s(runtime),
        format!("{} (serde_json::Value)", mb_s(value)),
        ratio(runtime, value),
        settings.verdict(">= 0.7x", runtime >= 0.7 * value),
    );
    let typed = number(&json, "decode_typed_mb_s")?;
    report.row(
        4,
        "decode into SqlContainerListResult, plain serde_json::from_slice",
        mb_s(typed),
        mb_s(value),
        ratio(typed, value),
        "",
    );
    let encode_value = number(&json, "encode_value_mb_s")?;
    let encode_typed = number(&json, "encode_typed_mb_s")?;
    report.row(
        4,
        "encode SqlContainerListResult (azrm_runtime::json::to_vec, as the client does)",
        mb_s(encode_typed),
        format!("{} (serde_json::Value)", mb_s(encode_value)),
        ratio(encode_typed, encode_value),
        "",
    );
    Ok(())
}

/// 5: peak resident memory of a regen and of decoding the large list, each in its own
/// process, against the same process doing only the `serde_json::Value` parse.
pub fn memory(bench: &Bench, settings: &Settings, report: &mut Report) -> Result<()> {
    let (regen, how) = bench.peak_rss("regen", &[])?;
    let (parse, _) = bench.peak_rss("spec-parse", &[])?;
    report.row(
        5,
        "peak RSS of a regen",
        mebibytes(regen),
        format!("{} (parse of the same files)", mebibytes(parse)),
        ratio(regen as f64, parse as f64),
        "",
    );
    let items = settings.decode_items.to_string();
    let (typed, _) = bench.peak_rss("decode-typed", &["--items", &items])?;
    let (value, _) = bench.peak_rss("decode-value", &["--items", &items])?;
    report.row(
        5,
        format!(
            "peak RSS of decoding the {}-container list (bytes included)",
            count(settings.decode_items as u64)
        ),
        mebibytes(typed),
        format!("{} (serde_json::Value)", mebibytes(value)),
        ratio(typed as f64, value as f64),
        "",
    );
    report.note(format!(
        "Peak RSS measured with {how}, one process per figure."
    ));
    Ok(())
}
