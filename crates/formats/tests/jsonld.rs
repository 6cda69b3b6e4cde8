//! openLCA JSON-LD import and export, on the real packages in `../shared/data/jsonld`.
//! Every expected value below was read from the JSON files themselves (quoted in the
//! comments with the file it comes from).

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zuji_calc::lci::LciSystem;
use zuji_formats::import::ImportReport;
use zuji_formats::jsonld::{
    JsonLdError, export_jsonld, export_jsonld_entries, import_jsonld, import_jsonld_all,
    import_jsonld_from_zip_bytes,
};
use zuji_model::lci::{
    Activity, CharacterisationMethod, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind,
    LciDatabase,
};
use zuji_model::uncertainty::Uncertainty;

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/jsonld")
        .join(name)
}

const MINIMAL: &str = "olca-modules_minimal-complete_flow_property_factor_sync-all.zip";
const EXCHANGE_SYNC: &str = "olca-modules_exchange_sync-all.zip";
const BEEF: &str = "bw2io_beef-cattle-finishing.zip";
const FPL: &str = "bw2io_US-FPL.zip";
const AWARE: &str = "bw2io_AWARE";
const IPCC: &str = "uslci_IPCC_lcia_method_v1.0.3.zip";
const USLCI: &str = "uslci_olca1_5_0_json_ld.zip";

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-300)
}

fn kinds(r: &ImportReport) -> BTreeMap<String, usize> {
    let mut k = BTreeMap::new();
    for w in &r.warnings {
        let kind = w.message.split(':').next().unwrap_or("").to_string();
        *k.entry(kind).or_insert(0) += 1;
    }
    k
}

fn activity<'a>(db: &'a LciDatabase, id: &str) -> (usize, &'a Activity) {
    let j = db.activity_position(id).expect("activity");
    (j, &db.activities[j])
}

fn exchanges_of(db: &LciDatabase, j: usize, kind: ExchangeKind) -> Vec<&Exchange> {
    db.exchanges
        .iter()
        .filter(|e| e.activity == j && e.kind == kind)
        .collect()
}

#[test]
fn minimal_complete_package_imports_and_computes() {
    let r = import_jsonld(&shared(MINIMAL)).expect("imports");
    let db = &r.db;
    // processes/68a86e58-….json: "Test process", one output of "Test flow", 1.0 "test".
    assert_eq!(db.activities.len(), 1);
    let (j, a) = activity(db, "68a86e58-0567-433f-ae8a-af32effe1f4c");
    assert_eq!(a.name, "Test process");
    assert_eq!(a.unit, "test"); // unit_groups/c510635e-….json: reference unit "test"
    let prod = exchanges_of(db, j, ExchangeKind::Production);
    assert_eq!(prod.len(), 1);
    assert_eq!(prod[0].amount, 1.0);
    // lcia_methods/b4f6977e-….json "Test method" with category "Test category".
    assert_eq!(db.method_names(), vec!["Test method / Test category"]);
    // lcia_categories/6ec9390c-….json characterises "Test flow", a PRODUCT_FLOW: it
    // never reaches the intervention matrix (as in openLCA), so it is counted and warned.
    assert!(db.methods[0].factors.is_empty());
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("1 of 1 factors"))
    );
    // By hand: the process has no elementary exchange, so g = 0 and h = 1.0 × 0 = 0.
    let f = LciSystem::build(db).unwrap().factorise().unwrap();
    let s = f.score_one(j, "Test method / Test category").unwrap();
    assert_eq!(s.supply, vec![1.0]);
    assert_eq!(s.score, 0.0);
}

