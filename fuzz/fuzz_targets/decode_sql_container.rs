//! `cargo +nightly fuzz run decode_sql_container`: see `workspace_tests::fuzz_targets::decode_sql_container`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = workspace_tests::fuzz_targets::decode_sql_container(data);
});
