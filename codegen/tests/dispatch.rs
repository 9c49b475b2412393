//! The operation dispatch registry (`tests.dispatch` in the config) on a fixture with every way
//! an operation takes parameters and returns its result: each call names a method the
//! operations module defines, with the arguments in its order.

use std::path::PathBuf;

use azrm_codegen::Config;

fn generate() -> Vec<(String, String)> {
    let config = Config {
        crate_name: "fixture-dispatch".into(),
        api_version: "2024-01-01".into(),
        output: PathBuf::from("out"),
        inputs: vec![PathBuf::from("dispatch.json")],
        tests: azrm_codegen::TestSupport {
            dispatch: Some(PathBuf::from("tests/src/operation_registry.rs")),
            ..Default::default()
        },
        spec_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        ..Default::default()
    };
    let (files, _) = azrm_codegen::output::generate(&config, &mut Default::default())
        .unwrap_or_else(|error| panic!("generation failed: {error}"));
    files
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    files
        .iter()
        .find(|(p, _)| p == path)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("{path} not generated"))
}

/// The text with all whitespace removed, so checks do not depend on line breaks.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn the_registry_is_written_only_when_configured() {
    let files = generate();
    assert!(
        files
            .iter()
            .any(|(path, _)| path == "tests/src/operation_registry.rs")
    );
    let config = Config {
        crate_name: "fixture-dispatch".into(),
        api_version: "2024-01-01".into(),
        output: PathBuf::from("out"),
        inputs: vec![PathBuf::from("dispatch.json")],
        spec_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        ..Default::default()
    };
    let (files, _) = azrm_codegen::output::generate(&config, &mut Default::default()).unwrap();
    assert!(
        files
            .iter()
            .all(|(path, _)| !path.contains("operation_registry"))
    );
}

#[test]
fn every_operation_is_called_as_the_operations_module_declares_it() {
    let files = generate();
    let registry = squeezed(file(&files, "tests/src/operation_registry.rs"));
    let widgets = squeezed(file(&files, "out/src/operations/widgets.rs"));
    let operations = squeezed(file(&files, "out/src/operations/operations_group.rs"));

    // The table of what each operation returns.
    for entry in [
        r#"("Widgets_List",Returns::FirstPage("value"))"#,
        r#"("Widgets_CreateOrUpdate",Returns::LongRunning(true))"#,
        r#"("Widgets_Get",Returns::Body)"#,
        r#"("Widgets_CheckExists",Returns::Exists)"#,
        r#"("Widgets_Delete",Returns::Nothing)"#,
        r#"("Widgets_Touch",Returns::Body)"#,
        r#"("Operations_List",Returns::FirstPage("operations"))"#,
    ] {
        assert!(registry.contains(entry), "missing {entry}");
    }

    // Pageable, with optional query parameters of three kinds in the options struct.
    assert!(registry.contains(
        r#"letmutoptions=fixture_dispatch::operations::WidgetsListOptions::default();options.filter=optional_text(p,"$filter")?;options.top=optional(p,"$top")?;options.kind=optional(p,"kind")?;first_page(client.widgets().list(&a0,Some(options))).await"#
    ));
    assert!(
        widgets.contains(
            "pubfnlist(&self,resource_group_name:&str,options:Option<WidgetsListOptions>,)"
        )
    );
    // Long-running: `begin_`, the body decoded by its spec name, polled to completion.
    assert!(registry.contains(
        r#"letbody:models::Widget=decode(p,"parameters")?;encode(&client.widgets().begin_create_or_update(&a0,&a1,&body,None).await?.await?)"#
    ));
    assert!(widgets.contains("pubasyncfnbegin_create_or_update(&self,resource_group_name:&str,widget_name:&str,parameters:&models::Widget,options:Option<WidgetsCreateOrUpdateOptions>,)"));
    // A required integer query parameter, decoded (a number, or text holding one).
    assert!(registry.contains(
        r#"leta2:i64=decode(p,"count")?;encode(&client.widgets().get(&a0,&a1,a2,None).await?.into_model())"#
    ));
    assert!(
        widgets
            .contains("pubasyncfnget(&self,resource_group_name:&str,widget_name:&str,count:i64,options:Option<WidgetsGetOptions>,)")
    );
    // The response headers the spec declares, read from the call's `Response` through a trait
    // (`ETag` has `Response::etag` already).
    assert!(widgets.contains("pubtraitWidgetsGetHeaders{"));
    assert!(widgets.contains(
        r#"implWidgetsGetHeadersforResponse<models::Widget>{fnx_ms_ratelimit_remaining_subscription_reads(&self)->Option<&str>{self.header("x-ms-ratelimit-remaining-subscription-reads")}}"#
    ));
    assert!(!widgets.contains("fne_tag"));
    // HEAD with a 404: a boolean.
    assert!(registry.contains(
        "Ok(Value::Bool(client.widgets().check_exists(&a0,&a1,None).await?.into_model()))"
    ));
    // No result; an optional header parameter.
    assert!(registry.contains(
        r#"options.x_ms_force=optional(p,"x-ms-force")?;client.widgets().delete(&a0,&a1,Some(options)).await?;Ok(Value::Null)"#
    ));
    // An optional body.
    assert!(registry.contains(
        r#"letbody:Option<models::Widget>=optional(p,"options")?;encode(&client.widgets().touch(&a0,&a1,body.as_ref(),None).await?.into_model())"#
    ));
    assert!(widgets.contains("options_2:Option<&models::Widget>"));
    // The group named `Operations` lives in `operations_group` but is reached as `operations()`;
    // an operation without parameters ignores them.
    assert!(registry.contains(
        "asyncfnoperations_group_list(client:&fixture_dispatch::Client,_:&Parameters,)->Result<Value,CallError>{first_page(client.operations().list(None)).await}"
    ));
    assert!(operations.contains("pubfnlist(&self,options:Option<"));
    // Dispatch by operation id.
    assert!(registry.contains(r#""Widgets_Get"=>widgets_get(client,parameters).await,"#));
    assert!(registry.contains("_=>returnNone,"));
}
