//! The label as SVG: header with the title, the value and its unit, the grade in a
//! badge, the facts a buyer or inspector asks for, and the QR code.
//!
//! Layout is in a fixed coordinate system (`viewBox`), 400 units wide for the full
//! label and 200 for the compact packaging label; `width`/`height` give the nominal
//! pixel size. Text that might overflow (product names, long ids) gets a `textLength`
//! so it is squeezed rather than cut: the SVG carries no font metrics, so widths are
//! estimated (CJK one em, Latin 0.3–0.8 em by letter).

use std::fmt::Write as _;

use qrcode::bits::Bits;
use qrcode::{Color, EcLevel, QrCode, Version};

use super::number::format_value;
use super::strings::{Lang, Strings};
use super::{LabelError, LabelStatement};
use crate::certification::Timestamp;

/// Brand green (header, badge, value) and text colours; contrast ≥ 4.5:1 on white.
const GREEN: &str = "#1f7a3a";
const DARK: &str = "#1d2b22";
const GREY: &str = "#56655b";
const RULE: &str = "#cfd8d1";

/// Quiet zone around the QR code, in modules (ISO/IEC 18004 asks for 4).
const QUIET_ZONE: usize = 4;

/// Nominal size of the label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelSize {
    /// 200 px wide, compact layout for packaging: title, value, grade, QR code,
    /// certificate id and URL. Print it from the SVG (vector) so the QR stays sharp.
    Small,
    /// 400 px wide, full layout, for web pages.
    Medium,
    /// 800 px wide, full layout, for print and high-density screens.
    Large,
}

impl LabelSize {
    pub fn width_px(self) -> u32 {
        match self {
            LabelSize::Small => 200,
            LabelSize::Medium => 400,
            LabelSize::Large => 800,
        }
    }

    fn compact(self) -> bool {
        self == LabelSize::Small
    }
}

/// The QR code version (1–40) `qr_text` needs in byte mode at error correction
/// level M: the smallest that holds it.
pub fn qr_version(qr_text: &str) -> Result<i16, LabelError> {
    match qr_code(qr_text)?.version() {
        Version::Normal(v) | Version::Micro(v) => Ok(v),
    }
}

/// Draws the label for `statement` in `lang`, with `qr_text` (from
/// [`super::encode_qr_payload`]) as the QR code.
pub fn render_svg(
    statement: &LabelStatement,
    lang: Lang,
    qr_text: &str,
    size: LabelSize,
) -> Result<String, LabelError> {
    statement.check()?;
    let qr = qr_code(qr_text)?;
    let s = lang.strings();
    let facts = Facts::new(statement, lang, qr_text);
    let mut canvas = Canvas::default();
    let (width, height) = if size.compact() {
        compact_layout(&mut canvas, s, &facts, &qr)
    } else {
        full_layout(&mut canvas, s, &facts, &qr)
    };
    let px_w = size.width_px();
    let px_h = (f64::from(px_w) * height / width).round();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{px_w}" height="{px_h}" viewBox="0 0 {width} {height}" xml:lang="{tag}" font-family="{fonts}">"#,
        tag = lang.tag(),
        fonts = lang.font_families(),
    );
    let _ = write!(
        out,
        "<title>{}</title>",
        escape(&format!(
            "{}{}{} {}",
            s.title, s.colon, facts.value, facts.value_unit
        ))
    );
    out.push_str(&canvas.out);
    out.push_str("</svg>");
    Ok(out)
}