#[test]
fn two_process_system_links_and_computes() {
    let r = import_jsonld(&shared(EXCHANGE_SYNC)).expect("imports");
    let db = &r.db;
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(db.activities.len(), 2);
    // processes/68a86e58-….json consumes 1.0 "Test flow 2", made by "Test process 2"
    // (processes/644e363a-….json, 1.0 output); no defaultProvider, linked by flow.
    let (j1, a1) = activity(db, "68a86e58-0567-433f-ae8a-af32effe1f4c");
    let (j2, a2) = activity(db, "644e363a-a8e2-423b-a25c-d109a188d963");
    assert_eq!(
        (a1.name.as_str(), a2.name.as_str()),
        ("Test process", "Test process 2")
    );
    let tech = exchanges_of(db, j1, ExchangeKind::Technosphere);
    assert_eq!(tech.len(), 1);
    assert_eq!((tech[0].input, tech[0].amount), (j2, 1.0));
    let f = LciSystem::build(db).unwrap().factorise().unwrap();
    let mut d = vec![0.0; 2];
    d[j1] = 1.0;
    let s = f.supply(&d);
    assert!(close(s[j1], 1.0, 1e-12) && close(s[j2], 1.0, 1e-12));
}

/// Water use of the beef finishing process with AWARE: the score per kg live weight.
///
/// From the JSON (beef package, `gal (US liq)` = 0.00379 m3 in its volume unit group;
/// AWARE factor for "Water, well, in ground" 42.95 per m3):
/// - finishing (1b97b691): 2,914,841.44 kg out; in: 4,938,710 gal water, 3742 calves,
///   0.825 Item(s) cattle feed, 1000 kg vitamin premix (no water upstream);
/// - calves (ac2816ed): 3742 out; 5,121,345 gal water; 23,042 t grass pasture;
/// - grass (2185d89c): 23,042 t out; 311,850,000 gal water;
/// - cattle feed (efa8b1d9): 1 Item(s) out; 1,031,800,000 gal water; corn grain and
///   silage (no water).
///
/// Every scaling factor is 1 except feed (0.825), so
/// h = 0.00379 × (4,938,710 + 5,121,345 + 311,850,000 + 0.825 × 1,031,800,000)
///     × 42.95 / 2,914,841.44.
const BEEF_WATER_M3: f64 =
    0.00379 * (4_938_710.0 + 5_121_345.0 + 311_850_000.0 + 0.825 * 1_031_800_000.0);
const BEEF_LW_KG: f64 = 2_914_841.44;

fn beef_with_aware() -> ImportReport {
    import_jsonld_all(&[&shared(BEEF), &shared(AWARE)]).expect("imports")
}

#[test]
fn beef_cattle_with_aware_gives_a_finite_water_score() {
    let r = beef_with_aware();
    let db = &r.db;
    // 8 processes; alfalfa hay (bb4f02fd) has no quantitative reference: skipped, said so.
    assert_eq!(db.activities.len(), 7);
    assert!(r.warnings.iter().any(|w| w.dataset
        == "processes/bb4f02fd-2277-400d-92ef-0b712aef4baf.json"
        && w.message.starts_with("skipped")));
    let (j, a) = activity(db, "1b97b691-7c00-4150-9e97-df2020bfd203");
    assert_eq!(
        a.name,
        "beef cattle finishing; CCF operation; at auction; LW"
    );
    assert_eq!(a.unit, "kg");
    // locations/669eb22e-….json: name "United States, Nebraska", code "US-NE".
    assert_eq!(a.location, "US-NE");
    let water = db
        .flow_position("67c40aae-d403-464d-9649-c12695e43ad8")
        .unwrap();
    assert_eq!(db.flows[water].name, "Water, well, in ground");
    assert_eq!(db.flows[water].unit, "m3");
    assert_eq!(
        db.flows[water].compartment,
        "Elementary flows/Resource/in water"
    );
    let w_ex: Vec<_> = exchanges_of(db, j, ExchangeKind::Biosphere)
        .into_iter()
        .filter(|e| e.input == water)
        .collect();
    assert!(close(w_ex[0].amount, 4_938_710.0 * 0.00379, 1e-12)); // gal → m3
    // The three defaultProvider links of the finishing process.
    let providers: Vec<&str> = exchanges_of(db, j, ExchangeKind::Technosphere)
        .iter()
        .map(|e| db.activities[e.input].id.as_str())
        .collect();
    for p in [
        "9f9e378b-7faa-4d4c-a419-3374b3632021",
        "ac2816ed-803d-4436-92b6-2ea9cd5ce67a",
        "efa8b1d9-dd4a-4d25-b595-2dad6932e428",
    ] {
        assert!(providers.contains(&p), "{p} not linked");
    }
    // AWARE: 1966 factors in impact_category.json; the beef package has one of their flows.
    let m = db.method("AWARE / Water use").expect("method");
    assert_eq!(m.factors, vec![(water, 42.95)]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("1965 of 1966 factors"))
    );
    // CO2 flows are tagged for the GHG report.
    assert!(db.flows.iter().any(|f| f.gas.is_some()));

    let f = LciSystem::build(db).unwrap().factorise().unwrap();
    let s = f.score_one(j, "AWARE / Water use").unwrap();
    let expected = BEEF_WATER_M3 * 42.95 / BEEF_LW_KG;
    assert!(s.score.is_finite());
    assert!(close(s.score, expected, 1e-9), "{} vs {expected}", s.score);
}

