//! Stage 1, **load**: reads Swagger 2.0 files (JSON or YAML) into typed [`Swagger`] documents and
//! follows every `$ref` into the files it names, so that later stages see the whole set.
//!
//! Every failure is an [`Error`] naming the file and the JSON pointer (and line and column for
//! syntax errors). `$ref`s inside `x-ms-examples` point at example files, which code generation
//! does not need, so they are not followed.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::swagger::Swagger;

/// All files of a spec: the inputs and every file their `$ref`s reach.
#[derive(Debug, Clone)]
pub struct SpecSet {
    /// The input files, in the order given.
    pub roots: Vec<PathBuf>,
    /// Every loaded file by its normalised path.
    pub files: BTreeMap<PathBuf, SpecFile>,
}

/// One loaded file.
#[derive(Debug, Clone)]
pub struct SpecFile {
    /// Normalised path of the file.
    pub path: PathBuf,
    /// The file's bytes, for hashing the inputs.
    pub bytes: Vec<u8>,
    /// The file as a JSON value, for resolving JSON pointers.
    pub raw: Value,
    /// The file as a typed document.
    pub doc: Swagger,
}

/// Where a `$ref` points: a file and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RefTarget {
    /// Normalised path of the target file.
    pub file: PathBuf,
    /// JSON pointer inside the file (empty for the whole document).
    pub pointer: String,
}

/// Loads `inputs` and every file their `$ref`s reach, checking that each of those `$ref`s
/// resolves.
///
/// Only what the inputs can reach is followed: an input file is scanned whole, another file only
/// below the locations that are referenced (common-types files reference further files that a
/// spec may never need).
pub fn load(inputs: &[PathBuf]) -> Result<SpecSet> {
    load_from(inputs, &Disk)
}

/// [`load`] from files held in memory instead of the file system: `files` maps each file's path
/// (normalised like every path here, so `a/./b.json` and `a/b.json` are the same file) to its
/// bytes, and a `$ref` to a path `files` lacks is dangling. YAML or JSON is chosen by extension,
/// as on disk.
///
/// This reads specs that are not on disk (fuzzing the loader with arbitrary bytes, tests)
/// without temporary files; the result is what [`load`] gives for the same files on disk.
pub fn load_in_memory(files: &BTreeMap<PathBuf, Vec<u8>>, inputs: &[PathBuf]) -> Result<SpecSet> {
    let files = files
        .iter()
        .map(|(path, bytes)| (normalise_path(path), bytes.as_slice()))
        .collect();
    load_from(inputs, &Memory(files))
}

/// Where the loader reads files from.
trait Files {
    /// Whether `path` is a file that can be loaded.
    fn is_file(&self, path: &Path) -> bool;
    /// The bytes of the file at `path`.
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// The file system.
struct Disk;

impl Files for Disk {
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Files in memory, by normalised path.
struct Memory<'a>(BTreeMap<PathBuf, &'a [u8]>);

impl Files for Memory<'_> {
    fn is_file(&self, path: &Path) -> bool {
        self.0.contains_key(path)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.0
            .get(path)
            .map(|bytes| bytes.to_vec())
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }
}

