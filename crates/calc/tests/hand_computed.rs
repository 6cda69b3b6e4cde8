//! Systems small enough to solve on paper; each test's comment carries the derivation.

mod common;
use common::*;

/// P (1 kg) uses 2 kWh electricity and 0.3 kg of M; M (per kg) uses 4 MJ heat.
const CHAIN: &str = r#"
[[process]]
id = "P"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "electricity", amount = 2, unit = "kWh" },
  { process = "M", amount = 0.3, unit = "kg" },
]
[[process]]
id = "M"
stage = "raw-material-acquisition"
output = { amount = 1, unit = "kg" }
inputs = [ { dataset = "heat", amount = 4, unit = "MJ" } ]
"#;
use zuji_calc::footprint::FootprintResult;
use zuji_model::LifeCycleStage;

#[test]
fn a_chain_of_two_processes_with_background_inputs() {
    // P (1 kg) uses 2 kWh electricity and 0.3 kg of M; M (per kg) uses 4 MJ heat.
    //   P direct:  2 kWh × 0.5 kg CO2/kWh                     = 1.0
    //   M for P:   0.3 kg × 4 MJ/kg = 1.2 MJ heat
    //              CO2 1.2 × 0.07 = 0.084; CH4 1.2 × 0.001 = 0.0012 kg × 29.8 = 0.03576
    //   total = 1.0 + 0.084 + 0.03576 = 1.11976 kg CO2e
    let m = model(CHAIN);
    let r = footprint(&m).unwrap();
    assert_close(r.total, 1.11976, "total");
    let stage = |s| {
        r.by_stage
            .iter()
            .find(|x| x.stage == s)
            .map(|x| x.value)
            .unwrap_or(0.0)
    };
    assert_close(stage(LifeCycleStage::Production), 1.0, "production stage");
    assert_close(
        stage(LifeCycleStage::RawMaterialAcquisition),
        0.11976,
        "raw material stage",
    );
    let ch4 = r.by_gas.iter().find(|g| g.gas == "CH4").unwrap();
    assert_close(ch4.mass, 0.0012, "CH4 mass");
    assert_close(ch4.value, 0.03576, "CH4 CO2e");
    assert_close(r.by_origin.fossil, 1.11976, "all fossil");
}

#[test]
fn a_loop_of_three_processes_is_solved_by_the_matrix() {
    // A (ref) needs 0.5 B and emits 1 kg CO2; B needs 0.2 C, emits 2; C needs 0.1 A, emits 3.
    //   s_A = 1 + 0.1 s_C,  s_B = 0.5 s_A,  s_C = 0.2 s_B = 0.1 s_A
    //   s_A = 1 + 0.01 s_A  →  s_A = 1/0.99;  s_B = 0.5/0.99;  s_C = 0.1/0.99
    //   total = (1·1 + 2·0.5 + 3·0.1) / 0.99 = 2.3 / 0.99 = 2.323232…
    let m = model(
        r#"
[[process]]
id = "A"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "B", amount = 0.5, unit = "kg" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 1, unit = "kg" } ]
[[process]]
id = "B"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "C", amount = 0.2, unit = "kg" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 2, unit = "kg" } ]
[[process]]
id = "C"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "A", amount = 0.1, unit = "kg" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 3, unit = "kg" } ]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 2.3 / 0.99, "total");
    let by = |id: &str| r.by_process.iter().find(|p| p.id == id).unwrap().value;
    assert_close(by("A"), 1.0 / 0.99, "A");
    assert_close(by("B"), 1.0 / 0.99, "B");
    assert_close(by("C"), 0.3 / 0.99, "C");
}

fn coproduct_model(
    allocation: &str,
    main_extra: &str,
    co_extra: &str,
) -> zuji_model::product::ProductModel {
    model(&format!(
        r#"
[[process]]
id = "R"
stage = "production"
allocation = "{allocation}"
output = {{ amount = 10, unit = "kg"{main_extra} }}
coproducts = [ {{ id = "by", amount = 5, unit = "kg"{co_extra} }} ]
inputs = [ {{ dataset = "electricity", amount = 30, unit = "kWh" }} ]
emissions = [ {{ gas = "CO2", origin = "fossil", amount = 15, unit = "kg" }} ]
"#
    ))
}

