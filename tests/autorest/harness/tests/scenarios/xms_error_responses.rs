//! `xms-error-responses.json`: statuses marked `x-ms-error-response` are errors
//! (`ErrorKind::Http` with the status), whose body, kept on the error, decodes to the
//! polymorphic error model the spec gives that status; `202` without a body is a success with no
//! result; an unset query parameter with an `x-ms-client-default` is sent with that default.

use autorest_tests::{Expected, Outcome, Report, TestServer, equal, error, ok};
use autorest_xms_error_responses::operations::PetHasModelsParamOptions;
use autorest_xms_error_responses::{Client, models};
use serde::de::DeserializeOwned;

/// `result` failed with `status` (`ErrorKind::Http`), and its body decodes to `T`.
fn error_body<R: std::fmt::Debug, T: DeserializeOwned>(
    result: Result<R, azrm_runtime::Error>,
    status: u16,
) -> Result<T, String> {
    let failure = result
        .as_ref()
        .err()
        .cloned()
        .ok_or_else(|| format!("expected HTTP {status}, got {result:?}"))?;
    error(result, Expected::Http(status))?;
    let body = failure.raw_body().ok_or("the error kept no body")?;
    serde_json::from_slice(body).map_err(|e| format!("the error body did not decode: {e}"))
}

/// The `PetActionError` of a failed `Pet_DoSomething` is the variant `check` accepts.
fn action_error(
    error: &models::PetActionError,
    check: impl Fn(&models::PetActionError) -> Option<(&str, &str)>,
    expected: (&str, &str),
) -> Outcome {
    equal(
        check(error).ok_or(format!("wrong variant: {error:?}"))?,
        expected,
    )
}

#[tokio::test]
async fn xms_error_responses_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .build()
        .expect("client");
    let pets = client.pet();
    let mut report = Report::new("xms-error-responses.json");

    report
        .run("Pet_GetPetById", async {
            let tommy = ok(pets.get_pet_by_id("tommy", None).await)?
                .into_model()
                .ok_or("200 without a pet")?;
            equal(tommy.name.as_deref(), Some("Tommy Tomson"))?;
            equal(ok(pets.get_pet_by_id("django", None).await)?, None)?;
            match error_body(pets.get_pet_by_id("coyoteUgly", None).await, 404)? {
                models::NotFoundErrorBase::AnimalNotFound(found) => {
                    equal(found.name.as_deref(), Some("coyote"))?;
                }
                other => return Err(format!("expected AnimalNotFound, got {other:?}")),
            }
            match error_body(pets.get_pet_by_id("weirdAlYankovic", None).await, 404)? {
                models::NotFoundErrorBase::InvalidResourceLink(link) => {
                    equal(
                        link.what_sub_address.as_deref(),
                        Some("pet/yourpet was not found"),
                    )?;
                }
                other => return Err(format!("expected LinkNotFound, got {other:?}")),
            }
            equal(
                error_body::<_, String>(pets.get_pet_by_id("ringo", None).await, 400)?,
                "ringo is missing".to_owned(),
            )?;
            equal(
                error_body::<_, i64>(pets.get_pet_by_id("alien123", None).await, 501)?,
                123,
            )
        })
        .await;
    report
        .run("Pet_DoSomething", async {
            let stay = ok(pets.do_something("stay", None).await)?.into_model();
            equal(stay.action_response, None)?;
            let sad: models::PetActionError =
                error_body(pets.do_something("jump", None).await, 500)?;
            action_error(
                &sad,
                |e| match e {
                    models::PetActionError::PetSadError(sad) => {
                        Some((sad.error_message.as_deref()?, sad.reason.as_deref()?))
                    }
                    _ => None,
                },
                ("casper aint happy", "need more treats"),
            )?;
            // 404 is not in the spec: a `default` error whose body is still the error model.
            let hungry: models::PetActionError =
                error_body(pets.do_something("fetch", None).await, 404)?;
            action_error(
                &hungry,
                |e| match e {
                    models::PetActionError::PetHungryOrThirstyError(hungry) => Some((
                        hungry.error_message.as_deref()?,
                        hungry.hungry_or_thirsty.as_deref()?,
                    )),
                    _ => None,
                },
                ("scooby is low", "hungry and thirsty"),
            )
        })
        .await;
    report
        .run("Pet_HasModelsParam", async {
            // `models` left unset: its `x-ms-client-default` (`value1`) is sent, which the
            // server answers with the error body it names.
            let sad: models::PetActionError = error_body(
                pets.has_models_param(Some(PetHasModelsParamOptions::default()))
                    .await,
                500,
            )?;
            equal(matches!(sad, models::PetActionError::PetSadError(_)), true)
        })
        .await;

    report.finish(&[]);
    server
        .assert_coverage(
            "xms-error-responses.json",
            &["vanilla", "optional"],
            &[
                "sendErrorWithParamNameModels",
                "expectedNoErrors",
                "expectedPetSadError",
                "expectedPetHungryError",
                "animalNotFoundError",
                "linkNotFoundError",
                "stringError",
                "intError",
            ],
            &[],
        )
        .await;
}
