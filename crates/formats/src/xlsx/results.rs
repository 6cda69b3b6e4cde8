//! A computed footprint as a workbook: summary, stages, gases, origins, processes,
//! contributions, and Monte Carlo and sensitivity where they were run.
//!
//! Numbers are written as numbers (with display formats), never as text, so that an
//! enterprise can sum, chart and check them in Excel.

use super::XlsxError;
use super::text::results as t;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet, XlsxError as WriteError};
use std::path::Path;
use zuji_calc::FootprintResult;

struct Formats {
    header: Format,
    value: Format,
    share: Format,
    total: Format,
}

/// Writes the results workbook.
pub fn write_results_xlsx(path: &Path, result: &FootprintResult) -> Result<(), XlsxError> {
    let file = path.display().to_string();
    let mut wb = build(result).map_err(|source| XlsxError::Write {
        file: file.clone(),
        source,
    })?;
    wb.save(path)
        .map_err(|source| XlsxError::Write { file, source })
}

fn build(r: &FootprintResult) -> Result<Workbook, WriteError> {
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xDDEBF7)),
        value: Format::new().set_num_format("#,##0.000000"),
        share: Format::new().set_num_format("0.00%"),
        total: Format::new().set_bold().set_num_format("#,##0.000000"),
    };
    let mut wb = Workbook::new();
    summary(wb.add_worksheet(), r, &f)?;

    let ws = sheet(&mut wb, t::STAGES, &t::STAGE_HEADERS, &f)?;
    for (i, s) in r.by_stage.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, s.stage.as_str())?;
        ws.write_string(row, 1, s.stage.label_zh())?;
        num(ws, row, 2, s.value, &f.value)?;
        num(ws, row, 3, s.share, &f.share)?;
    }

    let ws = sheet(&mut wb, t::GASES, &t::GAS_HEADERS, &f)?;
    for (i, g) in r.by_gas.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &g.gas)?;
        ws.write_string(row, 1, g.origin.as_str())?;
        num(ws, row, 2, g.mass, &f.value)?;
        num(ws, row, 3, g.value, &f.value)?;
    }

    let ws = sheet(&mut wb, t::ORIGINS, &t::ORIGIN_HEADERS, &f)?;
    let o = &r.by_origin;
    let parts = [
        o.fossil,
        o.biogenic_emissions,
        o.biogenic_removals,
        o.land_use_change,
        o.unspecified,
        o.aircraft,
    ];
    for (i, (k, v)) in t::ORIGIN_ROWS.into_iter().zip(parts).enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, k)?;
        num(ws, row, 1, v, &f.value)?;
        num(ws, row, 2, share(r, v), &f.share)?;
    }

    let ws = sheet(&mut wb, t::PROCESSES, &t::PROCESS_HEADERS, &f)?;
    for (i, p) in r.by_process.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &p.id)?;
        ws.write_string(row, 1, &p.name)?;
        ws.write_string(row, 2, p.stage.as_str())?;
        num(ws, row, 3, p.value, &f.value)?;
        num(ws, row, 4, p.share, &f.share)?;
    }

    let ws = sheet(&mut wb, t::CONTRIBUTIONS, &t::ITEM_HEADERS, &f)?;
    for (i, it) in r.items.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, &it.process)?;
        ws.write_string(row, 1, &it.kind)?;
        ws.write_number(row, 2, it.index as f64)?;
        ws.write_string(row, 3, &it.what)?;
        ws.write_string(row, 4, it.stage.as_str())?;
        ws.write_string(row, 5, if it.primary { "yes" } else { "no" })?;
        num(ws, row, 6, it.value, &f.value)?;
        num(ws, row, 7, it.share, &f.share)?;
    }

    if let Some(mc) = &r.monte_carlo {
        let ws = sheet(&mut wb, t::MONTE_CARLO, &t::MONTE_CARLO_HEADERS, &f)?;
        // (label, value, is a count)
        let rows = [
            (t::MONTE_CARLO_ROWS[0], mc.iterations as f64, true),
            (t::MONTE_CARLO_ROWS[1], mc.seed as f64, true),
            (t::MONTE_CARLO_ROWS[2], mc.mean, false),
            (t::MONTE_CARLO_ROWS[3], mc.sd, false),
            (t::MONTE_CARLO_ROWS[4], mc.median, false),
            (t::MONTE_CARLO_ROWS[5], mc.p2_5, false),
            (t::MONTE_CARLO_ROWS[6], mc.p97_5, false),
            (t::MONTE_CARLO_ROWS[7], mc.refactorised as f64, true),
        ];
        for (i, (k, v, count)) in rows.into_iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, k)?;
            if count {
                ws.write_number(row, 1, v)?;
            } else {
                num(ws, row, 1, v, &f.value)?;
            }
        }
    }

    if !r.sensitivity.is_empty() {
        let ws = sheet(&mut wb, t::SENSITIVITY, &t::SENSITIVITY_HEADERS, &f)?;
        for (i, s) in r.sensitivity.iter().enumerate() {
            let row = i as u32 + 1;
            ws.write_string(row, 0, &s.parameter)?;
            num(ws, row, 1, s.value, &f.value)?;
            for (c, v) in [(2u16, s.total_low), (3, s.total_high), (4, s.elasticity)] {
                if let Some(v) = v {
                    num(ws, row, c, v, &f.value)?;
                }
            }
            if let Some(n) = &s.note {
                ws.write_string(row, 5, n)?;
            }
        }
    }

    if !r.warnings.is_empty() {
        let ws = sheet(&mut wb, t::WARNINGS, &t::WARNING_HEADERS, &f)?;
        for (i, w) in r.warnings.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, w)?;
        }
        ws.set_column_width(0, 120)?;
    }
    Ok(wb)
}