#[test]
fn a_co_product_split_by_each_allocation_method() {
    // R makes 10 kg of the product and 5 kg of a by-product; its burden is
    // 30 kWh × 0.5 + 15 kg CO2 = 30 kg CO2e. Per kg of product (declared unit 1 kg):
    //   physical (mass):     30 × 10/15 / 10                      = 2.0
    //   economic (3 and 1/kg): 30 × 30/(30+5) / 10 = 30 × 6/7 / 10 = 2.571428…
    //   explicit 0.8 / 0.2:  30 × 0.8 / 10                        = 2.4
    //   physical, energy content 20 and 40 MJ/kg: 200/(200+200) → 30 × 0.5 / 10 = 1.5
    let cases = [
        (coproduct_model("physical", "", ""), 2.0),
        (
            coproduct_model("economic", ", price = 3", ", price = 1"),
            30.0 * 6.0 / 7.0 / 10.0,
        ),
        (
            coproduct_model(
                "explicit",
                ", allocation_factor = 0.8",
                ", allocation_factor = 0.2",
            ),
            2.4,
        ),
        (
            coproduct_model("physical", ", property = 20", ", property = 40"),
            1.5,
        ),
    ];
    for (m, want) in cases {
        let r = footprint(&m).unwrap();
        assert_close(r.total, want, &format!("{:?}", m.processes[0].allocation));
    }
}

#[test]
fn a_co_product_can_be_consumed_and_carries_its_share() {
    // Product U (1 kg) consumes 2 kg of R's by-product "by" (mass allocation as above: the
    // by-product carries 30 × 5/15 = 10 kg CO2e for 5 kg, i.e. 2 kg CO2e/kg) → 4.0.
    let m = model(
        r#"
[[process]]
id = "U"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { process = "R", product = "by", amount = 2, unit = "kg" } ]
[[process]]
id = "R"
stage = "production"
allocation = "physical"
output = { amount = 10, unit = "kg" }
coproducts = [ { id = "by", amount = 0.005, unit = "t" } ]
inputs = [ { dataset = "electricity", amount = 30, unit = "kWh" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 15, unit = "kg" } ]
"#,
    );
    assert_close(footprint(&m).unwrap().total, 4.0, "by-product burden");
}

#[test]
fn unit_conversions_into_the_providers_units() {
    // 500 g steel at 2 kg CO2e/kg                  = 1.0
    // 3.6 MJ of electricity = 1 kWh at 0.5          = 0.5
    // 400 kg·km by truck = 0.4 t·km at 0.1          = 0.04
    // declared unit 2 kg of a process that outputs 1000 g → demand 2 → total 2 × 1.54 = 3.08
    let header = HEADER.replace(
        r#"declared_unit = { amount = 1, unit = "kg" }"#,
        r#"declared_unit = { amount = 2, unit = "kg" }"#,
    );
    let m = model_with_header(
        &header,
        r#"
[[process]]
id = "P"
stage = "production"
output = { amount = 1000, unit = "g" }
inputs = [
  { dataset = "steel", amount = 500, unit = "g" },
  { dataset = "electricity", amount = 3.6, unit = "MJ" },
  { dataset = "truck", amount = 400, unit = "kg*km", stage = "distribution" },
]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 3.08, "total");
    let dist = r
        .by_stage
        .iter()
        .find(|s| s.stage == LifeCycleStage::Distribution)
        .unwrap();
    assert_close(dist.value, 0.08, "distribution = 2 × 0.04");
}

#[test]
fn biogenic_uptake_and_release_net_to_the_right_split() {
    // 1 kg cotton fibre holds 1.6 kg CO2 taken up (biogenic removal, counted −1.6);
    // at end of life 1.6 kg biogenic CO2 is released (+1.6) and 0.01 kg biogenic CH4
    // (non-fossil GWP 27.0 → +0.27). Fossil: 1 kWh × 0.5 = 0.5.
    //   biogenic emissions = 1.6 + 0.27 = 1.87; removals = −1.6; fossil = 0.5
    //   total = 0.5 + 1.87 − 1.6 = 0.77
    let m = model(
        r#"
[[process]]
id = "shirt"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { dataset = "electricity", amount = 1, unit = "kWh" } ]
emissions = [
  { gas = "CO2", origin = "biogenic-removal", amount = 1.6, unit = "kg", stage = "raw-material-acquisition" },
  { gas = "CO2", origin = "biogenic", amount = 1.6, unit = "kg", stage = "end-of-life" },
  { gas = "CH4", origin = "biogenic", amount = 10, unit = "g", stage = "end-of-life" },
]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 0.77, "total");
    assert_close(r.by_origin.biogenic_removals, -1.6, "removals");
    assert_close(r.by_origin.biogenic_emissions, 1.87, "biogenic emissions");
    assert_close(r.by_origin.fossil, 0.5, "fossil");
    let eol = r
        .by_stage
        .iter()
        .find(|s| s.stage == LifeCycleStage::EndOfLife)
        .unwrap();
    assert_close(eol.value, 1.87, "end of life");
}

