//! A product model exported as an openLCA JSON-LD package and read back with the
//! JSON-LD importer: `examples/steel-bracket-worked-example.toml` against the bundled
//! database. The expected amounts are derived by hand from the TOML (comments below);
//! the expected total is the hand-computed 2.454438 kg CO2e of docs/product-model.md §14.

use std::path::{Path, PathBuf};
use zuji_calc::footprint::{FootprintOptions, compute_footprint};
use zuji_calc::lci::LciSystem;
use zuji_formats::default_db::{default_database, gwp_table};
use zuji_formats::jsonld::{
    JsonLdError, export_product_model_entries, export_product_model_jsonld, import_jsonld,
};
use zuji_formats::product_model::read_product_model;
use zuji_model::lci::{ExchangeKind, LciDatabase};
use zuji_model::product::ProductModel;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bracket() -> ProductModel {
    read_product_model(&root().join("examples/steel-bracket-worked-example.toml"))
        .unwrap()
        .model
}

/// (kind, provider or flow id, amount, unit) of every exchange of activity `id`.
fn exchanges_of(db: &LciDatabase, id: &str) -> Vec<(ExchangeKind, String, f64, String)> {
    let a = db
        .activity_position(id)
        .unwrap_or_else(|| panic!("no activity {id}"));
    let mut v: Vec<_> = db
        .exchanges
        .iter()
        .filter(|x| x.activity == a)
        .map(|x| match x.kind {
            ExchangeKind::Biosphere => {
                let f = &db.flows[x.input];
                (x.kind, f.id.clone(), x.amount, f.unit.clone())
            }
            _ => {
                let p = &db.activities[x.input];
                (x.kind, p.id.clone(), x.amount, p.unit.clone())
            }
        })
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

fn assert_exchanges(
    got: &[(ExchangeKind, String, f64, String)],
    want: &[(ExchangeKind, &str, f64, &str)],
) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    let mut want: Vec<_> = want.to_vec();
    want.sort_by(|a, b| a.1.cmp(b.1));
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(
            (g.0, g.1.as_str(), g.3.as_str()),
            (w.0, w.1, w.3),
            "{got:?}"
        );
        assert!(
            (g.2 - w.2).abs() < 1e-12,
            "{}: amount {} expected {}",
            g.1,
            g.2,
            w.2
        );
    }
}

const ELEC: &str = "zuji-default/electricity/cn/national/2023/footprint";
const STEEL: &str = "zuji-default/material/steel/crude/global/2023/worldsteel";
const ROAD: &str = "zuji-default/transport/freight/road/hgv-diesel-average/defra2025/wtw";

#[test]
fn steel_bracket_model_round_trips_through_jsonld_with_its_footprint() {
    use ExchangeKind::*;
    let model = bracket();
    let db = default_database().unwrap();
    let gwp = gwp_table("ar6").unwrap();
    let dbs = [db];
    let f = compute_footprint(&model, &dbs, &gwp, &FootprintOptions::default(), None).unwrap();
    // docs/product-model.md §14: 2.0441 + 0.31025 + 0.05 + 0.050088 = 2.454438.
    assert!((f.total - 2.454438).abs() < 1e-9, "{}", f.total);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bracket.zip");
    export_product_model_jsonld(&model, &dbs, &gwp, "steel-bracket", &out).unwrap();
    let back = import_jsonld(&out).unwrap().db;

    // bracket: 1 piece; sheet = blank = 0.8 / (1 − 0.2) = 1.0 kg; electricity 1.8 MJ =
    // 0.5 kWh; delivery 1 piece; CO2 fossil 50 g = 0.05 kg.
    assert_exchanges(
        &exchanges_of(&back, "bracket"),
        &[
            (Production, "bracket", 1.0, "piece"),
            (Technosphere, "sheet", 1.0, "kg"),
            (Technosphere, ELEC, 1.8 / 3.6, "kWh"),
            (Technosphere, "delivery", 1.0, "piece"),
            (Biosphere, "zuji-direct/CO2/fossil", 0.05, "kg"),
        ],
    );
    // sheet: 0.95 kg sheet + 0.05 kg offcuts, physical allocation by mass (0.95 / 0.05):
    // each product carries its share of 1.0 kg steel and 0.2 kWh.
    assert_exchanges(
        &exchanges_of(&back, "sheet"),
        &[
            (Production, "sheet", 0.95, "kg"),
            (Technosphere, STEEL, 0.95, "kg"),
            (Technosphere, ELEC, 0.2 * 0.95, "kWh"),
        ],
    );
    assert_exchanges(
        &exchanges_of(&back, "sheet#offcuts"),
        &[
            (Production, "sheet#offcuts", 0.05, "kg"),
            (Technosphere, STEEL, 0.05, "kg"),
            (Technosphere, ELEC, 0.2 * 0.05, "kWh"),
        ],
    );
    // delivery: mass × road_km = 0.8 kg × 500 km = 400 kg·km = 0.4 t·km.
    assert_exchanges(
        &exchanges_of(&back, "delivery"),
        &[
            (Production, "delivery", 1.0, "piece"),
            (Technosphere, ROAD, 0.4, "t*km"),
        ],
    );
    // Background activities keep their exchanges: crude steel emits 1.92 kg fossil CO2/kg
    // (docs/product-model.md §14).
    let steel = exchanges_of(&back, STEEL);
    let bio: Vec<_> = steel.iter().filter(|x| x.0 == Biosphere).collect();
    assert_eq!(bio.len(), 1, "{steel:?}");
    assert!((bio[0].2 - 1.92).abs() < 1e-12);

    // The package is computable on its own: its method scores the bracket as the engine.
    assert_eq!(back.methods.len(), 1);
    let method = back.methods[0].name.clone();
    assert_eq!(method, "IPCC AR6 GWP100 (2021) / GWP100");
    let lci = LciSystem::build(&back).unwrap().factorise().unwrap();
    let score = lci
        .score_one(back.activity_position("bracket").unwrap(), &method)
        .unwrap()
        .score;
    assert!((score - f.total).abs() < 1e-12, "{score} vs {}", f.total);
    assert!((score - 2.454438).abs() < 1e-9);
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonld")
}

