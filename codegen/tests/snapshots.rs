//! Snapshot tests: one small Swagger 2.0 fixture per construct, run through the whole pipeline
//! (`output::generate`), with every generated file concatenated into one snapshot. Plus IR facts
//! about the same fixtures, asserted directly.

use std::path::PathBuf;

use azrm_codegen::Config;
use azrm_codegen::ir::{
    Api, CollectionFormat, FinalStateVia, Method, ParamLocation, ParamRole, Primitive, TypeKind,
    TypeRef,
};

const API_VERSION: &str = "2024-01-01";

/// The fixture's regen config (`output/{fixture}.regen.yaml`, which also writes its expected
/// output crate), writing to `out` so the snapshots do not name the crate's folder.
fn config(fixture: &str) -> Config {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/output/{fixture}.regen.yaml"));
    let mut config = Config::read(&path).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(config.api_version, API_VERSION);
    config.output = PathBuf::from("out");
    config
}

fn generate(fixture: &str) -> (Vec<(String, String)>, Api) {
    azrm_codegen::output::generate(&config(fixture), &mut Default::default())
        .unwrap_or_else(|error| panic!("{fixture}: generation failed: {error}"))
}

const HASH_PREFIX: &str = "// Inputs sha256: ";

/// Every generated file under a path header, with the input hash redacted: it changes with any
/// byte of the fixture, which would make every snapshot noisy. `input_hash_is_stable` checks it.
fn render(files: &[(String, String)]) -> String {
    let mut text = String::new();
    for (path, content) in files {
        text.push_str(&format!("==== {path} ====\n"));
        for line in content.lines() {
            if line.starts_with(HASH_PREFIX) {
                text.push_str(HASH_PREFIX);
                text.push_str("<redacted>\n");
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
        text.push('\n');
    }
    text
}

/// Generates `fixtures/{fixture}.json` and snapshots every file.
fn check(fixture: &str) {
    let (files, _) = generate(fixture);
    insta::assert_snapshot!(fixture, render(&files));
}

#[test]
fn params_group_and_pattern_clashes() {
    check("params_group_and_pattern_clashes");
    let (files, _) = generate("params_group_and_pattern_clashes");
    // A group named `Params` keeps its models; `params.rs` holds only the newtypes.
    let models: String = files
        .iter()
        .filter(|(path, _)| path.contains("/models/"))
        .map(|(_, text)| text.as_str())
        .collect();
    assert!(
        models.contains("pub struct Widget "),
        "Widget missing from models"
    );
    // Every pattern static is declared once per file, whatever the names it was derived from.
    for (path, text) in &files {
        let mut names: Vec<&str> = text
            .lines()
            .filter_map(|line| line.strip_prefix("static "))
            .map(|rest| rest.split(':').next().unwrap_or_default())
            .collect();
        let declared = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), declared, "{path} declares a static twice");
    }
}

#[test]
fn extensible_enum() {
    check("extensible_enum");
}

#[test]
fn closed_enum() {
    check("closed_enum");
    // `size` has no description of its own: it reads as the enum it holds.
    let (files, _) = generate("closed_enum");
    let (_, models) = files
        .iter()
        .find(|(path, _)| path.ends_with("models/widgets.rs"))
        .expect("the widgets models");
    assert!(
        models.contains("    /// The widget size.\n    pub size:"),
        "{models}"
    );
}

#[test]
fn the_front_page_says_what_the_crate_is() {
    let lib = |config: &Config| {
        let (files, _) = azrm_codegen::output::generate(config, &mut Default::default())
            .unwrap_or_else(|error| panic!("{error}"));
        let (_, lib) = files
            .into_iter()
            .find(|(path, _)| path.ends_with("lib.rs"))
            .unwrap();
        lib
    };
    let mut config = config("closed_enum");
    assert!(lib(&config).contains("\n//! Fixture for Closed enum.\n"));
    config.about = Some("Manages widgets and their sizes.".into());
    let page = lib(&config);
    assert!(
        page.contains("\n//! Manages widgets and their sizes.\n"),
        "{page}"
    );
    assert!(!page.contains("Fixture for"), "{page}");
}