/// End to end: the beef water system written by hand as a Zuji database (water and the
/// links that carry water only) gives the same number as the imported package.
#[test]
fn imported_beef_equals_the_system_written_by_hand() {
    let imported = beef_with_aware().db;
    let j = imported
        .activity_position("1b97b691-7c00-4150-9e97-df2020bfd203")
        .unwrap();
    let got = LciSystem::build(&imported)
        .unwrap()
        .factorise()
        .unwrap()
        .score_one(j, "AWARE / Water use")
        .unwrap()
        .score;

    let gal = 0.00379;
    let ids = ["finishing", "calves", "grass", "feed", "vitamins"];
    let acts = ids
        .iter()
        .map(|id| Activity {
            id: id.to_string(),
            ..Default::default()
        })
        .collect();
    let flows = vec![ElementaryFlow {
        id: "water".into(),
        unit: "m3".into(),
        ..Default::default()
    }];
    let ex = |a, kind, input, amount| Exchange {
        activity: a,
        kind,
        input,
        amount,
        uncertainty: Uncertainty::None,
    };
    use ExchangeKind::*;
    let exchanges = vec![
        ex(0, Production, 0, 2_914_841.44),
        ex(0, Technosphere, 1, 3742.0),
        ex(0, Technosphere, 3, 0.825),
        ex(0, Technosphere, 4, 1000.0),
        ex(0, Biosphere, 0, 4_938_710.0 * gal),
        ex(1, Production, 1, 3742.0),
        ex(1, Technosphere, 2, 23_042_000.0),
        ex(1, Technosphere, 4, 1000.0),
        ex(1, Biosphere, 0, 5_121_345.0 * gal),
        ex(2, Production, 2, 23_042_000.0),
        ex(2, Biosphere, 0, 311_850_000.0 * gal),
        ex(3, Production, 3, 1.0),
        ex(3, Biosphere, 0, 1_031_800_000.0 * gal),
        ex(4, Production, 4, 1.0),
    ];
    let methods = vec![CharacterisationMethod {
        name: "water".into(),
        factors: vec![(0, 42.95)],
    }];
    let hand = LciDatabase::new(DatabaseMeta::default(), acts, flows, exchanges, methods).unwrap();
    let want = LciSystem::build(&hand)
        .unwrap()
        .factorise()
        .unwrap()
        .score_one(0, "water")
        .unwrap()
        .score;
    assert!(close(got, want, 1e-9), "{got} vs {want}");
    assert!(close(want, BEEF_WATER_M3 * 42.95 / BEEF_LW_KG, 1e-9));
}

