//! `subscriptionId-apiVersion.json`: the subscription id in the path (a global parameter, so the
//! client's) and the spec's api-version as the only query parameter.

use autorest_subscriptionid_apiversion::Client;
use autorest_tests::{Report, TestServer, equal, ok};

#[tokio::test]
async fn subscription_id_api_version_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("1234-5678-9012-3456"))
        .build()
        .expect("client");
    let mut report = Report::new("subscriptionId-apiVersion.json");
    report
        .run("group_getSampleResourceGroup", async {
            let group = ok(client
                .group()
                .get_sample_resource_group("testgroup101", None)
                .await)?;
            equal(
                (group.name.as_deref(), group.location.as_deref()),
                (Some("testgroup101"), Some("West US")),
            )
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "subscriptionId-apiVersion.json",
            &["azure"],
            &["SubscriptionIdAndApiVersion"],
            &[],
        )
        .await;
}
