//! `validation.json`: client-side constraint validation. Each refused call must fail with
//! `InvalidParameter` naming the parameter or body field and the rule, before anything is sent
//! (the server has no route for `/fakepath`: a call that went out would come back 404). The
//! constant path segment and constant body fields must reach the server as the spec fixes them.
//! `apiVersion` and `subscriptionId` are global parameters, so client parameters: an
//! `apiVersion` that breaks its pattern is refused once, when the client is built.

use autorest_tests::{Report, TestServer, equal, invalid, ok};
use autorest_validation::{Client, ClientParameters, models};
use azrm_runtime::Rule;

/// A valid resource group name, id and api-version for `validationOfMethodParameters` and
/// `validationOfBody`: each refusal below breaks exactly one of them.
const GROUP: &str = "123";
const ID: i64 = 150;
const API_VERSION: &str = "12-34-5678";

#[tokio::test]
async fn validation_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("abc123"))
        .api_version(API_VERSION)
        .build()
        .expect("client");
    let mut report = Report::new("validation.json");

    report
        .run("validationOfMethodParameters", async {
            let redis = client.redis();
            let call = |group: &'static str, id: i64| {
                redis.validation_of_method_parameters(group, id, None)
            };
            invalid(
                call("1", ID).await,
                "resourceGroupName",
                &Rule::MinLength(3),
            )?;
            invalid(
                call("1234567890A", ID).await,
                "resourceGroupName",
                &Rule::MaxLength(10),
            )?;
            invalid(
                call("!@#$", ID).await,
                "resourceGroupName",
                &Rule::Pattern("[a-zA-Z0-9']+"),
            )?;
            invalid(call(GROUP, 105).await, "id", &Rule::MultipleOf(10.0))?;
            invalid(call(GROUP, 0).await, "id", &Rule::Minimum(100.0))?;
            invalid(call(GROUP, 2000).await, "id", &Rule::Maximum(1000.0))?;
            invalid(
                server
                    .configure(Client::builder("abc123"))
                    .api_version("abc")
                    .build(),
                "apiVersion",
                &Rule::Pattern("\\d{2}-\\d{2}-\\d{4}"),
            )
        })
        .await;
    report
        .run("validationOfBody", async {
            let redis = client.redis();
            let call = |product: models::Product| async move {
                redis
                    .validation_of_body(GROUP, ID, Some(&product), None)
                    .await
            };
            // `constInt` is the spec's constant 0 (`enum: [0]`).
            let product = models::Product::new(0);
            let names = |names: &[&str]| Some(names.iter().map(|n| (*n).to_owned()).collect());
            invalid(
                call(models::Product {
                    display_names: names(&["1", "2", "3", "4", "5", "6", "7"]),
                    ..product.clone()
                })
                .await,
                "body.display_names",
                &Rule::MaxItems(6),
            )?;
            invalid(
                call(models::Product {
                    display_names: names(&["a", "a"]),
                    ..product.clone()
                })
                .await,
                "body.display_names",
                &Rule::UniqueItems,
            )?;
            invalid(
                call(models::Product {
                    capacity: Some(0),
                    ..product.clone()
                })
                .await,
                "body.capacity",
                &Rule::ExclusiveMinimum(0.0),
            )?;
            invalid(
                call(models::Product {
                    capacity: Some(100),
                    ..product.clone()
                })
                .await,
                "body.capacity",
                &Rule::ExclusiveMaximum(100.0),
            )?;
            invalid(
                call(models::Product {
                    image: Some("/\\".to_owned()),
                    ..product.clone()
                })
                .await,
                "body.image",
                &Rule::Pattern("http://\\w+"),
            )?;
            // The group name of this operation has its own pattern, without the `'` (patterns
            // are not anchored: `'''` is the name that only this one refuses).
            invalid(
                client
                    .redis()
                    .validation_of_body("'''", ID, Some(&product), None)
                    .await,
                "resourceGroupName",
                &Rule::Pattern("[a-zA-Z0-9]+"),
            )
        })
        .await;
    report
        .run("getWithConstantInPath", async {
            ok(client
                .operations()
                .get_with_constant_in_path(&models::ConstantParam::default(), None)
                .await)
        })
        .await;
    report
        .run("postWithConstantInBody", async {
            // Every constant of the body (`constString`, `constInt`, `child.constProperty`,
            // `constChild.constProperty{,2}`) takes its only value by default; the server
            // echoes the body it checked.
            let body = models::Product::new(0);
            let echoed = ok(client
                .operations()
                .post_with_constant_in_body(&models::ConstantParam::default(), Some(&body), None)
                .await)?;
            equal(echoed, body)
        })
        .await;

    report.finish(&[]);
    server
        .assert_coverage("validation.json", &["vanilla"], &["ConstantsIn"], &[])
        .await;
}
