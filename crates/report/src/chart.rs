//! Bar charts as SVG text: the HTML report inlines them, the PDF draws the very same
//! SVG through krilla-svg (its text stays text). Pure functions; every label is
//! escaped. Each bar is a `rect` with the id `bar-{i}` in the order given, so a test (or
//! a script) can find it.
//!
//! Widths of labels are estimated (CJK 1 em, other characters 0.6 em), as an SVG has no
//! layout engine: a long label wraps onto a second line (stage chart) or is shortened
//! with "…" (horizontal chart); the tables next to the charts carry the full names.

use std::fmt::Write;

use crate::html::escape;
use crate::number::format_value;
use crate::strings::Lang;
use crate::text::{is_cjk, wrap};

/// One bar: a label and a signed value (removals are negative).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: f64) -> Self {
        Bar {
            label: label.into(),
            value,
        }
    }
}

const WIDTH: f64 = 640.0;
const POSITIVE: &str = "#3b7d5a";
const NEGATIVE: &str = "#4a86c5";
const GRID: &str = "#dddddd";
const INK: &str = "#222222";
const MUTED: &str = "#555555";
const LABEL_SIZE: f64 = 11.0;

/// Vertical bars, one per life-cycle stage (or any short category), on a value axis
/// with gridlines and a zero line; each bar carries its value.
pub fn stage_chart(title: &str, unit: &str, bars: &[Bar], lang: Lang) -> String {
    let height = 300.0;
    let (left, right, top, bottom) = (72.0, WIDTH - 16.0, 56.0, height - 58.0);
    let values: Vec<f64> = bars.iter().map(|b| finite(b.value)).collect();
    let ticks = nice_ticks(
        values.iter().copied().fold(0.0, f64::min),
        values.iter().copied().fold(0.0, f64::max),
    );
    let lo = ticks.first().copied().unwrap_or(0.0);
    let hi = ticks.last().copied().unwrap_or(1.0);
    let y = |v: f64| top + (hi - v) / (hi - lo) * (bottom - top);
    let mut svg = open(title, height, lang);
    let _ = write!(
        svg,
        r#"<text x="{left}" y="{}" font-size="10" fill="{MUTED}">{}</text>"#,
        top - 14.0,
        escape(unit)
    );
    for t in &ticks {
        let ty = y(*t);
        let _ = write!(
            svg,
            r#"<line x1="{left}" y1="{ty:.2}" x2="{right}" y2="{ty:.2}" stroke="{GRID}" stroke-width="1"/><text x="{}" y="{:.2}" font-size="10" text-anchor="end" fill="{MUTED}">{}</text>"#,
            left - 6.0,
            ty + 3.5,
            escape(&format_value(*t, lang))
        );
    }
    let n = bars.len().max(1) as f64;
    let slot = (right - left) / n;
    let bar_width = (slot * 0.56).min(72.0);
    let y0 = y(0.0);
    for (i, (bar, v)) in bars.iter().zip(&values).enumerate() {
        let x = left + i as f64 * slot + (slot - bar_width) / 2.0;
        let yv = y(*v);
        // A zero bar is drawn as a hairline so every stage has its bar.
        let (ry, rh) = (yv.min(y0), (yv - y0).abs().max(1.0));
        let fill = if *v < 0.0 { NEGATIVE } else { POSITIVE };
        let _ = write!(
            svg,
            r#"<rect id="bar-{i}" x="{x:.2}" y="{ry:.2}" width="{bar_width:.2}" height="{rh:.2}" fill="{fill}"><title>{}: {}</title></rect>"#,
            escape(&bar.label),
            escape(&format_value(*v, lang))
        );
        let cx = x + bar_width / 2.0;
        let ly = if *v < 0.0 { ry + rh + 12.0 } else { ry - 4.0 };
        let _ = write!(
            svg,
            r#"<text x="{cx:.2}" y="{ly:.2}" font-size="10" text-anchor="middle" fill="{INK}">{}</text>"#,
            escape(&format_value(*v, lang))
        );
        let lines = wrap(&bar.label, (slot - 4.0) as f32, |c| {
            (estimate(c) * LABEL_SIZE) as f32
        });
        for (k, line) in lines.iter().take(2).enumerate() {
            let text = if k == 1 && lines.len() > 2 {
                format!("{line}…")
            } else {
                line.clone()
            };
            let _ = write!(
                svg,
                r#"<text x="{cx:.2}" y="{:.2}" font-size="{LABEL_SIZE}" text-anchor="middle" fill="{INK}">{}</text>"#,
                bottom + 18.0 + k as f64 * 14.0,
                escape(&text)
            );
        }
    }
    let _ = write!(
        svg,
        r#"<line x1="{left}" y1="{y0:.2}" x2="{right}" y2="{y0:.2}" stroke="{INK}" stroke-width="1"/></svg>"#
    );
    svg
}

