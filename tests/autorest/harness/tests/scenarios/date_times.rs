//! The format suites `body-datetime.json` (RFC 3339, `time::OffsetDateTime`: upper and lower
//! case, 7 fraction digits, offsets, no offset read as UTC, out-of-range values refused) and
//! `body-datetime-rfc1123.json` (`format: date-time-rfc1123` is a `String`: sent and returned as
//! text).

use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};
use azrm_runtime::json::parse_date_time;

/// Why a `null` scenario fails.
const NULL_BODY: &str =
    "an empty body where the spec gives a plain type does not decode (no Option result)";

/// Why an invalid RFC 1123 scenario fails.
const TEXT_FORMAT: &str =
    "format: date-time-rfc1123 is a String, not parsed: invalid text is returned as sent";

/// `result` is the instant `expected` (RFC 3339) denotes.
fn instant<T: PartialEq<T> + std::fmt::Debug>(
    result: Result<T, azrm_runtime::Error>,
    expected: impl Fn(&str) -> Result<T, String>,
    text: &str,
) -> Outcome {
    equal(ok(result)?, expected(text)?)
}

#[tokio::test]
async fn body_datetime_scenarios() {
    use autorest_body_datetime::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let d = client.datetime();
    let at = |text: &str| parse_date_time(text);
    let mut report = Report::new("body-datetime.json");
    report
        .run("datetime_getNull", async {
            ok(d.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("datetime_getInvalid", async {
            error(d.get_invalid(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("datetime_getOverflow", async {
            instant(
                d.get_overflow(None)
                    .await
                    .map(azrm_runtime::Response::into_model),
                at,
                "9999-12-31T23:59:59.999-14:00",
            )
        })
        .await;
    report
        .run("datetime_getUnderflow", async {
            error(d.get_underflow(None).await, Expected::Decode(200))
        })
        .await;
    let max_utc = at("9999-12-31T23:59:59.999Z").expect("valid");
    report
        .run("datetime_putUtcMaxDateTime", async {
            ok(d.put_utc_max_date_time(&max_utc, None).await)
        })
        .await;
    report
        .run("datetime_putUtcMaxDateTime7Digits", async {
            let max = at("9999-12-31T23:59:59.9999999Z")?;
            ok(d.put_utc_max_date_time7_digits(&max, None).await)
        })
        .await;
    report
        .run("datetime_getUtcLowercaseMaxDateTime", async {
            equal(ok(d.get_utc_lowercase_max_date_time(None).await)?, max_utc)
        })
        .await;
    report
        .run("datetime_getUtcUppercaseMaxDateTime", async {
            equal(ok(d.get_utc_uppercase_max_date_time(None).await)?, max_utc)
        })
        .await;
    report
        .run("datetime_getUtcUppercaseMaxDateTime7Digits", async {
            instant(
                d.get_utc_uppercase_max_date_time7_digits(None)
                    .await
                    .map(azrm_runtime::Response::into_model),
                at,
                "9999-12-31T23:59:59.9999999Z",
            )
        })
        .await;
    let max_positive = at("9999-12-31T23:59:59.999+14:00").expect("valid");
    report
        .run("datetime_putLocalPositiveOffsetMaxDateTime", async {
            ok(
                d.put_local_positive_offset_max_date_time(&max_positive, None)
                    .await,
            )
        })
        .await;
    report
        .run(
            "datetime_getLocalPositiveOffsetLowercaseMaxDateTime",
            async {
                equal(
                    ok(d.get_local_positive_offset_lowercase_max_date_time(None)
                        .await)?,
                    max_positive,
                )
            },
        )
        .await;
    report
        .run(
            "datetime_getLocalPositiveOffsetUppercaseMaxDateTime",
            async {
                equal(
                    ok(d.get_local_positive_offset_uppercase_max_date_time(None)
                        .await)?,
                    max_positive,
                )
            },
        )
        .await;
    let max_negative = at("9999-12-31T23:59:59.999-14:00").expect("valid");
    report
        .run("datetime_putLocalNegativeOffsetMaxDateTime", async {
            ok(
                d.put_local_negative_offset_max_date_time(&max_negative, None)
                    .await,
            )
        })
        .await;
    report
        .run(
            "datetime_getLocalNegativeOffsetUppercaseMaxDateTime",
            async {
                equal(
                    ok(d.get_local_negative_offset_uppercase_max_date_time(None)
                        .await)?,
                    max_negative,
                )
            },
        )
        .await;
    report
        .run(
            "datetime_getLocalNegativeOffsetLowercaseMaxDateTime",
            async {
                equal(
                    ok(d.get_local_negative_offset_lowercase_max_date_time(None)
                        .await)?,
                    max_negative,
                )
            },
        )
        .await;
    let min_utc = at("0001-01-01T00:00:00Z").expect("valid");
    report
        .run("datetime_putUtcMinDateTime", async {
            ok(d.put_utc_min_date_time(&min_utc, None).await)
        })
        .await;
    report
        .run("datetime_getUtcMinDateTime", async {
            // A constant of the spec: kept as the text sent.
            equal(
                ok(d.get_utc_min_date_time(None).await)?.as_str(),
                "0001-01-01T00:00:00Z",
            )
        })
        .await;
    let min_positive = at("0001-01-01T00:00:00+14:00").expect("valid");
    report
        .run("datetime_putLocalPositiveOffsetMinDateTime", async {
            ok(
                d.put_local_positive_offset_min_date_time(&min_positive, None)
                    .await,
            )
        })
        .await;
    report
        .run("datetime_getLocalPositiveOffsetMinDateTime", async {
            equal(
                ok(d.get_local_positive_offset_min_date_time(None).await)?.as_str(),
                "0001-01-01T00:00:00+14:00",
            )
        })
        .await;
    let min_negative = at("0001-01-01T00:00:00-14:00").expect("valid");
    report
        .run("datetime_putLocalNegativeOffsetMinDateTime", async {
            ok(
                d.put_local_negative_offset_min_date_time(&min_negative, None)
                    .await,
            )
        })
        .await;
    report
        .run("datetime_getLocalNegativeOffsetMinDateTime", async {
            equal(
                ok(d.get_local_negative_offset_min_date_time(None).await)?.as_str(),
                "0001-01-01T00:00:00-14:00",
            )
        })
        .await;
    report
        .run("datetime_getLocalNoOffsetMinDateTime", async {
            // No offset: read as UTC.
            equal(
                ok(d.get_local_no_offset_min_date_time(None).await)?,
                min_utc,
            )
        })
        .await;
    report.finish(&[("datetime_getNull", NULL_BODY)]);
    server
        .assert_coverage(
            "body-datetime.json",
            &["vanilla", "optional"],
            &["getDateTime", "putDateTime"],
            &[
                "getDateTimeRfc1123Null",
                "getDateTimeRfc1123Invalid",
                "getDateTimeRfc1123Overflow",
                "getDateTimeRfc1123Underflow",
                "getDateTimeRfc1123MaxUtcLowercase",
                "getDateTimeRfc1123MaxUtcUppercase",
                "getDateTimeRfc1123MinUtc",
                "putDateTimeRfc1123Max",
                "putDateTimeRfc1123Min",
            ],
        )
        .await;
}

#[tokio::test]
async fn body_datetime_rfc1123_scenarios() {
    use autorest_body_datetime_rfc1123::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let d = client.datetimerfc1123();
    let mut report = Report::new("body-datetime-rfc1123.json");
    let text = |result: Result<String, azrm_runtime::Error>, expected: &str| {
        equal(ok(result)?, expected.to_owned())
    };
    report
        .run("datetimerfc1123_getNull", async {
            ok(d.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("datetimerfc1123_getInvalid", async {
            error(d.get_invalid(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("datetimerfc1123_getOverflow", async {
            error(d.get_overflow(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("datetimerfc1123_getUnderflow", async {
            error(d.get_underflow(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("datetimerfc1123_putUtcMaxDateTime", async {
            ok(
                d.put_utc_max_date_time(&"Fri, 31 Dec 9999 23:59:59 GMT".to_owned(), None)
                    .await,
            )
        })
        .await;
    report
        .run("datetimerfc1123_getUtcLowercaseMaxDateTime", async {
            text(
                d.get_utc_lowercase_max_date_time(None)
                    .await
                    .map(azrm_runtime::Response::into_model),
                "fri, 31 dec 9999 23:59:59 gmt",
            )
        })
        .await;
    report
        .run("datetimerfc1123_getUtcUppercaseMaxDateTime", async {
            text(
                d.get_utc_uppercase_max_date_time(None)
                    .await
                    .map(azrm_runtime::Response::into_model),
                "FRI, 31 DEC 9999 23:59:59 GMT",
            )
        })
        .await;
    report
        .run("datetimerfc1123_putUtcMinDateTime", async {
            ok(
                d.put_utc_min_date_time(&"Mon, 01 Jan 0001 00:00:00 GMT".to_owned(), None)
                    .await,
            )
        })
        .await;
    report
        .run("datetimerfc1123_getUtcMinDateTime", async {
            equal(
                ok(d.get_utc_min_date_time(None).await)?.as_str().to_owned(),
                "Mon, 01 Jan 0001 00:00:00 GMT".to_owned(),
            )
        })
        .await;
    report.finish(&[
        ("datetimerfc1123_getNull", NULL_BODY),
        ("datetimerfc1123_getInvalid", TEXT_FORMAT),
        ("datetimerfc1123_getOverflow", TEXT_FORMAT),
        ("datetimerfc1123_getUnderflow", TEXT_FORMAT),
    ]);
    server
        .assert_coverage(
            "body-datetime-rfc1123.json",
            &["vanilla"],
            &["getDateTimeRfc1123", "putDateTimeRfc1123"],
            &[],
        )
        .await;
}