/// The statement's data, formatted for `lang`.
struct Facts {
    product_name: String,
    product_line: String,
    value: String,
    value_unit: String,
    grade: Option<(String, String)>,
    rows: Vec<(&'static str, String)>,
    certificate: String,
    url: Option<String>,
}

impl Facts {
    fn new(st: &LabelStatement, lang: Lang, qr_text: &str) -> Self {
        let s = lang.strings();
        let mut product_line = st.product.id.clone();
        if let Some(gtin) = &st.product.gtin {
            let _ = write!(product_line, "  ·  {} {gtin}", s.gtin);
        }
        let value_unit = s
            .value_unit
            .replace("{unit}", &pretty_unit(&st.unit))
            .replace("{declared_unit}", &pretty_unit(&st.declared_unit));
        let grade = st.grade.as_ref().map(|g| {
            (
                g.grade.clone(),
                s.benchmark
                    .replace("{period}", &g.benchmark_period)
                    .replace("{version}", &g.benchmark_version.to_string()),
            )
        });
        // valid_until is exclusive: the last valid day is the day before it ends.
        let first_day = Timestamp::from_unix_seconds(st.valid_from).date();
        let last_day = Timestamp::from_unix_seconds(st.valid_until.saturating_sub(1)).date();
        let mut rows = vec![
            (s.boundary, s.boundary_name(st.boundary).to_string()),
            (
                s.pcr,
                s.pcr_format
                    .replace("{id}", &st.pcr.id)
                    .replace("{version}", &st.pcr.version),
            ),
        ];
        if !st.databases.is_empty() {
            rows.push((s.databases, st.databases.join(s.list_separator)));
        }
        rows.push((s.certificate, st.certificate_id.clone()));
        rows.push((s.certification_body, st.certification_body.name.clone()));
        rows.push((s.validity, format!("{first_day}{}{last_day}", s.date_range)));
        if let Some(index) = st.log_index {
            rows.push((s.log_index, format!("#{index}")));
        }
        let url = qr_text
            .split_once("?z=")
            .map(|(url, _)| url.to_string())
            .filter(|url| url.starts_with("http"));
        Facts {
            product_name: st.product.name.clone(),
            product_line,
            value: format_value(st.value, lang),
            value_unit,
            grade,
            rows,
            certificate: format!("{}{}{}", s.certificate, s.colon, st.certificate_id),
            url,
        }
    }
}

/// `CO2e` with a subscript two, as the unit is printed in standards.
fn pretty_unit(unit: &str) -> String {
    unit.replace("CO2", "CO\u{2082}")
}

fn full_layout(c: &mut Canvas, s: &Strings, f: &Facts, qr: &QrCode) -> (f64, f64) {
    const W: f64 = 400.0;
    const MARGIN: f64 = 24.0;
    let mut y = 64.0;
    // Header: a green band with square lower corners under a rounded outline.
    c.rect(2.0, 2.0, W - 4.0, 62.0, 14.0, GREEN);
    c.rect(2.0, 40.0, W - 4.0, 24.0, 0.0, GREEN);
    c.text(
        W / 2.0,
        36.0,
        24.0,
        Style::bold("#ffffff").middle(),
        s.title,
        W - 40.0,
    );
    c.text(
        W / 2.0,
        55.0,
        10.0,
        Style::plain("#e6f2e9").middle(),
        s.subtitle,
        W - 40.0,
    );
    y += 28.0;
    c.text(
        W / 2.0,
        y,
        17.0,
        Style::bold(DARK).middle(),
        &f.product_name,
        W - 2.0 * MARGIN,
    );
    y += 19.0;
    c.text(
        W / 2.0,
        y,
        11.0,
        Style::plain(GREY).middle(),
        &f.product_line,
        W - 2.0 * MARGIN,
    );
    // Room between the product line and the top of the grade badge.
    y += 8.0;
    // Value on the left, grade badge on the right.
    let value_width = if f.grade.is_some() {
        250.0
    } else {
        W - 2.0 * MARGIN
    };
    c.text(
        MARGIN,
        y + 63.0,
        54.0,
        Style::bold(GREEN),
        &f.value,
        value_width,
    );
    c.text(
        MARGIN,
        y + 89.0,
        15.0,
        Style::plain(DARK),
        &f.value_unit,
        value_width,
    );
    if let Some((grade, benchmark)) = &f.grade {
        let (cx, cy) = (W - MARGIN - 48.0, y + 40.0);
        c.circle(cx, cy, 44.0, GREEN);
        c.text(
            cx,
            cy + 19.0,
            54.0,
            Style::bold("#ffffff").middle(),
            grade,
            70.0,
        );
        c.text(
            cx,
            cy + 62.0,
            12.0,
            Style::bold(DARK).middle(),
            s.grade,
            100.0,
        );
        c.text(
            cx,
            cy + 77.0,
            10.0,
            Style::plain(GREY).middle(),
            benchmark,
            110.0,
        );
    }
    y += 124.0;
    c.line(MARGIN - 4.0, y, W - MARGIN + 4.0, y);
    y += 22.0;
    for (caption, value) in &f.rows {
        c.text(MARGIN, y, 12.0, Style::plain(GREY), caption, 100.0);
        c.text(
            132.0,
            y,
            12.0,
            Style::plain(DARK),
            value,
            W - 132.0 - MARGIN,
        );
        y += 20.0;
    }
    y += 2.0;
    let qr_size = c.qr(W / 2.0, y, 300.0, qr);
    y += qr_size + 18.0;
    c.text(
        W / 2.0,
        y,
        13.0,
        Style::bold(DARK).middle(),
        s.scan_to_verify,
        W - 2.0 * MARGIN,
    );
    if let Some(url) = &f.url {
        y += 17.0;
        let line = format!("{}{url}", s.verify_at);
        c.text(
            W / 2.0,
            y,
            10.0,
            Style::plain(GREY).middle(),
            &line,
            W - 2.0 * MARGIN,
        );
    }
    let height = y + 18.0;
    c.outline(W, height, 14.0);
    (W, height)
}

fn compact_layout(c: &mut Canvas, s: &Strings, f: &Facts, qr: &QrCode) -> (f64, f64) {
    const W: f64 = 200.0;
    const MARGIN: f64 = 12.0;
    c.rect(1.5, 1.5, W - 3.0, 34.0, 9.0, GREEN);
    c.rect(1.5, 20.0, W - 3.0, 15.5, 0.0, GREEN);
    c.text(
        W / 2.0,
        25.0,
        15.0,
        Style::bold("#ffffff").middle(),
        s.title,
        W - 20.0,
    );
    let value_width = if f.grade.is_some() {
        120.0
    } else {
        W - 2.0 * MARGIN
    };
    c.text(
        MARGIN,
        72.0,
        28.0,
        Style::bold(GREEN),
        &f.value,
        value_width,
    );
    c.text(
        MARGIN,
        88.0,
        9.0,
        Style::plain(DARK),
        &f.value_unit,
        value_width,
    );
    if let Some((grade, _)) = &f.grade {
        let (cx, cy) = (W - MARGIN - 24.0, 64.0);
        c.circle(cx, cy, 24.0, GREEN);
        c.text(
            cx,
            cy + 10.0,
            28.0,
            Style::bold("#ffffff").middle(),
            grade,
            38.0,
        );
        c.text(
            cx,
            cy + 37.0,
            8.0,
            Style::bold(DARK).middle(),
            s.grade,
            50.0,
        );
    }
    let mut y = 102.0;
    let qr_size = c.qr(W / 2.0, y, 188.0, qr);
    y += qr_size + 12.0;
    c.text(
        W / 2.0,
        y,
        8.5,
        Style::plain(DARK).middle(),
        &f.certificate,
        W - 2.0 * MARGIN,
    );
    y += 12.0;
    c.text(
        W / 2.0,
        y,
        9.0,
        Style::bold(DARK).middle(),
        s.scan_to_verify,
        W - 2.0 * MARGIN,
    );
    if let Some(url) = &f.url {
        y += 10.0;
        c.text(
            W / 2.0,
            y,
            6.5,
            Style::plain(GREY).middle(),
            url,
            W - 2.0 * MARGIN,
        );
    }
    let height = y + 10.0;
    c.outline(W, height, 9.0);
    (W, height)
}

/// The QR code of `text`: byte mode, level M, the smallest version that holds it.
/// Byte mode keeps the whole text one segment every decoder reads the same way.
fn qr_code(text: &str) -> Result<QrCode, LabelError> {
    for v in 1..=40 {
        let mut bits = Bits::new(Version::Normal(v));
        if bits.push_byte_data(text.as_bytes()).is_ok() && bits.push_terminator(EcLevel::M).is_ok()
        {
            return QrCode::with_bits(bits, EcLevel::M).map_err(|e| LabelError::Qr(e.to_string()));
        }
    }
    Err(LabelError::Qr(format!(
        "{} bytes do not fit a QR code at error correction level M (at most 2,331)",
        text.len()
    )))
}

#[derive(Clone, Copy)]
struct Style {
    fill: &'static str,
    bold: bool,
    middle: bool,
}

impl Style {
    fn plain(fill: &'static str) -> Self {
        Style {
            fill,
            bold: false,
            middle: false,
        }
    }

