//! Types compared where they are used: named types as old/new pairs by wire shape (fields,
//! required-ness, enum values, discriminators, constraints), scalars by wire type and by Rust
//! type, and the types no operation reaches matched by name, then by shape.

use super::*;

impl Differ<'_> {
    /// Compares two uses of types at `subject`: named types as a pair (once per pair), scalars
    /// by wire type and by Rust type.
    pub(super) fn compare(&mut self, old: &TypeRef, new: &TypeRef, subject: &str) {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.pair(a, b),
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.compare(a, b, subject);
            }
            _ => {
                let detail = format!("is now {} (was {})", describe(new), describe(old));
                if wire_kind(self.old, old) != wire_kind(self.new, new) {
                    self.push(Impact::Wire, subject, detail);
                } else if rust_type(old) != rust_type(new) {
                    let detail = format!("{detail}; the same on the wire");
                    self.push(Impact::RustApi, subject, detail);
                }
            }
        }
    }

    /// Compares the old type `a` with the new type `b` used in its place, once per pair.
    pub(super) fn pair(&mut self, a: &str, b: &str) {
        if !self.visited.insert((a.to_owned(), b.to_owned())) {
            return;
        }
        let (Some(old), Some(new)) = (self.old.types.get(a), self.new.types.get(b)) else {
            return;
        };
        let subject = if a == b {
            format!("{} `{b}`", kind_name(&new.kind))
        } else {
            format!("{} `{b}` (was `{a}`)", kind_name(&new.kind))
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => self.structs(x, y, &subject),
            (TypeKind::Enum(x), TypeKind::Enum(y)) => self.enums(x, y, &subject),
            (TypeKind::Union(x), TypeKind::Union(y)) => self.unions(x, y, &subject),
            (TypeKind::Newtype(x), TypeKind::Newtype(y)) => {
                self.constraints(&x.constraints, &y.constraints, &subject);
            }
            (x, y) => {
                let detail = format!("is now a {} (was a {})", kind_name(y), kind_name(x));
                self.push(Impact::Wire, &subject, detail);
            }
        }
    }

    pub(super) fn structs(&mut self, old: &StructDef, new: &StructDef, subject: &str) {
        for field in &old.fields {
            let field_subject = format!("{subject}, field `{}`", field.wire_name);
            match new.fields.iter().find(|f| f.wire_name == field.wire_name) {
                None => self.push(Impact::Wire, &field_subject, "removed"),
                Some(now) => self.field(field, now, &field_subject),
            }
        }
        for field in &new.fields {
            if !old.fields.iter().any(|f| f.wire_name == field.wire_name) {
                let required = field.required && !field.read_only;
                let detail = format!(
                    "added ({}{})",
                    describe(&field.ty),
                    if required { ", required" } else { "" }
                );
                let impact = if required {
                    Impact::Wire
                } else {
                    Impact::Compatible
                };
                self.push(
                    impact,
                    &format!("{subject}, field `{}`", field.wire_name),
                    detail,
                );
            }
        }
        if let (Some(a), Some(b)) = (&old.additional, &new.additional) {
            self.compare(a, b, &format!("{subject}, additional properties"));
        }
    }

    pub(super) fn field(&mut self, old: &Field, new: &Field, subject: &str) {
        let numbers = |ty: &TypeRef| {
            matches!(
                ty,
                TypeRef::Primitive(Primitive::I32 | Primitive::I64 | Primitive::F64)
            )
        };
        if old.read_only && new.read_only && numbers(&old.ty) && numbers(&new.ty) {
            // Only the service sends it, and any JSON number reads as before.
            if rust_type(&old.ty) != rust_type(&new.ty) {
                let detail = format!(
                    "is now {} (was {}); read-only, a JSON number either way",
                    describe(&new.ty),
                    describe(&old.ty)
                );
                self.push(Impact::RustApi, subject, detail);
            }
        } else {
            self.compare(&old.ty, &new.ty, subject);
        }
        if old.required != new.required {
            // Required both ways: sent by callers and returned by the service.
            let detail = if new.required {
                "is now required"
            } else {
                "is now optional"
            };
            self.push(Impact::Wire, subject, detail);
        }
        if old.read_only != new.read_only {
            // A field that becomes read-only is no longer sent: values callers set are dropped.
            if new.read_only {
                self.push(Impact::Wire, subject, "is now read-only (no longer sent)");
            } else {
                self.push(Impact::Compatible, subject, "is now writable");
            }
        }
        self.constraints(&old.constraints, &new.constraints, subject);
    }

    pub(super) fn enums(&mut self, old: &EnumDef, new: &EnumDef, subject: &str) {
        let (old_values, new_values) = (enum_values(old), enum_values(new));
        for removed in old_values.difference(&new_values) {
            self.push(Impact::Wire, subject, format!("value `{removed}` removed"));
        }
        for added in new_values.difference(&old_values) {
            // A closed enum gains a value old clients cannot read.
            let impact = if new.extensible {
                Impact::Compatible
            } else {
                Impact::Wire
            };
            self.push(impact, subject, format!("value `{added}` added"));
        }
        match (old.extensible, new.extensible) {
            (false, true) => self.push(
                Impact::RustApi,
                subject,
                "is now extensible (gains an `Other` variant)",
            ),
            (true, false) => self.push(
                Impact::Wire,
                subject,
                "is no longer extensible (unknown values are refused)",
            ),
            _ => {}
        }
    }

    pub(super) fn unions(&mut self, old: &UnionDef, new: &UnionDef, subject: &str) {
        for variant in &old.variants {
            match new.variants.iter().find(|v| v.value == variant.value) {
                Some(now) => self.pair(&variant.ty, &now.ty),
                None => {
                    let detail = format!("kind `{}` removed", variant.value);
                    self.push(Impact::Wire, subject, detail);
                }
            }
        }
        for variant in &new.variants {
            if !old.variants.iter().any(|v| v.value == variant.value) {
                // Old clients cannot read the new kind.
                let detail = format!("kind `{}` added (a new variant)", variant.value);
                self.push(Impact::Wire, subject, detail);
            }
        }
    }

    /// Compares the constraints of one value: a new or narrower bound is breaking (values that
    /// were valid are refused), a dropped or wider bound is not.
    pub(super) fn constraints(&mut self, old: &Constraints, new: &Constraints, subject: &str) {
        let mut bound =
            |name: &str, old: Option<f64>, new: Option<f64>, tighter: fn(f64, f64) -> bool| {
                let (detail, breaking) = match (old, new) {
                    (None, Some(b)) => (format!("{name} {b} added"), true),
                    (Some(a), None) => (format!("{name} {a} removed"), false),
                    (Some(a), Some(b)) if a != b => {
                        (format!("{name} is now {b} (was {a})"), tighter(a, b))
                    }
                    _ => return,
                };
                let impact = if breaking {
                    Impact::Wire
                } else {
                    Impact::Compatible
                };
                self.push(impact, subject, detail);
            };
        let as_f64 = |v: Option<u64>| v.map(|v| v as f64);
        let raised = |a: f64, b: f64| b > a;
        let lowered = |a: f64, b: f64| b < a;
        bound(
            "minLength",
            as_f64(old.min_length),
            as_f64(new.min_length),
            raised,
        );
        bound(
            "maxLength",
            as_f64(old.max_length),
            as_f64(new.max_length),
            lowered,
        );
        bound("minimum", old.minimum, new.minimum, raised);
        bound("maximum", old.maximum, new.maximum, lowered);
        bound(
            "minItems",
            as_f64(old.min_items),
            as_f64(new.min_items),
            raised,
        );
        bound(
            "maxItems",
            as_f64(old.max_items),
            as_f64(new.max_items),
            lowered,
        );
        if old.pattern != new.pattern {
            let detail = match (&old.pattern, &new.pattern) {
                (None, Some(p)) => format!("pattern `{p}` added"),
                (Some(p), None) => format!("pattern `{p}` removed"),
                (Some(a), Some(b)) => format!("pattern is now `{b}` (was `{a}`)"),
                (None, None) => return,
            };
            // A changed pattern may refuse values the old one accepted: treated as breaking.
            let impact = if new.pattern.is_some() {
                Impact::Wire
            } else {
                Impact::Compatible
            };
            self.push(impact, subject, detail);
        }
        if old.uuid != new.uuid {
            if new.uuid {
                self.push(Impact::Wire, subject, "must now be a UUID");
            } else {
                self.push(Impact::Compatible, subject, "no longer needs to be a UUID");
            }
        }
    }

    /// Compares the types no operation reached: same names as pairs, then names only in the old
    /// API with names only in the new one when exactly one has the same wire shape.
    pub(super) fn unreached_types(&mut self) {
        let reached_old: BTreeSet<String> = self.visited.iter().map(|(a, _)| a.clone()).collect();
        let reached_new: BTreeSet<String> = self.visited.iter().map(|(_, b)| b.clone()).collect();
        let names: Vec<String> = self
            .old
            .types
            .keys()
            .filter(|name| !reached_old.contains(*name) && self.new.types.contains_key(*name))
            .cloned()
            .collect();
        for name in names {
            self.pair(&name, &name);
        }
        let old_only = unreached_only(self.old, self.new, &reached_old);
        let new_only = unreached_only(self.new, self.old, &reached_new);
        let mut matches = Vec::new();
        for a in &old_only {
            let same: Vec<&&String> = new_only
                .iter()
                .filter(|b| self.same_shape(a, b, &mut BTreeSet::new()))
                .collect();
            if let [b] = same.as_slice() {
                matches.push(((*a).clone(), (**b).clone()));
            }
        }
        for (a, b) in matches {
            self.pair(&a, &b);
        }
    }

    /// Reports the named types as the Rust API sees them: removed (used nowhere in the new
    /// API), renamed (used, one for one, where a type of another name was), replaced by several,
    /// or added.
    pub(super) fn renamed_types(&mut self) {
        let mut used_for: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        let mut used_as: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for (a, b) in &self.visited {
            used_for.entry(a).or_default().insert(b);
            used_as.entry(b).or_default().insert(a);
        }
        let mut changes = Vec::new();
        for (name, def) in &self.old.types {
            let subject = format!("{} `{name}`", kind_name(&def.kind));
            let now: Vec<&str> = used_for
                .get(name.as_str())
                .into_iter()
                .flatten()
                .copied()
                .filter(|b| rust_name(b) != rust_name(name))
                .collect();
            let kept = self.new.types.contains_key(name);
            match (kept, now.as_slice()) {
                (true, []) => {}
                (false, []) if used_for.contains_key(name.as_str()) => {}
                (false, []) => changes.push((Impact::RustApi, subject, "removed".to_owned())),
                (false, [one])
                    if !self.old.types.contains_key(*one)
                        && used_as.get(one).is_some_and(|olds| olds.len() == 1) =>
                {
                    changes.push((Impact::RustApi, subject, format!("renamed to `{one}`")));
                }
                (kept, several) => {
                    let list = several
                        .iter()
                        .map(|b| format!("`{b}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let detail = if kept {
                        format!("also replaced by {list} in some places")
                    } else {
                        format!("replaced by {list}")
                    };
                    changes.push((Impact::RustApi, subject, detail));
                }
            }
        }
        for (name, def) in &self.new.types {
            if !self.old.types.contains_key(name) && !used_as.contains_key(name.as_str()) {
                let subject = format!("{} `{name}`", kind_name(&def.kind));
                changes.push((Impact::Compatible, subject, "added".to_owned()));
            }
        }
        for (impact, subject, detail) in changes {
            self.push(impact, &subject, detail);
        }
    }

    /// Whether the old type `a` and the new type `b` have the same wire shape; pairs in
    /// `assumed` (being compared further up) count as equal.
    pub(super) fn same_shape(
        &self,
        a: &str,
        b: &str,
        assumed: &mut BTreeSet<(String, String)>,
    ) -> bool {
        if !assumed.insert((a.to_owned(), b.to_owned())) {
            return true;
        }
        let (Some(old), Some(new)) = (self.old.types.get(a), self.new.types.get(b)) else {
            return false;
        };
        match (&old.kind, &new.kind) {
            (TypeKind::Struct(x), TypeKind::Struct(y)) => {
                x.fields.len() == y.fields.len()
                    && x.fields.iter().all(|f| {
                        y.fields.iter().any(|g| {
                            g.wire_name == f.wire_name
                                && g.required == f.required
                                && g.read_only == f.read_only
                                && self.same_ref_shape(&f.ty, &g.ty, assumed)
                        })
                    })
            }
            (TypeKind::Enum(x), TypeKind::Enum(y)) => enum_values(x) == enum_values(y),
            (TypeKind::Union(x), TypeKind::Union(y)) => {
                x.property == y.property
                    && x.variants.len() == y.variants.len()
                    && x.variants.iter().all(|v| {
                        y.variants
                            .iter()
                            .any(|w| w.value == v.value && self.same_shape(&v.ty, &w.ty, assumed))
                    })
            }
            (TypeKind::Newtype(x), TypeKind::Newtype(y)) => x.constraints == y.constraints,
            _ => false,
        }
    }

    pub(super) fn same_ref_shape(
        &self,
        old: &TypeRef,
        new: &TypeRef,
        assumed: &mut BTreeSet<(String, String)>,
    ) -> bool {
        match (old, new) {
            (TypeRef::Named(a), TypeRef::Named(b)) => self.same_shape(a, b, assumed),
            (TypeRef::List(a), TypeRef::List(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.same_ref_shape(a, b, assumed)
            }
            _ => wire_kind(self.old, old) == wire_kind(self.new, new),
        }
    }
}

/// The names of `api`'s types that no operation reached (`reached`) and `other` does not have.
pub(super) fn unreached_only<'a>(
    api: &'a Api,
    other: &Api,
    reached: &BTreeSet<String>,
) -> Vec<&'a String> {
    api.types
        .keys()
        .filter(|name| !reached.contains(*name) && !other.types.contains_key(*name))
        .collect()
}

