//! `zuji lci`: scores of a whole database in the tabular LCI layout.
//!
//! `--all` writes `activity_id,score` for every activity (one solve with Aᵀ);
//! `--activity ID` prints one activity with its top flows and activities, optionally
//! with a Monte Carlo analysis. Data go to stdout (or `--out`), timings to stderr.

use anyhow::{Context, Result, bail};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;
use zuji_calc::lci::{
    FactorisedLci, LciSystem, MonteCarloConfig, MonteCarloResult, ScoreBreakdown,
};
use zuji_formats::tabular::{read_tabular, write_scores};
use zuji_model::lci::LciDatabase;

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LciFormat {
    Table,
    Json,
    Csv,
}

/// Compute scores on a database in the tabular LCI layout (activities.csv, flows.csv,
/// exchanges.csv, characterization.csv).
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["all", "activity"])))]
pub struct LciArgs {
    /// Folder holding the four CSV files (and optionally database.toml).
    pub folder: PathBuf,
    /// Characterisation method, as named in characterization.csv.
    #[arg(long)]
    pub method: String,
    /// Score every activity for one unit of its reference product.
    #[arg(long)]
    pub all: bool,
    /// Score one activity (by id), with its breakdown.
    #[arg(long)]
    pub activity: Option<String>,
    /// Where to write the output (the `--all` scores, or the `--activity` report);
    /// stdout if absent.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Output format for `--activity`.
    #[arg(long, value_enum, default_value_t = LciFormat::Table)]
    pub format: LciFormat,
    /// Monte Carlo iterations for `--activity`.
    #[arg(long, value_name = "N")]
    pub monte_carlo: Option<usize>,
    /// Seed of the Monte Carlo random streams.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// How many flows and activities the breakdown lists.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

/// Reports elapsed time of each step on stderr.
struct Timer(Instant);

impl Timer {
    fn start() -> Timer {
        Timer(Instant::now())
    }
    fn lap(&mut self, what: &str) {
        eprintln!("{what:<10} {:>9.3} s", self.0.elapsed().as_secs_f64());
        self.0 = Instant::now();
    }
}

pub fn run(args: &LciArgs) -> Result<()> {
    if args.monte_carlo.is_some() && args.all {
        bail!("--monte-carlo works with --activity, not --all");
    }
    let total = Instant::now();
    let mut t = Timer::start();
    let db =
        read_tabular(&args.folder).with_context(|| format!("reading {}", args.folder.display()))?;
    t.lap("load");
    // Check the method before the expensive steps, so a typo fails at once.
    if db.method(&args.method).is_none() {
        bail!(
            "unknown method '{}'; available methods: {}",
            args.method,
            db.method_names().join(", ")
        );
    }
    let activity = match &args.activity {
        Some(id) => Some(
            db.activity_position(id)
                .with_context(|| format!("unknown activity '{id}'"))?,
        ),
        None => None,
    };
    let system = LciSystem::build(&db).context("building the matrices")?;
    t.lap("build");
    let lci = system
        .factorise()
        .context("factorising the technosphere matrix")?;
    t.lap("factorise");
    match activity {
        None => {
            let scores = lci.scores_all(&args.method)?;
            t.lap("solve");
            write_all(args, lci.system().activity_ids(), &scores)?;
            t.lap("write");
        }
        Some(j) => {
            let breakdown = lci.score_one(j, &args.method)?;
            t.lap("solve");
            let mc = match args.monte_carlo {
                Some(n) => {
                    let r = monte_carlo(
                        &lci,
                        j,
                        &args.method,
                        MonteCarloConfig {
                            iterations: n,
                            seed: args.seed,
                        },
                    )?;
                    t.lap("montecarlo");
                    Some(r)
                }
                None => None,
            };
            let mut out: Box<dyn Write> = match &args.out {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("creating {}", path.display()))?,
                )),
                None => Box::new(std::io::stdout().lock()),
            };
            match args.format {
                LciFormat::Table => print_table(&mut out, &db, &breakdown, j, mc.as_ref(), args)?,
                LciFormat::Json => print_json(&mut out, &db, &breakdown, j, mc.as_ref(), args)?,
                LciFormat::Csv => print_csv(&mut out, &db, &breakdown, j, mc.as_ref(), args)?,
            }
            out.flush()?;
        }
    }
    eprintln!("{:<10} {:>9.3} s", "total", total.elapsed().as_secs_f64());
    Ok(())
}

fn write_all(args: &LciArgs, ids: &[String], scores: &[f64]) -> Result<()> {
    match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            write_scores(std::io::BufWriter::new(file), ids, scores)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        None => write_scores(std::io::stdout().lock(), ids, scores).context("writing scores")?,
    }
    Ok(())
}