#[test]
fn us_fpl_mixed_versions_import_with_allocation() {
    // Versions 00.00.0xx and 01.00.012 side by side.
    let r = import_jsonld(&shared(FPL)).expect("imports");
    let db = &r.db;
    // processes/64dec5f5-….json "Wood chip pyrolysis": products Syngas 159 m3 (reference),
    // Tar 11.2 kg, Biochar 36.4 kg; default method CAUSAL (not supported) → its
    // PHYSICAL factors Syngas 0.825, Tar 0.0, Biochar 0.175.
    let (j, a) = activity(db, "64dec5f5-ce97-40f2-a767-2fc665dfb473");
    assert!(a.name.starts_with("Wood chip pyrolysis"));
    assert_eq!(a.unit, "m3");
    assert_eq!(
        exchanges_of(db, j, ExchangeKind::Production)[0].amount,
        159.0
    );
    // It consumes 235 kg whole tree chips from processes/0fc3aa0c-….json: 0.825 × 235.
    let chips = db
        .activity_position("0fc3aa0c-865f-33b1-92d7-4db5ad1c8c1c")
        .unwrap();
    let t = exchanges_of(db, j, ExchangeKind::Technosphere);
    let to_chips: Vec<_> = t.iter().filter(|e| e.input == chips).collect();
    assert_eq!(to_chips.len(), 1);
    assert!(close(to_chips[0].amount, 0.825 * 235.0, 1e-12));
    // The biochar co-product is its own activity with 0.175 of the burdens.
    let biochar = db
        .activities
        .iter()
        .position(|a| a.name.contains("| Biochar"))
        .expect("biochar activity");
    assert_eq!(db.activities[biochar].unit, "kg");
    let bt: Vec<_> = exchanges_of(db, biochar, ExchangeKind::Technosphere)
        .into_iter()
        .filter(|e| e.input == chips)
        .collect();
    assert!(close(bt[0].amount, 0.175 * 235.0, 1e-12));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("PHYSICAL_ALLOCATION factors are used"))
    );
    // Torrefied chips (81e3e71d): factors all zero except causal → different units →
    // everything on the reference product, said so.
    assert!(
        r.warnings
            .iter()
            .any(|w| w.dataset.contains("81e3e71d") && w.message.starts_with("allocation"))
    );
    // Inputs from other databases (electricity, diesel) are cut off with a warning.
    assert!(kinds(&r)["unlinked input"] > 0);
    assert!(LciSystem::build(db).unwrap().factorise().is_ok());
}

#[test]
fn ipcc_method_references_flows_outside_the_package() {
    let r = import_jsonld(&shared(IPCC)).expect("imports");
    assert_eq!(r.db.methods.len(), 8);
    assert!(r.db.method("IPCC / AR6-100").is_some());
    // lcia_categories: AR4 1054 factors, AR6 3519 factors; no flow files in the zip.
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("1054 of 1054"))
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("3519 of 3519"))
    );
}

#[test]
fn aware_loose_files_import_alone() {
    let r = import_jsonld(&shared(AWARE)).expect("imports");
    assert_eq!(r.db.method_names(), vec!["AWARE / Water use"]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.message.contains("1966 of 1966"))
    );
}

