//! ILCD import, checked against real files written by others (`../shared/data/ilcd`,
//! `../shared/data/ilcd-epd`) and a small hand-written archive
//! (`tests/data/ilcd/`: 2 processes, 3 product flows, 1 elementary CO2 flow) put
//! together with the reference flow properties and unit groups of openLCA's ILCD folder
//! zip. Every value asserted here was read from the file named next to it.

use proptest::prelude::*;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use zuji_calc::lci::LciSystem;
use zuji_formats::epd::{EpdError, EpdOptions, stages};
use zuji_formats::ilcd::{
    EpdSource, IlcdError, import_ilcd, import_ilcd_epd, import_ilcd_from_zip_bytes,
    import_ilcd_with_epd_modules,
};
use zuji_formats::import::ImportReport;
use zuji_model::LifeCycleStage;
use zuji_model::lci::{CharacterisationMethod, ExchangeKind};
use zuji_model::uncertainty::Uncertainty;
use zuji_model::{Gas, Origin};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

fn local(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/ilcd")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const ELECTRICITY_PROCESS: &str = "aaaa0000-0000-4000-8000-00000000000a";
const STEEL_PROCESS: &str = "bbbb0000-0000-4000-8000-00000000000b";
const CO2: &str = "c0200000-0000-4000-8000-000000000004";
const TAP_WATER: &str = "7a900000-0000-4000-8000-000000000003";

/// Every entry of a zip, as (name, bytes), keeping those `keep` accepts.
fn entries(zip_path: &Path, keep: impl Fn(&str) -> bool) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(zip_path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut e = archive.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if e.is_dir() || !keep(&name) {
            continue;
        }
        let mut b = Vec::new();
        e.read_to_end(&mut b).unwrap();
        out.push((name, b));
    }
    out
}

