//! Criterion benches of decoding and encoding a large SQL container list: the typed models
//! against `serde_json::Value` of the same bytes (`cargo bench -p arm-benches`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Items in the list: 10,000 gives about 12 MB, as `cargo xtask bench` measures.
const ITEMS: usize = 10_000;

fn decode(c: &mut Criterion) {
    let bytes = arm_benches::data::sql_container_list(ITEMS).expect("the list builds");
    let response = azrm_runtime::RawResponse::from_body(200, bytes.clone());
    let typed = arm_benches::decode::typed(&bytes).expect("the list decodes");
    let value = arm_benches::decode::value(&bytes).expect("the list parses");

    let mut group = c.benchmark_group("sql_container_list");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("decode/value", |b| {
        b.iter(|| arm_benches::decode::value(&bytes).expect("parses"))
    });
    group.bench_function("decode/typed", |b| {
        b.iter(|| arm_benches::decode::typed(&bytes).expect("decodes"))
    });
    group.bench_function("decode/typed-runtime", |b| {
        b.iter(|| arm_benches::decode::typed_runtime(&response).expect("decodes"))
    });
    group.bench_function("encode/value", |b| {
        b.iter(|| serde_json::to_vec(&value).expect("encodes"))
    });
    group.bench_function("encode/typed", |b| {
        b.iter(|| azrm_runtime::json::to_vec(&typed))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