#[test]
fn uslci_olca_1_5_imports_and_factorises() {
    let t = std::time::Instant::now();
    let r = import_jsonld(&shared(USLCI)).expect("imports");
    let took = t.elapsed();
    let db = &r.db;
    // 766 processes, 132 of them multi-output → one activity per product: 256 more.
    let processes = 766;
    assert_eq!(db.activities.len(), 1022);
    // 32,526 exchanges in the files; co-product activities repeat their process's
    // inputs and emissions, unlinkable inputs are cut off.
    assert_eq!(db.exchanges.len(), 32_563);
    // 4601 flow files, 2918 of them ELEMENTARY_FLOW.
    assert_eq!(db.flows.len(), 2918);
    // flows/002ae8e2-….json "Carbon dioxide": category "low population density" whose
    // parent (categories/) is "air" — openLCA 1.5 writes only the leaf reference.
    let co2 = &db.flows[db
        .flow_position("002ae8e2-47fa-3117-b728-a167bd9ab730")
        .unwrap()];
    assert_eq!(co2.name, "Carbon dioxide");
    assert_eq!(co2.compartment, "air/low population density");
    assert_eq!(co2.unit, "kg");
    assert_eq!(
        (co2.gas.clone(), co2.origin),
        (Some(zuji_model::Gas::Co2), Some(zuji_model::Origin::Fossil))
    );
    let k = kinds(&r);
    eprintln!(
        "USLCI: {} activities from {processes} processes, {} elementary flows, {} exchanges; \
         warnings by kind {k:?}; import took {took:?}",
        db.activities.len(),
        db.flows.len(),
        db.exchanges.len()
    );
    assert_eq!(k.get("skipped"), None);
    assert_eq!(k["allocation"], 132);
    // 4811 lognormals have geomSd 0 in the files (not a distribution): dropped, warned.
    // Reported once per process and problem: 36 warnings covering 4838 exchanges.
    assert_eq!(k["uncertainty"], 36);
    let dropped: usize = r
        .warnings
        .iter()
        .filter_map(|w| w.message.strip_prefix("uncertainty: "))
        .filter_map(|m| m.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(dropped, 4838);
    assert_eq!(k["unlinked input"], 2784);
    // processes/cb09cf38-….json (Coal crusher facility): parameter Portland_Cement =
    // Concrete × Cement_Fraction = 2,259,000 × 0.141; exchange amountFormula
    // "Portland_Cement" on "Portland cement, at plant" (kg).
    let (j, _) = activity(db, "cb09cf38-4b97-4374-b526-72d02a7ab8e1");
    let cement = exchanges_of(db, j, ExchangeKind::Technosphere)
        .into_iter()
        .find(|e| db.activities[e.input].name.starts_with("Portland cement"));
    // Its only producer is processes/62993671-….json (unique, so linked by flow).
    let c = cement.expect("Portland cement linked to 62993671");
    assert_eq!(
        db.activities[c.input].id,
        "62993671-574c-3fc5-b66a-6be3bb21ad3d"
    );
    assert!(close(c.amount, 2_259_000.0 * 0.141, 1e-12));
    // openLCA's `;` separators and `=` comparisons are read (4b4db9ff VOC formula).
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.message.contains("unexpected character '='"))
    );
    match LciSystem::build(db).and_then(|s| s.factorise()) {
        Ok(_) => eprintln!("USLCI: factorised ({} activities)", db.activities.len()),
        Err(e) => eprintln!("USLCI: does not factorise: {e}"),
    }
}

// ---- export -------------------------------------------------------------------------

/// The database with activities and flows ordered by id and exchanges by (activity, kind,
/// input, amount): import order depends on package file order, content must not.
fn canonical(db: &LciDatabase) -> LciDatabase {
    let mut ai: Vec<usize> = (0..db.activities.len()).collect();
    ai.sort_by(|a, b| db.activities[*a].id.cmp(&db.activities[*b].id));
    let mut fi: Vec<usize> = (0..db.flows.len()).collect();
    fi.sort_by(|a, b| db.flows[*a].id.cmp(&db.flows[*b].id));
    let mut anew = vec![0; ai.len()];
    for (n, o) in ai.iter().enumerate() {
        anew[*o] = n;
    }
    let mut fnew = vec![0; fi.len()];
    for (n, o) in fi.iter().enumerate() {
        fnew[*o] = n;
    }
    let mut ex: Vec<Exchange> = db
        .exchanges
        .iter()
        .map(|e| Exchange {
            activity: anew[e.activity],
            input: if e.kind == ExchangeKind::Biosphere {
                fnew[e.input]
            } else {
                anew[e.input]
            },
            ..*e
        })
        .collect();
    ex.sort_by(|a, b| {
        (a.activity, a.kind.as_str(), a.input)
            .cmp(&(b.activity, b.kind.as_str(), b.input))
            .then(a.amount.total_cmp(&b.amount))
    });
    let mut methods: Vec<CharacterisationMethod> = db
        .methods
        .iter()
        .map(|m| {
            let mut f: Vec<(usize, f64)> = m.factors.iter().map(|(k, v)| (fnew[*k], *v)).collect();
            f.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
            CharacterisationMethod {
                name: m.name.clone(),
                factors: f,
            }
        })
        .collect();
    methods.sort_by(|a, b| a.name.cmp(&b.name));
    LciDatabase::new(
        DatabaseMeta::default(),
        ai.iter().map(|i| db.activities[*i].clone()).collect(),
        fi.iter().map(|i| db.flows[*i].clone()).collect(),
        ex,
        methods,
    )
    .unwrap()
}

