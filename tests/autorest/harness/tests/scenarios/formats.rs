//! The format suites `body-integer.json`, `body-number.json`, `body-byte.json`,
//! `body-date.json` and `body-duration.json`: a top-level body of each primitive format, read
//! and written. Values that do not fit the type (an `i32` overflow, text where a number
//! belongs, invalid base64) are `ErrorKind::Decode` of the 200.
//!
//! Known differences, listed per suite: a `null` (empty) body where the spec gives a plain type
//! is a decode error (the result is not an `Option`; Python returns `None`); `format: date` and
//! `format: duration` are `String`s, so an invalid date or duration is returned as sent.

use std::future::Future;
use std::pin::Pin;

use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};

/// Why a `null` scenario fails.
const NULL_BODY: &str =
    "an empty body where the spec gives a plain type does not decode (no Option result)";

/// Why an invalid date or duration scenario fails.
const TEXT_FORMAT: &str =
    "format: date and duration are Strings, not parsed: invalid text is returned as sent";

/// A decode error of a 200 answer.
fn undecodable<T: std::fmt::Debug>(result: Result<T, azrm_runtime::Error>) -> Outcome {
    error(result, Expected::Decode(200))
}

#[tokio::test]
async fn body_integer_scenarios() {
    use autorest_body_integer::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let int = client.int();
    let mut report = Report::new("body-integer.json");
    report
        .run("int_getNull", async {
            ok(int.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("int_getInvalid", async {
            undecodable(int.get_invalid(None).await)
        })
        .await;
    report
        .run("int_getOverflowInt32", async {
            undecodable(int.get_overflow_int32(None).await)
        })
        .await;
    report
        .run("int_getUnderflowInt32", async {
            undecodable(int.get_underflow_int32(None).await)
        })
        .await;
    report
        .run("int_getOverflowInt64", async {
            undecodable(int.get_overflow_int64(None).await)
        })
        .await;
    report
        .run("int_getUnderflowInt64", async {
            undecodable(int.get_underflow_int64(None).await)
        })
        .await;
    report
        .run("int_putMax32", async {
            ok(int.put_max32(&i32::MAX, None).await)
        })
        .await;
    report
        .run("int_putMax64", async {
            ok(int.put_max64(&i64::MAX, None).await)
        })
        .await;
    report
        .run("int_putMin32", async {
            ok(int.put_min32(&i32::MIN, None).await)
        })
        .await;
    report
        .run("int_putMin64", async {
            ok(int.put_min64(&i64::MIN, None).await)
        })
        .await;
    report
        .run("int_getUnixTime", async {
            equal(ok(int.get_unix_time(None).await)?, 1_460_505_600)
        })
        .await;
    report
        .run("int_putUnixTimeDate", async {
            ok(int.put_unix_time_date(&1_460_505_600, None).await)
        })
        .await;
    report
        .run("int_getInvalidUnixTime", async {
            undecodable(int.get_invalid_unix_time(None).await)
        })
        .await;
    report
        .run("int_getNullUnixTime", async {
            ok(int.get_null_unix_time(None).await).map(drop)
        })
        .await;
    report.finish(&[
        ("int_getNull", NULL_BODY),
        ("int_getNullUnixTime", NULL_BODY),
    ]);
    server
        .assert_coverage(
            "body-integer.json",
            &["vanilla"],
            &[
                "getInteger",
                "putInteger",
                "getLong",
                "putLong",
                "getUnixTime",
                "putUnixTime",
                "getInvalidUnixTime",
                "getNullUnixTime",
            ],
            &[],
        )
        .await;
}

#[tokio::test]
async fn body_number_scenarios() {
    use autorest_body_number::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let n = client.number();
    let mut report = Report::new("body-number.json");
    report
        .run("number_getNull", async {
            ok(n.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("number_getInvalidFloat", async {
            undecodable(n.get_invalid_float(None).await)
        })
        .await;
    report
        .run("number_getInvalidDouble", async {
            undecodable(n.get_invalid_double(None).await)
        })
        .await;
    report
        .run("number_getInvalidDecimal", async {
            undecodable(n.get_invalid_decimal(None).await)
        })
        .await;
    // Each value is written by one operation and read by its twin.
    type Call<'a, T> = Pin<Box<dyn Future<Output = Result<T, azrm_runtime::Error>> + 'a>>;
    /// Put operation id, get operation id, the value, the put call, the get call.
    type Twins<'a> = (&'a str, &'a str, f64, Call<'a, ()>, Call<'a, f64>);
    let values: [Twins<'_>; 10] = [
        (
            "number_putBigFloat",
            "number_getBigFloat",
            3.402823e20,
            Box::pin(async {
                n.put_big_float(&3.402823e20, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_float(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDouble",
            "number_getBigDouble",
            2.5976931e101,
            Box::pin(async {
                n.put_big_double(&2.5976931e101, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_double(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDoublePositiveDecimal",
            "number_getBigDoublePositiveDecimal",
            99_999_999.99,
            Box::pin(async {
                n.put_big_double_positive_decimal(&99_999_999.99, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_double_positive_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDoubleNegativeDecimal",
            "number_getBigDoubleNegativeDecimal",
            -99_999_999.99,
            Box::pin(async {
                n.put_big_double_negative_decimal(&-99_999_999.99, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_double_negative_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDecimal",
            "number_getBigDecimal",
            2.5976931e101,
            Box::pin(async {
                n.put_big_decimal(&2.5976931e101, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDecimalPositiveDecimal",
            "number_getBigDecimalPositiveDecimal",
            99_999_999.99,
            Box::pin(async {
                n.put_big_decimal_positive_decimal(&99_999_999.99, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_decimal_positive_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putBigDecimalNegativeDecimal",
            "number_getBigDecimalNegativeDecimal",
            -99_999_999.99,
            Box::pin(async {
                n.put_big_decimal_negative_decimal(&-99_999_999.99, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_big_decimal_negative_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putSmallFloat",
            "number_getSmallFloat",
            3.402823e-20,
            Box::pin(async {
                n.put_small_float(&3.402823e-20, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_small_float(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putSmallDouble",
            "number_getSmallDouble",
            2.5976931e-101,
            Box::pin(async {
                n.put_small_double(&2.5976931e-101, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_small_double(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
        (
            "number_putSmallDecimal",
            "number_getSmallDecimal",
            2.5976931e-101,
            Box::pin(async {
                n.put_small_decimal(&2.5976931e-101, None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
            Box::pin(async {
                n.get_small_decimal(None)
                    .await
                    .map(azrm_runtime::Response::into_model)
            }),
        ),
    ];
    for (put_id, get_id, value, put, get) in values {
        report.run(put_id, async { ok(put.await) }).await;
        report
            .run(get_id, async move { equal(ok(get.await)?, value) })
            .await;
    }
    report.finish(&[("number_getNull", NULL_BODY)]);
    server
        .assert_coverage(
            "body-number.json",
            &["vanilla", "optional"],
            &[
                "getFloat",
                "putFloat",
                "getDouble",
                "putDouble",
                "getDecimal",
                "putDecimal",
                "getNumberNull",
            ],
            &[],
        )
        .await;
}

#[tokio::test]
async fn body_byte_scenarios() {
    use autorest_body_byte::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let b = client.byte();
    let mut report = Report::new("body-byte.json");
    // The bytes 255 to 246: not UTF-8, so only base64 carries them.
    let non_ascii: Vec<u8> = (246..=255u8).rev().collect();
    report
        .run("byte_getNull", async {
            ok(b.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("byte_getEmpty", async {
            equal(ok(b.get_empty(None).await)?, Vec::new())
        })
        .await;
    report
        .run("byte_getNonAscii", async {
            equal(ok(b.get_non_ascii(None).await)?, non_ascii.clone())
        })
        .await;
    report
        .run("byte_putNonAscii", async {
            ok(b.put_non_ascii(&non_ascii, None).await)
        })
        .await;
    report
        .run("byte_getInvalid", async {
            undecodable(b.get_invalid(None).await)
        })
        .await;
    report.finish(&[("byte_getNull", NULL_BODY)]);
    server
        .assert_coverage("body-byte.json", &["vanilla"], &["getByte", "putByte"], &[])
        .await;
}

#[tokio::test]
async fn body_date_and_duration_scenarios() {
    use autorest_body_date::Client as DateClient;
    use autorest_body_duration::Client as DurationClient;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(DateClient::builder("unused"))
        .build()
        .expect("client");
    let d = client.date();
    let mut report = Report::new("body-date.json");
    report
        .run("date_getNull", async {
            ok(d.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("date_getInvalidDate", async {
            undecodable(d.get_invalid_date(None).await)
        })
        .await;
    report
        .run("date_getOverflowDate", async {
            undecodable(d.get_overflow_date(None).await)
        })
        .await;
    report
        .run("date_getUnderflowDate", async {
            undecodable(d.get_underflow_date(None).await)
        })
        .await;
    report
        .run("date_putMaxDate", async {
            ok(d.put_max_date(&"9999-12-31".to_owned(), None).await)
        })
        .await;
    report
        .run("date_getMaxDate", async {
            equal(ok(d.get_max_date(None).await)?, "9999-12-31".to_owned())
        })
        .await;
    report
        .run("date_putMinDate", async {
            ok(d.put_min_date(&"0001-01-01".to_owned(), None).await)
        })
        .await;
    report
        .run("date_getMinDate", async {
            // The spec's only value is `0000-01-01`; the server sends `0001-01-01`, which the
            // closed enum keeps as an unlisted value.
            equal(ok(d.get_min_date(None).await)?.as_str(), "0001-01-01")
        })
        .await;
    report.finish(&[
        ("date_getNull", NULL_BODY),
        ("date_getInvalidDate", TEXT_FORMAT),
        ("date_getOverflowDate", TEXT_FORMAT),
        ("date_getUnderflowDate", TEXT_FORMAT),
    ]);

    let client = server
        .configure(DurationClient::builder("unused"))
        .build()
        .expect("client");
    let d = client.duration();
    let mut report = Report::new("body-duration.json");
    report
        .run("duration_getNull", async {
            ok(d.get_null(None).await).map(drop)
        })
        .await;
    report
        .run("duration_putPositiveDuration", async {
            ok(
                d.put_positive_duration(&"P123DT22H14M12.011S".to_owned(), None)
                    .await,
            )
        })
        .await;
    report
        .run("duration_getPositiveDuration", async {
            equal(
                ok(d.get_positive_duration(None).await)?,
                "P3Y6M4DT12H30M5S".to_owned(),
            )
        })
        .await;
    report
        .run("duration_getInvalid", async {
            undecodable(d.get_invalid(None).await)
        })
        .await;
    report.finish(&[
        ("duration_getNull", NULL_BODY),
        ("duration_getInvalid", TEXT_FORMAT),
    ]);
    server
        .assert_coverage(
            "body-date.json and body-duration.json",
            &["vanilla", "optional"],
            &[
                "getDateNull",
                "getDateInvalid",
                "getDateOverflow",
                "getDateUnderflow",
                "putDateMax",
                "getDateMax",
                "putDateMin",
                "getDateMin",
                "getDurationNull",
                "putDurationPositive",
                "getDurationPositive",
                "getDurationInvalid",
            ],
            &[],
        )
        .await;
}
