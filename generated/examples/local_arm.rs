//! The local ARM endpoint for this API as a stand-alone server, for clients in any language.
//!
//! ```sh
//! cargo run -p azrm-cosmosdb --features fake --example local_arm -- [--http-port N] [--https-port N] [--ca-file PATH] [--unregistered-providers]
//! ```
//!
//! Prints its URLs (any non-empty bearer token is accepted), writes the CA certificate to trust for https
//! (default `local-arm-ca.pem` in the current folder) and serves until stopped (Ctrl-C).
//! `--unregistered-providers` starts as a new subscription: `Microsoft.DocumentDB` answers `409
//! MissingSubscriptionRegistration` until a client registers it, as the Azure SDKs do.
//! Python: `CosmosDBManagementClient(credential, sub, base_url=URL, connection_verify=CA_FILE)`;
//! JS: `NODE_EXTRA_CA_CERTS=CA_FILE` and `{ endpoint: URL }`.

use azrm_cosmosdb::fake::Endpoint;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = Endpoint::builder();
    let mut ca_file = String::from("local-arm-ca.pem");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--unregistered-providers" {
            builder = builder.unregistered_providers();
            continue;
        }
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        builder = match flag.as_str() {
            "--http-port" => builder.http_port(value.parse()?),
            "--https-port" => builder.https_port(value.parse()?),
            "--ca-file" => {
                ca_file = value;
                builder
            }
            _ => return Err(format!("unknown flag {flag}").into()),
        };
    }
    let endpoint = Endpoint::from(builder.start().await?);
    let local = endpoint.local();
    std::fs::write(&ca_file, local.ca_certificate_pem())?;
    println!("https: {}", local.https_url());
    println!("http:  {}", local.http_url());
    println!("CA certificate: {ca_file}");
    println!("authorization: any non-empty bearer token (none: 401)");
    println!(
        "serving {} operations; Ctrl-C stops",
        azrm_cosmosdb::fake::ROUTES.len()
    );
    std::future::pending::<()>().await;
    Ok(())
}
