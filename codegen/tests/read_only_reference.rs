//! A property that is a `$ref` to a definition marked `readOnly` as a whole is read-only, as it
//! is with `readOnly` beside the `$ref` (hand-written ARM specs use the first form, TypeSpec's
//! output the second).

use std::collections::BTreeMap;
use std::path::PathBuf;

use azrm_codegen::ir::{self, TypeKind};
use azrm_codegen::{load, normalise};

#[test]
fn a_reference_to_a_read_only_definition_is_a_read_only_field() {
    let spec = br##"{
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "definitions": {
            "State": {"type": "string", "readOnly": true},
            "Keys": {"type": "object", "readOnly": true, "properties": {"a": {"type": "string"}}},
            "Plain": {"type": "string"},
            "Props": {
                "type": "object",
                "properties": {
                    "state": {"$ref": "#/definitions/State"},
                    "keys": {"$ref": "#/definitions/Keys", "description": "annotated"},
                    "plain": {"$ref": "#/definitions/Plain"},
                    "sibling": {"$ref": "#/definitions/Plain", "readOnly": true}
                }
            }
        }
    }"##;
    let path = PathBuf::from("spec.json");
    let files = BTreeMap::from([(path.clone(), spec.to_vec())]);
    let set = load::load_in_memory(&files, &[path]).expect("loads");
    let api = ir::build(&normalise::normalise(&set).expect("normalises")).expect("builds");
    let TypeKind::Struct(props) = &api.types["Props"].kind else {
        panic!("Props is a struct");
    };
    let read_only: Vec<(&str, bool)> = props
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.read_only))
        .collect();
    assert_eq!(
        read_only,
        [
            ("state", true),
            ("keys", true),
            ("plain", false),
            ("sibling", true)
        ]
    );
}
