//! `procflow serve`: the site served from memory while its models are edited,
//! with every open page reloading itself when its content changes.
//!
//! The server (axum on a single-threaded tokio runtime) answers GET and HEAD
//! from the in-memory site: nothing is read from disk, so no request can reach
//! a file outside the site — paths with `.`/`..` segments (also
//! percent-encoded), backslashes or NUL answer 404 before any lookup. HTML
//! pages get one script tag injected on the way out (the `build` output never
//! contains it); the script listens to `/__procflow/events` (server-sent
//! events), reloads the page when its own file or the theme changed (keeping
//! the scroll position), and shows the diagnostics over the page while the
//! models have errors. Rebuilds run on the calling thread (see
//! [`crate::watch`]) and swap files into the shared map.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use crate::site::SiteDelta;
use crate::watch::{Outcome, Rebuilder, Watch};

/// Where the injected script and the event stream live; no site path starts
/// with `__`.
const LIVE_SCRIPT: &str = "/__procflow/live.js";
const EVENTS: &str = "/__procflow/events";

/// The state pages and event streams are served from.
#[derive(Debug, Default)]
struct Served {
    files: HashMap<String, Bytes>,
    /// The errors (JSON, as `check --format json`) while the models have
    /// errors; `None` when the site is current.
    problems: Option<String>,
}

/// What the server shares with the rebuild loop.
#[derive(Debug, Clone)]
pub struct Shared {
    served: Arc<Mutex<Served>>,
    events: broadcast::Sender<Message>,
}

/// One server-sent event.
#[derive(Debug, Clone)]
struct Message {
    name: &'static str,
    data: String,
}

impl Default for Shared {
    fn default() -> Self {
        Shared { served: Arc::default(), events: broadcast::channel(64).0 }
    }
}

impl Shared {
    fn served(&self) -> std::sync::MutexGuard<'_, Served> {
        self.served.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Swaps the files of `delta` in and tells the pages which paths changed.
    /// Returns how many did (files whose bytes are equal do not count).
    pub fn apply(&self, delta: SiteDelta) -> usize {
        let mut changed = Vec::new();
        {
            let mut served = self.served();
            for file in delta.files {
                if served.files.get(&file.path).is_some_and(|old| old[..] == file.bytes[..]) {
                    continue;
                }
                changed.push(file.path.clone());
                served.files.insert(file.path, Bytes::from(file.bytes));
            }
            for path in delta.removed {
                if served.files.remove(&path).is_some() {
                    changed.push(path);
                }
            }
        }
        if !changed.is_empty() {
            let data = serde_json::json!({ "changed": changed }).to_string();
            let _ = self.events.send(Message { name: "reload", data });
        }
        changed.len()
    }

    /// Records the outcome of a rebuild: errors are shown over every open
    /// page until a rebuild succeeds.
    pub fn set_problems(&self, problems: Option<String>) {
        let had = std::mem::replace(&mut self.served().problems, problems.clone());
        let message = match problems {
            Some(data) => Message { name: "problems", data },
            None if had.is_some() => Message { name: "clear", data: "{}".into() },
            None => return,
        };
        let _ = self.events.send(message);
    }
}

/// Options of `procflow serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub address: SocketAddr,
    /// Colour in the terminal reports.
    pub color: bool,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {address}: {source}")]
    Bind { address: SocketAddr, source: std::io::Error },
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Watch(#[from] crate::watch::WatchError),
    #[error(transparent)]
    Rebuild(#[from] crate::watch::RebuildError),
}

/// Builds the project in `root`, serves it on `options.address` and rebuilds
/// on every change until the process ends. `ready` is called with the bound
/// address once the first build is served; `log` receives the lines for the
/// terminal (rebuild summaries and diagnostics).
pub fn run(
    root: &Path,
    options: &ServeOptions,
    ready: impl FnOnce(SocketAddr),
    log: &dyn Fn(&str),
) -> Result<(), ServeError> {
    let shared = Shared::default();
    let listener = std::net::TcpListener::bind(options.address)
        .map_err(|source| ServeError::Bind { address: options.address, source })?;
    let address = listener.local_addr().map_err(ServeError::Runtime)?;
    listener.set_nonblocking(true).map_err(ServeError::Runtime)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(ServeError::Runtime)?;
    let server_state = shared.clone();
    let server = std::thread::Builder::new()
        .name("procflow-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                axum::serve(listener, router(server_state)).await
            })
        })
        .map_err(ServeError::Runtime)?;

    let watch = Watch::new(root)?;
    let mut rebuilder = Rebuilder::new(root);
    let mut terminal = Terminal { color: options.color, log, last_warnings: String::new() };
    rebuild_and_report(&mut rebuilder, &shared, &HashSet::new(), &mut terminal)?;
    ready(address);
    let mut failure = None;
    watch.run(|touched| match rebuild_and_report(&mut rebuilder, &shared, &touched, &mut terminal) {
        Ok(()) => true,
        Err(err) => {
            failure = Some(err);
            false
        }
    });
    if let Some(err) = failure {
        return Err(err);
    }
    server.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)).map_err(ServeError::Runtime)
}

