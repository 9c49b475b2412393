//! The IR built from the real spec holds exactly what the spec declares.

use azrm_codegen::ir::{self, Api, FinalStateVia, ParamRole, TypeKind, TypeRef};
use azrm_codegen::{load, normalise};
use workspace_tests::regen_config;

fn api() -> Api {
    let config = regen_config();
    let set = load::load(&config.input_paths()).unwrap_or_else(|error| panic!("{error}"));
    let normalised = normalise::normalise(&set).unwrap_or_else(|error| panic!("{error}"));
    ir::build(&normalised).unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn counts_every_operation_of_the_spec() {
    let api = api();
    let long_running: Vec<_> = api
        .operations
        .iter()
        .filter_map(|op| op.long_running.as_ref())
        .collect();
    let pageable = api
        .operations
        .iter()
        .filter(|op| op.pageable.is_some())
        .count();
    assert_eq!(api.operations.len(), 237);
    assert_eq!(long_running.len(), 110);
    assert!(long_running.iter().all(|lro| lro.final_state_via.is_some()));
    assert_eq!(pageable, 72);
    let via_async = long_running
        .iter()
        .filter(|lro| lro.final_state_via == Some(FinalStateVia::AzureAsyncOperation))
        .count();
    assert_eq!(via_async, 6);
}

#[test]
fn every_definition_of_the_spec_becomes_a_type() {
    let api = api();
    let config = regen_config();
    let raw: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&config.input_paths()[0]).unwrap()).unwrap();
    let definitions = raw["definitions"].as_object().unwrap();
    assert_eq!(definitions.len(), 413);
    let missing: Vec<_> = definitions
        .keys()
        .filter(|name| !api.types.contains_key(*name))
        .collect();
    assert!(
        missing.is_empty(),
        "definitions without a type: {missing:?}"
    );
}

#[test]
fn the_seed_operation_has_its_shape() {
    let api = api();
    let op = api
        .operations
        .iter()
        .find(|op| op.id == "PrivateEndpointConnections_CreateOrUpdate")
        .unwrap();
    assert_eq!(op.group, "PrivateEndpointConnections");
    assert_eq!(op.name, "CreateOrUpdate");
    assert_eq!(op.method.as_str(), "PUT");
    assert_eq!(
        op.long_running.as_ref().unwrap().final_state_via,
        Some(FinalStateVia::Location)
    );
    let account = op
        .params
        .iter()
        .find(|p| p.wire_name == "accountName")
        .unwrap();
    assert_eq!(account.ty, TypeRef::Named("AccountName".into()));
    let subscription = op
        .params
        .iter()
        .find(|p| p.wire_name == "subscriptionId")
        .unwrap();
    assert_eq!(subscription.role, ParamRole::Client);
    let api_version = op
        .params
        .iter()
        .find(|p| p.wire_name == "api-version")
        .unwrap();
    assert_eq!(api_version.role, ParamRole::ApiVersion);
    assert_eq!(
        op.body.as_ref().unwrap().ty,
        TypeRef::Named("PrivateEndpointConnection".into())
    );
    let TypeKind::Newtype(newtype) = &api.types["AccountName"].kind else {
        panic!("AccountName is not a newtype");
    };
    assert_eq!(
        newtype.constraints.pattern.as_deref(),
        Some("^[a-z0-9]+(-[a-z0-9]+)*")
    );
    assert_eq!(
        (
            newtype.constraints.min_length,
            newtype.constraints.max_length
        ),
        (Some(3), Some(50))
    );
}

#[test]
fn discriminated_unions_list_their_variants() {
    let api = api();
    let TypeKind::Union(backup) = &api.types["BackupPolicy"].kind else {
        panic!("BackupPolicy is not a union");
    };
    assert_eq!(backup.property, "type");
    let values: Vec<_> = backup.variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["Continuous", "Periodic"]);
}
