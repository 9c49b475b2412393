//! `azure-parameter-grouping.json`: parameters grouped by `x-ms-parameter-grouping` reach the
//! wire under their own names (path, body, header, query), reserved words (`from`, `accept`)
//! included, and a grouped constant is sent as its only value. The groups are the operation's
//! options struct: one per operation, so two groups of one operation share it.

use autorest_azure_parameter_grouping::operations::{
    ParameterGroupingGroupWithConstantOptions, ParameterGroupingPostMultiParamGroupsOptions,
    ParameterGroupingPostOptionalOptions, ParameterGroupingPostRequiredOptions,
    ParameterGroupingPostReservedWordsOptions,
    ParameterGroupingPostSharedParameterGroupObjectOptions,
};
use autorest_azure_parameter_grouping::{Client, models};
use autorest_tests::{Report, TestServer, ok};

#[tokio::test]
async fn azure_parameter_grouping_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let grouping = client.parameter_grouping();
    let mut report = Report::new("azure-parameter-grouping.json");
    report
        .run("parameterGrouping_postRequired", async {
            let options = ParameterGroupingPostRequiredOptions {
                custom_header: Some("header".to_owned()),
                query: Some(21),
            };
            ok(grouping.post_required("path", &1234, &options).await)?;
            ok(grouping
                .post_required("path", &1234, &Default::default())
                .await)
        })
        .await;
    report
        .run("parameterGrouping_postOptional", async {
            let options = ParameterGroupingPostOptionalOptions {
                custom_header: Some("header".to_owned()),
                query: Some(21),
            };
            ok(grouping.post_optional(&options).await)?;
            ok(grouping.post_optional(&Default::default()).await)
        })
        .await;
    report
        .run("parameterGrouping_postReservedWords", async {
            let options = ParameterGroupingPostReservedWordsOptions {
                from: Some("bob".to_owned()),
                accept: Some("yes".to_owned()),
            };
            ok(grouping.post_reserved_words(&options).await)
        })
        .await;
    report
        .run("parameterGrouping_postMultiParamGroups", async {
            let options = ParameterGroupingPostMultiParamGroupsOptions {
                header_one: Some("header".to_owned()),
                query_one: Some(21),
                header_two: Some("header2".to_owned()),
                query_two: Some(42),
            };
            ok(grouping.post_multi_param_groups(&options).await)
        })
        .await;
    report
        .run("parameterGrouping_postSharedParameterGroupObject", async {
            let options = ParameterGroupingPostSharedParameterGroupObjectOptions {
                header_one: Some("header".to_owned()),
                query_one: Some(21),
            };
            ok(grouping.post_shared_parameter_group_object(&options).await)
        })
        .await;
    report
        .run("parameterGrouping_groupWithConstant", async {
            let options = ParameterGroupingGroupWithConstantOptions {
                grouped_constant: Some(models::EncryptionAlgorithmType::Foo),
                grouped_parameter: Some("bar".to_owned()),
            };
            ok(grouping.group_with_constant(&options).await)
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "azure-parameter-grouping.json",
            &["azure"],
            &[
                "postParameterGrouping",
                "PostParameterGrouping",
                "PutParameterGrouping",
            ],
            &[],
        )
        .await;
}
