//! Invariants of the engine, over random product systems.

mod common;
use common::*;
use proptest::prelude::*;
use zuji_calc::footprint::{FootprintOptions, MonteCarloOptions, compute_footprint};
use zuji_model::product::ProductModel;

/// A random chain-with-loops model: n processes, each with an electricity input, a
/// steel input, a direct CO2 and CH4 emission, and a link to the next process; the last
/// links back to the first with a small amount (a loop).
fn random_model(
    n: usize,
    amounts: &[f64],
    back: f64,
    declared: f64,
    stages: &[usize],
) -> ProductModel {
    let stage_names = [
        "raw-material-acquisition",
        "production",
        "distribution",
        "use",
        "end-of-life",
    ];
    let mut body = String::new();
    for i in 0..n {
        let a = |k: usize| amounts[(i * 5 + k) % amounts.len()];
        let next = if i + 1 < n {
            format!(
                "{{ process = \"p{}\", amount = {}, unit = \"kg\" }},",
                i + 1,
                a(0)
            )
        } else {
            format!("{{ process = \"p0\", amount = {back}, unit = \"kg\" }},")
        };
        body.push_str(&format!(
            "[[process]]\nid = \"p{i}\"\nstage = \"{}\"\noutput = {{ amount = {}, unit = \"kg\" }}\ninputs = [ {next} {{ dataset = \"electricity\", amount = {}, unit = \"kWh\", stage = \"{}\" }}, {{ dataset = \"steel\", amount = {}, unit = \"kg\" }} ]\nemissions = [ {{ gas = \"CO2\", origin = \"fossil\", amount = {}, unit = \"kg\" }}, {{ gas = \"CH4\", origin = \"biogenic\", amount = {}, unit = \"kg\" }} ]\n",
            stage_names[stages[i % stages.len()]],
            1.0 + a(1),
            a(2),
            stage_names[stages[(i + 1) % stages.len()]],
            a(3),
            a(4),
            a(0) / 10.0,
        ));
    }
    let header = HEADER.replace(
        r#"declared_unit = { amount = 1, unit = "kg" }"#,
        &format!("declared_unit = {{ amount = {declared}, unit = \"kg\" }}"),
    );
    model_with_header(&header, &body)
}

fn strategy() -> impl Strategy<Value = (usize, Vec<f64>, f64, f64, Vec<usize>)> {
    (
        1usize..6,
        prop::collection::vec(0.01f64..5.0, 5..30),
        0.0f64..0.3,
        0.1f64..10.0,
        prop::collection::vec(0usize..5, 1..6),
    )
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn scaling_demand_scales_every_result((n, amounts, back, declared, stages) in strategy(), k in 0.1f64..20.0) {
        let one = footprint(&random_model(n, &amounts, back, declared, &stages)).unwrap();
        let scaled = footprint(&random_model(n, &amounts, back, declared * k, &stages)).unwrap();
        prop_assert!(rel(scaled.total, k * one.total) < 1e-9);
        for (a, b) in one.by_stage.iter().zip(&scaled.by_stage) {
            prop_assert!((b.value - k * a.value).abs() <= 1e-9 * one.total.abs() * k);
        }
        prop_assert!(rel(scaled.by_origin.fossil, k * one.by_origin.fossil) < 1e-9);
    }

    #[test]
    fn stages_gases_origins_and_processes_each_sum_to_the_total((n, amounts, back, declared, stages) in strategy()) {
        let r = footprint(&random_model(n, &amounts, back, declared, &stages)).unwrap();
        let stage_sum: f64 = r.by_stage.iter().map(|s| s.value).sum();
        let gas_sum: f64 = r.by_gas.iter().map(|g| g.value).sum();
        let proc_sum: f64 = r.by_process.iter().map(|p| p.value).sum();
        let item_sum: f64 = r.items.iter().map(|i| i.value).sum();
        let o = &r.by_origin;
        let origin_sum = o.fossil + o.biogenic_emissions + o.biogenic_removals + o.land_use_change + o.unspecified;
        for (name, s) in [("stages", stage_sum), ("gases", gas_sum), ("processes", proc_sum), ("items", item_sum), ("origins", origin_sum)] {
            prop_assert!(rel(s, r.total) < 1e-9, "{} sum {} vs total {}", name, s, r.total);
        }
        let tree_kids: f64 = r.tree.children.iter().map(|c| c.value).sum();
        prop_assert!(rel(tree_kids, r.tree.value) < 1e-9);
        prop_assert!(rel(r.tree.value, r.total) < 1e-9);
    }

    #[test]
    fn monte_carlo_without_uncertainty_is_the_deterministic_result((n, amounts, back, declared, stages) in strategy(), seed in any::<u64>()) {
        let m = random_model(n, &amounts, back, declared, &stages);
        let opts = FootprintOptions { monte_carlo: Some(MonteCarloOptions { iterations: 16, seed }), ..Default::default() };
        let r = compute_footprint(&m, &background(), &ar6(), &opts, None).unwrap();
        let mc = r.monte_carlo.unwrap();
        for v in [mc.mean, mc.median, mc.p2_5, mc.p97_5] {
            prop_assert_eq!(v.to_bits(), r.total.to_bits());
        }
        prop_assert_eq!(mc.sd, 0.0);
    }

    #[test]
    fn the_fingerprint_changes_when_an_input_changes_and_only_then((n, amounts, back, declared, stages) in strategy(), which in 0usize..30, bump in 1e-6f64..1.0) {
        let m = random_model(n, &amounts, back, declared, &stages);
        let a = footprint(&m).unwrap();
        let again = footprint(&random_model(n, &amounts, back, declared, &stages)).unwrap();
        prop_assert_eq!(&a.fingerprint.sha256, &again.fingerprint.sha256);
        prop_assert_eq!(a.total.to_bits(), again.total.to_bits());
        let mut changed = amounts.clone();
        let i = which % changed.len();
        changed[i] += bump;
        let b = footprint(&random_model(n, &changed, back, declared, &stages)).unwrap();
        // Only amounts the model uses change it: index i is used when some process reads it.
        let used = (0..n).any(|p| (0..5).any(|k| (p * 5 + k) % amounts.len() == i));
        if used {
            prop_assert_ne!(&a.fingerprint.sha256, &b.fingerprint.sha256);
        } else {
            prop_assert_eq!(&a.fingerprint.sha256, &b.fingerprint.sha256);
        }
    }
}

