//! `cargo +nightly fuzz run decode_list_page`: see `workspace_tests::fuzz_targets::decode_list_page`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = workspace_tests::fuzz_targets::decode_list_page(data);
});
