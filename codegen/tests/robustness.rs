//! Robustness: deterministic mutations of valid specs (a key dropped, a value replaced by one of
//! the wrong type, a `$ref` pointed elsewhere, dangling or at the document itself, an unknown
//! format, a name made awkward) must make the generator return `Ok` or `Err`, never panic: on
//! the small fixtures through the whole pipeline, and on the real spec through load, normalise,
//! IR and emit.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// xorshift64*: tiny, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// JSON pointers of every value in `value` (the root excluded).
fn pointers(value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{at}/{}", escape(key));
                out.push(pointer.clone());
                pointers(child, &pointer, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{at}/{index}");
                out.push(pointer.clone());
                pointers(child, &pointer, out);
            }
        }
        _ => {}
    }
}

fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::from(42),
        Value::Number(_) => Value::from("not a number"),
        Value::Bool(_) => Value::Array(Vec::new()),
        Value::Array(_) => Value::Object(Default::default()),
        Value::Object(_) => Value::from("not an object"),
        Value::Null => Value::Bool(true),
    }
}

const AWKWARD: &[&str] = &[
    "", "_", "Self", "self", "type", "Params", "Common", "1.0", "*", "a b", "Other", "(",
];

/// Applies one mutation to `doc`; returns what it did.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    pointers(doc, "", &mut all);
    let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
    let target = all[rng.below(all.len())].clone();
    match rng.below(5) {
        4 => {
            // A format no generator knows, on a random schema-like object.
            let objects: Vec<&String> = all
                .iter()
                .filter(|p| doc.pointer(p).is_some_and(|v| v.get("type").is_some()))
                .collect();
            let Some(pointer) = objects.get(rng.below(objects.len().max(1))).cloned() else {
                return "nothing".into();
            };
            let pointer = pointer.clone();
            if let Some(Value::Object(map)) = doc.pointer_mut(&pointer) {
                map.insert("format".into(), Value::from("x-unknown-format"));
            }
            format!("{pointer}/format = \"x-unknown-format\"")
        }
        0 => {
            let (parent, key) = target.rsplit_once('/').unwrap();
            let key = key.replace("~1", "/").replace("~0", "~");
            match doc.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = key.parse::<usize>() {
                        items.remove(index);
                    }
                }
                _ => {}
            }
            format!("drop {target}")
        }
        1 => {
            let slot = doc.pointer_mut(&target).unwrap();
            *slot = wrong_type(slot);
            format!("wrong type at {target}")
        }
        2 if !refs.is_empty() => {
            let slot_pointer = refs[rng.below(refs.len())].clone();
            let new_target = match rng.below(4) {
                0 => format!("#{}", all[rng.below(all.len())]),
                1 => "#/definitions/Nope".to_owned(),
                2 => "./missing.json#/definitions/X".to_owned(),
                _ => "#".to_owned(),
            };
            *doc.pointer_mut(&slot_pointer).unwrap() = Value::from(new_target.clone());
            format!("{slot_pointer} = {new_target:?}")
        }
        _ => {
            let name = AWKWARD[rng.below(AWKWARD.len())];
            let strings: Vec<&String> = all
                .iter()
                .filter(|p| doc.pointer(p).is_some_and(Value::is_string))
                .collect();
            let Some(pointer) = strings.get(rng.below(strings.len().max(1))).cloned() else {
                return "nothing".into();
            };
            let pointer = pointer.clone();
            *doc.pointer_mut(&pointer).unwrap() = Value::from(name);
            format!("{pointer} = {name:?}")
        }
    }
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn mutated_specs_never_panic() {
    const PER_FIXTURE: usize = 50;
    let fixtures = [
        "discriminator.json",
        "long_running.json",
        "constrained_param.json",
        "all_of_chain.json",
        "secret.json",
    ];
    let dir: PathBuf =
        std::env::temp_dir().join(format!("arm-codegen-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let (mut ok, mut err, mut panics) = (0, 0, Vec::new());
    for name in fixtures {
        let original = fixture(name);
        for index in 0..PER_FIXTURE {
            let mut doc = original.clone();
            // One to three mutations each.
            let steps: Vec<String> = (0..1 + rng.below(3))
                .map(|_| mutate(&mut doc, &mut rng))
                .collect();
            let file = format!("{}-{index}.json", name.trim_end_matches(".json"));
            std::fs::write(dir.join(&file), serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
            let config = arm_codegen::Config {
                crate_name: "mutant".into(),
                api_version: "2024-01-01".into(),
                output: PathBuf::from("out"),
                inputs: vec![PathBuf::from(&file)],
                spec_dir: dir.clone(),
                ..Default::default()
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                arm_codegen::output::generate(&config, &mut Default::default())
            }));
            match result {
                Ok(Ok(_)) => ok += 1,
                Ok(Err(_)) => err += 1,
                Err(_) => panics.push(format!("{file}: {}", steps.join("; "))),
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!(
        "{} mutants: {ok} generated, {err} rejected, {} panicked",
        ok + err + panics.len(),
        panics.len()
    );
    assert!(
        panics.is_empty(),
        "generate panicked on:\n{}",
        panics.join("\n")
    );
    assert_eq!(ok + err, fixtures.len() * PER_FIXTURE);
}

#[test]
fn mutated_real_specs_never_panic() {
    const MUTANTS: usize = 40;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let config = arm_codegen::Config::read(&root.join("spec/regen.yaml")).unwrap();
    let set = arm_codegen::load::load(&config.input_paths()).unwrap();
    let spec_dir = arm_codegen::load::normalise_path(&config.spec_dir);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "arm-codegen-robustness-real-{}",
        std::process::id()
    ));
    // Every file the spec loads, in its layout, so relative `$ref`s still resolve.
    for (path, file) in &set.files {
        let target = dir.join(path.strip_prefix(&spec_dir).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.bytes).unwrap();
    }
    let input = dir.join(&config.inputs[0]);
    let original: Value = serde_json::from_slice(&std::fs::read(&input).unwrap()).unwrap();
    let settings = arm_codegen::emit::EmitSettings {
        crate_name: "mutant".into(),
        fake_feature: Some("fake".into()),
        about: None,
    };
    let mut rng = Rng(0x5eed_cafe_0000_0002);
    let (mut ok, mut err, mut panics) = (0, 0, Vec::new());
    for index in 0..MUTANTS {
        let mut doc = original.clone();
        let steps: Vec<String> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut doc, &mut rng))
            .collect();
        std::fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
        let result = catch_unwind(AssertUnwindSafe(|| {
            let api = arm_codegen::read_api(std::slice::from_ref(&input))?;
            let examples = arm_codegen::examples::load_examples(&api)?;
            let plan = arm_codegen::plan::Plan::new(&api, &Default::default());
            Ok::<_, arm_codegen::Error>(arm_codegen::emit::emit(&plan, &examples, &settings).len())
        }));
        match result {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(_)) => err += 1,
            Err(_) => panics.push(format!("mutant {index}: {}", steps.join("; "))),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!(
        "{MUTANTS} mutants of the real spec: {ok} emitted, {err} rejected, {} panicked",
        panics.len()
    );
    assert!(
        panics.is_empty(),
        "the generator panicked on:\n{}",
        panics.join("\n")
    );
    assert_eq!(ok + err, MUTANTS);
}
