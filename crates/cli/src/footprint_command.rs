//! `zuji footprint` and `zuji validate`.

use crate::databases::DatabaseArgs;
use crate::i18n::{Lang, Msg, stage, t};
use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use zuji_calc::CalcError;
use zuji_calc::footprint::{
    FootprintOptions, FootprintResult, MonteCarloOptions, compute_footprint,
};
use zuji_calc::system::ProductSystem;
use zuji_calc::tree::ContributionNode;
use zuji_formats::product_model::{LoadedModel, read_product_model};
use zuji_model::validate::validate as validate_model;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct FootprintArgs {
    /// The product model (.toml or .json).
    pub model: PathBuf,
    #[command(flatten)]
    pub dbs: DatabaseArgs,
    /// GWP100 method: IPCC AR6 (default) or AR5.
    #[arg(long, default_value = "ar6")]
    pub method: String,
    /// Monte Carlo iterations (0 = none).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub monte_carlo: usize,
    /// Seed of the Monte Carlo random streams.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Contribution-tree cut-off, as a share of the total.
    #[arg(long, default_value_t = 0.01)]
    pub cutoff: f64,
    #[arg(long, value_enum, default_value = "table")]
    pub format: OutputFormat,
    /// Language of the table: en, zh-Hans, zh-Hant (default: from LANG).
    #[arg(long, value_enum)]
    pub lang: Option<Lang>,
    /// Also write the results to a file: .xlsx (summary, stages, gases, contributions …) or .csv.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The product model (.toml or .json).
    pub model: PathBuf,
    #[command(flatten)]
    pub dbs: DatabaseArgs,
    #[arg(long, default_value = "ar6")]
    pub method: String,
}

