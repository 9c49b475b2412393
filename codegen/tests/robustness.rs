//! Robustness: deterministic mutations of valid specs (a key dropped, a value replaced by one of
//! the wrong type, a `$ref` pointed elsewhere, dangling or at the document itself, an unknown
//! format, a name made awkward), on the small fixtures and on the real spec, go through the whole
//! pipeline (load, normalise, IR, emit, format) and must give either files that are valid Rust
//! (each parses with `syn`) or a typed error naming the spec file and the JSON pointer of the
//! offending value (which exists in that file, or its parent does); never a panic, and never an
//! error from the format stage, which means the emitter wrote code that does not parse.
//!
//! A mutant of the real spec changes a few of its 80 files: the unmutated spec's files are
//! formatted once, and a mutant's files with the same tokens are not formatted again, which keeps
//! the test within seconds.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use azrm_codegen::Error;
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

/// The files the generator emits for the spec `inputs` (load, normalise, IR, examples, emit),
/// by path, not yet formatted.
fn emitted(
    inputs: &[PathBuf],
    settings: &azrm_codegen::emit::EmitSettings,
) -> azrm_codegen::Result<BTreeMap<String, proc_macro2::TokenStream>> {
    let api = azrm_codegen::read_api(inputs)?;
    let examples = azrm_codegen::examples::load_examples(&api)?;
    let plan = azrm_codegen::plan::Plan::new(&api, &Default::default());
    Ok(azrm_codegen::emit::emit(&plan, &examples, settings)
        .into_iter()
        .map(|file| (file.path, file.tokens))
        .collect())
}

/// The header's provenance for a mutant.
fn provenance(doc: &Value) -> azrm_codegen::format::Provenance {
    azrm_codegen::format::Provenance {
        title: "mutant".into(),
        api_version: api_version(doc),
        input_hash: String::new(),
    }
}

