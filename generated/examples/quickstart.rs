//! Quickstart: drive the Cosmos DB resource provider as a user would.
//!
//! ```sh
//! cargo run -p azrm-cosmosdb --features fake --example quickstart
//! ```
//!
//! Without arguments it starts the local ARM endpoint (`azrm_cosmosdb::fake`) on loopback over
//! https and runs against it: no Azure subscription needed. Against real Azure, give the
//! endpoint, a subscription and a bearer token for `https://management.azure.com/.default`
//! (any `azure_identity` credential works the same way through `.credential(..)`):
//!
//! ```sh
//! AZURE_SUBSCRIPTION_ID=... AZURE_ACCESS_TOKEN="$(az account get-access-token --query accessToken -o tsv)" \
//!   cargo run -p azrm-cosmosdb --features fake --example quickstart -- --endpoint https://management.azure.com
//! ```
//!
//! `--traffic-dir DIR` (local endpoint only) records every exchange with the local endpoint and
//! writes them into `DIR` at the end as traffic files of oav's `validate-traffic` command
//! (`cargo xtask oav` checks them against the spec).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use azrm_cosmosdb::fake::Endpoint;
use azrm_cosmosdb::ids::DatabaseAccountId;
use azrm_cosmosdb::models::{
    ContainerPartitionKey, CreateUpdateOptions, DatabaseAccountCreateUpdateParameters, Location,
    PrivateEndpointConnection, PrivateLinkServiceConnectionStateProperty,
    SqlContainerCreateUpdateParameters, SqlContainerResource, SqlDatabaseCreateUpdateParameters,
    SqlDatabaseResource, ThroughputSettingsGetResults, ThroughputSettingsResource,
    ThroughputSettingsUpdateParameters,
};
use azrm_cosmosdb::operations::DatabaseAccountsGetOptions;
use azrm_cosmosdb::prelude::*;
use azrm_cosmosdb::{ProviderRegistration, StaticTokenCredential};
use azrm_local_endpoint::traffic::TrafficRecorder;

const RESOURCE_GROUP: &str = "quickstart-rg";
const ACCOUNT: &str = "quickstart-account";
const DATABASE: &str = "orders";
const CONTAINER: &str = "line-items";
const REGION: &str = "westus2";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let args = Arguments::parse(std::env::args().skip(1))?;
    let recorder = args.traffic_dir.as_ref().map(|_| TrafficRecorder::new());
    // Kept alive for the whole run: dropping it stops the local endpoint.
    let (client, _local) = match args.endpoint {
        Some(endpoint) => (real_azure_client(&endpoint)?, None),
        None => {
            // As for a new subscription: the first request to Cosmos DB finds the provider
            // unregistered, and the client registers it before sending the request again.
            let mut builder = Endpoint::builder()
                .polls_until_done(2)
                .unregistered_providers();
            if let Some(recorder) = &recorder {
                builder = builder.record_traffic(recorder.clone());
            }
            let local = builder.start().await?;
            let local = Endpoint::from(local);
            println!(
                "local ARM endpoint: {} (and {})",
                local.local().https_url(),
                local.local().http_url()
            );
            let client = local
                .client_builder("00000000-0000-0000-0000-000000000000")
                .provider_registration(
                    ProviderRegistration::new().polling_delay(Duration::from_millis(100)),
                )
                .build()?;
            (client, Some(local))
        }
    };
    run(&client).await?;
    if let (Some(recorder), Some(dir)) = (&recorder, &args.traffic_dir) {
        let written = recorder.write_oav(dir)?;
        println!("wrote {} traffic files to {}", written.len(), dir.display());
    }
    println!("done in {:.2?}", started.elapsed());
    Ok(())
}

