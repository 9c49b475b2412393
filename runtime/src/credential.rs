//! Access tokens: [`StaticTokenCredential`] for tests and local endpoints, and the cache that
//! reuses a token until shortly before it expires, refreshing it once for all concurrent callers,
//! keeping a still-valid token when a refresh fails, and dropping a token the service rejected.

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use reqwest::header::HeaderValue;
use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind};

/// A token is refreshed this long before it expires.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

/// After a failed refresh, a still-valid token is used this long before the credential is asked
/// again (as Go's azcore does), so a failing credential is not called for every request.
const RETRY_REFRESH_AFTER: Duration = Duration::seconds(30);

/// A credential that always returns the same token, valid for a day from each call. For tests
/// and local emulators; `Debug` does not print the token.
#[derive(Clone)]
pub struct StaticTokenCredential {
    token: Secret,
}

impl StaticTokenCredential {
    /// A credential returning `token`.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: Secret::new(token.into()),
        }
    }
}

impl fmt::Debug for StaticTokenCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticTokenCredential { token: *** }")
    }
}

#[async_trait::async_trait]
impl TokenCredential for StaticTokenCredential {
    async fn get_token(
        &self,
        _scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        Ok(AccessToken::new(
            self.token.clone(),
            OffsetDateTime::now_utc() + Duration::days(1),
        ))
    }
}

/// What [`ClientBuilder::credential`](crate::ClientBuilder::credential) accepts: a credential as
/// `azure_identity` returns it (`Arc<DeveloperToolsCredential>`, any `Arc<T>` of a
/// [`TokenCredential`]), one already shared as `Arc<dyn TokenCredential>`, or a
/// [`StaticTokenCredential`]. A credential of your own goes in an `Arc` too.
pub trait IntoCredential {
    /// The credential, shared.
    fn into_credential(self) -> Arc<dyn TokenCredential>;
}

impl<T: TokenCredential + 'static> IntoCredential for Arc<T> {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        self
    }
}

impl IntoCredential for Arc<dyn TokenCredential> {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        self
    }
}

impl IntoCredential for StaticTokenCredential {
    fn into_credential(self) -> Arc<dyn TokenCredential> {
        Arc::new(self)
    }
}

/// Caches the token of one credential for one scope.
pub(crate) struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    cached: Mutex<Cached>,
}

/// The cached token with its `Authorization` value (built once per token, not per request: a
/// token is a couple of kilobytes), and when a refresh of it last failed.
#[derive(Default)]
struct Cached {
    token: Option<(AccessToken, HeaderValue)>,
    failed_refresh: Option<OffsetDateTime>,
}

/// The token scope for an audience (the resource the token is for): `{audience}/.default`, or
/// the audience itself when it already names a scope (ends with `/.default`).
pub(crate) fn scope_of(audience: &str) -> String {
    if audience.ends_with("/.default") {
        audience.to_owned()
    } else {
        format!("{}/.default", audience.trim_end_matches('/'))
    }
}

impl TokenCache {
    /// A cache for tokens of `credential` for `scope`.
    pub(crate) fn new(credential: Arc<dyn TokenCredential>, scope: String) -> Self {
        Self {
            credential,
            scope,
            cached: Mutex::new(Cached::default()),
        }
    }

    /// The `Authorization` value (`Bearer {token}`, marked sensitive) of a token valid for at
    /// least a few more minutes, from the cache or from the credential. Concurrent callers wait
    /// for a single refresh. When a refresh inside the margin fails, the cached token is used
    /// while it is still valid (the credential is asked again after 30 s); the error is returned
    /// only when there is no valid token.
    pub(crate) async fn authorization(&self) -> Result<HeaderValue, Error> {
        let mut cached = self.cached.lock().await;
        let now = OffsetDateTime::now_utc();
        let valid = cached.token.as_ref().filter(|(t, _)| t.expires_on > now);
        let fresh = valid.filter(|(t, _)| t.expires_on - REFRESH_MARGIN > now);
        let recently_failed = cached
            .failed_refresh
            .is_some_and(|failed| now - failed < RETRY_REFRESH_AFTER);
        if let Some((_, value)) = fresh.or(valid.filter(|_| recently_failed)) {
            return Ok(value.clone());
        }
        match self.credential.get_token(&[&self.scope], None).await {
            Ok(token) => {
                let value = authorization(&token.token)?;
                *cached = Cached {
                    token: Some((token, value.clone())),
                    failed_refresh: None,
                };
                Ok(value)
            }
            Err(error) => {
                let still_valid = cached.token.as_ref().filter(|(t, _)| t.expires_on > now);
                if let Some(token) = still_valid.map(|(_, value)| value.clone()) {
                    tracing::warn!(%error, "token refresh failed; the cached token is still valid");
                    cached.failed_refresh = Some(now);
                    return Ok(token);
                }
                Err(Error::new(ErrorKind::Credential(error.to_string())).with_source(error))
            }
        }
    }

