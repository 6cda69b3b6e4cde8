//! Results as CSV: one `section,key,value_kg_co2e,share` row per figure, for
//! spreadsheets and scripts that want one flat table (moved here from the CLI's printer
//! so the CLI, the platform and tests share one layout).

use std::io::Write;
use zuji_calc::FootprintResult;

/// Writes a footprint as CSV: total, stages, gases, origins, processes, items, Monte
/// Carlo (if run), primary-data share and the fingerprint.
pub fn write_results_csv<W: Write>(out: W, r: &FootprintResult) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["section", "key", "value_kg_co2e", "share"])?;
    let share = |v: f64| if r.total != 0.0 { v / r.total } else { 0.0 };
    let mut row = |section: &str, key: &str, v: f64| {
        w.write_record([section, key, &format!("{v}"), &format!("{}", share(v))])
    };
    row("total", &r.product.declared_unit, r.total)?;
    for s in &r.by_stage {
        row("stage", s.stage.as_str(), s.value)?;
    }
    for g in &r.by_gas {
        row("gas", &format!("{} {}", g.gas, g.origin), g.value)?;
    }
    let o = &r.by_origin;
    for (k, v) in [
        ("fossil", o.fossil),
        ("biogenic-emissions", o.biogenic_emissions),
        ("biogenic-removals", o.biogenic_removals),
        ("land-use-change", o.land_use_change),
        ("unspecified", o.unspecified),
        ("aircraft", o.aircraft),
    ] {
        row("origin", k, v)?;
    }
    for p in &r.by_process {
        row("process", &p.id, p.value)?;
    }
    for it in &r.items {
        row("item", &format!("{} <- {}", it.process, it.what), it.value)?;
    }
    if let Some(mc) = &r.monte_carlo {
        for (k, v) in [
            ("mean", mc.mean),
            ("median", mc.median),
            ("p2.5", mc.p2_5),
            ("p97.5", mc.p97_5),
            ("sd", mc.sd),
        ] {
            row("monte-carlo", k, v)?;
        }
    }
    w.write_record([
        "quality",
        "primary-data-share",
        &format!("{}", r.primary_data_share),
        "",
    ])?;
    w.write_record(["fingerprint", "sha256", &r.fingerprint.sha256, ""])?;
    w.flush()?;
    Ok(())
}
