//! A short endurance run of the local ARM endpoint (`workspace_tests::soak`, the body of
//! `cargo xtask soak`): mixed operations from several clients lose and duplicate no listed item,
//! fail only where a fault was injected, and leave the endpoint's request log, long-running
//! operation table and traffic recorder at their limits, not past them. Counts, not times: the
//! Tokio clock is paused.

use workspace_tests::soak::{self, LOG_LIMIT, OPERATION_LIMIT, TRAFFIC_LIMIT};

#[tokio::test(start_paused = true)]
async fn a_short_endurance_run_loses_nothing_and_keeps_the_endpoint_within_its_limits() {
    let requests = LOG_LIMIT as u64 + 500;
    let report = soak::run(requests, 4).await.expect("the endpoint starts");
    assert!(report.requests >= requests, "{report:?}");
    assert_eq!(report.unexpected_errors, Vec::<String>::new());
    assert_eq!(report.lost_or_duplicated, 0);
    assert!(report.items_checked > 1_000, "{report:?}");
    assert!(report.faults_met > 50, "{report:?}");
    assert_eq!(report.log_len, LOG_LIMIT);
    assert_eq!(report.traffic_len, TRAFFIC_LIMIT);
    assert!(
        report.operations > 0 && report.operations <= OPERATION_LIMIT,
        "{report:?}"
    );
    assert!(report.rss_kib.iter().all(|&kib| kib > 0), "{report:?}");
}