/// The reference folder zip's flow properties, unit groups, contacts and sources.
fn reference_data() -> Vec<(String, Vec<u8>)> {
    entries(&shared("ilcd/olca-ilcd_reference_ilcd_folder.zip"), |n| {
        ["flowproperties/", "unitgroups/", "contacts/", "sources/"]
            .iter()
            .any(|d| n.starts_with(&format!("ILCD/{d}")))
    })
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

/// The hand-written test archive: reference data plus tests/data/ilcd.
fn small_archive() -> Vec<(String, Vec<u8>)> {
    let mut files = reference_data();
    for f in [
        "flow_electricity.xml",
        "flow_steel.xml",
        "flow_tap_water.xml",
        "flow_co2.xml",
    ] {
        files.push((format!("ILCD/flows/{f}"), local(f)));
    }
    for p in ["process_electricity.xml", "process_steel.xml"] {
        files.push((format!("ILCD/processes/{p}"), local(p)));
    }
    files
}

fn warned(r: &ImportReport, dataset: &str, text: &str) -> bool {
    r.warnings
        .iter()
        .any(|w| w.dataset == dataset && w.message.contains(text))
}

/// Scores per unit of each process's reference product with CO2 = 1.
fn score(r: &ImportReport, process: &str) -> f64 {
    let mut db = r.db.clone();
    let co2 = db.flow_position(CO2).unwrap();
    db.methods.push(CharacterisationMethod {
        name: "GWP".into(),
        factors: vec![(co2, 1.0)],
    });
    let f = LciSystem::build(&db).unwrap().factorise().unwrap();
    f.score_one(db.activity_position(process).unwrap(), "GWP")
        .unwrap()
        .score
}

fn check_small(r: &ImportReport) {
    let db = &r.db;
    assert_eq!(db.activities.len(), 2);
    let steel = &db.activities[db.activity_position(STEEL_PROCESS).unwrap()];
    // process_steel.xml: baseName, location, referenceYear 2018, dataSetValidUntil 2025
    assert_eq!(steel.name, "steel production, converter");
    assert_eq!(steel.location, "RER");
    assert_eq!(steel.year.as_deref(), Some("2018-2025"));
    // flow_steel.xml: reference flow property 1 = Mass (…0800200b9a66) → unit group
    // 93a60a57-a4c8-… reference unit 0 = kg (property 0, Area, must not be used)
    assert_eq!(steel.unit, "kg");
    let el = &db.activities[db.activity_position(ELECTRICITY_PROCESS).unwrap()];
    // Net calorific value → Units of energy, reference unit MJ
    assert_eq!(el.unit, "MJ");
    assert_eq!(el.location, "CN");
    assert_eq!(el.year.as_deref(), Some("2020"));

    assert_eq!(db.flows.len(), 1);
    let co2 = &db.flows[0];
    assert_eq!(co2.id, CO2);
    assert_eq!(co2.name, "carbon dioxide, fossil"); // the "en" baseName, not "de"
    assert_eq!(co2.unit, "kg");
    assert_eq!(
        co2.compartment,
        "Emissions/Emissions to air/Emissions to air, unspecified"
    );
    assert_eq!(co2.gas, Some(Gas::Co2));
    assert_eq!(co2.origin, Some(Origin::Fossil));

    let s = db.activity_position(STEEL_PROCESS).unwrap();
    let e = db.activity_position(ELECTRICITY_PROCESS).unwrap();
    let of = |a: usize, kind: ExchangeKind| {
        db.exchanges
            .iter()
            .filter(|x| x.activity == a && x.kind == kind)
            .collect::<Vec<_>>()
    };
    // steel: production 2 kg
    assert_eq!(of(s, ExchangeKind::Production)[0].amount, 2.0);
    // electricity input: meanAmount 5 × factor (= 2 × base = 2) = 10, not the stale
    // resultingAmount 35; triangular 8 … 12
    let tech = of(s, ExchangeKind::Technosphere);
    assert_eq!(tech.len(), 1, "tap water has no provider and is dropped");
    assert_eq!(tech[0].input, e);
    assert_eq!(tech[0].amount, 10.0);
    assert_eq!(
        tech[0].uncertainty,
        Uncertainty::Triangular {
            min: 8.0,
            mode: Some(10.0),
            max: 12.0
        }
    );
    // steel CO2: 1.5 kg, normal with 2·SD = 20 % → sd = 0.15
    let bio = of(s, ExchangeKind::Biosphere);
    assert_eq!(bio[0].amount, 1.5);
    match bio[0].uncertainty {
        Uncertainty::Normal { sd } => assert!((sd - 0.15).abs() < 1e-12),
        other => panic!("expected normal, got {other:?}"),
    }
    // electricity CO2: 0.2 kg, log-normal with SDg² = 2.25 → GSD 1.5
    let bio = of(e, ExchangeKind::Biosphere);
    assert_eq!(bio[0].amount, 0.2);
    assert_eq!(bio[0].uncertainty, Uncertainty::Lognormal { gsd: 1.5 });

    assert!(warned(r, STEEL_PROCESS, TAP_WATER), "{:?}", r.warnings);
    assert!(warned(r, STEEL_PROCESS, "dropped"));

    // Hand-derived: 1 MJ electricity = 0.2 kg CO2; 1 kg steel = (10 × 0.2 + 1.5) / 2.
    assert!((score(r, ELECTRICITY_PROCESS) - 0.2).abs() < 1e-12);
    assert!((score(r, STEEL_PROCESS) - 1.75).abs() < 1e-12);
}

#[test]
fn small_archive_computes_the_hand_derived_score() {
    let r = import_ilcd_from_zip_bytes(&zip_of(&small_archive()), "small.zip").unwrap();
    check_small(&r);
    assert_eq!(r.db.meta.id, "small");
}

#[test]
fn zip_file_and_unpacked_folder_import_alike() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("small.zip");
    std::fs::write(&zip_path, zip_of(&small_archive())).unwrap();
    check_small(&import_ilcd(&zip_path).unwrap());

    let folder = dir.path().join("unpacked");
    for (name, bytes) in small_archive() {
        let p = folder.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    check_small(&import_ilcd(&folder).unwrap());
}

#[test]
fn real_elcd_flow_resolves_through_the_reference_folder() {
    // ilcd/olca-ilcd/flow.xml: glycidol, ELCD elementary flow 0d7a3ad1-6556-11dd-ad8b-
    // 0800200c9a66, categories Emissions / Emissions to air / Emissions to lower
    // stratosphere and upper troposphere, flow property 93a60a56-…-0800200b9a66 (Mass).
    let mut files = small_archive();
    files.push((
        "ILCD/flows/0d7a3ad1-6556-11dd-ad8b-0800200c9a66.xml".into(),
        std::fs::read(shared("ilcd/olca-ilcd/flow.xml")).unwrap(),
    ));
    let steel = String::from_utf8(local("process_steel.xml")).unwrap();
    let steel = steel.replace(
        "</exchanges>",
        r#"<exchange dataSetInternalID="9">
      <referenceToFlowDataSet refObjectId="0d7a3ad1-6556-11dd-ad8b-0800200c9a66"/>
      <exchangeDirection>Output</exchangeDirection>
      <meanAmount>4.5E-3</meanAmount>
    </exchange></exchanges>"#,
    );
    files.retain(|(n, _)| !n.ends_with("process_steel.xml"));
    files.push(("ILCD/processes/steel.xml".into(), steel.into_bytes()));
    let r = import_ilcd_from_zip_bytes(&zip_of(&files), "elcd.zip").unwrap();
    let g = &r.db.flows[r
        .db
        .flow_position("0d7a3ad1-6556-11dd-ad8b-0800200c9a66")
        .unwrap()];
    assert_eq!(g.name, "glycidol");
    assert_eq!(g.unit, "kg");
    assert_eq!(
        g.compartment,
        "Emissions/Emissions to air/Emissions to lower stratosphere and upper troposphere"
    );
    assert_eq!(g.gas, None);
    let x =
        r.db.exchanges
            .iter()
            .find(|x| x.kind == ExchangeKind::Biosphere && r.db.flows[x.input].id == g.id)
            .unwrap();
    assert_eq!(x.amount, 4.5e-3);
}

/// A folder holding one file, for the single-file cases.
fn alone(src: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(src.file_name().unwrap());
    std::fs::copy(src, &p).unwrap();
    (dir, p)
}

#[test]
fn elcd_process_without_its_flows_names_file_exchange_and_uuid() {
    // ilcd/olca-ilcd/process.xml: ELCD ABS granulate, exchange 0 = "carcass meal",
    // flow eb5924c9-5e3d-435b-a988-9937a73b44d6; no flows are shipped with it.
    let (_dir, p) = alone(&shared("ilcd/olca-ilcd/process.xml"));
    for path in [p.clone(), p.parent().unwrap().to_path_buf()] {
        let err = import_ilcd(&path).unwrap_err();
        match &err {
            IlcdError::MissingFlow {
                file,
                exchange,
                flow,
            } => {
                assert!(file.ends_with("process.xml"), "{file}");
                assert_eq!(exchange, "0");
                assert_eq!(flow, "eb5924c9-5e3d-435b-a988-9937a73b44d6");
            }
            other => panic!("expected a missing-flow error, got {other}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("process.xml") && msg.contains("eb5924c9-5e3d-435b-a988-9937a73b44d6")
        );
        assert!(msg.contains("dataSetInternalID=\"0\""), "{msg}");
    }
}

#[test]
fn sdk_sample_process_reads_every_field_then_misses_its_flows() {
    // ilcd/olca-ilcd/sdk_sample_process.xml: every optional element filled; exchange 0
    // refers to flow 00000000-0000-0000-0000-000000000000.
    let (_dir, p) = alone(&shared("ilcd/olca-ilcd/sdk_sample_process.xml"));
    match import_ilcd(&p).unwrap_err() {
        IlcdError::MissingFlow { exchange, flow, .. } => {
            assert_eq!(exchange, "0");
            assert_eq!(flow, "00000000-0000-0000-0000-000000000000");
        }
        other => panic!("expected a missing-flow error, got {other}"),
    }
}

#[test]
fn non_process_files_alone_are_not_a_database() {
    for f in [
        "flow.xml",
        "flowproperty.xml",
        "unit.xml",
        "contact.xml",
        "source.xml",
    ] {
        let (_dir, p) = alone(&shared(&format!("ilcd/olca-ilcd/{f}")));
        assert!(
            matches!(import_ilcd(&p), Err(IlcdError::Empty { .. })),
            "{f}"
        );
    }
}

#[test]
fn missing_flow_property_is_named() {
    let files: Vec<_> = small_archive()
        .into_iter()
        .filter(|(n, _)| !n.contains("flowproperties/"))
        .collect();
    let err = import_ilcd_from_zip_bytes(&zip_of(&files), "nofp.zip").unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(
            err,
            IlcdError::MissingReference {
                what: "flow property",
                ..
            }
        ),
        "{msg}"
    );
    assert!(msg.contains("ILCD/flows/flow_"), "{msg}");
}

#[test]
fn cyclic_parameters_are_an_error() {
    let mut files = small_archive();
    for (n, b) in files.iter_mut() {
        if n.ends_with("process_steel.xml") {
            let s = String::from_utf8(b.clone()).unwrap();
            *b = s
                .replace(
                    "<meanValue>1</meanValue>",
                    "<formula>factor / 2</formula><meanValue>1</meanValue>",
                )
                .into_bytes();
        }
    }
    let err = import_ilcd_from_zip_bytes(&zip_of(&files), "cycle.zip").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("cycle") && msg.contains(STEEL_PROCESS),
        "{msg}"
    );
}

