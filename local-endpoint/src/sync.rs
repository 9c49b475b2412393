//! [`lock`]: the one way the endpoint locks its mutexes, going on past a panicking handler.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, going on with the data if a panicking handler poisoned it.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
