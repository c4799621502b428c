// Checks BPMN files with the bpmn.io tool chain, for tests/e2e/bpmn.rs:
//   node check.mjs FILE.bpmn...
// For each file, bpmn-moddle's fromXML warnings (unresolved references,
// unknown elements or attributes) and bpmnlint's findings with the
// `bpmnlint:recommended` rules. Prints one JSON object per line:
//   {"file": "...", "warnings": ["..."], "lint": [{"rule", "id", "category", "message"}]}
// and a readable summary on stderr. Exits 0 when every file was read, 2 on
// a usage or read error; judging the findings is the Rust test's job.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const { Linter } = require('bpmnlint');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE.bpmn...');
  process.exit(2);
}

const linter = new Linter({
  config: { extends: 'bpmnlint:recommended' },
  resolver: new NodeResolver()
});

for (const file of files) {
  let xml;
  try {
    xml = await readFile(file, 'utf8');
  } catch (error) {
    console.error(`${file}: ${error.message}`);
    process.exit(2);
  }
  const result = { file, warnings: [], lint: [] };
  let definitions;
  try {
    const parsed = await new BpmnModdle().fromXML(xml);
    definitions = parsed.rootElement;
    result.warnings = (parsed.warnings || []).map((w) => w.message.split('\n')[0]);
  } catch (error) {
    result.warnings = [`parse error: ${error.message.split('\n')[0]}`];
  }
  if (definitions) {
    const reports = await linter.lint(definitions);
    for (const [rule, findings] of Object.entries(reports)) {
      for (const f of findings) {
        result.lint.push({ rule, id: f.id || '', category: f.category, message: f.message });
      }
    }
  }
  console.log(JSON.stringify(result));
  for (const w of result.warnings) {
    console.error(`${file}: bpmn-moddle warning: ${w}`);
  }
  for (const l of result.lint) {
    console.error(`${file}: bpmnlint ${l.category} ${l.rule} ${l.id}: ${l.message}`);
  }
}
