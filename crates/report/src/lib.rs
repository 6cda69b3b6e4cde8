//! The ISO 14067:2018 / GB/T 24067-2024 carbon footprint study report and the footprint
//! certificate, in 简体中文, 繁體中文 and English, as printable HTML and as PDF.
//!
//! The caller (the server) fills a [`StudyReport`] or a [`CertificateDocument`] — plain
//! data, no engine types — and this crate lays it out: [`render_html`] a standalone page
//! with inline CSS and SVG charts, [`render_pdf`] an A4 PDF whose fonts are embedded
//! subsets of the system's Noto Sans CJK (or Source Han Sans) and whose text is a real
//! text layer; the charts in both come from the same SVG ([`chart`]). Depends on the
//! model only. No clock, network or file access beyond reading the system fonts.

pub mod chart;
mod content;
mod fonts;
mod html;
mod model;
pub mod number;
mod pdf;
mod strings;
mod text;

pub use fonts::ReportFonts;
pub use html::{certificate_html, escape, render_html};
pub use model::*;
pub use pdf::{certificate_pdf, certificate_pdf_with, render_pdf, render_pdf_with};
pub use strings::Lang;

/// Why a PDF could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReportError {
    #[error(
        "no Chinese font found in {searched}: the PDF needs Noto Sans CJK SC/TC or Source Han Sans; install fonts-noto-cjk (Debian/Ubuntu) or load fonts with ReportFonts::from_dirs"
    )]
    MissingFont { searched: String },
    #[error("font {font}: {message}")]
    Font { font: String, message: String },
    #[error("chart SVG: {0}")]
    Chart(String),
    #[error("PDF writing: {0}")]
    Pdf(String),
}
