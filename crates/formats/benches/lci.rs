//! Speed of `zuji lci` on the synthetic ecoinvent-shaped database of
//! `../shared/bench/synth.py` (20,000 activities by default).
//!
//! Set `ZUJI_BENCH_DB` to a tabular folder, or write one to /tmp/synth20k with
//! `python3 ../shared/bench/synth.py /tmp/synth20k`; without either the benchmarks are
//! skipped with a message. The Monte Carlo benchmark needs uncertainty in the exchanges
//! (without it every iteration re-uses the deterministic supply); set
//! `ZUJI_BENCH_MC_DB` to such a folder, otherwise the main folder is used.
//! (The measurements reported for issue 2 used synth20k with `uncertainty_type`
//! `lognormal` and `scale` drawn from 0.05, 0.1, 0.2, 0.3 on every technosphere and
//! biosphere row.)
//! Brightway's anchor on this machine: ≈0.4 s for one activity including the
//! factorisation, 15 ms per further demand.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use zuji_calc::lci::{LciSystem, MonteCarloConfig};
use zuji_formats::tabular::read_tabular;

fn folder(var: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/synth20k"));
    if p.join("exchanges.csv").is_file() {
        Some(p)
    } else {
        None
    }
}

fn bench(c: &mut Criterion) {
    let Some(dir) = folder("ZUJI_BENCH_DB") else {
        eprintln!("skipping the lci benchmarks: no /tmp/synth20k and ZUJI_BENCH_DB not set");
        return;
    };
    let method = std::env::var("ZUJI_BENCH_METHOD").unwrap_or_else(|_| "SYNTH".into());
    let db = read_tabular(&dir).expect("benchmark database loads");
    let first = db.activities[0].id.clone();

    let mut g = c.benchmark_group("lci");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("load", |b| {
        b.iter(|| black_box(read_tabular(&dir).expect("loads")))
    });
    g.bench_function("load+build+factorise", |b| {
        b.iter(|| {
            let db = read_tabular(&dir).expect("loads");
            black_box(
                LciSystem::build(&db)
                    .expect("builds")
                    .factorise()
                    .expect("regular"),
            )
        })
    });
    g.bench_function("factorise", |b| {
        let sys = LciSystem::build(&db).expect("builds");
        b.iter(|| black_box(sys.clone().factorise().expect("regular")))
    });

    let lci = LciSystem::build(&db)
        .expect("builds")
        .factorise()
        .expect("regular");
    let j = lci.system().activity_position(&first).expect("activity");
    g.bench_function("one activity (breakdown)", |b| {
        b.iter(|| black_box(lci.score_one(j, &method).expect("m")))
    });
    g.bench_function("all activities (one transposed solve)", |b| {
        b.iter(|| black_box(lci.scores_all(&method).expect("m")))
    });
    drop(lci);

    let mc_dir = folder("ZUJI_BENCH_MC_DB").unwrap_or(dir);
    let mc_db = read_tabular(&mc_dir).expect("Monte Carlo database loads");
    let mc = LciSystem::build(&mc_db)
        .expect("builds")
        .factorise()
        .expect("regular");
    let j = mc.system().activity_position(&first).expect("activity");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("100 Monte Carlo iterations", |b| {
        b.iter(|| {
            black_box(
                mc.monte_carlo(
                    j,
                    &method,
                    MonteCarloConfig {
                        iterations: 100,
                        seed: 1,
                    },
                )
                .expect("runs"),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
