//! The report as one standalone HTML5 page: inline CSS (A4 print rules included),
//! inline SVG charts, no scripts, fonts or images fetched from anywhere. Every string
//! that comes from data goes through [`escape`].

use std::fmt::Write;

use crate::content::{Block, Table, certificate_blocks, product_name, study_blocks};
use crate::model::{CertificateDocument, StudyReport};
use crate::strings::Lang;

/// Escapes text for HTML and XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped, with line breaks kept.
fn escape_lines(s: &str) -> String {
    escape(s).replace('\n', "<br>")
}

/// The study report as a printable HTML page.
pub fn render_html(report: &StudyReport, lang: Lang) -> String {
    let s = lang.strings();
    let title = format!(
        "{} — {}",
        s.report_title,
        product_name(&report.product.name, lang)
    );
    let mut body = String::new();
    let _ = writeln!(
        body,
        "<div class=\"meta\"><span>{}{}{}</span><span>ISO 14067:2018 · GB/T 24067-2024</span></div>",
        escape(s.report_id),
        escape(s.colon),
        escape(&report.report_id)
    );
    blocks_html(&study_blocks(report, lang), &mut body);
    page(lang, &title, "report", &body)
}

/// The certificate as a printable one-page HTML document.
pub fn certificate_html(certificate: &CertificateDocument, lang: Lang) -> String {
    let s = lang.strings();
    let title = format!("{} — {}", s.cert_title, certificate.certificate_id);
    let mut body = String::new();
    blocks_html(&certificate_blocks(certificate, lang), &mut body);
    page(lang, &title, "certificate", &body)
}

fn page(lang: Lang, title: &str, class: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{}</style>\n</head>\n<body>\n<main class=\"{class}\">\n{body}</main>\n</body>\n</html>\n",
        lang.tag(),
        escape(title),
        CSS.replace("FONTS", lang.font_families())
    )
}

fn blocks_html(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Title {
                title,
                product,
                subtitle,
            } => {
                let _ = write!(
                    out,
                    "<header class=\"title\">\n<h1>{}</h1>\n<p class=\"product\">{}</p>\n<p class=\"subtitle\">{}</p>\n</header>\n",
                    escape(title),
                    escape(product),
                    escape(subtitle)
                );
            }
            Block::Headline { label, value, unit } => {
                let _ = writeln!(
                    out,
                    "<div class=\"headline\"><div class=\"label\">{}</div><span class=\"value\">{}</span> <span class=\"unit\">{}</span></div>",
                    escape(label),
                    escape(value),
                    escape(unit)
                );
            }
            Block::Heading { level, text } => {
                let level = (*level).clamp(2, 4);
                let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", escape_lines(text));
            }
            Block::Note(text) => {
                let _ = writeln!(out, "<p class=\"note\">{}</p>", escape_lines(text));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    let _ = writeln!(out, "<li>{}</li>", escape_lines(item));
                }
                out.push_str("</ul>\n");
            }
            Block::Fields(fields) => {
                out.push_str("<table class=\"fields\">\n<tbody>\n");
                for (caption, value) in fields {
                    let _ = writeln!(
                        out,
                        "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                        escape(caption),
                        escape_lines(value)
                    );
                }
                out.push_str("</tbody>\n</table>\n");
            }
            Block::Table(table) => table_html(table, out),
            Block::Chart { svg } => {
                // Built by `chart`, which escapes every label.
                let _ = writeln!(out, "<figure class=\"chart\">{svg}</figure>");
            }
        }
    }
}

fn table_html(table: &Table, out: &mut String) {
    let total: f32 = table
        .columns
        .iter()
        .map(|c| c.weight)
        .sum::<f32>()
        .max(f32::EPSILON);
    out.push_str("<table class=\"data\">\n<colgroup>");
    for c in &table.columns {
        let _ = write!(
            out,
            "<col style=\"width:{:.1}%\">",
            c.weight / total * 100.0
        );
    }
    out.push_str("</colgroup>\n<thead><tr>");
    for c in &table.columns {
        let class = if c.numeric { " class=\"num\"" } else { "" };
        let _ = write!(out, "<th scope=\"col\"{class}>{}</th>", escape(&c.header));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |cells: &[String], out: &mut String| {
        out.push_str("<tr>");
        for (i, cell) in cells.iter().enumerate() {
            let numeric = table.columns.get(i).is_some_and(|c| c.numeric);
            let class = if numeric { " class=\"num\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape_lines(cell));
        }
        out.push_str("</tr>\n");
    };
    for cells in &table.rows {
        row(cells, out);
    }
    out.push_str("</tbody>\n");
    if let Some(footer) = &table.footer {
        out.push_str("<tfoot>\n");
        row(footer, out);
        out.push_str("</tfoot>\n");
    }
    out.push_str("</table>\n");
}

const CSS: &str = r#"@page { size: A4; margin: 16mm 16mm 18mm; }
:root { --ink: #222222; --muted: #555555; --accent: #2f6b4f; --line: #d9d9d9; --tint: #eef4f0; }
* { box-sizing: border-box; }
html { background: #f2f2f2; }
body { margin: 0; color: var(--ink); font-family: FONTS; font-size: 10.5pt; line-height: 1.5; }
main { max-width: 210mm; margin: 0 auto; padding: 16mm; background: #ffffff; }
main.certificate { border: 3pt double var(--accent); margin-top: 8mm; }
.meta { display: flex; justify-content: space-between; gap: 12pt; color: var(--muted); font-size: 8.5pt; border-bottom: 0.5pt solid var(--line); padding-bottom: 3pt; margin-bottom: 10pt; }
header.title h1 { font-size: 20pt; line-height: 1.25; margin: 0 0 6pt; color: var(--accent); }
header.title .product { font-size: 15pt; font-weight: bold; margin: 0 0 2pt; }
header.title .subtitle { color: var(--muted); font-size: 9pt; margin: 0 0 8pt; }
main.certificate header.title { text-align: center; }
h2 { font-size: 13pt; color: var(--accent); border-bottom: 1.2pt solid var(--accent); padding-bottom: 2pt; margin: 18pt 0 6pt; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
p { margin: 4pt 0; }
.note { color: var(--muted); font-size: 8.5pt; }
.headline { background: var(--tint); border-left: 4pt solid var(--accent); padding: 8pt 12pt; margin: 8pt 0 10pt; }
.headline .label { color: var(--muted); font-size: 9pt; }
.headline .value { font-size: 22pt; font-weight: bold; white-space: nowrap; }
.headline .unit { font-size: 11pt; }
table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; font-size: 9pt; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 3pt 5pt; border-bottom: 0.5pt solid var(--line); overflow-wrap: anywhere; }
table.data thead th { background: var(--tint); }
th.num, td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tfoot td { font-weight: bold; border-top: 1pt solid var(--ink); }
table.fields th { width: 34%; color: var(--muted); font-weight: normal; }
figure.chart { margin: 6pt 0 8pt; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
ul { margin: 4pt 0; padding-left: 16pt; }
@media print {
  html { background: none; }
  main { max-width: none; margin: 0; padding: 0; }
  main.certificate { border: none; }
  h2, h3 { break-after: avoid; }
  tr, figure.chart, .headline, header.title { break-inside: avoid; }
  thead { display: table-header-group; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(escape("碳足迹 1\u{2009}234"), "碳足迹 1\u{2009}234");
        assert_eq!(escape_lines("a<\nb"), "a&lt;<br>b");
    }
}
