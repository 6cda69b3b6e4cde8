//! The `zuji` binary as a user meets it: exit codes, messages with file and line.

use std::path::PathBuf;
use std::process::{Command, Output};

fn zuji(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zuji"))
        .args(args)
        .env("LANG", "C")
        .output()
        .expect("run zuji")
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const MODEL: &str = r#"[product]
name = { zh = "电费", en = "electricity use" }
category = "test"
declared_unit = { amount = 1, unit = "kg" }
boundary = "gate-to-gate"
reference_period = "2025"
geography = "CN"

[[process]]
id = "use"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { dataset = "electricity/cn/national/2023/footprint", amount = 10, unit = "kWh" } ]
"#;

#[test]
fn footprint_of_a_model_on_the_default_database() {
    // 10 kWh × 0.6205 kg CO2e/kWh (MEE, NBS & NEA Announcement 2025 No.3, national 2023
    // life-cycle factor) = 6.205 kg CO2e.
    let dir = tempfile::tempdir().unwrap();
    let m = write(&dir, "m.toml", MODEL);
    let out = zuji(&["footprint", m.to_str().unwrap(), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let total = v["total"].as_f64().unwrap();
    assert!((total - 6.205).abs() < 1e-12, "{total}");
    assert_eq!(v["fingerprint"]["databases"][0]["id"], "zuji-default");
    // AR5 changes nothing here: the factor is an aggregated CO2e value.
    let out5 = zuji(&[
        "footprint",
        m.to_str().unwrap(),
        "--format",
        "csv",
        "--method",
        "ar5",
    ]);
    let text = String::from_utf8(out5.stdout).unwrap();
    assert!(
        text.lines().nth(1).unwrap().starts_with("total,1 kg,6.205"),
        "{text}"
    );
}

#[test]
fn the_table_speaks_three_languages() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(&dir, "m.toml", MODEL);
    for (lang, word) in [
        ("en", "Product carbon footprint"),
        ("zh-Hans", "产品碳足迹"),
        ("zh-Hant", "產品碳足跡"),
    ] {
        let out = zuji(&["footprint", m.to_str().unwrap(), "--lang", lang]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(word),
            "{lang}"
        );
    }
}

#[test]
fn errors_name_file_line_and_field_and_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        &dir,
        "bad.toml",
        &MODEL.replace("unit = \"kWh\"", "unit = \"kg\""),
    );
    let out = zuji(&["footprint", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:13: process[0].inputs[0].unit"),
        "{err}"
    );
    assert!(
        err.contains("cannot convert kg (mass) to kWh (energy)"),
        "{err}"
    );

    let out = zuji(&["validate", bad.to_str().unwrap()]);
    assert!(!out.status.success());

    let cyclic = write(
        &dir,
        "cyclic.toml",
        &format!("{MODEL}\n[parameters]\na = \"b\"\nb = \"a\"\n"),
    );
    let err =
        String::from_utf8_lossy(&zuji(&["validate", cyclic.to_str().unwrap()]).stderr).to_string();
    assert!(
        err.contains("cyclic.toml:16: parameters.a") && err.contains("a → b → a"),
        "{err}"
    );

    let out = zuji(&[
        "footprint",
        dir.path().join("missing.toml").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.toml"));
    let out = zuji(&["footprint", bad.to_str().unwrap(), "--method", "ar4"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown method 'ar4'"));
}

#[test]
fn validate_reports_the_system_it_would_build() {
    let dir = tempfile::tempdir().unwrap();
    let m = write(&dir, "m.toml", MODEL);
    let out = zuji(&["validate", m.to_str().unwrap()]);
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("OK — 1 process(es), 1 input(s)") && s.contains("zuji-default 2026.1"),
        "{s}"
    );
}

#[test]
fn db_commands_browse_the_default_database() {
    let out = zuji(&["db", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("zuji-default 2026.1"));
    let out = zuji(&["db", "search", "广东", "--year", "2022"]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("electricity/cn/province/guangdong/2022/co2"),
        "{s}"
    );
    let out = zuji(&[
        "db",
        "show",
        "zuji-default/electricity/cn/national/2023/footprint",
    ]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("score (ar6): 0.620500 kg CO2e per kWh"), "{s}");
    let out = zuji(&["db", "show", "no/such/dataset"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no background dataset 'no/such/dataset'")
    );
}

#[test]
fn an_extra_database_folder_is_searched_too() {
    // A one-activity tabular database: 1 kg of "widget" emits 3 kg CO2 (factor 1) → 3.0.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mydb");
    std::fs::create_dir(&db).unwrap();
    std::fs::write(
        db.join("activities.csv"),
        "id,name,unit,location\nwidget,widget,kg,CN\n",
    )
    .unwrap();
    std::fs::write(
        db.join("flows.csv"),
        "id,name,compartment,unit,gas,origin\nco2,carbon dioxide,air,kg,CO2,fossil\n",
    )
    .unwrap();
    std::fs::write(
        db.join("exchanges.csv"),
        "activity_id,kind,input_id,amount\nwidget,production,widget,1\nwidget,biosphere,co2,3\n",
    )
    .unwrap();
    std::fs::write(
        db.join("characterization.csv"),
        "method,flow_id,factor\nar6,co2,1\n",
    )
    .unwrap();
    let m = write(
        &dir,
        "m.toml",
        &MODEL
            .replace("electricity/cn/national/2023/footprint", "mydb/widget")
            .replace("unit = \"kWh\"", "unit = \"kg\"")
            .replace("amount = 10,", "amount = 1,"),
    );
    let out = zuji(&[
        "footprint",
        m.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"].as_f64().unwrap(), 3.0);
}

#[test]
fn db_import_keeps_a_database_in_the_data_directory() {
    // Import the 400-activity test database, then use it by name from a model.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("zuji-data");
    let src = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../formats/tests/data/synth400"
    );
    let d = data.to_str().unwrap();
    let out = zuji(&["db", "import", src, "--name", "s400", "--data-dir", d]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("400 activities (processes), 60 elementary flows, 12125 exchanges, 1 characterisation methods"), "{s}");
    // A second import under the same name is refused and changes nothing.
    let again = zuji(&["db", "import", src, "--name", "s400", "--data-dir", d]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already in"));
    // No half-written folders are left behind.
    let names: Vec<_> = std::fs::read_dir(data.join("databases"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("s400")]);
    let list = zuji(&["db", "list", "--data-dir", d]);
    assert!(
        String::from_utf8_lossy(&list.stdout).contains("s400 imported-20"),
        "{}",
        String::from_utf8_lossy(&list.stdout)
    );
    let out = zuji(&["db", "import", "/nonexistent/thing", "--data-dir", d]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("cannot tell the format of /nonexistent/thing")
    );
    // Exported again, it reads back with the same size.
    let exp = dir.path().join("exp");
    let out = zuji(&[
        "db",
        "export",
        "s400",
        "--format",
        "tabular",
        "--out",
        exp.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = zuji(&[
        "db",
        "list",
        "--no-default-db",
        "--db",
        exp.to_str().unwrap(),
        "--data-dir",
        dir.path().join("other").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&back.stdout).contains("12125 exchanges"));
}

#[test]
fn other_tools_databases_import_by_detected_format() {
    // USLCI as EcoSpold2 (767 datasets; 870 activities after splitting co-products) and as
    // openLCA JSON-LD (1022 activities), both from ../shared/data.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data");
    let out = zuji(&[
        "db",
        "import",
        &format!("{shared}/ecospold2/uslci_fy18_q1_01_olca1_5_ecospold2.zip"),
        "--name",
        "uslci-es2",
        "--data-dir",
        d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("870 activities (processes)") && s.contains("warning(s):"),
        "{s}"
    );
    let out = zuji(&[
        "db",
        "import",
        &format!("{shared}/jsonld/uslci_olca1_5_0_json_ld.zip"),
        "--name",
        "uslci-jsonld",
        "--data-dir",
        d,
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1022 activities (processes)"));
    // Exported as JSON-LD and imported again, the database keeps its size.
    let pkg = dir.path().join("uslci.zip");
    let out = zuji(&[
        "db",
        "export",
        "uslci-es2",
        "--format",
        "jsonld",
        "--out",
        pkg.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = zuji(&[
        "db",
        "import",
        pkg.to_str().unwrap(),
        "--name",
        "again",
        "--data-dir",
        d,
    ]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("870 activities (processes)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn pact_export_and_import_through_the_command_line() {
    // The steel coil example is 2120.6406732989694 kg CO2e per t (see examples.rs); as a
    // supplier footprint per kg that is 2.1206406733 (12 significant digits in PACT).
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("steel.json");
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/hot-rolled-steel-coil.toml"
    );
    let out = zuji(&[
        "pact",
        "export",
        model,
        "--out",
        out_file.to_str().unwrap(),
        "--company-name",
        "Example Steel Co.",
        "--company-id",
        "urn:uscc:91440300EXAMPLE0001",
        "--product-id",
        "urn:example:product:hrc-1",
        "--fossil-carbon-content",
        "1.5",
        "--biogenic-carbon-content",
        "0",
        "--exempted-percent",
        "0",
        "--packaging-included",
        "false",
        "--created",
        "2026-11-21T00:00:00Z",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(json["specVersion"], "3.0.0");
    assert_eq!(json["pcf"]["declaredUnitAmount"], "1000");
    let out = zuji(&["pact", "import", out_file.to_str().unwrap()]);
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("2.1206406733 kg CO2e per kg") && s.contains("supplier = { id = \"urn:uuid:"),
        "{s}"
    );
    // A required value Zuji does not compute is asked for by its flag.
    let out = zuji(&[
        "pact",
        "export",
        model,
        "--out",
        out_file.to_str().unwrap(),
        "--company-name",
        "X",
        "--company-id",
        "urn:x:1",
        "--product-id",
        "urn:x:2",
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fossil-carbon-content"));
}

#[test]
fn workbooks_template_import_and_results() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("blank.xlsx");
    let out = zuji(&["template", "xlsx", "--out", t.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The blank template has no process: importing it says so, naming the sheet.
    let out = zuji(&["import", t.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("blank.xlsx"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Results as a workbook, next to the table.
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/steel-bracket-worked-example.toml"
    );
    let r = dir.path().join("results.xlsx");
    let out = zuji(&[
        "footprint",
        model,
        "--out",
        r.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::metadata(&r).unwrap().len() > 1000);
    let out = zuji(&[
        "footprint",
        model,
        "--out",
        dir.path().join("r.pdf").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--out takes a .xlsx or .csv file"));
}
