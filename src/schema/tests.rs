use serde_json::{Value, json};

use super::*;

fn model() -> Value {
    serde_json::from_str(&model_schema()).expect("JSON")
}

/// The model schema's validator, compiled once for all tests.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR.get_or_init(|| jsonschema::validator_for(&model()).expect("schema compiles"))
}

/// The messages a validator gives for one YAML document.
fn errors(yaml: &str) -> Vec<String> {
    let document: Value = serde_saphyr::from_str(yaml).expect("YAML");
    validator().iter_errors(&document).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// The one message a validator gives for `yaml` (failing unless there is
/// exactly one), `case` naming the input in the failure.
fn only_error(yaml: &str, case: &str) -> String {
    let errors = errors(yaml);
    assert_eq!(errors.len(), 1, "{case}: {errors:?}");
    errors.into_iter().next().unwrap_or_default()
}

fn workflow(steps: &str) -> String {
    format!("workflow:\n  id: w\n  steps:\n    - id: first\n      lane: agent\n{steps}")
}

/// Every place in a schema, depth first.
fn walk<'a>(value: &'a Value, out: &mut Vec<&'a Value>) {
    out.push(value);
    match value {
        Value::Object(map) => map.values().for_each(|v| walk(v, out)),
        Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
        _ => {}
    }
}

#[test]
fn no_optional_key_is_wrapped_in_any_of() {
    for schema in [model(), serde_json::from_str(&settings_schema()).expect("JSON")] {
        let mut places = Vec::new();
        walk(&schema, &mut places);
        let wrapped: Vec<&&Value> = places.iter().filter(|v| v.get("anyOf").is_some()).collect();
        assert!(wrapped.is_empty(), "{wrapped:?}");
    }
}