#[test]
fn the_config_renames_types() {
    let mut config = config("closed_enum");
    config.rename = [("Widget".to_owned(), "Gadget".to_owned())].into();
    let (files, _) = azrm_codegen::output::generate(&config, &mut Default::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let text: String = files.iter().map(|(_, text)| text.as_str()).collect();
    assert!(text.contains("pub struct Gadget {"), "{text}");
    assert!(text.contains("models::Gadget"), "{text}");
    assert!(!text.contains("Widget {"), "{text}");
    // Another type may not take the name.
    config.rename = [("Widget".to_owned(), "Size".to_owned())].into();
    let Err(error) = azrm_codegen::output::generate(&config, &mut Default::default()) else {
        panic!("Widget renamed onto the enum Size");
    };
    assert!(
        error.to_string().contains("another type of the spec has"),
        "{error}"
    );
}

#[test]
fn all_of_chain() {
    check("all_of_chain");
}

#[test]
fn discriminator() {
    check("discriminator");
}

#[test]
fn additional_properties() {
    check("additional_properties");
}

#[test]
fn constrained_param() {
    check("constrained_param");
}

#[test]
fn read_only() {
    check("read_only");
}

#[test]
fn secret() {
    check("secret");
}

#[test]
fn nullable() {
    check("nullable");
}

#[test]
fn long_running() {
    check("long_running");
}

/// A query value marked `x-ms-skip-url-encoding` goes through `push_verbatim_query`, required,
/// optional, with its client default and item by item; an unmarked one is encoded as usual.
#[test]
fn skip_url_encoding_query() {
    check("skip_url_encoding_query");
}

/// A header parameter marked `x-ms-header-collection-prefix` is a map sent entry by entry
/// (required, and optional in the options), and a response header so marked has an accessor
/// returning the map.
#[test]
fn header_collection_prefix() {
    check("header_collection_prefix");
}

/// A response of `type: file` is a file (its operation's non-JSON `produces` type, else
/// `application/octet-stream`), handed out unread as a `Response<BodyStream>` with an `Accept`
/// header asking for it; its typed fake answers bytes.
#[test]
fn file_response() {
    check("file_response");
}

#[test]
fn ir_file_responses() {
    let (_, api) = generate("file_response");
    let response = |operation_id: &str, status: Option<u16>| {
        let operation = api.operations.iter().find(|op| op.id == operation_id);
        let operation = operation.unwrap_or_else(|| panic!("no {operation_id}"));
        let response = operation.responses.iter().find(|r| r.status == status);
        let response = response.unwrap_or_else(|| panic!("{operation_id}: no {status:?}"));
        (response.ty.clone(), response.file.clone())
    };
    assert_eq!(
        response("Snapshots_GetImage", Some(200)),
        (None, Some("image/png".to_owned()))
    );
    assert_eq!(
        response("Snapshots_GetLog", Some(200)),
        (None, Some("application/octet-stream".to_owned()))
    );
    assert_eq!(response("Snapshots_GetLog", Some(204)), (None, None));
    // The error response stays JSON.
    let (error, file) = response("Snapshots_GetImage", None);
    assert_eq!((error.is_some(), file), (true, None));
}

/// Client parameters by AutoRest's rule: global ones (unless marked `method`) and inline ones
/// marked `client` become setters of `ClientParameters`, checked by `build()`, read by the
/// operation from the client; the subscription id stays the runtime client's.
#[test]
fn client_params() {
    check("client_params");
}

#[test]
fn pageable() {
    check("pageable");
}

/// The page's next link is read from the field that holds it, not from another field whose
/// wire name turns into the same Rust name (`next_link` and `nextLink`: the second is
/// `next_link_2`).
#[test]
fn page_field_clash() {
    let (files, _) = generate("page_field_clash");
    let pages = files
        .iter()
        .find(|(path, _)| path.ends_with("operations/pages.rs"))
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    assert!(
        pages.contains("(self.value.unwrap_or_default(), self.next_link_2)"),
        "{pages}"
    );
    insta::assert_snapshot!("page_field_clash", render(&files));
}

#[test]
fn external_ref() {
    check("external_ref");
}

// ---------------------------------------------------------------------------------------------
// IR facts, asserted directly on the same fixtures.

fn api(fixture: &str) -> Api {
    generate(fixture).1
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a azrm_codegen::ir::Operation {
    api.operations
        .iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

fn type_kind<'a>(api: &'a Api, name: &str) -> &'a TypeKind {
    &api.types
        .get(name)
        .unwrap_or_else(|| panic!("no type {name}; have {:?}", api.types.keys()))
        .kind
}

#[test]
fn ir_long_running_options() {
    let api = api("long_running");
    let put = operation(&api, "Widgets_CreateOrUpdate");
    assert_eq!(put.method, Method::Put);
    assert_eq!(
        (put.group.as_str(), put.name.as_str()),
        ("Widgets", "CreateOrUpdate")
    );
    let lro = put.long_running.as_ref().expect("put is long-running");
    assert_eq!(lro.final_state_via, Some(FinalStateVia::Location));
    assert_eq!(lro.final_schema, None);
    let body = put.body.as_ref().expect("put has a body");
    assert_eq!(body.name, "parameters");
    assert!(body.required);
    assert_eq!(body.ty, TypeRef::Named("Widget".into()));
    let statuses: Vec<_> = put.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), Some(201), None]);

    let delete = operation(&api, "Widgets_Delete");
    assert_eq!(
        delete.long_running.as_ref().and_then(|l| l.final_state_via),
        Some(FinalStateVia::AzureAsyncOperation)
    );
    let accepted = delete
        .responses
        .iter()
        .find(|r| r.status == Some(202))
        .unwrap();
    assert_eq!(accepted.ty, None);
    let headers: Vec<(&str, Option<&str>)> = accepted
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.collection_prefix.as_deref()))
        .collect();
    assert_eq!(headers, [("Location", None)]);
    assert!(delete.pageable.is_none());
}

