//! AutoRest `readme.md` files: the tags of a resource provider's spec and the spec files
//! (`input-file:`) each one selects.
//!
//! A tag is defined by fenced YAML blocks whose condition is exactly `$(tag) == 'name'`
//! (```` ```yaml $(tag) == 'package-2024-11-15' ````); their `input-file` entries (a list or a
//! single path, relative to the readme's folder, optionally written `$(this-folder)/...`) are the
//! tag's spec files. Blocks with other conditions (per-language settings) are ignored. The
//! unconditional block's `tag:` is the default tag.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// The tags of one readme.
#[derive(Debug, Clone, PartialEq)]
pub struct Readme {
    /// The readme file.
    pub path: PathBuf,
    /// The `tag:` of the unconditional settings block, if any.
    pub default_tag: Option<String>,
    /// Tag name → its input files as written (relative to the readme's folder), in readme order.
    pub tags: BTreeMap<String, Vec<String>>,
}

impl Readme {
    /// Reads and parses the readme at `path`.
    pub fn read(path: &Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Self::parse(path, &text)
    }

    /// Parses readme text; `path` is where it came from (for errors and relative inputs).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        let mut readme = Readme {
            path: path.to_owned(),
            default_tag: None,
            tags: BTreeMap::new(),
        };
        for block in yaml_blocks(text) {
            let settings: serde_yaml::Value =
                serde_yaml::from_str(&block.body).with_context(|| {
                    format!(
                        "{} line {}: the YAML block does not parse",
                        path.display(),
                        block.line
                    )
                })?;
            match block.condition.as_deref().map(tag_condition) {
                None => {
                    if let Some(tag) = settings.get("tag").and_then(serde_yaml::Value::as_str) {
                        readme.default_tag = Some(tag.to_owned());
                    }
                }
                Some(Some(tag)) => {
                    let inputs = input_files(&settings).with_context(|| {
                        format!(
                            "{} line {}: tag {tag:?} has a malformed `input-file`",
                            path.display(),
                            block.line
                        )
                    })?;
                    readme.tags.entry(tag).or_default().extend(inputs);
                }
                Some(None) => {}
            }
        }
        readme.tags.retain(|_, inputs| !inputs.is_empty());
        Ok(readme)
    }

    /// The input files of `tag`, as paths under the readme's folder; an error listing the tags
    /// there are when it has no such tag.
    pub fn inputs(&self, tag: &str) -> Result<Vec<PathBuf>> {
        let Some(inputs) = self.tags.get(tag) else {
            bail!(
                "{} has no tag {tag:?}; its tags are: {}",
                self.path.display(),
                self.tag_list()
            );
        };
        let folder = self.path.parent().unwrap_or(Path::new(""));
        Ok(inputs.iter().map(|input| folder.join(input)).collect())
    }

    /// The tag whose input files all sit in a folder named `api_version` (`stable/<v>/…` or
    /// `preview/<v>/…`); `None` when no tag does; an error when several do.
    pub fn tag_for_version(&self, api_version: &str) -> Result<Option<&str>> {
        let matching: Vec<&str> = self
            .tags
            .iter()
            .filter(|(_, inputs)| {
                inputs
                    .iter()
                    .all(|input| input.split('/').any(|segment| segment == api_version))
            })
            .map(|(tag, _)| tag.as_str())
            .collect();
        match matching.as_slice() {
            [] => Ok(None),
            [tag] => Ok(Some(tag)),
            several => bail!(
                "{}: several tags select api-version {api_version} ({}); name one with --tag",
                self.path.display(),
                several.join(", ")
            ),
        }
    }

    /// The tag names, comma-separated, the default one marked.
    pub fn tag_list(&self) -> String {
        if self.tags.is_empty() {
            return "none".to_owned();
        }
        self.tags
            .keys()
            .map(|tag| {
                if self.default_tag.as_deref() == Some(tag) {
                    format!("{tag} (default)")
                } else {
                    tag.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// One fenced YAML block of a readme.
struct YamlBlock {
    /// The text after `yaml` on the opening fence, if any.
    condition: Option<String>,
    /// The block's text.
    body: String,
    /// The 1-based line of the opening fence.
    line: usize,
}

/// The fenced blocks opened by ```` ```yaml ```` or ```` ``` yaml ````; other fenced blocks are
/// skipped whole.
fn yaml_blocks(text: &str) -> Vec<YamlBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<YamlBlock> = None;
    let mut in_other_block = false;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let fence = trimmed.strip_prefix("```");
        if in_other_block {
            in_other_block = fence.is_none();
            continue;
        }
        if let Some(block) = &mut open {
            if fence.is_some() {
                blocks.extend(open.take());
            } else {
                block.body.push_str(line);
                block.body.push('\n');
            }
            continue;
        }
        let Some(info) = fence.map(str::trim_start) else {
            continue;
        };
        match info.strip_prefix("yaml") {
            Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
                let condition = rest.trim();
                open = Some(YamlBlock {
                    condition: (!condition.is_empty()).then(|| condition.to_owned()),
                    body: String::new(),
                    line: index + 1,
                });
            }
            _ => in_other_block = true,
        }
    }
    blocks
}

/// The tag of a condition that is exactly `$(tag) == 'name'` (either quote).
fn tag_condition(condition: &str) -> Option<String> {
    let rest = condition.strip_prefix("$(tag)")?.trim_start();
    let value = rest.strip_prefix("==")?.trim();
    let quote = value.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let inner = value.strip_prefix(quote)?.strip_suffix(quote)?;
    (!inner.contains(quote)).then(|| inner.to_owned())
}

/// The `input-file` entries of a settings block: a list of paths or one path.
fn input_files(settings: &serde_yaml::Value) -> Result<Vec<String>> {
    let entries = match settings.get("input-file") {
        None => return Ok(Vec::new()),
        Some(serde_yaml::Value::String(one)) => vec![one.clone()],
        Some(serde_yaml::Value::Sequence(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .context("an entry is not a path")
            })
            .collect::<Result<_>>()?,
        Some(_) => bail!("it is neither a path nor a list of paths"),
    };
    Ok(entries
        .into_iter()
        .map(|entry| {
            entry
                .strip_prefix("$(this-folder)/")
                .map(str::to_owned)
                .unwrap_or(entry)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
# Title

``` yaml
openapi-type: arm
tag: package-b
```

### Tag: package-a

```yaml $(tag) == 'package-a'
input-file:
  - stable/1/a.json
  - $(this-folder)/stable/1/b.json
```

``` yaml $(tag) == 'package-b'
input-file: preview/2-preview/a.json
```

```yaml $(tag) == 'package-b' && $(go)
input-file:
  - ignored.json
```

```yaml $(go)
output-folder: x
```

```json
{\"tag\": \"not yaml\"}
```
";

    #[test]
    fn tags_and_their_inputs_are_read() {
        let readme = Readme::parse(Path::new("rp/readme.md"), TEXT).expect("parses");
        assert_eq!(readme.default_tag.as_deref(), Some("package-b"));
        assert_eq!(
            readme.inputs("package-a").expect("tag a"),
            [
                Path::new("rp/stable/1/a.json"),
                Path::new("rp/stable/1/b.json")
            ]
        );
        assert_eq!(
            readme.inputs("package-b").expect("tag b"),
            [Path::new("rp/preview/2-preview/a.json")]
        );
        assert_eq!(
            readme.tag_for_version("2-preview").expect("one"),
            Some("package-b")
        );
        assert_eq!(readme.tag_for_version("3").expect("none"), None);
    }

    #[test]
    fn an_unknown_tag_is_an_error_listing_the_tags() {
        let readme = Readme::parse(Path::new("rp/readme.md"), TEXT).expect("parses");
        let error = readme.inputs("package-c").unwrap_err().to_string();
        assert_eq!(
            error,
            "rp/readme.md has no tag \"package-c\"; its tags are: package-a, package-b (default)"
        );
    }

    #[test]
    fn a_malformed_input_file_is_an_error_naming_the_line() {
        let text = "```yaml $(tag) == 'x'\ninput-file:\n  nested: 1\n```\n";
        let error = Readme::parse(Path::new("r.md"), text).unwrap_err();
        assert!(
            format!("{error:#}").starts_with("r.md line 1: tag \"x\" has a malformed"),
            "{error:#}"
        );
    }
}
