//! `cargo +nightly fuzz run decode_error_response`: see `workspace_tests::fuzz_targets::decode_error_response`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = workspace_tests::fuzz_targets::decode_error_response(data);
});
