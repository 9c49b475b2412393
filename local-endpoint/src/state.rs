//! The endpoint's state, shared by its listeners: [`Shared`] (routes, settings, stored resources,
//! long-running operations, scripted lists, handlers, fault rules, request log), and
//! [`Context`], one request's view of it.

use std::sync::{Mutex, MutexGuard};

use crate::fake::Handlers;
use crate::faults::Faults;
use crate::links::Links;
use crate::operations::Operations;
use crate::pages::Pagers;
use crate::registration::Registrations;
use crate::ring::Ring;
use crate::route::Route;
use crate::served::ServedRequest;
use crate::store::Store;
use crate::sync::lock;
use crate::traffic::TrafficRecorder;

/// How the endpoint behaves, from its builder.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// The api-version every request must carry.
    pub(super) api_version: &'static str,
    /// Items per page of a pageable list (at least 1).
    pub(super) page_size: usize,
    /// Where to record the exchanges answered, polls of long-running operations left out.
    pub(super) traffic: Option<TrafficRecorder>,
}

/// Everything the listeners share: the routes and the endpoint's state.
pub(super) struct Shared {
    pub(super) routes: &'static [Route],
    pub(super) settings: Settings,
    pub(super) store: Mutex<Store>,
    pub(super) operations: Mutex<Operations>,
    pub(super) pagers: Mutex<Pagers>,
    pub(super) registrations: Mutex<Registrations>,
    pub(super) handlers: Mutex<Handlers>,
    pub(super) faults: Mutex<Faults>,
    pub(super) log: Mutex<Ring<ServedRequest>>,
}

impl Shared {
    /// An endpoint state with nothing stored, no handlers and no faults; long-running operations
    /// go into `operations`, provider registrations into `registrations`, and the log keeps the
    /// newest `log_limit` requests.
    pub(super) fn new(
        routes: &'static [Route],
        settings: Settings,
        operations: Operations,
        registrations: Registrations,
        log_limit: usize,
    ) -> Self {
        Self {
            routes,
            settings,
            store: Mutex::default(),
            operations: Mutex::new(operations),
            pagers: Mutex::default(),
            registrations: Mutex::new(registrations),
            handlers: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::new(Ring::new(log_limit)),
        }
    }
}

/// What one request needs to be answered: the shared state and the links on the listener it
/// came in on.
pub(super) struct Context<'a> {
    pub(super) shared: &'a Shared,
    pub(super) links: Links<'a>,
}

impl<'a> Context<'a> {
    /// The view of `shared` for a request that came in on the listener at `base`.
    pub(super) fn new(shared: &'a Shared, base: &'a str) -> Self {
        Self {
            shared,
            links: Links::new(base, shared.settings.api_version),
        }
    }

    /// The stored resources.
    pub(super) fn lock_store(&self) -> MutexGuard<'_, Store> {
        lock(&self.shared.store)
    }

    /// The long-running operations.
    pub(super) fn lock_operations(&self) -> MutexGuard<'_, Operations> {
        lock(&self.shared.operations)
    }

    /// The provider registrations.
    pub(super) fn lock_registrations(&self) -> MutexGuard<'_, Registrations> {
        lock(&self.shared.registrations)
    }
}
