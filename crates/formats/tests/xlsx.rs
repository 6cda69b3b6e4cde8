//! Excel for enterprises: the template, its import, errors that name sheet and cell, and
//! the results workbook.
//!
//! The central check (issue 3 item 5): the blank template written by `write_template`,
//! filled in by this test under the template's own headers, imports into a model equal
//! to the matching TOML example, and computes to the same total bit for bit.

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use std::io::Read;
use std::path::{Path, PathBuf};
use zuji_calc::{FootprintOptions, FootprintResult, compute_footprint};
use zuji_formats::default_db::{default_database, gwp_table};
use zuji_formats::product_model::read_product_model;
use zuji_formats::xlsx::{
    CellValue, Layout, SheetRecords, model_records, read_model_xlsx, read_model_xlsx_bytes,
    write_model_xlsx, write_results_csv, write_results_xlsx, write_template,
};
use zuji_model::product::ProductModel;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> ProductModel {
    read_product_model(&root().join("examples").join(name))
        .expect("example reads")
        .model
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("workbook opens")
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// The header without its Chinese label (the test's own reading of the layout).
fn english(h: &str) -> &str {
    h.trim_start_matches(|c: char| !c.is_ascii() || c.is_whitespace())
}

fn cell(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// Fills the blank template: copies every cell of every template sheet into a new
/// workbook, then writes the records under the template's own headers (Rows sheets) or
/// next to its field labels (the Product sheet). Only the template tells where a value
/// goes.
fn fill_template(template: &Path, records: &[SheetRecords], out: &Path) {
    let mut src = open(template);
    let mut wb = Workbook::new();
    for name in src.sheet_names() {
        let range = src.worksheet_range(&name).expect("sheet reads");
        let ws = wb.add_worksheet();
        ws.set_name(&name).unwrap();
        for (r, c, v) in range.used_cells() {
            let (r0, c0) = range.start().unwrap();
            let (r, c) = (r as u32 + r0, (c as u32 + c0) as u16);
            match v {
                Data::String(s) => ws.write_string(r, c, s).map(|_| ()).unwrap(),
                Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()).unwrap(),
                Data::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()).unwrap(),
                _ => {}
            }
        }
        let Some(rec) = records.iter().find(|s| s.sheet.name == name) else {
            continue;
        };
        let put = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u32, v: &CellValue| match v {
            CellValue::Text(s) => ws.write_string(r, c as u16, s).map(|_| ()).unwrap(),
            CellValue::Number(n) => ws.write_number(r, c as u16, *n).map(|_| ()).unwrap(),
        };
        match rec.layout {
            Layout::Rows => {
                let width = range.end().map_or(0, |e| e.1 + 1);
                let col_of = |key: &str| {
                    (0..width)
                        .find(|&c| english(&text(&cell(&range, 0, c))) == key)
                        .unwrap_or_else(|| panic!("template {name} has no column {key}"))
                };
                assert_eq!(
                    range.end().map_or(0, |e| e.0),
                    0,
                    "{name}: template rows are blank"
                );
                for (i, row) in rec.rows.iter().enumerate() {
                    for (key, v) in row {
                        put(ws, i as u32 + 1, col_of(key), v);
                    }
                }
            }
            Layout::Fields => {
                let height = range.end().map_or(0, |e| e.0 + 1);
                for (key, v) in &rec.rows[0] {
                    let r = (1..height)
                        .find(|&r| english(&text(&cell(&range, r, 0))) == *key)
                        .unwrap_or_else(|| panic!("template {name} has no field {key}"));
                    assert_eq!(cell(&range, r, 1), Data::Empty, "template value is blank");
                    put(ws, r, 1, v);
                }
            }
        }
    }
    wb.save(out).unwrap();
}

fn footprint(model: &ProductModel) -> FootprintResult {
    let db = default_database().unwrap();
    let gwp = gwp_table("ar6").unwrap();
    compute_footprint(
        model,
        std::slice::from_ref(&db),
        &gwp,
        &FootprintOptions::default(),
        None,
    )
    .expect("footprint computes")
}

fn template_filled_with(example_file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("template.xlsx");
    write_template(&template, &default_database().unwrap()).unwrap();
    let toml = example(example_file);
    let filled = dir.path().join("filled.xlsx");
    fill_template(&template, &model_records(&toml).unwrap(), &filled);
    let imported = read_model_xlsx(&filled).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(imported, toml, "{example_file}");
    assert_eq!(
        footprint(&imported).total.to_bits(),
        footprint(&toml).total.to_bits(),
        "{example_file}: same total bit for bit"
    );
}