#[test]
fn a_process_twice_is_an_error_naming_both_files() {
    let mut files = small_archive();
    files.push((
        "ILCD/processes/copy_of_steel.xml".into(),
        local("process_steel.xml"),
    ));
    let msg = import_ilcd_from_zip_bytes(&zip_of(&files), "twice.zip")
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("copy_of_steel.xml")
            && msg.contains("process_steel.xml")
            && msg.contains(STEEL_PROCESS),
        "{msg}"
    );
}

#[test]
fn epd_data_sets_keep_their_reference_flow_and_say_how_modules_map() {
    let zip = shared("ilcd-epd/InDataWG_ILCD-EPD_sample_data.zip");
    // sample_EPD.xml's reference exchange 42 refers to flow aaaaaaaa-aaaa-aaaa-aaaa-
    // aaaaaaaaaaaa, which is not in the zip (referenceflow.xml has UUID 000…): reported.
    match import_ilcd(&zip).unwrap_err() {
        IlcdError::MissingFlow {
            file,
            exchange,
            flow,
        } => {
            assert!(file.ends_with("ILCD/processes/sample_EPD.xml"), "{file}");
            assert_eq!(exchange, "42");
            assert_eq!(flow, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
        }
        other => panic!("expected a missing-flow error, got {other}"),
    }
    let files = entries(&zip, |n| !n.ends_with("sample_EPD.xml"));
    let dir = tempfile::tempdir().unwrap();
    let epd_zip = dir.path().join("epd.zip");
    std::fs::write(&epd_zip, zip_of(&files)).unwrap();
    let (r, modules) = import_ilcd_with_epd_modules(&epd_zip).unwrap();
    assert_eq!(r.db.activities.len(), 3);
    for a in &r.db.activities {
        assert!(
            warned(&r, &a.id, "EN 15804 module values"),
            "{}: {:?}",
            a.id,
            r.warnings
        );
        assert!(warned(
            &r,
            &a.id,
            "the database activity carries only its reference flow"
        ));
        assert!(warned(&r, &a.id, "EN 15804 modules mapped to stages"));
        // each activity keeps its reference product only
        let own: Vec<_> =
            r.db.exchanges
                .iter()
                .filter(|x| x.activity == a.id_pos(&r))
                .collect();
        assert_eq!(own.len(), 1);
        assert_eq!(own[0].kind, ExchangeKind::Production);
    }
    // EPDv1.3_example_….xml: UUID 57a4ae65-d305-421e-b21f-a3f0c35b8abe, baseName "Wood
    // panel", location PL, referenceYear 2020, dataSetValidUntil 2025, modules A1-A3, A4,
    // C3, C4, D; reference exchange 42 (meanAmount 1.0) → flow a7432abd-… whose reference
    // flow property 0 is Mass (93a60a56-…-0800200b9a66) → kg.
    let wood = "57a4ae65-d305-421e-b21f-a3f0c35b8abe";
    assert!(
        warned(&r, wood, "modules A1-A3, A4, C3, C4, D"),
        "{:?}",
        r.warnings
    );
    let a = &r.db.activities[r.db.activity_position(wood).unwrap()];
    assert_eq!(
        (a.name.as_str(), a.location.as_str(), a.unit.as_str()),
        ("Wood panel", "PL", "kg")
    );
    assert_eq!(a.year.as_deref(), Some("2020-2025"));
    let p =
        r.db.exchanges
            .iter()
            .find(|x| x.activity == a.id_pos(&r))
            .unwrap();
    assert_eq!(p.amount, 1.0);
    // referenceflow.xml and referenceflow_generic.xml share UUID 000…: said, not hidden.
    assert!(warned(
        &r,
        "00000000-0000-0000-0000-000000000000",
        "appears in both"
    ));

    // The module values themselves (grep -c 'epd:module=' gives 333 for the wood panel,
    // 25 each for Heizkoerper.xml and Kalk_(CaO__Feinkalk).xml).
    let of = |id: &str| modules.iter().filter(|m| m.process == id).count();
    assert_eq!(of(wood), 333);
    assert_eq!(modules.len(), 333 + 25 + 25);
    // exchange 43: flow a2b32f97-… "Components for re-use (CRU)",
    // <epd:amount epd:module="A1-A3">5.9841900871683285</epd:amount> and
    // <epd:amount epd:module="D" epd:scenario="100% recycling">1.1174092237469284</…>
    let cru: Vec<_> = modules
        .iter()
        .filter(|m| m.reference.as_deref() == Some("a2b32f97-3fc7-4af2-b209-525bc6426f33"))
        .collect();
    assert_eq!(cru[0].indicator, "Components for re-use (CRU)");
    assert_eq!(cru[0].source, EpdSource::Exchange);
    assert_eq!(
        (
            cru[0].module.as_str(),
            cru[0].scenario.as_deref(),
            cru[0].amount
        ),
        ("A1-A3", None, 5.9841900871683285)
    );
    assert_eq!(
        (
            cru[1].module.as_str(),
            cru[1].scenario.as_deref(),
            cru[1].amount
        ),
        ("D", Some("100% recycling"), 1.1174092237469284)
    );
    // LCIA result: method b2ad6494-c78d-11e6-9d9d-cec0c932ce01 "Abiotic depletion
    // potential - non-fossil resources (ADPE)", A1-A3 = 4.168822415416439
    let adpe = modules
        .iter()
        .find(|m| m.reference.as_deref() == Some("b2ad6494-c78d-11e6-9d9d-cec0c932ce01"))
        .unwrap();
    assert_eq!(adpe.source, EpdSource::LciaResult);
    assert_eq!(
        adpe.indicator,
        "Abiotic depletion potential - non-fossil resources (ADPE)"
    );
    assert_eq!(
        (adpe.module.as_str(), adpe.amount),
        ("A1-A3", 4.168822415416439)
    );
    assert_eq!(adpe.process, wood);
    assert!(r.db.flows.is_empty());
}

trait Pos {
    fn id_pos(&self, r: &ImportReport) -> usize;
}
impl Pos for zuji_model::lci::Activity {
    fn id_pos(&self, r: &ImportReport) -> usize {
        r.db.activity_position(&self.id).unwrap()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let _ = import_ilcd_from_zip_bytes(&bytes, "fuzz.zip");
    }

    #[test]
    fn mutated_process_never_panics(cut in 0usize..4000, byte in any::<u8>()) {
        let mut files = small_archive();
        for (n, b) in files.iter_mut() {
            if n.ends_with("process_steel.xml") {
                let at = cut % b.len();
                b[at] = byte;
            }
        }
        let _ = import_ilcd_from_zip_bytes(&zip_of(&files), "mut.zip");
    }
}

#[test]
fn waste_output_is_treated_by_the_process_taking_it_as_reference_input() {
    // A treatment process made from process_electricity.xml: its reference exchange 0
    // becomes an *Input* of 1 kg slag (emitting 0.2 kg CO2); steel outputs 0.5 kg slag.
    const SLAG: &str = "51a90000-0000-4000-8000-000000000005";
    const TREATMENT: &str = "cccc0000-0000-4000-8000-00000000000c";
    let text = |f: &str| String::from_utf8(local(f)).unwrap();
    let slag_flow = text("flow_tap_water.xml")
        .replace(TAP_WATER, SLAG)
        .replace("tap water", "slag")
        .replace("Product flow", "Waste flow");
    let treatment = text("process_electricity.xml")
        .replace(ELECTRICITY_PROCESS, TREATMENT)
        .replace("e1ec0000-0000-4000-8000-000000000001", SLAG)
        .replacen(
            "<exchangeDirection>Output</exchangeDirection>",
            "<exchangeDirection>Input</exchangeDirection>",
            1,
        );
    let steel = text("process_steel.xml").replace(
        "</exchanges>",
        &format!(
            r#"<exchange dataSetInternalID="5">
      <referenceToFlowDataSet refObjectId="{SLAG}"/>
      <exchangeDirection>Output</exchangeDirection>
      <meanAmount>0.5</meanAmount>
    </exchange></exchanges>"#
        ),
    );
    let mut files: Vec<_> = small_archive()
        .into_iter()
        .filter(|(n, _)| !n.ends_with("process_steel.xml"))
        .collect();
    files.push(("ILCD/flows/slag.xml".into(), slag_flow.into_bytes()));
    files.push((
        "ILCD/processes/treatment.xml".into(),
        treatment.into_bytes(),
    ));
    files.push(("ILCD/processes/steel.xml".into(), steel.into_bytes()));
    let r = import_ilcd_from_zip_bytes(&zip_of(&files), "waste.zip").unwrap();
    let t = r.db.activity_position(TREATMENT).unwrap();
    let production =
        r.db.exchanges
            .iter()
            .find(|x| x.activity == t && x.kind == ExchangeKind::Production)
            .unwrap();
    assert_eq!(production.amount, -1.0);
    // 1 kg steel = (10 MJ × 0.2 + 1.5 + 0.5 kg slag × 0.2) / 2
    assert!((score(&r, STEEL_PROCESS) - 1.8).abs() < 1e-12);
}

/// The InDataWG sample zip without `sample_EPD.xml` (its product flow is not in the zip).
fn epd_zip(dir: &Path) -> PathBuf {
    let zip = shared("ilcd-epd/InDataWG_ILCD-EPD_sample_data.zip");
    let files = entries(&zip, |n| !n.ends_with("sample_EPD.xml"));
    let out = dir.join("epd.zip");
    std::fs::write(&out, zip_of(&files)).unwrap();
    out
}

const WOOD: &str = "57a4ae65-d305-421e-b21f-a3f0c35b8abe";

#[test]
fn epd_modules_map_to_stages_with_default_scenarios() {
    let dir = tempfile::tempdir().unwrap();
    let (r, sets) = import_ilcd_epd(&epd_zip(dir.path())).unwrap();
    assert_eq!(sets.len(), 3);
    let wood = sets.iter().find(|s| s.process == WOOD).unwrap();
    // EPDv1.3_example_….xml, <epd:scenarios>: "Transport to Gdansk" and "100% recycling"
    // carry epd:default="true".
    assert_eq!(
        wood.default_scenarios,
        vec![
            "Transport to Gdansk".to_string(),
            "100% recycling".to_string()
        ]
    );
    let st = stages(wood, &EpdOptions::default()).unwrap();
    // LCIAResult refObjectId 6a37f984-… "Global Warming Potential - total (GWP-total)":
    // A1-A3 15.559479677163699; A4 "Transport to Gdansk" 10.403452605105544;
    // C3 "100% recycling" 12.55722191320309; C4 "100% recycling" 16.861343234824155;
    // D "100% recycling" 3.890472762252513. Reference exchange 42: meanAmount 1.0 kg.
    assert_eq!(st.indicator, "Global Warming Potential - total (GWP-total)");
    assert_eq!(
        st.indicator_reference.as_deref(),
        Some("6a37f984-a4b3-458a-a20a-64418c145fa2")
    );
    assert_eq!(st.unit, "kg");
    assert_eq!(st.stages[&LifeCycleStage::Production], 15.559479677163699);
    assert_eq!(st.stages[&LifeCycleStage::Distribution], 10.403452605105544);
    assert_eq!(
        st.stages[&LifeCycleStage::EndOfLife],
        12.55722191320309 + 16.861343234824155
    );
    assert!(
        !st.stages
            .contains_key(&LifeCycleStage::RawMaterialAcquisition)
    );
    assert!(!st.stages.contains_key(&LifeCycleStage::Use));
    assert_eq!(st.module_d, Some(3.890472762252513));
    let total = 15.559479677163699 + 10.403452605105544 + 12.55722191320309 + 16.861343234824155;
    assert!((st.total() - total).abs() < 1e-12, "{}", st.total());
    assert!(
        st.warnings
            .iter()
            .any(|w| w.contains("module D") && w.contains("not added"))
    );
    assert!(
        st.warnings
            .iter()
            .any(|w| w.contains("A1-A3 is declared as one aggregate"))
    );
    assert!(
        st.warnings
            .iter()
            .any(|w| w.contains("A4 'Transport to Gdansk' (of 2 scenarios)")),
        "{:?}",
        st.warnings
    );
    // The import report carries the same mapping per data set.
    assert!(warned(&r, WOOD, "production 15.559479677163699"));
    assert!(warned(&r, WOOD, "module D (3.890472762252513"));

    // EN 15804+A1 data sets: LCIAResult 77e416eb-… "Globales Erwärmungspotenzial (GWP)",
    // A1-A3 only: Kalk 1.45889833121899, Heizkörper 4.3636825804849 (meanAmount 1 each).
    for (file, gwp) in [
        ("Kalk_(CaO__Feinkalk).xml", 1.45889833121899),
        ("Heizkoerper.xml", 4.3636825804849),
    ] {
        let set = sets.iter().find(|s| s.file.ends_with(file)).unwrap();
        assert_eq!(set.reference_amount, 1.0);
        let st = stages(set, &EpdOptions::default()).unwrap();
        assert_eq!(st.indicator, "Globales Erwärmungspotenzial (GWP)");
        assert_eq!(st.stages.len(), 1);
        assert_eq!(st.stages[&LifeCycleStage::Production], gwp);
        assert_eq!(st.module_d, None);
        // The aggregate may be put under raw-material acquisition instead.
        let opts = EpdOptions {
            aggregate_product_stage: LifeCycleStage::RawMaterialAcquisition,
            ..Default::default()
        };
        let st = stages(set, &opts).unwrap();
        assert_eq!(st.stages[&LifeCycleStage::RawMaterialAcquisition], gwp);
    }
}

#[test]
fn epd_scenarios_can_be_chosen_and_ambiguity_is_said() {
    let dir = tempfile::tempdir().unwrap();
    let (_, sets) = import_ilcd_epd(&epd_zip(dir.path())).unwrap();
    let mut wood = sets.into_iter().find(|s| s.process == WOOD).unwrap();
    let opts = EpdOptions {
        scenarios: vec!["Transport to Berlin".into(), "100% incineration".into()],
        ..Default::default()
    };
    let st = stages(&wood, &opts).unwrap();
    // GWP-total: A4 "Transport to Berlin" 10.621689444677362; C3 "100% incineration"
    // 29.83997231119644; C4 37.34889504407421; D 21.473728298846915.
    assert_eq!(st.stages[&LifeCycleStage::Distribution], 10.621689444677362);
    assert_eq!(
        st.stages[&LifeCycleStage::EndOfLife],
        29.83997231119644 + 37.34889504407421
    );
    assert_eq!(st.module_d, Some(21.473728298846915));
    // Without defaults and without a choice, a module with two scenarios is left out,
    // with a warning; A1-A3 (no scenario) stays.
    wood.default_scenarios.clear();
    let st = stages(&wood, &EpdOptions::default()).unwrap();
    assert_eq!(st.stages.len(), 1);
    assert_eq!(st.stages[&LifeCycleStage::Production], 15.559479677163699);
    assert_eq!(st.module_d, None);
    assert!(st.warnings.iter().any(|w| w.starts_with(
        "module A4: 2 scenarios (Transport to Gdansk, Transport to Berlin) and none chosen"
    )));
    // A data set without a climate indicator is an error naming file and process.
    wood.modules
        .retain(|m| !m.indicator.contains("GWP") && !m.indicator.contains("Global Warming"));
    match stages(&wood, &EpdOptions::default()).unwrap_err() {
        EpdError::NoGwp { file, process } => {
            assert!(file.contains("EPDv1.3_example"), "{file}");
            assert_eq!(process, WOOD);
        }
        other => panic!("{other}"),
    }
}

#[test]
fn epd_stages_feed_a_product_model_per_stage() {
    let dir = tempfile::tempdir().unwrap();
    let (_, sets) = import_ilcd_epd(&epd_zip(dir.path())).unwrap();
    let wood = sets.iter().find(|s| s.process == WOOD).unwrap();
    let st = stages(wood, &EpdOptions::default()).unwrap();
    let text = r#"
[product]
name = { zh = "木板", en = "Wood panel, 2 kg" }
category = "test"
declared_unit = { amount = 1, unit = "piece" }
boundary = "cradle-to-grave"
reference_period = "2025"
geography = "PL"

[[process]]
id = "panel"
stage = "production"
output = { amount = 1, unit = "piece" }
"#;
    let mut model = zuji_formats::product_model::parse_product_model(
        text,
        zuji_formats::product_model::ModelFormat::Toml,
        "inline.toml",
    )
    .unwrap()
    .model;
    model.processes[0].inputs = st.inputs(2.0);
    let db = zuji_formats::default_db::default_database().unwrap();
    let gwp = zuji_formats::default_db::gwp_table("ar6").unwrap();
    let f = zuji_calc::footprint::compute_footprint(
        &model,
        &[db],
        &gwp,
        &zuji_calc::footprint::FootprintOptions::default(),
        None,
    )
    .unwrap();
    let stage = |s: LifeCycleStage| {
        f.by_stage
            .iter()
            .find(|c| c.stage == s)
            .map(|c| c.value)
            .unwrap_or(0.0)
    };
    // 2 kg of panel: twice the file's GWP-total per module (D not included).
    assert!((stage(LifeCycleStage::Production) - 2.0 * 15.559479677163699).abs() < 1e-9);
    assert!((stage(LifeCycleStage::Distribution) - 2.0 * 10.403452605105544).abs() < 1e-9);
    assert!(
        (stage(LifeCycleStage::EndOfLife) - 2.0 * (12.55722191320309 + 16.861343234824155)).abs()
            < 1e-9
    );
    assert!((f.total - 2.0 * st.total()).abs() < 1e-9, "{}", f.total);
}

// ---- TianGong TIDAS (ILCD as JSON) -----------------------------------------------------

/// `tests/data/tidas/`: a hand-written TIDAS package (unit group, flow property, two
/// flows, one process), laid out and keyed as the TIDAS JSON schemas of
/// tiangong-lca/tidas-tools (`assets/tidas/schemas/tidas_*.json`, commit be1d285)
/// describe: ILCD element names with prefixes, `@` attributes, `#text`, multi-language
/// `[{"@xml:lang": "en", …}, {"@xml:lang": "zh", …}]`, numbers as strings.
fn tidas_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tidas")
}