fn share(r: &FootprintResult, v: f64) -> f64 {
    if r.total != 0.0 { v / r.total } else { 0.0 }
}

/// A number cell; a non-finite value (which Excel cannot hold) is written as text.
fn num(ws: &mut Worksheet, row: u32, col: u16, v: f64, f: &Format) -> Result<(), WriteError> {
    if v.is_finite() {
        ws.write_number_with_format(row, col, v, f)?;
    } else {
        ws.write_string(row, col, v.to_string())?;
    }
    Ok(())
}

fn sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    headers: &[&str],
    f: &Formats,
) -> Result<&'a mut Worksheet, WriteError> {
    let ws = wb.add_worksheet();
    ws.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
        ws.set_column_width(c as u16, if c == 0 { 28 } else { 18 })?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(ws)
}

fn summary(ws: &mut Worksheet, r: &FootprintResult, f: &Formats) -> Result<(), WriteError> {
    ws.set_name(t::SUMMARY)?;
    for (c, h) in t::SUMMARY_HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &f.header)?;
    }
    let p = &r.product;
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let texts = [
        opt(&p.name_en),
        opt(&p.name_zh),
        opt(&p.id),
        p.category.clone(),
        p.declared_unit.clone(),
        p.boundary.clone(),
        p.reference_period.clone(),
        p.geography.clone(),
        opt(&p.pcr),
        p.recycling_approach.clone(),
        format!("{} ({})", r.method.name, r.method.id),
    ];
    let mut row = 1;
    for (k, v) in t::SUMMARY_PRODUCT.into_iter().zip(texts) {
        ws.write_string(row, 0, k)?;
        ws.write_string(row, 1, v)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, t::TOTAL, &f.header)?;
    num(ws, row, 1, r.total, &f.total)?;
    row += 1;
    let [primary, rating, level, coverage] = t::SUMMARY_QUALITY;
    ws.write_string(row, 0, primary)?;
    num(ws, row, 1, r.primary_data_share, &f.share)?;
    row += 1;
    let dq = &r.data_quality;
    ws.write_string(row, 0, rating)?;
    if let Some(v) = dq.rating {
        num(ws, row, 1, v, &Format::new().set_num_format("0.00"))?;
    }
    row += 1;
    ws.write_string(row, 0, level)?;
    ws.write_string(row, 1, dq.level.as_deref().unwrap_or(""))?;
    row += 1;
    ws.write_string(row, 0, coverage)?;
    num(ws, row, 1, dq.coverage, &f.share)?;
    row += 1;
    let fp = &r.fingerprint;
    let stamps = [
        fp.sha256.clone(),
        fp.engine.clone(),
        fp.databases
            .iter()
            .map(|d| format!("{} {}", d.id, d.version))
            .collect::<Vec<_>>()
            .join(", "),
    ];
    for (k, v) in t::SUMMARY_FINGERPRINT.into_iter().zip(stamps) {
        ws.write_string(row, 0, k)?;
        ws.write_string(row, 1, v)?;
        row += 1;
    }
    ws.set_column_width(0, 36)?;
    ws.set_column_width(1, 70)?;
    Ok(())
}
