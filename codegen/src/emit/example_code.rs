//! An operation's doc example as Rust, from the first of the example files its `x-ms-examples`
//! names that the spec folder holds:
//! the example's parameter values as literals, its request body as one expression of the
//! models' constructors (`new(required..)`) and `with_*` setters (reaching through flattened
//! `properties`, as the plan's builders do), the call with its options, and a use of the result.
//! The code is compiled as a `no_run` doctest, so it follows every change of the generated API.
//!
//! Rules for values the typed API cannot take as the example gives them (each is a comment
//! `// Not rendered: ...` above the code, never a silent loss): a property the model does not
//! have, a read-only property (the service sets it), a value of the wrong JSON type, a `null` for
//! a property that cannot be sent as `null`, a value a closed enum does not list, and bytes whose
//! text is not base64 (others are a byte string literal). A required value the example lacks (a constructor
//! argument or a required parameter) leaves the whole example out, as no call could be written:
//! the operation's doc then says so, and the example count test sees the gap.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde_json::{Map, Value};

use crate::examples::Example;
use crate::ir::{Field, Primitive, TypeKind, TypeRef};
use crate::plan::{
    FieldInit, GroupPlan, OperationPlan, ParamKind, ParamPlan, Plan, ResultKind, SetterPlan,
    StructPlan, TypeShape,
};

/// Width beyond which an expression is written over several lines.
const WIDTH: usize = 92;

/// The lines of an operation's example (inside its code fence), or why there is none.
pub fn operation_example(
    plan: &Plan<'_>,
    group: &GroupPlan<'_>,
    operation: &OperationPlan<'_>,
    krate: &str,
    example: &Example,
) -> Result<Vec<String>, String> {
    let empty = Map::new();
    let parameters = example
        .value
        .get("parameters")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut renderer = Renderer::new(plan);
    let mut args = Vec::new();
    for param in &operation.required {
        let value = lookup(parameters, &param.param.wire_name).ok_or_else(|| {
            format!(
                "the example gives no value for the required parameter `{}`",
                param.param.wire_name
            )
        })?;
        args.push(renderer.argument(param, value, true)?);
    }
    let mut statements = Vec::new();
    if let Some(body) = &operation.body {
        match lookup(parameters, &body.param.name) {
            Some(value) => {
                let expr = renderer
                    .value(&body.param.ty, value, Want::Exact, &body.param.name)
                    .ok_or_else(|| {
                        format!(
                            "the example's body `{}` cannot be rendered",
                            body.param.name
                        )
                    })?;
                let prefix = format!("let {} = ", body.ident);
                statements.push(format!("{prefix}{};", expr.write(0, prefix.len() + 1)));
                args.push(Expr::Atom(if body.param.required {
                    format!("&{}", body.ident)
                } else {
                    format!("Some(&{})", body.ident)
                }));
            }
            None if body.param.required => {
                return Err(format!(
                    "the example gives no value for the required body `{}`",
                    body.param.name
                ));
            }
            None => args.push(Expr::Atom("None".into())),
        }
    }
    let mut setters = Vec::new();
    for param in &operation.optional {
        if let Some(value) = lookup(parameters, &param.param.wire_name) {
            let value = renderer.argument(param, value, false)?;
            setters.push((format!("with_{}", param.ident), Some(vec![value])));
        }
    }
    args.push(if setters.is_empty() {
        Expr::Atom("None".into())
    } else {
        renderer.options.insert(operation.options_ident.clone());
        Expr::Call {
            open: "Some(".into(),
            args: vec![Expr::Chain {
                base: Box::new(Expr::Atom(format!(
                    "{}::default()",
                    operation.options_ident
                ))),
                calls: setters,
            }],
            close: ")",
        }
    });
    let call = |prefix: &str, postfix: &[(&str, bool)]| {
        let mut calls = vec![
            (group.accessor.clone(), Some(Vec::new())),
            (operation.method.clone(), Some(args.clone())),
        ];
        calls.extend(
            postfix
                .iter()
                .map(|(name, parens)| (name.to_string(), parens.then(Vec::new))),
        );
        let call = Expr::Chain {
            base: Box::new(Expr::Atom("client".into())),
            calls,
        };
        format!("{prefix}{};", call.write(0, prefix.len() + 1))
    };
    let awaited = [("await?", false)];
    match &operation.result {
        ResultKind::Model { .. } => {
            statements.push(call("let response = ", &awaited));
            statements.push("println!(\"{:?}\", response.into_model());".into());
        }
        ResultKind::Empty => statements.push(call("", &awaited)),
        ResultKind::File { .. } => {
            statements.push(call("let response = ", &awaited));
            statements.push("let file = response.into_model().collect().await?;".into());
            statements.push("println!(\"{} bytes\", file.len());".into());
        }
        ResultKind::Exists => {
            statements.push(call("let exists = ", &awaited));
            statements.push("println!(\"exists: {}\", exists.into_model());".into());
        }
        ResultKind::LongRunning(long_running) => {
            statements.push(call("let poller = ", &awaited));
            if long_running.result.is_some() {
                statements.push("let result = poller.await?;".into());
                statements.push("println!(\"{result:?}\");".into());
            } else {
                statements.push("poller.await?;".into());
            }
        }
        ResultKind::Pageable { .. } => {
            statements.push(call(
                "let items = ",
                &[("into_vec", true), ("await?", false)],
            ));
            statements.push("for item in items {".into());
            statements.push("    println!(\"{item:?}\");".into());
            statements.push("}".into());
        }
    }
    Ok(renderer.finish(krate, statements))
}

