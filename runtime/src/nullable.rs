//! [`Nullable`]: an optional model property that can also be sent as JSON `null`, for the
//! properties where the spec allows it (a `PATCH` body's, `x-nullable: true`).

/// An optional property that is either left out, sent as `null`, or sent with a value.
///
/// Generated models use it only where `null` means something: in a merge-patch `PATCH` body
/// (RFC 7396) `null` removes the property on the service while leaving it out keeps what the
/// service has; a property marked `x-nullable: true` may hold `null` on the wire. Every other
/// optional property is an `Option`, where `None` leaves it out.
///
/// Decoding gives `Absent` for a missing property, `Null` for `null` and `Value` otherwise, so a
/// value read and sent back is unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Left out: in a `PATCH`, the service keeps the value it has.
    #[default]
    Absent,
    /// Sent as `null`: in a `PATCH`, the service removes the value.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// The value, if there is one (`Absent` and `Null` have none).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, taken out.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// Whether the property is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// A `Nullable` of a reference to the value.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(value),
        }
    }

    /// A `Nullable` of the value's `Deref` target (`&str` for a `String`).
    pub fn as_deref(&self) -> Nullable<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.as_ref().map(|value| &**value)
    }

    /// The value changed by `f`; `Absent` and `Null` stay as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Self::Absent => Nullable::Absent,
            Self::Null => Nullable::Null,
            Self::Value(value) => Nullable::Value(f(value)),
        }
    }

    /// The value, set first to `f()` when there is none.
    pub fn get_or_insert_with(&mut self, f: impl FnOnce() -> T) -> &mut T {
        if !matches!(self, Self::Value(_)) {
            *self = Self::Value(f());
        }
        match self {
            Self::Value(value) => value,
            // Set to `Value` just above.
            Self::Absent | Self::Null => unreachable!("the value was just set"),
        }
    }
}

/// A property that was present on the wire: `None` (JSON `null`) is `Null`.
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[test]
    fn states_and_conversions() {
        let absent: Nullable<String> = Nullable::default();
        assert!(absent.is_absent() && absent.value().is_none());
        assert!(Nullable::<String>::from(None).is_null());
        let value = Nullable::from("a".to_owned());
        assert_eq!(value.as_deref(), Nullable::Value("a"));
        assert_eq!(value.map(|text| text.len()), Nullable::Value(1));
        let mut null = Nullable::<Vec<u8>>::Null;
        null.get_or_insert_with(Vec::new).push(1);
        assert_eq!(null.into_value(), Some(vec![1]));
    }
}
