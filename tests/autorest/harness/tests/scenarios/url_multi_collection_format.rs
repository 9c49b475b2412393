//! `url-multi-collectionFormat.json`: an array query parameter with `collectionFormat: multi`
//! goes as one `arrayQuery` per item (none when unset or empty), each item percent-encoded,
//! reserved characters included.

use autorest_tests::{Report, TestServer, ok};
use autorest_url_multi_collectionformat::Client;
use autorest_url_multi_collectionformat::operations::{
    QueriesArrayStringMultiEmptyOptions, QueriesArrayStringMultiNullOptions,
    QueriesArrayStringMultiValidOptions,
};

/// The items the server expects: a plain one, one with every reserved character, and two
/// empty ones (the spec's `null` item travels as an empty one, as in every SDK).
pub(crate) fn array_items() -> Vec<String> {
    ["ArrayQuery1", "begin!*'();:@ &=+$,/?#[]end", "", ""]
        .map(str::to_owned)
        .to_vec()
}

#[tokio::test]
async fn url_multi_collection_format_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let queries = client.queries();
    let mut report = Report::new("url-multi-collectionFormat.json");
    report
        .run("queries_ArrayStringMultiNull", async {
            ok(queries
                .array_string_multi_null(Some(QueriesArrayStringMultiNullOptions::default()))
                .await)
        })
        .await;
    report
        .run("queries_ArrayStringMultiEmpty", async {
            let options = {
                let mut options = QueriesArrayStringMultiEmptyOptions::default();
                options.array_query = Some(Vec::new());
                options
            };
            ok(queries.array_string_multi_empty(Some(options)).await)
        })
        .await;
    report
        .run("queries_ArrayStringMultiValid", async {
            let options = {
                let mut options = QueriesArrayStringMultiValidOptions::default();
                options.array_query = Some(array_items());
                options
            };
            ok(queries.array_string_multi_valid(Some(options)).await)
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "url-multi-collectionFormat.json",
            &["vanilla"],
            &["UrlQueriesArrayMulti"],
            &[],
        )
        .await;
}