#[test]
fn the_filled_template_imports_as_the_worked_example() {
    template_filled_with("steel-bracket-worked-example.toml");
}

#[test]
fn the_filled_template_imports_as_the_hot_rolled_coil_pilot() {
    template_filled_with("hot-rolled-steel-coil.toml");
}

#[test]
fn every_example_round_trips_through_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let model = read_product_model(&path).unwrap().model;
        let out = dir.path().join("m.xlsx");
        write_model_xlsx(&out, &model).unwrap();
        let back = read_model_xlsx(&out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(back, model, "{}", path.display());
        n += 1;
    }
    assert!(n >= 6, "all examples were read ({n})");
}

fn sheet_xml(path: &Path) -> Vec<(String, String)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/sheet") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            out.push((name, s));
        }
    }
    out.sort();
    out
}

#[test]
fn the_template_is_bilingual_with_lists_validations_and_a_separate_example() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    write_template(&path, &default_database().unwrap()).unwrap();
    let mut wb = open(&path);
    assert_eq!(
        wb.sheet_names(),
        [
            "说明 Instructions",
            "产品 Product",
            "参数 Parameters",
            "过程 Processes",
            "副产品 Co-products",
            "输入 Inputs",
            "排放 Emissions",
            "示例 Example",
            "列表 Lists",
        ]
    );
    // Every header of every data sheet is Chinese followed by English.
    for sheet in [
        "参数 Parameters",
        "过程 Processes",
        "副产品 Co-products",
        "输入 Inputs",
        "排放 Emissions",
    ] {
        let r = wb.worksheet_range(sheet).unwrap();
        let width = r.end().unwrap().1 + 1;
        for c in 0..width {
            let h = text(&cell(&r, 0, c));
            let zh: String = h.chars().take_while(|c| !c.is_ascii()).collect();
            assert!(
                !zh.is_empty() && !english(&h).is_empty(),
                "{sheet}: header '{h}'"
            );
        }
        assert_eq!(
            r.end().unwrap().0,
            0,
            "{sheet}: no data rows in the blank template"
        );
    }
    let inputs = wb.worksheet_range("输入 Inputs").unwrap();
    assert_eq!(text(&cell(&inputs, 0, 0)), "过程编号 process id");
    for key in [
        "link",
        "target id",
        "amount",
        "unit",
        "stage",
        "primary",
        "uncertainty",
        "TeR",
        "GeR",
        "TiR",
        "P",
        "source",
        "supplier pcf",
        "supplier unit",
        "supplier source",
    ] {
        assert!(
            (0..60).any(|c| english(&text(&cell(&inputs, 0, c))) == key),
            "Inputs has {key}"
        );
    }
    let product = wb.worksheet_range("产品 Product").unwrap();
    assert_eq!(text(&cell(&product, 1, 0)), "产品编号 id");
    assert_eq!(cell(&product, 1, 1), Data::Empty, "values are blank");

    // The instruction sheet explains in three languages.
    let help = wb.worksheet_range("说明 Instructions").unwrap();
    let all: Vec<String> = help.used_cells().map(|(_, _, v)| text(v)).collect();
    for s in [
        "简体中文",
        "繁體中文",
        "English",
        "输入 Inputs",
        "过程编号 process id",
    ] {
        assert!(all.iter().any(|t| t == s), "instructions contain {s}");
    }
    assert!(
        all.iter().any(|t| t.contains("不會被匯入")),
        "Traditional Chinese help"
    );

    // Lists: stage names and a known dataset id.
    let lists = wb.worksheet_range("列表 Lists").unwrap();
    let values: Vec<String> = lists.used_cells().map(|(_, _, v)| text(v)).collect();
    for s in [
        "raw-material-acquisition",
        "production",
        "distribution",
        "use",
        "end-of-life",
        "electricity/cn/national/2023/footprint",
        "kWh",
        "CH4",
        "biogenic-removal",
        "cradle-to-gate",
        "physical",
        "lognormal",
        "supplier",
    ] {
        assert!(values.iter().any(|v| v == s), "Lists contain {s}");
    }

    // The example lives on its own sheet and holds the worked example's data.
    let ex = wb.worksheet_range("示例 Example").unwrap();
    let ex: Vec<String> = ex.used_cells().map(|(_, _, v)| text(v)).collect();
    assert!(
        ex.iter()
            .any(|v| v == "electricity/cn/national/2023/footprint")
    );
    assert!(ex.iter().any(|v| v == "mass / (1 - scrap_rate)"));

    // Drop-downs: list validations referring to the Lists sheet, on data sheets only.
    let xml = sheet_xml(&path);
    assert_eq!(xml.len(), 9);
    let with_lists: Vec<&str> = xml
        .iter()
        .filter(|(_, x)| x.contains("<dataValidation ") && x.contains("type=\"list\""))
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        with_lists,
        [
            "xl/worksheets/sheet2.xml",
            "xl/worksheets/sheet3.xml",
            "xl/worksheets/sheet4.xml",
            "xl/worksheets/sheet5.xml",
            "xl/worksheets/sheet6.xml",
            "xl/worksheets/sheet7.xml",
        ]
    );
    let inputs_xml = &xml[5].1;
    assert!(
        inputs_xml.contains("&apos;列表 Lists&apos;!$A$2:$A$6")
            || inputs_xml.contains("'列表 Lists'!$A$2:$A$6"),
        "stage list of 5 stages"
    );
}

