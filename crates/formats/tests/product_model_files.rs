//! Reading product-model files: errors name file, line and field; TOML and JSON agree.

use zuji_formats::product_model::{ModelFormat, parse_product_model, to_json};
use zuji_model::validate::validate;

const GOOD: &str = r#"[product]
name = { zh = "样品", en = "sample" }
category = "test"
declared_unit = { amount = 1, unit = "kg" }
boundary = "cradle-to-gate"
reference_period = "2025"
geography = "CN"

[parameters]
x = 2

[[process]]
id = "a"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "steel", amount = "x", unit = "kg" },
  { dataset = "electricity", amount = 1, unit = "kg" },
]
"#;

#[test]
fn a_syntax_error_names_the_line() {
    let bad = GOOD.replace("stage = \"production\"", "stage = production");
    let e = parse_product_model(&bad, ModelFormat::Toml, "m.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("m.toml:14:"), "{e}");
}

#[test]
fn an_unknown_field_is_refused_with_its_line() {
    let bad = GOOD.replace(
        "geography = \"CN\"",
        "geography = \"CN\"\ngeograpy = \"CN-GD\"",
    );
    let e = parse_product_model(&bad, ModelFormat::Toml, "m.toml")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("m.toml:8:") && e.contains("geograpy"), "{e}");
}

#[test]
fn a_bad_stage_or_gas_is_named() {
    let bad = GOOD.replace("stage = \"production\"", "stage = \"manufacture\"");
    let e = parse_product_model(&bad, ModelFormat::Toml, "m.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("manufacture") && e.contains("m.toml:14"), "{e}");
    let bad = format!(
        "{GOOD}emissions = [ {{ gas = \"H2O\", origin = \"fossil\", amount = 1, unit = \"kg\" }} ]\n"
    );
    let e = parse_product_model(&bad, ModelFormat::Toml, "m.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown gas 'H2O'"), "{e}");
}

#[test]
fn validation_errors_point_at_the_line_of_the_field() {
    let text = GOOD.replace("x = 2", "x = \"y + 1\"\ny = \"x * 2\"");
    let loaded = parse_product_model(&text, ModelFormat::Toml, "m.toml").unwrap();
    let errors = validate(&loaded.model);
    let msg = loaded.describe(&errors[0]);
    assert!(
        msg.starts_with("m.toml:10: parameters.x:") && msg.contains("cycle"),
        "{msg}"
    );
    // The second input (line 19, after the added parameter line) is named by its position and line.
    let e = zuji_model::validate::ModelError::new(
        zuji_model::FieldPath::root()
            .key("process")
            .index(0)
            .key("inputs")
            .index(1)
            .key("unit"),
        "cannot convert",
    );
    assert!(
        loaded
            .describe(&e)
            .starts_with("m.toml:19: process[0].inputs[1].unit"),
        "{}",
        loaded.describe(&e)
    );
}

#[test]
fn toml_and_json_read_the_same_model() {
    let from_toml = parse_product_model(GOOD, ModelFormat::Toml, "m.toml")
        .unwrap()
        .model;
    let json = to_json(&from_toml);
    let from_json = parse_product_model(&json, ModelFormat::Json, "m.json")
        .unwrap()
        .model;
    assert_eq!(from_toml, from_json);
    let bad = json.replacen("\"kg\"", "42", 1);
    let e = parse_product_model(&bad, ModelFormat::Json, "m.json")
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("m.json:"), "{e}");
}

mod no_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        #[test]
        fn random_text_never_panics_the_readers(s in "\\PC{0,400}") {
            let _ = parse_product_model(&s, ModelFormat::Toml, "x.toml");
            let _ = parse_product_model(&s, ModelFormat::Json, "x.json");
        }

        #[test]
        fn mutated_models_never_panic_validation(cut in 0usize..600, insert in "[ -~]{0,12}") {
            let mut text = GOOD.to_string();
            let at = text.floor_char_boundary(cut.min(text.len()));
            text.insert_str(at, &insert);
            if let Ok(loaded) = parse_product_model(&text, ModelFormat::Toml, "x.toml") {
                for e in validate(&loaded.model) {
                    let _ = loaded.describe(&e);
                }
            }
        }

        #[test]
        fn random_formulas_never_panic(s in "[a-z0-9+*/^(),.<>=!&| -]{0,40}") {
            if let Ok(e) = zuji_model::formula::Expr::parse(&s) {
                let _ = e.eval(&|_| Some(1.5));
            }
        }
    }
}
