//! `error-with-secrets.json`: an error response carrying secrets (a shared key in the body's
//! `details`, `token`, `primaryKey` and `connectionString`) decodes to an error with the ARM code
//! and message, and the key appears neither in the error's `Display` nor in its `Debug`.

use autorest_error_with_secrets::Client;
use autorest_tests::{Expected, Report, TestServer, equal, error, ok};

/// Why `CreateSecret` fails: it authenticates with an `apiKey` scheme (`Authorization:
/// SharedKey ...`) and the server expects a query parameter `key` and a body that the spec does
/// not declare; the runtime sends only bearer tokens.
const KNOWN_FAILURES: &[(&str, &str)] = &[(
    "CreateSecret",
    "apiKey (SharedKey) security and the undeclared `key` query and body are not generated",
)];

/// The shared key the server puts in its error body.
const SECRET: &str = "1c88a67921784300a462b2cb61da2339";

#[tokio::test]
async fn error_with_secrets_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let mut report = Report::new("error-with-secrets.json");

    report
        .run("GetErrorWithSecrets", async {
            let result = client.operations().get_error_with_secrets(None).await;
            let failure = result.as_ref().err().cloned();
            error(result, Expected::Http(403))?;
            let failure = failure.ok_or("no error")?;
            equal(failure.error_code(), Some("Unauthorized"))?;
            equal(
                failure.request_id(),
                Some("5e123516-834e-4222-9e80-353108d33357"),
            )?;
            let (display, debug) = (failure.to_string(), format!("{failure:?}"));
            for (what, text) in [("Display", &display), ("Debug", &debug)] {
                if text.contains(SECRET) {
                    return Err(format!("the secret leaked into the error's {what}: {text}"));
                }
            }
            equal(
                display.contains("The user 'user@contoso.com' is unauthorized."),
                true,
            )
        })
        .await;
    report
        .run("CreateSecret", async {
            let secret = ok(client.operations().create_secret(None).await)?;
            equal(secret.key.as_str(), SECRET)
        })
        .await;

    report.finish(KNOWN_FAILURES);
    server
        .assert_coverage(
            "error-with-secrets.json",
            &["vanilla"],
            &["ErrorWithSecrets"],
            &[],
        )
        .await;
}
