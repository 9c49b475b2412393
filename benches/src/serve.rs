//! The local ARM endpoint the client benchmarks run against, in its own process so that the
//! clients' CPU time is theirs alone: pages of 100, long-running operations that answer
//! `InProgress` twice before `Succeeded`, no `Retry-After` wait, and 1000 database accounts
//! built from the spec's `CosmosDBDatabaseAccountGet.json` example.
//!
//! Prints one JSON line when ready (`https_url`, `ca_file`, `accounts`), then answers each line
//! `requests` on standard input with `{"requests": N}`, the number of requests served so far,
//! and stops at the end of standard input.

use std::io::{BufRead as _, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result, ensure};
use azrm_cosmosdb::fake::Endpoint;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Value, json};

use crate::names::{
    ACCOUNTS, API_VERSION, PAGE_SIZE, POLLS_IN_PROGRESS, RESOURCE_GROUP, SUBSCRIPTION,
};

/// The example whose response body every stored account is.
const ACCOUNT_EXAMPLE: &str = "CosmosDBDatabaseAccountGet.json";

/// Starts the endpoint, writes its CA certificate to `ca_file`, stores the accounts and serves
/// until standard input ends.
pub fn run(ca_file: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let local = Endpoint::builder()
            .page_size(PAGE_SIZE)
            .polls_until_done(POLLS_IN_PROGRESS)
            .start()
            .await?;
        let endpoint = Endpoint::from(local);
        let url = endpoint.local().https_url();
        let ca_pem = endpoint.local().ca_certificate_pem().to_owned();
        std::fs::write(ca_file, &ca_pem)
            .with_context(|| format!("writing {}", ca_file.display()))?;
        seed(&url, &ca_pem).await?;
        let ready = json!({"https_url": url, "ca_file": ca_file, "accounts": ACCOUNTS});
        println!("{ready}");
        std::io::stdout().flush()?;
        loop {
            let line = tokio::task::spawn_blocking(|| {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .map(|read| (read, line))
            })
            .await??;
            match line {
                (0, _) => return Ok(()),
                (_, line) if line.trim().is_empty() => {}
                (_, line) if line.trim() == "requests" => {
                    let served = endpoint.local().requests().len();
                    println!("{}", json!({"requests": served}));
                    std::io::stdout().flush()?;
                }
                (_, line) => eprintln!("arm-bench serve: unknown command {:?}", line.trim()),
            }
        }
    })
}

/// PUTs `ACCOUNTS` accounts, each the example's response body under its own name.
async fn seed(url: &str, ca_pem: &str) -> Result<()> {
    let path = crate::data::examples_dir()?.join(ACCOUNT_EXAMPLE);
    let example: Value = serde_json::from_slice(
        &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
    )?;
    let mut body = example
        .pointer("/responses/200/body")
        .cloned()
        .with_context(|| format!("{} has no 200 response body", path.display()))?;
    if let Some(object) = body.as_object_mut() {
        // The endpoint sets these from the path.
        object.remove("id");
        object.remove("name");
    }
    let body = serde_json::to_vec(&body)?;
    let http = crate::client::http_client(ca_pem)?;
    for index in 0..ACCOUNTS {
        let account = format!("bench-account-{index:04}");
        let response = http
            .put(format!(
                "{url}/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/\
                 Microsoft.DocumentDB/databaseAccounts/{account}?api-version={API_VERSION}"
            ))
            .header(AUTHORIZATION, "Bearer bench-seed")
            .header(CONTENT_TYPE, "application/json")
            .body(body.clone())
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        ensure!(
            status.is_success(),
            "storing {account} answered {status}: {text}"
        );
    }
    Ok(())
}