/// What a value is written for: an `impl Into<T>` argument, or a place of the exact type (an
/// item of a list, a `let`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// An `impl Into<T>` argument: `"text"` for a `String`, `[..]` for a `Vec`.
    Into,
    /// A place of exactly the type.
    Exact,
}

/// A Rust expression, laid out on one line or several as rustfmt would.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Written as is.
    Atom(String),
    /// `open` args `close`, such as `Type::new(a, b)` or `vec![a, b]`.
    Call {
        /// Up to the first argument: `Type::new(`.
        open: String,
        /// The arguments.
        args: Vec<Expr>,
        /// After the last: `)`.
        close: &'static str,
    },
    /// `base.method(args)...`.
    Chain {
        /// The receiver.
        base: Box<Expr>,
        /// Each method with its arguments; `None` for a postfix without parentheses (`await?`).
        calls: Vec<(String, Option<Vec<Expr>>)>,
    },
}

impl Expr {
    /// The expression on one line.
    pub fn flat(&self) -> String {
        match self {
            Expr::Atom(text) => text.clone(),
            Expr::Call { open, args, close } => {
                let args: Vec<String> = args.iter().map(Expr::flat).collect();
                format!("{open}{}{close}", args.join(", "))
            }
            Expr::Chain { base, calls } => {
                let mut out = base.flat();
                for (method, args) in calls {
                    out.push_str(&flat_call(method, args.as_deref()));
                }
                out
            }
        }
    }

    /// The expression whose first line starts at column `column` (not written) and whose other
    /// lines are indented from `indent`; broken over lines where one would be wider than
    /// [`WIDTH`].
    pub fn write(&self, indent: usize, column: usize) -> String {
        let flat = self.flat();
        if column + flat.len() < WIDTH {
            return flat;
        }
        let inner = " ".repeat(indent + 4);
        match self {
            Expr::Atom(text) => text.clone(),
            // A single list argument hugs the call: `Type::new([` ... `])`.
            Expr::Call { open, args, close }
                if args.len() == 1
                    && matches!(&args[0], Expr::Call { open, .. } if open.ends_with('[')) =>
            {
                format!(
                    "{open}{}{close}",
                    args[0].write(indent, column + open.len())
                )
            }
            Expr::Call { open, args, close } => {
                let mut out = open.clone();
                for arg in args {
                    out.push_str(&format!("\n{inner}{},", arg.write(indent + 4, indent + 4)));
                }
                out.push_str(&format!("\n{}{close}", " ".repeat(indent)));
                out
            }
            Expr::Chain { base, calls } => {
                let mut out = base.write(indent, column);
                // After a base over several lines the calls line up with its end, else they
                // are indented under it.
                let call_indent = if out.contains('\n') {
                    indent
                } else {
                    indent + 4
                };
                for (method, args) in calls {
                    let pad = " ".repeat(call_indent);
                    let call = match args {
                        None => format!(".{method}"),
                        Some(args) => Expr::Call {
                            open: format!(".{method}("),
                            args: args.clone(),
                            close: ")",
                        }
                        .write(call_indent, call_indent),
                    };
                    out.push_str(&format!("\n{pad}{call}"));
                }
                out
            }
        }
    }
}

/// `.method(args)` (or `.postfix`) on one line.
/// `&expr`, a borrow of a rendered value (`&` binds looser than a method call, so a chain is
/// borrowed at its base).
fn borrowed(expr: Expr) -> Expr {
    match expr {
        Expr::Atom(text) => Expr::Atom(format!("&{text}")),
        Expr::Call { open, args, close } => Expr::Call {
            open: format!("&{open}"),
            args,
            close,
        },
        Expr::Chain { base, calls } => Expr::Chain {
            base: Box::new(borrowed(*base)),
            calls,
        },
    }
}

fn flat_call(method: &str, args: Option<&[Expr]>) -> String {
    match args {
        None => format!(".{method}"),
        Some(args) => {
            let args: Vec<String> = args.iter().map(Expr::flat).collect();
            format!(".{method}({})", args.join(", "))
        }
    }
}

/// Renders values, collecting the names the example must import and what it could not render.
pub struct Renderer<'p> {
    plan: &'p Plan<'p>,
    /// Model types used, by Rust name.
    models: BTreeSet<String>,
    /// Options structs used, by Rust name.
    options: BTreeSet<String>,
    /// Items of the crate root used (`Secret`).
    root: BTreeSet<&'static str>,
    /// Whether `BTreeMap` is named.
    btree_map: bool,
    /// One line per value left out, with the rule.
    pub notes: Vec<String>,
}

impl<'p> Renderer<'p> {
    /// A renderer for the types of `plan`.
    pub fn new(plan: &'p Plan<'p>) -> Self {
        Self {
            plan,
            models: BTreeSet::new(),
            options: BTreeSet::new(),
            root: BTreeSet::new(),
            btree_map: false,
            notes: Vec::new(),
        }
    }

