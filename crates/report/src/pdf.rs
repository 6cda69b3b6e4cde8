//! The report and the certificate as A4 PDF, written with krilla.
//!
//! krilla draws glyphs but does not lay out text, so this module does: blocks are placed
//! top to bottom, text is broken into lines by measuring the very glyphs that are drawn
//! ([`crate::text::wrap`]), tables get columns whose rows move whole to the next page
//! (the header row repeated), and headings keep with what follows. Layout is a first
//! pass into positioned items, so the page header and footer can say "n / N" when the
//! pages are drawn. Text is drawn as text — subset CID fonts with a ToUnicode map — so
//! it can be searched, copied and extracted; charts are the HTML report's SVG, drawn by
//! krilla-svg with its text kept as text too.

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::ReportError;
use crate::content::{Block, Table, certificate_blocks, product_name, study_blocks};
use crate::fonts::{FacePair, ReportFonts};
use crate::model::{CertificateDocument, StudyReport};
use crate::strings::Lang;
use crate::text::wrap;

/// A4 in PostScript points.
const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MARGIN_X: f32 = 56.0;
const TOP: f32 = 70.0;
const BOTTOM: f32 = PAGE_H - 64.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

const BODY: f32 = 9.5;
const SMALL: f32 = 8.5;
/// Line height as a multiple of the font size.
const LEADING: f32 = 1.5;
const CELL_PAD: f32 = 3.5;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

const INK: Rgb = Rgb(0x22, 0x22, 0x22);
const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
const ACCENT: Rgb = Rgb(0x2f, 0x6b, 0x4f);
const LINE: Rgb = Rgb(0xd0, 0xd0, 0xd0);
const TINT: Rgb = Rgb(0xee, 0xf4, 0xf0);

/// Something placed on a page; y grows downwards from the top edge.
enum Item {
    /// `y` is the baseline.
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Svg {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
    Center,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Report,
    Certificate,
}

struct Layout<'f> {
    faces: &'f FacePair,
    options: usvg::Options<'static>,
    kind: Kind,
    pages: Vec<Vec<Item>>,
    y: f32,
    svgs: Vec<usvg::Tree>,
    /// (level, title, page, y) for the bookmarks.
    outline: Vec<(u8, String, usize, f32)>,
}

/// The study report as an A4 PDF, set in the system's CJK fonts.
pub fn render_pdf(report: &StudyReport, lang: Lang) -> Result<Vec<u8>, ReportError> {
    render_pdf_with(report, lang, ReportFonts::system_cached()?)
}

/// The study report as an A4 PDF, set in `fonts`.
pub fn render_pdf_with(
    report: &StudyReport,
    lang: Lang,
    fonts: &ReportFonts,
) -> Result<Vec<u8>, ReportError> {
    let s = lang.strings();
    let product = product_name(&report.product.name, lang);
    let mut layout = Layout::new(fonts, lang, Kind::Report);
    layout.blocks(&study_blocks(report, lang))?;
    let header_left = format!("{} · {}", s.report_title, product);
    let header_right = format!("{}{}{}", s.report_id, s.colon, report.report_id);
    layout.finish(
        lang,
        &format!("{} — {}", s.report_title, product),
        Some((&header_left, &header_right)),
    )
}

/// The certificate as a one-page A4 PDF, set in the system's CJK fonts.
pub fn certificate_pdf(
    certificate: &CertificateDocument,
    lang: Lang,
) -> Result<Vec<u8>, ReportError> {
    certificate_pdf_with(certificate, lang, ReportFonts::system_cached()?)
}

