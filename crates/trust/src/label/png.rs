//! SVG to PNG with resvg, the text shaped from fonts loaded explicitly.
//!
//! resvg converts text to glyph outlines itself, so the PNG looks the same wherever it
//! is made, provided the same fonts are loaded. [`LabelFonts::system`] loads the
//! operating system's fonts (on Debian, `fonts-noto-cjk` supplies Noto Sans CJK, SIL
//! OFL 1.1); [`LabelFonts::from_dirs`] and [`LabelFonts::from_data`] load fonts the
//! caller ships. A character no loaded font has is an error
//! ([`LabelError::MissingGlyphs`]): a label with empty boxes for 碳 must not be printed.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::LabelError;

/// Families tried, in order, as the default for text whose own families are missing.
const DEFAULT_FAMILIES: [&str; 7] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK TC",
    "Noto Sans",
    "DejaVu Sans",
];

/// Accepted PNG widths: below 16 px nothing is legible; above 8192 px the pixmap is
/// 256 MiB or more.
const MIN_WIDTH_PX: u32 = 16;
const MAX_WIDTH_PX: u32 = 8192;

/// A font database for rendering labels. Cheap to clone.
#[derive(Clone)]
pub struct LabelFonts {
    db: Arc<fontdb::Database>,
    default_family: String,
}

impl std::fmt::Debug for LabelFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LabelFonts")
            .field("faces", &self.db.len())
            .field("default_family", &self.default_family)
            .finish()
    }
}

impl LabelFonts {
    /// The operating system's fonts (fontconfig's directories on Linux).
    pub fn system() -> Result<Self, LabelError> {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Self::finish(db, "the system font directories")
    }

    /// Every font file (TrueType, OpenType, collections) under `dirs`, recursively.
    pub fn from_dirs<P: AsRef<Path>>(dirs: &[P]) -> Result<Self, LabelError> {
        let mut db = fontdb::Database::new();
        for dir in dirs {
            db.load_fonts_dir(dir);
        }
        let names: Vec<String> = dirs
            .iter()
            .map(|d| d.as_ref().display().to_string())
            .collect();
        Self::finish(db, &names.join(", "))
    }

    /// Fonts from memory (e.g. `include_bytes!` of a shipped subset).
    pub fn from_data(fonts: Vec<Vec<u8>>) -> Result<Self, LabelError> {
        let mut db = fontdb::Database::new();
        for font in fonts {
            db.load_font_data(font);
        }
        Self::finish(db, "the supplied font data")
    }

    /// Number of font faces loaded.
    pub fn face_count(&self) -> usize {
        self.db.len()
    }

    /// The family used where the SVG names none that is loaded.
    pub fn default_family(&self) -> &str {
        &self.default_family
    }

    fn finish(mut db: fontdb::Database, source: &str) -> Result<Self, LabelError> {
        if db.is_empty() {
            return Err(LabelError::Fonts(format!(
                "no fonts found in {source}; install fonts-noto-cjk (Debian) or load fonts explicitly"
            )));
        }
        let families: BTreeSet<&str> = db
            .faces()
            .flat_map(|face| face.families.iter().map(|(name, _)| name.as_str()))
            .collect();
        let default_family = DEFAULT_FAMILIES
            .iter()
            .find(|f| families.contains(*f))
            .map(|f| f.to_string())
            .or_else(|| families.iter().next().map(|f| f.to_string()))
            .unwrap_or_default();
        // usvg falls back to the serif family when none of the SVG's names is loaded.
        db.set_sans_serif_family(default_family.clone());
        db.set_serif_family(default_family.clone());
        Ok(Self {
            db: Arc::new(db),
            default_family,
        })
    }
}

/// Rasterises `svg` to a PNG `width_px` wide (height to scale) with the system fonts,
/// loaded once per process.
pub fn render_png(svg: &str, width_px: u32) -> Result<Vec<u8>, LabelError> {
    static SYSTEM: OnceLock<Result<LabelFonts, LabelError>> = OnceLock::new();
    let fonts = SYSTEM
        .get_or_init(LabelFonts::system)
        .as_ref()
        .map_err(Clone::clone)?;
    render_png_with(svg, width_px, fonts)
}