    /// Forgets `rejected` (the `Authorization` value the service answered 401 to) if it is
    /// still the cached one, so that the next [`TokenCache::authorization`] asks the credential
    /// for a new token.
    pub(crate) async fn forget(&self, rejected: &HeaderValue) {
        let mut cached = self.cached.lock().await;
        if cached
            .token
            .as_ref()
            .is_some_and(|(_, value)| value == rejected)
        {
            *cached = Cached::default();
        }
    }
}

/// The `Authorization` header value for `token`, marked sensitive so the HTTP stack never
/// prints it.
fn authorization(token: &Secret) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.secret())).map_err(|_| {
        Error::new(ErrorKind::Credential(
            "the access token contains characters that are not allowed in an HTTP header"
                .to_owned(),
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("credential", &self.credential)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Hands out tokens that expire `lifetime` after each call, counting the calls; fails every
    /// call after the first `working` ones.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: Duration,
        working: usize,
    }

    #[async_trait::async_trait]
    impl TokenCredential for Counting {
        async fn get_token(
            &self,
            scopes: &[&str],
            _options: Option<TokenRequestOptions<'_>>,
        ) -> azure_core::Result<AccessToken> {
            assert_eq!(scopes, ["https://management.azure.com/.default"]);
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            if call >= self.working {
                return Err(azure_core::Error::with_message(
                    azure_core::error::ErrorKind::Credential,
                    "the identity service is down",
                ));
            }
            Ok(AccessToken::new(
                format!("token-{call}"),
                OffsetDateTime::now_utc() + self.lifetime,
            ))
        }
    }

    /// The token in an `Authorization` value.
    fn secret(value: HeaderValue) -> String {
        assert!(value.is_sensitive());
        let text = value.to_str().unwrap();
        text.strip_prefix("Bearer ").unwrap().to_owned()
    }

    fn cache(lifetime: Duration) -> (Arc<Counting>, TokenCache) {
        failing_cache(lifetime, usize::MAX)
    }

    fn failing_cache(lifetime: Duration, working: usize) -> (Arc<Counting>, TokenCache) {
        let credential = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime,
            working,
        });
        let scope = scope_of("https://management.azure.com/");
        let cache = TokenCache::new(credential.clone(), scope);
        (credential, cache)
    }

    #[tokio::test]
    async fn a_failed_refresh_keeps_a_still_valid_token_and_waits_before_asking_again() {
        let (credential, cache) = failing_cache(Duration::minutes(4), 1);
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-0");
        // Inside the refresh margin: the refresh fails, the token is still valid.
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-0");
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-0");
        assert_eq!(
            credential.calls.load(Ordering::SeqCst),
            2,
            "no retry within 30 s"
        );
        // An expired token is not kept.
        let (_, expired) = failing_cache(Duration::seconds(-1), 1);
        assert_eq!(secret(expired.authorization().await.unwrap()), "token-0");
        let error = expired.authorization().await.unwrap_err();
        assert!(
            error.to_string().contains("identity service is down"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_rejected_token_is_forgotten_but_a_newer_one_is_kept() {
        let (credential, cache) = cache(Duration::hours(1));
        let first = cache.authorization().await.unwrap();
        cache.forget(&first).await;
        let second = cache.authorization().await.unwrap();
        assert_eq!(secret(second), "token-1");
        cache.forget(&first).await;
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-1");
        assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
        assert_eq!(
            scope_of("https://x.example/.default"),
            "https://x.example/.default"
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let (credential, cache) = cache(Duration::hours(1));
        let cache = Arc::new(cache);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.authorization().await.unwrap() })
            })
            .collect();
        for task in tasks {
            assert_eq!(secret(task.await.unwrap()), "token-0");
        }
        assert_eq!(credential.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn tokens_close_to_expiry_are_refreshed() {
        let (credential, cache) = cache(Duration::minutes(4));
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-0");
        assert_eq!(secret(cache.authorization().await.unwrap()), "token-1");
        assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn debug_hides_the_static_token() {
        let credential = StaticTokenCredential::new("s3cr3t-token");
        assert!(!format!("{credential:?}").contains("s3cr3t"));
    }
}
