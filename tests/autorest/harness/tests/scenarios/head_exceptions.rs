//! `head-exceptions.json`: `HEAD` operations that declare only success statuses, so a `404` is
//! an error (`ErrorKind::Http(404)`), unlike `head.json` where it means "does not exist".

use autorest_head_exceptions::Client;
use autorest_tests::{Expected, Report, TestServer, error, ok};

#[tokio::test]
async fn head_exceptions_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let head = client.head_exception();
    let mut report = Report::new("head-exceptions.json");
    report
        .run("headException_head200", async {
            ok(head.head200(None).await)
        })
        .await;
    report
        .run("headException_head204", async {
            ok(head.head204(None).await)
        })
        .await;
    report
        .run("headException_head404", async {
            error(head.head404(None).await, Expected::Http(404))
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "head-exceptions.json",
            &["vanilla"],
            &[
                "HttpSuccess200Head",
                "HttpSuccess204Head",
                "HttpSuccess404Head",
            ],
            &[],
        )
        .await;
}
