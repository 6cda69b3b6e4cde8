//! The PCR conformance check on hand-built models and evidence whose answers are known,
//! and on the shipped example models (model-only items).

use zuji_model::LifeCycleStage::{self, *};
use zuji_model::product::{ProductModel, RecyclingApproach, SystemBoundary, UnitKind};
use zuji_trust::conformance::{
    CheckItem, CheckMessage, ConformanceReport, CutOffFlow, Evidence, ItemEvidence, ItemKind,
    NilStage, Outcome, Severity, StageTotal, check, item_quality,
};
use zuji_trust::pcr::{AllocationChoice, Pcr, PcrStatus, bundled_pcr};

fn battery_pcr() -> Pcr {
    bundled_pcr("zuji:pcr:battery-pack:draft").unwrap().unwrap()
}

const MODEL: &str = r#"
[product]
id = "test-pack"
name = { zh = "测试电池包", en = "Test pack" }
category = "battery-pack"
declared_unit = { amount = 1, unit = "kWh" }
boundary = "cradle-to-gate"
reference_period = "2025"
geography = "CN"
pcr = "zuji:pcr:battery-pack:draft"

[[process]]
id = "pack"
stage = "production"
output = { amount = 1, unit = "kWh" }
primary = true
inputs = [
  { dataset = "electricity/cn/national/2023/footprint", amount = 50, unit = "kWh", quality = { TeR = 1, GeR = 1, TiR = 2, P = 3 } },
  { supplier = { id = "urn:uuid:1", pcf = 30, unit = "kg", source = "test", quality = { TeR = 2, GeR = 2, TiR = 2, P = 3 } }, amount = 2, unit = "kg", stage = "raw-material-acquisition" },
]
"#;

fn model() -> ProductModel {
    toml::from_str(MODEL).unwrap()
}

// By hand: electricity 40 kg CO2e (production) rated (1+1+2+3)/4 = 1.75; cathode supplier
// 60 kg CO2e (raw materials) rated (2+2+2+3)/4 = 2.25. Total 100; weighted rating
// (40·1.75 + 60·2.25)/100 = (70 + 135)/100 = 2.05; everything rated, everything primary.
fn evidence() -> Evidence {
    Evidence {
        total: 100.0,
        stages: vec![
            StageTotal {
                stage: RawMaterialAcquisition,
                value: 60.0,
            },
            StageTotal {
                stage: Production,
                value: 40.0,
            },
        ],
        items: vec![
            item(
                "electricity/cn/national/2023/footprint",
                Production,
                40.0,
                Some(1.75),
            ),
            item(
                "supplier urn:uuid:1",
                RawMaterialAcquisition,
                60.0,
                Some(2.25),
            ),
        ],
        primary_data_share: 1.0,
        data_quality: Some(2.05),
        data_quality_coverage: 1.0,
        cut_off: vec![],
        nil_stages: vec![],
    }
}

fn item(what: &str, stage: LifeCycleStage, value: f64, quality: Option<f64>) -> ItemEvidence {
    ItemEvidence {
        process: "pack".into(),
        kind: ItemKind::Input,
        index: 0,
        what: what.into(),
        stage,
        primary: true,
        value,
        share: value / 100.0,
        quality,
    }
}

fn outcome(r: &ConformanceReport, key: &str) -> Outcome {
    r.item(key)
        .unwrap_or_else(|| panic!("no item {key} in {:#?}", r.items))
        .outcome
}

fn detail<'a>(r: &'a ConformanceReport, key: &str) -> &'a str {
    &r.item(key).unwrap().detail
}

