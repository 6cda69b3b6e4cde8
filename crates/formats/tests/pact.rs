//! PACT export and import: schema validity (checked against the schemas in
//! `shared/pact/` at test time), golden files, the official example, round trips,
//! supplier use in a model, and error paths.

use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use zuji_calc::{FootprintOptions, FootprintResult, compute_footprint};
use zuji_formats::default_db::{default_database, gwp_table};
use zuji_formats::pact::{
    PactError, PactExportOptions, PactVersion, SectorRule, export_product_footprint,
    format_decimal, import_product_footprint, import_product_footprints, parse_decimal,
};
use zuji_formats::product_model::{ModelFormat, parse_product_model, read_product_model};
use zuji_model::DataQuality;
use zuji_model::product::ProductModel;

// ---------------------------------------------------------------------------------
// A purpose-built JSON-schema checker. It implements every keyword the two PACT schema
// files use (a test below fails if a file gains one it does not know), with `format`
// enforced for date-time, uuid, urn and decimal (the v3.0.3 Decimal pattern).

fn shared_pact() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pact");
    assert!(
        p.is_dir(),
        "{} is missing: the PACT schemas live in shared/ beside the repository",
        p.display()
    );
    p
}

fn load(rel: &str) -> Value {
    let p = shared_pact().join(rel);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const V3_SCHEMA: &str = "json-schema/pact-v3-productfootprint.schema.json";
const V2_SCHEMA: &str = "json-schema/pact-v2-productfootprint.sine.schema.json";

/// Keywords that constrain and are implemented below.
const ASSERTIONS: &[&str] = &[
    "$ref",
    "type",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "pattern",
    "format",
    "minLength",
    "minItems",
    "uniqueItems",
    "minimum",
    "maximum",
    "oneOf",
    "anyOf",
    "allOf",
    "not",
];
/// Keywords that only annotate.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "title",
    "description",
    "examples",
    "deprecated",
    "$defs",
    "definitions",
];

fn re(p: &str) -> regex::Regex {
    regex::Regex::new(p).unwrap_or_else(|e| panic!("schema pattern {p}: {e}"))
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("unknown type {other}"),
    }
}

