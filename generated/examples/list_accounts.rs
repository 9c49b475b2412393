//! Lists the Cosmos DB accounts of a subscription, signed in as the Azure CLI (`az login`) or the
//! Azure Developer CLI is:
//!
//! ```sh
//! AZURE_SUBSCRIPTION_ID=... cargo run -p azrm-cosmosdb --example list_accounts
//! ```

use azrm_cosmosdb::Client;
use azure_identity::DeveloperToolsCredential;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder(std::env::var("AZURE_SUBSCRIPTION_ID")?)
        .credential(DeveloperToolsCredential::new(None)?)
        .build()?;
    for account in client.database_accounts().list(None).into_vec().await? {
        let name = account.name.unwrap_or_default();
        println!("{name} in {}", account.location.unwrap_or_default());
    }
    Ok(())
}