fn load_from(inputs: &[PathBuf], source: &dyn Files) -> Result<SpecSet> {
    let roots: Vec<PathBuf> = inputs.iter().map(|path| normalise_path(path)).collect();
    let mut files: BTreeMap<PathBuf, SpecFile> = BTreeMap::new();
    let mut queue: VecDeque<RefTarget> = roots
        .iter()
        .map(|root| RefTarget {
            file: root.clone(),
            pointer: String::new(),
        })
        .collect();
    let mut scanned = HashSet::new();
    while let Some(subtree) = queue.pop_front() {
        if !scanned.insert(subtree.clone()) {
            continue;
        }
        if !files.contains_key(&subtree.file) {
            files.insert(subtree.file.clone(), read_file(source, &subtree.file)?);
        }
        let Some(value) = files[&subtree.file].raw.pointer(&subtree.pointer) else {
            continue;
        };
        for (relative, reference) in collect_refs(value) {
            let pointer = format!("{}{relative}", subtree.pointer);
            let target = resolve(&subtree.file, &pointer, &reference)?;
            if !files.contains_key(&target.file) {
                if !source.is_file(&target.file) {
                    return Err(dangling(
                        &subtree.file,
                        &pointer,
                        &reference,
                        "the file does not exist",
                    ));
                }
                files.insert(target.file.clone(), read_file(source, &target.file)?);
            }
            if files[&target.file].raw.pointer(&target.pointer).is_none() {
                let reason = format!(
                    "{} has nothing at {:?}",
                    target.file.display(),
                    target.pointer
                );
                return Err(dangling(&subtree.file, &pointer, &reference, &reason));
            }
            queue.push_back(target);
        }
    }
    Ok(SpecSet { roots, files })
}

impl SpecSet {
    /// The loaded file at `path` (normalised).
    pub fn file(&self, path: &Path) -> &SpecFile {
        &self.files[path]
    }

    /// Resolves the `$ref` value `reference` found at `pointer` in `file`, checking that the
    /// target exists.
    pub fn resolve(&self, file: &Path, pointer: &str, reference: &str) -> Result<RefTarget> {
        let target = resolve(file, pointer, reference)?;
        let Some(target_file) = self.files.get(&target.file) else {
            return Err(dangling(
                file,
                pointer,
                reference,
                "the file was not loaded",
            ));
        };
        if target_file.raw.pointer(&target.pointer).is_none() {
            return Err(dangling(
                file,
                pointer,
                reference,
                &format!(
                    "{} has nothing at {:?}",
                    target.file.display(),
                    target.pointer
                ),
            ));
        }
        Ok(target)
    }
}

fn read_file(source: &dyn Files, path: &Path) -> Result<SpecFile> {
    let bytes = source.read(path).map_err(|source| Error::Io {
        file: path.to_owned(),
        action: "cannot read",
        source,
    })?;
    let raw = parse_value(path, &bytes)?;
    let doc =
        serde_path_to_error::deserialize::<_, Swagger>(&raw).map_err(|error| Error::Shape {
            file: path.to_owned(),
            pointer: to_pointer(error.path()),
            message: error.inner().to_string(),
        })?;
    if doc.swagger != "2.0" {
        return Err(Error::Shape {
            file: path.to_owned(),
            pointer: "/swagger".into(),
            message: format!("expected \"2.0\", found {:?}", doc.swagger),
        });
    }
    Ok(SpecFile {
        path: path.to_owned(),
        bytes,
        raw,
        doc,
    })
}

fn parse_value(path: &Path, bytes: &[u8]) -> Result<Value> {
    // Editors on Windows save spec files with a UTF-8 byte order mark, which JSON does not allow.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let is_yaml = matches!(
        path.extension().and_then(|ext| ext.to_str()),
        Some("yaml" | "yml")
    );
    if is_yaml {
        serde_yaml::from_slice(bytes).map_err(|error| {
            let location = error.location();
            Error::Parse {
                file: path.to_owned(),
                format: "YAML",
                line: location.as_ref().map_or(0, |l| l.line()),
                column: location.as_ref().map_or(0, |l| l.column()),
                message: error.to_string(),
            }
        })
    } else {
        serde_json::from_slice(bytes).map_err(|error| Error::Parse {
            file: path.to_owned(),
            format: "JSON",
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })
    }
}

/// Every `$ref` string in `value` with the JSON pointer of the object holding it, skipping the
/// example files named by `x-ms-examples`.
fn collect_refs(value: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, pointer: &mut String, out: &mut Vec<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    if key == "x-ms-examples" {
                        continue;
                    }
                    if key == "$ref" {
                        if let Value::String(reference) = child {
                            out.push((pointer.clone(), reference.clone()));
                        }
                        continue;
                    }
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&index.to_string());
                    walk(child, pointer, out);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, &mut String::new(), &mut out);
    out
}

