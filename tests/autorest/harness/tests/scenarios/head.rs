//! `head.json`: `HEAD` operations that tell whether a resource exists (`200`/`204`: yes, `404`:
//! no), one scenario per operation.

use autorest_head::Client;
use autorest_tests::{Report, TestServer, equal, ok};

#[tokio::test]
async fn head_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = || {
        server
            .configure(Client::builder("unused"))
            .build()
            .expect("client")
    };
    let mut report = Report::new("head.json");
    report
        .run("httpSuccess_head200", async {
            equal(
                ok(client().http_success().head200(None).await)?.into_model(),
                true,
            )
        })
        .await;
    report
        .run("httpSuccess_head204", async {
            equal(
                ok(client().http_success().head204(None).await)?.into_model(),
                true,
            )
        })
        .await;
    report
        .run("httpSuccess_head404", async {
            equal(
                ok(client().http_success().head404(None).await)?.into_model(),
                false,
            )
        })
        .await;

    report.finish(&[]);
    let head = [
        "HttpSuccess200Head",
        "HttpSuccess204Head",
        "HttpSuccess404Head",
    ];
    server
        .assert_coverage("head.json", &["vanilla"], &head, &[])
        .await;
}
