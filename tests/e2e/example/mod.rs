//! The bundled example project copied into a temporary folder, and a
//! `procflow serve` process over it. Shared by the tests that edit models
//! (`incremental.rs`, `serve.rs`, `live_reload.rs`); each uses a part.
#![allow(dead_code)]

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// `models/` and `procflow.yaml` in a temporary folder, without PNG
/// downloads (slow to rasterise unoptimised, and not what these tests are
/// about).
pub fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate::common::copy_tree(&manifest.join("models"), &dir.path().join("models"));
    let settings = fs::read_to_string(manifest.join("procflow.yaml")).expect("settings");
    fs::write(dir.path().join("procflow.yaml"), settings.replace("formats: [svg, png, bpmn]", "formats: [svg, bpmn]"))
        .expect("write");
    dir
}

/// Replaces the first `from` in a file, which must hold it.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} holds {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// A `procflow serve` process; killed when dropped, so also when a test fails.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
}

impl Server {
    /// Starts `procflow serve --port 0 DIR` and waits until it serves.
    pub fn start(dir: &Path, stderr: Stdio) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_procflow"))
            .args(["serve", "--port", "0"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("procflow serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("first line");
        let address = line.trim().strip_prefix("serving http://").and_then(|rest| rest.strip_suffix('/'));
        let address = address.and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("unexpected first line {line:?}"));
        Server { child, address }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
