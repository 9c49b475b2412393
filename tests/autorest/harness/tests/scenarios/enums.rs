//! `extensible-enums-swagger.json` and `non-string-enum.json`: an extensible enum keeps a value
//! the spec does not list and sends it back unchanged; number enums travel as JSON numbers.

use autorest_tests::{Report, TestServer, equal, ok};

#[tokio::test]
async fn extensible_enums_scenarios() {
    use autorest_extensible_enums_swagger::{Client, models};
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let pets = client.pet();
    let mut report = Report::new("extensible-enums-swagger.json");
    report
        .run("Pet_GetByPetId", async {
            let day = |pet: &models::Pet| pet.days_of_week.as_ref().map(|d| d.as_str().to_owned());
            let tommy = ok(pets.get_by_pet_id("tommy", None).await)?;
            equal(day(&tommy).as_deref(), Some("Monday"))?;
            equal(tommy.int_enum.as_str(), "1")?;
            // Not a value of the spec: kept as sent.
            let casper = ok(pets.get_by_pet_id("casper", None).await)?;
            equal(day(&casper).as_deref(), Some("Weekend"))?;
            // One of a value's `allowedValues`, not a value itself: kept as sent.
            let scooby = ok(pets.get_by_pet_id("scooby", None).await)?;
            equal(scooby.int_enum.as_str(), "2.1")
        })
        .await;
    report
        .run("Pet_AddPet", async {
            // Decoded from the wire, so the unlisted day is the one the service would send.
            let pet: models::Pet = serde_json::from_value(serde_json::json!({
                "name": "Retriever",
                "IntEnum": "3",
                "DaysOfWeek": "Weekend",
            }))
            .map_err(|e| e.to_string())?;
            let echoed = ok(pets.add_pet(Some(&pet), None).await)?;
            equal(echoed, pet)
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "extensible-enums-swagger.json",
            &["vanilla"],
            &[
                "expectedEnum",
                "unexpectedEnum",
                "allowedValueEnum",
                "roundTripEnum",
            ],
            &[],
        )
        .await;
}

#[tokio::test]
async fn non_string_enum_scenarios() {
    use autorest_non_string_enum::Client;
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let mut report = Report::new("non-string-enum.json");
    report
        .run("Int_put", async {
            equal(
                ok(client.int().put(Some(&200), None).await)?,
                "Nice job posting an int enum".to_owned(),
            )
        })
        .await;
    report
        .run("Int_get", async {
            equal(ok(client.int().get(None).await)?, 429)
        })
        .await;
    report
        .run("Float_put", async {
            equal(
                ok(client.float().put(Some(&200.4), None).await)?,
                "Nice job posting a float enum".to_owned(),
            )
        })
        .await;
    report
        .run("Float_Get", async {
            equal(ok(client.float().get(None).await)?, 429.1)
        })
        .await;
    report.finish(&[]);
    server
        .assert_coverage(
            "non-string-enum.json",
            &["vanilla"],
            &["NonStringEnums"],
            &[],
        )
        .await;
}