async fn run(client: &Client) -> Result<(), Error> {
    let accounts = client.database_accounts();
    let sql = client.sql_resources();

    println!("creating database account {ACCOUNT} (long-running)");
    let parameters = DatabaseAccountCreateUpdateParameters::new([Location::default()
        .with_location_name(REGION)
        .with_failover_priority(0)])
    .with_location(REGION);
    let account = accounts
        .begin_create_or_update(RESOURCE_GROUP, ACCOUNT, &parameters, None)
        .await?
        .await?;
    println!("  created {}", account.id.as_deref().unwrap_or_default());

    // Every call takes its options last: `None`, or the operation's options with per-call
    // headers, timeout, client request id or retries. A call returns a `Response`: the model
    // (through `Deref`) with the response's status and headers.
    let options = DatabaseAccountsGetOptions::default()
        .with_client_request_id("quickstart-read-account")
        .with_timeout(Duration::from_secs(10));
    let account = accounts.get(RESOURCE_GROUP, ACCOUNT, Some(options)).await?;
    println!(
        "  read it back: HTTP {}, provisioning state {}, request id {}",
        account.status(),
        account
            .properties
            .as_ref()
            .and_then(|p| p.provisioning_state.as_deref())
            .unwrap_or("unknown"),
        account.request_id().unwrap_or_default()
    );

    println!("creating SQL database {DATABASE} with 400 RU/s");
    let database = SqlDatabaseCreateUpdateParameters::new(SqlDatabaseResource::new(DATABASE))
        .with_options(CreateUpdateOptions::default().with_throughput(400));
    sql.begin_create_update_sql_database(RESOURCE_GROUP, ACCOUNT, DATABASE, &database, None)
        .await?
        .await?;

    println!("creating container {CONTAINER} partitioned on /orderId");
    let container = SqlContainerCreateUpdateParameters::new(
        SqlContainerResource::new(CONTAINER).with_partition_key(
            ContainerPartitionKey::default().with_paths(["/orderId".to_owned()]),
        ),
    );
    sql.begin_create_update_sql_container(
        RESOURCE_GROUP,
        ACCOUNT,
        DATABASE,
        CONTAINER,
        &container,
        None,
    )
    .await?
    .await?;

    let throughput = sql
        .get_sql_database_throughput(RESOURCE_GROUP, ACCOUNT, DATABASE, None)
        .await?;
    println!(
        "throughput of {DATABASE}: {:?} RU/s",
        throughput_of(&throughput)
    );
    println!("raising it to 800 RU/s");
    let update = ThroughputSettingsUpdateParameters::default()
        .with_resource(ThroughputSettingsResource::default().with_throughput(800));
    let throughput = sql
        .begin_update_sql_database_throughput(RESOURCE_GROUP, ACCOUNT, DATABASE, &update, None)
        .await?
        .await?;
    println!("  now {:?} RU/s", throughput_of(&throughput));

    println!("accounts in the subscription:");
    for listed in accounts.list(None).into_vec().await? {
        // A listed resource is acted on through its typed id: no string splitting.
        let id = DatabaseAccountId::parse(listed.id.as_deref().unwrap_or_default())?;
        let account = accounts
            .get(&id.resource_group_name, &id.account_name, None)
            .await?;
        println!(
            "  {} in resource group {}, location {}",
            id.account_name,
            id.resource_group_name,
            account.location.as_deref().unwrap_or("?")
        );
    }

    let keys = accounts.list_keys(RESOURCE_GROUP, ACCOUNT, None).await?;
    println!(
        "primary master key: {:?}",
        keys.primary_master_key
            .as_ref()
            .map(|_| "(received, not printed)")
    );

    println!("approving private endpoint connection pe-connection");
    let approval = PrivateEndpointConnection::default()
        .with_private_link_service_connection_state(
            PrivateLinkServiceConnectionStateProperty::default()
                .with_status("Approved")
                .with_description("approved by the quickstart"),
        )
        .with_group_id("Sql");
    let connection = client
        .private_endpoint_connections()
        .begin_create_or_update(RESOURCE_GROUP, ACCOUNT, "pe-connection", &approval, None)
        .await?
        .await?;
    println!(
        "  connection state: {:?}",
        connection
            .properties
            .and_then(|p| p.private_link_service_connection_state)
            .and_then(|s| s.status)
    );

    println!("deleting database account {ACCOUNT}");
    accounts
        .begin_delete(RESOURCE_GROUP, ACCOUNT, None)
        .await?
        .await?;
    match accounts.get(RESOURCE_GROUP, ACCOUNT, None).await {
        Err(error) if error.status() == Some(404) => println!(
            "  gone: {} (request id {})",
            error.error_code().unwrap_or_default(),
            error.request_id().unwrap_or_default()
        ),
        Err(error) => return Err(error),
        Ok(_) => println!("  still there"),
    }
    Ok(())
}

/// The throughput in RU/s that `settings` report.
fn throughput_of(settings: &ThroughputSettingsGetResults) -> Option<i32> {
    settings.properties.as_ref()?.resource.as_ref()?.throughput
}

/// The command line.
struct Arguments {
    /// `--endpoint URL`: run against that ARM endpoint instead of the local one.
    endpoint: Option<String>,
    /// `--traffic-dir DIR`: write the local endpoint's traffic into `DIR`.
    traffic_dir: Option<PathBuf>,
}

impl Arguments {
    const USAGE: &str =
        "usage: quickstart [--endpoint https://management.azure.com | --traffic-dir DIR]";

    fn parse(args: impl IntoIterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self {
            endpoint: None,
            traffic_dir: None,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or(Self::USAGE)?;
            match flag.as_str() {
                "--endpoint" if parsed.endpoint.is_none() => parsed.endpoint = Some(value),
                "--traffic-dir" if parsed.traffic_dir.is_none() => {
                    parsed.traffic_dir = Some(PathBuf::from(value));
                }
                _ => return Err(Self::USAGE.to_owned()),
            }
        }
        if parsed.endpoint.is_some() && parsed.traffic_dir.is_some() {
            return Err(format!(
                "--traffic-dir records the local endpoint's traffic: it cannot be combined with \
                 --endpoint; {}",
                Self::USAGE
            ));
        }
        Ok(parsed)
    }
}

/// A client for a real ARM endpoint, from `AZURE_SUBSCRIPTION_ID` and `AZURE_ACCESS_TOKEN`.
fn real_azure_client(endpoint: &str) -> Result<Client, Box<dyn std::error::Error>> {
    let variable = |name: &str| {
        std::env::var(name).map_err(|_| format!("set {name} to run against {endpoint}"))
    };
    let subscription = variable("AZURE_SUBSCRIPTION_ID")?;
    let token = variable("AZURE_ACCESS_TOKEN")?;
    Ok(Client::builder(subscription)
        .endpoint(endpoint)
        .credential(StaticTokenCredential::new(token))
        .build()?)
}
