#!/usr/bin/env bash
# Compares procflow's swimlane layout with Graphviz dot (lanes as clusters) on
# the same generated workflows: time and edge crossings, in one run.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v dot >/dev/null 2>&1; then
  apt-get install -y graphviz >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y graphviz >/dev/null; }
fi
cargo bench --bench layout