    /// The example's lines: the hidden set-up, the imports, the notes, `statements`.
    fn finish(self, krate: &str, statements: Vec<String>) -> Vec<String> {
        let mut lines = vec![format!(
            "# async fn example(client: &{krate}::Client) -> std::result::Result<(), \
                 std::boxed::Box<dyn std::error::Error>> {{"
        )];
        if self.btree_map {
            lines.push("use std::collections::BTreeMap;".into());
        }
        let root: Vec<String> = self.root.iter().map(|item| item.to_string()).collect();
        let models: Vec<String> = self.models.into_iter().collect();
        let options: Vec<String> = self.options.into_iter().collect();
        for (path, items) in [
            (krate.to_owned(), root),
            (format!("{krate}::models"), models),
            (format!("{krate}::operations"), options),
        ] {
            lines.extend(use_lines(&path, &items));
        }
        if lines.len() > 1 {
            lines.push(String::new());
        }
        lines.extend(
            self.notes
                .iter()
                .map(|note| format!("// Not rendered: {note}.")),
        );
        for statement in statements {
            lines.extend(statement.lines().map(str::to_owned));
        }
        lines.push("# Ok(())".into());
        lines.push("# }".into());
        lines
    }

    /// A parameter's argument (`reference`: the method's `&str`/`&Enum`/`&[String]`) or its
    /// options setter's value.
    fn argument(
        &mut self,
        param: &ParamPlan<'_>,
        value: &Value,
        reference: bool,
    ) -> Result<Expr, String> {
        let name = &param.param.wire_name;
        let scalar_text = || match value {
            Value::String(text) => Ok(text.clone()),
            Value::Number(_) | Value::Bool(_) => Ok(value.to_string()),
            _ => Err(format!("the example's `{name}` is not a parameter value")),
        };
        let amp = if reference { "&" } else { "" };
        Ok(match &param.kind {
            ParamKind::Validated(_) | ParamKind::Text => {
                Expr::Atom(string_literal(&scalar_text()?))
            }
            ParamKind::Enum(ty) => {
                let text = scalar_text()?;
                let variant = self
                    .enum_value(&param.param.ty, &text)
                    .ok_or_else(|| format!("`{text}` is not a value of `{ty}`"))?;
                Expr::Atom(format!("{amp}{variant}"))
            }
            ParamKind::Scalar(primitive) => {
                let text = scalar_text()?;
                Expr::Atom(
                    scalar(*primitive, &Value::String(text.clone()))
                        .or_else(|| scalar(*primitive, value))
                        .ok_or_else(|| format!("`{text}` is not a value of `{name}`"))?,
                )
            }
            ParamKind::List(_) => {
                let items: Vec<String> = match value {
                    Value::Array(items) => items
                        .iter()
                        .map(|item| match item {
                            Value::String(text) => text.clone(),
                            other => other.to_string(),
                        })
                        .collect(),
                    _ => vec![scalar_text()?],
                };
                let items: Vec<String> = items
                    .iter()
                    .map(|item| format!("{}.to_owned()", string_literal(item)))
                    .collect();
                Expr::Atom(if reference {
                    format!("&[{}]", items.join(", "))
                } else {
                    format!("vec![{}]", items.join(", "))
                })
            }
            ParamKind::HeaderCollection(_) => {
                let string = TypeRef::Primitive(Primitive::String);
                let map = self
                    .map(&string, value, Want::Exact, name)
                    .ok_or_else(|| format!("the example's `{name}` is not a map of strings"))?;
                if reference { borrowed(map) } else { map }
            }
        })
    }

    /// `json` as a value of `ty`, for `want`; `None` (with a note) when it cannot be one.
    pub fn value(&mut self, ty: &TypeRef, json: &Value, want: Want, at: &str) -> Option<Expr> {
        let rendered = match ty {
            TypeRef::Primitive(primitive) => self.primitive(*primitive, json, want),
            TypeRef::Any => Some(Expr::Atom(format!("serde_json::json!({json})"))),
            TypeRef::List(item) => self.list(item, json, want, at),
            TypeRef::Map(item) => self.map(item, json, want, at),
            TypeRef::Named(name) => self.named(name, json, want, at),
        };
        if rendered.is_none() && !self.notes.iter().any(|note| note.starts_with(&code(at))) {
            let expected = self.type_text(ty);
            self.notes.push(format!(
                "{} (the example's {} is not a {expected})",
                code(at),
                json_kind(json),
            ));
        }
        rendered
    }

