//! What a user relies on in the generated models, beyond decoding the spec's examples:
//! extensible enums compare by wire value; secrets never show in `Debug`; one wire enum is one
//! type; no type keeps a name tooling made up; a request body is one expression.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use azrm_codegen::emit::skeleton::skeleton;
use azrm_codegen::ir::secrets::mark_secrets;
use azrm_codegen::ir::{Primitive, TypeKind, TypeRef};
use azrm_codegen::plan::{Plan, PlanSettings};
use azrm_codegen::read_api;
use azrm_cosmosdb::models::DatabaseAccountKind;
use workspace_tests::{model_registry, regen_config};

fn hash_of(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

#[test]
fn extensible_enums_compare_and_hash_by_wire_value() {
    let spelled = DatabaseAccountKind::Other("MongoDB".to_owned());
    assert_eq!(spelled, DatabaseAccountKind::MongoDb);
    assert_eq!(hash_of(&spelled), hash_of(&DatabaseAccountKind::MongoDb));
    assert_eq!(DatabaseAccountKind::from("MongoDB"), spelled);
    assert_ne!(spelled, DatabaseAccountKind::Other("mongodb".to_owned()));
    assert_ne!(DatabaseAccountKind::Parse, DatabaseAccountKind::MongoDb);
}

/// A value no skeleton or example holds, to look for in `Debug` output.
const SENTINEL: &str = "sentinel-secret-value";

#[test]
fn no_secret_prints_its_value_in_debug() {
    let config = regen_config();
    let mut api = read_api(&config.input_paths()).unwrap_or_else(|error| panic!("{error}"));
    let secrets = mark_secrets(&mut api, &config.secrets).unwrap_or_else(|error| panic!("{error}"));
    let caught: Vec<String> = secrets
        .iter()
        .map(|(model, field, source)| format!("{model}.{field} ({source:?})"))
        .collect();
    assert_eq!(caught, EXPECTED_SECRETS);

    // Every model with a secret property, decoded from its smallest value with the secrets
    // set: the value is kept (it goes back on the wire) but never printed.
    let mut checked = 0;
    for (name, def) in &api.types {
        let TypeKind::Struct(model) = &def.kind else {
            continue;
        };
        let secret_fields: Vec<&str> = model
            .fields
            .iter()
            .filter(|field| field.ty == TypeRef::Primitive(Primitive::Secret))
            .map(|field| field.wire_name.as_str())
            .collect();
        if secret_fields.is_empty() {
            continue;
        }
        let mut json = skeleton(&api, &TypeRef::Named(name.clone()));
        for field in &secret_fields {
            json[*field] = SENTINEL.into();
        }
        let decoded =
            model_registry::round_trip(name, &json, azrm_runtime::json::JsonWriter::new())
                .unwrap_or_else(|| panic!("{name} is not in the registry"))
                .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert!(
            !decoded.debug.contains(SENTINEL),
            "{name}: {}",
            decoded.debug
        );
        for field in &secret_fields {
            assert_eq!(decoded.json[*field], SENTINEL, "{name}.{field} is kept");
        }
        checked += 1;
    }
    assert_eq!(checked, 7);
}

/// The secret properties of the spec, reviewed: what the name rule catches must stay a
/// decision a person made.
const EXPECTED_SECRETS: &[&str] = &[
    "AuthenticationMethodLdapProperties.serviceUserPassword (Name)",
    "ClusterResourceProperties.initialCassandraAdminPassword (Spec)",
    "DatabaseAccountConnectionString.connectionString (Name)",
    "DatabaseAccountListKeysResult.primaryReadonlyMasterKey (Name)",
    "DatabaseAccountListKeysResult.secondaryReadonlyMasterKey (Name)",
    "DatabaseAccountListKeysResult.primaryMasterKey (Name)",
    "DatabaseAccountListKeysResult.secondaryMasterKey (Name)",
    "DatabaseAccountListReadOnlyKeysResult.primaryReadonlyMasterKey (Name)",
    "DatabaseAccountListReadOnlyKeysResult.secondaryReadonlyMasterKey (Name)",
    "MongoUserDefinitionResource.password (Name)",
    "NotebookWorkspaceConnectionInfoResult.authToken (Name)",
];

#[test]
fn one_wire_enum_is_one_type() {
    let api = read_api(&regen_config().input_paths()).unwrap_or_else(|error| panic!("{error}"));
    let enums: Vec<(&String, &TypeKind)> = api
        .types
        .iter()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Enum(_)))
        .map(|(name, def)| (name, &def.kind))
        .collect();
    let mut same = Vec::new();
    for (index, (name, kind)) in enums.iter().enumerate() {
        for (other, other_kind) in &enums[index + 1..] {
            if kind == other_kind {
                same.push(format!("{name} = {other}"));
            }
        }
    }
    // The spec gives these two different `x-ms-enum` names.
    assert_eq!(same, ["MongoRoleDefinitionType = RoleDefinitionType"]);
    // Inline in both the create and the read model, named from the property: a value read from
    // the service goes into a request as it is.
    let offer_type = |model: &str| {
        let Some(TypeKind::Struct(def)) = api.types.get(model).map(|def| &def.kind) else {
            panic!("{model} is not a struct");
        };
        def.fields
            .iter()
            .find(|field| field.wire_name == "databaseAccountOfferType")
            .map(|field| field.ty.clone())
    };
    let expected = Some(TypeRef::Named("DatabaseAccountOfferType".to_owned()));
    assert_eq!(
        offer_type("DatabaseAccountCreateUpdateProperties"),
        expected
    );
    assert_eq!(offer_type("DatabaseAccountGetProperties"), expected);
}

#[test]
fn no_type_keeps_a_name_tooling_made_up() {
    let api = read_api(&regen_config().input_paths()).unwrap_or_else(|error| panic!("{error}"));
    let plan = Plan::new(&api, &PlanSettings::default());
    assert_eq!(
        plan.type_ident(
            "ComponentsM9L909SchemasCassandraclusterpublicstatusPropertiesDatacentersItemsPropertiesNodesItems"
        ),
        "CassandraClusterPublicStatusDataCentersItemNodesItem"
    );
    let made_up: Vec<&str> = plan
        .types
        .values()
        .map(|model| model.ident.as_str())
        .filter(|ident| ident.starts_with("Components"))
        .collect();
    assert!(made_up.is_empty(), "{made_up:?}");
}

#[test]
fn a_request_body_is_one_expression_with_the_spec_wire_shape() {
    use azrm_cosmosdb::models::{
        DatabaseAccountCreateUpdateParameters, Location, SqlDatabaseCreateUpdateParameters,
        SqlDatabaseResource,
    };
    // `new` takes the required `locations` of the flattened `properties`; the constant offer
    // type fills itself in; setters reach through `properties`.
    let account = DatabaseAccountCreateUpdateParameters::new([Location::default()
        .with_location_name("westus2")
        .with_failover_priority(0)])
    .with_location("westus2")
    .with_enable_automatic_failover(true);
    assert_eq!(
        serde_json::to_value(&account).expect("encodes"),
        serde_json::json!({
            "location": "westus2",
            "properties": {
                "databaseAccountOfferType": "Standard",
                "locations": [{"locationName": "westus2", "failoverPriority": 0}],
                "enableAutomaticFailover": true
            }
        })
    );
    let database = SqlDatabaseCreateUpdateParameters::new(SqlDatabaseResource::new("orders"));
    assert_eq!(
        serde_json::to_value(&database).expect("encodes"),
        serde_json::json!({"properties": {"resource": {"id": "orders"}}})
    );
}