/// Rasterises `svg` to a PNG `width_px` wide with `fonts`.
pub fn render_png_with(
    svg: &str,
    width_px: u32,
    fonts: &LabelFonts,
) -> Result<Vec<u8>, LabelError> {
    if !(MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
        return Err(LabelError::Render(format!(
            "width {width_px} px is outside {MIN_WIDTH_PX}–{MAX_WIDTH_PX} px"
        )));
    }
    let options = usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: fonts.default_family.clone(),
        resources_dir: None,
        // Labels embed nothing; never let an SVG make the renderer read files.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        font_resolver: usvg::FontResolver {
            select_font: usvg::FontResolver::default_font_selector(),
            select_fallback: Box::new(sans_fallback),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| LabelError::Svg(e.to_string()))?;
    let mut missing = BTreeSet::new();
    missing_glyphs(tree.root(), &mut missing);
    if !missing.is_empty() {
        return Err(LabelError::MissingGlyphs {
            chars: missing.into_iter().collect(),
        });
    }
    let size = tree.size();
    let scale = width_px as f32 / size.width();
    let height_px = (size.height() * scale).ceil();
    if !(1.0..=MAX_WIDTH_PX as f32 * 4.0).contains(&height_px) {
        return Err(LabelError::Render(format!(
            "height {height_px} px at width {width_px} px is out of range"
        )));
    }
    let mut pixmap = Pixmap::new(width_px, height_px as u32)
        .ok_or_else(|| LabelError::Render("could not allocate the pixmap".to_string()))?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| LabelError::Render(format!("PNG encoding: {e}")))
}

/// For a character the chosen font lacks, a face that has it, preferring sans-serif
/// faces of the same weight. resvg's own fallback takes the first face in the
/// database with the character, which on Debian is often Noto Serif CJK: a serif
/// product name in a sans-serif label.
fn sans_fallback(
    c: char,
    used: &[fontdb::ID],
    db: &mut Arc<fontdb::Database>,
) -> Option<fontdb::ID> {
    let base_weight = used.first().and_then(|id| db.face(*id)).map(|f| f.weight);
    let mut best: Option<((bool, bool), fontdb::ID)> = None;
    for face in db.faces() {
        if used.contains(&face.id) || !has_char(db, face.id, c) {
            continue;
        }
        let sans = !face.families.iter().any(|(name, _)| {
            name.contains("Serif") || name.contains("Mincho") || name.contains("Song")
        });
        let rank = (sans, Some(face.weight) == base_weight);
        // Strictly better only: among equals the database's order decides.
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, face.id));
        }
    }
    best.map(|(_, id)| id)
}

fn has_char(db: &fontdb::Database, id: fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| {
        skrifa::FontRef::from_index(data, index)
            .ok()
            .and_then(|font| skrifa::charmap::Charmap::new(&font).map(c))
            .is_some()
    })
    .unwrap_or(false)
}

/// Characters of the SVG's text that were shaped to glyph 0 (.notdef) or not at all.
fn missing_glyphs(group: &usvg::Group, missing: &mut BTreeSet<char>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => missing_glyphs(g, missing),
            usvg::Node::Text(text) => {
                let mut drawn = BTreeSet::new();
                for span in text.layouted() {
                    for glyph in &span.positioned_glyphs {
                        if glyph.id.0 == 0 {
                            missing.extend(glyph.text.chars().filter(|c| !c.is_whitespace()));
                        } else {
                            drawn.extend(glyph.text.chars());
                        }
                    }
                }
                for chunk in text.chunks() {
                    missing.extend(
                        chunk
                            .text()
                            .chars()
                            .filter(|c| !c.is_whitespace() && !drawn.contains(c)),
                    );
                }
            }
            _ => {}
        }
    }
}