fn format_ok(f: &str, s: &str) -> bool {
    match f {
        "date-time" => {
            re(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
                .is_match(s)
        }
        "uuid" => re(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$").is_match(s),
        "urn" => re(r"^[uU][rR][nN]:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+$").is_match(s),
        "decimal" => re(r"^[+-]?\d+(\.\d+)?$").is_match(s),
        "uri" => re(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$").is_match(s),
        _ => true, // int32, double, float: annotations on numbers
    }
}

fn violations(root: &Value, schema: &Value, v: &Value, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let s = match schema {
        Value::Bool(true) => return out,
        Value::Bool(false) => return vec![format!("{path}: not allowed")],
        Value::Object(s) => s,
        _ => panic!("schema at {path} is not an object"),
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = root
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("unresolved $ref {r}"));
        out.extend(violations(root, target, v, path));
    }
    if let Some(t) = s.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(|t| type_ok(t, v)),
            _ => panic!("bad type keyword"),
        };
        if !ok {
            out.push(format!("{path}: expected type {t}, got {v}"));
            return out;
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        out.push(format!("{path}: {v} not in enum"));
    }
    if let Value::String(text) = v {
        if let Some(p) = s.get("pattern").and_then(Value::as_str)
            && !re(p).is_match(text)
        {
            out.push(format!("{path}: {text:?} does not match {p}"));
        }
        if let Some(f) = s.get("format").and_then(Value::as_str)
            && !format_ok(f, text)
        {
            out.push(format!("{path}: {text:?} is not a {f}"));
        }
        if let Some(n) = s.get("minLength").and_then(Value::as_u64)
            && (text.chars().count() as u64) < n
        {
            out.push(format!("{path}: shorter than {n}"));
        }
    }
    if let Some(x) = v.as_f64() {
        if let Some(m) = s.get("minimum").and_then(Value::as_f64)
            && x < m
        {
            out.push(format!("{path}: {x} < minimum {m}"));
        }
        if let Some(m) = s.get("maximum").and_then(Value::as_f64)
            && x > m
        {
            out.push(format!("{path}: {x} > maximum {m}"));
        }
    }
    if let Value::Array(items) = v {
        if let Some(n) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < n
        {
            out.push(format!("{path}: fewer than {n} items"));
        }
        if s.get("uniqueItems") == Some(&Value::Bool(true)) {
            for (i, a) in items.iter().enumerate() {
                if items[..i].contains(a) {
                    out.push(format!("{path}[{i}]: duplicate"));
                }
            }
        }
        if let Some(is) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                out.extend(violations(root, is, item, &format!("{path}[{i}]")));
            }
        }
    }
    if let Value::Object(obj) = v {
        if let Some(req) = s.get("required").and_then(Value::as_array) {
            for k in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(k) {
                    out.push(format!("{path}.{k}: required"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => out.extend(violations(root, ps, val, &format!("{path}.{k}"))),
                None => {
                    if let Some(ap) = s.get("additionalProperties") {
                        out.extend(violations(root, ap, val, &format!("{path}.{k}")));
                    }
                }
            }
        }
    }
    let passes = |sub: &Value| violations(root, sub, v, path).is_empty();
    if let Some(subs) = s.get("oneOf").and_then(Value::as_array) {
        let n = subs.iter().filter(|x| passes(x)).count();
        if n != 1 {
            out.push(format!("{path}: matches {n} of oneOf, not exactly 1"));
        }
    }
    if let Some(subs) = s.get("anyOf").and_then(Value::as_array)
        && !subs.iter().any(passes)
    {
        out.push(format!("{path}: matches none of anyOf"));
    }
    if let Some(subs) = s.get("allOf").and_then(Value::as_array) {
        for sub in subs {
            out.extend(violations(root, sub, v, path));
        }
    }
    if let Some(n) = s.get("not")
        && passes(n)
    {
        out.push(format!("{path}: matches a 'not' schema"));
    }
    out
}

fn schema_errors(schema_file: &str, doc: &Value) -> Vec<String> {
    let schema = load(schema_file);
    violations(&schema, &schema, doc, "$")
}

fn assert_valid(schema_file: &str, doc: &Value) {
    let errors = schema_errors(schema_file, doc);
    assert!(
        errors.is_empty(),
        "not valid against {schema_file}:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(doc).unwrap_or_default()
    );
}

/// Every keyword used where a schema is expected.
fn keywords(schema: &Value, out: &mut Vec<String>) {
    let Value::Object(s) = schema else { return };
    for (k, v) in s {
        out.push(k.clone());
        match k.as_str() {
            "properties" | "$defs" | "definitions" => {
                for sub in v.as_object().into_iter().flat_map(|m| m.values()) {
                    keywords(sub, out);
                }
            }
            "items" | "not" | "additionalProperties" => keywords(v, out),
            "oneOf" | "anyOf" | "allOf" => {
                for sub in v.as_array().into_iter().flatten() {
                    keywords(sub, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_checker_knows_every_keyword_of_both_schemas() {
    for file in [V3_SCHEMA, V2_SCHEMA] {
        let mut ks = Vec::new();
        keywords(&load(file), &mut ks);
        for k in ks {
            assert!(
                ASSERTIONS.contains(&k.as_str()) || ANNOTATIONS.contains(&k.as_str()),
                "{file}: keyword {k} is not implemented by the test's checker"
            );
        }
    }
}

#[test]
fn the_checker_accepts_the_official_example_and_catches_breakage() {
    let list = load("examples/example-v3-list-footprints-response.json");
    for pf in list["data"].as_array().expect("data") {
        assert_valid(V3_SCHEMA, pf);
    }
    let mut bad = list["data"][0].clone();
    bad["pcf"]["declaredUnitAmount"] = json!(1);
    bad["pcf"]["geographyCountrySubdivision"] = json!("DE-BY");
    bad["pcf"]
        .as_object_mut()
        .expect("pcf")
        .remove("fossilGhgEmissions");
    bad["pcf"]["ipccCharacterizationFactors"] = json!(["AR6", "AR6"]);
    bad["id"] = json!("not-a-uuid");
    bad["pcf"]["pcfIncludingBiogenicUptake"] = json!("1.5e3");
    let e = schema_errors(V3_SCHEMA, &bad).join("\n");
    for needle in [
        "$.pcf.declaredUnitAmount: expected type",
        "$.pcf: matches 0 of oneOf",
        "$.pcf.fossilGhgEmissions: required",
        "$.pcf.ipccCharacterizationFactors[1]: duplicate",
        "$.id: \"not-a-uuid\" is not a uuid",
        "$.pcf.pcfIncludingBiogenicUptake: \"1.5e3\" is not a decimal",
    ] {
        assert!(e.contains(needle), "missing {needle:?} in:\n{e}");
    }
}

// ---------------------------------------------------------------------------------
// Computing the footprints to export.

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn compute(model: &ProductModel) -> FootprintResult {
    let db = default_database().expect("default database");
    let gwp = gwp_table("ar6").expect("ar6");
    let opts = FootprintOptions {
        sensitivity_step: None,
        ..FootprintOptions::default()
    };
    compute_footprint(model, &[db], &gwp, &opts, None).expect("footprint")
}

fn example(name: &str) -> (ProductModel, FootprintResult) {
    let m = read_product_model(&examples().join(name))
        .expect("example")
        .model;
    let r = compute(&m);
    (m, r)
}

const CREATED: &str = "2026-01-15T08:00:00Z";

fn options(version: PactVersion) -> PactExportOptions {
    let mut o = PactExportOptions::new(
        version,
        "Zuji Demo Manufacturing Co., Ltd.",
        &["urn:uuid:0f8fad5b-d9cb-469f-a165-70867728950e"],
        CREATED,
    );
    o.fossil_carbon_content = Some(0.0);
    o.biogenic_carbon_content = Some(0.0);
    o.exempted_emissions_percent = Some(0.0);
    o.packaging_emissions_included = Some(false);
    o.product_category_cpc = Some("41211".into());
    o
}

fn pv_options(version: PactVersion) -> PactExportOptions {
    let mut o = options(version);
    o.product_ids = vec!["urn:pact:sample.com:product-id:pv-module-m2".into()];
    o.product_mass_per_declared_unit = Some(12.70761);
    o.product_or_sector_rules.push(SectorRule {
        operator: "Other".into(),
        other_operator_name: Some("Guangdong Cleaner Production Association".into()),
        rule_names: vec!["T/GDCPA 013—2023".into()],
    });
    o.id = Some("urn:uuid:6e2b0b5c-2a43-4b8e-9d3a-3c1f0e9a7b11".into());
    o
}

fn steel_options(version: PactVersion) -> PactExportOptions {
    let mut o = options(version);
    o.product_ids = vec!["urn:pact:sample.com:product-id:hrc".into()];
    o.product_or_sector_rules.push(SectorRule {
        operator: "Other".into(),
        other_operator_name: Some("Zuji".into()),
        rule_names: vec!["zuji:pcr:steel-hot-rolled-coil:draft".into()],
    });
    o.id = Some("1b4e28ba-2fa1-41d2-883f-0016d3cca427".into());
    o
}

fn tshirt_options(version: PactVersion) -> PactExportOptions {
    let mut o = options(version);
    o.product_ids = vec!["urn:pact:sample.com:product-id:tshirt".into()];
    o.product_mass_per_declared_unit = Some(0.17);
    o.product_or_sector_rules.push(SectorRule {
        operator: "Other".into(),
        other_operator_name: Some("Zuji".into()),
        rule_names: vec!["zuji:pcr:apparel:draft".into()],
    });
    o
}

fn dec(v: &Value) -> f64 {
    parse_decimal(v.as_str().unwrap_or_else(|| panic!("{v} is not a string"))).expect("decimal")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

#[test]
fn pv_module_exports_valid_v3_and_v2_3() {
    let (m, r) = example("pv-module.toml");
    let v3 = export_product_footprint(&m, &r, &pv_options(PactVersion::V3)).expect("v3");
    assert_valid(V3_SCHEMA, &v3);
    let pcf = &v3["pcf"];
    assert_eq!(pcf["declaredUnitOfMeasurement"], "square meter");
    assert_eq!(pcf["declaredUnitAmount"], "1");
    assert!(close(dec(&pcf["pcfIncludingBiogenicUptake"]), r.total));
    assert!(close(
        dec(&pcf["aircraftGhgEmissions"]),
        r.by_origin.aircraft
    ));
    assert!(r.by_origin.aircraft > 0.0, "silver paste is flown in");
    assert!(close(
        dec(&pcf["primaryDataShare"]),
        r.primary_data_share * 100.0
    ));
    assert_eq!(pcf["geographyCountry"], "CN");
    assert_eq!(pcf["referencePeriodStart"], "2024-01-01T00:00:00Z");
    assert_eq!(pcf["referencePeriodEnd"], "2025-01-01T00:00:00Z");
    assert_eq!(pcf["ipccCharacterizationFactors"], json!(["AR6"]));
    assert!(pcf["dqi"]["technologicalDQR"].is_string());
    assert_eq!(v3["id"], "6e2b0b5c-2a43-4b8e-9d3a-3c1f0e9a7b11");

    let v2 = export_product_footprint(&m, &r, &pv_options(PactVersion::V2_3)).expect("v2.3");
    assert_valid(V2_SCHEMA, &v2);
    assert_eq!(v2["pcf"]["declaredUnit"], "square meter");
    assert!(close(dec(&v2["pcf"]["pCfIncludingBiogenic"]), r.total));
    assert!(v2["pcf"]["primaryDataShare"].is_number());
    assert!(
        v2["pcf"].get("dqi").is_none(),
        "v2 DQRs are on 1–3: not exported"
    );
}

#[test]
fn steel_coil_per_tonne_is_1000_kilogram() {
    let (m, r) = example("hot-rolled-steel-coil.toml");
    let v3 = export_product_footprint(&m, &r, &steel_options(PactVersion::V3)).expect("v3");
    assert_valid(V3_SCHEMA, &v3);
    assert_eq!(v3["pcf"]["declaredUnitOfMeasurement"], "kilogram");
    assert_eq!(v3["pcf"]["declaredUnitAmount"], "1000");
    assert_eq!(v3["pcf"]["productMassPerDeclaredUnit"], "1000");
    // v3: per declared unit as a whole (per 1000 kg) …
    assert!(close(
        dec(&v3["pcf"]["pcfIncludingBiogenicUptake"]),
        r.total
    ));
    let v2 = export_product_footprint(&m, &r, &steel_options(PactVersion::V2_3)).expect("v2");
    assert_valid(V2_SCHEMA, &v2);
    // … v2: per one declaredUnit (per kg), with unitaryProductAmount 1000.
    assert_eq!(v2["pcf"]["unitaryProductAmount"], "1000");
    assert!(close(
        dec(&v2["pcf"]["pCfIncludingBiogenic"]),
        r.total / 1000.0
    ));
    assert_eq!(v2["pcf"]["productMassPerDeclaredUnit"], "1");
}

#[test]
fn a_tshirt_is_a_piece_in_v3_and_per_kilogram_in_v2_3() {
    let (m, r) = example("cotton-tshirt.toml");
    assert!(r.by_origin.biogenic_removals < 0.0);
    let v3 = export_product_footprint(&m, &r, &tshirt_options(PactVersion::V3)).expect("v3");
    assert_valid(V3_SCHEMA, &v3);
    assert_eq!(v3["pcf"]["declaredUnitOfMeasurement"], "piece");
    assert!(close(
        dec(&v3["pcf"]["pcfExcludingBiogenicUptake"]),
        r.total - r.by_origin.biogenic_removals
    ));
    assert!(close(
        dec(&v3["pcf"]["biogenicCO2Uptake"]),
        r.by_origin.biogenic_removals
    ));
    let v2 = export_product_footprint(&m, &r, &tshirt_options(PactVersion::V2_3)).expect("v2");
    assert_valid(V2_SCHEMA, &v2);
    assert_eq!(v2["pcf"]["declaredUnit"], "kilogram");
    assert_eq!(v2["pcf"]["unitaryProductAmount"], "0.17");
    assert!(close(
        dec(&v2["pcf"]["pCfIncludingBiogenic"]),
        r.total / 0.17
    ));

    // Without the garment's mass v2.3 cannot express a piece, and says so.
    let mut o = tshirt_options(PactVersion::V2_3);
    o.product_mass_per_declared_unit = None;
    let e = export_product_footprint(&m, &r, &o)
        .expect_err("piece in v2")
        .to_string();
    assert!(
        e.contains("'piece'") && e.contains("product_mass_per_declared_unit"),
        "{e}"
    );
}

// A hand-made model whose PACT values are derived by hand.
const HAND: &str = r#"[product]
name = { zh = "手算样品", en = "Hand sample" }
category = "test"
declared_unit = { amount = 1, unit = "t" }
boundary = "cradle-to-gate"
reference_period = "2024-07/2025-06"
geography = "CN-GD"

[[process]]
id = "plant"
stage = "production"
output = { amount = 1, unit = "t" }
primary = true
emissions = [
  { gas = "CO2", origin = "fossil", amount = 2000, unit = "kg", quality = { TeR = 1, GeR = 2, TiR = 3, P = 2 } },
  { gas = "CO2", origin = "biogenic-removal", amount = 500, unit = "kg" },
  { gas = "CO2", origin = "biogenic", amount = 300, unit = "kg" },
]
"#;

fn hand() -> (ProductModel, FootprintResult) {
    let m = parse_product_model(HAND, ModelFormat::Toml, "hand.toml")
        .expect("hand model")
        .model;
    let r = compute(&m);
    (m, r)
}

#[test]
fn hand_derived_biogenic_split_and_scaling() {
    let (m, r) = hand();
    // total = 2000 − 500 + 300 = 1800 kg CO2e per t
    assert!(close(r.total, 1800.0), "{}", r.total);
    let mut o = options(PactVersion::V3);
    o.product_ids = vec!["urn:pact:sample.com:product-id:hand".into()];
    let v3 = export_product_footprint(&m, &r, &o).expect("v3");
    assert_valid(V3_SCHEMA, &v3);
    let p = &v3["pcf"];
    assert_eq!(p["pcfIncludingBiogenicUptake"], "1800");
    assert_eq!(p["pcfExcludingBiogenicUptake"], "2300"); // 1800 − (−500)
    assert_eq!(p["biogenicCO2Uptake"], "-500");
    assert_eq!(p["fossilGhgEmissions"], "2000");
    assert_eq!(p["geographyCountrySubdivision"], "CN-GD");
    assert!(p.get("geographyCountry").is_none());
    assert_eq!(p["referencePeriodStart"], "2024-07-01T00:00:00Z");
    assert_eq!(p["referencePeriodEnd"], "2025-07-01T00:00:00Z");
    assert_eq!(p["primaryDataShare"], "100");
    // Only the fossil CO2 is rated: TeR 1, GeR 2, TiR 3.
    assert_eq!(
        p["dqi"],
        json!({"technologicalDQR": "1", "geographicalDQR": "2", "temporalDQR": "3"})
    );

    o.version = PactVersion::V2_3;
    let v2 = export_product_footprint(&m, &r, &o).expect("v2");
    assert_valid(V2_SCHEMA, &v2);
    let p = &v2["pcf"];
    // per kg: 1800/1000; excluding biogenic CO2 emissions and withdrawal: (1800 + 500 − 300)/1000
    assert_eq!(p["pCfIncludingBiogenic"], "1.8");
    assert_eq!(p["pCfExcludingBiogenic"], "2");
    assert_eq!(p["biogenicCarbonWithdrawal"], "-0.5");
    assert_eq!(p["otherBiogenicGhgEmissions"], "0.3");
    assert_eq!(p["primaryDataShare"], json!(100.0));
    assert_eq!(v2["version"], 1);

    // The default id is derived from the fingerprint: stable, a version-8 UUID.
    let a = export_product_footprint(&m, &r, &o).expect("again");
    assert_eq!(a["id"], v2["id"]);
    let id = v2["id"].as_str().expect("id");
    assert_eq!(&id[14..15], "8", "{id}");
}

// ---------------------------------------------------------------------------------
// Golden files.

fn golden(name: &str, doc: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/pact")
        .join(name);
    let text = serde_json::to_string_pretty(doc).expect("json") + "\n";
    if std::env::var_os("ZUJI_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, &text).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with ZUJI_BLESS=1 to write it)",
            path.display()
        )
    });
    assert_eq!(
        text,
        want,
        "{} differs (ZUJI_BLESS=1 rewrites it)",
        path.display()
    );
}

#[test]
fn golden_files() {
    let (m, r) = example("pv-module.toml");
    golden(
        "pv-module.v3.json",
        &export_product_footprint(&m, &r, &pv_options(PactVersion::V3)).expect("pv v3"),
    );
    let (m, r) = example("hot-rolled-steel-coil.toml");
    golden(
        "hot-rolled-steel-coil.v2.3.json",
        &export_product_footprint(&m, &r, &steel_options(PactVersion::V2_3)).expect("steel v2"),
    );
    let (m, r) = hand();
    let mut o = options(PactVersion::V3);
    o.product_ids = vec!["urn:pact:sample.com:product-id:hand".into()];
    golden(
        "hand.v3.json",
        &export_product_footprint(&m, &r, &o).expect("hand"),
    );
}

/// Issue 5: GB/T 24067 is named among the product or sector rules with operator Other
/// (PACT has no cross-sectoral code for it), beside the model's own PCR, in both versions.
#[test]
fn gb_t_24067_is_named_beside_the_models_pcr() {
    let (m, r) = example("pv-module.toml");
    for version in [PactVersion::V3, PactVersion::V2_3] {
        let doc = export_product_footprint(&m, &r, &pv_options(version)).expect("export");
        let rules = doc["pcf"]["productOrSectorSpecificRules"]
            .as_array()
            .expect("rules");
        let names: Vec<&str> = rules
            .iter()
            .flat_map(|r| r["ruleNames"].as_array().unwrap())
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["GB/T 24067-2024", "T/GDCPA 013—2023"],
            "{version:?}"
        );
        assert_eq!(rules[0]["operator"], "Other");
        assert!(
            rules[0]["otherOperatorName"]
                .as_str()
                .unwrap()
                .contains("Standardization Administration of China")
        );
    }
}

// ---------------------------------------------------------------------------------
// Import.

fn example_list() -> String {
    let p = shared_pact().join("examples/example-v3-list-footprints-response.json");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn imports_the_official_v3_example() {
    let all = import_product_footprints(&example_list()).expect("import");
    assert_eq!(all.len(), 2);
    let a = &all[0];
    assert_eq!(a.id, "3a6c14a7-4deb-498a-b5ea-16ce2535b576");
    assert_eq!(a.spec_version, "3.0.0");
    assert_eq!(a.version, PactVersion::V3);
    assert_eq!(a.company_name, "Demo Corp");
    assert_eq!(a.product_name, "Demo");
    assert_eq!(a.product_ids, vec!["urn:gtin:4712345060507".to_string()]);
    assert_eq!(a.declared_unit, "kg");
    assert_eq!(a.declared_unit_amount, 1.0);
    assert_eq!(a.pcf_per_unit, 1.5);
    assert_eq!(a.fossil_ghg_per_unit, Some(1.5));
    assert_eq!(
        a.primary_data_share, None,
        "the example gives no primaryDataShare"
    );
    assert_eq!(a.dqr, None);
    assert_eq!(a.geography.as_deref(), Some("DE"));
    assert_eq!(a.raw_status, "Active");
    assert!(!a.deprecated);
    assert_eq!(all[1].geography.as_deref(), Some("CN"));
    assert_eq!(all[1].id, "4b7d25b8-5efc-4a9b-86fb-27df3646c687");
    let s = a.to_supplier_footprint();
    assert_eq!(s.id, "urn:uuid:3a6c14a7-4deb-498a-b5ea-16ce2535b576");
    assert_eq!((s.pcf, s.unit.as_str()), (1.5, "kg"));
}

#[test]
fn round_trips_our_exports() {
    let (m, r) = example("hot-rolled-steel-coil.toml");
    for version in [PactVersion::V3, PactVersion::V2_3] {
        let doc = export_product_footprint(&m, &r, &steel_options(version)).expect("export");
        let back = import_product_footprint(&doc.to_string()).expect("import");
        assert_eq!(back.declared_unit, "kg");
        // per kg × 1000 kg = the total per t
        assert!(close(back.pcf_per_unit * 1000.0, r.total), "{version:?}");
        assert!(close(
            back.primary_data_share.expect("pds"),
            r.primary_data_share
        ));
        assert_eq!(back.id, "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
        assert_eq!(back.version, version);
    }
    let (m, r) = example("pv-module.toml");
    let doc = export_product_footprint(&m, &r, &pv_options(PactVersion::V3)).expect("export");
    let back = import_product_footprint(&doc.to_string()).expect("import");
    assert_eq!(back.declared_unit, "m2");
    assert!(close(back.pcf_per_unit, r.total));
    let Some(DataQuality::Dqr { ter, ger, tir, p }) = back.dqr else {
        panic!("dqr: {:?}", back.dqr)
    };
    assert!(close(p, (ter + ger + tir) / 3.0));
    assert!(back.warnings.iter().any(|w| w.contains("precision")));
}

#[test]
fn an_imported_footprint_is_a_supplier_input() {
    let list = example_list();
    let supplier = import_product_footprints(&list).expect("import")[0].to_supplier_footprint();
    let model_text = r#"[product]
name = { zh = "组装件", en = "Assembly" }
category = "test"
declared_unit = { amount = 1, unit = "piece" }
boundary = "cradle-to-gate"
reference_period = "2025"
geography = "CN"

[[process]]
id = "assembly"
stage = "production"
output = { amount = 1, unit = "piece" }
"#;
    let mut m = parse_product_model(model_text, ModelFormat::Toml, "a.toml")
        .expect("model")
        .model;
    let input: zuji_model::product::InputSpec = serde_json::from_value(json!({
        "supplier": serde_json::to_value(&supplier).expect("supplier json"),
        "amount": 2500,
        "unit": "g",
        "stage": "raw-material-acquisition",
    }))
    .expect("input");
    m.processes[0].inputs.push(input);
    let r = compute(&m);
    // 2500 g = 2.5 kg × 1.5 kg CO2e/kg = 3.75 kg CO2e
    assert!(close(r.total, 3.75), "{}", r.total);
    let item = &r.items[0];
    assert_eq!(
        item.what,
        "supplier urn:uuid:3a6c14a7-4deb-498a-b5ea-16ce2535b576"
    );
    assert!(close(item.value, 3.75));

    // Our own steel export, imported per kg, feeds 2 t into a model: 2 × total per t.
    let (sm, sr) = example("hot-rolled-steel-coil.toml");
    let doc = export_product_footprint(&sm, &sr, &steel_options(PactVersion::V3)).expect("exp");
    let steel = import_product_footprint(&doc.to_string())
        .expect("imp")
        .to_supplier_footprint();
    m.processes[0].inputs[0] = serde_json::from_value(json!({
        "supplier": serde_json::to_value(&steel).expect("json"),
        "amount": 2,
        "unit": "t",
    }))
    .expect("input");
    let r2 = compute(&m);
    assert!(
        close(r2.total, 2.0 * sr.total),
        "{} vs 2 × {}",
        r2.total,
        sr.total
    );
}

fn example_pf() -> Value {
    let list: Value = serde_json::from_str(&example_list()).expect("json");
    list["data"][0].clone()
}

fn import_err(doc: &Value) -> String {
    import_product_footprint(&doc.to_string())
        .expect_err("should fail")
        .to_string()
}

#[test]
fn errors_name_the_path() {
    let mut doc = example_pf();
    doc.as_object_mut().expect("obj").remove("pcf");
    assert_eq!(import_err(&doc), "$.pcf: missing (required by PACT v3)");

    let mut doc = example_pf();
    doc["pcf"]["pcfIncludingBiogenicUptake"] = json!(1.5);
    let e = import_err(&doc);
    assert!(
        e.starts_with("$.pcf.pcfIncludingBiogenicUptake: expected a decimal string"),
        "{e}"
    );

    let mut doc = example_pf();
    doc["pcf"]["declaredUnitAmount"] = json!("1e3");
    assert!(import_err(&doc).starts_with("$.pcf.declaredUnitAmount: \"1e3\" is not a decimal"));

    let mut doc = example_pf();
    doc["pcf"]["declaredUnitOfMeasurement"] = json!("megabit second");
    let e = import_err(&doc);
    assert!(
        e.starts_with("$.pcf.declaredUnitOfMeasurement: unit \"megabit second\""),
        "{e}"
    );

    let mut doc = example_pf();
    doc["pcf"]["declaredUnitOfMeasurement"] = json!("furlong");
    assert!(import_err(&doc).contains("furlong"));

    let mut doc = example_pf();
    doc["specVersion"] = json!("1.0.0");
    assert!(matches!(
        import_product_footprint(&doc.to_string()),
        Err(PactError::UnsupportedVersion(_))
    ));

    let mut list: Value = serde_json::from_str(&example_list()).expect("json");
    list["data"][1]["companyIds"] = json!(["urn:a", 7]);
    let e = import_product_footprints(&list.to_string())
        .expect_err("bad")
        .to_string();
    assert_eq!(
        e,
        "$.data[1].companyIds[1]: expected a string, found the number 7"
    );
}

/// Removes each property a schema requires, one at a time: import refuses and names it.
fn each_required_is_enforced(schema_file: &str, doc: &Value, version: &str) {
    let schema = load(schema_file);
    let pcf_schema = if schema_file == V3_SCHEMA {
        &schema["$defs"]["CarbonFootprint"]
    } else {
        &schema["definitions"]["CarbonFootprint"]
    };
    let names = |s: &Value| -> Vec<String> {
        s["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|k| k.as_str().map(String::from))
            .collect()
    };
    let mut checked = 0;
    for (in_pcf, keys) in [(false, names(&schema)), (true, names(pcf_schema))] {
        for k in keys {
            let mut d = doc.clone();
            let obj = if in_pcf { &mut d["pcf"] } else { &mut d };
            obj.as_object_mut().expect("object").remove(&k);
            let e = import_err(&d);
            let path = if in_pcf {
                format!("$.pcf.{k}")
            } else {
                format!("$.{k}")
            };
            let want = if k == "specVersion" {
                "$.specVersion: missing (required by PACT v2 and v3)".to_string()
            } else {
                format!("{path}: missing (required by PACT {version})")
            };
            assert!(e.starts_with(&want), "removing {path}: {e}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn every_required_property_is_enforced_on_import() {
    each_required_is_enforced(V3_SCHEMA, &example_pf(), "v3");
    let (m, r) = example("hot-rolled-steel-coil.toml");
    let v2 = export_product_footprint(&m, &r, &steel_options(PactVersion::V2_3)).expect("v2");
    each_required_is_enforced(V2_SCHEMA, &v2, "v2");
}

#[test]
fn deprecated_is_flagged_not_hidden() {
    let mut doc = example_pf();
    doc["status"] = json!("Deprecated");
    let f = import_product_footprint(&doc.to_string()).expect("import");
    assert!(f.deprecated);
    assert!(f.warnings.iter().any(|w| w.contains("Deprecated")));
}

#[test]
fn export_refuses_what_pact_cannot_say() {
    let (m, r) = hand();
    let mut o = options(PactVersion::V3);
    o.product_ids = vec!["urn:x:y".into()];
    o.fossil_carbon_content = None;
    let e = export_product_footprint(&m, &r, &o)
        .expect_err("no carbon content")
        .to_string();
    assert!(
        e.contains("fossilCarbonContent") && e.contains("fossil_carbon_content"),
        "{e}"
    );

    let mut w = m.clone();
    w.product.declared_unit.unit = "W".into();
    let mut o = options(PactVersion::V3);
    o.product_ids = vec!["urn:x:y".into()];
    let e = export_product_footprint(&w, &r, &o)
        .expect_err("W")
        .to_string();
    assert!(e.contains("'W'") && e.contains("power"), "{e}");

    let (m, r) = example("pv-module.toml");
    let mut o = pv_options(PactVersion::V3);
    o.product_or_sector_rules.clear();
    let e = export_product_footprint(&m, &r, &o)
        .expect_err("pcr")
        .to_string();
    assert!(e.contains("T/GDCPA 013—2023"), "{e}");
}

proptest! {
    #[test]
    fn decimals_round_trip(x in prop_oneof![-1e15f64..1e15, -1e-3f64..1e-3, any::<f64>()]) {
        prop_assume!(x.is_finite());
        let s = format_decimal(x).expect("finite");
        prop_assert!(!s.contains(['e', 'E']), "{}", s);
        let back = parse_decimal(&s).expect("own output parses");
        prop_assert!((back - x).abs() <= 1e-9 * x.abs() || (x.abs() < 1e-300 && back.abs() < 1e-300), "{} -> {} -> {}", x, s, back);
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = import_product_footprint(&text);
        let _ = import_product_footprints(&text);
    }

    #[test]
    fn mangled_footprints_never_panic(
        key in prop::sample::select(vec![
            "declaredUnitOfMeasurement", "declaredUnitAmount", "pcfIncludingBiogenicUptake",
            "pcfExcludingBiogenicUptake", "primaryDataShare", "dqi", "geographyCountry",
            "ipccCharacterizationFactors", "fossilGhgEmissions",
        ]),
        value in prop_oneof![
            Just(json!(null)), Just(json!(-1)), Just(json!("")), Just(json!("-0")),
            Just(json!("0")), Just(json!([])), Just(json!({})), Just(json!({"technologicalDQR": "9"})),
            "[ -~]{0,12}".prop_map(Value::String),
        ],
        top in any::<bool>(),
    ) {
        let mut doc = example_pf();
        if top {
            doc[key] = value;
        } else {
            doc["pcf"][key] = value;
        }
        let _ = import_product_footprint(&doc.to_string());
    }
}