const TIDAS_PROCESS: &str = "5e3e0000-0000-4000-8000-000000000003";
const TIDAS_CO2: &str = "5e3e0000-0000-4000-8000-000000000002";

fn check_tidas(r: &ImportReport) {
    let db = &r.db;
    assert_eq!(db.activities.len(), 1);
    let a = &db.activities[0];
    // baseName en "Steel sheet rolling", zh "钢板轧制"; location CN; referenceYear 2024;
    // reference flow 5e3e…0001 → flow property 93a60a56-…(Mass) → unit group, unit 0 "kg".
    assert_eq!(a.id, TIDAS_PROCESS);
    assert_eq!(a.name, "Steel sheet rolling");
    assert_eq!(a.name_zh.as_deref(), Some("钢板轧制"));
    assert_eq!((a.location.as_str(), a.unit.as_str()), ("CN", "kg"));
    assert_eq!(a.year.as_deref(), Some("2024"));
    let prod = db
        .exchanges
        .iter()
        .find(|x| x.kind == ExchangeKind::Production)
        .unwrap();
    assert_eq!(prod.amount, 1000.0);
    // exchange 1: meanAmount "42" × yield_factor = 1 + yield_loss (0.05) = 44.1 kg CO2;
    // log-normal, relativeStandardDeviation95In "1.44" = SDg² → GSD 1.2.
    let co2 = db
        .exchanges
        .iter()
        .find(|x| x.kind == ExchangeKind::Biosphere)
        .unwrap();
    assert!((co2.amount - 42.0 * 1.05).abs() < 1e-12, "{}", co2.amount);
    match co2.uncertainty {
        Uncertainty::Lognormal { gsd } => assert!((gsd - 1.2).abs() < 1e-12),
        other => panic!("{other:?}"),
    }
    let f = &db.flows[co2.input];
    assert_eq!(f.id, TIDAS_CO2);
    assert_eq!(
        f.compartment,
        "Emissions/Emissions to air/Emissions to air, unspecified"
    );
    assert_eq!(
        (f.gas.clone(), f.origin, f.unit.as_str()),
        (Some(Gas::Co2), Some(Origin::Fossil), "kg")
    );
}

