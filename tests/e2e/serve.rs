//! `procflow serve` end to end: a real server on an ephemeral port over a copy
//! of the example, spoken to with raw HTTP/1.1 so that hostile request lines
//! reach it unaltered; `build --watch` updating a folder in place.

use crate::example;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use example::{Server, edit, example_copy};

/// Status, headers (lower-case names) and body of one request sent verbatim.
fn request(address: SocketAddr, request_line: &str) -> (u16, String, Vec<u8>) {
    request_to(address, request_line, "localhost")
}

/// [`request`] with this `Host` header.
fn request_to(address: SocketAddr, request_line: &str, host: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(stream, "{request_line}\r\nHost: {host}\r\nConnection: close\r\n\r\n").expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("response");
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("header end");
    let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
    (status, head, response[split + 4..].to_vec())
}

fn get(address: SocketAddr, path: &str) -> (u16, String, String) {
    let (status, head, body) = request(address, &format!("GET {path} HTTP/1.1"));
    (status, head, String::from_utf8_lossy(&body).into_owned())
}

/// Server-sent events as (event, data) pairs, read on a thread.
fn subscribe(address: SocketAddr) -> mpsc::Receiver<(String, String)> {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(stream, "GET /__procflow/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut event, mut data) = (String::new(), Vec::new());
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            // Other lines: HTTP headers, chunk sizes, keep-alive comments.
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(part) = line.strip_prefix("data: ") {
                data.push(part.to_string());
            } else if line.is_empty() && !data.is_empty() {
                if sender.send((std::mem::take(&mut event), data.join("\n"))).is_err() {
                    return;
                }
                data.clear();
            }
        }
    });
    receiver
}

/// Waits for an event with this name, skipping others.
fn wait_for(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match events.recv_timeout(left) {
            Ok((event, data)) if event == name => return data,
            Ok(_) => continue,
            Err(_) => panic!("no {name} event within 30 s"),
        }
    }
}

#[test]
fn serves_rebuilds_reloads_and_survives_bad_saves() {
    let dir = example_copy();
    let server = Server::start(dir.path(), Stdio::null());
    let address = server.address;

    let (status, head, body) = get(address, "/");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("<script src=\"/__procflow/live.js\"></script></body>"), "reload script injected");
    let (status, head, _) = get(address, "/workflows/incident-handling.svg");
    assert_eq!(status, 200);
    assert!(head.contains("content-type: image/svg+xml"), "{head}");
    assert!(!get(address, "/workflows/incident-handling.svg").2.contains("live.js"), "only HTML gets the script");
    let (status, _, script) = get(address, "/__procflow/live.js");
    assert_eq!(status, 200);
    assert!(script.contains("EventSource"));

    // An edit: the open page hears which files changed, the new SVG is served.
    let events = subscribe(address);
    wait_for(&events, "hello");
    let workflow = dir.path().join("models/incident/workflow.yaml");
    edit(&workflow, "name: Identify incident", "name: Identify the incident");
    let changed = wait_for(&events, "reload");
    assert!(changed.contains("workflows/incident-handling.svg"), "{changed}");
    assert!(get(address, "/workflows/incident-handling.svg").2.contains("Identify the"));

    // A broken save: the old page is still served, the pages get the errors.
    let good = fs::read_to_string(&workflow).expect("read");
    fs::write(&workflow, good.replace("  steps:\n", "  steps: [\n")).expect("write");
    let problems = wait_for(&events, "problems");
    assert!(problems.contains("models/incident/workflow.yaml"), "{problems}");
    assert!(problems.contains("\"line\""), "{problems}");
    let (status, _, page) = get(address, "/workflows/incident-handling.html");
    assert_eq!(status, 200);
    assert!(page.contains("Identify the incident"), "the last good page");
    // A page opened now gets the errors at once.
    let late = subscribe(address);
    assert!(wait_for(&late, "problems").contains("models/incident/workflow.yaml"));

    // The fix clears the errors and publishes the new content.
    fs::write(&workflow, good.replace("name: Identify the incident", "name: Identify incidents")).expect("write");
    wait_for(&events, "clear");
    let changed = wait_for(&events, "reload");
    assert!(changed.contains("workflows/incident-handling.html"), "{changed}");
    assert!(get(address, "/workflows/incident-handling.html").2.contains("Identify incidents"));
}

#[test]
fn serve_keeps_serving_after_a_save_whose_diagram_is_too_large_for_a_png() {
    let dir = example_copy();
    fs::write(dir.path().join("procflow.yaml"), "formats: [svg, png]\n").expect("settings");
    let server = Server::start(dir.path(), Stdio::null());
    let address = server.address;
    let events = subscribe(address);
    wait_for(&events, "hello");
    // A valid model whose diagram is far wider than any PNG: 1,000 tasks in a row.
    let mut yaml = String::from(
        "workflow:\n  id: endless\n  name: Endless\n  steps:\n    - id: start\n      type: start\n      lane: service-desk-agent\n",
    );
    for i in 0..1000 {
        yaml.push_str(&format!("    - id: task-{i}\n      name: Task {i}\n"));
    }
    yaml.push_str("    - id: end\n      type: end\n");
    fs::write(dir.path().join("models/endless.yaml"), yaml).expect("save");
    let changed = wait_for(&events, "reload");
    assert!(changed.contains("workflows/endless.html"), "{changed}");
    let (status, _, page) = get(address, "/workflows/endless.html");
    assert_eq!(status, 200, "still serving");
    assert!(page.contains("png-download"), "the page offers a PNG made in the browser");
    assert_eq!(get(address, "/workflows/incident-handling.html").0, 200);
}

