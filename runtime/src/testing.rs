//! A recording stub HTTP server on loopback, for tests of generated clients and of user code
//! (feature `testing`). Each request is recorded and answered by a closure; nothing leaves the
//! machine.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use arm_runtime::testing::{Reply, StubServer};
//! let server = StubServer::start(|request, _base| {
//!     if request.path().ends_with("/missing") { Reply::status(404) } else { Reply::json(200, &serde_json::json!({})) }
//! })
//! .await?;
//! // point a client at `server.base()`, then inspect `server.requests()`
//! # Ok(()) }
//! ```

use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET`, `PUT`, ...
    pub method: String,
    /// Path and query exactly as sent.
    pub target: String,
    /// Headers with lower-case names, in order.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl Recorded {
    /// The first header named `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path, without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }

    /// The body as JSON (`null` when empty or not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Reply {
    /// An empty reply with `status`.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// A JSON reply.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self {
            body: value.to_string().into_bytes(),
            ..Self::status(status)
        }
        .header("content-type", "application/json")
    }

    /// The reply with one more header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Handler = dyn Fn(&Recorded, &str) -> Reply + Send + Sync;

/// A running stub server; it stops with the Tokio runtime that started it.
pub struct StubServer {
    base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl StubServer {
    /// Starts a server on 127.0.0.1; `handler` gets each request and the server's base URL.
    pub async fn start(
        handler: impl Fn(&Recorded, &str) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        Self::start_on("127.0.0.1", handler).await
    }

    /// Starts a server on the loopback address `ip` (e.g. `127.0.0.2`, another "host").
    pub async fn start_on(
        ip: &str,
        handler: impl Fn(&Recorded, &str) -> Reply + Send + Sync + 'static,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind((ip, 0)).await?;
        let base = format!("http://{}", listener.local_addr()?);
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (log, url) = (requests.clone(), base.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, url, handler) = (log.clone(), url.clone(), handler.clone());
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut reader = BufReader::new(read);
                    let Some(request) = read_request(&mut reader).await else {
                        return;
                    };
                    log.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(request.clone());
                    let reply = handler(&request, &url);
                    let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
                    for (name, value) in &reply.headers {
                        head.push_str(&format!("{name}: {value}\r\n"));
                    }
                    head.push_str(&format!(
                        "content-length: {}\r\nconnection: close\r\n\r\n",
                        reply.body.len()
                    ));
                    let _ = write.write_all(head.as_bytes()).await;
                    let _ = write.write_all(&reply.body).await;
                    let _ = write.shutdown().await;
                });
            }
        });
        Ok(Self { base, requests })
    }

    /// `http://127.0.0.x:port`
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

async fn read_request(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line).await.ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await.ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}
