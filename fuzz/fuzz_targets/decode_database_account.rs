//! `cargo +nightly fuzz run decode_database_account`: see `workspace_tests::fuzz_targets::decode_database_account`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = workspace_tests::fuzz_targets::decode_database_account(data);
});