#[test]
fn the_example_sheet_is_never_imported() {
    // A template with nothing filled in: the example's rows must not appear.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("template.xlsx");
    write_template(&path, &default_database().unwrap()).unwrap();
    let e = read_model_xlsx(&path).unwrap_err().to_string();
    assert!(
        e.contains("产品 Product!B8: missing declared unit amount"),
        "{e}"
    );
    assert!(!e.contains("bracket"), "{e}");
}

// ---- errors name sheet, cell and problem --------------------------------------------

/// The worked example's records with one change, written and read back.
fn import_error(change: impl FnOnce(&mut Vec<SheetRecords>)) -> String {
    let mut records = model_records(&example("steel-bracket-worked-example.toml")).unwrap();
    change(&mut records);
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.xlsx");
    write_template(&template, &default_database().unwrap()).unwrap();
    let filled = dir.path().join("f.xlsx");
    fill_template(&template, &records, &filled);
    let bytes = std::fs::read(&filled).unwrap();
    read_model_xlsx_bytes(&bytes, "f.xlsx")
        .unwrap_err()
        .to_string()
}

fn set(records: &mut [SheetRecords], sheet: &str, row: usize, key: &'static str, v: CellValue) {
    let s = records.iter_mut().find(|s| s.sheet.key == sheet).unwrap();
    let r = &mut s.rows[row];
    r.retain(|(k, _)| *k != key);
    r.push((key, v));
}

fn unset(records: &mut [SheetRecords], sheet: &str, row: usize, key: &str) {
    let s = records.iter_mut().find(|s| s.sheet.key == sheet).unwrap();
    s.rows[row].retain(|(k, _)| *k != key);
}

#[test]
fn an_unknown_unit_names_sheet_and_cell() {
    // Inputs row 2 is the bracket's first input; its unit is column F.
    let e = import_error(|r| set(r, "inputs", 0, "unit", CellValue::Text("kgs".into())));
    assert!(e.contains("输入 Inputs!F2: unknown unit 'kgs'"), "{e}");
}

#[test]
fn a_missing_process_id_is_named() {
    let e = import_error(|r| unset(r, "inputs", 1, "process id"));
    assert!(e.contains("输入 Inputs!A3: missing process id"), "{e}");
}

#[test]
fn an_amount_that_is_neither_number_nor_formula_is_named() {
    let e = import_error(|r| set(r, "inputs", 1, "amount", CellValue::Text("1.8 +".into())));
    assert!(
        e.contains("输入 Inputs!E3: '1.8 +' is neither a number nor a valid formula"),
        "{e}"
    );
}

#[test]
fn a_bad_stage_is_named() {
    let e = import_error(|r| {
        set(
            r,
            "processes",
            0,
            "stage",
            CellValue::Text("assembly".into()),
        )
    });
    assert!(
        e.contains("过程 Processes!C2: unknown stage 'assembly'"),
        "{e}"
    );
    // The process's inputs still find it: one mistake, one message.
    assert_eq!(e.lines().count(), 2, "{e}");
}

