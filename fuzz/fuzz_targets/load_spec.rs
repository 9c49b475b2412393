//! `cargo +nightly fuzz run load_spec`: see `workspace_tests::fuzz_targets::load_spec`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = workspace_tests::fuzz_targets::load_spec(data);
});
