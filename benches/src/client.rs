//! Client overhead per request against the local ARM endpoint over https: the generated client,
//! the floor (raw `reqwest` + `serde_json::Value`, the same HTTP calls with no SDK logic) and
//! the bytes-only floor (the same HTTP calls, every body read but none decoded: what any client
//! must pay), each on a current-thread Tokio runtime, reporting this process's CPU time over the
//! timed loop.
//!
//! The scenarios, the same for the Python and JS scripts under `peers/`:
//! - `get`: GET of a database account (1 request);
//! - `list`: the subscription's 1000 accounts, 10 pages of 100 following `nextLink`
//!   (10 requests);
//! - `lro`: create a SQL database, a long-running operation that polls `Azure-AsyncOperation`
//!   3 times and then GETs the database at its own URL, as ARM clients do (the `Location` answers
//!   204 without it) (5 requests).

use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail, ensure};
use azrm_cosmosdb::models::{SqlDatabaseCreateUpdateParameters, SqlDatabaseResource};
use azrm_cosmosdb::{Client, StaticTokenCredential};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use serde::Serialize;
use serde_json::{Value, json};

use crate::measure::process_cpu_time;
use crate::names::{ACCOUNT, API_VERSION, DATABASE, RESOURCE_GROUP, SUBSCRIPTION};

/// The token every benchmark client sends (the endpoint accepts any non-empty one).
const TOKEN: &str = "bench-token";

/// Which client runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Implementation {
    /// The generated client, `azrm_cosmosdb::Client`.
    Ours,
    /// Raw `reqwest` + `serde_json::Value`.
    Floor,
    /// Raw `reqwest`, bodies read but not decoded: only the fields that drive the next request
    /// (`nextLink`, an operation's `status`) are found by a byte search.
    Bytes,
}

/// What each operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scenario {
    /// GET of a database account.
    Get,
    /// The 1000-account paged list.
    List,
    /// A long-running create with 3 polls.
    Lro,
}

impl Implementation {
    /// Parses `ours` or `floor`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "ours" => Ok(Self::Ours),
            "floor" => Ok(Self::Floor),
            "bytes" => Ok(Self::Bytes),
            other => bail!("unknown client {other:?} (ours, floor, bytes)"),
        }
    }

    /// The name in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Floor => "floor",
            Self::Bytes => "bytes",
        }
    }
}

impl Scenario {
    /// Parses `get`, `list` or `lro`.
    pub fn parse(text: &str) -> Result<Self> {
        match text {
            "get" => Ok(Self::Get),
            "list" => Ok(Self::List),
            "lro" => Ok(Self::Lro),
            other => bail!("unknown scenario {other:?} (get, list, lro)"),
        }
    }

    /// The name in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Get => "get",
            Self::List => "list",
            Self::Lro => "lro",
        }
    }
}

/// The outcome of one timed loop (the same fields the peer scripts print).
#[derive(Debug, Clone, Serialize)]
pub struct ClientRun {
    /// `ours`, `floor` or `bytes`.
    pub client: &'static str,
    /// `get`, `list` or `lro`.
    pub scenario: &'static str,
    /// Operations timed.
    pub operations: usize,
    /// Items the operations returned (accounts for `list`, one per operation otherwise).
    pub items: usize,
    /// Wall time of the timed loop.
    pub wall_s: f64,
    /// CPU time of this process (all threads) during the timed loop.
    pub cpu_s: f64,
}

/// Runs `warmup` untimed and then `iterations` timed operations of `scenario` against the
/// endpoint at `url` whose CA certificate is `ca_pem`.
pub fn run(
    implementation: Implementation,
    scenario: Scenario,
    url: &str,
    ca_pem: &str,
    iterations: usize,
    warmup: usize,
) -> Result<ClientRun> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let target = Target::new(implementation, url, ca_pem)?;
        for _ in 0..warmup {
            target.once(scenario).await?;
        }
        let mut items = 0;
        let cpu = process_cpu_time();
        let wall = Instant::now();
        for _ in 0..iterations {
            items += target.once(scenario).await?;
        }
        let wall = wall.elapsed();
        let cpu = process_cpu_time().saturating_sub(cpu);
        Ok(ClientRun {
            client: implementation.name(),
            scenario: scenario.name(),
            operations: iterations,
            items,
            wall_s: wall.as_secs_f64(),
            cpu_s: cpu.as_secs_f64(),
        })
    })
}

