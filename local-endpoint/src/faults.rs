//! [`FaultRule`]: failures the endpoint injects into chosen requests (error statuses, delays,
//! reset connections, truncated bodies), and the counting that decides when a rule fires.

use std::time::Duration;

/// What goes wrong with a request a [`FaultRule`] fires for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer `status` with an ARM error body (code `TooManyRequests` for 429,
    /// `ServiceUnavailable` for 503, ...) and `Retry-After: retry_after` seconds when given.
    /// Nothing else happens: the request is not authenticated, validated or stored.
    Status {
        /// The HTTP status, such as 429 or 503.
        status: u16,
        /// The `Retry-After` header value in seconds.
        retry_after: Option<u32>,
    },
    /// Work out the answer (and log the request) at once, but send it only after this long.
    Delay(Duration),
    /// Close the connection before sending any response byte.
    ResetConnection,
    /// Answer normally, but declare the whole body's `Content-Length`, send only its first half
    /// and close the connection. A response without a body is sent whole.
    TruncatedBody,
}

/// Which of the matching requests a rule fires for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Occurrence {
    Every,
    Nth(u32),
    First(u32),
}

/// A fault and the requests it applies to; add one with
/// [`LocalEndpoint::add_fault`](crate::LocalEndpoint::add_fault).
///
/// A rule matches requests by operation id and/or a path fragment (both optional: a rule with
/// neither matches every request) and counts them; it fires for every match, the first `k`, or
/// only the `n`-th. Every rule counts each request it matches; the first rule (in the order
/// added) that fires decides the fault. Faults apply before anything else: authentication,
/// validation, handlers and storage.
///
/// ```
/// use azrm_local_endpoint::{Fault, FaultRule};
/// // Throttle the first two reads of widgets, asking the client to retry at once.
/// let rule = FaultRule::new(Fault::Status { status: 429, retry_after: Some(0) })
///     .operation("Widgets_Get")
///     .first(2);
/// # let _ = rule;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    operation_id: Option<String>,
    path_fragment: Option<String>,
    occurrence: Occurrence,
}

impl FaultRule {
    /// A rule injecting `fault` into every request, until narrowed.
    pub fn new(fault: Fault) -> Self {
        Self {
            fault,
            operation_id: None,
            path_fragment: None,
            occurrence: Occurrence::Every,
        }
    }

    /// Matches only requests routed to `operation_id`.
    pub fn operation(mut self, operation_id: impl Into<String>) -> Self {
        self.operation_id = Some(operation_id.into());
        self
    }

    /// Matches only requests whose path (without the query) contains `fragment`, ignoring case.
    pub fn path_contains(mut self, fragment: impl Into<String>) -> Self {
        self.path_fragment = Some(fragment.into().to_ascii_lowercase());
        self
    }

    /// Fires for every matching request (the default).
    pub fn every(mut self) -> Self {
        self.occurrence = Occurrence::Every;
        self
    }

    /// Fires for the first `count` matching requests only.
    pub fn first(mut self, count: u32) -> Self {
        self.occurrence = Occurrence::First(count);
        self
    }

    /// Fires for the `n`-th matching request only (counting from 1).
    pub fn nth(mut self, n: u32) -> Self {
        self.occurrence = Occurrence::Nth(n);
        self
    }

    fn matches(&self, operation_id: Option<&str>, path: &str) -> bool {
        let operation_matches = match &self.operation_id {
            Some(wanted) => operation_id == Some(wanted.as_str()),
            None => true,
        };
        let path_matches = match &self.path_fragment {
            Some(fragment) => path.to_ascii_lowercase().contains(fragment.as_str()),
            None => true,
        };
        operation_matches && path_matches
    }

    /// Whether the rule fires for its `seen`-th match (counting from 1).
    fn fires(&self, seen: u32) -> bool {
        match self.occurrence {
            Occurrence::Every => true,
            Occurrence::First(count) => seen <= count,
            Occurrence::Nth(n) => seen == n,
        }
    }
}

/// The rules added so far, each with how many requests it matched.
#[derive(Debug, Default)]
pub(super) struct Faults {
    rules: Vec<(FaultRule, u32)>,
}

impl Faults {
    /// Adds `rule` after the others.
    pub(super) fn add(&mut self, rule: FaultRule) {
        self.rules.push((rule, 0));
    }

    /// Counts the request with every rule it matches and returns the fault of the first rule
    /// that fires.
    pub(super) fn pick(&mut self, operation_id: Option<&str>, path: &str) -> Option<Fault> {
        let mut picked = None;
        for (rule, seen) in &mut self.rules {
            if !rule.matches(operation_id, path) {
                continue;
            }
            *seen = seen.saturating_add(1);
            if picked.is_none() && rule.fires(*seen) {
                picked = Some(rule.fault.clone());
            }
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_count_their_matches_and_fire_as_told() {
        let mut faults = Faults::default();
        faults.add(FaultRule::new(Fault::ResetConnection).operation("A").nth(2));
        faults.add(
            FaultRule::new(Fault::TruncatedBody)
                .path_contains("/WIDGETS/")
                .first(1),
        );
        // Matches both rules; the second fires (its first match), the first does not yet.
        assert_eq!(
            faults.pick(Some("A"), "/x/widgets/w"),
            Some(Fault::TruncatedBody)
        );
        // The first rule's second match fires; the second rule counts but is past its first.
        assert_eq!(
            faults.pick(Some("A"), "/x/widgets/w"),
            Some(Fault::ResetConnection)
        );
        assert_eq!(faults.pick(Some("A"), "/x/widgets/w"), None);
        assert_eq!(faults.pick(Some("B"), "/other"), None);
    }
}