/// The mutant's `info.version` when it is a string, so that the only config check generation
/// makes (the configured api-version is the spec's) passes and the spec itself is what is tested.
fn api_version(doc: &Value) -> String {
    doc.pointer("/info/version")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// What the generator made of the mutants so far.
#[derive(Default)]
struct Outcomes {
    /// Mutants that generated files, every one valid Rust.
    generated: usize,
    /// Mutants rejected with a typed error naming the file and pointer.
    rejected: usize,
    /// Every other outcome: a panic, a file that does not parse, an error without its place.
    unsound: Vec<String>,
}

impl Outcomes {
    /// Runs the generator on one mutant (`what` says which) and checks its outcome; the spec's
    /// files are under `dir`.
    fn record(
        &mut self,
        what: &str,
        dir: &Path,
        generate: impl FnOnce() -> azrm_codegen::Result<Vec<(String, String)>>,
    ) {
        match catch_unwind(AssertUnwindSafe(generate)) {
            Ok(Ok(files)) => match files.iter().find_map(|(path, text)| {
                syn::parse_file(text)
                    .err()
                    .map(|error| format!("{path}: {error}"))
            }) {
                None => self.generated += 1,
                Some(error) => self.unsound.push(format!(
                    "{what}: generated Rust that does not parse: {error}"
                )),
            },
            Ok(Err(error)) => match located(&error, dir) {
                Ok(()) => self.rejected += 1,
                Err(problem) => self.unsound.push(format!("{what}: {problem}: {error}")),
            },
            Err(_) => self.unsound.push(format!("{what}: panicked")),
        }
    }

    fn summary(&self) -> String {
        format!(
            "{} generated valid Rust, {} rejected with a located error, {} unsound",
            self.generated,
            self.rejected,
            self.unsound.len()
        )
    }

    /// Every one of `mutants` mutants was either generated or rejected with a located error.
    fn assert_sound(&self, mutants: usize) {
        assert!(
            self.unsound.is_empty(),
            "unsound outcomes:\n{}",
            self.unsound.join("\n")
        );
        assert_eq!(self.generated + self.rejected, mutants);
        assert!(
            self.generated > 0 && self.rejected > 0,
            "{}",
            self.summary()
        );
    }
}

/// Whether `error` names a spec file under `dir` and a JSON pointer into it that exists (or whose
/// parent does, for a value that is missing), both in its message.
fn located(error: &Error, dir: &Path) -> Result<(), &'static str> {
    let (file, pointer) = match error {
        Error::Shape { file, pointer, .. }
        | Error::DanglingRef { file, pointer, .. }
        | Error::RefCycle { file, pointer, .. }
        | Error::Unsupported { file, pointer, .. }
        | Error::InvalidPattern { file, pointer, .. }
        | Error::Operation { file, pointer, .. } => (file, pointer),
        Error::Emit { .. } => return Err("the format stage refused the emitted code"),
        _ => return Err("an error without a JSON pointer"),
    };
    let message = error.to_string();
    if !file.starts_with(dir) || !message.contains(&file.display().to_string()) {
        return Err("the error does not name the spec file");
    }
    if !message.contains(&format!("#{pointer}")) {
        return Err("the error's message does not give its pointer");
    }
    let doc: Value = std::fs::read(file)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .ok_or("the file the error names cannot be read")?;
    let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
    if doc.pointer(pointer).is_none() && doc.pointer(parent).is_none() {
        return Err("the error's pointer is not in the file");
    }
    Ok(())
}

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn mutated_fixtures_give_valid_rust_or_a_located_error() {
    const PER_FIXTURE: usize = 50;
    let fixtures = [
        "discriminator.json",
        "long_running.json",
        "constrained_param.json",
        "all_of_chain.json",
        "secret.json",
    ];
    let dir: PathBuf =
        std::env::temp_dir().join(format!("azrm-codegen-robustness-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut outcomes = Outcomes::default();
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
            let config = azrm_codegen::Config {
                crate_name: "mutant".into(),
                api_version: api_version(&doc),
                output: PathBuf::from("out"),
                inputs: vec![PathBuf::from(&file)],
                spec_dir: dir.clone(),
                ..Default::default()
            };
            let what = format!("{file}: {}", steps.join("; "));
            outcomes.record(&what, &dir, || {
                azrm_codegen::output::generate(&config, &mut Default::default())
                    .map(|(files, _)| files)
            });
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!("{}", outcomes.summary());
    outcomes.assert_sound(fixtures.len() * PER_FIXTURE);
}

#[test]
fn mutated_real_specs_give_valid_rust_or_a_located_error() {
    const MUTANTS: usize = 40;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let regen = azrm_codegen::Config::read(&root.join("spec/regen.yaml")).unwrap();
    let set = azrm_codegen::load::load(&regen.input_paths()).unwrap();
    let spec_dir = azrm_codegen::load::normalise_path(&regen.spec_dir);
    let dir: PathBuf = std::env::temp_dir().join(format!(
        "azrm-codegen-robustness-real-{}",
        std::process::id()
    ));
    // Every file the spec loads, in its layout, so relative `$ref`s still resolve.
    for (path, file) in &set.files {
        let target = dir.join(path.strip_prefix(&spec_dir).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, &file.bytes).unwrap();
    }
    let input = dir.join(&regen.inputs[0]);
    let original: Value = serde_json::from_slice(&std::fs::read(&input).unwrap()).unwrap();
    let settings = azrm_codegen::emit::EmitSettings {
        crate_name: "mutant".into(),
        fake_feature: Some("fake".into()),
        about: None,
        readme: None,
    };
    // The unmutated spec's files, formatted once: a mutant's file with the same tokens would
    // format the same.
    let mut outcomes = Outcomes::default();
    let mut unmutated = BTreeMap::new();
    outcomes.record("the unmutated spec", &dir, || {
        let provenance = provenance(&original);
        emitted(std::slice::from_ref(&input), &settings)?
            .into_iter()
            .map(|(path, tokens)| {
                unmutated.insert(path.clone(), tokens.to_string());
                let text = azrm_codegen::format::format_file(&path, tokens, &provenance)?;
                Ok((path, text))
            })
            .collect()
    });
    let mut rng = Rng(0x5eed_cafe_0000_0002);
    for index in 0..MUTANTS {
        let mut doc = original.clone();
        let steps: Vec<String> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut doc, &mut rng))
            .collect();
        std::fs::write(&input, serde_json::to_vec(&doc).unwrap()).unwrap();
        let what = format!("mutant {index}: {}", steps.join("; "));
        outcomes.record(&what, &dir, || {
            let provenance = provenance(&doc);
            emitted(std::slice::from_ref(&input), &settings)?
                .into_iter()
                .filter(|(path, tokens)| unmutated.get(path) != Some(&tokens.to_string()))
                .map(|(path, tokens)| {
                    let text = azrm_codegen::format::format_file(&path, tokens, &provenance)?;
                    Ok((path, text))
                })
                .collect()
        });
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!(
        "the real spec and {MUTANTS} mutants of it: {}",
        outcomes.summary()
    );
    outcomes.assert_sound(MUTANTS + 1);
}