#[test]
fn every_step_key_belongs_to_some_type_and_no_type_takes_an_unknown_key() {
    let schema = model();
    let step = &schema["definitions"]["Step"];
    let mut properties: Vec<&str> =
        step["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
    properties.sort_unstable();
    assert_eq!(properties, steps::all_keys());
    assert!(step.get("additionalProperties").is_none(), "each type lists its own keys");
}

#[test]
fn step_kinds_and_triggers_per_type_partition_the_model_enums() {
    let schema = model();
    let step = &schema["definitions"]["Step"]["properties"];
    let values = |key: &str| -> Vec<String> {
        step[key]["enum"].as_array().expect("enum").iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
    };
    let mut kinds: Vec<&str> = steps::TASK_KINDS.iter().chain(steps::GATEWAY_KINDS).copied().collect();
    kinds.sort_unstable();
    let mut model_kinds = values("kind");
    model_kinds.sort_unstable();
    assert_eq!(model_kinds, kinds);
    let mut triggers: Vec<&str> = steps::NON_END_TRIGGERS.iter().copied().chain(["terminate"]).collect();
    triggers.sort_unstable();
    let mut model_triggers = values("trigger");
    model_triggers.sort_unstable();
    assert_eq!(model_triggers, triggers);
}

#[test]
fn a_misspelt_key_is_named_in_the_message() {
    let error = only_error(&workflow("    - id: second\n      nxt: first\n"), "nxt");
    assert!(error.contains("/workflow/steps/1") && error.contains("'nxt' was unexpected"), "{error}");
}

#[test]
fn keys_that_do_not_fit_the_step_type_are_rejected_at_the_key() {
    let cases = [
        ("    - id: t\n      trigger: timer\n", "'trigger' was unexpected"),
        ("    - id: t\n      kind: parallel\n", "/workflow/steps/1/kind"),
        ("    - id: g\n      type: gateway\n      kind: user\n", "/workflow/steps/1/kind"),
        ("    - id: s\n      type: start\n      trigger: terminate\n", "/workflow/steps/1/trigger"),
        ("    - id: e\n      type: end\n      next: first\n", "'next' was unexpected"),
        ("    - id: e\n      type: event\n      kind: none\n", "'kind' was unexpected"),
        ("    - id: t\n      calls: other\n", "'calls' was unexpected"),
        ("    - id: p\n      type: subprocess\n      trigger: message\n", "'trigger' was unexpected"),
    ];
    for (steps, expected) in cases {
        let error = only_error(&workflow(steps), steps);
        assert!(error.contains(expected), "{steps}: {error}");
    }
}

#[test]
fn keys_that_fit_the_step_type_are_accepted() {
    let steps = "    - id: g\n      type: gateway\n      kind: parallel\n      next: [t, e]\n\
                 \x20   - id: t\n      kind: user\n      next: p\n\
                 \x20   - id: p\n      type: subprocess\n      calls: other\n\
                 \x20   - id: w\n      type: event\n      trigger: timer\n\
                 \x20   - id: e\n      type: end\n      trigger: terminate\n";
    assert_eq!(errors(&workflow(steps)), Vec::<String>::new());
}

#[test]
fn ids_follow_the_checker_rule() {
    for bad in ["Agent", "it.support", "answer request", "-x", &"a".repeat(65)] {
        let error = only_error(&format!("roles:\n  - id: \"{bad}\"\n"), bad);
        assert!(error.starts_with("/roles/0/id:") && error.contains("does not match"), "{error}");
    }
    for good in ["agent", "2nd-line", "a_1", "2024"] {
        assert_eq!(errors(&format!("roles:\n  - id: {good}\n")), Vec::<String>::new(), "{good}");
    }
}

#[test]
fn an_activity_has_exactly_one_accountable_and_some_responsible_role() {
    let activity =
        |raci: &str| format!("process:\n  id: p\n  name: P\n  activities:\n    - id: a\n      raci: {raci}\n");
    for good in ["{R: a, A: b}", "{R: [a, c], A: [b], C: [], I: ~}"] {
        assert_eq!(errors(&activity(good)), Vec::<String>::new(), "{good}");
    }
    let bad = [
        ("{R: a, A: [b, c]}", "/process/activities/0/raci/A"),
        ("{R: a}", "\"A\" is a required property"),
        ("{R: [], A: b}", "/process/activities/0/raci/R"),
        ("{R: a, A: ~}", "/process/activities/0/raci/A"),
    ];
    for (raci, expected) in bad {
        let error = only_error(&activity(raci), raci);
        assert!(error.contains(expected), "{raci}: {error}");
    }
    let errors = errors("process:\n  id: p\n  name: P\n  activities:\n    - id: a\n");
    assert!(errors.len() == 1 && errors[0].contains("\"raci\" is a required property"), "{errors:?}");
}

#[test]
fn the_first_step_needs_a_lane_and_later_ones_do_not() {
    let errors = errors("workflow:\n  id: w\n  steps:\n    - id: a\n    - id: b\n");
    assert!(
        errors.len() == 1 && errors[0].contains("/workflow/steps/0") && errors[0].contains("\"lane\""),
        "{errors:?}"
    );
}

#[test]
fn plain_numbers_and_empty_values_are_accepted_where_the_loader_accepts_them() {
    let text = "process:\n  id: p\n  name: 2024\n  owner: ~\n  objectives: ~\n  kpis:\n    - id: k\n      target: 80\n      frequency: 12\n  activities:\n    - id: a\n      raci: {R: [2], A: b}\n";
    assert_eq!(errors(text), Vec::<String>::new());
    assert_eq!(errors(""), Vec::<String>::new(), "an empty document only gets a warning from check");
    assert_eq!(errors(&workflow("    - id: t\n      type: ~\n      kind: ~\n      next: ~\n")), Vec::<String>::new());
}

#[test]
fn settings_take_numbers_as_text_and_refuse_unknown_keys() {
    let settings: Value = serde_json::from_str(&settings_schema()).expect("JSON");
    let validator = jsonschema::validator_for(&settings).expect("compiles");
    assert!(validator.is_valid(&json!({ "title": 2026, "formats": ["svg", "bpmn"] })));
    let errors: Vec<String> = validator.iter_errors(&json!({ "ouput": "site" })).map(|e| e.to_string()).collect();
    assert!(errors.len() == 1 && errors[0].contains("'ouput' was unexpected"), "{errors:?}");
}

#[test]
fn a_duration_belongs_to_an_intermediate_timer_and_is_iso_8601() {
    let timer = "    - id: t\n      type: event\n      trigger: timer\n      duration: ";
    for good in ["PT4H", "P2D", "P1DT12H", "PT30M", "P2W", "P1Y2M"] {
        assert_eq!(errors(&workflow(&format!("{timer}{good}\n"))), Vec::<String>::new(), "{good}");
    }
    for bad in ["4 hours", "PT", "P1DT", "P", "PT1.5H", "P1H"] {
        let error = only_error(&workflow(&format!("{timer}\"{bad}\"\n")), bad);
        assert!(error.starts_with("/workflow/steps/1/duration:"), "{bad}: {error}");
    }
    let cases = [
        ("    - id: t\n      duration: PT4H\n", "'duration' was unexpected"),
        ("    - id: t\n      type: start\n      trigger: timer\n      duration: PT4H\n", "'duration' was unexpected"),
        ("    - id: t\n      type: event\n      trigger: message\n      duration: PT4H\n", "/workflow/steps/1/trigger"),
        ("    - id: t\n      type: event\n      duration: PT4H\n", "\"trigger\" is a required property"),
    ];
    for (steps, expected) in cases {
        let error = only_error(&workflow(steps), steps);
        assert!(error.contains(expected), "{steps}: {error}");
    }
}
