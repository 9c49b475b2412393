//! Resume tokens: a long-running operation's polling state as versioned, base64url JSON, and the
//! checks that a token is of a version this client reads and belongs to the operation resumed.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::operation::State;
use crate::error::{Error, ErrorKind};

/// The format version this client writes and reads. Raise it when [`State`] changes in a way an
/// older client would misread.
const VERSION: u32 = 1;

/// A token as written: the version first, then the state.
#[derive(Serialize)]
struct Written<'a> {
    version: u32,
    #[serde(flatten)]
    state: &'a State,
}

/// The version of a token, read before anything else (whatever else a token of another version
/// holds).
#[derive(Deserialize)]
struct Versioned {
    version: Option<u32>,
}

/// The token holding `state`.
pub(crate) fn encode(state: &State) -> Result<String, Error> {
    let json = serde_json::to_vec(&Written {
        version: VERSION,
        state,
    })
    .map_err(|error| invalid(format!("could not be written: {error}")))?;
    Ok(URL_SAFE_NO_PAD.encode(json))
}

/// The state `token` holds, if it is a token of this format's version made by the operation
/// `operation_id`.
pub(crate) fn decode(token: &str, operation_id: &str) -> Result<State, Error> {
    let json = URL_SAFE_NO_PAD.decode(token.trim()).map_err(|error| {
        invalid(format!(
            "the token to resume `{operation_id}` is not base64url: {error}"
        ))
    })?;
    let unreadable = |error: serde_json::Error| {
        invalid(format!(
            "the token to resume `{operation_id}` is not a resume token: {error}"
        ))
    };
    match serde_json::from_slice::<Versioned>(&json).map_err(unreadable)? {
        Versioned {
            version: Some(VERSION),
        } => {}
        Versioned { version } => {
            let version =
                version.map_or_else(|| "no version".to_owned(), |v| format!("version {v}"));
            return Err(invalid(format!(
                "the token to resume `{operation_id}` has {version}: this client reads resume \
                 tokens of version {VERSION} only"
            )));
        }
    }
    let state: State = serde_json::from_slice(&json).map_err(unreadable)?;
    if state.operation_id != operation_id {
        return Err(invalid(format!(
            "the token was made by `{}`, not `{operation_id}`: a token resumes only the \
             operation that made it",
            state.operation_id
        )));
    }
    Ok(state)
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::ResumeToken(message))
}

#[cfg(test)]
mod tests {
    use super::{URL_SAFE_NO_PAD, decode, encode};
    use crate::error::ErrorKind;
    use crate::lro::operation::{Monitor, State};
    use crate::request::Method;
    use base64::Engine as _;

    const OPERATION: &str = "Widgets_Create";

    fn state() -> State {
        State {
            operation_id: OPERATION.to_owned(),
            api_version: "2024-01-01".to_owned(),
            method: Method::Put,
            original_url: "https://management.azure.com/w/1".parse().unwrap(),
            monitor: Monitor::Status("https://management.azure.com/ops/1".parse().unwrap()),
            location: None,
            final_state_via: None,
        }
    }

    /// The message of the error decoding `token` for [`OPERATION`] gives.
    fn refusal(token: &str) -> String {
        let error = decode(token, OPERATION).expect_err("refused");
        match error.kind() {
            ErrorKind::ResumeToken(message) => message.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// `token` with its JSON changed by `change`.
    fn altered(token: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(token).unwrap()).unwrap();
        change(&mut json);
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json).unwrap())
    }

    #[test]
    fn a_token_round_trips_for_its_own_operation_only() {
        let token = encode(&state()).unwrap();
        let state = decode(&token, OPERATION).unwrap();
        assert_eq!(
            state.original_url.as_str(),
            "https://management.azure.com/w/1"
        );
        let error = decode(&token, "Widgets_Delete").expect_err("another operation");
        assert!(
            error
                .to_string()
                .contains("made by `Widgets_Create`, not `Widgets_Delete`"),
            "{error}"
        );
    }

    /// The URLs the poller keeps parsed are written as text, so a token written before they
    /// were still reads.
    #[test]
    fn a_token_holds_its_urls_as_text() {
        let token = encode(&state()).unwrap();
        let json: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&token).unwrap()).unwrap();
        assert_eq!(json["original_url"], "https://management.azure.com/w/1");
        assert_eq!(
            json["monitor"]["Status"],
            "https://management.azure.com/ops/1"
        );
        let written_before = serde_json::json!({
            "version": 1,
            "operation_id": OPERATION,
            "api_version": "2024-01-01",
            "method": "Put",
            "original_url": "https://management.azure.com/w/1?api-version=2024-01-01",
            "monitor": "Location",
            "location": "https://management.azure.com/ops/2",
            "final_state_via": "Location",
        });
        let token = URL_SAFE_NO_PAD.encode(written_before.to_string());
        let state = decode(&token, OPERATION).unwrap();
        assert!(matches!(state.monitor, Monitor::Location));
        assert_eq!(
            state.location.map(String::from).as_deref(),
            Some("https://management.azure.com/ops/2")
        );
        assert_eq!(state.original_url.query(), Some("api-version=2024-01-01"));
    }

    #[test]
    fn a_token_of_another_version_or_none_is_refused_by_name() {
        let token = encode(&state()).unwrap();
        let newer = altered(&token, |json| json["version"] = 2.into());
        let message = refusal(&newer);
        assert!(
            message.contains("`Widgets_Create` has version 2")
                && message.contains("tokens of version 1 only"),
            "{message}"
        );
        let unversioned = altered(&token, |json| {
            json.as_object_mut().unwrap().remove("version");
        });
        assert!(refusal(&unversioned).contains("has no version"));
        assert!(refusal("not base64!").contains("not base64url"));
        assert!(refusal("e30").contains("has no version"), "`{{}}`");
    }
}