#[test]
fn an_input_naming_an_unknown_process_is_named() {
    let e = import_error(|r| {
        set(
            r,
            "emissions",
            0,
            "process id",
            CellValue::Text("oven".into()),
        )
    });
    assert!(e.contains("排放 Emissions!A2: no process 'oven'"), "{e}");
}

#[test]
fn a_cyclic_parameter_is_mapped_to_its_cell() {
    // Parameters sorted by name: blank (row 2), mass (3), road_km (4), scrap_rate (5).
    let e = import_error(|r| {
        set(
            r,
            "parameters",
            1,
            "value",
            CellValue::Text("blank * 0.8".into()),
        )
    });
    assert!(
        e.contains("参数 Parameters!B2:") || e.contains("参数 Parameters!B3:"),
        "{e}"
    );
    assert!(
        e.to_lowercase().contains("cycl") || e.contains("circular"),
        "{e}"
    );
}

#[test]
fn a_validation_error_is_mapped_to_its_cell() {
    // A supplier-free model with a negative declared unit: validation, not reading, refuses it.
    let e = import_error(|r| {
        set(
            r,
            "product",
            0,
            "declared unit amount",
            CellValue::Number(-1.0),
        )
    });
    assert!(
        e.contains("产品 Product!B8: the declared unit's amount must be a positive number"),
        "{e}"
    );
    let e = import_error(|r| {
        set(
            r,
            "inputs",
            0,
            "target id",
            CellValue::Text("sheets".into()),
        )
    });
    assert!(e.contains("输入 Inputs!C2: "), "{e}");
    assert!(e.contains("sheets"), "{e}");
}

#[test]
fn an_unknown_header_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("过程 Processes").unwrap();
    ws.write_string(0, 0, "过程编号 process id").unwrap();
    ws.write_string(0, 1, "阶段 stagee").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Product").unwrap();
    wb.save(&path).unwrap();
    let e = read_model_xlsx(&path).unwrap_err().to_string();
    assert!(
        e.contains("过程 Processes!B1: unknown column '阶段 stagee'"),
        "{e}"
    );
    assert!(e.contains("missing column 'output amount'"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_model_xlsx_bytes(&bytes, "random.xlsx");
    }

    #[test]
    fn a_damaged_workbook_never_panics(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16)) {
        let mut bytes = worked_example_bytes().clone();
        for (i, b) in flips {
            let i = i.index(bytes.len());
            bytes[i] ^= b;
        }
        let _ = read_model_xlsx_bytes(&bytes, "damaged.xlsx");
    }
}

fn text_strategy() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 ./,()=+*_-中文钢铁支架繁體電力%#'\"<>&]{1,24}"
        .prop_filter("trimmed", |s| s.trim() == s)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]
    /// Any numbers and texts survive model → workbook → model exactly (floats bit for bit).
    #[test]
    fn numbers_and_texts_round_trip_exactly(
        amounts in proptest::collection::vec(1e-12f64..1e12, 5),
        texts in proptest::collection::vec(text_strategy(), 5),
        pcf in 0.0f64..1e6,
    ) {
        let mut m = example("steel-bracket-worked-example.toml");
        m.product.name.zh = Some(texts[0].clone());
        m.product.description = Some(texts[1].clone());
        let bracket = &mut m.processes[0];
        bracket.inputs[1].amount = zuji_model::product::Amount::Number(amounts[0]);
        bracket.inputs[1].source = Some(texts[2].clone());
        bracket.emissions[0].amount = zuji_model::product::Amount::Number(amounts[1]);
        bracket.emissions[0].note = Some(texts[3].clone());
        // A supplier input with its own PCF and DQR.
        bracket.inputs.push(zuji_model::product::InputSpec {
            process: None,
            product: None,
            dataset: None,
            supplier: Some(zuji_model::product::SupplierFootprint {
                id: format!("urn:uuid:{}", texts[4].len()),
                name: Some(texts[4].clone()),
                pcf,
                unit: "kg".into(),
                source: texts[2].clone(),
                primary_data_share: Some(0.5),
                quality: Some(zuji_model::DataQuality::Dqr { ter: 1.0, ger: 2.0, tir: 3.0, p: 4.0 }),
            }),
            amount: zuji_model::product::Amount::Number(amounts[2]),
            unit: "g".into(),
            stage: Some(zuji_model::LifeCycleStage::RawMaterialAcquisition),
            primary: Some(false),
            uncertainty: zuji_model::Uncertainty::Uniform { min: 0.0, max: amounts[2] * 2.0 },
            quality: None,
            source: None,
            note: None,
            aircraft: true,
            avoided: false,
        });
        m.processes[1].coproducts[0].amount = zuji_model::product::Amount::Number(amounts[3]);
        m.processes[1].coproducts[0].price = Some(zuji_model::product::Amount::Number(amounts[4]));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.xlsx");
        write_model_xlsx(&path, &m).unwrap();
        let back = read_model_xlsx(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(back, m);
    }
}

