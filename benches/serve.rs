//! Edit-to-reload latency of `procflow serve` on the 50,000-step synthetic
//! model (500 processes, 2,000 workflows; SVG and BPMN downloads): the time
//! from writing one model file to the reload event for the edited workflow's
//! page, and to the end of the rebuild (summary pages current), over 20 edits;
//! beside it, the time of a clean `procflow build` of the same model.
//! Run with `cargo bench --bench serve`; figures go to stdout.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{Size, write_model};

const EDITS: usize = 20;

fn main() {
    let size = Size::with_processes(500);
    let dir = tempfile::tempdir().expect("tempdir");
    write_model(dir.path(), size).expect("model written");
    std::fs::write(dir.path().join("procflow.yaml"), "formats: [svg, bpmn]\n").expect("settings");
    let exe = env!("CARGO_BIN_EXE_procflow");

    let started = Instant::now();
    let status = Command::new(exe)
        .args(["build", "--quiet", "-o"])
        .arg(dir.path().join("clean"))
        .arg(dir.path())
        .status()
        .expect("build runs");
    assert!(status.success(), "the generated model builds");
    let full_build = started.elapsed();

    let started = Instant::now();
    let mut server = Command::new(exe)
        .args(["serve", "--port", "0"])
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    // "rebuilt in …" on standard error marks the end of each rebuild.
    let stderr = BufReader::new(server.stderr.take().expect("stderr"));
    let (done_sender, rebuilt) = mpsc::channel::<Instant>();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            if line.starts_with("rebuilt in") && done_sender.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    let mut line = String::new();
    BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut line).expect("address");
    let first_serve = started.elapsed();
    let address = line.trim().trim_start_matches("serving http://").trim_end_matches('/').to_string();

    let mut stream = TcpStream::connect(&address).expect("connect");
    write!(stream, "GET /__procflow/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let (sender, events) = mpsc::channel::<(Instant, String)>();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ")
                && sender.send((Instant::now(), data.to_string())).is_err()
            {
                return;
            }
        }
    });
    events.recv_timeout(Duration::from_secs(10)).expect("hello");

    let mut to_page = Vec::new();
    let mut to_all = Vec::new();
    for edit in 0..EDITS {
        let process = edit * 17 % size.processes;
        let path = dir.path().join(format!("models/process-{process:04}.yaml"));
        let text = std::fs::read_to_string(&path).expect("model file");
        let page = format!("workflows/workflow-{process}-0.html");
        let edited = text.replacen("name: Do step 0 for workflow 0", &format!("name: Do step 0, edit {edit}"), 1);
        assert_ne!(edited, text, "the edit changes the file");
        let saved = Instant::now();
        std::fs::write(&path, edited).expect("save");
        let (reloaded, data) = events.recv_timeout(Duration::from_secs(30)).expect("first reload event");
        assert!(data.contains(&page), "the first event names the edited page: {data}");
        // The first build's line, then one per edit.
        let complete = loop {
            let done = rebuilt.recv_timeout(Duration::from_secs(30)).expect("rebuild finished");
            if done > saved {
                break done;
            }
        };
        to_page.push(reloaded - saved);
        to_all.push(complete - saved);
        std::thread::sleep(Duration::from_millis(100));
        // Summary pages that changed send a second event.
        while events.try_recv().is_ok() {}
    }
    let _ = server.kill();
    let _ = server.wait();

    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let summary = |times: &mut Vec<Duration>| {
        times.sort();
        format!(
            "median {:.0} ms (min {:.0}, max {:.0})",
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        )
    };
    println!(
        "model: {} steps, {} workflows, {} processes, {} files",
        size.steps(),
        size.processes * 4,
        size.processes,
        size.processes + 1
    );
    println!("clean build (procflow build):            {:.2} s", full_build.as_secs_f64());
    println!("serve, first build until served:         {:.2} s", first_serve.as_secs_f64());
    println!("save → reload event for the edited page: {} over {EDITS} edits", summary(&mut to_page));
    println!("save → every page current:               {} over {EDITS} edits", summary(&mut to_all));
}