#[test]
fn a_conforming_study_does_not_block() {
    let r = check(&model(), &battery_pcr(), &evidence());
    let missed: Vec<_> = r.missed().iter().map(|i| i.key.clone()).collect();
    // Only the PCR being a draft is reported, and it is advisory.
    assert_eq!(missed, vec!["pcr-status"]);
    assert_eq!(r.item("pcr-status").unwrap().severity, Severity::Advisory);
    assert!(!r.blocks_certification(), "{:#?}", r.blocking());
    for key in [
        "category",
        "pcr-reference",
        "declared-unit",
        "unit-kind",
        "boundary",
        "evidence",
        "stage:raw-material-acquisition",
        "stage:production",
        "cut-off:per-flow",
        "cut-off:total",
        "primary-data:plant-electricity",
        "primary-data:cathode-material",
        "data-quality:rating",
        "data-quality:coverage",
        "data-quality:significant-items",
        "recycling",
    ] {
        assert_eq!(outcome(&r, key), Outcome::Met, "{key}: {}", detail(&r, key));
    }
    assert_eq!(r.pcr_id, "zuji:pcr:battery-pack:draft");
    assert_eq!(r.product.as_deref(), Some("test-pack"));
}

#[test]
fn declared_unit_is_compared_after_conversion() {
    let pcr = battery_pcr();
    let mut m = model();
    m.product.declared_unit.amount = 1000.0;
    m.product.declared_unit.unit = "Wh".into();
    assert_eq!(
        outcome(&check(&m, &pcr, &evidence()), "declared-unit"),
        Outcome::Met
    );

    m.product.declared_unit.amount = 2.0;
    m.product.declared_unit.unit = "kWh".into();
    let r = check(&m, &pcr, &evidence());
    assert_eq!(outcome(&r, "declared-unit"), Outcome::Missed);
    assert!(detail(&r, "declared-unit").contains("the PCR requires 1 kWh"));
    assert!(r.blocks_certification());

    m.product.declared_unit.amount = 1.0;
    m.product.declared_unit.unit = "kg".into();
    let r = check(&m, &pcr, &evidence());
    assert!(detail(&r, "declared-unit").contains("cannot convert kg (mass) to kWh (energy)"));

    let mut m = model();
    m.product.declared_unit.kind = UnitKind::Functional;
    let r = check(&m, &pcr, &evidence());
    assert_eq!(outcome(&r, "unit-kind"), Outcome::Missed);
}

#[test]
fn boundary_and_recycling_must_match() {
    let pcr = battery_pcr();
    let mut m = model();
    m.product.boundary = SystemBoundary::CradleToGrave;
    m.product.end_of_life.approach = RecyclingApproach::AvoidedBurden;
    let r = check(&m, &pcr, &evidence());
    assert_eq!(
        detail(&r, "boundary"),
        "boundary is cradle-to-grave; the PCR requires cradle-to-gate"
    );
    assert_eq!(outcome(&r, "recycling"), Outcome::Missed);
    let keys: Vec<_> = r.blocking().iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, vec!["boundary", "recycling"]);
}

#[test]
fn a_required_stage_is_modelled_contributing_or_declared_nil() {
    let pcr = battery_pcr();
    // Remove the supplier input: no raw-material input left, and no raw-material figure.
    let mut m = model();
    m.processes[0].inputs.truncate(1);
    let mut e = evidence();
    e.stages = vec![StageTotal {
        stage: Production,
        value: 100.0,
    }];
    let r = check(&m, &pcr, &e);
    assert_eq!(
        outcome(&r, "stage:raw-material-acquisition"),
        Outcome::Missed
    );
    assert!(r.blocks_certification());

    e.nil_stages = vec![NilStage {
        stage: RawMaterialAcquisition,
        justification: "  ".into(),
    }];
    let r = check(&m, &pcr, &e);
    assert_eq!(
        outcome(&r, "stage:raw-material-acquisition"),
        Outcome::Missed,
        "an empty reason does not count"
    );

    e.nil_stages[0].justification = "materials supplied free of burden by the customer".into();
    let r = check(&m, &pcr, &e);
    assert_eq!(outcome(&r, "stage:raw-material-acquisition"), Outcome::Met);
    assert!(detail(&r, "stage:raw-material-acquisition").contains("declared nil"));

    // Modelled but contributing zero also counts (the supplier input carries the stage).
    let mut e = evidence();
    e.stages[0].value = 0.0;
    e.stages[1].value = 100.0;
    let r = check(&model(), &pcr, &e);
    assert_eq!(outcome(&r, "stage:raw-material-acquisition"), Outcome::Met);
}