/// Explains a calculation error with file and line where the model has them.
pub(crate) fn explain(loaded: &LoadedModel, e: CalcError) -> anyhow::Error {
    match e {
        CalcError::Model(errors) => anyhow!(
            "{} has {} problem(s):\n{}",
            loaded.file,
            errors.len(),
            errors
                .iter()
                .map(|e| format!("  {}", loaded.describe(e)))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        CalcError::Link(e) => anyhow!("{}", loaded.describe(&e)),
        other => anyhow!("{}: {other}", loaded.file),
    }
}

pub fn validate(args: &ValidateArgs) -> anyhow::Result<()> {
    let loaded = read_product_model(&args.model)?;
    let errors = validate_model(&loaded.model);
    if !errors.is_empty() {
        return Err(explain(&loaded, CalcError::Model(errors)));
    }
    let dbs = args.dbs.load()?;
    let method = zuji_formats::default_db::gwp_table(&args.method).map_err(|e| anyhow!(e))?;
    let system =
        ProductSystem::build(&loaded.model, &dbs, &method).map_err(|e| explain(&loaded, e))?;
    let m = &loaded.model;
    println!(
        "{}: OK — {} process(es), {} input(s), {} emission(s), {} parameter(s); system of {} columns over {}",
        loaded.file,
        m.processes.len(),
        m.processes.iter().map(|p| p.inputs.len()).sum::<usize>(),
        m.processes.iter().map(|p| p.emissions.len()).sum::<usize>(),
        m.parameters.len(),
        system.dim(),
        dbs.iter()
            .map(|d| format!("{} {}", d.meta.id, d.meta.version))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(())
}

pub fn run(args: &FootprintArgs) -> anyhow::Result<()> {
    if !(0.0..1.0).contains(&args.cutoff) {
        bail!(
            "--cutoff is a share of the total between 0 and 1, got {}",
            args.cutoff
        );
    }
    let loaded = read_product_model(&args.model)?;
    let dbs = args.dbs.load()?;
    let method = zuji_formats::default_db::gwp_table(&args.method).map_err(|e| anyhow!(e))?;
    let options = FootprintOptions {
        tree_cutoff: args.cutoff,
        monte_carlo: (args.monte_carlo > 0).then_some(MonteCarloOptions {
            iterations: args.monte_carlo,
            seed: args.seed,
        }),
        ..FootprintOptions::default()
    };
    let bar = (args.monte_carlo >= 200).then(|| {
        let b = ProgressBar::new(args.monte_carlo as u64);
        b.set_style(
            ProgressStyle::with_template("Monte Carlo {bar:40} {pos}/{len} {per_sec} ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    });
    let tick = |n: usize| {
        if let Some(b) = &bar {
            b.set_position(n as u64);
        }
    };
    let result = compute_footprint(&loaded.model, &dbs, &method, &options, Some(&tick))
        .map_err(|e| explain(&loaded, e))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if let Some(out) = &args.out {
        let ext = out
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("xlsx") => zuji_formats::xlsx::write_results_xlsx(out, &result)?,
            Some("csv") => {
                let file = std::fs::File::create(out)
                    .with_context(|| format!("creating {}", out.display()))?;
                zuji_formats::xlsx::write_results_csv(file, &result)?;
            }
            _ => bail!("--out takes a .xlsx or .csv file, got {}", out.display()),
        }
        eprintln!("results written to {}", out.display());
    }
    let lang = Lang::resolve(args.lang);
    match args.format {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&result).context("writing JSON")?
        ),
        OutputFormat::Csv => {
            zuji_formats::xlsx::write_results_csv(std::io::stdout().lock(), &result)?
        }
        OutputFormat::Table => print_table(&result, lang, args.cutoff),
    }
    Ok(())
}

fn pct(v: f64) -> String {
    format!("{:>6.1} %", v * 100.0)
}

fn print_table(r: &FootprintResult, lang: Lang, cutoff: f64) {
    let p = &r.product;
    let name = match lang {
        Lang::En => format!(
            "{} / {}",
            p.name_en.as_deref().unwrap_or(""),
            p.name_zh.as_deref().unwrap_or("")
        ),
        _ => format!(
            "{} / {}",
            p.name_zh.as_deref().unwrap_or(""),
            p.name_en.as_deref().unwrap_or("")
        ),
    };
    println!("{} — {name}", t(lang, Msg::Title));
    println!(
        "  {}: {} ({}), {}, {}{}",
        t(lang, Msg::DeclaredUnit),
        p.declared_unit,
        p.boundary,
        p.geography,
        p.reference_period,
        p.pcr
            .as_ref()
            .map(|x| format!(", PCR {x}"))
            .unwrap_or_default()
    );
    println!("  {}: {}", t(lang, Msg::Method), r.method.name);
    println!();
    println!(
        "  {:<40} {:>14.4} kg CO2e {} {}",
        t(lang, Msg::Total),
        r.total,
        t(lang, Msg::Per),
        p.declared_unit
    );
    println!();
    println!("{}", t(lang, Msg::ByStage));
    for s in &r.by_stage {
        println!(
            "  {:<40} {:>14.4} {}",
            stage(lang, s.stage),
            s.value,
            pct(s.share)
        );
    }
    println!();
    println!("{}", t(lang, Msg::ByGas));
    for g in &r.by_gas {
        let share = if r.total != 0.0 {
            g.value / r.total
        } else {
            0.0
        };
        println!(
            "  {:<40} {:>14.4} {}   ({:.6} kg)",
            format!("{} {}", g.gas, g.origin),
            g.value,
            pct(share),
            g.mass
        );
    }
    println!();
    println!("{}", t(lang, Msg::Separately));
    let o = &r.by_origin;
    for (m, v) in [
        (Msg::Fossil, o.fossil),
        (Msg::BiogenicEmissions, o.biogenic_emissions),
        (Msg::BiogenicRemovals, o.biogenic_removals),
        (Msg::LandUseChange, o.land_use_change),
        (Msg::Unspecified, o.unspecified),
        (Msg::Aircraft, o.aircraft),
    ] {
        println!("  {:<40} {:>14.4}", t(lang, m), v);
    }
    println!();
    println!("{}", t(lang, Msg::ByProcess));
    for pc in &r.by_process {
        println!(
            "  {:<40} {:>14.4} {}   [{}]",
            pc.id,
            pc.value,
            pct(pc.share),
            stage(lang, pc.stage)
        );
    }
    println!();
    println!("{}", t(lang, Msg::Hotspots));
    for it in r.items.iter().take(10) {
        println!(
            "  {:<40} {:>14.4} {}   {} {}",
            format!("{} ← {}", it.process, it.what)
                .chars()
                .take(40)
                .collect::<String>(),
            it.value,
            pct(it.share),
            stage(lang, it.stage),
            if it.primary { "[primary]" } else { "" }
        );
    }
    println!();
    println!("{} (cut-off {:.1} %)", t(lang, Msg::Tree), cutoff * 100.0);
    print_tree(&r.tree, 1);
    if let Some(mc) = &r.monte_carlo {
        println!();
        println!(
            "{} — N = {}, seed = {}",
            t(lang, Msg::Uncertainty),
            mc.iterations,
            mc.seed
        );
        println!("  {:<40} {:>14.4}", t(lang, Msg::Mean), mc.mean);
        println!("  {:<40} {:>14.4}", t(lang, Msg::Median), mc.median);
        println!(
            "  {:<40} {:>14.4} … {:.4}",
            t(lang, Msg::Interval),
            mc.p2_5,
            mc.p97_5
        );
    }
    if !r.sensitivity.is_empty() {
        println!();
        println!("{}", t(lang, Msg::Sensitivity));
        for s in r.sensitivity.iter().take(10) {
            match s.elasticity {
                Some(e) => println!(
                    "  {:<40} {:>14.4}   ({} = {})",
                    s.parameter, e, s.parameter, s.value
                ),
                None => println!(
                    "  {:<40} {:>14}   {}",
                    s.parameter,
                    "–",
                    s.note.as_deref().unwrap_or("")
                ),
            }
        }
    }
    println!();
    println!("{}", t(lang, Msg::DataQuality));
    println!(
        "  {:<40} {}",
        t(lang, Msg::PrimaryShare),
        pct(r.primary_data_share)
    );
    match (r.data_quality.rating, r.data_quality.level.as_deref()) {
        (Some(x), Some(l)) => println!("  {:<40} {:>6.2} ({l})", t(lang, Msg::Rating), x),
        _ => println!("  {:<40} {}", t(lang, Msg::Rating), t(lang, Msg::NotRated)),
    }
    println!(
        "  {:<40} {}",
        t(lang, Msg::Coverage),
        pct(r.data_quality.coverage)
    );
    if !r.warnings.is_empty() {
        println!();
        println!("{}", t(lang, Msg::Warnings));
        for w in &r.warnings {
            println!("  ! {w}");
        }
    }
    println!();
    println!("{}", t(lang, Msg::Fingerprint));
    println!("  {}", r.fingerprint.sha256);
    println!(
        "  {}; {}; {}",
        r.fingerprint.engine,
        r.fingerprint.method,
        r.fingerprint
            .databases
            .iter()
            .map(|d| format!("{} {}", d.id, d.version))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

fn print_tree(n: &ContributionNode, depth: usize) {
    let label = match n.kind.as_str() {
        "direct" | "rest" => n.name.clone(),
        _ => format!(
            "{} ({:.4} {})",
            if n.id.is_empty() { &n.name } else { &n.id },
            n.amount,
            n.unit
        ),
    };
    let indent = "  ".repeat(depth);
    let text: String = format!("{indent}{label}").chars().take(72).collect();
    println!("{text:<72} {:>12.4} {}", n.value, pct(n.share));
    for c in &n.children {
        print_tree(c, depth + 1);
    }
}