/// The certificate as a one-page A4 PDF, set in `fonts`.
pub fn certificate_pdf_with(
    certificate: &CertificateDocument,
    lang: Lang,
    fonts: &ReportFonts,
) -> Result<Vec<u8>, ReportError> {
    let s = lang.strings();
    let mut layout = Layout::new(fonts, lang, Kind::Certificate);
    layout.y = TOP + 20.0;
    layout.blocks(&certificate_blocks(certificate, lang))?;
    layout.finish(
        lang,
        &format!("{} — {}", s.cert_title, certificate.certificate_id),
        None,
    )
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f ReportFonts, lang: Lang, kind: Kind) -> Self {
        Layout {
            faces: fonts.faces(lang),
            options: fonts.svg_options(lang),
            kind,
            pages: vec![Vec::new()],
            y: TOP,
            svgs: Vec::new(),
            outline: Vec::new(),
        }
    }

    fn page(&mut self) -> &mut Vec<Item> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.5
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let face = if bold {
            &self.faces.bold
        } else {
            &self.faces.regular
        };
        let shaper = face.shaper();
        crate::text::width(text, |c| shaper.advance(c)) * size
    }

    fn lines(&self, text: &str, max_width: f32, size: f32, bold: bool) -> Vec<String> {
        let face = if bold {
            &self.faces.bold
        } else {
            &self.faces.regular
        };
        let shaper = face.shaper();
        wrap(text, max_width, |c| shaper.advance(c) * size)
    }

    /// Places one line in the box of height `line_h` whose top is `top`.
    #[allow(clippy::too_many_arguments)]
    fn text_at(
        &mut self,
        text: &str,
        x: f32,
        width: f32,
        top: f32,
        line_h: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        align: Align,
    ) {
        if text.is_empty() {
            return;
        }
        let w = self.width(text, size, bold);
        let x = match align {
            Align::Left => x,
            Align::Right => x + width - w,
            Align::Center => x + (width - w) / 2.0,
        };
        // Noto Sans CJK's ascender is 0.88 em: centre the em box in the line.
        let baseline = top + (line_h - size) / 2.0 + 0.88 * size;
        self.page().push(Item::Text {
            x,
            y: baseline,
            size,
            bold,
            color,
            text: text.to_string(),
        });
    }

    /// Wrapped text at the cursor, breaking pages between lines.
    #[allow(clippy::too_many_arguments)]
    fn paragraph(
        &mut self,
        text: &str,
        x: f32,
        width: f32,
        size: f32,
        bold: bool,
        color: Rgb,
        align: Align,
    ) {
        let line_h = size * LEADING;
        for line in self.lines(text, width, size, bold) {
            self.ensure(line_h);
            let top = self.y;
            self.text_at(&line, x, width, top, line_h, size, bold, color, align);
            self.y += line_h;
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.page().push(Item::Rect { x, y, w, h, color });
    }

    fn hline(&mut self, x: f32, y: f32, w: f32, width: f32, color: Rgb) {
        self.page().push(Item::Line {
            x1: x,
            y1: y,
            x2: x + w,
            y2: y,
            width,
            color,
        });
    }

    fn blocks(&mut self, blocks: &[Block]) -> Result<(), ReportError> {
        for (i, block) in blocks.iter().enumerate() {
            // A heading keeps with the headings right after it and a few lines of text.
            let mut keep = 60.0;
            for next in blocks[i + 1..].iter() {
                match next {
                    Block::Heading { level, .. } => keep += heading_style(*level).2 + 20.0,
                    // A chart comes whole, so the heading waits for all of it.
                    Block::Chart { svg } => {
                        keep = keep.max(chart_height(svg) + 10.0);
                        break;
                    }
                    _ => break,
                }
            }
            self.block(block, keep)?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, keep: f32) -> Result<(), ReportError> {
        let center = self.kind == Kind::Certificate;
        let align = if center { Align::Center } else { Align::Left };
        match block {
            Block::Title {
                title,
                product,
                subtitle,
            } => {
                self.paragraph(title, MARGIN_X, CONTENT_W, 20.0, true, ACCENT, align);
                self.y += 4.0;
                self.paragraph(product, MARGIN_X, CONTENT_W, 15.0, true, INK, align);
                self.y += 2.0;
                self.paragraph(subtitle, MARGIN_X, CONTENT_W, 9.0, false, MUTED, align);
                self.y += 10.0;
            }
            Block::Headline { label, value, unit } => self.headline(label, value, unit, center),
            Block::Heading { level, text } => {
                let (size, color, before) = heading_style(*level);
                self.ensure(before + size * LEADING + keep);
                if !self.at_top() {
                    self.y += before;
                }
                let page = self.pages.len() - 1;
                self.outline.push((*level, text.clone(), page, self.y));
                self.paragraph(text, MARGIN_X, CONTENT_W, size, true, color, Align::Left);
                if *level <= 2 {
                    let y = self.y + 1.0;
                    self.hline(MARGIN_X, y, CONTENT_W, 1.0, ACCENT);
                    self.y += 6.0;
                } else {
                    self.y += 2.0;
                }
            }
            Block::Paragraph(text) => {
                self.paragraph(text, MARGIN_X, CONTENT_W, BODY, false, INK, Align::Left);
                self.y += 4.0;
            }
            Block::Note(text) => {
                self.paragraph(text, MARGIN_X, CONTENT_W, SMALL, false, MUTED, Align::Left);
                self.y += 4.0;
            }
            Block::List(items) => {
                let indent = 12.0;
                for item in items {
                    let line_h = BODY * LEADING;
                    let lines = self.lines(item, CONTENT_W - indent, BODY, false);
                    for (i, line) in lines.iter().enumerate() {
                        self.ensure(line_h);
                        let top = self.y;
                        if i == 0 {
                            self.text_at(
                                "•",
                                MARGIN_X,
                                indent,
                                top,
                                line_h,
                                BODY,
                                false,
                                ACCENT,
                                Align::Left,
                            );
                        }
                        self.text_at(
                            line,
                            MARGIN_X + indent,
                            CONTENT_W - indent,
                            top,
                            line_h,
                            BODY,
                            false,
                            INK,
                            Align::Left,
                        );
                        self.y += line_h;
                    }
                    self.y += 1.5;
                }
                self.y += 3.0;
            }
            Block::Fields(fields) => self.fields(fields),
            Block::Table(table) => self.table(table),
            Block::Chart { svg } => self.chart(svg)?,
        }
        Ok(())
    }

    fn headline(&mut self, label: &str, value: &str, unit: &str, center: bool) {
        let pad = 10.0;
        let value_size = 22.0;
        let unit_size = 11.0;
        let label_h = 9.0 * LEADING;
        let value_h = value_size * 1.3;
        let value_w = self.width(value, value_size, true);
        let gap = 6.0;
        let unit_inline =
            value_w + gap + self.width(unit, unit_size, false) <= CONTENT_W - 2.0 * pad;
        let height = pad * 2.0
            + label_h
            + value_h
            + if unit_inline {
                0.0
            } else {
                unit_size * LEADING
            };
        self.ensure(height + 8.0);
        let top = self.y + 2.0;
        self.rect(MARGIN_X, top, CONTENT_W, height, TINT);
        if !center {
            self.rect(MARGIN_X, top, 4.0, height, ACCENT);
        }
        let inner_x = MARGIN_X + pad + if center { 0.0 } else { 4.0 };
        let inner_w = CONTENT_W - 2.0 * pad - if center { 0.0 } else { 4.0 };
        let align = if center { Align::Center } else { Align::Left };
        self.text_at(
            label,
            inner_x,
            inner_w,
            top + pad,
            label_h,
            9.0,
            false,
            MUTED,
            align,
        );
        let value_top = top + pad + label_h;
        if unit_inline {
            let unit_w = self.width(unit, unit_size, false);
            let start = if center {
                inner_x + (inner_w - value_w - gap - unit_w) / 2.0
            } else {
                inner_x
            };
            self.text_at(
                value,
                start,
                value_w,
                value_top,
                value_h,
                value_size,
                true,
                INK,
                Align::Left,
            );
            // The unit shares the value's baseline.
            let baseline = value_top + (value_h - value_size) / 2.0 + 0.88 * value_size;
            self.page().push(Item::Text {
                x: start + value_w + gap,
                y: baseline,
                size: unit_size,
                bold: false,
                color: INK,
                text: unit.to_string(),
            });
        } else {
            self.text_at(
                value, inner_x, inner_w, value_top, value_h, value_size, true, INK, align,
            );
            let lines = self.lines(unit, inner_w, unit_size, false);
            let unit_top = value_top + value_h;
            if let Some(first) = lines.first() {
                self.text_at(
                    first,
                    inner_x,
                    inner_w,
                    unit_top,
                    unit_size * LEADING,
                    unit_size,
                    false,
                    INK,
                    align,
                );
            }
        }
        self.y = top + height + 10.0;
    }

    fn fields(&mut self, fields: &[(String, String)]) {
        let label_w = CONTENT_W * 0.34;
        let value_w = CONTENT_W - label_w;
        let size = 9.0;
        let line_h = size * LEADING;
        for (label, value) in fields {
            let labels = self.lines(label, label_w - 2.0 * CELL_PAD, size, false);
            let values = self.lines(value, value_w - 2.0 * CELL_PAD, size, false);
            let rows = labels.len().max(values.len()).max(1);
            let max_rows = self.max_cell_lines(line_h, 0.0);
            let (labels, values) = (clip(labels, max_rows), clip(values, max_rows));
            let height = rows.min(max_rows) as f32 * line_h + 2.0 * CELL_PAD;
            self.ensure(height);
            let top = self.y + CELL_PAD;
            for (i, line) in labels.iter().enumerate() {
                let t = top + i as f32 * line_h;
                self.text_at(
                    line,
                    MARGIN_X + CELL_PAD,
                    label_w,
                    t,
                    line_h,
                    size,
                    false,
                    MUTED,
                    Align::Left,
                );
            }
            for (i, line) in values.iter().enumerate() {
                let t = top + i as f32 * line_h;
                self.text_at(
                    line,
                    MARGIN_X + label_w + CELL_PAD,
                    value_w,
                    t,
                    line_h,
                    size,
                    false,
                    INK,
                    Align::Left,
                );
            }
            self.y += height;
            let y = self.y;
            self.hline(MARGIN_X, y, CONTENT_W, 0.5, LINE);
        }
        self.y += 8.0;
    }

    /// Lines of one cell that fit on an empty page below a header of `header_h`.
    fn max_cell_lines(&self, line_h: f32, header_h: f32) -> usize {
        (((BOTTOM - TOP - header_h - 2.0 * CELL_PAD) / line_h).floor() as usize).max(1)
    }

    fn table(&mut self, table: &Table) {
        let size = SMALL;
        let line_h = size * LEADING;
        let total: f32 = table
            .columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.weight / total * CONTENT_W)
            .collect();
        let lay = |this: &Self, cells: &[String], bold: bool, limit: usize| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&widths)
                .map(|(cell, w)| clip(this.lines(cell, w - 2.0 * CELL_PAD, size, bold), limit))
                .collect()
        };
        let headers: Vec<String> = table.columns.iter().map(|c| c.header.clone()).collect();
        let header_cells = lay(self, &headers, true, usize::MAX);
        let header_h = row_height(&header_cells, line_h);
        let limit = self.max_cell_lines(line_h, header_h);
        // The header and the first row stay together.
        let first_h = table
            .rows
            .first()
            .map(|r| row_height(&lay(self, r, false, limit), line_h))
            .unwrap_or(0.0);
        self.ensure(header_h + first_h);
        self.table_row(&header_cells, &widths, table, line_h, true, true);
        for row in &table.rows {
            let cells = lay(self, row, false, limit);
            let h = row_height(&cells, line_h);
            if self.y + h > BOTTOM {
                self.new_page();
                self.table_row(&header_cells, &widths, table, line_h, true, true);
            }
            self.table_row(&cells, &widths, table, line_h, false, false);
        }
        if let Some(footer) = &table.footer {
            let cells = lay(self, footer, true, limit);
            let h = row_height(&cells, line_h);
            if self.y + h > BOTTOM {
                self.new_page();
            }
            let y = self.y;
            self.hline(MARGIN_X, y, CONTENT_W, 1.0, INK);
            self.table_row(&cells, &widths, table, line_h, true, false);
        }
        self.y += 8.0;
    }

    fn table_row(
        &mut self,
        cells: &[Vec<String>],
        widths: &[f32],
        table: &Table,
        line_h: f32,
        bold: bool,
        header: bool,
    ) {
        let h = row_height(cells, line_h);
        let top = self.y;
        if header {
            self.rect(MARGIN_X, top, CONTENT_W, h, TINT);
        }
        let mut x = MARGIN_X;
        for (i, (lines, w)) in cells.iter().zip(widths).enumerate() {
            let align = if table.columns.get(i).is_some_and(|c| c.numeric) {
                Align::Right
            } else {
                Align::Left
            };
            for (k, line) in lines.iter().enumerate() {
                let t = top + CELL_PAD + k as f32 * line_h;
                self.text_at(
                    line,
                    x + CELL_PAD,
                    w - 2.0 * CELL_PAD,
                    t,
                    line_h,
                    SMALL,
                    bold,
                    INK,
                    align,
                );
            }
            x += w;
        }
        self.y += h;
        let y = self.y;
        self.hline(MARGIN_X, y, CONTENT_W, 0.5, LINE);
    }

    fn chart(&mut self, svg: &str) -> Result<(), ReportError> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| ReportError::Chart(e.to_string()))?;
        let size = tree.size();
        let w = CONTENT_W;
        let h = w * size.height() / size.width().max(1.0);
        self.ensure(h + 8.0);
        let index = self.svgs.len();
        self.svgs.push(tree);
        let y = self.y + 2.0;
        self.page().push(Item::Svg {
            index,
            x: MARGIN_X,
            y,
            w,
            h,
        });
        self.y += h + 10.0;
        Ok(())
    }

    fn finish(
        self,
        lang: Lang,
        title: &str,
        header: Option<(&str, &str)>,
    ) -> Result<Vec<u8>, ReportError> {
        let mut document = Document::new();
        document.set_metadata(
            Metadata::new()
                .title(title.to_string())
                .language(lang.tag().to_string())
                .creator("Zuji".to_string()),
        );
        let count = self.pages.len();
        for (n, items) in self.pages.iter().enumerate() {
            let settings = PageSettings::new(
                Size::from_wh(PAGE_W, PAGE_H)
                    .ok_or_else(|| ReportError::Pdf("page size".into()))?,
            );
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            match (self.kind, header) {
                (Kind::Report, Some((left, right))) => {
                    let footer = [
                        Item::Line {
                            x1: MARGIN_X,
                            y1: 46.0,
                            x2: PAGE_W - MARGIN_X,
                            y2: 46.0,
                            width: 0.5,
                            color: LINE,
                        },
                        Item::Line {
                            x1: MARGIN_X,
                            y1: PAGE_H - 46.0,
                            x2: PAGE_W - MARGIN_X,
                            y2: PAGE_H - 46.0,
                            width: 0.5,
                            color: LINE,
                        },
                    ];
                    for item in &footer {
                        self.draw(&mut surface, item);
                    }
                    let page_no = format!("{} / {}", n + 1, count);
                    let right_w = self.width(right, 7.5, false);
                    let left = self.fit(left, CONTENT_W - right_w - 12.0, 7.5);
                    for (text, x, y) in [
                        (left.as_str(), MARGIN_X, 40.0),
                        (right, PAGE_W - MARGIN_X - right_w, 40.0),
                        ("ISO 14067:2018 · GB/T 24067-2024", MARGIN_X, PAGE_H - 34.0),
                        (
                            page_no.as_str(),
                            PAGE_W - MARGIN_X - self.width(&page_no, 7.5, false),
                            PAGE_H - 34.0,
                        ),
                    ] {
                        self.draw(
                            &mut surface,
                            &Item::Text {
                                x,
                                y,
                                size: 7.5,
                                bold: false,
                                color: MUTED,
                                text: text.to_string(),
                            },
                        );
                    }
                }
                _ => {
                    // A certificate's frame: a double rule.
                    for (inset, width) in [(28.0, 2.0), (33.0, 0.6)] {
                        let w = PAGE_W - 2.0 * inset;
                        let h = PAGE_H - 2.0 * inset;
                        for item in [
                            Item::Line {
                                x1: inset,
                                y1: inset,
                                x2: inset + w,
                                y2: inset,
                                width,
                                color: ACCENT,
                            },
                            Item::Line {
                                x1: inset,
                                y1: inset + h,
                                x2: inset + w,
                                y2: inset + h,
                                width,
                                color: ACCENT,
                            },
                            Item::Line {
                                x1: inset,
                                y1: inset,
                                x2: inset,
                                y2: inset + h,
                                width,
                                color: ACCENT,
                            },
                            Item::Line {
                                x1: inset + w,
                                y1: inset,
                                x2: inset + w,
                                y2: inset + h,
                                width,
                                color: ACCENT,
                            },
                        ] {
                            self.draw(&mut surface, &item);
                        }
                    }
                }
            }
            for item in items {
                self.draw(&mut surface, item);
            }
            surface.finish();
            page.finish();
        }
        let mut outline = Outline::new();
        let mut current: Option<OutlineNode> = None;
        for (level, text, page, y) in &self.outline {
            let node = OutlineNode::new(
                text.clone(),
                XyzDestination::new(*page, Point::from_xy(MARGIN_X, *y)),
            );
            if *level <= 2 {
                if let Some(done) = current.take() {
                    outline.push_child(done);
                }
                current = Some(node);
            } else if let Some(parent) = current.as_mut() {
                parent.push_child(node);
            } else {
                outline.push_child(node);
            }
        }
        if let Some(done) = current.take() {
            outline.push_child(done);
        }
        document.set_outline(outline);
        document
            .finish()
            .map_err(|e| ReportError::Pdf(format!("{e:?}")))
    }

    /// `text` shortened with "…" to fit `max_width`.
    fn fit(&self, text: &str, max_width: f32, size: f32) -> String {
        if self.width(text, size, false) <= max_width {
            return text.to_string();
        }
        let mut out = String::new();
        for c in text.chars() {
            let candidate = format!("{out}{c}…");
            if self.width(&candidate, size, false) > max_width {
                break;
            }
            out.push(c);
        }
        format!("{out}…")
    }

    fn draw(&self, surface: &mut Surface<'_>, item: &Item) {
        match item {
            Item::Text {
                x,
                y,
                size,
                bold,
                color,
                text,
            } => {
                let face = if *bold {
                    &self.faces.bold
                } else {
                    &self.faces.regular
                };
                let glyphs = face.shaper().glyphs(text);
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color)));
                surface.draw_glyphs(
                    Point::from_xy(*x, *y),
                    &glyphs,
                    face.font.clone(),
                    text,
                    *size,
                    false,
                );
            }
            Item::Rect { x, y, w, h, color } => {
                let mut pb = PathBuilder::new();
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    pb.push_rect(rect);
                }
                if let Some(path) = pb.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(fill(*color)));
                    surface.draw_path(&path);
                }
            }
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
                color,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x1, *y1);
                pb.line_to(*x2, *y2);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: rgb::Color::new(color.0, color.1, color.2).into(),
                        width: *width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Item::Svg { index, x, y, w, h } => {
                if let (Some(tree), Some(size)) = (self.svgs.get(*index), Size::from_wh(*w, *h)) {
                    surface.push_transform(&Transform::from_translate(*x, *y));
                    surface.draw_svg(tree, size, SvgSettings::default());
                    surface.pop();
                }
            }
        }
    }
}

