//! When and how long to wait before retrying: [`RetryOptions`], the retryable statuses,
//! exponential backoff with jitter, and the `Retry-After` family of headers.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderName, RETRY_AFTER};

use crate::response::Headers;

/// How requests are retried after throttling (429), timeouts (408), server errors (500, 502,
/// 503, 504) and connection failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryOptions {
    pub(crate) max_retries: u32,
    pub(crate) initial_delay: Duration,
    pub(crate) max_delay: Duration,
}

impl Default for RetryOptions {
    /// Three retries, starting at 800 ms and never waiting more than 60 s.
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_delay: Duration::from_millis(800),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryOptions {
    /// The defaults: three retries, starting at 800 ms and never waiting more than 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// No retries at all.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a request is retried after the first attempt.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The delay before the first retry; it doubles with each further retry (with jitter).
    pub fn initial_delay(mut self, initial_delay: Duration) -> Self {
        self.initial_delay = initial_delay;
        self
    }

    /// The longest delay between attempts. Backoff is capped at it; a response whose
    /// `Retry-After` asks for longer is not retried at all but returned as an error (see
    /// [`Error::retry_after`](crate::Error::retry_after)): retrying earlier than asked would only
    /// be throttled again.
    pub fn max_delay(mut self, max_delay: Duration) -> Self {
        self.max_delay = max_delay;
        self
    }

    /// The delay before retry number `retry` (0-based): what the service asked for in `headers`,
    /// else exponential backoff with ±20 % jitter capped at `max_delay`. `None` when the service
    /// asked for more than `max_delay`: then the request is not retried.
    pub(crate) fn delay(&self, retry: u32, headers: Option<&Headers>) -> Option<Duration> {
        match headers.and_then(retry_after) {
            Some(asked) if asked > self.max_delay => None,
            Some(asked) => Some(asked),
            None => {
                let factor = 2u32.saturating_pow(retry.min(30));
                let backoff = self.initial_delay.saturating_mul(factor).mul_f64(jitter());
                Some(backoff.min(self.max_delay))
            }
        }
    }
}

/// Whether a response with `status` is worth retrying.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

/// The delay the service asks for: `x-ms-retry-after-ms` / `retry-after-ms` (milliseconds), or
/// `Retry-After` (seconds or an HTTP date), the first of them that gives a positive wait. Zero,
/// or a date that has passed, counts as not given (as in the Go and Python Azure SDKs), so the
/// caller falls back to its backoff or poll interval instead of retrying at once.
pub(crate) fn retry_after(headers: &Headers) -> Option<Duration> {
    const MILLIS: [HeaderName; 2] = [
        HeaderName::from_static("x-ms-retry-after-ms"),
        HeaderName::from_static("retry-after-ms"),
    ];
    let millis = MILLIS
        .into_iter()
        .filter_map(|name| headers.get_known(&name)?.trim().parse::<u64>().ok())
        .map(Duration::from_millis);
    let seconds = headers.get_known(&RETRY_AFTER).and_then(|value| {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        let format = &time::format_description::well_known::Rfc2822;
        let date = time::OffsetDateTime::parse(value, format).ok()?;
        SystemTime::from(date)
            .duration_since(SystemTime::now())
            .ok()
    });
    millis.chain(seconds).find(|wait| !wait.is_zero())
}

/// A factor in `[0.8, 1.2)`, different on every call.
fn jitter() -> f64 {
    let random = RandomState::new().build_hasher().finish();
    0.8 + 0.4 * (random as f64 / u64::MAX as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &str)]) -> Headers {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        Headers::new(map)
    }

    #[test]
    fn retry_after_reads_milliseconds_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[
                ("retry-after", "7"),
                ("x-ms-retry-after-ms", "250")
            ])),
            Some(Duration::from_millis(250))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after-ms", "40")])),
            Some(Duration::from_millis(40))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "3")])),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            retry_after(&headers(&[(
                "retry-after",
                "Sun, 06 Nov 1994 08:49:37 GMT"
            )])),
            None,
            "a date in the past is no wait"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "0")])), None);
        assert_eq!(
            retry_after(&headers(&[
                ("x-ms-retry-after-ms", "0"),
                ("retry-after", "2")
            ])),
            Some(Duration::from_secs(2)),
            "a zero header gives way to the next"
        );
        let future = time::OffsetDateTime::now_utc() + time::Duration::hours(1);
        let text = future
            .format(&time::format_description::well_known::Rfc2822)
            .unwrap();
        let wait = retry_after(&headers(&[("retry-after", &text)])).unwrap();
        assert!(
            wait > Duration::from_secs(3500) && wait <= Duration::from_secs(3600),
            "{wait:?}"
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let options = RetryOptions::new()
            .initial_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        let first = options.delay(0, None).unwrap();
        assert!(
            first >= Duration::from_millis(80) && first < Duration::from_millis(120),
            "{first:?}"
        );
        let third = options.delay(2, None).unwrap();
        assert!(
            third >= Duration::from_millis(320) && third < Duration::from_millis(480),
            "{third:?}"
        );
        assert_eq!(options.delay(20, None), Some(Duration::from_secs(1)));
        let asked = headers(&[("retry-after", "120")]);
        assert_eq!(
            options.delay(0, Some(&asked)),
            None,
            "longer than max_delay: no retry"
        );
        let asked = headers(&[("retry-after", "1")]);
        assert_eq!(options.delay(0, Some(&asked)), Some(Duration::from_secs(1)));
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(is_retryable_status(status));
        }
        for status in [200, 400, 401, 404, 409, 501] {
            assert!(!is_retryable_status(status));
        }
    }
}
