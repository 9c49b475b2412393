//! `httpInfrastructure.json`: every status class. Successes (200, 201, 202, 204, and `HEAD`
//! 404 as "does not exist"); client and server failures as `ErrorKind::Http` with their status;
//! retries of 408, 500, 502, 503 and 504 until the server's second answer (200); redirects; and
//! responses whose status and body do or do not match the spec's models.
//!
//! Where the suite's expectation differs from a production Azure SDK this follows the SDK:
//! - **Redirects are not followed**: a 3xx the spec declares is that response (`Ok`), as .NET
//!   Azure.Core does by default (`IsClientRedirectEnabled` is off), keeping the credential on
//!   the configured endpoint; Python azure-core's `RedirectPolicy` and Go's `net/http` follow
//!   them (the suite's Python tests expect 200 after following).
//! - **`HEAD` 429 is retried** (as every SDK retries 429) before failing with 429.

use autorest_http_infrastructure::{Client, models};
use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};
use azrm_runtime::Error;

/// Scenarios known to fail, with the reason.
const KNOWN_FAILURES: &[(&str, &str)] = &[
    (
        "multipleResponses_get200ModelA201ModelC404ModelDDefaultError201Valid",
        "one result model per operation: the 201 body (model C) decodes as the 200 model A",
    ),
    (
        "multipleResponses_get200ModelA201ModelC404ModelDDefaultError404Valid",
        "one result model per operation: the 404 body (model D) decodes as the 200 model A",
    ),
    (
        "multipleResponses_getDefaultModelA200None",
        "a 200 whose spec gives a model but whose body is empty fails to decode (Python returns None)",
    ),
    (
        "multipleResponses_get200ModelA200None",
        "a 200 whose spec gives a model but whose body is empty fails to decode (Python returns None)",
    ),
];

/// The error the service answered with, with its status.
fn http<T: std::fmt::Debug>(result: Result<T, Error>, status: u16) -> Outcome {
    error(result, Expected::Http(status))
}

/// `result` failed with `status` and the error body's message is `message`.
fn http_message<T: std::fmt::Debug>(
    result: Result<T, Error>,
    status: u16,
    message: &str,
) -> Outcome {
    let found = result
        .as_ref()
        .err()
        .and_then(|e| e.error_message().map(str::to_owned));
    http(result, status)?;
    equal(found.as_deref(), Some(message))
}

/// A model `A` (Rust `MyException`, its `x-ms-client-name`) with this `statusCode`.
fn a(status: &str) -> models::MyException {
    models::MyException {
        status_code: Some(status.to_owned()),
        ..Default::default()
    }
}