/// The height a chart gets at the full content width, from the root element's `width`
/// and `height` (the charts are this crate's own SVG).
fn chart_height(svg: &str) -> f32 {
    let root = svg.split('>').next().unwrap_or("");
    let attr = |name: &str| -> Option<f32> {
        root.split(&format!(" {name}=\""))
            .nth(1)?
            .split('"')
            .next()?
            .parse()
            .ok()
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(h)) if w > 0.0 => CONTENT_W * h / w,
        _ => 0.0,
    }
}

/// Font size, colour and space above of a heading.
fn heading_style(level: u8) -> (f32, Rgb, f32) {
    if level <= 2 {
        (13.0, ACCENT, 14.0)
    } else {
        (11.0, INK, 8.0)
    }
}

fn fill(color: Rgb) -> Fill {
    Fill {
        paint: rgb::Color::new(color.0, color.1, color.2).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn row_height(cells: &[Vec<String>], line_h: f32) -> f32 {
    cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * line_h + 2.0 * CELL_PAD
}

/// At most `limit` lines, the last marked "…" when some were cut.
fn clip(mut lines: Vec<String>, limit: usize) -> Vec<String> {
    if lines.len() > limit {
        lines.truncate(limit);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{Bar, stage_chart};

    #[test]
    fn chart_height_follows_the_svg_aspect() {
        let svg = stage_chart("t", "kg", &[Bar::new("a", 1.0)], Lang::En);
        assert!((chart_height(&svg) - CONTENT_W * 300.0 / 640.0).abs() < 1e-3);
        assert_eq!(chart_height("<svg>"), 0.0);
    }

    #[test]
    fn clipped_cells_say_so() {
        let lines = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(clip(lines.clone(), 5), lines);
        assert_eq!(clip(lines, 2), vec!["a".to_string(), "b…".to_string()]);
    }
}
