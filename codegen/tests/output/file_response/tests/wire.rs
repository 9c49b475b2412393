//! Responses of `type: file` on the wire, against the local endpoint on loopback: the call asks
//! for the file's content type, hands the body out chunk by chunk with its bytes intact, reads
//! an error status whole as the typed error, and a typed fake answers with bytes.

use azrm_local_endpoint::{FakeResponse, LocalEndpoint};
use fixture_file_response::fake::Endpoint;
use fixture_file_response::operations::SnapshotsGetImageHeaders;
use fixture_file_response::{Client, ErrorKind};
use futures::StreamExt as _;

/// A client of `stub`.
fn client(stub: &LocalEndpoint) -> Client {
    Client::builder("sub")
        .endpoint(stub.http_url())
        .credential(stub.credential())
        .build()
        .expect("client")
}

/// 4 MiB that no shifted copy matches: a chunk out of place or lost changes what arrives.
fn image() -> Vec<u8> {
    (0..4u32 << 20)
        .map(|index| (index ^ (index >> 8) ^ (index >> 16)) as u8)
        .collect()
}

#[tokio::test]
async fn a_file_arrives_intact_chunk_by_chunk() {
    let stub = LocalEndpoint::stub(|_, _| {
        FakeResponse::bytes(200, "image/png", image()).with_header("x-ms-image-version", "3")
    })
    .await
    .expect("stub");
    let response = client(&stub)
        .snapshots()
        .get_image("s1", None)
        .await
        .expect("the image");
    assert_eq!(response.status(), 200);
    assert_eq!(response.header("content-type"), Some("image/png"));
    assert_eq!(response.x_ms_image_version(), Some("3"));
    let mut body = response.into_model();
    let (mut received, mut chunks) = (Vec::new(), 0);
    while let Some(chunk) = body.next().await {
        received.extend_from_slice(&chunk.expect("a chunk"));
        chunks += 1;
    }
    assert!(chunks > 1, "the body came in {chunks} chunk");
    assert_eq!(body.received(), received.len() as u64);
    assert!(received == image(), "the bytes differ from those sent");

    let requests = stub.requests();
    assert_eq!(
        requests[0].target,
        "/subscriptions/sub/providers/Microsoft.Test/snapshots/s1/image?api-version=2024-01-01"
    );
    assert_eq!(
        requests[0].header("accept"),
        Some("image/png, application/json")
    );
}

#[tokio::test]
async fn an_error_status_is_the_typed_error_and_a_204_an_empty_file() {
    let stub = LocalEndpoint::stub(|request, _| {
        if request.target.contains("/image") {
            FakeResponse::error(404, "SnapshotNotFound", "no snapshot s1")
        } else {
            FakeResponse::status(204)
        }
    })
    .await
    .expect("stub");
    let client = client(&stub);
    let error = client
        .snapshots()
        .get_image("s1", None)
        .await
        .expect_err("404");
    assert!(
        matches!(error.kind(), ErrorKind::Http { status: 404, .. }),
        "{error:?}"
    );
    assert_eq!(error.error_code(), Some("SnapshotNotFound"));

    let log = client.snapshots().get_log("s1", None).await.expect("204");
    assert_eq!(log.status(), 204);
    let log = log.into_model().collect().await.expect("no body");
    assert!(log.is_empty());
    assert_eq!(
        stub.requests()[1].header("accept"),
        Some("application/octet-stream, application/json")
    );
}

#[tokio::test]
async fn a_typed_fake_answers_with_bytes() {
    let endpoint = Endpoint::from(Endpoint::builder().start().await.expect("endpoint"));
    endpoint
        .snapshots()
        .on_get_image(|request| Ok(format!("image of {}", request.snapshot_name).into_bytes()));
    let client = endpoint.client_builder("sub").build().expect("client");
    let response = client
        .snapshots()
        .get_image("s1", None)
        .await
        .expect("the image");
    assert_eq!(response.header("content-type"), Some("image/png"));
    let image = response.into_model().collect().await.expect("the bytes");
    assert_eq!(&image[..], b"image of s1");
}