    fn bold(fill: &'static str) -> Self {
        Style {
            bold: true,
            ..Style::plain(fill)
        }
    }

    fn middle(self) -> Self {
        Style {
            middle: true,
            ..self
        }
    }
}

#[derive(Default)]
struct Canvas {
    out: String,
}

impl Canvas {
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, r: f64, fill: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{r}" fill="{fill}"/>"#
        );
    }

    fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str) {
        let _ = write!(
            self.out,
            r#"<circle cx="{cx}" cy="{cy}" r="{r}" fill="{fill}"/>"#
        );
    }

    fn line(&mut self, x1: f64, y: f64, x2: f64, y2: f64) {
        let _ = write!(
            self.out,
            r#"<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y2}" stroke="{RULE}" stroke-width="1"/>"#
        );
    }

    /// The white card behind everything and the green rim above it; called last,
    /// when the height is known.
    fn outline(&mut self, w: f64, h: f64, r: f64) {
        let card = format!(
            r##"<rect x="1.5" y="1.5" width="{}" height="{}" rx="{r}" fill="#ffffff"/>"##,
            w - 3.0,
            h - 3.0
        );
        self.out.insert_str(0, &card);
        let _ = write!(
            self.out,
            r#"<rect x="1.5" y="1.5" width="{}" height="{}" rx="{r}" fill="none" stroke="{GREEN}" stroke-width="3"/>"#,
            w - 3.0,
            h - 3.0
        );
    }

    fn text(&mut self, x: f64, y: f64, size: f64, style: Style, content: &str, max_width: f64) {
        let mut attrs = format!(
            r#"x="{x}" y="{y}" font-size="{size}" fill="{}""#,
            style.fill
        );
        if style.bold {
            attrs.push_str(r#" font-weight="bold""#);
        }
        if style.middle {
            attrs.push_str(r#" text-anchor="middle""#);
        }
        if estimated_width(content, size) > max_width {
            let _ = write!(
                attrs,
                r#" textLength="{max_width}" lengthAdjust="spacingAndGlyphs""#
            );
        }
        // A subscript two as a lowered small digit: the CJK fonts have no U+2082 glyph,
        // and a fallback font's would not match.
        let body = escape(content).replace(
            '\u{2082}',
            r#"<tspan baseline-shift="sub" font-size="70%">2</tspan>"#,
        );
        let _ = write!(self.out, "<text {attrs}>{body}</text>");
    }

    /// The code as one path of horizontal runs, with its quiet zone on white, centred
    /// on `center_x` below `y`, at most `max_size` wide; returns its size.
    ///
    /// A module is a whole number of units where it fits, and the code starts on a whole
    /// unit: at the nominal pixel width (one unit = one or two pixels) every module is
    /// then a square of whole pixels, which decoders read far more reliably than
    /// modules of 2.5 pixels.
    fn qr(&mut self, center_x: f64, y: f64, max_size: f64, qr: &QrCode) -> f64 {
        let n = qr.width();
        let colors = qr.to_colors();
        let total = n + 2 * QUIET_ZONE;
        let scale = (max_size / total as f64).floor().max(1.0);
        let scale = if scale * total as f64 > max_size {
            max_size / total as f64
        } else {
            scale
        };
        let size = scale * total as f64;
        let x = (center_x - size / 2.0).floor();
        let mut d = String::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if colors[row * n + col] == Color::Dark {
                    let start = col;
                    while col < n && colors[row * n + col] == Color::Dark {
                        col += 1;
                    }
                    let _ = write!(
                        d,
                        "M{} {}h{}v1h-{}z",
                        start + QUIET_ZONE,
                        row + QUIET_ZONE,
                        col - start,
                        col - start
                    );
                } else {
                    col += 1;
                }
            }
        }
        let _ = write!(
            self.out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\" fill=\"#ffffff\"/>\
             <path transform=\"translate({x} {y}) scale({scale})\" fill=\"#000000\" shape-rendering=\"crispEdges\" d=\"{d}\"/>"
        );
        size
    }
}

/// Rough advance width in a sans-serif font: ideographs and fullwidth forms one em,
/// narrow Latin letters and punctuation 0.3 em, capitals and m/w 0.7 em, the rest
/// 0.55 em. It only decides whether to squeeze, so erring a little wide is fine.
fn estimated_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            c if (c as u32) >= 0x2E80 => 1.0,
            'i' | 'j' | 'l' | 'f' | 't' | 'r' | 'I' | '1' | '.' | ',' | ':' | ';' | '/' | '-'
            | '\'' | '|' | '!' | ' ' | '(' | ')' => 0.3,
            'm' | 'w' | 'M' | 'W' => 0.8,
            c if c.is_ascii_uppercase() => 0.65,
            _ => 0.55,
        })
        .sum::<f64>()
        * size
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write most control characters; drop them.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}
