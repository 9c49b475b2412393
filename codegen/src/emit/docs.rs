//! Doc comments from spec prose. The text is Markdown to rustdoc, so brackets and angle brackets
//! are escaped (no accidental intra-doc links or HTML tags), bare URLs are wrapped in `<>`, and
//! indentation that would turn prose into a code block is dropped.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line of `paragraphs` (joined by blank lines).
pub fn doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#[doc = #lines])* }
}

/// `#![doc = "..."]` attributes (module or crate docs), one per line of `paragraphs`.
pub fn inner_doc_attrs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#![doc = #lines])* }
}

fn doc_lines(paragraphs: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        // A code block keeps its indentation; prose lines are trimmed, so that no indentation
        // turns them into one.
        let code_block = paragraph.starts_with("```");
        lines.extend(paragraph.trim().lines().map(|line| match code_block {
            true => format!(" {}", line.trim_end()),
            false => format!(" {}", line.trim()),
        }));
    }
    lines
}

/// Escapes spec prose for rustdoc.
pub fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        match word.find("http://").or_else(|| word.find("https://")) {
            Some(start) => {
                let (before, url) = word.split_at(start);
                let end = url
                    .trim_end_matches(['.', ',', ';', ':', ')', '\'', '"'])
                    .len();
                let (url, after) = url.split_at(end);
                out.push_str(&escape(before));
                out.push('<');
                out.push_str(url);
                out.push('>');
                out.push_str(&escape(after));
            }
            None => out.push_str(&escape(word)),
        }
    }
    out
}

/// Inline code: backticks in the text are replaced so the span stays closed.
pub fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The constraints in words, for docs: `3 to 50 characters; matches ^[a-z0-9]+`.
pub fn describe_constraints(constraints: &crate::ir::Constraints) -> String {
    let mut parts = Vec::new();
    match (constraints.min_length, constraints.max_length) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} characters")),
        (Some(min), None) => parts.push(format!("at least {min} characters")),
        (None, Some(max)) => parts.push(format!("at most {max} characters")),
        (None, None) => {}
    }
    if let Some(pattern) = &constraints.pattern {
        parts.push(format!("matches {}", code(pattern)));
    }
    let exclusive = constraints.exclusive_minimum || constraints.exclusive_maximum;
    match (constraints.minimum, constraints.maximum) {
        (Some(min), Some(max)) if !exclusive => parts.push(format!("from {min} to {max}")),
        (min, max) => {
            parts.extend(min.map(|min| match constraints.exclusive_minimum {
                true => format!("greater than {min}"),
                false => format!("at least {min}"),
            }));
            parts.extend(max.map(|max| match constraints.exclusive_maximum {
                true => format!("less than {max}"),
                false => format!("at most {max}"),
            }));
        }
    }
    if let Some(factor) = constraints.multiple_of {
        parts.push(format!("a multiple of {factor}"));
    }
    match (constraints.min_items, constraints.max_items) {
        (Some(min), Some(max)) => parts.push(format!("{min} to {max} items")),
        (Some(min), None) => parts.push(format!("at least {min} items")),
        (None, Some(max)) => parts.push(format!("at most {max} items")),
        (None, None) => {}
    }
    if constraints.unique_items {
        parts.push("no repeated items".into());
    }
    if constraints.uuid {
        parts.push("a UUID".into());
    }
    if constraints.nullable == Some(false) {
        parts.push("not null".into());
    }
    if let Some(items) = &constraints.items {
        let inner = describe_constraints(items);
        if !inner.is_empty() {
            parts.push(format!("each element: {inner}"));
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::{doc_lines, prose};

    #[test]
    fn spec_code_fences_never_become_doctests() {
        let text = prose("Example:\n```\nlet x = 1;\n```");
        assert!(!text.contains("```"), "{text}");
        // A paragraph that is prose keeps no indentation (which would make it a code block);
        // the generator's own code block keeps its indentation.
        assert_eq!(
            doc_lines(&["    indented prose".into()]),
            [" indented prose"]
        );
        assert_eq!(
            doc_lines(&["```rust,no_run\nfoo(\n    1,\n)\n```".into()]),
            [" ```rust,no_run", " foo(", "     1,", " )", " ```"]
        );
    }

    #[test]
    fn escapes_links_tags_and_wraps_urls() {
        assert_eq!(
            prose("List<string> of [Deprecated] items"),
            "List\\<string\\> of \\[Deprecated\\] items"
        );
        assert_eq!(prose("See https://aka.ms/x."), "See <https://aka.ms/x>.");
        assert_eq!(prose("(https://a.b/c)"), "(<https://a.b/c>)");
    }
}