/// A client under test.
enum Target {
    Ours(Client, Box<SqlDatabaseCreateUpdateParameters>),
    Floor(Floor),
}

impl Target {
    fn new(implementation: Implementation, url: &str, ca_pem: &str) -> Result<Self> {
        Ok(match implementation {
            Implementation::Ours => {
                let client = Client::builder(SUBSCRIPTION)
                    .endpoint(url)
                    .trust_certificate_pem(ca_pem)
                    .credential(StaticTokenCredential::new(TOKEN))
                    .poll_interval(Duration::ZERO)
                    .build()?;
                let parameters =
                    SqlDatabaseCreateUpdateParameters::new(SqlDatabaseResource::new(DATABASE));
                Self::Ours(client, Box::new(parameters))
            }
            Implementation::Floor => Self::Floor(Floor::new(url, ca_pem, Reading::Decode)?),
            Implementation::Bytes => Self::Floor(Floor::new(url, ca_pem, Reading::BytesOnly)?),
        })
    }

    /// One operation; returns the items it got.
    async fn once(&self, scenario: Scenario) -> Result<usize> {
        match self {
            Self::Ours(client, parameters) => ours(client, parameters, scenario).await,
            Self::Floor(floor) => floor.once(scenario).await,
        }
    }
}

async fn ours(
    client: &Client,
    parameters: &SqlDatabaseCreateUpdateParameters,
    scenario: Scenario,
) -> Result<usize> {
    match scenario {
        Scenario::Get => {
            let account = client
                .database_accounts()
                .get(RESOURCE_GROUP, ACCOUNT, None)
                .await?;
            ensure!(
                account.name.as_deref() == Some(ACCOUNT),
                "unexpected account"
            );
            Ok(1)
        }
        Scenario::List => Ok(client
            .database_accounts()
            .list(None)
            .into_vec()
            .await?
            .len()),
        Scenario::Lro => {
            let database = client
                .sql_resources()
                .begin_create_update_sql_database(
                    RESOURCE_GROUP,
                    ACCOUNT,
                    DATABASE,
                    parameters,
                    None,
                )
                .await?
                .await?;
            ensure!(
                database.name.as_deref() == Some(DATABASE),
                "unexpected result"
            );
            Ok(1)
        }
    }
}

/// An HTTP client for the endpoint at `url` trusting `ca_pem`, as the runtime builds its own:
/// rustls on ring, no redirects.
pub fn http_client(ca_pem: &str) -> Result<reqwest::Client> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certificates = reqwest::Certificate::from_pem_bundle(ca_pem.as_bytes())?;
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .tls_certs_merge(certificates)
        .build()?)
}

/// How a floor reads a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Into `serde_json::Value`.
    Decode,
    /// Not at all: the bytes are received, and the one field that drives the next request is
    /// found by a byte search.
    BytesOnly,
}

/// A floor: the same HTTP calls as the generated client, with no SDK logic.
struct Floor {
    http: reqwest::Client,
    base: String,
    authorization: HeaderValue,
    reading: Reading,
}

/// What a floor read from a response body.
enum Body {
    Json(Value),
    Bytes(bytes::Bytes),
}

impl Body {
    /// The string property `name` of the top-level object (for [`Body::Bytes`], the last
    /// `"name":"..."` in the body, which is where the endpoint writes `nextLink` and `status`).
    fn string(&self, name: &str) -> Option<String> {
        match self {
            Self::Json(value) => value[name].as_str().map(str::to_owned),
            Self::Bytes(bytes) => {
                let key = format!("\"{name}\":\"");
                let start = memchr::memmem::rfind(bytes, key.as_bytes())? + key.len();
                let end = start + bytes[start..].iter().position(|&b| b == b'"')?;
                std::str::from_utf8(&bytes[start..end])
                    .ok()
                    .map(str::to_owned)
            }
        }
    }