#[test]
fn a_stage_outside_the_boundary_blocks() {
    let mut e = evidence();
    e.stages.push(StageTotal {
        stage: Distribution,
        value: 5.0,
    });
    e.total = 105.0;
    let r = check(&model(), &battery_pcr(), &e);
    assert_eq!(
        outcome(&r, "outside-boundary:distribution"),
        Outcome::Missed
    );
    assert!(r.blocks_certification());
}

#[test]
fn evidence_that_does_not_add_up_blocks() {
    let mut e = evidence();
    e.total = 110.0;
    let r = check(&model(), &battery_pcr(), &e);
    assert_eq!(
        detail(&r, "evidence"),
        "evidence stage totals sum to 100 kg CO2e but the total is 110 kg CO2e"
    );
    assert!(r.blocks_certification());
}

fn flow(name: &str, share: Option<f64>, value: Option<f64>) -> CutOffFlow {
    CutOffFlow {
        name: name.into(),
        stage: None,
        estimated_share: share,
        estimated_value: value,
        justification: "test".into(),
    }
}

#[test]
fn cut_off_per_flow_and_total() {
    let pcr = battery_pcr(); // 1 % per flow, 5 % total
    let mut e = evidence();

    // 0.8 % + 0.9 % + 0.5 kg / 100 kg = 0.5 % → 2.2 % in all; and exactly 1 % is allowed.
    e.cut_off = vec![
        flow("separator", Some(0.008), None),
        flow("binder", Some(0.009), None),
        flow("labels", None, Some(0.5)),
        flow("tape", Some(0.01), None),
    ];
    let r = check(&model(), &pcr, &e);
    assert_eq!(outcome(&r, "cut-off:per-flow"), Outcome::Met);
    assert_eq!(outcome(&r, "cut-off:total"), Outcome::Met);
    assert_eq!(
        detail(&r, "cut-off:total"),
        "excluded flows sum to 3.20 % of the total, within 5.00 %"
    );

    e.cut_off = vec![flow("electrolyte", Some(0.012), None)];
    let r = check(&model(), &pcr, &e);
    assert_eq!(outcome(&r, "cut-off:per-flow"), Outcome::Missed);
    assert!(detail(&r, "cut-off:per-flow").contains("'electrolyte' (1.20 %)"));
    assert_eq!(outcome(&r, "cut-off:total"), Outcome::Met);

    // Six flows each within 1 %: 5 × 0.9 % + 0.6 % = 5.1 % > 5 %.
    e.cut_off = (0..5)
        .map(|i| flow(&format!("f{i}"), Some(0.009), None))
        .chain([flow("f5", Some(0.006), None)])
        .collect();
    let r = check(&model(), &pcr, &e);
    assert_eq!(outcome(&r, "cut-off:per-flow"), Outcome::Met);
    assert_eq!(outcome(&r, "cut-off:total"), Outcome::Missed);
    assert!(detail(&r, "cut-off:total").contains("5.10 %"));

    e.cut_off = vec![flow("unknown stuff", None, None)];
    let r = check(&model(), &pcr, &e);
    assert_eq!(outcome(&r, "cut-off:per-flow"), Outcome::Missed);
    assert_eq!(outcome(&r, "cut-off:total"), Outcome::Missed);
    assert!(detail(&r, "cut-off:total").contains("without an estimated share: 'unknown stuff'"));
}

#[test]
fn primary_data_items_follow_the_matching_rule() {
    let pcr = battery_pcr();
    // Explicitly secondary electricity overrides the process default.
    let mut m = model();
    m.processes[0].inputs[0].primary = Some(false);
    let r = check(&m, &pcr, &evidence());
    assert_eq!(
        outcome(&r, "primary-data:plant-electricity"),
        Outcome::Missed
    );
    assert_eq!(
        detail(&r, "primary-data:plant-electricity"),
        "Cell and pack plant electricity: matching inputs in stage production are not flagged primary: electricity/cn/national/2023/footprint in process 'pack'"
    );
    assert!(r.blocks_certification());

    // Electricity only in the raw-material stage does not match a production-stage item.
    let mut m = model();
    m.processes[0].inputs[0].stage = Some(RawMaterialAcquisition);
    let r = check(&m, &pcr, &evidence());
    assert_eq!(
        detail(&r, "primary-data:plant-electricity"),
        "Cell and pack plant electricity: no input matches electricity in stage production"
    );

    // The cathode item is advisory: missing it does not block.
    let mut m = model();
    m.processes[0].inputs[1].primary = Some(false);
    let r = check(&m, &pcr, &evidence());
    let i = r.item("primary-data:cathode-material").unwrap();
    assert_eq!(
        (i.severity, i.outcome),
        (Severity::Advisory, Outcome::Missed)
    );
    assert!(!r.blocks_certification());
}