    fn primitive(&mut self, primitive: Primitive, json: &Value, want: Want) -> Option<Expr> {
        let text = json.as_str();
        Some(Expr::Atom(match primitive {
            Primitive::String | Primitive::Uri | Primitive::ArmId => {
                let literal = string_literal(text?);
                match want {
                    Want::Into => literal,
                    Want::Exact => format!("{literal}.to_owned()"),
                }
            }
            Primitive::Secret => {
                let literal = string_literal(text?);
                match want {
                    Want::Into => literal,
                    Want::Exact => {
                        self.root.insert("Secret");
                        format!("Secret::from({literal})")
                    }
                }
            }
            Primitive::Uuid => format!("{}.parse::<uuid::Uuid>()?", string_literal(text?)),
            Primitive::DateTime => format!(
                "time::OffsetDateTime::parse({}, &time::format_description::well_known::Rfc3339)?",
                string_literal(text?)
            ),
            Primitive::Bytes => {
                let bytes = base64_decode(text?)?;
                let literal = byte_string_literal(&bytes);
                match want {
                    Want::Into => literal,
                    Want::Exact => format!("{literal}.to_vec()"),
                }
            }
            Primitive::Bool | Primitive::I32 | Primitive::I64 | Primitive::F64 => {
                scalar(primitive, json)?
            }
        }))
    }

    fn list(&mut self, item: &TypeRef, json: &Value, want: Want, at: &str) -> Option<Expr> {
        let items = json.as_array()?;
        let item_ty = nested(item);
        if items.is_empty() {
            return Some(Expr::Atom(format!(
                "Vec::<{}>::new()",
                self.type_text(&item_ty)
            )));
        }
        let args = items
            .iter()
            .enumerate()
            .filter_map(|(index, value)| {
                self.value(&item_ty, value, Want::Exact, &format!("{at}[{index}]"))
            })
            .collect();
        let open = match want {
            Want::Into => "[",
            Want::Exact => "vec![",
        };
        Some(Expr::Call {
            open: open.into(),
            args,
            close: "]",
        })
    }

    fn map(&mut self, item: &TypeRef, json: &Value, want: Want, at: &str) -> Option<Expr> {
        let entries = json.as_object()?;
        let item_ty = nested(item);
        if entries.is_empty() {
            self.btree_map = true;
            return Some(Expr::Atom(format!(
                "BTreeMap::<String, {}>::new()",
                self.type_text(&item_ty)
            )));
        }
        let args = entries
            .iter()
            .filter_map(|(key, value)| {
                let value = self.value(&item_ty, value, Want::Exact, &format!("{at}.{key}"))?;
                Some(Expr::Call {
                    open: format!("({}.to_owned(), ", string_literal(key)),
                    args: vec![value],
                    close: ")",
                })
            })
            .collect();
        let (open, close) = match want {
            Want::Into => ("[", "]"),
            Want::Exact => {
                self.btree_map = true;
                ("BTreeMap::from([", "])")
            }
        };
        Some(Expr::Call {
            open: open.into(),
            args,
            close,
        })
    }

    fn named(&mut self, name: &str, json: &Value, want: Want, at: &str) -> Option<Expr> {
        let ty = self.plan.types.get(name)?;
        match (&ty.def.kind, &ty.shape) {
            (TypeKind::Enum(_), TypeShape::Enum(_)) => {
                let text = json.as_str()?;
                match self.enum_value(&TypeRef::Named(name.to_owned()), text) {
                    Some(variant) => Some(Expr::Atom(variant)),
                    None => {
                        self.notes.push(format!(
                            "{} (`{text}` is not a value of the closed enum `{}`)",
                            code(at),
                            ty.ident
                        ));
                        None
                    }
                }
            }
            (TypeKind::Struct(_), TypeShape::Struct(_)) => {
                self.structure(name, json.as_object()?, at)
            }
            (TypeKind::Union(union), TypeShape::Union(shape)) => {
                let object = json.as_object()?;
                let kind = object.get(&union.property).and_then(Value::as_str);
                let variant = kind.and_then(|kind| {
                    union
                        .variants
                        .iter()
                        .zip(&shape.variants)
                        .find(|(variant, _)| variant.value == kind)
                        .or_else(|| {
                            union
                                .variants
                                .iter()
                                .zip(&shape.variants)
                                .find(|(variant, _)| variant.value.eq_ignore_ascii_case(kind))
                        })
                });
                match variant {
                    Some((variant, plan)) => {
                        let inner = self.structure(&variant.ty, object, at)?;
                        Some(match want {
                            Want::Into => inner,
                            Want::Exact => Expr::Call {
                                open: format!("{}::{}(", self.model(name), plan.ident),
                                args: vec![inner],
                                close: ")",
                            },
                        })
                    }
                    None => Some(Expr::Atom(format!(
                        "{}::Other(serde_json::json!({json}))",
                        self.model(name)
                    ))),
                }
            }
            _ => None,
        }
    }

    /// The Rust path of the value `text` of the enum `ty` (`Kind::Variant`, or
    /// `Kind::Other("text".into())` for a value an extensible enum does not list); `None` for a
    /// value a closed enum does not list.
    fn enum_value(&mut self, ty: &TypeRef, text: &str) -> Option<String> {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        let plan = self.plan.types.get(name)?;
        let (TypeKind::Enum(def), TypeShape::Enum(shape)) = (&plan.def.kind, &plan.shape) else {
            return None;
        };
        let ident = self.model(name);
        let position = def
            .values
            .iter()
            .position(|value| value.value == text)
            .or_else(|| {
                def.values
                    .iter()
                    .position(|value| value.value.eq_ignore_ascii_case(text))
            });
        match position {
            Some(index) => Some(format!("{ident}::{}", shape.variants[index])),
            None if shape.extensible => Some(format!(
                "{ident}::{}({}.into())",
                shape.other,
                string_literal(text)
            )),
            None => None,
        }
    }