#[test]
fn avoided_burden_credits_and_aircraft_are_reported() {
    // Profile: 1.2 kg aluminium (15.1) = 18.12; 0.1 kg scrap recycled credited as avoided
    // primary aluminium: −0.1 × 15.1 = −1.51; air freight 2 t·km × 1.0 = 2.0 (aircraft).
    //   total = 18.12 − 1.51 + 2.0 = 18.61; aircraft part = 2.0
    let header = format!("{HEADER}end_of_life = {{ approach = \"avoided-burden\" }}\n");
    let m = model_with_header(
        &header,
        r#"
[[process]]
id = "profile"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "aluminium", amount = 1.2, unit = "kg", stage = "raw-material-acquisition" },
  { dataset = "aluminium", amount = 0.1, unit = "kg", avoided = true, stage = "end-of-life" },
  { dataset = "air-freight", amount = 2, unit = "t*km", aircraft = true, stage = "distribution" },
]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 18.61, "total");
    assert_close(r.by_origin.aircraft, 2.0, "aircraft");
    let eol = r
        .by_stage
        .iter()
        .find(|s| s.stage == LifeCycleStage::EndOfLife)
        .unwrap();
    assert_close(eol.value, -1.51, "end-of-life credit");
}

#[test]
fn supplier_footprints_primary_share_and_data_quality() {
    // Inputs: 2 kWh electricity, primary, DQR (1,2,1,2) → rating 1.5, contributes 1.0;
    //         0.5 kg from a supplier at 4 kg CO2e/kg, primary data share 0.6, DQR (2,2,2,2)
    //         → rating 2.0, contributes 2.0; 1 kg steel, secondary, unrated, 2.0.
    //   total = 5.0; primary share = (1.0 × 1 + 2.0 × 0.6) / 5.0 = 0.44
    //   rating = (1.0 × 1.5 + 2.0 × 2.0) / 3.0 = 1.8333…; coverage = 3/5 = 0.6
    let m = model(
        r#"
[[process]]
id = "P"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "electricity", amount = 2, unit = "kWh", primary = true, quality = { TeR = 1, GeR = 2, TiR = 1, P = 2 } },
  { supplier = { id = "urn:uuid:0b1c", pcf = 4, unit = "kg", source = "test supplier", primary_data_share = 0.6, quality = { TeR = 2, GeR = 2, TiR = 2, P = 2 } }, amount = 500, unit = "g" },
  { dataset = "steel", amount = 1, unit = "kg" },
]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 5.0, "total");
    assert_close(r.primary_data_share, 0.44, "primary share");
    assert_close(r.data_quality.rating.unwrap(), 5.5 / 3.0, "rating");
    assert_close(r.data_quality.coverage, 0.6, "coverage");
}

#[test]
fn parameters_with_formulas_drive_amounts() {
    // mass = 2; share = if(mass > 1, 0.75, 1) = 0.75; steel = max(0.5, mass * share) = 1.5
    //   → 1.5 kg steel × 2 = 3.0
    let m = model(
        r#"
[parameters]
mass = 2
share = "if(mass > 1, 0.75, 1)"
steel = "max(0.5, mass * share)"
[[process]]
id = "P"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [ { dataset = "steel", amount = "steel", unit = "kg" } ]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 3.0, "total");
    // elasticity of the total to `mass`: total = 2·mass·0.75 over the ±10 % range → 1
    let s = r
        .sensitivity
        .iter()
        .find(|s| s.parameter == "mass")
        .unwrap();
    assert_close(s.elasticity.unwrap(), 1.0, "elasticity");
}

#[test]
fn the_contribution_tree_sums_to_its_parent() {
    // Same chain as the first test: the root is P with 1.11976; children are electricity
    // (1.0) and M (0.11976), M's child is heat (0.11976).
    let m = model(CHAIN);
    let r = footprint(&m).unwrap();
    assert_close(r.tree.value, 1.11976, "root");
    let kids: f64 = r.tree.children.iter().map(|c| c.value).sum();
    assert_close(kids, 1.11976, "children");
    let mnode = r.tree.children.iter().find(|c| c.id == "M").unwrap();
    assert_close(mnode.amount, 0.3, "M amount");
    assert_close(mnode.children[0].value, 0.11976, "heat under M");
    assert_eq!(mnode.children[0].amount, 1.2, "1.2 MJ of heat under M");
}

