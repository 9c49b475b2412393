//! `model-flattening.json`: properties and bodies marked `x-ms-client-flatten` keep their nested
//! wire shape (`properties.p.name`, `details.max_product_image.@odata.value`) in the models,
//! and every body the server compares byte for byte (as JSON) is the one sent. Request bodies
//! are decoded from the server's expected JSON, then sent: what goes out must equal it.

use autorest_model_flattening::{Client, models};
use autorest_tests::{Outcome, Report, TestServer, equal, ok};
use serde::de::DeserializeOwned;

/// The wrapped-array operations have no scenario on the server: its GET answers 400 and its PUT
/// never answers, so the PUT is not sent.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "getWrappedArray",
        "the test server has no wrappedarray scenario (400)",
    ),
    (
        "putWrappedArray",
        "the test server has no wrappedarray scenario (its PUT never answers: not sent)",
    ),
];

/// `json` decoded as `T`.
fn model<T: DeserializeOwned>(json: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(json).map_err(|e| format!("the expected body does not decode: {e}"))
}

/// The first product of every server answer: id 1 with every flattened property.
fn check_product_1(product: Option<&models::FlattenedProduct>) -> Outcome {
    let product = product.ok_or("no product")?;
    let properties = product.properties.as_ref().ok_or("no properties")?;
    equal(
        (
            product.id.as_deref(),
            product.location.as_deref(),
            properties.p_name.as_deref(),
            properties.type_.as_deref(),
            properties.provisioning_state.as_deref(),
            properties
                .provisioning_state_values
                .as_ref()
                .map(|state| state.as_str().to_owned()),
        ),
        (
            Some("1"),
            Some("Building 44"),
            Some("Product1"),
            Some("Flat"),
            Some("Succeeded"),
            Some("OK".to_owned()),
        ),
    )
}

/// The custom-flattened product the server expects: a flattened `details` with a flattened
/// image whose property has an `@` in its wire name.
fn simple_product(generic: bool) -> serde_json::Value {
    let mut image = serde_json::json!({ "@odata.value": "http://foo" });
    if generic {
        image["generic_value"] = "https://generic".into();
    }
    serde_json::json!({
        "base_product_id": "123",
        "base_product_description": "product description",
        "details": {
            "max_product_display_name": "max name",
            "max_product_capacity": "Large",
            "max_product_image": image,
        },
    })
}

#[tokio::test]
async fn model_flattening_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let flatten = client.operations();
    let mut report = Report::new("model-flattening.json");
    report
        .run("putArray", async {
            let body: Vec<models::Resource> = model(serde_json::json!([
                {"location": "West US", "tags": {"tag1": "value1", "tag2": "value3"}},
                {"location": "Building 44"},
            ]))?;
            ok(flatten.put_array(Some(&body), None).await)
        })
        .await;
    report
        .run("getArray", async {
            let products = ok(flatten.get_array(None).await)?;
            check_product_1(products.first())?;
            equal(products.len(), 3)
        })
        .await;
    report
        .run("putWrappedArray", async {
            Outcome::Err("not sent: the server never answers it".to_owned())
        })
        .await;
    report
        .run("getWrappedArray", async {
            ok(flatten.get_wrapped_array(None).await).map(drop)
        })
        .await;
    let dictionary = serde_json::json!({
        "Resource1": {
            "location": "West US",
            "tags": {"tag1": "value1", "tag2": "value3"},
            "properties": {"p.name": "Product1", "type": "Flat"},
        },
        "Resource2": {
            "location": "Building 44",
            "properties": {"p.name": "Product2", "type": "Flat"},
        },
    });
    report
        .run("putDictionary", async {
            ok(flatten
                .put_dictionary(Some(&model(dictionary.clone())?), None)
                .await)
        })
        .await;
    report
        .run("getDictionary", async {
            let products = ok(flatten.get_dictionary(None).await)?;
            check_product_1(products.get("Product1"))?;
            equal(products.len(), 3)
        })
        .await;
    report
        .run("putResourceCollection", async {
            let body = serde_json::json!({
                "arrayofresources": [
                    {
                        "location": "West US",
                        "tags": {"tag1": "value1", "tag2": "value3"},
                        "properties": {"p.name": "Product1", "type": "Flat"},
                    },
                    {"location": "East US", "properties": {"p.name": "Product2", "type": "Flat"}},
                ],
                "dictionaryofresources": dictionary,
                "productresource": {
                    "location": "India",
                    "properties": {"p.name": "Azure", "type": "Flat"},
                },
            });
            ok(flatten
                .put_resource_collection(Some(&model(body)?), None)
                .await)
        })
        .await;
    report
        .run("getResourceCollection", async {
            let collection = ok(flatten.get_resource_collection(None).await)?.into_model();
            let dictionary = collection.dictionaryofresources.unwrap_or_default();
            check_product_1(dictionary.get("Product1"))?;
            equal(
                (
                    collection.arrayofresources.map(|a| a.len()),
                    collection.productresource.and_then(|p| p.id),
                ),
                (Some(3), Some("7".to_owned())),
            )
        })
        .await;
    report
        .run("putSimpleProduct", async {
            let body: models::SimpleProduct = model(simple_product(true))?;
            equal(
                ok(flatten.put_simple_product(Some(&body), None).await)?,
                body,
            )
        })
        .await;
    report
        .run("postFlattenedSimpleProduct", async {
            let body: models::SimpleProduct = model(simple_product(false))?;
            equal(
                ok(flatten
                    .post_flattened_simple_product(Some(&body), None)
                    .await)?,
                body,
            )
        })
        .await;
    report
        .run("putSimpleProductWithGrouping", async {
            let body: models::SimpleProduct = model(simple_product(false))?;
            equal(
                ok(flatten
                    .put_simple_product_with_grouping("groupproduct", Some(&body), None)
                    .await)?,
                body,
            )
        })
        .await;
    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "model-flattening.json",
            &["vanilla"],
            &["getModelFlatten", "putModelFlatten", "postModelFlatten"],
            &[],
        )
        .await;
}
