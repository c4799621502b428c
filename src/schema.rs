//! JSON Schema of the model format, generated from the serde types so it can
//! never drift from what the loader accepts. Editors with yaml-language-server
//! use it for completion and validation.

use schemars::generate::SchemaSettings;

use crate::model::{Document, Settings};

/// The schema of a model file (one document), as pretty-printed JSON.
pub fn model_schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Document>();
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// The schema of `procflow.yaml`.
pub fn settings_schema() -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Settings>();
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