#[test]
fn ir_pageable_options() {
    let api = api("pageable");
    let list = operation(&api, "Widgets_List");
    let pageable = list.pageable.as_ref().expect("list is pageable");
    assert_eq!(pageable.next_link_name.as_deref(), Some("nextLink"));
    assert_eq!(pageable.item_name, "value", "itemName defaults to `value`");
    assert_eq!(pageable.operation_name, None);
    assert!(list.long_running.is_none());
}

#[test]
fn ir_parameters_roles_and_newtypes() {
    let api = api("constrained_param");
    let get = operation(&api, "Widgets_Get");
    let param = |name: &str| get.params.iter().find(|p| p.wire_name == name).unwrap();
    assert_eq!(param("subscriptionId").role, ParamRole::Client);
    let api_version = |location| {
        get.params
            .iter()
            .find(|p| p.wire_name == "api-version" && p.location == location)
            .unwrap()
    };
    assert_eq!(
        api_version(ParamLocation::Query).role,
        ParamRole::ApiVersion
    );
    // `x-ms-api-version: false`: a parameter like any other, whatever its name.
    assert_eq!(api_version(ParamLocation::Header).role, ParamRole::Method);
    let widget_name = param("widgetName");
    assert_eq!(widget_name.role, ParamRole::Method);
    assert_eq!(widget_name.location, ParamLocation::Path);
    assert_eq!(widget_name.ty, TypeRef::Named("WidgetName".into()));
    let TypeKind::Newtype(newtype) = type_kind(&api, "WidgetName") else {
        panic!("WidgetName is not a newtype");
    };
    assert_eq!(newtype.wire_name, "widgetName");
    assert_eq!(newtype.constraints.pattern.as_deref(), Some("^[a-z0-9-]+$"));
    assert_eq!(newtype.constraints.min_length, Some(3));
    assert_eq!(newtype.constraints.max_length, Some(24));
    assert_eq!(
        widget_name.number_constraints,
        Default::default(),
        "a string's constraints are its newtype's"
    );
    // A status marked `x-ms-error-response` is an error, as `default` is.
    let statuses: Vec<Option<u16>> = get.responses.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), None, None]);
    // `x-ms-client-default` is kept as the text to send.
    assert_eq!(param("$filter").client_default.as_deref(), Some("all"));
    assert_eq!(param("$top").client_default, None);
    // An array parameter travels as its `collectionFormat` says, `csv` when the spec is silent.
    assert_eq!(
        param("$select").collection_format,
        Some(CollectionFormat::Csv)
    );
    assert_eq!(
        param("tag").collection_format,
        Some(CollectionFormat::Multi)
    );
    assert_eq!(param("$filter").collection_format, None);
    // A number parameter keeps its bounds, checked in place.
    let top = &param("$top").number_constraints;
    assert_eq!(
        (top.minimum, top.maximum, top.multiple_of),
        (Some(10.0), Some(100.0), Some(10.0))
    );
    // Unconstrained parameters stay plain strings.
    assert_eq!(
        param("resourceGroupName").ty,
        TypeRef::Primitive(azrm_codegen::ir::Primitive::String)
    );
}