/// Splits a `$ref` into its file (resolved against the referring file) and its JSON pointer.
fn resolve(file: &Path, pointer: &str, reference: &str) -> Result<RefTarget> {
    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if !fragment.is_empty() && !fragment.starts_with('/') {
        return Err(dangling(
            file,
            pointer,
            reference,
            "the fragment is not a JSON pointer",
        ));
    }
    if file_part.contains("://") {
        return Err(dangling(
            file,
            pointer,
            reference,
            "remote `$ref`s are not supported",
        ));
    }
    let target_file = if file_part.is_empty() {
        file.to_owned()
    } else {
        let base = file.parent().unwrap_or(Path::new(""));
        normalise_path(&base.join(file_part))
    };
    Ok(RefTarget {
        file: target_file,
        pointer: percent_decode(fragment),
    })
}

fn dangling(file: &Path, pointer: &str, reference: &str, reason: &str) -> Error {
    Error::DanglingRef {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        target: reference.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Removes `.` and resolves `..` lexically, so that one file always has one key (the keys of
/// [`SpecSet::files`]).
pub fn normalise_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `%7B`-style escapes may appear in `$ref` fragments; JSON pointers themselves use `~0`/`~1`.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Turns a `serde_path_to_error` path into a JSON pointer.
pub(crate) fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        let text = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.replace('~', "~0").replace('/', "~1"),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => continue,
        };
        out.push('/');
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_normalise_lexically() {
        let path = normalise_path(Path::new("spec/a/b/../../c/./d.json"));
        assert_eq!(path, PathBuf::from("spec/c/d.json"));
    }

    #[test]
    fn refs_resolve_relative_to_the_referring_file() {
        let target = resolve(
            Path::new("spec/x/y/openapi.json"),
            "/definitions/A",
            "../../common/types.json#/definitions/Resource",
        )
        .unwrap();
        assert_eq!(target.file, PathBuf::from("spec/common/types.json"));
        assert_eq!(target.pointer, "/definitions/Resource");
        let local = resolve(Path::new("a.json"), "", "#/definitions/B%20C").unwrap();
        assert_eq!(local.pointer, "/definitions/B C");
    }

    #[test]
    fn files_in_memory_load_as_the_same_files_on_disk() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let root = fixtures.join("external_ref.json");
        let on_disk = load(std::slice::from_ref(&root)).unwrap();
        let files: BTreeMap<PathBuf, Vec<u8>> = on_disk
            .files
            .iter()
            .map(|(path, file)| (path.clone(), file.bytes.clone()))
            .collect();
        assert_eq!(
            files.len(),
            2,
            "the fixture and the common types it refers to"
        );
        // An input path with `.` in it names the same file.
        let dotted = fixtures.join("./external_ref.json");
        let in_memory = load_in_memory(&files, &[dotted]).unwrap();
        assert_eq!(in_memory.roots, on_disk.roots);
        assert_eq!(
            in_memory.files.keys().collect::<Vec<_>>(),
            on_disk.files.keys().collect::<Vec<_>>()
        );
        for (path, file) in &in_memory.files {
            assert_eq!(file.raw, on_disk.files[path].raw, "{}", path.display());
        }
    }

    #[test]
    fn files_missing_from_memory_are_unreadable_or_dangling() {
        let spec = br##"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "definitions": {"A": {"$ref": "./other.json#/definitions/B"}}}"##;
        let files = BTreeMap::from([(PathBuf::from("spec/a.json"), spec.to_vec())]);
        let error = load_in_memory(&files, &[PathBuf::from("spec/b.json")]).unwrap_err();
        assert!(matches!(error, Error::Io { .. }), "{error}");
        let error = load_in_memory(&files, &[PathBuf::from("spec/a.json")]).unwrap_err();
        assert!(
            matches!(&error, Error::DanglingRef { reason, .. } if reason == "the file does not exist"),
            "{error}"
        );
    }
}