/// The JSON type a value has on the wire; named types other than validated strings are their
/// own (compared as pairs).
pub(super) fn wire_kind(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::Bool => "boolean",
            Primitive::I32 | Primitive::I64 => "integer",
            Primitive::F64 => "number",
            Primitive::String
            | Primitive::Secret
            | Primitive::Uri
            | Primitive::ArmId
            | Primitive::Uuid
            | Primitive::DateTime
            | Primitive::Bytes => "string",
        }
        .to_owned(),
        TypeRef::Named(name) => match api.types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Newtype(_)) => "string".to_owned(),
            _ => format!("`{name}`"),
        },
        TypeRef::List(inner) => format!("list of {}", wire_kind(api, inner)),
        TypeRef::Map(inner) => format!("map of {}", wire_kind(api, inner)),
        TypeRef::Any => "any JSON".to_owned(),
    }
}

/// The Rust type a scalar becomes (`azrm_runtime::Uri` and `ArmId` are `String`).
pub(super) fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String | Primitive::Uri | Primitive::ArmId => "String",
            Primitive::Secret => "Secret",
            Primitive::Uuid => "Uuid",
            Primitive::DateTime => "OffsetDateTime",
            Primitive::Bytes => "Vec<u8>",
            Primitive::Bool => "bool",
            Primitive::I32 => "i32",
            Primitive::I64 => "i64",
            Primitive::F64 => "f64",
        }
        .to_owned(),
        TypeRef::Named(name) => rust_name(name),
        TypeRef::List(inner) => format!("Vec<{}>", rust_type(inner)),
        TypeRef::Map(inner) => format!("Map<{}>", rust_type(inner)),
        TypeRef::Any => "Value".to_owned(),
    }
}

pub(super) fn enum_values(def: &EnumDef) -> BTreeSet<&str> {
    def.values.iter().map(|v| v.value.as_str()).collect()
}

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "model",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Newtype(_) => "parameter type",
    }
}

/// A type as a reader of the report knows it.
pub(super) fn describe(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => format!("`{name}`"),
        TypeRef::Primitive(primitive) => format!("{primitive:?}").to_lowercase(),
        TypeRef::List(inner) => format!("list of {}", describe(inner)),
        TypeRef::Map(inner) => format!("map of {}", describe(inner)),
        TypeRef::Any => "any JSON".to_owned(),
    }
}