#[test]
fn ir_enums() {
    let TypeKind::Enum(color) = type_kind(&api("extensible_enum"), "Color").clone() else {
        panic!("Color is not an enum");
    };
    assert!(color.extensible);
    let values: Vec<_> = color.values.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["Red", "Green", "light-blue"]);
    assert_eq!(color.values[2].name.as_deref(), Some("LightBlue"));
    let TypeKind::Enum(size) = type_kind(&api("closed_enum"), "Size").clone() else {
        panic!("Size is not an enum");
    };
    assert!(!size.extensible);
}

#[test]
fn ir_union_and_all_of() {
    let api = api("discriminator");
    let TypeKind::Union(shape) = type_kind(&api, "Shape") else {
        panic!("Shape is not a union");
    };
    assert_eq!(shape.property, "kind");
    let variants: Vec<_> = shape
        .variants
        .iter()
        .map(|v| (v.value.as_str(), v.ty.as_str()))
        .collect();
    assert_eq!(variants, [("circle", "Circle"), ("square", "Square")]);

    let api = self::api("all_of_chain");
    let TypeKind::Struct(widget) = type_kind(&api, "Widget") else {
        panic!("Widget is not a struct");
    };
    let fields: Vec<_> = widget
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.read_only, f.required))
        .collect();
    assert_eq!(
        fields,
        [
            ("id", true, false),
            ("name", true, false),
            ("type", true, false),
            ("properties", false, true),
        ],
        "allOf parents' fields come first"
    );
    assert!(widget.fields[3].client_flatten);
}

#[test]
fn ir_secrets_and_additional_properties() {
    use azrm_codegen::ir::Primitive;
    let api = api("secret");
    let TypeKind::Struct(credentials) = type_kind(&api, "Credentials") else {
        panic!("Credentials is not a struct");
    };
    let ty = |name: &str| {
        &credentials
            .fields
            .iter()
            .find(|f| f.wire_name == name)
            .unwrap()
            .ty
    };
    assert_eq!(ty("password"), &TypeRef::Primitive(Primitive::Secret));
    assert_eq!(ty("apiKey"), &TypeRef::Primitive(Primitive::Secret));
    assert_eq!(ty("username"), &TypeRef::Primitive(Primitive::String));
    // By the name rule, and by the config's `secrets` list.
    assert_eq!(
        ty("connectionString"),
        &TypeRef::Primitive(Primitive::Secret)
    );
    assert_eq!(ty("signature"), &TypeRef::Primitive(Primitive::Secret));

    let api = self::api("additional_properties");
    let TypeKind::Struct(limits) = type_kind(&api, "Limits") else {
        panic!("Limits is not a struct");
    };
    assert_eq!(limits.additional, Some(TypeRef::Primitive(Primitive::I32)));
    let TypeKind::Struct(widget) = type_kind(&api, "Widget") else {
        panic!("Widget is not a struct");
    };
    let tags = widget
        .fields
        .iter()
        .find(|f| f.wire_name == "tags")
        .unwrap();
    assert_eq!(
        tags.ty,
        TypeRef::Map(Box::new(TypeRef::Primitive(Primitive::String)))
    );
    assert_eq!(widget.additional, None);
}