#[test]
fn a_project_broken_from_the_start_shows_its_errors_then_its_site() {
    let dir = example_copy();
    let workflow = dir.path().join("models/incident/workflow.yaml");
    let good = fs::read_to_string(&workflow).expect("read");
    fs::write(&workflow, good.replace("  steps:\n", "  steps: [\n")).expect("write");
    let server = Server::start(dir.path(), Stdio::null());
    let (status, _, body) = get(server.address, "/index.html");
    assert_eq!(status, 404, "no good build yet");
    assert!(body.contains("/__procflow/live.js"), "the 404 page reloads itself and shows the errors");
    let events = subscribe(server.address);
    assert!(wait_for(&events, "problems").contains("models/incident/workflow.yaml"));
    fs::write(&workflow, good).expect("write");
    wait_for(&events, "clear");
    // The entity pages come first, the summary pages (the home page) second.
    while !wait_for(&events, "reload").contains("\"index.html\"") {}
    assert_eq!(get(server.address, "/index.html").0, 200);
}

#[test]
fn answers_only_get_and_head_for_site_files() {
    let dir = example_copy();
    // A file beside the site, and a link out of the output folder: neither is
    // ever served (the site is served from memory).
    fs::write(dir.path().join("secret.txt"), "secret").expect("write");
    fs::create_dir_all(dir.path().join("output")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", dir.path().join("output/passwd")).expect("symlink");
    let server = Server::start(dir.path(), Stdio::null());
    let address = server.address;

    for hostile in [
        "/../secret.txt",
        "/workflows/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/workflows/%2e%2e/%2e%2e/secret.txt",
        "/..%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/passwd",
        "/output/passwd",
        "/index.html%00.txt",
        "/%ff",
        "http://localhost/../secret.txt",
        "/workflows/",
        "/procflow.yaml",
        "/models/roles.yaml",
    ] {
        let (status, head, body) = request(address, &format!("GET {hostile} HTTP/1.1"));
        assert!(status == 404 || status == 400, "{hostile}: {status}");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("secret") && !body.contains("root:"), "{hostile} leaked: {body}");
        if status == 404 {
            assert!(head.contains("text/html"), "a 404 page: {head}");
        }
    }
    let (status, head, body) = request(address, "HEAD /index.html HTTP/1.1");
    assert_eq!(status, 200);
    assert!(head.contains("content-length:"), "{head}");
    assert!(body.is_empty(), "HEAD has no body");
    for method in ["POST", "PUT", "DELETE"] {
        let (status, _, _) = request(address, &format!("{method} /index.html HTTP/1.1"));
        assert_eq!(status, 405, "{method}");
    }
    for (path, expected) in [
        ("/assets/style.css", "text/css"),
        ("/assets/search.js", "text/javascript"),
        ("/assets/fonts/Inter-Regular.otf", "font/otf"),
        ("/workflows/incident-handling.bpmn", "application/xml"),
    ] {
        let (status, head, _) = get(address, path);
        assert_eq!(status, 200, "{path}");
        assert!(head.contains(&format!("content-type: {expected}")), "{path}: {head}");
    }

    // Clients that hang up mid-response do not disturb the server.
    for _ in 0..20 {
        let mut stream = TcpStream::connect(address).expect("connect");
        write!(stream, "GET /assets/fonts/Inter-Regular.otf HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        let mut first = [0; 64];
        let _ = stream.read(&mut first);
        drop(stream);
    }
    let _ = TcpStream::connect(address).map(|mut s| s.write_all(b"GET /index.ht"));
    assert_eq!(get(address, "/index.html").0, 200);

    // DNS rebinding: a foreign name resolved to 127.0.0.1 is not answered.
    for host in ["attacker.example", &format!("attacker.example:{}", address.port())] {
        for path in ["/index.html", "/__procflow/events"] {
            let (status, _, body) = request_to(address, &format!("GET {path} HTTP/1.1"), host);
            assert_eq!(status, 421, "{host} {path}");
            assert!(!String::from_utf8_lossy(&body).contains("<html"), "no page for {host}");
        }
    }
    assert_eq!(request_to(address, "GET /index.html HTTP/1.1", &address.to_string()).0, 200);
}

#[test]
fn build_watch_rewrites_changed_files_in_place() {
    let dir = example_copy();
    let out = dir.path().join("site");
    let mut child = Command::new(env!("CARGO_BIN_EXE_procflow"))
        .args(["build", "--watch", "-o"])
        .arg(&out)
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("build --watch starts");
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let (sender, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let wait_line = |prefix: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = lines.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("a line");
            if line.starts_with(prefix) {
                return line;
            }
        }
    };
    wait_line("built");
    // Regression: build --watch said nothing once built, and looked hung.
    wait_line("watching");
    let page = out.join("roles/supplier.html");
    let untouched = fs::metadata(out.join("kpis.html")).and_then(|m| m.modified()).expect("time");
    assert!(fs::read_to_string(&page).expect("page").contains("External Supplier Support"));
    assert!(!fs::read_to_string(out.join("index.html")).expect("page").contains("live.js"), "no reload script on disk");

    edit(&dir.path().join("models/roles.yaml"), "name: External Supplier Support", "name: Outside supplier");
    let line = wait_line("rebuilt");
    assert!(fs::read_to_string(&page).expect("page").contains("Outside supplier"), "{line}");
    let modified = fs::metadata(out.join("kpis.html")).and_then(|m| m.modified()).expect("time");
    assert_eq!(modified, untouched, "files whose bytes did not change are not rewritten");
    let _ = child.kill();
    let _ = child.wait();
}