#[tokio::test]
async fn http_infrastructure_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let mut report = Report::new("httpInfrastructure.json");
    let t = Some(&true);

    // Error bodies: a message, an empty one, none.
    let failure = client.http_failure();
    report
        .run("httpFailure_getEmptyError", async {
            http(failure.get_empty_error(None).await, 400)
        })
        .await;
    report
        .run("httpFailure_getNoModelError", async {
            http_message(failure.get_no_model_error(None).await, 400, "NoErrorModel")
        })
        .await;
    report
        .run("httpFailure_getNoModelEmpty", async {
            http(failure.get_no_model_empty(None).await, 400)
        })
        .await;

    // Successes.
    let success = client.http_success();
    report
        .run("httpSuccess_head200", async {
            ok(success.head200(None).await)
        })
        .await;
    report
        .run("httpSuccess_get200", async {
            equal(ok(success.get200(None).await)?, true)
        })
        .await;
    report
        .run("httpSuccess_options200", async {
            // The server has no OPTIONS scenario here: its framework answers 200 with the
            // allowed methods as text, not the `true` the spec describes.
            error(success.options200(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("httpSuccess_put200", async {
            ok(success.put200(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_patch200", async {
            ok(success.patch200(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_post200", async {
            ok(success.post200(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_delete200", async {
            ok(success.delete200(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_put201", async {
            ok(success.put201(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_post201", async {
            ok(success.post201(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_put202", async {
            ok(success.put202(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_patch202", async {
            ok(success.patch202(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_post202", async {
            ok(success.post202(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_delete202", async {
            ok(success.delete202(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_head204", async {
            ok(success.head204(None).await)
        })
        .await;
    report
        .run("httpSuccess_put204", async {
            ok(success.put204(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_patch204", async {
            ok(success.patch204(t, None).await)
        })
        .await;
    report
        .run("HttpSuccess_post204", async {
            ok(success.post204(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_delete204", async {
            ok(success.delete204(t, None).await)
        })
        .await;
    report
        .run("httpSuccess_head404", async {
            equal(ok(success.head404(None).await)?, false)
        })
        .await;

    // Redirects: the declared 3xx is the answer (not followed; see the module's doc).
    let redirects = client.http_redirects();
    report
        .run("httpRedirects_head300", async {
            ok(redirects.head300(None).await)
        })
        .await;
    report
        .run("httpRedirects_get300", async {
            ok(redirects.get300(None).await)
        })
        .await;
    report
        .run("httpRedirects_head301", async {
            ok(redirects.head301(None).await)
        })
        .await;
    report
        .run("httpRedirects_get301", async {
            ok(redirects.get301(None).await)
        })
        .await;
    report
        .run("httpRedirects_put301", async {
            ok(redirects.put301(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_head302", async {
            ok(redirects.head302(None).await)
        })
        .await;
    report
        .run("httpRedirects_get302", async {
            ok(redirects.get302(None).await)
        })
        .await;
    report
        .run("httpRedirects_patch302", async {
            ok(redirects.patch302(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_post303", async {
            ok(redirects.post303(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_head307", async {
            ok(redirects.head307(None).await)
        })
        .await;
    report
        .run("httpRedirects_get307", async {
            ok(redirects.get307(None).await)
        })
        .await;
    report
        .run("httpRedirects_options307", async {
            ok(redirects.options307(None).await)
        })
        .await;
    report
        .run("HttpRedirects_put307", async {
            ok(redirects.put307(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_patch307", async {
            ok(redirects.patch307(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_post307", async {
            ok(redirects.post307(t, None).await)
        })
        .await;
    report
        .run("httpRedirects_delete307", async {
            ok(redirects.delete307(t, None).await)
        })
        .await;

    // Client failures: each status as it came.
    let client_failure = client.http_client_failure();
    let c = &client_failure;
    for (operation, scenario) in [
        (
            "httpClientFailure_head400",
            Box::pin(async { http(c.head400(None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_get400",
            Box::pin(async { http(c.get400(None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_options400",
            Box::pin(async { http(c.options400(None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_put400",
            Box::pin(async { http(c.put400(t, None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_patch400",
            Box::pin(async { http(c.patch400(t, None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_post400",
            Box::pin(async { http(c.post400(t, None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_delete400",
            Box::pin(async { http(c.delete400(t, None).await, 400) }) as _,
        ),
        (
            "httpClientFailure_head401",
            Box::pin(async { http(c.head401(None).await, 401) }) as _,
        ),
        (
            "httpClientFailure_get402",
            Box::pin(async { http(c.get402(None).await, 402) }) as _,
        ),
        (
            "httpClientFailure_options403",
            Box::pin(async { http(c.options403(None).await, 403) }) as _,
        ),
        (
            "httpClientFailure_get403",
            Box::pin(async { http(c.get403(None).await, 403) }) as _,
        ),
        (
            "httpClientFailure_put404",
            Box::pin(async { http(c.put404(t, None).await, 404) }) as _,
        ),
        (
            "httpClientFailure_patch405",
            Box::pin(async { http(c.patch405(t, None).await, 405) }) as _,
        ),
        (
            "httpClientFailure_post406",
            Box::pin(async { http(c.post406(t, None).await, 406) }) as _,
        ),
        (
            "httpClientFailure_delete407",
            Box::pin(async { http(c.delete407(t, None).await, 407) }) as _,
        ),
        (
            "httpClientFailure_put409",
            Box::pin(async { http(c.put409(t, None).await, 409) }) as _,
        ),
        (
            "httpClientFailure_head410",
            Box::pin(async { http(c.head410(None).await, 410) }) as _,
        ),
        (
            "httpClientFailure_get411",
            Box::pin(async { http(c.get411(None).await, 411) }) as _,
        ),
        (
            "httpClientFailure_options412",
            Box::pin(async { http(c.options412(None).await, 412) }) as _,
        ),
        (
            "httpClientFailure_get412",
            Box::pin(async { http(c.get412(None).await, 412) }) as _,
        ),
        (
            "httpClientFailure_put413",
            Box::pin(async { http(c.put413(t, None).await, 413) }) as _,
        ),
        (
            "httpClientFailure_patch414",
            Box::pin(async { http(c.patch414(t, None).await, 414) }) as _,
        ),
        (
            "httpClientFailure_post415",
            Box::pin(async { http(c.post415(t, None).await, 415) }) as _,
        ),
        (
            "httpClientFailure_get416",
            Box::pin(async { http(c.get416(None).await, 416) }) as _,
        ),
        (
            "httpClientFailure_delete417",
            Box::pin(async { http(c.delete417(t, None).await, 417) }) as _,
        ),
        // Retried, as 429 always is, then failed with it.
        (
            "httpClientFailure_head429",
            Box::pin(async { http(c.head429(None).await, 429) }) as _,
        ),
    ]
        as [(
            &str,
            std::pin::Pin<Box<dyn std::future::Future<Output = Outcome>>>,
        ); 26]
    {
        report.run(operation, scenario).await;
    }

    // Server failures that are not retried.
    let s = client.http_server_failure();
    report
        .run("httpServerFailure_head501", async {
            http(s.head501(None).await, 501)
        })
        .await;
    report
        .run("httpServerFailure_get501", async {
            http(s.get501(None).await, 501)
        })
        .await;
    report
        .run("httpServerFailure_post505", async {
            http(s.post505(t, None).await, 505)
        })
        .await;
    report
        .run("httpServerFailure_delete505", async {
            http(s.delete505(t, None).await, 505)
        })
        .await;

    // Retries: the first answer is the failure, the second (after a retry) 200.
    let r = client.http_retry();
    report
        .run("httpRetry_head408", async { ok(r.head408(None).await) })
        .await;
    report
        .run("httpRetry_put500", async { ok(r.put500(t, None).await) })
        .await;
    report
        .run("httpRetry_patch500", async {
            ok(r.patch500(t, None).await)
        })
        .await;
    report
        .run("httpRetry_get502", async { ok(r.get502(None).await) })
        .await;
    report
        .run("httpRetry_options502", async {
            // The retried 200 comes without the body the spec gives it.
            error(r.options502(None).await, Expected::Decode(200))
        })
        .await;
    report
        .run("httpRetry_post503", async { ok(r.post503(t, None).await) })
        .await;
    report
        .run("httpRetry_delete503", async {
            ok(r.delete503(t, None).await)
        })
        .await;
    report
        .run("httpRetry_put504", async { ok(r.put504(t, None).await) })
        .await;
    report
        .run("httpRetry_patch504", async {
            ok(r.patch504(t, None).await)
        })
        .await;

    // Status and body against the spec's models.
    let m = client.multiple_responses();
    report
        .run(
            "multipleResponses_get200Model204NoModelDefaultError200Valid",
            async {
                equal(
                    ok(m.get200_model204_no_model_default_error200_valid(None)
                        .await)?,
                    Some(a("200")),
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model204NoModelDefaultError204Valid",
            async {
                equal(
                    ok(m.get200_model204_no_model_default_error204_valid(None)
                        .await)?,
                    None,
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model204NoModelDefaultError201Invalid",
            async {
                http(
                    m.get200_model204_no_model_default_error201_invalid(None)
                        .await,
                    201,
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model204NoModelDefaultError202None",
            async {
                http(
                    m.get200_model204_no_model_default_error202_none(None).await,
                    202,
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model204NoModelDefaultError400Valid",
            async {
                http_message(
                    m.get200_model204_no_model_default_error400_valid(None)
                        .await,
                    400,
                    "client error",
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model201ModelDefaultError200Valid",
            async {
                equal(
                    ok(m.get200_model201_model_default_error200_valid(None).await)?,
                    a("200"),
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model201ModelDefaultError201Valid",
            async {
                // Model B extends A: its own `textStatusCode` is kept as an unlisted property.
                let b = ok(m.get200_model201_model_default_error201_valid(None).await)?;
                equal(b.status_code.as_deref(), Some("201"))?;
                equal(
                    b.additional_properties.get("textStatusCode"),
                    Some(&serde_json::json!("Created")),
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200Model201ModelDefaultError400Valid",
            async {
                http_message(
                    m.get200_model201_model_default_error400_valid(None).await,
                    400,
                    "client error",
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200ModelA201ModelC404ModelDDefaultError200Valid",
            async {
                equal(
                    ok(
                        m.get200_model_a201_model_c404_model_d_default_error200_valid(None)
                            .await,
                    )?,
                    a("200"),
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200ModelA201ModelC404ModelDDefaultError201Valid",
            async {
                let c = ok(m
                    .get200_model_a201_model_c404_model_d_default_error201_valid(None)
                    .await)?;
                equal(c.status_code.as_deref(), Some("201"))
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200ModelA201ModelC404ModelDDefaultError404Valid",
            async {
                let d = ok(m
                    .get200_model_a201_model_c404_model_d_default_error404_valid(None)
                    .await)?;
                equal(d.status_code.as_deref(), Some("404"))
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get200ModelA201ModelC404ModelDDefaultError400Valid",
            async {
                http_message(
                    m.get200_model_a201_model_c404_model_d_default_error400_valid(None)
                        .await,
                    400,
                    "client error",
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultError202None",
            async { ok(m.get202_none204_none_default_error202_none(None).await) },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultError204None",
            async { ok(m.get202_none204_none_default_error204_none(None).await) },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultError400Valid",
            async {
                http_message(
                    m.get202_none204_none_default_error400_valid(None).await,
                    400,
                    "client error",
                )
            },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultNone202Invalid",
            async { ok(m.get202_none204_none_default_none202_invalid(None).await) },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultNone204None",
            async { ok(m.get202_none204_none_default_none204_none(None).await) },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultNone400None",
            async { http(m.get202_none204_none_default_none400_none(None).await, 400) },
        )
        .await;
    report
        .run(
            "multipleResponses_get202None204NoneDefaultNone400Invalid",
            async {
                http(
                    m.get202_none204_none_default_none400_invalid(None).await,
                    400,
                )
            },
        )
        .await;
    report
        .run("multipleResponses_getDefaultModelA200Valid", async {
            equal(ok(m.get_default_model_a200_valid(None).await)?, a("200"))
        })
        .await;
    report
        .run("multipleResponses_getDefaultModelA200None", async {
            ok(m.get_default_model_a200_none(None).await).map(drop)
        })
        .await;
    report
        .run("multipleResponses_getDefaultModelA400Valid", async {
            http(m.get_default_model_a400_valid(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_getDefaultModelA400None", async {
            http(m.get_default_model_a400_none(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_getDefaultNone200Invalid", async {
            ok(m.get_default_none200_invalid(None).await)
        })
        .await;
    report
        .run("multipleResponses_getDefaultNone200None", async {
            ok(m.get_default_none200_none(None).await)
        })
        .await;
    report
        .run("multipleResponses_getDefaultNone400Invalid", async {
            http(m.get_default_none400_invalid(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_getDefaultNone400None", async {
            http(m.get_default_none400_none(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_get200ModelA200None", async {
            ok(m.get200_model_a200_none(None).await).map(drop)
        })
        .await;
    report
        .run("multipleResponses_get200ModelA200Valid", async {
            equal(ok(m.get200_model_a200_valid(None).await)?, a("200"))
        })
        .await;
    report
        .run("multipleResponses_get200ModelA200Invalid", async {
            // An unknown property is kept, the known one is absent.
            let a = ok(m.get200_model_a200_invalid(None).await)?.into_model();
            equal(
                (
                    a.status_code,
                    a.additional_properties.get("statusCodeInvalid").cloned(),
                ),
                (None, Some(serde_json::json!("200"))),
            )
        })
        .await;
    report
        .run("multipleResponses_get200ModelA400None", async {
            http(m.get200_model_a400_none(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_get200ModelA400Valid", async {
            http(m.get200_model_a400_valid(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_get200ModelA400Invalid", async {
            http(m.get200_model_a400_invalid(None).await, 400)
        })
        .await;
    report
        .run("multipleResponses_get200ModelA202Valid", async {
            http(m.get200_model_a202_valid(None).await, 202)
        })
        .await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "httpInfrastructure.json",
            &["vanilla"],
            &[
                "HttpSuccess",
                "HttpRedirect",
                "HttpClientFailure",
                "HttpServerFailure",
                "HttpRetry",
                "ResponsesScenario",
            ],
            &[],
        )
        .await;
}