    /// Items of a list page: the `value` array's length, or for [`Body::Bytes`] the count of
    /// the resource type's `"type"` property, one per account.
    fn items(&self) -> usize {
        match self {
            Self::Json(value) => value["value"].as_array().map_or(0, Vec::len),
            Self::Bytes(bytes) => {
                let key = b"\"type\":\"Microsoft.DocumentDB/databaseAccounts\"";
                memchr::memmem::find_iter(bytes, key).count()
            }
        }
    }
}

impl Floor {
    fn new(url: &str, ca_pem: &str, reading: Reading) -> Result<Self> {
        Ok(Self {
            http: http_client(ca_pem)?,
            base: url.trim_end_matches('/').to_owned(),
            authorization: HeaderValue::from_str(&format!("Bearer {TOKEN}"))?,
            reading,
        })
    }

    /// Reads a response's body as this floor does.
    async fn read(&self, response: reqwest::Response) -> Result<Body> {
        let bytes = response.bytes().await?;
        Ok(match self.reading {
            Reading::Decode => Body::Json(serde_json::from_slice(&bytes)?),
            Reading::BytesOnly => {
                ensure!(!bytes.is_empty(), "empty body");
                Body::Bytes(bytes)
            }
        })
    }

    async fn once(&self, scenario: Scenario) -> Result<usize> {
        let accounts = format!(
            "{}/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/\
             Microsoft.DocumentDB/databaseAccounts",
            self.base
        );
        match scenario {
            Scenario::Get => {
                let url = format!("{accounts}/{ACCOUNT}?api-version={API_VERSION}");
                let account = self.get(&url).await?;
                if let Body::Json(account) = &account {
                    ensure!(account["name"] == ACCOUNT, "unexpected account");
                }
                Ok(1)
            }
            Scenario::List => {
                let mut url = format!(
                    "{}/subscriptions/{SUBSCRIPTION}/providers/Microsoft.DocumentDB/\
                     databaseAccounts?api-version={API_VERSION}",
                    self.base
                );
                let mut items = 0;
                loop {
                    let page = self.get(&url).await?;
                    items += page.items();
                    match page.string("nextLink") {
                        Some(next) if !next.is_empty() => url = next,
                        _ => return Ok(items),
                    }
                }
            }
            Scenario::Lro => {
                let url = format!(
                    "{accounts}/{ACCOUNT}/sqlDatabases/{DATABASE}?api-version={API_VERSION}"
                );
                let body =
                    serde_json::to_vec(&json!({"properties": {"resource": {"id": DATABASE}}}))?;
                let response = self
                    .http
                    .put(&url)
                    .header(AUTHORIZATION, self.authorization.clone())
                    .header(CONTENT_TYPE, "application/json")
                    .body(body)
                    .send()
                    .await?;
                ensure!(
                    matches!(response.status().as_u16(), 200..=202),
                    "PUT answered {}",
                    response.status()
                );
                let header = |name: &str| {
                    response
                        .headers()
                        .get(name)
                        .and_then(|value| value.to_str().ok())
                        .map(str::to_owned)
                        .with_context(|| format!("no {name} header"))
                };
                let status_url = header("azure-asyncoperation")?;
                let _initial = self.read(response).await?;
                loop {
                    let status = self.get(&status_url).await?;
                    match status.string("status").as_deref() {
                        Some("Succeeded") => break,
                        Some("InProgress" | "Accepted" | "Running") => {}
                        other => bail!("operation status {other:?}"),
                    }
                }
                // As ARM clients read a created resource: at its own URL (the `Location`
                // answers 204 without it).
                let database = self.get(&url).await?;
                if let Body::Json(database) = &database {
                    ensure!(database["name"] == DATABASE, "unexpected result");
                }
                Ok(1)
            }
        }
    }

    /// GETs `url` and reads the 200 response's body.
    async fn get(&self, url: &str) -> Result<Body> {
        let response = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await?;
        ensure!(
            response.status().as_u16() == 200,
            "GET {url} answered {}",
            response.status()
        );
        self.read(response).await
    }
}
