//! `url.json`: path and query values of every type, percent-encoded as the server expects
//! (unicode, reserved characters, `x-ms-skip-url-encoding`), array values in every collection
//! format, optional query values left out, and an empty required path value refused before
//! sending (the spec's `null` cases: Rust has no null `&str`, and an empty segment is refused).
//! Dates, bytes and base64url values are `&str` arguments the caller formats.
//!
//! Unlike Python and Go, **an empty path segment is refused** even where the spec's constant is
//! `""` (`paths_stringEmpty`, `paths_byteEmpty`): `/a//b` addresses another resource than the
//! one meant, so the runtime refuses it before sending (the project's rule). Their server
//! counters are not required.

use autorest_tests::{Outcome, Report, TestServer, invalid, ok};
use autorest_url::operations::*;
use autorest_url::{Client, ClientParameters, models};
use azrm_runtime::Rule;

use crate::url_multi_collection_format::array_items;

/// The server's multi-byte test string (see `header.rs`) in base64.
const BYTES_BASE64: &str = "5ZWK6b2E5LiC54ub54uc76ex76Ss76ex76iM76ip";

/// Scenarios known to fail, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[(
    "paths_enumNull",
    "Rust has no null enum; the route, meant for a client that sends one, answers 500 to a value",
)];

/// Server counters not required here: the empty-path-segment scenarios, which the client
/// refuses by design, and those of `url-multi-collectionFormat.json`.
const NOT_REQUIRED: &[&str] = &[
    "UrlPathsStringEmpty",
    "UrlPathsByteEmpty",
    "UrlQueriesArrayMultiNull",
    "UrlQueriesArrayMultiEmpty",
    "UrlQueriesArrayMultiValid",
];

/// Refused before sending: an empty required path value.
fn empty_path<T: std::fmt::Debug>(result: Result<T, azrm_runtime::Error>, name: &str) -> Outcome {
    invalid(result, name, &Rule::MinLength(1))
}

