//! The bundled example products, computed by the real `zuji` binary and checked against
//! totals derived by hand.
//!
//! Every expected value below is worked out in the comments from the amounts in
//! `examples/*.toml` and the factors of `data/zuji-default` (ar6, the default method), not
//! by calling the engine. A dataset's factor is the sum of its biosphere rows × the ar6
//! characterisation factor (plus its technosphere inputs' factors); the ones used here:
//!
//! | dataset (zuji-default/…)                                  | factor (kg CO2e per unit)                 |
//! |-----------------------------------------------------------|-------------------------------------------|
//! | electricity/cn/national/2023/footprint                    | 0.6205 per kWh                            |
//! | electricity/cn/national/2024/footprint                    | 0.5777 per kWh                            |
//! | material/graphite/synthetic/global/jie2022                | 13.8 per kg                               |
//! | transport/freight/road/hgv-diesel-average/defra2025/wtw   | 0.10163 + 0.02359 = 0.12522 per t·km      |
//! | material/glass/primary/defra2025                          | 1402.76667 per t                          |
//! | material/aluminium/primary/cn/2015                        | 20 per kg                                 |
//! | material/polymer/eva/illustrative-proxy-ldpe-hopewell2009 | 1 kg LDPE resin × 2.1 = 2.1 per kg        |
//! | material/polymer-resin/pet/europe/hopewell2009            | 3.4 per kg                                |
//! | material/copper/primary/global/northey2013                | 2.6 per kg                                |
//! | material/silver/mined/global/silver-institute-2020        | 546.562691667 per kg                      |
//! | transport/freight/air/international/defra2025             | 0.5313 per t·km                           |
//! | fuel/natural-gas/combustion/ipcc2006/per-mj               | 0.0561 CO2 + 1e-6 × 29.8 CH4-fossil + 1e-7 × 273 N2O = 0.0561571 per MJ |
//! | fuel/other-bituminous-coal/combustion/ipcc2006/per-mj     | 0.0946 + 1e-6 × 29.8 + 1.5e-6 × 273 = 0.0950393 per MJ |
//! | fuel/natural-gas/combustion/ipcc2006/per-nm3-cn-ncv       | 2.1840291 + 3.8931e-5 × 29.8 + 3.8931e-6 × 273 = 2.1862520601 per Nm³ |
//! | material/steel/crude/global/2023/worldsteel               | 1.92 CO2-fossil per kg                    |
//! | material/cotton/fibre/global/carbonfact2024               | 5.27 per kg                               |
//! | waste/clothing/landfill/defra2025                         | 496.78228 per t                           |
//! | material/aluminium/recycled-closed-loop/defra2025         | 995.0779 per t                            |
//! | waste/metals/landfill/defra2025                           | 8.98311 per t                             |
//!
//! Aggregated `co2e-aggregated` rows pass through with factor 1; CO2 (biogenic) +1,
//! CO2 (biogenic-removal) −1 per kg taken up.

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// Runs `zuji footprint examples/<name> --format json` and parses the result.
fn footprint(name: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_zuji"))
        .arg("footprint")
        .arg(example(name))
        .args(["--format", "json"])
        .output()
        .expect("running zuji");
    assert!(
        out.status.success(),
        "zuji footprint {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("zuji prints JSON")
}

fn assert_close(got: f64, expected: f64, what: &str) {
    let rel = (got - expected).abs() / expected.abs().max(1e-12);
    assert!(
        rel <= 1e-9,
        "{what}: got {got}, expected {expected} (relative error {rel:e})"
    );
}

fn num(v: &Value, path: &[&str]) -> f64 {
    let mut cur = v;
    for p in path {
        cur = &cur[*p];
    }
    cur.as_f64()
        .unwrap_or_else(|| panic!("{path:?} is not a number in the result"))
}

fn stage(v: &Value, name: &str) -> f64 {
    v["by_stage"]
        .as_array()
        .expect("by_stage")
        .iter()
        .find(|s| s["stage"] == name)
        .and_then(|s| s["value"].as_f64())
        .unwrap_or_else(|| panic!("no stage {name}"))
}

const EXAMPLES: [&str; 5] = [
    "lfp-battery-pack.toml",
    "pv-module.toml",
    "cotton-tshirt.toml",
    "hot-rolled-steel-coil.toml",
    "aluminium-extrusion.toml",
];

#[test]
fn every_example_validates() {
    for name in EXAMPLES {
        let out = Command::new(env!("CARGO_BIN_EXE_zuji"))
            .arg("validate")
            .arg(example(name))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_example_has_a_primary_data_share_between_0_and_1_and_no_warnings() {
    for name in EXAMPLES {
        let r = footprint(name);
        let share = num(&r, &["primary_data_share"]);
        assert!(
            (0.0..=1.0).contains(&share),
            "{name}: primary_data_share {share}"
        );
        assert_eq!(
            r["warnings"].as_array().map(Vec::len),
            Some(0),
            "{name}: {}",
            r["warnings"]
        );
    }
}

// LFP battery pack, per 1 kWh nominal capacity.
//   cathode  = 6.66 × 0.30 = 1.998 kg × supplier PCF 12.66            = 25.29468
//   graphite = 90.8 × 0.1836 / 13.8 = 1.20803478… kg × 13.8           = 90.8 × 0.1836 = 16.67088
//   electricity = 90.8 × 0.3971 / 0.6205 kWh × 0.6205                 = 90.8 × 0.3971 = 36.05668
//   road     = cells 6.66 × 0.875 = 5.8275 kg × 1000 km = 5.8275 t·km × 0.12522 = 0.72971955
//   total    = 25.29468 + 16.67088 + 36.05668 + 0.72971955           = 78.75195955
//   raw-material-acquisition = 25.29468 + 16.67088 + 0.72971955       = 42.69527955
//   production (cell-plant electricity)                              = 36.05668
//   primary share = (36.05668 [primary electricity] + 0.6 × 25.29468 [supplier share]) / 78.75195955
//                 = 51.233488 / 78.75195955 = 0.650567786…
#[test]
fn lfp_battery_pack_matches_hand_calculation() {
    let r = footprint("lfp-battery-pack.toml");
    assert_close(num(&r, &["total"]), 78.75195955, "LFP total");
    assert_close(
        stage(&r, "raw-material-acquisition"),
        42.69527955,
        "LFP raw-material stage",
    );
    assert_close(stage(&r, "production"), 36.05668, "LFP production stage");
    assert_close(
        num(&r, &["primary_data_share"]),
        (36.05668 + 0.6 * 25.29468) / 78.75195955,
        "LFP primary share",
    );
}

// c-Si PV module, per 1 m².
//   silicon chain (0.36565 kg Si in cells):
//     electricity 0.36565 × 169.09 × 0.8 / 0.688 = 71.8927… kWh × 0.6205            = 44.6094467
//     natural gas 0.36565 × 169.09 × 0.2 / 0.688 × 3.6 = 64.7035… MJ × 0.0561571    =  3.6335591
//   glass   9.9774 / 0.976 = 10.22275 kg = 0.01022275 t × 1402.76667               = 14.3401272
//   frame   1.215 / 0.99 = 1.2272727 kg × 20                                       = 24.5454545
//   EVA     0.756 / 0.99 = 0.7636364 kg × 2.1                                      =  1.6036364
//   PET     0.3824 / 0.965 = 0.3962694 kg × 3.4                                    =  1.3473161
//   copper  0.00846 / 0.90 = 0.0094 kg × 2.6                                       =  0.02444
//   silver  0.00269 / 0.80 = 0.0033625 kg × 546.562691667                          =  1.8378171
//   air     0.0033625 kg × 9000 km = 30.2625 kg·km = 0.0302625 t·km × 0.5313       =  0.0160785
//   assembly electricity 3.32 kWh × 0.6205                                         =  2.06006
//   total = 94.0179355340 (sum of the ten lines at full precision)
//   aircraft = 0.01607846625; production stage = 2.06006 (assembly electricity only).
#[test]
fn pv_module_matches_hand_calculation() {
    let r = footprint("pv-module.toml");
    let si = 0.36565;
    let expected = si * 169.09 * 0.8 / 0.688 * 0.6205
        + si * 169.09 * 0.2 / 0.688 * 3.6 * 0.0561571
        + 9.9774 / 0.976 / 1000.0 * 1402.76667
        + 1.215 / 0.99 * 20.0
        + 0.756 / 0.99 * 2.1
        + 0.3824 / 0.965 * 3.4
        + 0.00846 / 0.90 * 2.6
        + 0.00269 / 0.80 * 546.562691667
        + 0.00269 / 0.80 * 9000.0 / 1000.0 * 0.5313
        + 3.32 * 0.6205;
    assert_close(
        expected,
        94.0179355340,
        "PV hand sum (check of the comment)",
    );
    assert_close(num(&r, &["total"]), expected, "PV total");
    assert_close(
        num(&r, &["by_origin", "aircraft"]),
        0.01607846625,
        "PV aircraft part",
    );
    assert_close(stage(&r, "production"), 2.06006, "PV production stage");
}

// Cotton T-shirt, per piece, cradle-to-grave.
//   fabric = 0.17 / 0.85 = 0.2 kg; yarn = 0.2 / (1 − 0.05446) = 0.211521… kg;
//   fibre  = yarn / (1 − 0.12) = 0.240365… kg
//   fibre    0.240365… × 5.27                                   = 1.26671243
//   spinning 0.211521… × 3.64 kWh × 0.6205                      = 0.47774182
//   knitting 0.2 × 2.4 kWh × 0.6205                             = 0.29784
//   dyeing   0.2 × 3.6 MJ = 0.72 MJ = 0.2 kWh × 0.6205          = 0.1241
//   heat     0.2 × 24.3 MJ coal × 0.0950393                     = 0.461891
//   distribution 0.17 kg × 1200 km = 0.204 t·km × 0.12522       = 0.02554488
//   use      45 × 0.17 × (0.1847 + 0.3 × 0.335) + 45 × 0.4 × 0.043 × 1.5
//            = 2.18178 + 1.161 = 3.34278 kWh × 0.5777            = 1.93112401
//   landfill 0.00017 t × 496.78228                              = 0.08445299
//   biogenic: CO2 per kg cellulose = 72.066 / 162.14 × 44.009 / 12.011 = 1.62854553;
//            × 0.17 kg = 0.27685274 kg; removal −0.27685274, release +0.27685274 (net 0)
//   total = 4.66940712
//   use stage = 1.93112401; end-of-life = 0.08445299 + 0.27685274 = 0.36130573
#[test]
fn cotton_tshirt_matches_hand_calculation() {
    let r = footprint("cotton-tshirt.toml");
    let yarn = 0.2 / (1.0 - 0.05446);
    let fibre = yarn / (1.0 - 0.12);
    let co2_per_kg = 6.0 * 12.011 / (6.0 * 12.011 + 10.0 * 1.008 + 5.0 * 15.999) * 44.009 / 12.011;
    let biogenic = 0.17 * co2_per_kg;
    let use_kwh = 45.0 * 0.17 * (0.1847 + 0.3 * 0.335) + 45.0 * 0.4 * 0.043 * 1.5;
    assert_close(use_kwh, 3.34278, "use-phase electricity");
    let expected = fibre * 5.27
        + yarn * 3.64 * 0.6205
        + 0.2 * 2.4 * 0.6205
        + 0.2 * 1.0 * 0.6205
        + 0.2 * 24.3 * 0.0950393
        + 0.204 * 0.12522
        + use_kwh * 0.5777
        + 0.00017 * 496.78228
        - biogenic
        + biogenic;
    assert_close(
        expected,
        4.66940712285,
        "T-shirt hand sum (check of the comment)",
    );
    assert_close(num(&r, &["total"]), expected, "T-shirt total");
    assert_close(
        num(&r, &["by_origin", "biogenic_removals"]),
        -0.27685273928,
        "T-shirt biogenic removals",
    );
    assert_close(
        num(&r, &["by_origin", "biogenic_emissions"]),
        0.27685273928,
        "T-shirt biogenic emissions",
    );
    assert_close(stage(&r, "use"), 3.34278 * 0.5777, "T-shirt use stage");
    assert_close(
        stage(&r, "end-of-life"),
        0.00017 * 496.78228 + biogenic,
        "T-shirt end-of-life stage",
    );
    assert_eq!(num(&r, &["by_origin", "aircraft"]), 0.0);
}

// Hot-rolled steel coil, per 1 t.
//   yield = min(0.99, 1 − 0.015 − 0.015) = 0.97; slab = 1 / 0.97 = 1.0309278 t = 1030.9278 kg
//   crude steel 1030.9278 kg × 1.92 (CO2 fossil)                       = 1979.3814433
//   gas 1300 MJ / 38.931 MJ/Nm³ = 33.3924122 Nm³ × 2.1862520601        =   73.00423
//   electricity 110 kWh × 0.6205                                      =   68.255
//   total = 2120.6406733
//   fossil = 1979.3814433 + 33.3924122 × (2.1840291 + 3.8931e-5 × 29.8) = 2052.3501833
//   (the N2O of combustion has origin "unspecified" in zuji-default and 68.255 is aggregated)
#[test]
fn hot_rolled_steel_coil_matches_hand_calculation() {
    let r = footprint("hot-rolled-steel-coil.toml");
    let nm3 = 1300.0 / 38.931;
    let expected = 1000.0 / 0.97 * 1.92 + nm3 * 2.1862520601 + 110.0 * 0.6205;
    assert_close(
        expected,
        2120.6406733,
        "steel hand sum (check of the comment)",
    );
    assert_close(num(&r, &["total"]), expected, "steel total");
    assert_close(
        stage(&r, "raw-material-acquisition"),
        1000.0 / 0.97 * 1.92,
        "steel raw-material stage",
    );
    assert_close(
        num(&r, &["by_origin", "fossil"]),
        1000.0 / 0.97 * 1.92 + nm3 * (2.1840291 + 3.8931e-5 * 29.8),
        "steel fossil",
    );
}

// Aluminium extrusion profile, per 1 t, economic allocation and avoided burden.
//   extrusion: 1 t billet → 0.85 t profile (23000 CNY/t) + 0.15 t scrap (16000 CNY/t)
//     profile share = 0.85 × 23000 / (0.85 × 23000 + 0.15 × 16000) = 19550 / 21950 = 0.8906606
//     billet per t profile = 0.8906606 / 0.85 = 1.0478360 t
//   billet (per t): 0.8 t primary CN × 20000 + 0.2 t × 995.0779 = 16000 + 199.01558
//     primary   1.0478360 × 0.8 × 20000                         = 16765.3758542
//     recycled  1.0478360 × 0.2 × 995.0779                      =   208.5356875
//   extrusion energy per t billet: 350 kWh × 0.6205 + 30 Nm³ × 2.1862520601
//     electricity 1.0478360 × 217.175                           =   227.5637813
//     gas         1.0478360 × 65.5875618                        =    68.7250078
//   end of life: net scrap = max(0, 0.90 − 0.20 / 0.85) = 0.6647059 t
//     remelting  0.6647059 × 995.0779                          =   661.4341335
//     credit    −0.6647059 × 1000 × 20                          = −13294.1176471
//     landfill   0.10 × 8.98311                                 =     0.898311
//   total = 4638.4151283; end-of-life stage = −12631.7852025
#[test]
fn aluminium_extrusion_matches_hand_calculation() {
    let r = footprint("aluminium-extrusion.toml");
    let share = 0.85 * 23000.0 / (0.85 * 23000.0 + 0.15 * 16000.0);
    let billet = share / 0.85;
    let net_scrap = f64::max(0.0, 0.90 - 0.20 / 0.85);
    let eol = net_scrap * 995.0779 - net_scrap * 20000.0 + 0.10 * 8.98311;
    let expected = billet * (0.8 * 20000.0 + 0.2 * 995.0779)
        + billet * (350.0 * 0.6205 + 30.0 * 2.1862520601)
        + eol;
    assert_close(
        expected,
        4638.4151283,
        "aluminium hand sum (check of the comment)",
    );
    assert_close(num(&r, &["total"]), expected, "aluminium total");
    assert_close(
        stage(&r, "end-of-life"),
        -12631.7852025,
        "aluminium end-of-life stage (credit included)",
    );
    assert_eq!(r["product"]["recycling_approach"], "avoided-burden");
}

// The worked example of docs/product-model.md (steel bracket, 1 piece), in TOML and JSON.
//   sheet: 1 run makes 0.95 kg sheet + 0.05 kg offcuts; physical allocation by mass
//     → sheet share 0.95 / (0.95 + 0.05) = 0.95; inputs per run 1.0 kg crude steel, 0.2 kWh
//     per kg sheet: (1.0 × 1.92 + 0.2 × 0.6205) × 0.95 / 0.95 = 2.0441
//   bracket: blank = 0.8 / (1 − 0.2) = 1.0 kg sheet × 2.0441                    = 2.0441
//     electricity 1.8 MJ = 0.5 kWh × 0.6205                                     = 0.31025
//     CO2 fossil 50 g = 0.05 kg × 1                                             = 0.05
//   delivery: 0.8 kg × 500 km = 400 kg·km = 0.4 t·km × 0.12522                  = 0.050088
//   total = 2.0441 + 0.31025 + 0.05 + 0.050088                                  = 2.454438
//   stages: raw-material 2.0441, production 0.36025, distribution 0.050088
//   primary share (bracket is primary): (0.31025 + 0.05) / 2.454438             = 0.146774944
//   DQR: (0.31025 × 1.5 + 1.92 × 2.6) / (0.31025 + 1.92) = 5.457375 / 2.23025   = 2.446979038
#[test]
fn worked_example_of_the_docs_matches_hand_calculation_in_toml_and_json() {
    for name in [
        "steel-bracket-worked-example.toml",
        "steel-bracket-worked-example.json",
    ] {
        let r = footprint(name);
        assert_close(num(&r, &["total"]), 2.454438, name);
        assert_close(stage(&r, "raw-material-acquisition"), 2.0441, name);
        assert_close(stage(&r, "production"), 0.36025, name);
        assert_close(stage(&r, "distribution"), 0.050088, name);
        assert_close(num(&r, &["primary_data_share"]), 0.36025 / 2.454438, name);
        assert_close(
            num(&r, &["data_quality", "rating"]),
            5.457375 / 2.23025,
            name,
        );
    }
    // Same model, same canonical form: the fingerprints agree.
    let (t, j) = (
        footprint("steel-bracket-worked-example.toml"),
        footprint("steel-bracket-worked-example.json"),
    );
    assert_eq!(t["fingerprint"]["sha256"], j["fingerprint"]["sha256"]);
}
