//! `zuji db list | show | search`: browse background databases.

use crate::databases::DatabaseArgs;
use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use zuji_calc::lci::LciSystem;
use zuji_model::lci::{ExchangeKind, LciDatabase};

#[derive(Args, Debug)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
    #[command(flatten)]
    pub dbs: DatabaseArgs,
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// List the databases with their versions, sizes and licences.
    List,
    /// Show one dataset: its provenance, its exchanges and its score per unit.
    Show {
        /// Dataset id, bare or prefixed with the database id.
        id: String,
        /// Characterisation method of the database to score with.
        #[arg(long, default_value = "ar6")]
        method: String,
    },
    /// Search datasets by name (Chinese or English) or id, optionally by geography and year.
    Search {
        /// Words that must all appear in the id, English or Chinese name, or category.
        query: Vec<String>,
        #[arg(long)]
        geography: Option<String>,
        #[arg(long)]
        year: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

pub fn run(args: &DbArgs) -> anyhow::Result<()> {
    let dbs = args.dbs.load()?;
    match &args.command {
        DbCommand::List => {
            for db in &dbs {
                let m = &db.meta;
                println!("{} {} — {}", m.id, m.version, m.name);
                println!(
                    "  {} activities, {} elementary flows, {} exchanges; methods: {}",
                    db.activities.len(),
                    db.flows.len(),
                    db.exchanges.len(),
                    db.method_names().join(", ")
                );
                if let Some(l) = &m.licence {
                    println!("  licence: {}", l.lines().next().unwrap_or(""));
                }
            }
        }
        DbCommand::Show { id, method } => {
            let (d, a) =
                zuji_calc::system::resolve_dataset(&dbs, id).map_err(anyhow::Error::msg)?;
            show(&dbs[d], a, method)?;
        }
        DbCommand::Search {
            query,
            geography,
            year,
            limit,
        } => {
            let words: Vec<String> = query.iter().map(|w| w.to_lowercase()).collect();
            let mut n = 0;
            for db in &dbs {
                for a in &db.activities {
                    let hay = format!(
                        "{} {} {} {}",
                        a.id,
                        a.name,
                        a.name_zh.as_deref().unwrap_or(""),
                        a.category.as_deref().unwrap_or("")
                    )
                    .to_lowercase();
                    let geo_ok = geography
                        .as_ref()
                        .is_none_or(|g| a.location.to_lowercase().contains(&g.to_lowercase()));
                    let year_ok = year
                        .as_ref()
                        .is_none_or(|y| a.year.as_deref() == Some(y.as_str()));
                    if words.iter().all(|w| hay.contains(w)) && geo_ok && year_ok {
                        n += 1;
                        if n <= *limit {
                            println!(
                                "{}/{}  [{} {} {}{}]\n    {}{}",
                                db.meta.id,
                                a.id,
                                a.unit,
                                a.location,
                                a.year.as_deref().unwrap_or("-"),
                                a.status
                                    .as_deref()
                                    .filter(|s| !s.is_empty())
                                    .map(|s| format!(", {s}"))
                                    .unwrap_or_default(),
                                a.name,
                                a.name_zh
                                    .as_deref()
                                    .map(|z| format!(" / {z}"))
                                    .unwrap_or_default()
                            );
                        }
                    }
                }
            }
            if n == 0 {
                bail!("no dataset matches {:?}", query.join(" "));
            }
            if n > *limit {
                println!("… {} more (use --limit)", n - limit);
            }
        }
    }
    Ok(())
}

fn show(db: &LciDatabase, a: usize, method: &str) -> anyhow::Result<()> {
    let act = &db.activities[a];
    println!("{}/{}", db.meta.id, act.id);
    println!("  name       {}", act.name);
    if let Some(z) = &act.name_zh {
        println!("  名称       {z}");
    }
    for (k, v) in [
        ("unit", Some(&act.unit)),
        ("location", Some(&act.location)),
        ("year", act.year.as_ref()),
        ("category", act.category.as_ref()),
        ("status", act.status.as_ref()),
        ("source", act.source.as_ref()),
        ("url", act.url.as_ref()),
        ("licence", act.licence.as_ref()),
        ("comment", act.comment.as_ref()),
    ] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            println!("  {k:<10} {v}");
        }
    }
    println!("  exchanges per {} {}:", 1, act.unit);
    for e in db.exchanges.iter().filter(|e| e.activity == a) {
        let (what, unit) = match e.kind {
            ExchangeKind::Biosphere => {
                (db.flows[e.input].id.clone(), db.flows[e.input].unit.clone())
            }
            _ => (
                db.activities[e.input].id.clone(),
                db.activities[e.input].unit.clone(),
            ),
        };
        println!(
            "    {:<13} {:<50} {:>14.6e} {unit}",
            e.kind.as_str(),
            what,
            e.amount
        );
    }
    let system = LciSystem::build(db)
        .context("building the database's matrices")?
        .factorise()?;
    let score = system.score_one(a, method)?;
    println!(
        "  score ({method}): {:.6} kg CO2e per {} (cradle-to-gate of this dataset)",
        score.score, act.unit
    );
    Ok(())
}