#[test]
fn tidas_package_imports_through_the_ilcd_reader() {
    let folder = import_ilcd(&tidas_dir()).unwrap();
    check_tidas(&folder);
    // The same package zipped, as TIDAS tools distribute it.
    let mut files = Vec::new();
    for sub in ["unitgroups", "flowproperties", "flows", "processes"] {
        for e in std::fs::read_dir(tidas_dir().join(sub)).unwrap() {
            let p = e.unwrap().path();
            let name = format!("{sub}/{}", p.file_name().unwrap().to_string_lossy());
            files.push((name, std::fs::read(&p).unwrap()));
        }
    }
    files.push((
        "manifest.json".into(),
        b"{\"not\": \"a data set\"}".to_vec(),
    ));
    files.sort();
    let zipped = import_ilcd_from_zip_bytes(&zip_of(&files), "tidas.zip").unwrap();
    check_tidas(&zipped);
    assert_eq!(zipped.db.exchanges, folder.db.exchanges);
}

#[test]
fn broken_tidas_json_names_file_and_position() {
    let files = vec![(
        format!("processes/{TIDAS_PROCESS}.json"),
        b"{\"processDataSet\": {\"exchanges\": [}".to_vec(),
    )];
    match import_ilcd_from_zip_bytes(&zip_of(&files), "bad.zip").unwrap_err() {
        IlcdError::Tidas {
            file,
            path,
            problem,
        } => {
            assert_eq!(file, format!("bad.zip!processes/{TIDAS_PROCESS}.json"));
            assert!(path.starts_with("line 1, column"), "{path}");
            assert!(problem.starts_with("invalid JSON"), "{problem}");
        }
        other => panic!("{other}"),
    }
}

/// A TIDAS folder is laid out like an ILCD archive, so `zuji db import` detects it as
/// ILCD and the ILCD importer reads its JSON data sets.
#[test]
fn tidas_folders_are_detected_as_ilcd() {
    assert_eq!(
        zuji_formats::detect::detect_database_format(&tidas_dir()),
        Some(zuji_formats::detect::DatabaseFormat::Ilcd)
    );
}