#[tokio::test]
async fn url_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    // `globalStringPath` is a required client parameter (a global parameter of the spec);
    // `globalStringQuery`, optional, is left unset here.
    let client = server
        .configure(Client::builder("unused"))
        .global_string_path("globalStringPath")
        .build()
        .expect("client");
    let (p, q) = (client.paths(), client.queries());
    let mut report = Report::new("url.json");

    // Paths.
    report
        .run("paths_getBooleanTrue", async {
            ok(p.get_boolean_true(true, None).await)
        })
        .await;
    report
        .run("paths_getBooleanFalse", async {
            ok(p.get_boolean_false(false, None).await)
        })
        .await;
    report
        .run("paths_getIntOneMillion", async {
            ok(p.get_int_one_million(1_000_000, None).await)
        })
        .await;
    report
        .run("paths_getIntNegativeOneMillion", async {
            ok(p.get_int_negative_one_million(-1_000_000, None).await)
        })
        .await;
    report
        .run("paths_getTenBillion", async {
            ok(p.get_ten_billion(10_000_000_000, None).await)
        })
        .await;
    report
        .run("paths_getNegativeTenBillion", async {
            ok(p.get_negative_ten_billion(-10_000_000_000, None).await)
        })
        .await;
    report
        .run("paths_floatScientificPositive", async {
            ok(p.float_scientific_positive(1.034e20, None).await)
        })
        .await;
    report
        .run("paths_floatScientificNegative", async {
            ok(p.float_scientific_negative(-1.034e-20, None).await)
        })
        .await;
    report
        .run("paths_doubleDecimalPositive", async {
            ok(p.double_decimal_positive(9_999_999.999, None).await)
        })
        .await;
    report
        .run("paths_doubleDecimalNegative", async {
            ok(p.double_decimal_negative(-9_999_999.999, None).await)
        })
        .await;
    report
        .run("paths_stringUnicode", async {
            ok(p.string_unicode(&models::StringPath::default(), None).await)
        })
        .await;
    report
        .run("paths_stringUrlEncoded", async {
            ok(p.string_url_encoded(&models::StringPath2::default(), None)
                .await)
        })
        .await;
    report
        .run("paths_stringUrlNonEncoded", async {
            ok(
                p.string_url_non_encoded(&models::StringPath3::default(), None)
                    .await,
            )
        })
        .await;
    report
        .run("paths_stringEmpty", async {
            // Refused by design (see the module's doc).
            empty_path(
                p.string_empty(&models::StringPath4::default(), None).await,
                "stringPath",
            )
        })
        .await;
    report
        .run("paths_stringNull", async {
            empty_path(p.string_null("", None).await, "stringPath")
        })
        .await;
    report
        .run("paths_enumValid", async {
            ok(p.enum_valid(&models::UriColor::GreenColor, None).await)
        })
        .await;
    report
        .run("paths_enumNull", async {
            ok(p.enum_null(&models::UriColor::GreenColor, None).await)
        })
        .await;
    report
        .run("paths_byteMultiByte", async {
            ok(p.byte_multi_byte(BYTES_BASE64, None).await)
        })
        .await;
    report
        .run("paths_byteEmpty", async {
            // Refused by design (see the module's doc).
            empty_path(
                p.byte_empty(&models::BytePath::default(), None).await,
                "bytePath",
            )
        })
        .await;
    report
        .run("paths_byteNull", async {
            empty_path(p.byte_null("", None).await, "bytePath")
        })
        .await;
    report
        .run("paths_DateValid", async {
            ok(p.date_valid(&models::DatePath::default(), None).await)
        })
        .await;
    report
        .run("paths_DateNull", async {
            empty_path(p.date_null("", None).await, "datePath")
        })
        .await;
    report
        .run("paths_DateTimeValid", async {
            ok(p.date_time_valid(&models::DateTimePath::default(), None)
                .await)
        })
        .await;
    report
        .run("paths_DateTimeNull", async {
            empty_path(p.date_time_null("", None).await, "dateTimePath")
        })
        .await;
    report
        .run("paths_base64Url", async {
            ok(p.base64_url("bG9yZW0", None).await)
        })
        .await;
    report
        .run("paths_ArrayCsvInPath", async {
            let mut items = array_items();
            items[0] = "ArrayPath1".to_owned();
            ok(p.array_csv_in_path(&items, None).await)
        })
        .await;
    report
        .run("paths_unixTimeUrl", async {
            ok(p.unix_time_url(1_460_505_600, None).await)
        })
        .await;

    // Queries.
    report
        .run("queries_getBooleanTrue", async {
            ok(q.get_boolean_true(true, None).await)
        })
        .await;
    report
        .run("queries_getBooleanFalse", async {
            ok(q.get_boolean_false(false, None).await)
        })
        .await;
    report
        .run("queries_getBooleanNull", async {
            ok(q.get_boolean_null(None).await)
        })
        .await;
    report
        .run("queries_getIntOneMillion", async {
            ok(q.get_int_one_million(1_000_000, None).await)
        })
        .await;
    report
        .run("queries_getIntNegativeOneMillion", async {
            ok(q.get_int_negative_one_million(-1_000_000, None).await)
        })
        .await;
    report
        .run("queries_getIntNull", async {
            ok(q.get_int_null(None).await)
        })
        .await;
    report
        .run("queries_getTenBillion", async {
            ok(q.get_ten_billion(10_000_000_000, None).await)
        })
        .await;
    report
        .run("queries_getNegativeTenBillion", async {
            ok(q.get_negative_ten_billion(-10_000_000_000, None).await)
        })
        .await;
    report
        .run("queries_getLongNull", async {
            ok(q.get_long_null(None).await)
        })
        .await;
    report
        .run("queries_floatScientificPositive", async {
            ok(q.float_scientific_positive(1.034e20, None).await)
        })
        .await;
    report
        .run("queries_floatScientificNegative", async {
            ok(q.float_scientific_negative(-1.034e-20, None).await)
        })
        .await;
    report
        .run("queries_floatNull", async { ok(q.float_null(None).await) })
        .await;
    report
        .run("queries_doubleDecimalPositive", async {
            ok(q.double_decimal_positive(9_999_999.999, None).await)
        })
        .await;
    report
        .run("queries_doubleDecimalNegative", async {
            ok(q.double_decimal_negative(-9_999_999.999, None).await)
        })
        .await;
    report
        .run("queries_doubleNull", async {
            ok(q.double_null(None).await)
        })
        .await;
    report
        .run("queries_stringUnicode", async {
            ok(q.string_unicode(&models::StringQuery::default(), None)
                .await)
        })
        .await;
    report
        .run("queries_stringUrlEncoded", async {
            ok(q.string_url_encoded(&models::StringQuery2::default(), None)
                .await)
        })
        .await;
    report
        .run("queries_stringEmpty", async {
            ok(q.string_empty(&models::StringQuery3::default(), None).await)
        })
        .await;
    report
        .run("queries_stringNull", async {
            ok(q.string_null(None).await)
        })
        .await;
    report
        .run("queries_enumValid", async {
            let options = {
                let mut options = QueriesEnumValidOptions::default();
                options.enum_query = Some(models::UriColor::GreenColor);
                options
            };
            ok(q.enum_valid(Some(options)).await)
        })
        .await;
    report
        .run("queries_enumNull", async { ok(q.enum_null(None).await) })
        .await;
    report
        .run("queries_byteMultiByte", async {
            let options = {
                let mut options = QueriesByteMultiByteOptions::default();
                options.byte_query = Some(BYTES_BASE64.to_owned());
                options
            };
            ok(q.byte_multi_byte(Some(options)).await)
        })
        .await;
    report
        .run("queries_byteEmpty", async {
            ok(q.byte_empty(&models::ByteQuery::default(), None).await)
        })
        .await;
    report
        .run("queries_byteNull", async { ok(q.byte_null(None).await) })
        .await;
    report
        .run("queries_DateValid", async {
            ok(q.date_valid(&models::DateQuery::default(), None).await)
        })
        .await;
    report
        .run("queries_DateNull", async { ok(q.date_null(None).await) })
        .await;
    report
        .run("queries_DateTimeValid", async {
            ok(q.date_time_valid(&models::DateTimeQuery::default(), None)
                .await)
        })
        .await;
    report
        .run("queries_DateTimeNull", async {
            ok(q.date_time_null(None).await)
        })
        .await;
    report
        .run("queries_ArrayStringCsvValid", async {
            let options = {
                let mut options = QueriesArrayStringCsvValidOptions::default();
                options.array_query = Some(array_items());
                options
            };
            ok(q.array_string_csv_valid(Some(options)).await)
        })
        .await;
    report
        .run("queries_ArrayStringCsvNull", async {
            ok(q.array_string_csv_null(None).await)
        })
        .await;
    report
        .run("queries_ArrayStringCsvEmpty", async {
            let options = {
                let mut options = QueriesArrayStringCsvEmptyOptions::default();
                options.array_query = Some(Vec::new());
                options
            };
            ok(q.array_string_csv_empty(Some(options)).await)
        })
        .await;
    report
        .run("queries_ArrayStringNoCollectionFormatEmpty", async {
            let options = {
                let mut options = QueriesArrayStringNoCollectionFormatEmptyOptions::default();
                options.array_query = Some(vec![
                    "hello".to_owned(),
                    "nihao".to_owned(),
                    "bonjour".to_owned(),
                ]);
                options
            };
            ok(q.array_string_no_collection_format_empty(Some(options))
                .await)
        })
        .await;
    report
        .run("queries_ArrayStringSsvValid", async {
            let options = {
                let mut options = QueriesArrayStringSsvValidOptions::default();
                options.array_query = Some(array_items());
                options
            };
            ok(q.array_string_ssv_valid(Some(options)).await)
        })
        .await;
    report
        .run("queries_ArrayStringTsvValid", async {
            let options = {
                let mut options = QueriesArrayStringTsvValidOptions::default();
                options.array_query = Some(array_items());
                options
            };
            ok(q.array_string_tsv_valid(Some(options)).await)
        })
        .await;
    report
        .run("queries_ArrayStringPipesValid", async {
            let options = {
                let mut options = QueriesArrayStringPipesValidOptions::default();
                options.array_query = Some(array_items());
                options
            };
            ok(q.array_string_pipes_valid(Some(options)).await)
        })
        .await;

    // Path items: parameters declared on the document (client parameters: the client holds
    // them), the path item and the operation.
    let with_global_query = server
        .configure(Client::builder("unused"))
        .global_string_path("globalStringPath")
        .global_string_query("globalStringQuery")
        .build()
        .expect("client");
    let (items, items_without_global) = (with_global_query.path_items(), client.path_items());
    let paths = ("pathItemStringPath", "localStringPath");
    // The options with the path item's and the operation's queries, each set or not.
    macro_rules! item_options {
        ($options:ty, $path_item:expr, $local:expr) => {{
            let mut options = <$options>::default();
            options.path_item_string_query = $path_item.then(|| "pathItemStringQuery".to_owned());
            options.local_string_query = $local.then(|| "localStringQuery".to_owned());
            options
        }};
    }
    report
        .run("pathItems_getAllWithValues", async {
            let options = item_options!(PathItemsGetAllWithValuesOptions, true, true);
            ok(items
                .get_all_with_values(paths.0, paths.1, Some(options))
                .await)
        })
        .await;
    report
        .run("pathItems_getGlobalQueryNull", async {
            let options = item_options!(PathItemsGetGlobalQueryNullOptions, true, true);
            ok(items_without_global
                .get_global_query_null(paths.0, paths.1, Some(options))
                .await)
        })
        .await;
    report
        .run("pathItems_getGlobalAndLocalQueryNull", async {
            let options = item_options!(PathItemsGetGlobalAndLocalQueryNullOptions, true, false);
            ok(items_without_global
                .get_global_and_local_query_null(paths.0, paths.1, Some(options))
                .await)
        })
        .await;
    report
        .run("pathItems_getLocalPathItemQueryNull", async {
            let options = item_options!(PathItemsGetLocalPathItemQueryNullOptions, false, false);
            ok(items
                .get_local_path_item_query_null(paths.0, paths.1, Some(options))
                .await)
        })
        .await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "url.json",
            &["vanilla"],
            &["UrlPath", "UrlQueries", "UrlPathItem"],
            NOT_REQUIRED,
        )
        .await;
}
