//! Synthetic models for benchmarks: many processes and workflows shaped like
//! real ones (gateways, joins, loops, RACI), written as YAML files.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// Size of a generated model.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub roles: usize,
    pub processes: usize,
    pub activities_per_process: usize,
    pub workflows_per_process: usize,
    pub steps_per_workflow: usize,
}

impl Size {
    /// The benches' model shape: 100 roles, and per process 10 activities and
    /// 4 workflows of 25 steps.
    #[allow(dead_code)] // not every bench that includes this module uses it
    pub fn with_processes(processes: usize) -> Size {
        Size { roles: 100, processes, activities_per_process: 10, workflows_per_process: 4, steps_per_workflow: 25 }
    }

    #[allow(dead_code)] // not every bench that includes this module uses it
    pub fn steps(&self) -> usize {
        self.processes * self.workflows_per_process * self.steps_per_workflow
    }
}

/// Writes the model into `dir/models/`, one file per process with its workflows.
pub fn write_model(dir: &Path, size: Size) -> std::io::Result<()> {
    let models = dir.join("models");
    fs::create_dir_all(&models)?;
    let mut roles = String::from("roles:\n");
    for r in 0..size.roles {
        let _ = writeln!(roles, "  - id: role-{r}\n    name: Role number {r}\n    group: Group {}", r % 7);
    }
    fs::write(models.join("roles.yaml"), roles)?;
    for p in 0..size.processes {
        fs::write(models.join(format!("process-{p:04}.yaml")), process_file(p, size))?;
    }
    Ok(())
}

fn role(size: Size, p: usize, a: usize, shift: usize) -> String {
    format!("role-{}", (p * 3 + a + shift) % size.roles)
}

fn process_file(p: usize, size: Size) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "process:\n  id: process-{p}\n  name: Process {p}\n  owner: {}", role(size, p, 0, 2));
    let _ = writeln!(y, "  purpose: Keep service number {p} running.\n  objectives: [Fast, Cheap]");
    let _ = writeln!(y, "  inputs:\n    - name: Record {p}\n      from: process-{}", (p + 1) % size.processes);
    let _ = writeln!(y, "  kpis:\n    - id: kpi-1\n      name: Time to finish\n      target: \"< 4 h\"");
    let _ = writeln!(y, "  activities:");
    for a in 0..size.activities_per_process {
        let _ = writeln!(
            y,
            "    - id: activity-{a}\n      name: Activity {a} of process {p}\n      raci:\n        R: [{}]\n        A: {}\n        C: [{}]\n        I: [{}]",
            role(size, p, a, 0),
            role(size, p, a, 1),
            role(size, p, a, 2),
            role(size, p, a, 3)
        );
    }
    for w in 0..size.workflows_per_process {
        y.push_str("---\n");
        y.push_str(&workflow(p, w, size));
    }
    y
}

/// A workflow: start, then blocks of (task, task, gateway split into two
/// labelled branches, join), a loop back to the first task, and an end.
fn workflow(p: usize, w: usize, size: Size) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "workflow:\n  id: workflow-{p}-{w}\n  name: Workflow {w} of process {p}\n  steps:");
    let _ = writeln!(y, "    - id: start\n      type: start\n      lane: {}", role(size, p, 0, 0));
    let body = size.steps_per_workflow.saturating_sub(2);
    let mut n = 0;
    let mut activity = w;
    while n < body {
        let a = activity % size.activities_per_process;
        let lane = role(size, p, a, 0);
        let remaining = body - n;
        if remaining >= 5 {
            let _ = writeln!(
                y,
                "    - id: s{n}\n      name: Do step {n} for workflow {w}\n      lane: {lane}\n      realizes: [process-{p}/activity-{a}]\n      instructions: Open the record and follow the checklist."
            );
            let a2 = (activity + 1) % size.activities_per_process;
            let lane2 = role(size, p, a2, 0);
            let _ = writeln!(
                y,
                "    - id: s{}\n      name: Check result {n}\n      lane: {lane2}\n      realizes: [process-{p}/activity-{a2}]",
                n + 1
            );
            let _ = writeln!(
                y,
                "    - id: s{}\n      type: gateway\n      name: OK?\n      next:\n        - to: s{}\n          label: \"yes\"\n        - to: s{}\n          label: \"no\"\n          default: true",
                n + 2,
                n + 3,
                if n == 0 { n + 4 } else { 0 }
            );
            let _ = writeln!(
                y,
                "    - id: s{}\n      name: Record outcome {n}\n      lane: {lane}\n      next: s{}",
                n + 3,
                n + 4
            );
            let _ = writeln!(y, "    - id: s{}\n      type: gateway\n      name: Merge", n + 4);
            n += 5;
            activity += 2;
        } else {
            let _ = writeln!(
                y,
                "    - id: s{n}\n      name: Wrap up {n}\n      lane: {lane}\n      realizes: [process-{p}/activity-{a}]"
            );
            n += 1;
            activity += 1;
        }
    }
    let _ = writeln!(y, "    - id: end\n      type: end");
    y
}

/// Runs `procflow ARGS` to completion; its wall time and peak resident memory
/// (kB, sampled from /proc while it runs).
// Not every bench that includes this module measures a child process.
#[allow(dead_code)]
pub fn run_measured(args: &[&std::ffi::OsStr]) -> (std::time::Duration, u64, bool) {
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_procflow"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("procflow starts");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            for line in status.lines().filter(|l| l.starts_with("VmHWM:")) {
                let kb = line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
                peak_kb = peak_kb.max(kb);
            }
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    (started.elapsed(), peak_kb, status.success())
}
