//! Renders a study report given as JSON (the serde form of `StudyReport`) to HTML and
//! PDF in the three languages, printing sizes and times:
//! `cargo run -p zuji-report --example render -- report.json out-dir`.

use std::path::PathBuf;
use std::time::Instant;

use zuji_report::{Lang, StudyReport, render_html, render_pdf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: render REPORT.json OUT-DIR".into());
    };
    let report: StudyReport = serde_json::from_str(&std::fs::read_to_string(&input)?)?;
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out)?;
    for lang in Lang::ALL {
        let started = Instant::now();
        let pdf = render_pdf(&report, lang)?;
        let pdf_time = started.elapsed();
        let html = render_html(&report, lang);
        std::fs::write(out.join(format!("report.{}.pdf", lang.tag())), &pdf)?;
        std::fs::write(out.join(format!("report.{}.html", lang.tag())), &html)?;
        println!(
            "{}: PDF {} bytes in {:.0} ms, HTML {} bytes",
            lang.tag(),
            pdf.len(),
            pdf_time.as_secs_f64() * 1000.0,
            html.len()
        );
    }
    Ok(())
}
