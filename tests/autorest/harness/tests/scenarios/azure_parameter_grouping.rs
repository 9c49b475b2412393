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
            let options = {
                let mut options = ParameterGroupingPostRequiredOptions::default();
                options.custom_header = Some("header".to_owned());
                options.query = Some(21);
                options
            };
            ok(grouping.post_required("path", &1234, Some(options)).await)?;
            ok(grouping.post_required("path", &1234, None).await)
        })
        .await;
    report
        .run("parameterGrouping_postOptional", async {
            let options = {
                let mut options = ParameterGroupingPostOptionalOptions::default();
                options.custom_header = Some("header".to_owned());
                options.query = Some(21);
                options
            };
            ok(grouping.post_optional(Some(options)).await)?;
            ok(grouping.post_optional(None).await)
        })
        .await;
    report
        .run("parameterGrouping_postReservedWords", async {
            let options = {
                let mut options = ParameterGroupingPostReservedWordsOptions::default();
                options.from = Some("bob".to_owned());
                options.accept = Some("yes".to_owned());
                options
            };
            ok(grouping.post_reserved_words(Some(options)).await)
        })
        .await;
    report
        .run("parameterGrouping_postMultiParamGroups", async {
            let options = {
                let mut options = ParameterGroupingPostMultiParamGroupsOptions::default();
                options.header_one = Some("header".to_owned());
                options.query_one = Some(21);
                options.header_two = Some("header2".to_owned());
                options.query_two = Some(42);
                options
            };
            ok(grouping.post_multi_param_groups(Some(options)).await)
        })
        .await;
    report
        .run("parameterGrouping_postSharedParameterGroupObject", async {
            let options = {
                let mut options = ParameterGroupingPostSharedParameterGroupObjectOptions::default();
                options.header_one = Some("header".to_owned());
                options.query_one = Some(21);
                options
            };
            ok(grouping
                .post_shared_parameter_group_object(Some(options))
                .await)
        })
        .await;
    report
        .run("parameterGrouping_groupWithConstant", async {
            let options = {
                let mut options = ParameterGroupingGroupWithConstantOptions::default();
                options.grouped_constant = Some(models::EncryptionAlgorithmType::Foo);
                options.grouped_parameter = Some("bar".to_owned());
                options
            };
            ok(grouping.group_with_constant(Some(options)).await)
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
