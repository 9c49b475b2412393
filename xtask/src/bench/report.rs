//! The one table every section adds rows to, printed at the end and written to
//! `BENCHMARKS.md`.

use std::fmt::Write as _;

/// One row: a figure beside the baseline measured in the same run.
#[derive(Debug, Clone)]
pub struct Row {
    /// The measurement's number in the issue (1 to 5).
    pub part: u8,
    /// What was measured.
    pub measurement: String,
    /// Our figure.
    pub value: String,
    /// The baseline's figure, measured in the same run.
    pub baseline: String,
    /// Our figure over the baseline's (or `-` when there is none).
    pub ratio: String,
    /// The target and whether the run met it.
    pub target: String,
}

/// Every row of the run, and notes printed under the table.
#[derive(Debug, Default)]
pub struct Report {
    /// The rows, in the order measured.
    pub rows: Vec<Row>,
    /// Remarks: what was skipped, what could not run and why.
    pub notes: Vec<String>,
}

impl Report {
    /// Adds a row.
    pub fn row(
        &mut self,
        part: u8,
        measurement: impl Into<String>,
        value: impl Into<String>,
        baseline: impl Into<String>,
        ratio: impl Into<String>,
        target: impl Into<String>,
    ) {
        self.rows.push(Row {
            part,
            measurement: measurement.into(),
            value: value.into(),
            baseline: baseline.into(),
            ratio: ratio.into(),
            target: target.into(),
        });
    }

    /// Adds a note.
    pub fn note(&mut self, note: impl Into<String>) {
        self.notes.push(note.into());
    }

    /// The table as Markdown.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| # | measurement | ours | baseline (same run) | ratio | target |\n\
             |---|---|---|---|---|---|\n",
        );
        for row in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                row.part,
                cell(&row.measurement),
                cell(&row.value),
                cell(&row.baseline),
                cell(&row.ratio),
                cell(&row.target)
            );
        }
        out
    }

    /// The notes as a Markdown list (empty when there are none).
    pub fn notes(&self) -> String {
        self.notes
            .iter()
            .map(|note| format!("- {note}\n"))
            .collect()
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// `value / baseline` as `1.23x`, or `-` when the baseline is zero.
pub fn ratio(value: f64, baseline: f64) -> String {
    if baseline > 0.0 && value.is_finite() {
        format!("{:.2}x", value / baseline)
    } else {
        "-".to_owned()
    }
}

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Milliseconds with one decimal.
pub fn ms(value: f64) -> String {
    format!("{value:.1} ms")
}

/// Seconds with one decimal.
pub fn secs(value: f64) -> String {
    format!("{value:.1} s")
}

/// Microseconds without decimals, or milliseconds with one decimal from 10 ms on.
pub fn micros(seconds: f64) -> String {
    if seconds >= 0.01 {
        format!("{:.1} ms", seconds * 1e3)
    } else {
        format!("{:.0} µs", seconds * 1e6)
    }
}

/// A count with thousands separators.
pub fn count(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Bytes as MB (10^6) with one decimal.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// KiB as MiB with one decimal.
pub fn mebibytes(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// Whether `met` holds, as the target column says it.
pub fn verdict(target: &str, met: bool) -> String {
    format!("{target}: {}", if met { "met" } else { "not met" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ratios_read_well() {
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(count(999), "999");
        assert_eq!(ratio(3.0, 2.0), "1.50x");
        assert_eq!(ratio(3.0, 0.0), "-");
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn the_table_escapes_pipes() {
        let mut report = Report::default();
        report.row(1, "a|b", "1", "2", "0.50x", "");
        assert!(report.table().contains("a\\|b"));
    }
}
