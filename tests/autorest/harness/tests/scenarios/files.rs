//! The suite `body-file.json`: responses of `type: file`, handed out as a `BodyStream` and read
//! as they arrive. `nonempty` is the PNG the test server ships (compared byte for byte with the
//! package's copy), `empty` no bytes at all, and `verylarge` 3000 MiB, read chunk by chunk and
//! counted, never held whole (about 2 s in a debug build).

use std::time::Instant;

use autorest_tests::{Report, TestServer, equal, ok, workspace_root};
use futures::StreamExt as _;

/// The size of the `verylarge` file: 3000 MiB (`legacy/routes/files.js`).
const VERY_LARGE: u64 = 3000 * 1024 * 1024;

/// The PNG the test server sends for `nonempty`, from the installed package.
fn sample_png() -> Vec<u8> {
    let server = std::env::var_os("AUTOREST_TESTSERVER_DIR").map_or_else(
        || workspace_root().join("target/autorest-testserver"),
        Into::into,
    );
    let path =
        server.join("node_modules/@microsoft.azure/autorest.testserver/legacy/routes/sample.png");
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[tokio::test]
async fn body_file_scenarios() {
    use autorest_body_file::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let files = client.files();
    let mut report = Report::new("body-file.json");
    report
        .run("files_GetFile", async {
            let response = ok(files.get_file(None).await)?;
            equal(
                response.header("content-type").map(str::to_owned),
                Some("image/png".to_owned()),
            )?;
            let png = ok(response.into_model().collect().await)?;
            equal(png.to_vec(), sample_png())
        })
        .await;
    report
        .run("files_GetEmptyFile", async {
            let file = ok(files.get_empty_file(None).await)?;
            equal(ok(file.into_model().collect().await)?.len(), 0)
        })
        .await;
    report
        .run("files_GetFileLarge", async {
            let started = Instant::now();
            let mut body = ok(files.get_file_large(None).await)?.into_model();
            let (mut total, mut largest) = (0u64, 0usize);
            while let Some(chunk) = body.next().await {
                let chunk = ok(chunk)?;
                total += chunk.len() as u64;
                largest = largest.max(chunk.len());
            }
            println!(
                "autorest test server, body-file.json: verylarge, {total} bytes in {:.1} s, \
                 largest chunk {largest} bytes",
                started.elapsed().as_secs_f64()
            );
            equal(total, VERY_LARGE)?;
            // Read as it came: no chunk is more than a sliver of the file.
            equal(largest < 1 << 24, true)
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage("body-file.json", &["vanilla"], &["FileStream"], &[])
        .await;
}
