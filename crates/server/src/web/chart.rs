//! Small charts for the pages: horizontal CSS bars (stages, gases, contributors) and an
//! SVG histogram (the distribution of certified footprints in a category, with the
//! benchmark values marked). Both are plain markup, escaped here, so a template can
//! insert them with `|safe`; neither needs JavaScript.

use super::Tr;

/// One bar: its label, value, the value as shown, and its length as a share of the
/// longest bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarRow {
    pub label: String,
    pub value: f64,
    pub value_text: String,
    /// 0–100: |value| relative to the largest |value| of the chart.
    pub width_pct: f64,
    /// Removals and credits are drawn in another colour.
    pub negative: bool,
}

/// Bars for `rows`, scaled to the largest absolute value; values shown with three
/// significant digits in the page's number format.
pub fn bar_rows(rows: &[(String, f64)], tr: &Tr) -> Vec<BarRow> {
    let max = rows
        .iter()
        .map(|(_, v)| v.abs())
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    rows.iter()
        .map(|(label, value)| BarRow {
            label: label.clone(),
            value: *value,
            value_text: tr.sig(*value),
            width_pct: if max > 0.0 && value.is_finite() {
                (value.abs() / max * 100.0).clamp(0.0, 100.0)
            } else {
                0.0
            },
            negative: *value < 0.0,
        })
        .collect()
}

/// The bars as HTML (a labelled list: screen readers read label and value).
pub fn bar_chart_html(rows: &[BarRow], caption: &str) -> String {
    let mut out = format!(
        "<div class=\"bars\" role=\"list\" aria-label=\"{}\">",
        escape(caption)
    );
    for r in rows {
        out.push_str(&format!(
            "<div class=\"bar-row\" role=\"listitem\"><span>{}</span>\
             <span class=\"bar\" aria-hidden=\"true\"><span{} style=\"width:{:.1}%\"></span></span>\
             <span class=\"num\">{}</span></div>",
            escape(&r.label),
            if r.negative { " class=\"neg\"" } else { "" },
            r.width_pct,
            escape(&r.value_text),
        ));
    }
    out.push_str("</div>");
    out
}

/// A histogram of `values` in `bins` equal bins over their range (widened to include
/// every marker), with vertical marker lines (e.g. the benchmark's default, average and
/// advanced values). `title` is the accessible name.
pub fn histogram_svg(
    values: &[f64],
    bins: usize,
    markers: &[(String, f64)],
    title: &str,
    tr: &Tr,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 240.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 40.0;
    const BOTTOM: f64 = 36.0;
    let bins = bins.max(1);
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let all = finite
        .iter()
        .copied()
        .chain(markers.iter().map(|(_, v)| *v).filter(|v| v.is_finite()));
    let (mut lo, mut hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo <= f64::EPSILON * hi.abs().max(1.0) {
        // One value only: give the axis some width around it.
        let pad = (hi.abs() * 0.1).max(1.0);
        lo -= pad;
        hi += pad;
    }
    let width = (hi - lo) / bins as f64;
    let mut counts = vec![0usize; bins];
    for v in &finite {
        let i = (((v - lo) / width).floor() as usize).min(bins - 1);
        counts[i] += 1;
    }
    let max_count = counts.iter().copied().max().unwrap_or(0).max(1);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let x_of = |v: f64| LEFT + (v - lo) / (hi - lo) * plot_w;
    let mut out = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" \
         role=\"img\" aria-labelledby=\"hist-title\"><title id=\"hist-title\">{}</title>",
        escape(title)
    );
    out.push_str(&format!(
        "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#4a5560\"/>",
        y = TOP + plot_h,
        x2 = LEFT + plot_w
    ));
    let bar_w = plot_w / bins as f64;
    for (i, c) in counts.iter().enumerate() {
        if *c == 0 {
            continue;
        }
        let h = *c as f64 / max_count as f64 * plot_h;
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#5b9a68\">\
             <title>{}–{}: {}</title></rect>",
            LEFT + i as f64 * bar_w + 1.0,
            TOP + plot_h - h,
            (bar_w - 2.0).max(1.0),
            h,
            tr.sig(lo + i as f64 * width),
            tr.sig(lo + (i + 1) as f64 * width),
            c
        ));
    }
    // Axis ends and the tallest count.
    out.push_str(&format!(
        "<text x=\"{LEFT}\" y=\"{y}\" font-size=\"12\" fill=\"#1b1f23\">{}</text>\
         <text x=\"{xr}\" y=\"{y}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f23\">{}</text>\
         <text x=\"{lx}\" y=\"{ly}\" font-size=\"12\" text-anchor=\"end\" fill=\"#1b1f23\">{max_count}</text>",
        tr.sig(lo),
        tr.sig(hi),
        y = H - BOTTOM + 16.0,
        xr = LEFT + plot_w,
        lx = LEFT - 6.0,
        ly = TOP + 12.0,
    ));
    let colours = ["#a04a00", "#0b4f8a", "#0b5d1e", "#6b2c91"];
    for (i, (label, v)) in markers.iter().enumerate() {
        if !v.is_finite() {
            continue;
        }
        let x = x_of(*v);
        let colour = colours[i % colours.len()];
        // A label near an edge is anchored inwards so it is not cut off.
        let anchor = if x > W - RIGHT - 70.0 {
            "end"
        } else if x < LEFT + 70.0 {
            "start"
        } else {
            "middle"
        };
        out.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{yb}\" stroke=\"{colour}\" \
             stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\
             <text x=\"{x:.1}\" y=\"{ty}\" font-size=\"12\" text-anchor=\"{anchor}\" fill=\"{colour}\">{} {}</text>",
            escape(label),
            tr.sig(*v),
            yb = TOP + plot_h,
            ty = if i % 2 == 0 { TOP - 6.0 } else { TOP - 18.0 },
        ));
    }
    out.push_str("</svg>");
    out
}

/// HTML/XML text and attribute escaping (the report crate's, one for the whole site).
pub use zuji_report::escape;

#[cfg(test)]
mod tests {
    use super::*;
    use zuji_trust::label::Lang;

    #[test]
    fn bars_scale_to_the_largest_magnitude() {
        let tr = Tr::new(Lang::En);
        let rows = bar_rows(
            &[
                ("A1–A3".into(), 80.0),
                ("C".into(), -20.0),
                ("D".into(), 0.0),
            ],
            &tr,
        );
        assert_eq!(rows[0].width_pct, 100.0);
        assert_eq!(rows[1].width_pct, 25.0);
        assert!(rows[1].negative);
        assert_eq!(rows[1].value_text, "-20.0");
        let html = bar_chart_html(&rows, "Stages <&>");
        assert!(html.contains("aria-label=\"Stages &lt;&amp;&gt;\""));
        assert!(html.contains("width:25.0%"));
    }

    #[test]
    fn histogram_counts_fall_in_their_bins() {
        let tr = Tr::new(Lang::En);
        // Range 0–10 in 2 bins: [0,5) holds 0,1,2; [5,10] holds 9,10.
        let svg = histogram_svg(
            &[0.0, 1.0, 2.0, 9.0, 10.0],
            2,
            &[("avg".into(), 5.0)],
            "t",
            &tr,
        );
        assert!(svg.contains(">0–5.00: 3<"), "{svg}");
        assert!(svg.contains("5.00–10.0: 2"), "{svg}");
        assert!(svg.contains(">avg 5.00</text>"), "{svg}");
        // No data at all still draws an empty, valid chart.
        let empty = histogram_svg(&[], 5, &[], "t", &tr);
        assert!(empty.starts_with("<svg") && empty.ends_with("</svg>"));
    }
}
