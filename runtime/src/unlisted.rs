//! [`UnlistedValue`]: a closed enum's value that the api-version a crate was generated from does
//! not list, as the service sent it.

use std::fmt;

/// A value of a closed enum (`x-ms-enum.modelAsString: false`) that this api-version does not
/// list, kept as the service sent it so that a response still decodes and the value goes back
/// unchanged in a later request.
///
/// Only the runtime's decoder makes one ([`crate::json::closed_enum`]): user code can pass an
/// unlisted value on, but cannot invent one for a request.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnlistedValue(String);

impl UnlistedValue {
    /// Made by the decoder only.
    pub(crate) fn new(value: &str) -> Self {
        Self(value.to_owned())
    }

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
