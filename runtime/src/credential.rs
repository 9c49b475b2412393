//! Access tokens: [`StaticTokenCredential`] for tests and local endpoints, and the cache that
//! reuses a token until shortly before it expires, refreshing it once for all concurrent callers.

use std::fmt;
use std::sync::Arc;

use azure_core::credentials::{AccessToken, Secret, TokenCredential, TokenRequestOptions};
use time::{Duration, OffsetDateTime};
use tokio::sync::Mutex;

use crate::error::{Error, ErrorKind};

/// A token is refreshed this long before it expires.
const REFRESH_MARGIN: Duration = Duration::minutes(5);

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

/// Caches the token of one credential for one scope.
pub(crate) struct TokenCache {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    cached: Mutex<Option<AccessToken>>,
}

impl TokenCache {
    /// A cache for tokens of `credential` for the scope `{endpoint}/.default`.
    pub(crate) fn new(credential: Arc<dyn TokenCredential>, endpoint: &str) -> Self {
        Self {
            credential,
            scope: format!("{}/.default", endpoint.trim_end_matches('/')),
            cached: Mutex::new(None),
        }
    }

    /// A token valid for at least a few more minutes, from the cache or from the credential.
    /// Concurrent callers wait for a single refresh.
    pub(crate) async fn token(&self) -> Result<Secret, Error> {
        let mut cached = self.cached.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some(token) = cached
            .as_ref()
            .filter(|t| t.expires_on - REFRESH_MARGIN > now)
        {
            return Ok(token.token.clone());
        }
        let token = self
            .credential
            .get_token(&[&self.scope], None)
            .await
            .map_err(|error| Error::new(ErrorKind::Credential(error.to_string())))?;
        let secret = token.token.clone();
        *cached = Some(token);
        Ok(secret)
    }
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

    /// Hands out tokens that expire `lifetime` after each call, counting the calls.
    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: Duration,
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
            Ok(AccessToken::new(
                format!("token-{call}"),
                OffsetDateTime::now_utc() + self.lifetime,
            ))
        }
    }

    fn cache(lifetime: Duration) -> (Arc<Counting>, TokenCache) {
        let credential = Arc::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime,
        });
        let cache = TokenCache::new(credential.clone(), "https://management.azure.com/");
        (credential, cache)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_refresh() {
        let (credential, cache) = cache(Duration::hours(1));
        let cache = Arc::new(cache);
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let cache = cache.clone();
                tokio::spawn(async move { cache.token().await.unwrap() })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap().secret(), "token-0");
        }
        assert_eq!(credential.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn tokens_close_to_expiry_are_refreshed() {
        let (credential, cache) = cache(Duration::minutes(4));
        assert_eq!(cache.token().await.unwrap().secret(), "token-0");
        assert_eq!(cache.token().await.unwrap().secret(), "token-1");
        assert_eq!(credential.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn debug_hides_the_static_token() {
        let credential = StaticTokenCredential::new("s3cr3t-token");
        assert!(!format!("{credential:?}").contains("s3cr3t"));
    }
}