fn monte_carlo(
    lci: &FactorisedLci,
    j: usize,
    method: &str,
    config: MonteCarloConfig,
) -> Result<MonteCarloResult> {
    let bar = indicatif::ProgressBar::new(config.iterations as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("Monte Carlo {bar:40} {pos}/{len} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let result = lci.monte_carlo_with_progress(j, method, config, &|| bar.inc(1));
    bar.finish_and_clear();
    Ok(result?)
}

/// Shortest text that parses back to the same number.
fn exact(v: f64) -> String {
    format!("{v:?}")
}

fn print_table(
    out: &mut impl Write,
    db: &LciDatabase,
    b: &ScoreBreakdown,
    j: usize,
    mc: Option<&MonteCarloResult>,
    args: &LciArgs,
) -> Result<()> {
    let a = &db.activities[j];
    writeln!(out, "database   {} {}", db.meta.id, db.meta.version)?;
    writeln!(
        out,
        "activity   {}  {} [{}, {}]",
        a.id, a.name, a.unit, a.location
    )?;
    writeln!(out, "method     {}", b.method)?;
    writeln!(out, "score      {} per {}", exact(b.score), a.unit)?;
    let share = |x: f64| {
        if b.score != 0.0 {
            format!("{:>7.2}%", 100.0 * x / b.score)
        } else {
            String::new()
        }
    };
    writeln!(out, "\ntop flows")?;
    writeln!(
        out,
        "  {:<24} {:<32} {:>14} {:<6} {:>14} {:>8}",
        "flow", "name", "amount", "unit", "contribution", "share"
    )?;
    for (k, x) in b.top_flows(args.top) {
        let f = &db.flows[k];
        writeln!(
            out,
            "  {:<24} {:<32} {:>14.6e} {:<6} {:>14.6e} {}",
            f.id,
            f.name,
            b.inventory[k],
            f.unit,
            x,
            share(x)
        )?;
    }
    writeln!(out, "\ntop activities (direct emissions)")?;
    writeln!(
        out,
        "  {:<24} {:<32} {:>14} {:<6} {:>14} {:>8}",
        "activity", "name", "supply", "unit", "contribution", "share"
    )?;
    for (i, x) in b.top_activities(args.top) {
        let act = &db.activities[i];
        writeln!(
            out,
            "  {:<24} {:<32} {:>14.6e} {:<6} {:>14.6e} {}",
            act.id,
            act.name,
            b.supply[i],
            act.unit,
            x,
            share(x)
        )?;
    }
    if let Some(m) = mc {
        writeln!(
            out,
            "\nMonte Carlo ({} iterations, seed {})",
            m.samples.len(),
            args.seed
        )?;
        writeln!(out, "  mean      {:.6e}", m.mean)?;
        writeln!(out, "  median    {:.6e}", m.median)?;
        writeln!(out, "  95% range {:.6e} … {:.6e}", m.p2_5, m.p97_5)?;
    }
    Ok(())
}

fn print_json(
    out: &mut impl Write,
    db: &LciDatabase,
    b: &ScoreBreakdown,
    j: usize,
    mc: Option<&MonteCarloResult>,
    args: &LciArgs,
) -> Result<()> {
    let a = &db.activities[j];
    let flows: Vec<_> = b
        .top_flows(args.top)
        .into_iter()
        .map(|(k, x)| {
            let f = &db.flows[k];
            json!({"id": f.id, "name": f.name, "compartment": f.compartment, "unit": f.unit,
                   "amount": b.inventory[k], "contribution": x})
        })
        .collect();
    let acts: Vec<_> = b
        .top_activities(args.top)
        .into_iter()
        .map(|(i, x)| {
            let act = &db.activities[i];
            json!({"id": act.id, "name": act.name, "unit": act.unit, "supply": b.supply[i], "contribution": x})
        })
        .collect();
    let mut v = json!({
        "database": {"id": db.meta.id, "version": db.meta.version},
        "method": b.method,
        "activity": {"id": a.id, "name": a.name, "unit": a.unit, "location": a.location},
        "score": b.score,
        "top_flows": flows,
        "top_activities": acts,
    });
    if let Some(m) = mc {
        v["monte_carlo"] = json!({"iterations": m.samples.len(), "seed": args.seed, "mean": m.mean,
            "median": m.median, "p2_5": m.p2_5, "p97_5": m.p97_5, "refactorisations": m.refactorisations});
    }
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)?;
    Ok(())
}

/// Breakdown rows, a blank line, then `activity_id,score` and its row — so the last
/// line is always `ID,SCORE`.
fn print_csv(
    out: &mut impl Write,
    db: &LciDatabase,
    b: &ScoreBreakdown,
    j: usize,
    mc: Option<&MonteCarloResult>,
    args: &LciArgs,
) -> Result<()> {
    {
        let mut w = csv::Writer::from_writer(&mut *out);
        w.write_record(["part", "id", "name", "amount", "unit", "contribution"])?;
        for (k, x) in b.top_flows(args.top) {
            let f = &db.flows[k];
            w.write_record([
                "flow",
                &f.id,
                &f.name,
                &exact(b.inventory[k]),
                &f.unit,
                &exact(x),
            ])?;
        }
        for (i, x) in b.top_activities(args.top) {
            let act = &db.activities[i];
            w.write_record([
                "activity",
                &act.id,
                &act.name,
                &exact(b.supply[i]),
                &act.unit,
                &exact(x),
            ])?;
        }
        if let Some(m) = mc {
            for (name, v) in [
                ("mean", m.mean),
                ("median", m.median),
                ("p2.5", m.p2_5),
                ("p97.5", m.p97_5),
            ] {
                w.write_record(["monte_carlo", name, "", "", "", &exact(v)])?;
            }
        }
        w.flush()?;
    }
    writeln!(out)?;
    let mut w = csv::Writer::from_writer(&mut *out);
    w.write_record(["activity_id", "score"])?;
    w.write_record([db.activities[j].id.as_str(), &exact(b.score)])?;
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        args: LciArgs,
    }

    fn args(extra: &[&str]) -> LciArgs {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../formats/tests/data/full");
        let mut argv = vec!["lci", folder];
        argv.extend_from_slice(extra);
        Cli::parse_from(argv).args
    }

    #[test]
    fn all_scores_go_to_the_out_file() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("scores.csv");
        let out_s = out.to_string_lossy().into_owned();
        run(&args(&["--method", "GWP100-AR6", "--all", "--out", &out_s])).expect("runs");
        // Hand-computed in formats/tests/tabular.rs: 0.58 and (3.6 + 0.27 + 1.16) / 2.
        let text = std::fs::read_to_string(&out).expect("written");
        let rows: Vec<(String, f64)> = text
            .lines()
            .skip(1)
            .map(|l| {
                let (id, v) = l.split_once(',').expect("two fields");
                (id.to_string(), v.parse().expect("number"))
            })
            .collect();
        assert_eq!(text.lines().next(), Some("activity_id,score"));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, "elec");
        assert!(
            (rows[0].1 - 0.58).abs() < 1e-14 && (rows[1].1 - 2.515).abs() < 1e-14,
            "{rows:?}"
        );
    }

    #[test]
    fn csv_report_ends_with_the_score() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("steel.csv");
        let out_s = out.to_string_lossy().into_owned();
        let a = args(&[
            "--method",
            "GWP100-AR5",
            "--activity",
            "steel",
            "--format",
            "csv",
            "--out",
            &out_s,
            "--monte-carlo",
            "50",
            "--seed",
            "3",
        ]);
        run(&a).expect("runs");
        let text = std::fs::read_to_string(&out).expect("written");
        let last = text.lines().last().expect("lines");
        let (id, score) = last.split_once(',').expect("two fields");
        assert_eq!(id, "steel");
        let score: f64 = score.parse().expect("number");
        assert!((score - 2.52).abs() < 1e-14, "{score}");
        assert!(text.contains("monte_carlo,median"));
        assert!(text.contains("flow,co2-fossil"));
    }

    #[test]
    fn json_and_table_reports_render() {
        let tmp = tempfile::tempdir().expect("temp dir");
        for format in ["json", "table"] {
            let out = tmp.path().join(format);
            let out_s = out.to_string_lossy().into_owned();
            run(&args(&[
                "--method",
                "GWP100-AR6",
                "--activity",
                "elec",
                "--format",
                format,
                "--out",
                &out_s,
            ]))
            .expect("runs");
            let text = std::fs::read_to_string(&out).expect("written");
            if format == "json" {
                let v: serde_json::Value = serde_json::from_str(&text).expect("json");
                assert_eq!(v["activity"]["id"], "elec");
                assert!((v["score"].as_f64().expect("score") - 0.58).abs() < 1e-15);
            } else {
                assert!(text.contains("电网电力") || text.contains("electricity"));
            }
        }
    }

    #[test]
    fn unknown_method_and_activity_are_named() {
        let e = run(&args(&["--method", "ReCiPe", "--all"])).unwrap_err();
        let m = format!("{e:#}");
        assert!(
            m.contains("'ReCiPe'") && m.contains("GWP100-AR6") && m.contains("GWP100-AR5"),
            "{m}"
        );
        let e = run(&args(&[
            "--method",
            "GWP100-AR6",
            "--activity",
            "aluminium",
        ]))
        .unwrap_err();
        assert!(format!("{e:#}").contains("'aluminium'"), "{e:#}");
        let e = run(&args(&[
            "--method",
            "GWP100-AR6",
            "--all",
            "--monte-carlo",
            "5",
        ]))
        .unwrap_err();
        assert!(format!("{e:#}").contains("--monte-carlo"));
    }
}