/// Where rebuild reports go.
struct Terminal<'a> {
    color: bool,
    log: &'a dyn Fn(&str),
    /// The warnings last printed: a long list is printed again only when it
    /// changes, not after every save.
    last_warnings: String,
}

/// One rebuild: publishes the site or the problems and writes the terminal
/// lines.
fn rebuild_and_report(
    rebuilder: &mut Rebuilder,
    shared: &Shared,
    touched: &HashSet<PathBuf>,
    terminal: &mut Terminal,
) -> Result<(), ServeError> {
    let started = std::time::Instant::now();
    let mut changed = 0;
    // Only a model without errors publishes: the overlay goes before the
    // pages reload.
    let outcome = rebuilder.rebuild(touched, terminal.color, &mut |delta| {
        shared.set_problems(None);
        changed += shared.apply(delta);
    })?;
    match outcome {
        Outcome::Built { report, .. } => {
            if report != terminal.last_warnings {
                (terminal.log)(&report);
                terminal.last_warnings = report;
            }
            (terminal.log)(&format!(
                "rebuilt in {:.0} ms: {changed} file{} changed\n",
                started.elapsed().as_secs_f64() * 1000.0,
                if changed == 1 { "" } else { "s" }
            ));
        }
        Outcome::Rejected { report, json } => {
            shared.set_problems(Some(json));
            (terminal.log)(&report);
            (terminal.log)("the models have errors: still serving the last good site\n");
            // After the errors are fixed, the warnings are worth showing again.
            terminal.last_warnings.clear();
        }
    }
    Ok(())
}

fn router(shared: Shared) -> axum::Router {
    axum::Router::new()
        .route(EVENTS, axum::routing::get(events))
        .route(LIVE_SCRIPT, axum::routing::get(live_script))
        .fallback(axum::routing::get(page))
        .layer(axum::middleware::from_fn(only_direct_hosts))
        .with_state(shared)
}

/// Answers only requests addressed to this machine by an IP address or a
/// `localhost` name. A page on another site can make a browser resolve its
/// own domain name to 127.0.0.1 (DNS rebinding) and then read the preview as
/// same-origin; its requests carry that domain in `Host`, so they get 421.
async fn only_direct_hosts(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    if host.is_some_and(is_direct_host) {
        return next.run(request).await;
    }
    let body = "This preview answers only requests to an IP address or localhost (for example \
                http://127.0.0.1:PORT/), so that other web sites cannot read it.\n";
    respond(StatusCode::MISDIRECTED_REQUEST, "text/plain; charset=utf-8", Bytes::from_static(body.as_bytes()))
}

