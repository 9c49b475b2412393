//! The generator's error type: every variant names the input file and, where it applies, the
//! JSON pointer inside it and the rule that was broken.

use std::path::PathBuf;

/// Result of any generator stage.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {action}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// What was being done (`cannot read`, `cannot write`, ...).
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file is not well-formed JSON or YAML.
    #[error("{}:{line}:{column}: malformed {format}: {message}", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column of the error.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// A file parses, but a value does not have the shape Swagger 2.0 requires there.
    #[error("{}#{pointer}: not valid Swagger 2.0: {message}", file.display())]
    Shape {
        /// The file.
        file: PathBuf,
        /// JSON pointer of the offending value.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// A `$ref` names a file or a location that does not exist.
    #[error("{}#{pointer}: dangling `$ref` {target:?}: {reason}", file.display())]
    DanglingRef {
        /// The file holding the `$ref`.
        file: PathBuf,
        /// JSON pointer of the `$ref`.
        pointer: String,
        /// The `$ref` value.
        target: String,
        /// Why it does not resolve.
        reason: String,
    },
    /// `$ref`s that lead back to themselves without any type in between (an alias cycle or an
    /// `allOf` that includes itself); no type can represent them.
    #[error("{}#{pointer}: `$ref` cycle no type can represent: {chain}", file.display())]
    RefCycle {
        /// The file where the cycle was entered.
        file: PathBuf,
        /// JSON pointer where the cycle was entered.
        pointer: String,
        /// The references of the cycle, in order.
        chain: String,
    },
    /// A construct the generator does not support.
    #[error("{}#{pointer}: unsupported: {reason}", file.display())]
    Unsupported {
        /// The file.
        file: PathBuf,
        /// JSON pointer of the construct.
        pointer: String,
        /// What is not supported.
        reason: String,
    },
    /// A `pattern` that the client's regular-expression engine cannot compile.
    #[error("{}#{pointer}: `pattern` {pattern:?} does not compile: {message}", file.display())]
    InvalidPattern {
        /// The file.
        file: PathBuf,
        /// JSON pointer of the schema with the pattern.
        pointer: String,
        /// The pattern.
        pattern: String,
        /// The regex engine's message.
        message: String,
    },
    /// Two operations share an `operationId`, or one has none.
    #[error("{}#{pointer}: {message}", file.display())]
    Operation {
        /// The file.
        file: PathBuf,
        /// JSON pointer of the operation.
        pointer: String,
        /// What is wrong.
        message: String,
    },
    /// `regen.yaml` is missing a key or has a wrong value.
    #[error("{}: invalid regen config: {message}", file.display())]
    Config {
        /// The config file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The emitter produced code that does not parse: a generator bug, reported with the module.
    #[error("generated module {module} does not parse ({message}); this is a generator bug")]
    Emit {
        /// The module's file path.
        module: String,
        /// The parser's message.
        message: String,
    },
}
