//! `zuji pact export | import`: a computed footprint as a PACT ProductFootprint, and a
//! supplier's ProductFootprint as an input a product model can use.

use crate::databases::DatabaseArgs;
use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;
use zuji_calc::footprint::{FootprintOptions, compute_footprint};
use zuji_formats::pact::{
    PactExportOptions, PactVersion, SectorRule, export_product_footprint, import_product_footprints,
};
use zuji_formats::product_model::read_product_model;

#[derive(Args, Debug)]
pub struct PactArgs {
    #[command(subcommand)]
    pub command: PactCommand,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Spec {
    #[value(name = "3")]
    V3,
    #[value(name = "2.3")]
    V2_3,
}

#[derive(Subcommand, Debug)]
pub enum PactCommand {
    /// Compute a model and write its footprint as a PACT ProductFootprint (JSON).
    Export(Box<ExportArgs>),
    /// Read a supplier's ProductFootprint (one, or a `{"data": [...]}` list) and print it
    /// as a supplier input for a product model.
    Import { file: PathBuf },
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    pub model: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long, value_enum, default_value = "3")]
    pub spec: Spec,
    #[command(flatten)]
    pub dbs: DatabaseArgs,
    #[arg(long, default_value = "ar6")]
    pub method: String,
    /// The data owner's name (PACT companyName).
    #[arg(long)]
    pub company_name: String,
    /// The data owner's URN(s), e.g. urn:uscc:91440300MA5XXXXXXX (PACT companyIds).
    #[arg(long = "company-id", required = true)]
    pub company_ids: Vec<String>,
    /// Product URN(s); default: urn:gtin:<gtin> when the model has a GTIN.
    #[arg(long = "product-id")]
    pub product_ids: Vec<String>,
    /// RFC 3339 creation time; default: now.
    #[arg(long)]
    pub created: Option<String>,
    /// kg C of fossil origin per declared unit (PACT v3 fossilCarbonContent).
    #[arg(long)]
    pub fossil_carbon_content: Option<f64>,
    /// kg C of biogenic origin per declared unit.
    #[arg(long)]
    pub biogenic_carbon_content: Option<f64>,
    /// kg of product per declared unit, when the unit is not a mass.
    #[arg(long)]
    pub product_mass: Option<f64>,
    /// Percent of emissions excluded by cut-off.
    #[arg(long)]
    pub exempted_percent: Option<f64>,
    #[arg(long, default_value = "")]
    pub exempted_description: String,
    #[arg(long)]
    pub packaging_included: Option<bool>,
    /// UN CPC code (PACT v2.3 productCategoryCpc).
    #[arg(long)]
    pub cpc: Option<String>,
    /// Operator of the model's PCR: PEF, "EPD International" or Other.
    #[arg(long, default_value = "Other")]
    pub pcr_operator: String,
    /// Name of the PCR operator when it is Other.
    #[arg(long)]
    pub pcr_operator_name: Option<String>,
}

pub fn run(args: &PactArgs) -> anyhow::Result<()> {
    match &args.command {
        PactCommand::Export(a) => export(a),
        PactCommand::Import { file } => import(file),
    }
}

fn export(a: &ExportArgs) -> anyhow::Result<()> {
    let loaded = read_product_model(&a.model)?;
    let dbs = a.dbs.load()?;
    let method = zuji_formats::default_db::gwp_table(&a.method).map_err(|e| anyhow!(e))?;
    let options = FootprintOptions {
        sensitivity_step: None,
        ..FootprintOptions::default()
    };
    let result = compute_footprint(&loaded.model, &dbs, &method, &options, None)
        .map_err(|e| anyhow!("{}: {e}", loaded.file))?;
    let version = match a.spec {
        Spec::V3 => PactVersion::V3,
        Spec::V2_3 => PactVersion::V2_3,
    };
    let created = a.created.clone().unwrap_or_else(crate::clock::now_rfc3339);
    let ids: Vec<&str> = a.company_ids.iter().map(String::as_str).collect();
    let mut opts = PactExportOptions::new(version, &a.company_name, &ids, &created);
    opts.product_ids = a.product_ids.clone();
    opts.fossil_carbon_content = a.fossil_carbon_content;
    opts.biogenic_carbon_content = a.biogenic_carbon_content;
    opts.product_mass_per_declared_unit = a.product_mass;
    opts.exempted_emissions_percent = a.exempted_percent;
    opts.exempted_emissions_description = a.exempted_description.clone();
    opts.packaging_emissions_included = a.packaging_included;
    opts.product_category_cpc = a.cpc.clone();
    if let Some(pcr) = &loaded.model.product.pcr {
        // Zuji's own draft rules (`zuji:pcr:…`) are operated by Zuji; anyone else's PCR
        // needs its publisher named rather than guessed.
        let other_operator_name = match (&a.pcr_operator_name, a.pcr_operator.as_str()) {
            (Some(n), _) => Some(n.clone()),
            (None, "Other") if pcr.starts_with("zuji:") => Some("Zuji".into()),
            (None, "Other") => bail!(
                "the model follows PCR '{pcr}'; name its publisher with --pcr-operator-name (PACT needs it for operator Other)"
            ),
            (None, _) => None,
        };
        opts.product_or_sector_rules.push(SectorRule {
            operator: a.pcr_operator.clone(),
            other_operator_name,
            rule_names: vec![pcr.clone()],
        });
    }
    let json = export_product_footprint(&loaded.model, &result, &opts).map_err(|e| {
        anyhow!(
            "{}: {e}\n(values Zuji does not compute come from --fossil-carbon-content, --biogenic-carbon-content, \
             --product-mass, --exempted-percent, --packaging-included, --cpc and --product-id)",
            loaded.file
        )
    })?;
    let text = serde_json::to_string_pretty(&json)?;
    std::fs::write(&a.out, text + "\n").with_context(|| format!("writing {}", a.out.display()))?;
    println!(
        "wrote PACT {} ProductFootprint {} for {} ({} kg CO2e per {}) to {}",
        version.spec_version(),
        json["id"].as_str().unwrap_or(""),
        loaded.file,
        result.total,
        result.product.declared_unit,
        a.out.display()
    );
    Ok(())
}

fn import(file: &PathBuf) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    let footprints =
        import_product_footprints(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    for f in &footprints {
        println!(
            "# {} — {} (PACT {}{}): {} kg CO2e per {}, primary data share {}",
            f.company_name,
            f.product_name,
            f.spec_version,
            if f.deprecated { ", DEPRECATED" } else { "" },
            f.pcf_per_unit,
            f.declared_unit,
            f.primary_data_share
                .map(|s| format!("{:.1} %", s * 100.0))
                .unwrap_or_else(|| "not given".into())
        );
        for w in &f.warnings {
            println!("#   ! {w}");
        }
        let s = f.to_supplier_footprint();
        let snippet = toml::Value::try_from(&s)
            .map(|v| v.to_string())
            .unwrap_or_default();
        println!("supplier = {}", snippet.trim());
    }
    Ok(())
}