/// Golden files: the listing of the bracket's package, its `bracket` process and its
/// product system. `ZUJI_BLESS=1` rewrites them after an intended change.
#[test]
fn steel_bracket_export_matches_the_golden_files() {
    let model = bracket();
    let dbs = [default_database().unwrap()];
    let gwp = gwp_table("ar6").unwrap();
    let entries = export_product_model_entries(&model, &dbs, &gwp, "steel-bracket").unwrap();
    let listing: String = entries.iter().map(|(p, _)| format!("{p}\n")).collect();
    let text = |pred: &dyn Fn(&str) -> bool| -> String {
        let hits: Vec<_> = entries.iter().filter(|(p, _)| pred(p)).collect();
        assert_eq!(hits.len(), 1);
        String::from_utf8(hits[0].1.clone()).unwrap()
    };
    let system = text(&|p| p.starts_with("product_systems/"));
    let sys: serde_json::Value = serde_json::from_str(&system).unwrap();
    let ref_id = sys["refProcess"]["@id"].as_str().unwrap().to_string();
    let process = text(&|p| p == format!("processes/{ref_id}.json"));
    assert!(process.contains("\"zuji-id:bracket\""));
    // bracket has three inputs, sheet two, offcuts two, delivery one: 8 links; and the
    // road well-to-wheel dataset of zuji-default links its tank-to-wheel and well-to-tank
    // parts: 2 more.
    assert_eq!(sys["processLinks"].as_array().unwrap().len(), 8 + 2);
    let dir = golden_dir();
    if std::env::var_os("ZUJI_BLESS").is_some() {
        std::fs::write(dir.join("model_listing.txt"), &listing).unwrap();
        std::fs::write(dir.join("model_bracket_process.json"), &process).unwrap();
        std::fs::write(dir.join("model_product_system.json"), &system).unwrap();
    }
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    assert_eq!(listing, read("model_listing.txt"));
    assert_eq!(process, read("model_bracket_process.json"));
    assert_eq!(system, read("model_product_system.json"));
    // Byte-for-byte reproducible zips.
    let d = tempfile::tempdir().unwrap();
    for n in ["a.zip", "b.zip"] {
        export_product_model_jsonld(&model, &dbs, &gwp, "steel-bracket", &d.path().join(n))
            .unwrap();
    }
    assert_eq!(
        std::fs::read(d.path().join("a.zip")).unwrap(),
        std::fs::read(d.path().join("b.zip")).unwrap()
    );
}

#[test]
fn a_model_linking_to_a_missing_dataset_is_an_error_naming_it() {
    let mut model = bracket();
    model.processes[0].inputs[1].dataset = Some("electricity/xx/none".into());
    let dbs = [default_database().unwrap()];
    let gwp = gwp_table("ar6").unwrap();
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("x.zip");
    match export_product_model_jsonld(&model, &dbs, &gwp, "bad", &out).unwrap_err() {
        JsonLdError::Model { model, problem } => {
            assert_eq!(model, "bad");
            assert!(problem.contains("electricity/xx/none"), "{problem}");
        }
        other => panic!("{other}"),
    }
    assert!(!out.exists());
}