#[test]
fn data_quality_overall_coverage_and_significant_items() {
    let pcr = battery_pcr(); // max 3.0, coverage ≥ 80 %, items ≥ 10 % rated ≤ 3.0
    let mut e = evidence();
    e.data_quality = Some(3.2);
    e.data_quality_coverage = 0.7;
    e.items[0].quality = Some(3.5); // 40 % share
    e.items.push(ItemEvidence {
        share: 0.05,
        quality: Some(4.5), // small: not significant
        ..item("transport", RawMaterialAcquisition, 5.0, None)
    });
    let r = check(&model(), &pcr, &e);
    assert_eq!(
        detail(&r, "data-quality:rating"),
        "contribution-weighted data-quality rating 3.200 exceeds the maximum 3"
    );
    assert_eq!(
        detail(&r, "data-quality:coverage"),
        "70.0 % of the contributions carry a rating; the PCR requires at least 80.0 %"
    );
    let d = detail(&r, "data-quality:significant-items");
    assert!(
        d.contains("'electricity/cn/national/2023/footprint' in 'pack' (40.0 %) is rated 3.50"),
        "{d}"
    );
    assert!(!d.contains("transport"), "{d}");
    let keys: Vec<_> = r.blocking().iter().map(|i| i.key.as_str()).collect();
    assert_eq!(
        keys,
        vec![
            "data-quality:rating",
            "data-quality:coverage",
            "data-quality:significant-items"
        ]
    );

    e.data_quality = None;
    let r = check(&model(), &pcr, &e);
    assert!(detail(&r, "data-quality:rating").starts_with("no input carries"));
}

#[test]
fn item_quality_reads_the_input_or_its_supplier() {
    let m = model();
    assert_eq!(item_quality(&m, "pack", ItemKind::Input, 0), Some(1.75));
    assert_eq!(item_quality(&m, "pack", ItemKind::Input, 1), Some(2.25));
    assert_eq!(item_quality(&m, "pack", ItemKind::Input, 7), None);
    assert_eq!(item_quality(&m, "nope", ItemKind::Emission, 0), None);
}

const COPRODUCT: &str = r#"
[[process]]
id = "casting"
stage = "production"
output = { amount = 1, unit = "kg" }
coproducts = [ { id = "dross", amount = 0.1, unit = "kg", price = 0.5 } ]
allocation = "economic"
inputs = []
"#;

#[test]
fn allocation_against_the_pcr_choice() {
    let m: ProductModel = toml::from_str(&format!("{MODEL}{COPRODUCT}")).unwrap();
    let mut pcr = battery_pcr();
    // Hierarchy: economic allocation is allowed but must be justified (advisory).
    let r = check(&m, &pcr, &evidence());
    let i = r.item("allocation:casting").unwrap();
    assert_eq!(
        (i.severity, i.outcome),
        (Severity::Advisory, Outcome::Missed)
    );

    pcr.allocation.choice = AllocationChoice::Physical;
    let r = check(&m, &pcr, &evidence());
    let i = r.item("allocation:casting").unwrap();
    assert_eq!(
        (i.severity, i.outcome),
        (Severity::Mandatory, Outcome::Missed)
    );

    let mut m2 = m.clone();
    m2.processes[1].allocation = None;
    let r = check(&m2, &pcr, &evidence());
    assert!(detail(&r, "allocation:casting").contains("no allocation method"));

    pcr.allocation.choice = AllocationChoice::Economic;
    let r = check(&m, &pcr, &evidence());
    assert_eq!(outcome(&r, "allocation:casting"), Outcome::Met);
}

