//! What a user relies on in the generated models, beyond decoding the spec's examples:
//! extensible enums compare by wire value.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use cosmos_arm::models::DatabaseAccountKind;

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