    /// A struct from its JSON object: `new` with the required properties, then a setter per
    /// other property (through a flattened property's setters where the struct has them).
    fn structure(&mut self, name: &str, object: &Map<String, Value>, at: &str) -> Option<Expr> {
        let plan = self.plan;
        let ty = plan.types.get(name)?;
        let (TypeKind::Struct(def), TypeShape::Struct(shape)) = (&ty.def.kind, &ty.shape) else {
            return None;
        };
        let ident = self.model(name);
        let mut consumed = BTreeSet::new();
        let base = match &shape.builder.constructor {
            Some(constructor) => {
                let values = self.constructor_values(name, Some(object), &mut consumed);
                let mut args = Vec::new();
                for (arg, value) in constructor.args.iter().zip(values) {
                    let path = format!("{at}.{}", value.1);
                    let Some(value) = value.0 else {
                        self.notes.push(format!(
                            "{} (required, but the example has no value)",
                            code(&path)
                        ));
                        return None;
                    };
                    args.push(self.value(&arg.ty, value, Want::Into, &path)?);
                }
                Expr::Call {
                    open: format!("{ident}::new("),
                    args,
                    close: ")",
                }
            }
            None => Expr::Atom(format!("{ident}::default()")),
        };
        let mut calls = Vec::new();
        for (key, value) in object {
            let path = format!("{at}.{key}");
            let Some(index) = field_index(def, key) else {
                self.notes
                    .push(format!("{} (the model has no such property)", code(&path)));
                continue;
            };
            let field = &def.fields[index];
            if consumed.contains(&(name.to_owned(), index)) {
                if let (Some(inner), FieldInit::Nested { ty, .. }) = (
                    value.as_object(),
                    &shape.builder.constructor.as_ref()?.inits[index],
                ) {
                    self.flattened_setters(shape, index, ty, inner, &consumed, &path, &mut calls);
                }
                continue;
            }
            if let (Some(inner), TypeRef::Named(inner_ty)) = (value.as_object(), &field.ty) {
                // Through the flattened property's setters when each of its properties has one.
                let through = shape
                    .builder
                    .setters
                    .iter()
                    .any(|setter| setter.through.as_ref().is_some_and(|t| t.field == index));
                let settable = || {
                    inner
                        .keys()
                        .all(|key| self.through_setter(shape, index, inner_ty, key).is_some())
                };
                if field.client_flatten && through && settable() {
                    self.flattened_setters(
                        shape, index, inner_ty, inner, &consumed, &path, &mut calls,
                    );
                    continue;
                }
            }
            let setter = shape.builder.setters.iter().find(|setter| {
                setter.through.is_none() && setter.owner == name && setter.field == index
            });
            calls.extend(self.setter_call(field, setter, value, &path));
        }
        Some(if calls.is_empty() {
            base
        } else {
            Expr::Chain {
                base: Box::new(base),
                calls,
            }
        })
    }

    /// The setters of the flattened field `index` (of type `inner_ty`) for the properties of
    /// `inner`, except those the constructor took.
    #[allow(clippy::too_many_arguments)]
    fn flattened_setters(
        &mut self,
        shape: &StructPlan,
        index: usize,
        inner_ty: &str,
        inner: &Map<String, Value>,
        consumed: &BTreeSet<(String, usize)>,
        at: &str,
        calls: &mut Vec<(String, Option<Vec<Expr>>)>,
    ) {
        let plan = self.plan;
        let Some(TypeKind::Struct(inner_def)) = plan.types.get(inner_ty).map(|t| &t.def.kind)
        else {
            return;
        };
        for (key, value) in inner {
            let path = format!("{at}.{key}");
            let Some(field_index) = field_index(inner_def, key) else {
                self.notes
                    .push(format!("{} (the model has no such property)", code(&path)));
                continue;
            };
            if consumed.contains(&(inner_ty.to_owned(), field_index)) {
                continue;
            }
            let setter = self.through_setter(shape, index, inner_ty, key);
            calls.extend(self.setter_call(&inner_def.fields[field_index], setter, value, &path));
        }
    }

    /// The call of `setter` giving `field` the example's `value` (`clear_*` for `null`); `None`,
    /// with a note, when there is none to make (a constant is filled by the model itself).
    fn setter_call(
        &mut self,
        field: &Field,
        setter: Option<&SetterPlan>,
        value: &Value,
        path: &str,
    ) -> Option<(String, Option<Vec<Expr>>)> {
        let why = if field.read_only {
            "read-only: the service sets it"
        } else if is_constant(self.plan, &field.ty) {
            return None;
        } else if let Some(setter) = setter {
            if !value.is_null() {
                let expr = self.value(&field.ty, value, Want::Into, path)?;
                return Some((setter.method.clone(), Some(vec![expr])));
            }
            match &setter.clear {
                Some(clear) => return Some((clear.clone(), Some(Vec::new()))),
                None => "`null`, which it cannot send",
            }
        } else {
            "the model has no setter for it"
        };
        self.notes.push(format!("{} ({why})", code(path)));
        None
    }