#[test]
fn pcr_status_category_and_reference() {
    let mut pcr = battery_pcr();
    pcr.status = PcrStatus::Superseded;
    pcr.superseded_by = Some("zuji:pcr:battery-pack:2027".into());
    let r = check(&model(), &pcr, &evidence());
    assert_eq!(
        detail(&r, "pcr-status"),
        "PCR zuji:pcr:battery-pack:draft 0.1.0 is superseded by zuji:pcr:battery-pack:2027; use its successor"
    );
    assert!(r.blocks_certification());

    let mut m = model();
    m.product.category = "pv-module".into();
    m.product.pcr = Some("some other rule".into());
    let r = check(&m, &battery_pcr(), &evidence());
    assert_eq!(outcome(&r, "category"), Outcome::Missed);
    let i = r.item("pcr-reference").unwrap();
    assert_eq!(
        (i.severity, i.outcome),
        (Severity::Advisory, Outcome::Missed)
    );
}

const EXAMPLES: &[(&str, &str, &str)] = &[
    (
        "lfp-battery-pack",
        include_str!("../../../examples/lfp-battery-pack.toml"),
        "zuji:pcr:battery-pack:draft",
    ),
    (
        "pv-module",
        include_str!("../../../examples/pv-module.toml"),
        "zuji:pcr:pv-module:draft",
    ),
    (
        "cotton-tshirt",
        include_str!("../../../examples/cotton-tshirt.toml"),
        "zuji:pcr:apparel:draft",
    ),
    (
        "hot-rolled-steel-coil",
        include_str!("../../../examples/hot-rolled-steel-coil.toml"),
        "zuji:pcr:steel-hot-rolled-coil:draft",
    ),
    (
        "aluminium-extrusion",
        include_str!("../../../examples/aluminium-extrusion.toml"),
        "zuji:pcr:aluminium-extrusion:draft",
    ),
];

/// The items that depend on the model alone, read off the example files by hand: each
/// example meets its PCR's category, unit, boundary and recycling rule; the primary-data
/// outcomes follow the `primary` flags written in the files.
#[test]
fn example_models_against_their_pcrs() {
    for (name, text, pcr_id) in EXAMPLES {
        let m: ProductModel = toml::from_str(text).unwrap();
        let pcr = bundled_pcr(pcr_id).unwrap().unwrap();
        let r = check(&m, &pcr, &Evidence::default());
        for key in [
            "category",
            "pcr-reference",
            "declared-unit",
            "unit-kind",
            "boundary",
            "recycling",
        ] {
            assert_eq!(
                outcome(&r, key),
                Outcome::Met,
                "{name} {key}: {}",
                detail(&r, key)
            );
        }
        let primary: Vec<(&str, Outcome)> = r
            .items
            .iter()
            .filter(|i| i.key.starts_with("primary-data:") || i.key.starts_with("allocation:"))
            .map(|i| (i.key.as_str(), i.outcome))
            .collect();
        let want: Vec<(&str, Outcome)> = match *name {
            // cell-production is primary = true (electricity met); the cathode supplier input
            // says primary = false.
            "lfp-battery-pack" => vec![
                ("primary-data:plant-electricity", Outcome::Met),
                ("primary-data:cathode-material", Outcome::Missed),
            ],
            // module-assembly electricity says primary = true.
            "pv-module" => vec![("primary-data:module-plant-electricity", Outcome::Met)],
            // No primary flag anywhere in the T-shirt model.
            "cotton-tshirt" => vec![("primary-data:garment-production-energy", Outcome::Missed)],
            // hot-strip-mill is primary = true, with electricity and natural gas inputs.
            "hot-rolled-steel-coil" => vec![
                ("primary-data:mill-electricity", Outcome::Met),
                ("primary-data:reheating-fuel", Outcome::Met),
            ],
            // extrusion is primary = true with electricity and gas; it allocates economically.
            "aluminium-extrusion" => vec![
                ("primary-data:extrusion-electricity", Outcome::Met),
                ("primary-data:extrusion-fuel", Outcome::Met),
                ("allocation:extrusion", Outcome::Missed),
            ],
            _ => unreachable!(),
        };
        assert_eq!(primary, want, "{name}");
    }
}