/// Horizontal bars, largest first as given (gases, contributing processes), with the
/// label on the left and the value at the end of each bar.
pub fn horizontal_bar_chart(title: &str, unit: &str, bars: &[Bar], lang: Lang) -> String {
    let row = 26.0;
    let top = 52.0;
    let height = top + row * bars.len().max(1) as f64 + 12.0;
    let (label_right, plot_left, plot_right) = (204.0, 212.0, WIDTH - 80.0);
    let values: Vec<f64> = bars.iter().map(|b| finite(b.value)).collect();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let mut hi = values.iter().copied().fold(0.0, f64::max);
    if hi - lo <= 0.0 {
        hi = lo + 1.0;
    }
    let x = |v: f64| plot_left + (v - lo) / (hi - lo) * (plot_right - plot_left);
    let x0 = x(0.0);
    let mut svg = open(title, height, lang);
    let _ = write!(
        svg,
        r#"<text x="{plot_left}" y="{}" font-size="10" fill="{MUTED}">{}</text>"#,
        top - 10.0,
        escape(unit)
    );
    for (i, (bar, v)) in bars.iter().zip(&values).enumerate() {
        let cy = top + i as f64 * row + row / 2.0;
        let xv = x(*v);
        let (rx, rw) = (xv.min(x0), (xv - x0).abs().max(1.0));
        let fill = if *v < 0.0 { NEGATIVE } else { POSITIVE };
        let label = shorten(&bar.label, label_right - 8.0);
        let _ = write!(
            svg,
            r#"<text x="{label_right}" y="{:.2}" font-size="{LABEL_SIZE}" text-anchor="end" fill="{INK}">{}</text><rect id="bar-{i}" x="{rx:.2}" y="{:.2}" width="{rw:.2}" height="16" fill="{fill}"><title>{}: {}</title></rect><text x="{:.2}" y="{:.2}" font-size="10" fill="{INK}">{}</text>"#,
            cy + 4.0,
            escape(&label),
            cy - 8.0,
            escape(&bar.label),
            escape(&format_value(*v, lang)),
            xv.max(x0) + 4.0,
            cy + 3.5,
            escape(&format_value(*v, lang))
        );
    }
    let _ = write!(
        svg,
        r#"<line x1="{x0:.2}" y1="{}" x2="{x0:.2}" y2="{}" stroke="{INK}" stroke-width="1"/></svg>"#,
        top - 2.0,
        height - 10.0
    );
    svg
}

/// The opening tag, accessible name and visible title.
fn open(title: &str, height: f64, lang: Lang) -> String {
    let title = escape(title);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="{}"><title>{title}</title><rect width="{WIDTH}" height="{height}" fill="#ffffff"/><text x="0" y="20" font-size="14" font-weight="bold" fill="{INK}">{title}</text>"##,
        lang.font_families()
    )
}

fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

/// Estimated advance in em.
fn estimate(c: char) -> f64 {
    if is_cjk(c) { 1.0 } else { 0.6 }
}

fn shorten(label: &str, max_px: f64) -> String {
    let max_em = max_px / LABEL_SIZE;
    let total: f64 = label.chars().map(estimate).sum();
    if total <= max_em {
        return label.to_string();
    }
    let mut out = String::new();
    let mut used = 1.0; // the ellipsis
    for c in label.chars() {
        used += estimate(c);
        if used > max_em {
            break;
        }
        out.push(c);
    }
    format!("{}…", out.trim_end())
}

