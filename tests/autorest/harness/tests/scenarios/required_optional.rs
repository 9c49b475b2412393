//! `required-optional.json`: optional parameters, headers and bodies left unset are not sent
//! (the server checks each is absent or empty); a required one is an argument that is not an
//! `Option`, so it cannot be left out (the spec's required routes exist only to catch clients
//! that send without it, and answer 404: the spec misspells them `/reqopt/requied/...`); an
//! empty required path value is refused before sending (`InvalidParameter`, minimum length 1).
//! The global parameters are client parameters: a required one left unset on the builder makes
//! `build()` fail, naming it (`Rule::Required`); an optional one left unset is not sent.

use autorest_required_optional::operations::{
    ExplicitPostOptionalArrayHeaderOptions, ExplicitPostOptionalIntegerHeaderOptions,
    ExplicitPostOptionalStringHeaderOptions, ImplicitGetOptionalGlobalQueryOptions,
    ImplicitPutOptionalHeaderOptions, ImplicitPutOptionalQueryOptions,
};
use autorest_required_optional::{Client, ClientParameters, models};
use autorest_tests::{Expected, Report, TestServer, error, invalid, ok};
use azrm_runtime::Rule;

/// What the server answers to every required-value route of the spec: no route has its path.
const NO_ROUTE: Expected = Expected::Http(404);

#[tokio::test]
async fn required_optional_scenarios() {
    let Some(server) = TestServer::start().await else {
        return;
    };
    let client = server
        .configure(Client::builder("unused"))
        .required_global_path("path")
        .required_global_query("x")
        .build()
        .expect("client");
    let (explicit, implicit) = (client.explicit(), client.implicit());
    let mut report = Report::new("required-optional.json");
    let product = models::Product::new(1);

    // Implicit: parameters without `required`.
    report
        .run("implicit_getRequiredPath", async {
            invalid(
                implicit.get_required_path("", None).await,
                "pathParameter",
                &Rule::MinLength(1),
            )
        })
        .await;
    report
        .run("implicit_putOptionalQuery", async {
            ok(implicit
                .put_optional_query(Some(ImplicitPutOptionalQueryOptions::default()))
                .await)
        })
        .await;
    report
        .run("implicit_putOptionalHeader", async {
            ok(implicit
                .put_optional_header(Some(ImplicitPutOptionalHeaderOptions::default()))
                .await)
        })
        .await;
    report
        .run("implicit_putOptionalBody", async {
            ok(implicit.put_optional_body(None, None).await)
        })
        .await;
    report
        .run("implicit_putOptionalBinaryBody", async {
            ok(implicit.put_optional_binary_body(None, None).await)
        })
        .await;
    report
        .run("implicit_getRequiredGlobalPath", async {
            // A client without the value is not built; one with an empty value refuses to send.
            invalid(
                server
                    .configure(Client::builder("unused"))
                    .required_global_query("x")
                    .build(),
                "required-global-path",
                &Rule::Required,
            )?;
            let empty = server
                .configure(Client::builder("unused"))
                .required_global_path("")
                .required_global_query("x")
                .build()
                .map_err(|e| e.to_string())?;
            invalid(
                empty.implicit().get_required_global_path(None).await,
                "required-global-path",
                &Rule::MinLength(1),
            )
        })
        .await;
    report
        .run("implicit_getRequiredGlobalQuery", async {
            // The server has no route for the query with a value either: it only catches
            // clients that send without one.
            error(
                implicit.get_required_global_query(None).await,
                Expected::Http(400),
            )
        })
        .await;
    report
        .run("implicit_getOptionalGlobalQuery", async {
            ok(implicit
                .get_optional_global_query(Some(ImplicitGetOptionalGlobalQueryOptions::default()))
                .await)
        })
        .await;

    // Explicit: bodies, properties and headers, optional ones left unset.
    report
        .run("explicit_putOptionalBinaryBody", async {
            ok(explicit.put_optional_binary_body(None, None).await)
        })
        .await;
    report
        .run("explicit_putRequiredBinaryBody", async {
            ok(explicit
                .put_required_binary_body(&serde_json::json!("bytes"), None)
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredIntegerParameter", async {
            error(
                explicit.post_required_integer_parameter(&1, None).await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalIntegerParameter", async {
            ok(explicit.post_optional_integer_parameter(None, None).await)
        })
        .await;
    report
        .run("explicit_postRequiredIntegerProperty", async {
            error(
                explicit
                    .post_required_integer_property(&models::IntWrapper::new(0), None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalIntegerProperty", async {
            ok(explicit
                .post_optional_integer_property(Some(&models::IntOptionalWrapper::default()), None)
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredIntegerHeader", async {
            error(
                explicit.post_required_integer_header(1, None).await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalIntegerHeader", async {
            ok(explicit
                .post_optional_integer_header(Some(
                    ExplicitPostOptionalIntegerHeaderOptions::default(),
                ))
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredStringParameter", async {
            error(
                explicit
                    .post_required_string_parameter(&"x".to_owned(), None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalStringParameter", async {
            ok(explicit.post_optional_string_parameter(None, None).await)
        })
        .await;
    report
        .run("explicit_postRequiredStringProperty", async {
            error(
                explicit
                    .post_required_string_property(&models::StringWrapper::new(""), None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalStringProperty", async {
            ok(explicit
                .post_optional_string_property(
                    Some(&models::StringOptionalWrapper::default()),
                    None,
                )
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredStringHeader", async {
            error(
                explicit.post_required_string_header("x", None).await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalStringHeader", async {
            ok(explicit
                .post_optional_string_header(Some(
                    ExplicitPostOptionalStringHeaderOptions::default(),
                ))
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredClassParameter", async {
            error(
                explicit.post_required_class_parameter(&product, None).await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalClassParameter", async {
            ok(explicit.post_optional_class_parameter(None, None).await)
        })
        .await;
    report
        .run("explicit_postRequiredClassProperty", async {
            let wrapper = models::ClassWrapper::new(product.clone());
            error(
                explicit.post_required_class_property(&wrapper, None).await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalClassProperty", async {
            ok(explicit
                .post_optional_class_property(Some(&models::ClassOptionalWrapper::default()), None)
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredArrayParameter", async {
            error(
                explicit
                    .post_required_array_parameter(&vec!["x".to_owned()], None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalArrayParameter", async {
            ok(explicit.post_optional_array_parameter(None, None).await)
        })
        .await;
    report
        .run("explicit_postRequiredArrayProperty", async {
            error(
                explicit
                    .post_required_array_property(&models::ArrayWrapper::default(), None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalArrayProperty", async {
            ok(explicit
                .post_optional_array_property(Some(&models::ArrayOptionalWrapper::default()), None)
                .await)
        })
        .await;
    report
        .run("explicit_postRequiredArrayHeader", async {
            error(
                explicit
                    .post_required_array_header(&["x".to_owned(), "y".to_owned()], None)
                    .await,
                NO_ROUTE,
            )
        })
        .await;
    report
        .run("explicit_postOptionalArrayHeader", async {
            ok(explicit
                .post_optional_array_header(Some(ExplicitPostOptionalArrayHeaderOptions::default()))
                .await)
        })
        .await;

    report.finish(&[]);
    server
        .assert_coverage(
            "required-optional.json",
            &["vanilla"],
            &[
                "Optional",
                "ImplicitOptional",
                "ExplicitOptional",
                "ExplicitRequired",
            ],
            &[],
        )
        .await;
}