#[test]
fn minimum_primary_share_when_the_pcr_sets_one() {
    let mut pcr = battery_pcr();
    pcr.min_primary_share = Some(zuji_trust::pcr::MinPrimaryShare {
        share: 0.5,
        source: "test".into(),
    });
    let mut e = evidence();
    e.primary_data_share = 0.4;
    let r = check(&model(), &pcr, &e);
    assert_eq!(
        detail(&r, "primary-data:share"),
        "40.0 % of the contributions rest on primary data; the PCR requires at least 50.0 %"
    );
    assert!(r.blocks_certification());
    e.primary_data_share = 0.5;
    assert_eq!(
        outcome(&check(&model(), &pcr, &e), "primary-data:share"),
        Outcome::Met
    );
    // The shipped PCRs set none, so the item is absent.
    assert!(
        check(&model(), &battery_pcr(), &e)
            .item("primary-data:share")
            .is_none()
    );
}

#[test]
fn normative_standards_must_be_adopted() {
    use zuji_trust::conformance::check_with_standards;
    use zuji_trust::pcr::{ListChange, bundled_adopted_standards};
    let list = bundled_adopted_standards().unwrap();
    let pcr = battery_pcr(); // normative: GB/T 24067-2024, ISO 14067:2018
    let r = check_with_standards(&model(), &pcr, &evidence(), &list);
    assert_eq!(
        outcome(&r, "adopted-standard:GB/T 24067-2024"),
        Outcome::Met
    );
    assert_eq!(outcome(&r, "adopted-standard:ISO 14067:2018"), Outcome::Met);
    assert!(
        r.item("adopted-standard:T/CCIIA 0013—2024").is_none(),
        "informative ones are not checked"
    );
    assert!(!r.blocks_certification());

    let v2 = list
        .publish(
            "2027-03-01",
            &[ListChange::Withdraw {
                code: "ISO 14067:2018".into(),
                on: "2027-03-01".into(),
            }],
        )
        .unwrap();
    let r = check_with_standards(&model(), &pcr, &evidence(), &v2);
    assert_eq!(
        detail(&r, "adopted-standard:ISO 14067:2018"),
        "ISO 14067:2018 was withdrawn on 2027-03-01"
    );
    assert!(r.blocks_certification());
}

/// The message of item `key`, as (id, args) with the args as plain pairs.
fn message(r: &ConformanceReport, key: &str) -> (String, Vec<(String, String)>) {
    let m = r
        .item(key)
        .and_then(|i| i.message.clone())
        .unwrap_or_else(|| panic!("no message on {key}"));
    (m.id, m.args.into_iter().collect())
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<_> = v
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    out.sort();
    out
}

