//! `soak --requests N [--clients C]`: the endurance run of the local ARM endpoint
//! ([`workspace_tests::soak`]), run by `cargo xtask soak`. Prints what it served and the
//! process's resident memory at 10%, 50% and 100% of the run, and fails when an item was lost or
//! duplicated, a call failed unexpectedly, the endpoint kept more than its limits, or memory grew
//! by more than [`MAX_GROWTH`] after the warm-up: from 50% to 100% of the run, and from 10% too
//! when the run is long enough (at least [`LONG_RUN`] requests) for the endpoint's log and tables
//! to fill in its first 10%.

use std::process::ExitCode;

use workspace_tests::soak::{self, LOG_LIMIT, OPERATION_LIMIT, TRAFFIC_LIMIT};

/// The most the resident memory may grow from 10% to 100% of the run.
const MAX_GROWTH: f64 = 0.10;

/// Runs of at least this many requests fill the endpoint's limits in their first 10%.
const LONG_RUN: u64 = 10 * LOG_LIMIT as u64 * 2;

const USAGE: &str = "usage: soak --requests N [--clients C]";

fn main() -> ExitCode {
    let mut requests = None;
    let mut clients = 8;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|value| value.parse().ok());
        match (arg.as_str(), value) {
            ("--requests", Some(n)) => requests = Some(n),
            ("--clients", Some(n)) => clients = usize::try_from(n).unwrap_or(usize::MAX),
            _ => {
                eprintln!("{arg:?} needs a number, or is unknown; {USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(requests) = requests else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("soak: cannot start a Tokio runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let report = match runtime.block_on(soak::run(requests, clients)) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("soak: the local endpoint did not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let [before, warm, half, end] = report.rss_kib;
    println!(
        "soak: {} requests from {clients} clients in {:.2?} ({:.0} requests/s); {} listed items \
         checked, {} lists lost or duplicated an item, {} injected faults met, {} unexpected errors",
        report.requests,
        report.elapsed,
        report.requests_per_second(),
        report.items_checked,
        report.lost_or_duplicated,
        report.faults_met,
        report.unexpected_errors.len()
    );
    println!(
        "soak: RSS {before} KiB before, {warm} KiB at 10%, {half} KiB at 50%, {end} KiB at 100% \
         ({:+.1}% from 50%, {:+.1}% from 10%; at most {:.0}% after warm-up)",
        report.growth_after_warm_up() * 100.0,
        report.growth_after_ten_percent() * 100.0,
        MAX_GROWTH * 100.0
    );
    println!(
        "soak: kept {} of {LOG_LIMIT} logged requests, {} of {OPERATION_LIMIT} operations, {} of \
         {TRAFFIC_LIMIT} recorded exchanges",
        report.log_len, report.operations, report.traffic_len
    );
    let mut failures = Vec::new();
    if report.lost_or_duplicated > 0 {
        failures.push(format!(
            "{} lists lost or duplicated an item",
            report.lost_or_duplicated
        ));
    }
    failures.extend(report.unexpected_errors.iter().take(5).cloned());
    if report.log_len > LOG_LIMIT
        || report.operations > OPERATION_LIMIT
        || report.traffic_len > TRAFFIC_LIMIT
    {
        failures.push("the endpoint kept more than its limits".to_owned());
    }
    let mut growths = vec![("50%", report.growth_after_warm_up())];
    if requests >= LONG_RUN {
        growths.push(("10%", report.growth_after_ten_percent()));
    }
    for (from, growth) in growths {
        if growth > MAX_GROWTH {
            failures.push(format!(
                "resident memory grew {:.1}% from {from} of the run to its end, more than {:.0}%",
                growth * 100.0,
                MAX_GROWTH * 100.0
            ));
        }
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        for failure in failures {
            eprintln!("soak: {failure}");
        }
        ExitCode::FAILURE
    }
}