    /// The setter reaching through the flattened field `index` to the property `key` of its
    /// struct `inner_ty`.
    fn through_setter<'s>(
        &self,
        shape: &'s StructPlan,
        index: usize,
        inner_ty: &str,
        key: &str,
    ) -> Option<&'s SetterPlan> {
        let Some(TypeKind::Struct(inner_def)) = self.plan.types.get(inner_ty).map(|t| &t.def.kind)
        else {
            return None;
        };
        let field = field_index(inner_def, key)?;
        shape.builder.setters.iter().find(|setter| {
            setter.owner == inner_ty
                && setter.field == field
                && setter.through.as_ref().is_some_and(|t| t.field == index)
        })
    }

    /// The JSON values of the constructor arguments of the struct `name`, in argument order,
    /// each with its property path; marks the fields they fill as `consumed`.
    fn constructor_values<'v>(
        &self,
        name: &str,
        object: Option<&'v Map<String, Value>>,
        consumed: &mut BTreeSet<(String, usize)>,
    ) -> Vec<(Option<&'v Value>, String)> {
        let Some(ty) = self.plan.types.get(name) else {
            return Vec::new();
        };
        let (TypeKind::Struct(def), TypeShape::Struct(shape)) = (&ty.def.kind, &ty.shape) else {
            return Vec::new();
        };
        let Some(constructor) = &shape.builder.constructor else {
            return Vec::new();
        };
        let mut values = vec![(None, String::new()); constructor.args.len()];
        for (index, (field, init)) in def.fields.iter().zip(&constructor.inits).enumerate() {
            let value = object.and_then(|object| lookup(object, &field.wire_name));
            match init {
                FieldInit::Arg(arg) => {
                    values[*arg] = (value, field.wire_name.clone());
                    consumed.insert((name.to_owned(), index));
                }
                FieldInit::Nested { ty, args } => {
                    consumed.insert((name.to_owned(), index));
                    let inner =
                        self.constructor_values(ty, value.and_then(Value::as_object), consumed);
                    for ((value, path), arg) in inner.into_iter().zip(args) {
                        values[*arg] = (value, format!("{}.{path}", field.wire_name));
                    }
                }
                FieldInit::Default | FieldInit::Unset => {}
            }
        }
        values
    }

    /// The Rust name of the model `name`, imported.
    fn model(&mut self, name: &str) -> String {
        let ident = self.plan.type_ident(name).to_owned();
        self.models.insert(ident.clone());
        ident
    }

    /// `ty` as written in the example (models imported).
    fn type_text(&mut self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(name) => self.model(name),
            TypeRef::Primitive(primitive) => match primitive {
                Primitive::String | Primitive::Uri | Primitive::ArmId => "String".into(),
                Primitive::Secret => {
                    self.root.insert("Secret");
                    "Secret".into()
                }
                Primitive::Uuid => "uuid::Uuid".into(),
                Primitive::DateTime => "time::OffsetDateTime".into(),
                Primitive::Bytes => "Vec<u8>".into(),
                Primitive::Bool => "bool".into(),
                Primitive::I32 => "i32".into(),
                Primitive::I64 => "i64".into(),
                Primitive::F64 => "f64".into(),
            },
            TypeRef::List(item) => format!("Vec<{}>", self.type_text(&nested(item))),
            TypeRef::Map(item) => {
                self.btree_map = true;
                format!("BTreeMap<String, {}>", self.type_text(&nested(item)))
            }
            TypeRef::Any => "serde_json::Value".into(),
        }
    }
}

/// `use path::{items};`, over several lines when one would be too wide.
fn use_lines(path: &str, items: &[String]) -> Vec<String> {
    match items {
        [] => Vec::new(),
        [item] => vec![format!("use {path}::{item};")],
        _ => {
            let line = format!("use {path}::{{{}}};", items.join(", "));
            if line.len() < WIDTH {
                return vec![line];
            }
            let mut lines = vec![format!("use {path}::{{")];
            lines.extend(items.iter().map(|item| format!("    {item},")));
            lines.push("};".into());
            lines
        }
    }
}

/// A type as held inside a list or map: date-times and bytes stay their wire text there.
fn nested(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Primitive(Primitive::DateTime | Primitive::Bytes) => {
            TypeRef::Primitive(Primitive::String)
        }
        other => other.clone(),
    }
}

/// A number or flag literal of `primitive`; `None` when `json` is not one (a string holding
/// one is read, as query and header values are text).
fn scalar(primitive: Primitive, json: &Value) -> Option<String> {
    let number = match json {
        Value::String(text) => text.parse::<serde_json::Number>().ok().map(Value::Number),
        other => Some(other.clone()),
    };
    match primitive {
        Primitive::Bool => match json {
            Value::Bool(flag) => Some(flag.to_string()),
            Value::String(text) if text == "true" || text == "false" => Some(text.clone()),
            _ => None,
        },
        Primitive::I32 => {
            let value = number?.as_i64()?;
            i32::try_from(value).ok().map(|value| value.to_string())
        }
        Primitive::I64 => number?.as_i64().map(|value| value.to_string()),
        Primitive::F64 => number?.as_f64().map(|value| format!("{value:?}")),
        _ => None,
    }
}