#[test]
fn ir_external_refs_resolve_across_files() {
    let api = api("external_ref");
    // Only what the input reaches is loaded: `Unused` (which points at a missing file) is not.
    let names: Vec<_> = api.types.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "ErrorResponse",
            "Owner",
            "Resource",
            "ResourceGroupName",
            "SubscriptionId",
            "TrackedResource",
            "Widget",
        ]
    );
    let owner = &api.types["Owner"];
    assert!(
        owner.origin.file.ends_with("fixtures/common/types.json"),
        "{:?}",
        owner.origin
    );
    assert_eq!(owner.origin.pointer, "/definitions/Owner");
    let get = operation(&api, "Widgets_Get");
    let wire: Vec<_> = get.params.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(
        wire,
        [
            "subscriptionId",
            "api-version",
            "resourceGroupName",
            "widgetName"
        ]
    );
}

#[test]
fn input_hash_is_stable() {
    let hash = |files: &[(String, String)]| -> String {
        let (_, lib) = files.iter().find(|(p, _)| p.ends_with("lib.rs")).unwrap();
        let line = lib.lines().find(|l| l.starts_with(HASH_PREFIX)).unwrap();
        line[HASH_PREFIX.len()..].to_owned()
    };
    let first = hash(&generate("external_ref").0);
    assert_eq!(first.len(), 64);
    assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(first, hash(&generate("external_ref").0));
    assert_ne!(first, hash(&generate("pageable").0));
}

