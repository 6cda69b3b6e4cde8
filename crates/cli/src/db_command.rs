//! `zuji db list | show | search`: browse background databases.

use crate::data_dir::DataDir;
use crate::databases::DatabaseArgs;
use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use zuji_calc::lci::LciSystem;
use zuji_formats::import::ImportReport;
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
    /// Apply pending migrations to the platform's store (SQLite in the data directory,
    /// or --database URL).
    Migrate {
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Import a database into the data directory (format detected when not given).
    Import {
        /// A file, folder or zip package.
        path: PathBuf,
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
        /// Name in the data directory (default: the file or folder name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Export a database (bundled or imported) to a folder.
    Export {
        name: String,
        #[arg(long, value_enum)]
        format: ExportFormat,
        #[arg(long)]
        out: PathBuf,
    },
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    Tabular,
    Jsonld,
    Ecospold2,
    Ecospold1,
    Ilcd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Tabular,
    Jsonld,
}

/// The format of a file or folder, from its name and first bytes.
fn detect(path: &Path) -> anyhow::Result<ImportFormat> {
    use zuji_formats::detect::DatabaseFormat as F;
    match zuji_formats::detect::detect_database_format(path) {
        Some(F::Tabular) => return Ok(ImportFormat::Tabular),
        Some(F::JsonLd) => return Ok(ImportFormat::Jsonld),
        Some(F::EcoSpold2) => return Ok(ImportFormat::Ecospold2),
        Some(F::EcoSpold1) => return Ok(ImportFormat::Ecospold1),
        Some(F::Ilcd) => return Ok(ImportFormat::Ilcd),
        None => {}
    }
    bail!(
        "cannot tell the format of {}; give --format (supported: {})",
        path.display(),
        ImportFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn import(path: &Path, format: ImportFormat) -> anyhow::Result<ImportReport> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "importing {bar:40} {pos}/{len} datasets {per_sec} ETA {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let shown = bar.clone();
    let tick = move |done: usize, total: usize| {
        shown.set_length(total as u64);
        shown.set_position(done as u64);
    };
    use zuji_formats::detect::DatabaseFormat as F;
    let format = match format {
        ImportFormat::Tabular => F::Tabular,
        ImportFormat::Jsonld => F::JsonLd,
        ImportFormat::Ecospold2 => F::EcoSpold2,
        ImportFormat::Ecospold1 => F::EcoSpold1,
        ImportFormat::Ilcd => F::Ilcd,
    };
    let report = zuji_formats::import::import_database(path, format, &tick)?;
    bar.finish_and_clear();
    Ok(report)
}

/// Imports into the data directory: written to a scratch folder first and renamed into
/// place, so a failed import leaves nothing behind.
fn import_into(
    data: &DataDir,
    path: &Path,
    format: Option<ImportFormat>,
    name: Option<&str>,
) -> anyhow::Result<()> {
    let format = match format {
        Some(f) => f,
        None => detect(path)?,
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "imported".into());
    let name = name.map(str::to_string).unwrap_or(stem);
    let target = data.database_path(&name)?;
    if target.exists() {
        bail!(
            "a database named '{name}' is already in {}; choose another --name",
            target.display()
        );
    }
    let mut report =
        import(path, format).with_context(|| format!("importing {}", path.display()))?;
    report.db.meta.id = name.clone();
    if report.db.meta.version.trim().is_empty() || report.db.meta.version == "unversioned" {
        // A version is what a footprint's fingerprint records; the import date is the
        // honest one when the source states none.
        report.db.meta.version = format!("imported-{}", &crate::clock::now_rfc3339()[..10]);
    }
    data.ensure()?;
    let scratch = target.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    let written = zuji_formats::tabular::write_tabular(&report.db, &scratch)
        .map_err(anyhow::Error::from)
        .and_then(|()| std::fs::rename(&scratch, &target).map_err(anyhow::Error::from));
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&scratch);
        return Err(e.context(format!("writing the database to {}", target.display())));
    }
    let db = &report.db;
    println!(
        "imported '{name}' from {}: {} activities (processes), {} elementary flows, {} exchanges, {} characterisation methods",
        path.display(),
        db.activities.len(),
        db.flows.len(),
        db.exchanges.len(),
        db.methods.len()
    );
    if !report.warnings.is_empty() {
        println!("{} warning(s):", report.warnings.len());
        for w in &report.warnings {
            println!("  ! {w}");
        }
    }
    Ok(())
}

pub fn run(args: &DbArgs) -> anyhow::Result<()> {
    let data = DataDir::new(&args.dbs.data_dir);
    if let DbCommand::Import { path, format, name } = &args.command {
        return import_into(&data, path, *format, name.as_deref());
    }
    if let DbCommand::Migrate { database } = &args.command {
        return crate::admin_command::migrate(&crate::platform::StoreArgs {
            data_dir: args.dbs.data_dir.clone(),
            database: database.clone(),
            signing_passphrase_file: None,
        });
    }
    let mut dbs = args.dbs.load()?;
    // Listing and exporting see every imported database too.
    for name in data.database_names()? {
        if !dbs.iter().any(|d| d.meta.id == name) {
            let dir = data.database_path(&name)?;
            dbs.push(
                zuji_formats::tabular::read_tabular(&dir)
                    .with_context(|| format!("loading {}", dir.display()))?,
            );
        }
    }
    match &args.command {
        DbCommand::Import { .. } | DbCommand::Migrate { .. } => {}
        DbCommand::Export { name, format, out } => {
            let db = dbs
                .iter()
                .find(|d| &d.meta.id == name)
                .with_context(|| format!("no database '{name}'; see `zuji db list`"))?;
            match format {
                ExportFormat::Tabular => zuji_formats::tabular::write_tabular(db, out)?,
                ExportFormat::Jsonld => zuji_formats::jsonld::export_jsonld(db, out)?,
            }
            println!("exported '{name}' to {}", out.display());
        }
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