/// Whether `ty` is a closed enum with one value (a constant the model fills itself).
fn is_constant(plan: &Plan<'_>, ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Named(name)
        if matches!(plan.types.get(name).map(|t| &t.shape), Some(TypeShape::Enum(e)) if e.constant))
}

/// The index of the field of `def` whose wire name is `key` (exactly, else ignoring case).
fn field_index(def: &crate::ir::StructDef, key: &str) -> Option<usize> {
    def.fields
        .iter()
        .position(|field| field.wire_name == key)
        .or_else(|| {
            def.fields
                .iter()
                .position(|field| field.wire_name.eq_ignore_ascii_case(key))
        })
}

/// The value of `name` in an example's `parameters` (exactly, else ignoring case).
fn lookup<'v>(object: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    })
}

/// The bytes of standard base64 `text` (padding optional, as the spec's examples write it
/// either way); `None` when it is not base64.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    const PADDING_OPTIONAL: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    PADDING_OPTIONAL.decode(text).ok()
}

/// A byte string literal (`b"..."`) of `bytes`, printable ASCII as is and the rest escaped.
fn byte_string_literal(bytes: &[u8]) -> String {
    let mut out = String::from("b\"");
    for byte in bytes {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(*byte)),
            _ => out.push_str(&format!("\\x{byte:02x}")),
        }
    }
    out.push('"');
    out
}

/// A Rust string literal of `text`.
fn string_literal(text: &str) -> String {
    format!("{text:?}")
}

/// A property path as inline code in a note.
fn code(path: &str) -> String {
    format!("`{path}`")
}

