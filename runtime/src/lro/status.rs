//! [`PollerStatus`]: the status of a long-running operation as the service reports it, typed.

use std::fmt;

/// The status of a long-running operation: what the status resource's `status` says, or the
/// resource's `provisioningState` while the resource itself is polled.
///
/// Names are matched without regard to case, and `Cancelled` is [`PollerStatus::Canceled`]. Any
/// other value (`Creating`, `Updating`, `Deleting`, `Accepted`...) is
/// [`PollerStatus::Other`] and means the operation is still running.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PollerStatus {
    /// Still running.
    InProgress,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Canceled before it finished.
    Canceled,
    /// Another status the service reported, as it spelled it: still running.
    Other(String),
}

impl PollerStatus {
    /// The status the service reported as `text`.
    pub fn parse(text: &str) -> Self {
        let known = [
            ("InProgress", PollerStatus::InProgress),
            ("Succeeded", PollerStatus::Succeeded),
            ("Failed", PollerStatus::Failed),
            ("Canceled", PollerStatus::Canceled),
            ("Cancelled", PollerStatus::Canceled),
        ];
        known
            .into_iter()
            .find(|(name, _)| text.eq_ignore_ascii_case(name))
            .map_or_else(
                || PollerStatus::Other(text.to_owned()),
                |(_, status)| status,
            )
    }

    /// The status as text: the variant's name, or the service's own spelling for
    /// [`PollerStatus::Other`].
    pub fn as_str(&self) -> &str {
        match self {
            PollerStatus::InProgress => "InProgress",
            PollerStatus::Succeeded => "Succeeded",
            PollerStatus::Failed => "Failed",
            PollerStatus::Canceled => "Canceled",
            PollerStatus::Other(text) => text,
        }
    }

    /// Whether the operation has finished: [`PollerStatus::Succeeded`], [`PollerStatus::Failed`]
    /// or [`PollerStatus::Canceled`].
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            PollerStatus::Succeeded | PollerStatus::Failed | PollerStatus::Canceled
        )
    }
}

impl fmt::Display for PollerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::PollerStatus;

    #[test]
    fn statuses_are_read_without_regard_to_case_and_unknown_ones_kept() {
        assert_eq!(PollerStatus::parse("succeeded"), PollerStatus::Succeeded);
        assert_eq!(PollerStatus::parse("INPROGRESS"), PollerStatus::InProgress);
        assert_eq!(PollerStatus::parse("Cancelled"), PollerStatus::Canceled);
        assert_eq!(PollerStatus::parse("Failed"), PollerStatus::Failed);
        let creating = PollerStatus::parse("Creating");
        assert_eq!(creating, PollerStatus::Other("Creating".to_owned()));
        assert_eq!(creating.to_string(), "Creating");
        assert!(!creating.is_terminal());
        assert!(PollerStatus::Canceled.is_terminal());
    }
}
