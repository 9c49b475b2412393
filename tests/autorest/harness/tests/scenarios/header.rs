//! `header.json`: header parameters of every primitive type reach the wire as the server
//! expects (numbers, booleans, strings, enums, dates, date-times in both formats, durations,
//! base64 bytes); `x-ms-client-request-id` set on the client is sent.
//!
//! The `response*` scenarios read the header the server sent from the call's `Response` (the
//! operation's generated header trait, or `Response::header`): the value arrives as the server
//! wrote it. Dates, durations and bytes are `&str` parameters: the caller formats them.

use autorest_header::operations::{
    HeaderParamDatetimeRfc1123Options, HeaderParamEnumOptions, HeaderParamStringOptions,
};
use autorest_header::operations::{
    HeaderResponseExistingKeyHeaders as _, HeaderResponseProtectedKeyHeaders as _,
};
use autorest_header::{Client, models};
use autorest_tests::{Report, TestServer, equal, ok};

/// The server's multi-byte test string (`MULTIBYTE_BUFFER` of its constants, UTF-8) in
/// base64.
const BYTES_BASE64: &str = "5ZWK6b2E5LiC54ub54uc76ex76Ss76ex76iM76ip";

#[tokio::test]
async fn header_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let h = client.header();
    let mut report = Report::new("header.json");
    let string = |value: Option<&str>| {
        let mut options = HeaderParamStringOptions::default();
        options.value = value.map(str::to_owned);
        options
    };
    report
        .run("header_paramExistingKey", async {
            ok(h.param_existing_key("overwrite", None).await)
        })
        .await;
    report
        .run("header_paramProtectedKey", async {
            ok(h.param_protected_key("text/html", None).await)
        })
        .await;
    report
        .run("header_paramInteger", async {
            ok(h.param_integer("positive", 1, None).await)?;
            ok(h.param_integer("negative", -2, None).await)
        })
        .await;
    report
        .run("header_paramLong", async {
            ok(h.param_long("positive", 105, None).await)?;
            ok(h.param_long("negative", -2, None).await)
        })
        .await;
    report
        .run("header_paramFloat", async {
            ok(h.param_float("positive", 0.07, None).await)?;
            ok(h.param_float("negative", -3.0, None).await)
        })
        .await;
    report
        .run("header_paramDouble", async {
            ok(h.param_double("positive", 7e120, None).await)?;
            ok(h.param_double("negative", -3.0, None).await)
        })
        .await;
    report
        .run("header_paramBool", async {
            ok(h.param_bool("true", true, None).await)?;
            ok(h.param_bool("false", false, None).await)
        })
        .await;
    report
        .run("header_paramString", async {
            let fox = "The quick brown fox jumps over the lazy dog";
            ok(h.param_string("valid", Some(string(Some(fox)))).await)?;
            ok(h.param_string("null", Some(string(None))).await)?;
            ok(h.param_string("empty", Some(string(Some("")))).await)
        })
        .await;
    report
        .run("header_paramDate", async {
            ok(h.param_date("valid", "2010-01-01", None).await)?;
            ok(h.param_date("min", "0001-01-01", None).await)
        })
        .await;
    report
        .run("header_paramDatetime", async {
            ok(h.param_datetime("valid", "2010-01-01T12:34:56Z", None)
                .await)?;
            ok(h.param_datetime("min", "0001-01-01T00:00:00Z", None).await)
        })
        .await;
    report
        .run("header_paramDatetimeRfc1123", async {
            let rfc1123 = |value: Option<&str>| {
                let mut options = HeaderParamDatetimeRfc1123Options::default();
                options.value = value.map(str::to_owned);
                options
            };
            ok(h.param_datetime_rfc1123(
                "valid",
                Some(rfc1123(Some("Fri, 01 Jan 2010 12:34:56 GMT"))),
            )
            .await)?;
            ok(h.param_datetime_rfc1123(
                "min",
                Some(rfc1123(Some("Mon, 01 Jan 0001 00:00:00 GMT"))),
            )
            .await)
        })
        .await;
    report
        .run("header_paramDuration", async {
            ok(h.param_duration("valid", "P123DT22H14M12.011S", None).await)
        })
        .await;
    report
        .run("header_paramByte", async {
            ok(h.param_byte("valid", BYTES_BASE64, None).await)
        })
        .await;
    report
        .run("header_paramEnum", async {
            let color = |value| {
                let mut options = HeaderParamEnumOptions::default();
                options.value = value;
                options
            };
            ok(
                h.param_enum("valid", Some(color(Some(models::GreyscaleColors::Grey))))
                    .await,
            )?;
            ok(h.param_enum("null", Some(color(None))).await)
        })
        .await;
    report
        .run("header_customRequestId", async {
            let client = server
                .configure(Client::builder("unused"))
                .header(
                    "x-ms-client-request-id",
                    "9C4D50EE-2D56-4CD3-8152-34347DC9F2B0",
                )
                .build()
                .map_err(|e| e.to_string())?;
            ok(client.header().custom_request_id(None).await)
        })
        .await;

    // Response headers: the value each scenario's response carries, read from the `Response`
    // (through the operation's generated header trait where it names the header).
    report
        .run("header_responseExistingKey", async {
            let response = ok(h.response_existing_key(None).await)?;
            equal(response.user_agent(), Some("overwrite"))
        })
        .await;
    report
        .run("header_responseProtectedKey", async {
            let response = ok(h.response_protected_key(None).await)?;
            // Express adds the charset to the `text/html` the server sets.
            equal(response.content_type(), Some("text/html; charset=utf-8"))
        })
        .await;
    for (operation, scenarios) in [
        (
            "header_responseInteger",
            &[("positive", "1"), ("negative", "-2")][..],
        ),
        (
            "header_responseLong",
            &[("positive", "105"), ("negative", "-2")],
        ),
        (
            "header_responseFloat",
            &[("positive", "0.07"), ("negative", "-3")],
        ),
        (
            "header_responseDouble",
            &[("positive", "7e+120"), ("negative", "-3")],
        ),
        (
            "header_responseBool",
            &[("true", "true"), ("false", "false")],
        ),
        (
            "header_responseString",
            &[
                ("valid", "The quick brown fox jumps over the lazy dog"),
                // The server sends JavaScript's `String(null)`.
                ("null", "null"),
                ("empty", ""),
            ],
        ),
        (
            "header_responseDate",
            &[("valid", "2010-01-01"), ("min", "0001-01-01")],
        ),
        (
            "header_responseDatetime",
            &[
                ("valid", "2010-01-01T12:34:56Z"),
                ("min", "0001-01-01T00:00:00Z"),
            ],
        ),
        (
            "header_responseDatetimeRfc1123",
            &[
                ("valid", "Fri, 01 Jan 2010 12:34:56 GMT"),
                ("min", "Mon, 01 Jan 0001 00:00:00 GMT"),
            ],
        ),
        (
            "header_responseDuration",
            &[("valid", "P123DT22H14M12.011S")],
        ),
        ("header_responseByte", &[("valid", BYTES_BASE64)]),
        ("header_responseEnum", &[("valid", "GREY"), ("null", "")]),
    ] {
        let h = &h;
        report
            .run(operation, async move {
                for (scenario, expected) in scenarios {
                    let response = ok(match operation {
                        "header_responseInteger" => h.response_integer(scenario, None).await,
                        "header_responseLong" => h.response_long(scenario, None).await,
                        "header_responseFloat" => h.response_float(scenario, None).await,
                        "header_responseDouble" => h.response_double(scenario, None).await,
                        "header_responseBool" => h.response_bool(scenario, None).await,
                        "header_responseString" => h.response_string(scenario, None).await,
                        "header_responseDate" => h.response_date(scenario, None).await,
                        "header_responseDatetime" => h.response_datetime(scenario, None).await,
                        "header_responseDatetimeRfc1123" => {
                            h.response_datetime_rfc1123(scenario, None).await
                        }
                        "header_responseDuration" => h.response_duration(scenario, None).await,
                        "header_responseByte" => h.response_byte(scenario, None).await,
                        _ => h.response_enum(scenario, None).await,
                    })?;
                    equal(response.header("value"), Some(*expected))
                        .map_err(|message| format!("scenario {scenario}: {message}"))?;
                }
                Ok(())
            })
            .await;
    }

    report.finish(&[]);
    server
        .assert_coverage(
            "header.json",
            &["vanilla", "optional"],
            &["HeaderParameter", "HeaderResponse", "CustomHeaderInRequest"],
            &[],
        )
        .await;
}