#[test]
fn every_item_carries_a_message_with_its_values() {
    // The conforming study: every item has a message; the draft PCR names itself.
    let r = check(&model(), &battery_pcr(), &evidence());
    let bare: Vec<_> = r
        .items
        .iter()
        .filter(|i| i.message.is_none())
        .map(|i| i.key.clone())
        .collect();
    assert!(bare.is_empty(), "items without a message: {bare:?}");
    assert_eq!(
        message(&r, "pcr-status"),
        (
            "pcr-status.draft".to_string(),
            pairs(&[("pcr", "zuji:pcr:battery-pack:draft"), ("version", "0.1.0")])
        )
    );
    // Stage raw materials: 60 kg CO2e in the evidence.
    assert_eq!(
        message(&r, "stage:raw-material-acquisition"),
        (
            "stage.contributes".to_string(),
            pairs(&[("stage", "raw-material-acquisition"), ("value", "60")])
        )
    );

    // Boundary and recycling set against the PCR's cradle-to-gate and cut-off.
    let mut m = model();
    m.product.boundary = SystemBoundary::CradleToGrave;
    m.product.end_of_life.approach = RecyclingApproach::AvoidedBurden;
    let r = check(&m, &battery_pcr(), &evidence());
    assert_eq!(
        message(&r, "boundary"),
        (
            "boundary.mismatch".to_string(),
            pairs(&[
                ("boundary", "cradle-to-grave"),
                ("required_boundary", "cradle-to-gate")
            ])
        )
    );
    assert_eq!(
        message(&r, "recycling"),
        (
            "recycling.approach".to_string(),
            pairs(&[
                ("approach", "avoided-burden"),
                ("required_approach", "cut-off")
            ])
        )
    );

    // Stages 60 + 40 = 100 against a stated total of 110.
    let mut e = evidence();
    e.total = 110.0;
    let r = check(&model(), &battery_pcr(), &e);
    assert_eq!(
        message(&r, "evidence"),
        (
            "evidence.sum-mismatch".to_string(),
            pairs(&[("sum", "100"), ("total", "110")])
        )
    );

    // One excluded flow of 1.2 % against the 1 % per-flow limit; 1.2 % ≤ 5 % in all.
    let mut e = evidence();
    e.cut_off = vec![flow("electrolyte", Some(0.012), None)];
    let r = check(&model(), &battery_pcr(), &e);
    assert_eq!(
        message(&r, "cut-off:per-flow"),
        (
            "cut-off.per-flow.over".to_string(),
            pairs(&[("flows", "'electrolyte' (1.20 %)"), ("limit", "1.00")])
        )
    );
    assert_eq!(
        message(&r, "cut-off:total"),
        (
            "cut-off.total.met".to_string(),
            pairs(&[("share", "1.20"), ("limit", "5.00")])
        )
    );

    // Secondary plant electricity: the production-stage item names its title in the
    // three languages, the stage and the input with its process.
    let mut m = model();
    m.processes[0].inputs[0].primary = Some(false);
    let r = check(&m, &battery_pcr(), &evidence());
    assert_eq!(
        message(&r, "primary-data:plant-electricity"),
        (
            "primary-data.not-primary-in-stage".to_string(),
            pairs(&[
                ("inputs", "electricity/cn/national/2023/footprint (pack)"),
                ("stage", "production"),
                ("title.en", "Cell and pack plant electricity"),
                ("title.zh-Hans", "电芯及电池包工厂用电"),
                ("title.zh-Hant", "電芯及電池包工廠用電"),
            ])
        )
    );
}

#[test]
fn a_withdrawn_standard_names_its_date_in_the_message() {
    use zuji_trust::conformance::check_with_standards;
    use zuji_trust::pcr::{ListChange, bundled_adopted_standards};
    let list = bundled_adopted_standards().unwrap();
    let v2 = list
        .publish(
            "2027-03-01",
            &[ListChange::Withdraw {
                code: "ISO 14067:2018".into(),
                on: "2027-03-01".into(),
            }],
        )
        .unwrap();
    let r = check_with_standards(&model(), &battery_pcr(), &evidence(), &v2);
    assert_eq!(
        message(&r, "adopted-standard:ISO 14067:2018"),
        (
            "adopted-standard.withdrawn".to_string(),
            pairs(&[
                ("code", "ISO 14067:2018"),
                ("date", "2027-03-01"),
                ("list_version", "2"),
            ])
        )
    );
}

#[test]
fn an_item_stored_before_messages_still_reads() {
    let old = r#"{"key":"boundary","severity":"mandatory","outcome":"met","detail":"boundary cradle-to-gate as required"}"#;
    let item: CheckItem = serde_json::from_str(old).unwrap();
    assert_eq!(item.message, None);
    assert_eq!(item.detail, "boundary cradle-to-gate as required");
    // And an item without a message writes the same JSON as before.
    assert_eq!(serde_json::to_string(&item).unwrap(), old);
    let with = CheckItem {
        message: Some(CheckMessage::new("boundary.match").arg("boundary", "cradle-to-gate")),
        ..item
    };
    let json = serde_json::to_string(&with).unwrap();
    assert!(
        json.ends_with(
            r#""message":{"id":"boundary.match","args":{"boundary":"cradle-to-gate"}}}"#
        ),
        "{json}"
    );
}
