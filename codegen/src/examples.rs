//! The example files an operation names in `x-ms-examples`, read from beside the file that
//! defines the operation. Code generation uses them for the responses a local endpoint serves;
//! the conformance suite replays them.
//!
//! Spec snapshots often carry only some of the example files their spec names, so a missing file
//! is not an error: it is listed in [`Examples::missing`], for callers to report. A file that is
//! present but not valid JSON is an error naming the file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, Result};
use crate::ir::Api;

/// One example of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The example's name in `x-ms-examples`.
    pub name: String,
    /// The example file.
    pub file: PathBuf,
    /// The file's JSON: `parameters` and `responses` by status.
    pub value: Value,
}

impl Example {
    /// The example's responses as `(status, body)`, in file order; `None` where a response has no
    /// body. Statuses that are not numbers (such as `default`) are left out.
    pub fn responses(&self) -> impl Iterator<Item = (u16, Option<&Value>)> {
        self.value
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(status, response)| Some((status.parse().ok()?, response.get("body"))))
    }
}

/// The examples of every operation of an [`Api`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Examples {
    /// Operation id → its examples that could be read, in spec order.
    pub by_operation: BTreeMap<String, Vec<Example>>,
    /// `(operation id, file)` for every example file the spec names that does not exist.
    pub missing: Vec<(String, PathBuf)>,
}

impl Examples {
    /// The examples of `operation_id` (none if it has none).
    pub fn of(&self, operation_id: &str) -> &[Example] {
        self.by_operation
            .get(operation_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// How many example files were read.
    pub fn read_count(&self) -> usize {
        self.by_operation.values().map(Vec::len).sum()
    }

    /// Every example read, with the id of its operation.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Example)> {
        self.by_operation
            .iter()
            .flat_map(|(id, examples)| examples.iter().map(move |e| (id.as_str(), e)))
    }
}

/// Reads the example files of every operation of `api`, relative to the file each operation is
/// defined in.
pub fn load_examples(api: &Api) -> Result<Examples> {
    let mut examples = Examples::default();
    for operation in &api.operations {
        let base = operation
            .origin
            .file
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default();
        for (name, reference) in &operation.examples {
            let file = base.join(reference);
            let Some(value) = read_example(&file)? else {
                examples.missing.push((operation.id.clone(), file));
                continue;
            };
            examples
                .by_operation
                .entry(operation.id.clone())
                .or_default()
                .push(Example {
                    name: name.clone(),
                    file,
                    value,
                });
        }
    }
    Ok(examples)
}

/// Reads and parses one example file; `Ok(None)` when it does not exist.
fn read_example(file: &Path) -> Result<Option<Value>> {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Io {
                file: file.to_owned(),
                action: "cannot read example file",
                source,
            });
        }
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| Error::Parse {
            file: file.to_owned(),
            format: "JSON",
            line: error.line(),
            column: error.column(),
            message: error.to_string(),
        })
}
