//! A typed `Response` costs no allocation beyond decoding the model: it moves the status and
//! headers out of the raw response and drops the body, and a call without options carries no
//! options allocation either. Counted with a counting global allocator (this test binary only).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use azrm_runtime::{CallOptions, Method, RawResponse, Request, Response};

/// The system allocator, counting the allocations of the current thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: the thread-local may be gone while a thread shuts down.
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations `f` makes on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let before = ALLOCATIONS.with(Cell::get);
    let value = f();
    (ALLOCATIONS.with(Cell::get) - before, value)
}

const BODY: &[u8] = br#"{"name":"acct","tags":{"a":"b","c":"d"},"values":[1,2,3]}"#;

#[test]
fn a_typed_response_allocates_no_more_than_decoding_the_model() {
    let raw = RawResponse::from_body(200, BODY.to_vec());
    let (bare, model) = allocations(|| raw.json::<serde_json::Value>("Op").unwrap());
    drop(model);
    let raw = RawResponse::from_body(200, BODY.to_vec());
    let (typed, response): (usize, Response<serde_json::Value>) =
        allocations(|| raw.into_response("Op").unwrap());
    assert!(bare > 0);
    assert_eq!(typed, bare, "the Response allocated beyond the model");
    assert_eq!(response["name"], "acct");
    let (into_model, model) = allocations(|| response.into_model());
    assert_eq!(into_model, 0);
    assert_eq!(model["values"][2], 3);
}

#[test]
fn a_call_without_options_allocates_none() {
    let (count, request) = allocations(|| {
        Request::new("Op", Method::Get, "/x", &[], "v", &[200]).with_call(CallOptions::default())
    });
    // The path's `String` only.
    assert_eq!(count, 1);
    let (cloned, _copy) = allocations(|| request.clone());
    assert_eq!(cloned, 1, "cloning the request copied more than its path");
}
