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