fn round_trip(db: &LciDatabase) -> LciDatabase {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pkg.zip");
    export_jsonld(db, &out).expect("exports");
    import_jsonld(&out).expect("re-imports").db
}

#[test]
fn import_export_import_gives_the_same_database() {
    for p in [MINIMAL, EXCHANGE_SYNC, FPL, USLCI] {
        let first = import_jsonld(&shared(p)).unwrap().db;
        assert_eq!(canonical(&round_trip(&first)), canonical(&first), "{p}");
    }
    let beef = beef_with_aware().db;
    assert_eq!(canonical(&round_trip(&beef)), canonical(&beef));
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jsonld")
}

/// Golden files: the export of the minimal package (its file listing and its one
/// process). `ZUJI_BLESS=1` rewrites them after an intended change.
#[test]
fn export_of_the_minimal_package_matches_the_golden_files() {
    let db = import_jsonld(&shared(MINIMAL)).unwrap().db;
    let entries = export_jsonld_entries(&db).unwrap();
    let listing: String = entries.iter().map(|(p, _)| format!("{p}\n")).collect();
    let process = entries
        .iter()
        .find(|(p, _)| p == "processes/68a86e58-0567-433f-ae8a-af32effe1f4c.json")
        .map(|(_, b)| String::from_utf8(b.clone()).unwrap())
        .expect("process file keeps its UUID");
    let dir = golden_dir();
    if std::env::var_os("ZUJI_BLESS").is_some() {
        std::fs::write(dir.join("minimal_listing.txt"), &listing).unwrap();
        std::fs::write(dir.join("minimal_process.json"), &process).unwrap();
    }
    let want_listing = std::fs::read_to_string(dir.join("minimal_listing.txt")).unwrap();
    let want_process = std::fs::read_to_string(dir.join("minimal_process.json")).unwrap();
    assert_eq!(listing, want_listing);
    assert_eq!(process, want_process);
    // Byte-for-byte reproducible zips.
    let d = tempfile::tempdir().unwrap();
    export_jsonld(&db, &d.path().join("a.zip")).unwrap();
    export_jsonld(&db, &d.path().join("b.zip")).unwrap();
    assert_eq!(
        std::fs::read(d.path().join("a.zip")).unwrap(),
        std::fs::read(d.path().join("b.zip")).unwrap()
    );
}

// ---- errors -------------------------------------------------------------------------

/// The minimal package's files, to rebuild broken variants in memory.
fn minimal_files() -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(shared(MINIMAL)).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if f.is_dir() {
            continue;
        }
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.push((name, b));
    }
    out
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (n, b) in files {
        w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn a_missing_referenced_flow_names_the_process_file_and_exchange() {
    let files: Vec<_> = minimal_files()
        .into_iter()
        .filter(|(n, _)| !n.starts_with("flows/"))
        .collect();
    let err = import_jsonld_from_zip_bytes(&zip_of(&files), "broken.zip").unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, JsonLdError::Field { .. }));
    assert!(
        msg.contains("processes/68a86e58-0567-433f-ae8a-af32effe1f4c.json"),
        "{msg}"
    );
    assert!(msg.contains("exchanges[0].flow.@id"), "{msg}");
    assert!(
        msg.contains("e18da15e-3925-46fb-a028-7075244469cc"),
        "{msg}"
    );
}

#[test]
fn bad_json_names_the_file_and_position() {
    let files: Vec<_> = minimal_files()
        .into_iter()
        .map(|(n, b)| {
            if n.starts_with("processes/") {
                (
                    n,
                    b"{\n  \"@type\": \"Process\",\n  \"name\": oops\n}".to_vec(),
                )
            } else {
                (n, b)
            }
        })
        .collect();
    let err = import_jsonld_from_zip_bytes(&zip_of(&files), "broken.zip").unwrap_err();
    match &err {
        JsonLdError::Json { file, line, .. } => {
            assert_eq!(file, "processes/68a86e58-0567-433f-ae8a-af32effe1f4c.json");
            assert_eq!(*line, 3);
        }
        other => panic!("unexpected {other}"),
    }
    assert!(err.to_string().contains("line 3"));
}

