//! Structs, built: the fields of a component or inline object (its `allOf` parents' first),
//! with their read-only, required and constraint facts, and the discriminated unions that
//! components inheriting from a discriminator base form.

use super::*;

impl TypeBuilder<'_> {
    /// Records, for every discriminator base, the components that inherit from it.
    pub(super) fn find_union_variants(&mut self) -> Result<()> {
        for (name, schema) in self.components {
            let oa::ReferenceOr::Item(schema) = schema else {
                continue;
            };
            let mut ancestors = Vec::new();
            self.collect_ancestors(name, schema, &mut ancestors, &mut vec![name.clone()])?;
            let value = self
                .extensions(&component_pointer(name))
                .discriminator_value
                .clone()
                .unwrap_or_else(|| name.clone());
            for ancestor in ancestors {
                if let oa::ReferenceOr::Item(base) = self.component(&ancestor)
                    && base.schema_data.discriminator.is_some()
                {
                    self.variants
                        .entry(ancestor)
                        .or_default()
                        .push(UnionVariant {
                            value: value.clone(),
                            ty: name.clone(),
                        });
                }
            }
        }
        Ok(())
    }

    pub(super) fn collect_ancestors(
        &self,
        name: &str,
        schema: &oa::Schema,
        out: &mut Vec<String>,
        path: &mut Vec<String>,
    ) -> Result<()> {
        let oa::SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return Ok(());
        };
        for parent in all_of {
            let Some(parent) = reference_name(parent) else {
                continue;
            };
            if path.iter().any(|p| p == parent) {
                let origin = self.origin(name);
                return Err(Error::RefCycle {
                    file: origin.file,
                    pointer: format!("{}/allOf", origin.pointer),
                    chain: format!("{} -> {parent}", path.join(" -> ")),
                });
            }
            if !out.iter().any(|known| known == parent) {
                out.push(parent.to_owned());
            }
            if let oa::ReferenceOr::Item(parent_schema) = self.component(parent) {
                path.push(parent.to_owned());
                self.collect_ancestors(parent, parent_schema, out, path)?;
                path.pop();
            }
        }
        Ok(())
    }

    pub(super) fn struct_def(
        &mut self,
        name: &str,
        schema: &oa::Schema,
        context: &Context,
    ) -> Result<StructDef> {
        let mut fields: Vec<Field> = Vec::new();
        let mut required = HashSet::new();
        let mut additional = None;
        self.stack.push(name.to_owned());
        let result =
            self.merge_fields(schema, context, &mut fields, &mut required, &mut additional);
        self.stack.pop();
        result?;
        for field in &mut fields {
            field.required = required.contains(&field.wire_name) && !field.read_only;
        }
        Ok(StructDef { fields, additional })
    }

    /// Adds the fields of `schema` (and of its `allOf` parents, first) to `fields`.
    pub(super) fn merge_fields(
        &mut self,
        schema: &oa::Schema,
        context: &Context,
        fields: &mut Vec<Field>,
        required: &mut HashSet<String>,
        additional: &mut Option<TypeRef>,
    ) -> Result<()> {
        match &schema.schema_kind {
            oa::SchemaKind::AllOf { all_of } => {
                for (index, parent) in all_of.iter().enumerate() {
                    match parent {
                        oa::ReferenceOr::Reference { reference } => {
                            let parent_name = strip_ref(reference, context)?;
                            if self.stack.iter().any(|n| n == parent_name) {
                                return Err(Error::RefCycle {
                                    file: context.origin.file.clone(),
                                    pointer: format!("{}/allOf", context.origin.pointer),
                                    chain: format!("{} -> {parent_name}", self.stack.join(" -> ")),
                                });
                            }
                            let oa::ReferenceOr::Item(parent_schema) = self.component(parent_name)
                            else {
                                continue;
                            };
                            self.stack.push(parent_name.to_owned());
                            let parent_context = Context {
                                name: context.name.clone(),
                                origin: self.origin(parent_name),
                                at: component_pointer(parent_name),
                            };
                            let result = self.merge_fields(
                                parent_schema,
                                &parent_context,
                                fields,
                                required,
                                additional,
                            );
                            self.stack.pop();
                            result?;
                        }
                        oa::ReferenceOr::Item(own) => {
                            let own_context = Context {
                                at: format!("{}/allOf/{index}", context.at),
                                ..context.clone()
                            };
                            self.merge_fields(own, &own_context, fields, required, additional)?
                        }
                    }
                }
            }
            oa::SchemaKind::Type(oa::Type::Object(object)) => {
                required.extend(object.required.iter().cloned());
                for (wire_name, property) in &object.properties {
                    let field = self.field(wire_name, property, context)?;
                    match fields.iter_mut().find(|f| f.wire_name == *wire_name) {
                        Some(existing) => *existing = field,
                        None => fields.push(field),
                    }
                }
                if let Some(oa::AdditionalProperties::Schema(inner)) = &object.additional_properties
                {
                    let value_context = Context {
                        name: format!("{}Value", context.name),
                        origin: context.origin.clone(),
                        at: format!("{}/additionalProperties", context.at),
                    };
                    let (ty, _) = self.type_of(inner, &value_context)?;
                    *additional = Some(ty).filter(|ty| *ty != TypeRef::Any);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether `schema` is a `$ref` (bare, or the `allOf: [$ref]` that carries its sibling
    /// annotations) to a definition marked `readOnly` as a whole, as hand-written specs do
    /// (`"provisioningState": {"$ref": "#/definitions/ProvisioningState"}`): the property is then
    /// read-only too.
    pub(super) fn references_read_only(&self, schema: &oa::ReferenceOr<Box<oa::Schema>>) -> bool {
        let reference = match schema {
            oa::ReferenceOr::Reference { reference } => reference,
            oa::ReferenceOr::Item(item) => match &item.schema_kind {
                oa::SchemaKind::AllOf { all_of } => match all_of.as_slice() {
                    [oa::ReferenceOr::Reference { reference }] => reference,
                    _ => return false,
                },
                _ => return false,
            },
        };
        reference
            .strip_prefix("#/components/schemas/")
            .and_then(|name| self.components.get(name))
            .is_some_and(|component| {
                matches!(component, oa::ReferenceOr::Item(definition) if definition.schema_data.read_only)
            })
    }

    pub(super) fn field(
        &mut self,
        wire_name: &str,
        schema: &oa::ReferenceOr<Box<oa::Schema>>,
        parent: &Context,
    ) -> Result<Field> {
        let context = Context {
            name: format!("{}{}", parent.name, wire_name.to_upper_camel_case()),
            origin: Origin {
                file: parent.origin.file.clone(),
                pointer: format!("{}/properties/{}", parent.origin.pointer, escape(wire_name)),
            },
            at: format!("{}/properties/{}", parent.at, escape(wire_name)),
        };
        let unboxed = unbox(schema);
        let (mut ty, constraints) = self.type_of(&unboxed, &context)?;
        let data = match schema {
            oa::ReferenceOr::Item(item) => Some(&item.schema_data),
            oa::ReferenceOr::Reference { .. } => None,
        };
        let extensions = self.extensions(&context.at);
        if extensions.secret && ty == TypeRef::Primitive(Primitive::String) {
            ty = TypeRef::Primitive(Primitive::Secret);
        }
        Ok(Field {
            wire_name: wire_name.to_owned(),
            ty,
            required: false,
            read_only: data.is_some_and(|d| d.read_only) || self.references_read_only(schema),
            description: crate::ir::description(data.and_then(|d| d.description.as_ref())),
            constraints,
            mutability: extensions.mutability.clone(),
            client_flatten: extensions.client_flatten,
            default: data.and_then(|d| d.default.clone()),
            client_name: extensions.client_name.clone(),
        })
    }
}
