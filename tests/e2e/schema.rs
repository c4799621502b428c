//! The JSON Schema that `procflow schema` prints must accept every file of the
//! bundled example and reject what the loader rejects, so editors using it give
//! the same verdict as `procflow check`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn schema(args: &[&str]) -> serde_json::Value {
    let output = Command::cargo_bin("procflow").expect("binary").arg("schema").args(args).output().expect("runs");
    assert!(output.status.success());
    serde_json::from_slice(&output.stdout).expect("schema is JSON")
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

fn documents(text: &str) -> Vec<serde_json::Value> {
    serde_saphyr::from_multiple::<serde_json::Value>(text).expect("valid YAML")
}

#[test]
fn every_example_model_validates_against_the_schema() {
    let validator = jsonschema::validator_for(&schema(&[])).expect("schema compiles");
    let mut files = Vec::new();
    yaml_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("models"), &mut files);
    assert!(files.len() >= 4);
    let mut documents_checked = 0;
    for file in files {
        for document in documents(&fs::read_to_string(&file).expect("text")) {
            let errors: Vec<String> = validator.iter_errors(&document).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", file.display());
            documents_checked += 1;
        }
    }
    assert!(documents_checked >= 6);
}

#[test]
fn settings_file_validates_against_its_schema() {
    let validator = jsonschema::validator_for(&schema(&["--settings"])).expect("schema compiles");
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("procflow.yaml")).expect("text");
    for document in documents(&text) {
        assert!(validator.is_valid(&document));
    }
}

#[test]
fn schema_rejects_what_the_loader_rejects() {
    let validator = jsonschema::validator_for(&schema(&[])).expect("schema compiles");
    let bad = [
        "roles:\n  - id: a\n    nmae: A\n",
        "workflow:\n  id: w\n  steps:\n    - id: s\n      type: tsak\n",
        "process:\n  id: p\n",
        "colours: [red]\n",
        "workflow:\n  id: w\n  steps:\n    - id: s\n      next: [{to: t, lable: x}]\n",
    ];
    for text in bad {
        for document in documents(text) {
            assert!(!validator.is_valid(&document), "schema accepted:\n{text}");
        }
    }
    let good = "workflow:\n  id: w\n  steps:\n    - id: s\n      lane: a\n      next: [t, {to: u, label: \"yes\", default: true}]\n";
    for document in documents(good) {
        assert!(validator.is_valid(&document), "schema rejected:\n{good}");
    }
}

/// The YAML examples of `docs/model-format.md` that show steps, activities or
/// whole documents fit the schema, so the reference never teaches a key in a
/// place `check` refuses it.
#[test]
fn the_format_reference_examples_fit_the_schema() {
    let schema = schema(&[]);
    let document = jsonschema::validator_for(&schema).expect("schema compiles");
    let step_schema = serde_json::json!({
        "$schema": schema["$schema"],
        "definitions": schema["definitions"],
        "allOf": [{ "$ref": "#/definitions/Step" }]
    });
    let step = jsonschema::validator_for(&step_schema).expect("step schema compiles");
    let text = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/model-format.md")).expect("docs");
    let blocks = text.split("```yaml\n").skip(1).filter_map(|rest| rest.split_once("```").map(|(block, _)| block));
    let mut checked = 0;
    for block in blocks {
        let Ok(value) = serde_saphyr::from_str::<serde_json::Value>(block) else { continue };
        let errors: Vec<String> = match &value {
            serde_json::Value::Array(steps) => {
                steps.iter().flat_map(|s| step.iter_errors(s).map(|e| e.to_string()).collect::<Vec<_>>()).collect()
            }
            serde_json::Value::Object(map) if map.contains_key("activities") => {
                let process =
                    serde_json::json!({ "process": { "id": "p", "name": "P", "activities": map["activities"] } });
                document.iter_errors(&process).map(|e| e.to_string()).collect()
            }
            serde_json::Value::Object(map) if map.contains_key("roles") || map.contains_key("workflow") => {
                document.iter_errors(&value).map(|e| e.to_string()).collect()
            }
            _ => continue,
        };
        assert!(errors.is_empty(), "{block}\n{errors:?}");
        checked += 1;
    }
    assert!(checked >= 5, "{checked} examples checked");
}