#[test]
fn a_unit_outside_the_flow_property_is_an_error() {
    let files: Vec<_> = minimal_files()
        .into_iter()
        .map(|(n, b)| {
            if n.starts_with("processes/") {
                let mut v: serde_json::Value = serde_json::from_slice(&b).unwrap();
                v["exchanges"][0]["unit"] =
                    serde_json::json!({"@id": "00000000-0000-0000-0000-000000000000", "name": "furlong"});
                (n, serde_json::to_vec(&v).unwrap())
            } else {
                (n, b)
            }
        })
        .collect();
    let err = import_jsonld_from_zip_bytes(&zip_of(&files), "units.zip").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("processes/68a86e58-0567-433f-ae8a-af32effe1f4c.json"),
        "{msg}"
    );
    assert!(msg.contains("exchanges[0].unit"), "{msg}");
    assert!(msg.contains("'furlong'"), "{msg}");
}

// ---- properties ---------------------------------------------------------------------

fn uuid_of(i: usize, kind: u8) -> String {
    format!("{kind:08x}-0000-4000-8000-{i:012x}")
}

/// A random small database in what the format carries: UUID ids (or plain ids, carried
/// in tags), units from Zuji's list, flows the GHG classifier tags, uncertainty.
fn random_db() -> impl Strategy<Value = LciDatabase> {
    let units = ["kg", "kWh", "MJ", "m3", "t*km", "p*km", "piece"];
    (1usize..6, any::<bool>()).prop_flat_map(move |(n, plain_ids)| {
        (
            proptest::collection::vec((0usize..units.len(), 0.5f64..3.0), n),
            proptest::collection::vec((0..n, 0..n, -0.2f64..0.5, 0u8..4), 0..(2 * n)),
            proptest::collection::vec((0..n, 0usize..3, 0.01f64..5.0, any::<bool>()), 0..(3 * n)),
            proptest::collection::vec((0usize..3, 0.1f64..30.0), 0..4),
        )
            .prop_map(move |(acts, tech, bio, cfs)| {
                let activities: Vec<Activity> = acts
                    .iter()
                    .enumerate()
                    .map(|(i, (u, _))| Activity {
                        id: if plain_ids {
                            format!("a{i}")
                        } else {
                            uuid_of(i, 1)
                        },
                        name: format!("activity {i}"),
                        unit: units[*u].to_string(),
                        location: if i % 2 == 0 {
                            "CN".into()
                        } else {
                            String::new()
                        },
                        category: (i % 3 == 0).then(|| "C/Manufacturing".to_string()),
                        comment: (i % 2 == 1).then(|| "made up".to_string()),
                        ..Default::default()
                    })
                    .collect();
                let defs = [
                    (
                        "Carbon dioxide, fossil",
                        "Elementary flows/Emission to air/unspecified",
                        "kg",
                    ),
                    (
                        "Methane, biogenic",
                        "Elementary flows/Emission to air/unspecified",
                        "kg",
                    ),
                    (
                        "Water, well, in ground",
                        "Elementary flows/Resource/in water",
                        "m3",
                    ),
                ];
                let flows = defs
                    .iter()
                    .enumerate()
                    .map(|(k, (name, c, u))| {
                        let tag = zuji_formats::ghg_flows::classify(name, c);
                        ElementaryFlow {
                            id: if plain_ids {
                                format!("f{k}")
                            } else {
                                uuid_of(k, 2)
                            },
                            name: name.to_string(),
                            compartment: c.to_string(),
                            unit: u.to_string(),
                            gas: tag.as_ref().map(|t| t.0.clone()),
                            origin: tag.map(|t| t.1),
                        }
                    })
                    .collect();
                let mut exchanges: Vec<Exchange> = acts
                    .iter()
                    .enumerate()
                    .map(|(j, (_, p))| Exchange {
                        activity: j,
                        kind: ExchangeKind::Production,
                        input: j,
                        amount: *p,
                        uncertainty: Uncertainty::None,
                    })
                    .collect();
                for (j, i, a, u) in tech {
                    let uncertainty = match u {
                        1 => Uncertainty::Normal { sd: 0.1 },
                        2 => Uncertainty::Uniform {
                            min: a - 1.0,
                            max: a + 1.0,
                        },
                        3 => Uncertainty::Triangular {
                            min: a - 1.0,
                            mode: Some(a),
                            max: a + 2.0,
                        },
                        _ => Uncertainty::None,
                    };
                    exchanges.push(Exchange {
                        activity: j,
                        kind: ExchangeKind::Technosphere,
                        input: i,
                        amount: a,
                        uncertainty,
                    });
                }
                for (j, k, a, lognormal) in bio {
                    exchanges.push(Exchange {
                        activity: j,
                        kind: ExchangeKind::Biosphere,
                        input: k,
                        amount: a,
                        uncertainty: if lognormal {
                            Uncertainty::Lognormal { gsd: 1.5 }
                        } else {
                            Uncertainty::None
                        },
                    });
                }
                let methods = vec![
                    CharacterisationMethod {
                        name: "IPCC / GWP100".into(),
                        factors: cfs.clone(),
                    },
                    CharacterisationMethod {
                        name: "Water".into(),
                        factors: vec![(2, 1.0)],
                    },
                ];
                LciDatabase::new(
                    DatabaseMeta::default(),
                    activities,
                    flows,
                    exchanges,
                    methods,
                )
                .expect("valid")
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn round_trip_of_random_databases(db in random_db()) {
        let back = round_trip(&db);
        prop_assert_eq!(canonical(&back), canonical(&db));
    }

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = import_jsonld_from_zip_bytes(&bytes, "random.zip");
    }

    #[test]
    fn corrupted_packages_never_panic(pos in 0usize..6000, byte: u8, cut in 0usize..6000) {
        let mut bytes = std::fs::read(shared(MINIMAL)).unwrap();
        if !bytes.is_empty() {
            let p = pos % bytes.len();
            bytes[p] = byte;
            bytes.truncate(cut.max(p + 1));
        }
        let _ = import_jsonld_from_zip_bytes(&bytes, "corrupt.zip");
    }

    #[test]
    fn random_json_entities_never_panic(
        flow_type in prop::sample::select(vec!["PRODUCT_FLOW", "WASTE_FLOW", "ELEMENTARY_FLOW", "x"]),
        amount in prop::num::f64::ANY,
        input: bool, qref: bool, avoided: bool,
        formula in "[a-z0-9+*/(); =<>]{0,12}",
        dist in prop::sample::select(vec!["LOG_NORMAL_DISTRIBUTION", "NORMAL_DISTRIBUTION", "TRIANGLE_DISTRIBUTION", "UNIFORM_DISTRIBUTION", "?"]),
        x in prop::num::f64::ANY,
    ) {
        let mut files = minimal_files();
        for (n, b) in files.iter_mut() {
            if n.starts_with("flows/") {
                let s = String::from_utf8(b.clone()).unwrap().replace("PRODUCT_FLOW", flow_type);
                *b = s.into_bytes();
            }
            if n.starts_with("processes/") {
                let mut v: serde_json::Value = serde_json::from_slice(b).unwrap();
                let e = &mut v["exchanges"][0];
                e["amount"] = serde_json::json!(if amount.is_finite() { amount } else { 0.0 });
                e["input"] = serde_json::json!(input);
                e["quantitativeReference"] = serde_json::json!(qref);
                e["avoidedProduct"] = serde_json::json!(avoided);
                e["amountFormula"] = serde_json::json!(formula);
                let x = if x.is_finite() { x } else { -1.0 };
                e["uncertainty"] = serde_json::json!({"distributionType": dist, "geomSd": x, "sd": x, "minimum": x, "maximum": -x, "mode": x});
                *b = serde_json::to_vec(&v).unwrap();
            }
        }
        let _ = import_jsonld_from_zip_bytes(&zip_of(&files), "random.zip");
    }
}