/// What kind of JSON value `json` is, for a note.
fn json_kind(json: &Value) -> &'static str {
    match json {
        Value::Null => "`null`",
        Value::Bool(_) => "flag",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;
    use crate::ir::Api;
    use crate::plan::PlanSettings;

    /// The IR of the fixture whose examples cover every kind of value.
    fn fixture() -> Api {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example_code.json");
        let set = crate::load::load(&[path]).unwrap();
        crate::ir::build(&crate::normalise::normalise(&set).unwrap()).unwrap()
    }

    /// `json` rendered as `ty` in a place of the exact type, on one line, with the notes.
    fn render(
        plan: &Plan<'_>,
        ty: TypeRef,
        json: Value,
        want: Want,
    ) -> (Option<String>, Vec<String>) {
        let mut renderer = Renderer::new(plan);
        let expr = renderer.value(&ty, &json, want, "body");
        (expr.map(|expr| expr.flat()), renderer.notes)
    }

    fn named(name: &str) -> TypeRef {
        TypeRef::Named(name.into())
    }

    #[test]
    fn a_body_is_its_constructor_then_setters_through_the_flattened_properties() {
        let api = fixture();
        let plan = Plan::new(&api, &PlanSettings::default());
        let body = json!({
            "id": "/subscriptions/x",
            "location": "westus",
            "tags": {"team": "blue"},
            "properties": {
                "size": 3,
                "kind": "round",
                "shape": "Circle",
                "parts": [{"name": "gear"}],
                "policy": {"type": "Periodic", "intervalHours": 24},
                "state": "Ready"
            }
        });
        let (expr, notes) = render(&plan, named("Widget"), body, Want::Exact);
        assert_eq!(
            expr.as_deref(),
            Some(
                "Widget::new(\"westus\", 3)\
                 .with_tags([(\"team\".to_owned(), \"blue\".to_owned())])\
                 .with_kind(WidgetKind::Round)\
                 .with_shape(Shape::Circle)\
                 .with_parts([Part::new(\"gear\")])\
                 .with_policy(PeriodicPolicy::new(\"Periodic\").with_interval_hours(24))"
            )
        );
        assert_eq!(
            notes,
            [
                "`body.id` (read-only: the service sets it)",
                "`body.properties.state` (read-only: the service sets it)",
            ]
        );
        // A required value the example lacks: no body, and a note saying which.
        let (expr, notes) = render(
            &plan,
            named("Widget"),
            json!({"location": "westus"}),
            Want::Exact,
        );
        assert_eq!(expr, None);
        assert_eq!(
            notes[0],
            "`body.properties.size` (required, but the example has no value)"
        );
    }

    #[test]
    fn each_kind_of_value_is_the_crate_type_or_a_note() {
        let api = fixture();
        let plan = Plan::new(&api, &PlanSettings::default());
        let primitive = TypeRef::Primitive;
        let cases: Vec<(TypeRef, Value, Want, Option<&str>)> = vec![
            (
                primitive(Primitive::String),
                json!("a"),
                Want::Into,
                Some("\"a\""),
            ),
            (
                primitive(Primitive::String),
                json!("a"),
                Want::Exact,
                Some("\"a\".to_owned()"),
            ),
            (
                primitive(Primitive::Secret),
                json!("k"),
                Want::Exact,
                Some("Secret::from(\"k\")"),
            ),
            (
                primitive(Primitive::DateTime),
                json!("2024-01-02T03:04:05Z"),
                Want::Into,
                Some(
                    "time::OffsetDateTime::parse(\"2024-01-02T03:04:05Z\", \
                     &time::format_description::well_known::Rfc3339)?",
                ),
            ),
            (
                primitive(Primitive::Uuid),
                json!("u"),
                Want::Into,
                Some("\"u\".parse::<uuid::Uuid>()?"),
            ),
            (
                primitive(Primitive::Bytes),
                json!("U3dhZ2dlciByb2Nrcw=="),
                Want::Into,
                Some("b\"Swagger rocks\""),
            ),
            (
                primitive(Primitive::Bytes),
                json!("not base64!"),
                Want::Into,
                None,
            ),
            (primitive(Primitive::F64), json!(2), Want::Into, Some("2.0")),
            (
                primitive(Primitive::I32),
                json!(4_000_000_000_i64),
                Want::Into,
                None,
            ),
            (primitive(Primitive::Bool), json!("yes"), Want::Into, None),
            (
                TypeRef::List(Box::new(primitive(Primitive::DateTime))),
                json!(["2024-01-02T03:04:05Z"]),
                Want::Exact,
                Some("vec![\"2024-01-02T03:04:05Z\".to_owned()]"),
            ),
            (
                TypeRef::Map(Box::new(primitive(Primitive::I64))),
                json!({"max": 10}),
                Want::Exact,
                Some("BTreeMap::from([(\"max\".to_owned(), 10)])"),
            ),
            (
                TypeRef::List(Box::new(named("Part"))),
                json!([]),
                Want::Into,
                Some("Vec::<Part>::new()"),
            ),
            (
                TypeRef::Any,
                json!({"a": [1]}),
                Want::Into,
                Some("serde_json::json!({\"a\":[1]})"),
            ),
            (
                named("WidgetKind"),
                json!("Hexagonal"),
                Want::Into,
                Some("WidgetKind::Other(\"Hexagonal\".into())"),
            ),
            (named("Shape"), json!("Triangle"), Want::Into, None),
            (
                named("Policy"),
                json!({"type": "continuous", "tier": "hot"}),
                Want::Exact,
                Some(
                    "Policy::Continuous(ContinuousPolicy::new(\"continuous\").with_tier(\"hot\"))",
                ),
            ),
            (
                named("Policy"),
                json!({"type": "Yearly"}),
                Want::Exact,
                Some("Policy::Other(serde_json::json!({\"type\":\"Yearly\"}))"),
            ),
        ];
        for (ty, json, want, expected) in cases {
            let (expr, notes) = render(&plan, ty.clone(), json.clone(), want);
            assert_eq!(expr.as_deref(), expected, "{ty:?} {json}");
            // A value left out always says so.
            assert_eq!(
                notes.is_empty(),
                expected.is_some(),
                "{ty:?} {json}: {notes:?}"
            );
        }
    }

    #[test]
    fn wide_expressions_break_as_rustfmt_would() {
        let atom = |text: &str| Expr::Atom(text.into());
        let expr = Expr::Chain {
            base: Box::new(Expr::Call {
                open: "Widget::new(".into(),
                args: vec![Expr::Call {
                    open: "[".into(),
                    args: vec![
                        atom(&format!("\"{}\"", "x".repeat(50))),
                        atom(&format!("\"{}\"", "y".repeat(50))),
                    ],
                    close: "]",
                }],
                close: ")",
            }),
            calls: vec![
                ("with_size".into(), Some(vec![atom("3")])),
                ("await?".into(), None),
            ],
        };
        let x = "x".repeat(50);
        let y = "y".repeat(50);
        assert_eq!(
            expr.write(0, 13),
            format!("Widget::new([\n    \"{x}\",\n    \"{y}\",\n])\n.with_size(3)\n.await?")
        );
        let short = Expr::Chain {
            base: Box::new(atom("Widget::default()")),
            calls: vec![("with_size".into(), Some(vec![atom("3")]))],
        };
        assert_eq!(short.write(0, 0), "Widget::default().with_size(3)");
    }

    #[test]
    fn a_borrowed_value_is_borrowed_at_its_start() {
        let atom = |text: &str| Expr::Atom(text.into());
        assert_eq!(borrowed(atom("x")).flat(), "&x");
        let map = Expr::Call {
            open: "BTreeMap::from([".into(),
            args: vec![atom("(a, b)")],
            close: "])",
        };
        assert_eq!(borrowed(map).flat(), "&BTreeMap::from([(a, b)])");
        let chain = Expr::Chain {
            base: Box::new(atom("x")),
            calls: vec![("f".into(), Some(vec![]))],
        };
        assert_eq!(borrowed(chain).flat(), "&x.f()");
    }

    #[test]
    fn bytes_decode_from_base64_into_a_byte_string() {
        assert_eq!(
            base64_decode("U3dhZ2dlciByb2Nrcw==").as_deref(),
            Some(&b"Swagger rocks"[..])
        );
        assert_eq!(base64_decode("AP8=").as_deref(), Some(&[0x00, 0xff][..]));
        assert_eq!(base64_decode("AP8").as_deref(), Some(&[0x00, 0xff][..]));
        assert_eq!(base64_decode("a b"), None);
        assert_eq!(byte_string_literal(b"a\"\\\x00"), "b\"a\\\"\\\\\\x00\"");
    }
}
