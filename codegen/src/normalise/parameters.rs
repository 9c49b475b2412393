//! Parameters, converted: `$ref`s followed (into other files too), body parameters turned into
//! request bodies, path, query and header parameters into OpenAPI 3 parameters with their
//! extensions recorded in the side tables.

use super::*;

impl Normaliser<'_> {
    /// Follows a parameter `$ref` (possibly into another file) to the parameter itself.
    pub(super) fn resolve_parameter(
        &self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
    ) -> Result<(PathBuf, String, swagger::Parameter)> {
        let mut current = (file.to_owned(), pointer.to_owned(), parameter.clone());
        let mut chain = Vec::new();
        while let Some(reference) = current.2.reference.clone() {
            let target = self.set.resolve(&current.0, &current.1, &reference)?;
            if chain.contains(&target) || chain.len() > 32 {
                return Err(Error::RefCycle {
                    file: file.to_owned(),
                    pointer: pointer.to_owned(),
                    chain: describe_chain(&chain, &target),
                });
            }
            chain.push(target.clone());
            let parameter = self.typed_at::<swagger::Parameter>(&target)?;
            current = (target.file, target.pointer, parameter);
        }
        Ok(current)
    }

    /// A body parameter as a request body; `at` is the request body's pointer.
    pub(super) fn body(
        &mut self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
        at: &str,
    ) -> Result<oa::RequestBody> {
        let schema = match &parameter.schema {
            Some(schema) => Some(self.schema(
                file,
                &format!("{pointer}/schema"),
                schema,
                &content_schema_pointer(at),
            )?),
            None => None,
        };
        Ok(oa::RequestBody {
            description: parameter.description.clone(),
            content: json_content(schema),
            required: parameter.required,
            extensions: IndexMap::new(),
        })
    }

    /// A path, query or header parameter; `at` is its schema's pointer.
    pub(super) fn parameter(
        &mut self,
        file: &Path,
        pointer: &str,
        parameter: &swagger::Parameter,
        at: &str,
    ) -> Result<oa::Parameter> {
        let schema = self.schema(file, pointer, &parameter.simple, at)?;
        let data = oa::ParameterData {
            name: parameter.name.clone(),
            description: parameter.description.clone(),
            required: parameter.required,
            deprecated: None,
            format: oa::ParameterSchemaOrContent::Schema(schema),
            example: None,
            examples: IndexMap::new(),
            explode: None,
            extensions: IndexMap::new(),
        };
        Ok(match parameter.location.as_str() {
            "path" => oa::Parameter::Path {
                parameter_data: data,
                style: oa::PathStyle::Simple,
            },
            "query" => oa::Parameter::Query {
                parameter_data: data,
                allow_reserved: false,
                style: oa::QueryStyle::Form,
                allow_empty_value: None,
            },
            "header" => oa::Parameter::Header {
                parameter_data: data,
                style: oa::HeaderStyle::Simple,
            },
            other => {
                return Err(Error::Unsupported {
                    file: file.to_owned(),
                    pointer: pointer.to_owned(),
                    reason: format!(
                        "parameter {:?} is `in: {other}`; only path, query, header and body are supported",
                        parameter.name
                    ),
                });
            }
        })
    }
}