#[test]
fn the_fingerprint_covers_database_method_and_options() {
    let m = random_model(2, &[1.0, 2.0, 3.0, 4.0, 5.0], 0.1, 1.0, &[1]);
    let base = compute_footprint(
        &m,
        &background(),
        &ar6(),
        &FootprintOptions::default(),
        None,
    )
    .unwrap();
    let mut db = background();
    db[0].exchanges[1].amount *= 1.0 + 1e-12;
    let other_db = compute_footprint(&m, &db, &ar6(), &FootprintOptions::default(), None).unwrap();
    assert_ne!(
        base.fingerprint.sha256, other_db.fingerprint.sha256,
        "a database value changed"
    );
    let mut method = ar6();
    method.values.values_mut().next().unwrap().value += 1e-9;
    let other_method = compute_footprint(
        &m,
        &background(),
        &method,
        &FootprintOptions::default(),
        None,
    )
    .unwrap();
    assert_ne!(
        base.fingerprint.sha256, other_method.fingerprint.sha256,
        "a GWP changed"
    );
    let mc = FootprintOptions {
        monte_carlo: Some(MonteCarloOptions {
            iterations: 10,
            seed: 1,
        }),
        ..Default::default()
    };
    let with_mc = compute_footprint(&m, &background(), &ar6(), &mc, None).unwrap();
    assert_ne!(
        base.fingerprint.sha256, with_mc.fingerprint.sha256,
        "Monte Carlo settings changed"
    );
}

#[test]
fn monte_carlo_is_reproducible_and_independent_of_threads() {
    let m = model(
        r#"
[parameters]
e = { value = 2, uncertainty = { type = "lognormal", gsd = 1.3 } }
[[process]]
id = "P"
stage = "production"
output = { amount = 1, unit = "kg" }
inputs = [
  { dataset = "electricity", amount = "e", unit = "kWh" },
  { dataset = "steel", amount = 1, unit = "kg", uncertainty = { type = "triangular", min = 0.8, max = 1.5 } },
]
emissions = [ { gas = "CO2", origin = "fossil", amount = 1, unit = "kg", uncertainty = { type = "uniform", min = 0.5, max = 1.5 } } ]
"#,
    );
    let opts = FootprintOptions {
        monte_carlo: Some(MonteCarloOptions {
            iterations: 2000,
            seed: 7,
        }),
        ..Default::default()
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            compute_footprint(&m, &background(), &ar6(), &opts, None)
                .unwrap()
                .monte_carlo
                .unwrap()
        })
    };
    let one = run(1);
    let two = run(2);
    assert_eq!(one, two);
    // Analytical checks with wide tolerances (2000 samples): the median of a lognormal
    // times 0.5 plus the triangular mean ×2 plus the uniform mean:
    // mean ≈ 2·0.5·exp(σ²/2) + 2·(0.8+1+1.5)/3 + 1 with σ = ln 1.3 → 1.0174 + 2.2 + 1 = 4.217
    assert!((one.mean - 4.217).abs() < 0.05, "mean {}", one.mean);
    assert!(one.p2_5 < one.median && one.median < one.p97_5);
}