/// The local endpoint's route table: what each route does follows from its method and path
/// shape, and examples are embedded only where the endpoint answers from them.
#[test]
fn fake_routes() {
    let mut config = config("fake_routes");
    config.fake_feature = Some("fake".into());
    let mut report = azrm_codegen::GenerateReport::default();
    let (files, _) = azrm_codegen::output::generate(&config, &mut report)
        .unwrap_or_else(|error| panic!("fake_routes: generation failed: {error}"));
    assert_eq!(report.examples_read, 3);
    let missing: Vec<(&str, String)> = report
        .examples_missing
        .iter()
        .map(|(operation, file)| (operation.as_str(), file.display().to_string()))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].1.ends_with("NotInTheSnapshot.json"),
        "the missing example is named: {missing:?}"
    );
    let file = |suffix: &str| {
        files
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no {suffix} generated"))
    };
    let fake = file("src/fake.rs");
    insta::assert_snapshot!("fake_routes", fake);
    assert!(file("src/lib.rs").contains("#[cfg(feature = \"fake\")]"));

    let route = |operation_id: &str| {
        fake.split("Route {")
            .find(|block| block.contains(&format!("operation_id: \"{operation_id}\"")))
            .unwrap_or_else(|| panic!("no route for {operation_id}"))
            .to_owned()
    };
    for (operation_id, behaviour, has_example) in [
        ("Widgets_CreateOrUpdate", "CreateOrReplace", false),
        ("Widgets_Get", "Read", false),
        ("Widgets_Update", "Update", false),
        ("Widgets_Delete", "Delete", false),
        ("Widgets_Exists", "Exists", false),
        ("Widgets_List", "List", false),
        ("Widgets_ListUsages", "List", true),
        ("Widgets_ListKeys", "Action", true),
        ("Widgets_GetSettings", "Read", true),
    ] {
        let block = route(operation_id);
        assert!(
            block.contains(&format!("behaviour: Behaviour::{behaviour},")),
            "{operation_id} should be {behaviour}: {block}"
        );
        assert_eq!(
            block.contains("example: Some("),
            has_example,
            "{operation_id}: {block}"
        );
    }
    assert!(route("Widgets_CreateOrUpdate").contains("Some(FinalStateVia::AzureAsyncOperation)"));
    assert!(route("Widgets_Delete").contains("long_running: Some(None)"));
    assert!(route("Widgets_Update").contains("decode_body: Some(decode_as::<models::Widget>)"));
    // A body holding `"#` still makes a valid raw string literal.
    assert!(route("Widgets_ListKeys").contains(r###"r##"{"primaryKey":"k\"#1"}"##"###));
}

/// A spec that is not ARM-shaped, saved with a UTF-8 byte order mark: a parameterized host
/// (`x-ms-parameterized-host`, one parameter by `$ref`), no `api-version`, an
/// `x-ms-paths` template with a query, a next-page operation (`operationName`) taking the link
/// as an unencoded path segment, `nextLinkName: null` on a page model that has a next link, a
/// long-running pageable operation and a long-running `DELETE` with a typed result.
#[test]
fn non_arm_paging() {
    check("non_arm_paging");
    let (files, api) = generate("non_arm_paging");
    assert!(
        api.operations
            .iter()
            .any(|op| op.id == "Items_ListNext" && op.path == "/items/{tenant}/{nextLink}"),
        "x-ms-paths operations are read, without the query that only tells them apart"
    );
    let operations: String = files
        .iter()
        .filter(|(path, _)| path.ends_with("operations/items.rs"))
        .map(|(_, text)| text.as_str())
        .collect();
    for expected in [
        "&[PathValue::Segment(tenant), PathValue::Verbatim(next_link)],\n            \"\",",
        "Pager::with_next_request(",
        ".list_next_request(&tenant, next_page_link)",
        "Pager::single_page(",
        "Result<Poller<Option<models::Item>>, Error>",
        "Result<Poller<models::ItemList>, Error>",
    ] {
        assert!(operations.contains(expected), "{expected} missing");
    }
    let lib = files
        .iter()
        .find(|(path, _)| path.ends_with("src/lib.rs"))
        .map(|(_, text)| text.as_str())
        .unwrap_or_default();
    assert!(
        lib.contains("pub fn endpoint(account_name: &str, suffix: &str) -> String")
            && lib.contains("format!(\"http://{}.items.{}\", account_name, suffix)"),
        "the parameterized host becomes `endpoint(..)`"
    );
}

#[test]
fn constraints() {
    check("constraints");
    let (_, api) = generate("constraints");
    let TypeKind::Struct(widget) = &api.types["Widget"].kind else {
        panic!("Widget is not a struct");
    };
    let constraints = |name: &str| {
        let field = widget.fields.iter().find(|f| f.wire_name == name);
        field
            .unwrap_or_else(|| panic!("no field {name}"))
            .constraints
            .clone()
    };
    let capacity = constraints("capacity");
    assert_eq!(
        (capacity.minimum, capacity.maximum),
        (Some(0.0), Some(100.0))
    );
    assert!(capacity.exclusive_minimum && capacity.exclusive_maximum);
    let ratio = constraints("ratio");
    assert!(!ratio.exclusive_minimum && ratio.exclusive_maximum);
    assert_eq!(ratio.multiple_of, Some(0.25));
    let labels = constraints("labels");
    assert!(labels.unique_items);
    let label = labels.items.expect("label constraints");
    assert_eq!((label.min_length, label.max_length), (Some(1), Some(8)));
    assert_eq!(label.pattern.as_deref(), Some("^[a-z]+$"));
    let limit = constraints("limits").items.expect("limit constraints");
    assert_eq!((limit.minimum, limit.maximum), (Some(1.0), Some(10.0)));
    let row = constraints("grid").items.expect("row constraints");
    assert_eq!(row.max_items, Some(2));
    assert_eq!(row.items.expect("cell constraints").multiple_of, Some(5.0));
    assert_eq!(constraints("settings").nullable, Some(false));
    let annotation = constraints("annotations")
        .items
        .expect("annotation constraints");
    assert_eq!(annotation.nullable, Some(false));
    assert_eq!(constraints("comment").nullable, Some(true));
    assert!(constraints("comment").is_empty_for(&TypeRef::Primitive(Primitive::String)));
}

/// `x-ms-client-name` names a property's field, constructor argument and setter, and a path,
/// query and header parameter's argument or option, while the wire keeps the spec's names.
#[test]
fn client_name() {
    check("client_name");
}