/// Round tick values spanning `min..=max` (both include 0 here), about five of them.
fn nice_ticks(min: f64, max: f64) -> Vec<f64> {
    let span = if max - min > 0.0 { max - min } else { 1.0 };
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = match raw / magnitude {
        r if r <= 1.0 => 1.0,
        r if r <= 2.0 => 2.0,
        r if r <= 2.5 => 2.5,
        r if r <= 5.0 => 5.0,
        _ => 10.0,
    } * magnitude;
    let first = (min / step).floor() as i64;
    let last = (max / step).ceil().max(first as f64 + 1.0) as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars_in(svg: &str) -> Vec<String> {
        let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("the chart is not valid SVG: {e}\n{svg}"));
        let mut ids = Vec::new();
        collect(tree.root(), &mut ids);
        ids
    }

    fn collect(group: &usvg::Group, ids: &mut Vec<String>) {
        for node in group.children() {
            match node {
                usvg::Node::Group(g) => collect(g, ids),
                usvg::Node::Path(p) if p.id().starts_with("bar-") => ids.push(p.id().to_string()),
                _ => {}
            }
        }
    }

    fn stages() -> Vec<Bar> {
        vec![
            Bar::new("Raw material acquisition", 62.1),
            Bar::new("Production", 15.3),
            Bar::new("Distribution", 0.0),
            Bar::new("End of life", -4.2),
        ]
    }

    #[test]
    fn one_bar_per_stage_in_valid_svg_with_a_title_and_role() {
        let svg = stage_chart("Carbon footprint by stage", "kg CO2e", &stages(), Lang::En);
        assert_eq!(bars_in(&svg), ["bar-0", "bar-1", "bar-2", "bar-3"]);
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title>Carbon footprint by stage</title>"));
        // Values per locale; the removal with a minus sign.
        assert!(svg.contains(">62.1<"));
        assert!(svg.contains(">\u{2212}4.2<"));
        // The removal bar goes down from the zero line, the others up.
        let y_of = |id: &str| -> f64 {
            let at = svg.find(&format!(r#"id="{id}""#)).unwrap();
            let rest = &svg[at..];
            let y = rest
                .split(r#" y=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            y.parse().unwrap()
        };
        assert!(y_of("bar-3") > y_of("bar-0"));
    }

    #[test]
    fn horizontal_chart_has_one_bar_per_row_and_groups_thousands() {
        let bars = vec![
            Bar::new("CO2 (fossil)", 1234.6),
            Bar::new("CH4 (fossil)", 80.0),
            Bar::new("CO2 (biogenic removal)", -120.0),
        ];
        let svg = horizontal_bar_chart("By gas", "kg CO2e", &bars, Lang::ZhHans);
        assert_eq!(bars_in(&svg), ["bar-0", "bar-1", "bar-2"]);
        assert!(svg.contains(">1\u{2009}235<"), "{svg}");
        let en = horizontal_bar_chart("By gas", "kg CO2e", &bars, Lang::En);
        assert!(en.contains(">1,235<"));
        assert!(svg.contains("Noto Sans CJK SC"));
    }

    #[test]
    fn labels_are_escaped_and_empty_or_odd_input_still_draws() {
        let svg = horizontal_bar_chart(
            "<script>&\"",
            "kg",
            &[Bar::new("a<b & \"c\"", f64::NAN)],
            Lang::En,
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;"));
        assert!(svg.contains("a&lt;b &amp; &quot;c&quot;"));
        assert_eq!(bars_in(&svg), ["bar-0"]);
        assert!(bars_in(&stage_chart("t", "kg", &[], Lang::En)).is_empty());
        let long = "A very long process name that cannot possibly fit in the label column";
        let svg = horizontal_bar_chart("t", "kg", &[Bar::new(long, 1.0)], Lang::En);
        assert!(svg.contains("…"));
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(nice_ticks(0.0, 78.75), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        let t = nice_ticks(-4.2, 62.1);
        assert!(t[0] <= -4.2 && *t.last().unwrap() >= 62.1, "{t:?}");
        assert_eq!(nice_ticks(0.0, 0.0), vec![0.0, 0.2]);
    }
}