fn worked_example_bytes() -> &'static Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.xlsx");
        write_model_xlsx(&path, &example("steel-bracket-worked-example.toml")).unwrap();
        std::fs::read(path).unwrap()
    })
}

// ---- results -------------------------------------------------------------------------

#[test]
fn the_results_workbook_holds_the_total_and_stages_that_sum_to_it() {
    let result = footprint(&example("steel-bracket-worked-example.toml"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.xlsx");
    write_results_xlsx(&path, &result).unwrap();
    let mut wb = open(&path);
    let names = wb.sheet_names();
    for s in [
        "汇总 Summary",
        "阶段 Stages",
        "气体 Gases",
        "碳来源 Origins",
        "过程 Processes",
        "贡献 Contributions",
    ] {
        assert!(names.iter().any(|n| n == s), "{s} in {names:?}");
    }
    let summary = wb.worksheet_range("汇总 Summary").unwrap();
    let total_row = (0..40)
        .find(|&r| text(&cell(&summary, r, 0)) == "碳足迹 total (kg CO2e)")
        .expect("a total row");
    assert_eq!(cell(&summary, total_row, 1), Data::Float(result.total));
    assert!(
        (0..40).any(|r| text(&cell(&summary, r, 1)) == result.fingerprint.sha256),
        "fingerprint"
    );

    let stages = wb.worksheet_range("阶段 Stages").unwrap();
    let sum: f64 = (1..=stages.end().unwrap().0)
        .map(|r| match cell(&stages, r, 2) {
            Data::Float(f) => f,
            other => panic!("stage value is a number, got {other:?}"),
        })
        .sum();
    assert!(
        (sum - result.total).abs() <= 1e-12 * result.total.abs(),
        "{sum} vs {}",
        result.total
    );

    let items = wb.worksheet_range("贡献 Contributions").unwrap();
    assert_eq!(items.end().unwrap().0 as usize, result.items.len());
    let origins = wb.worksheet_range("碳来源 Origins").unwrap();
    assert_eq!(text(&cell(&origins, 1, 0)), "化石 fossil");
    assert_eq!(cell(&origins, 1, 1), Data::Float(result.by_origin.fossil));
}

#[test]
fn results_csv_matches_its_golden_file() {
    let result = footprint(&example("steel-bracket-worked-example.toml"));
    let mut out = Vec::new();
    write_results_csv(&mut out, &result).unwrap();
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/xlsx/steel-bracket-results.csv");
    if std::env::var_os("ZUJI_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    let expected =
        std::fs::read_to_string(&golden).expect("golden file (ZUJI_UPDATE_GOLDEN=1 writes it)");
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

#[test]
fn a_far_away_cell_is_reported_not_allocated() {
    // calamine's dense range would span A1:XFD1048576 (17 billion cells); the reader
    // keeps only used cells and names the stray one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("far.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("过程 Processes").unwrap();
    ws.write_string(0, 0, "过程编号 process id").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.add_worksheet().set_name("产品 Product").unwrap();
    wb.save(&path).unwrap();
    let e = read_model_xlsx(&path).unwrap_err().to_string();
    assert!(
        e.contains("过程 Processes!XFD1048576: a value in a column with no header"),
        "{e}"
    );
}

#[test]
fn an_electricity_note_without_an_approach_is_named() {
    let e = import_error(|r| {
        set(
            r,
            "product",
            0,
            "electricity note",
            CellValue::Text("GEC for 60 %".into()),
        )
    });
    // Row 24 is the approach's: the 23rd product field, under the header row.
    assert!(
        e.contains("产品 Product!B24: missing electricity approach"),
        "{e}"
    );
}

#[test]
fn an_unknown_electricity_approach_is_named() {
    let e = import_error(|r| {
        set(
            r,
            "product",
            0,
            "electricity approach",
            CellValue::Text("grid-average".into()),
        )
    });
    assert!(e.contains("grid-average"), "{e}");
}