#[test]
fn an_uncertain_avoided_credit_stays_a_credit_in_monte_carlo() {
    // 1 kg aluminium (15.1) minus a credit for 0.5 kg (uniform 0.4–0.6) of avoided
    // aluminium: deterministic 15.1 − 7.55 = 7.55; the Monte Carlo mean tends to the same
    // (uniform mean 0.5), within 3 % for 4000 draws (sd of the credit ≈ 0.87 kg CO2e).
    let header = format!("{HEADER}end_of_life = {{ approach = \"avoided-burden\" }}\n");
    let m = model_with_header(
        &header,
        r#"
[[process]]
id = "P"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "aluminium", amount = 1, unit = "kg" },
  { dataset = "aluminium", amount = 0.5, unit = "kg", avoided = true, uncertainty = { type = "uniform", min = 0.4, max = 0.6 } },
]
"#,
    );
    let opts = zuji_calc::FootprintOptions {
        monte_carlo: Some(zuji_calc::MonteCarloOptions {
            iterations: 4000,
            seed: 3,
        }),
        ..Default::default()
    };
    let r = zuji_calc::compute_footprint(&m, &background(), &ar6(), &opts, None).unwrap();
    assert_close(r.total, 7.55, "deterministic");
    let mc = r.monte_carlo.unwrap();
    assert!((mc.mean - 7.55).abs() < 0.03 * 7.55, "mean {}", mc.mean);
    assert!(
        mc.p2_5 > 15.1 - 0.6 * 15.1 - 1e-9 && mc.p97_5 < 15.1 - 0.4 * 15.1 + 1e-9,
        "{mc:?}"
    );
}

#[test]
fn allocation_prices_can_follow_parameters() {
    // Economic allocation with prices from parameters: 30 kg CO2e over 10 kg product at
    // price p = 3 and 5 kg by-product at 1 → 30 × 30/35 / 10 = 2.571428…
    // Sensitivity to p: share(p) = 10p / (10p + 5); d ln share / d ln p = 5 / (10p + 5)
    // = 5/35 at p = 3; the ±10 % central difference gives
    // ((33/38 − 27/32) / (30/35)) / 0.2 = 0.142605… (exact for the finite step).
    let m = model(
        r#"
[parameters]
p = 3
[[process]]
id = "R"
stage = "production"
allocation = "economic"
output = { amount = 10, unit = "kg", price = "p" }
coproducts = [ { id = "by", amount = 5, unit = "kg", price = "p / 3" } ]
inputs = [ { dataset = "electricity", amount = 30, unit = "kWh" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 15, unit = "kg" } ]
"#,
    );
    let r = footprint(&m).unwrap();
    assert_close(r.total, 30.0 * 6.0 / 7.0 / 10.0, "total");
    // Both prices scale together here, so shares — and the total — do not move with p.
    assert_close(
        r.sensitivity[0].elasticity.unwrap(),
        0.0,
        "elasticity when both prices follow p",
    );
    let m2 = model(
        r#"
[parameters]
p = 3
[[process]]
id = "R"
stage = "production"
allocation = "economic"
output = { amount = 10, unit = "kg", price = "p" }
coproducts = [ { id = "by", amount = 5, unit = "kg", price = 1 } ]
inputs = [ { dataset = "electricity", amount = 30, unit = "kWh" } ]
emissions = [ { gas = "CO2", origin = "fossil", amount = 15, unit = "kg" } ]
"#,
    );
    let r2 = footprint(&m2).unwrap();
    let want = ((33.0 / 38.0 - 27.0 / 32.0) / (30.0 / 35.0)) / 0.2;
    assert!(
        (r2.sensitivity[0].elasticity.unwrap() - want).abs() < 1e-9,
        "{:?}",
        r2.sensitivity[0]
    );
}

/// A stored result (the platform keeps results as JSON) reads back into the same
/// result: the hand-computed total and stages survive, and writing it again gives the
/// same JSON.
#[test]
fn a_result_survives_its_json_form() {
    let r = footprint(&model(CHAIN)).unwrap();
    let json = serde_json::to_string(&r).unwrap();
    let back: FootprintResult = serde_json::from_str(&json).expect("reads back");
    assert_close(back.total, 1.11976, "total after the round trip");
    assert_eq!(back.by_stage.len(), r.by_stage.len());
    assert_eq!(back.fingerprint, r.fingerprint);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}