/// Whether a `Host` header names this machine directly: an IPv4 or bracketed
/// IPv6 address, `localhost` or a name under `.localhost` (which resolve to
/// loopback without asking DNS), with or without a port.
fn is_direct_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => return v6.split_once(']').is_some_and(|(ip, _)| ip.parse::<std::net::Ipv6Addr>().is_ok()),
        None => {
            host.rsplit_once(':').map_or(host, |(name, port)| if port.parse::<u16>().is_ok() { name } else { host })
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

/// A site file, with the live-reload script injected into HTML.
async fn page(State(shared): State<Shared>, uri: Uri) -> Response {
    let Some(path) = site_path(uri.path()) else {
        return not_found();
    };
    let Some(bytes) = shared.served().files.get(&path).cloned() else {
        return not_found();
    };
    let content_type = content_type(&path);
    let body = if content_type.starts_with("text/html") { inject_live_script(&bytes) } else { bytes };
    respond(StatusCode::OK, content_type, body)
}

fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// The 404 page carries the live-reload script too: while the models have
/// errors before a first good build, every page is missing, and this page
/// shows the errors and turns into the real page once they are fixed.
fn not_found() -> Response {
    let body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                <body><h1>Not found</h1><p>No such page in this site. <a href=\"/index.html\">Home</a></p></body></html>";
    respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", inject_live_script(body.as_bytes()))
}

/// The site path of a request path, or `None` for anything that is not a
/// plain relative path: `.`/`..` segments (also as `%2e`), empty segments,
/// backslashes, NUL, and bytes that do not decode as UTF-8.
fn site_path(request: &str) -> Option<String> {
    let decoded = percent_decode(request)?;
    let relative = decoded.strip_prefix('/')?;
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    let plain = relative.split('/').all(|segment| !matches!(segment, "" | "." | ".."));
    (plain && !relative.contains(['\\', '\0'])).then_some(relative)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map_or("", |(_, extension)| extension) {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "bpmn" => "application/xml",
        "otf" => "font/otf",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn inject_live_script(html: &[u8]) -> Bytes {
    let tag = format!("<script src=\"{LIVE_SCRIPT}\"></script>");
    let at = html.windows(7).rposition(|w| w == b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    Bytes::from(out)
}

async fn live_script() -> Response {
    respond(StatusCode::OK, "text/javascript; charset=utf-8", Bytes::from_static(LIVE_JS.as_bytes()))
}

static LIVE_JS: &str = include_str!("../templates/assets/live.js");

/// The event stream: the current problems (if any) at once, then every
/// reload, problems and clear event; keep-alive comments every 15 s.
async fn events(State(shared): State<Shared>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let current = shared.served().problems.clone();
    let first = stream::iter(current.map(|data| Ok(Event::default().event("problems").data(data))));
    let hello = stream::once(async { Ok(Event::default().event("hello").data("{}")) });
    let updates = stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(message) => return Some((Ok(Event::default().event(message.name).data(message.data)), receiver)),
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(hello.chain(first).chain(updates)).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_rebinding_hosts_are_refused() {
        for direct in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "app.localhost:1", "[::1]:8000", "10.0.0.5"] {
            assert!(is_direct_host(direct), "{direct}");
        }
        for foreign in ["evil.example:8000", "127.0.0.1.evil.example", "localhost.evil.example", "[::1", "", "x:y:z"] {
            assert!(!is_direct_host(foreign), "{foreign}");
        }
    }

    #[test]
    fn only_plain_relative_paths_reach_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(site_path("/workflows/a.html").as_deref(), Some("workflows/a.html"));
        assert_eq!(site_path("/roles/service%20desk.html").as_deref(), Some("roles/service desk.html"));
        for hostile in [
            "/../etc/passwd",
            "/workflows/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "//etc/passwd",
            "/./index.html",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/index.html%00",
            "/%ff",
            "/%zz",
            "etc/passwd",
        ] {
            assert_eq!(site_path(hostile), None, "{hostile}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></body></html>";
        let out = inject_live_script(html);
        assert_eq!(&out[..], b"<html><body><p>x</p><script src=\"/__procflow/live.js\"></script></body></html>");
    }

    #[test]
    fn applying_a_delta_counts_only_real_changes() {
        use crate::site::SiteFile;
        let shared = Shared::default();
        let mut events = shared.events.subscribe();
        let file = |path: &str, text: &str| SiteFile { path: path.into(), bytes: text.as_bytes().to_vec() };
        assert_eq!(
            shared.apply(SiteDelta { files: vec![file("a.html", "1"), file("b.html", "1")], removed: vec![] }),
            2
        );
        assert_eq!(
            shared.apply(SiteDelta { files: vec![file("a.html", "1"), file("b.html", "2")], removed: vec![] }),
            1
        );
        assert_eq!(shared.apply(SiteDelta { files: vec![], removed: vec!["a.html".into()] }), 1);
        let names: Vec<String> = std::iter::from_fn(|| events.try_recv().ok()).map(|m| m.data).collect();
        assert_eq!(
            names,
            [r#"{"changed":["a.html","b.html"]}"#, r#"{"changed":["b.html"]}"#, r#"{"changed":["a.html"]}"#]
        );
    }
}
