//! The fonts a PDF is set in: a CJK sans-serif (Noto Sans CJK or Source Han Sans), regular
//! and bold, in its Simplified (SC) and Traditional (TC) regional forms. They are found
//! with fontdb as the carbon label's PNG renderer finds them; no font file is part of
//! the repository. Their Latin glyphs set the English report too, so one face per
//! weight covers every string; krilla embeds only the glyphs used (a subset).
//!
//! [`ReportFonts::system`] is loaded once per process (the two collections are about
//! 20 MB each and stay in memory).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};
use usvg::fontdb::{self, Database, Family, Query, Source, Stretch, Style, Weight};

use crate::ReportError;
use crate::strings::Lang;

/// Families tried for Simplified Chinese (and English), in order.
const SC_FAMILIES: [&str; 4] = [
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "Source Han Sans CN",
];
/// Families tried for Traditional Chinese; the SC face is used when none is found.
const TC_FAMILIES: [&str; 5] = [
    "Noto Sans CJK TC",
    "Source Han Sans TC",
    "Noto Sans TC",
    "Source Han Sans TW",
    "Noto Sans CJK HK",
];

type FontData = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// Fonts for PDF reports. Cheap to clone.
#[derive(Clone)]
pub struct ReportFonts {
    inner: Arc<Inner>,
}

struct Inner {
    sc: FacePair,
    tc: FacePair,
    /// Only the chosen collections, for laying out chart text (usvg).
    db: Arc<Database>,
}

#[derive(Clone)]
pub(crate) struct FacePair {
    pub regular: Face,
    pub bold: Face,
    pub family: String,
}

/// One face of a font file, ready for krilla and for measuring.
#[derive(Clone)]
pub(crate) struct Face {
    pub font: krilla::text::Font,
    data: FontData,
    index: u32,
}

impl std::fmt::Debug for ReportFonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportFonts")
            .field("sc", &self.inner.sc.family)
            .field("tc", &self.inner.tc.family)
            .finish()
    }
}

impl ReportFonts {
    /// The operating system's fonts (fontconfig's directories on Linux).
    pub fn system() -> Result<Self, ReportError> {
        let mut db = Database::new();
        db.load_system_fonts();
        Self::from_db(&db, "the system font directories")
    }

    /// The system fonts, loaded on first use and kept for the process.
    pub(crate) fn system_cached() -> Result<&'static Self, ReportError> {
        static SYSTEM: OnceLock<Result<ReportFonts, ReportError>> = OnceLock::new();
        SYSTEM
            .get_or_init(ReportFonts::system)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Every font file under `dirs`, recursively.
    pub fn from_dirs<P: AsRef<Path>>(dirs: &[P]) -> Result<Self, ReportError> {
        let mut db = Database::new();
        for dir in dirs {
            db.load_fonts_dir(dir);
        }
        let names: Vec<String> = dirs
            .iter()
            .map(|d| d.as_ref().display().to_string())
            .collect();
        Self::from_db(&db, &names.join(", "))
    }

    /// Fonts from memory (TrueType, OpenType or collections).
    pub fn from_data(fonts: Vec<Vec<u8>>) -> Result<Self, ReportError> {
        let mut db = Database::new();
        for font in fonts {
            db.load_font_data(font);
        }
        Self::from_db(&db, "the supplied font data")
    }

    /// The family names chosen for Simplified and Traditional Chinese.
    pub fn families(&self) -> (&str, &str) {
        (&self.inner.sc.family, &self.inner.tc.family)
    }

    pub(crate) fn faces(&self, lang: Lang) -> &FacePair {
        match lang {
            Lang::ZhHant => &self.inner.tc,
            Lang::ZhHans | Lang::En => &self.inner.sc,
        }
    }

    pub(crate) fn svg_options(&self, lang: Lang) -> usvg::Options<'static> {
        usvg::Options {
            fontdb: self.inner.db.clone(),
            font_family: self.faces(lang).family.clone(),
            resources_dir: None,
            // Charts embed nothing; never let an SVG make the renderer read files.
            image_href_resolver: usvg::ImageHrefResolver {
                resolve_data: Box::new(|_, _, _| None),
                resolve_string: Box::new(|_, _| None),
            },
            ..usvg::Options::default()
        }
    }

    fn from_db(db: &Database, searched: &str) -> Result<Self, ReportError> {
        let mut files: HashMap<PathBuf, FontData> = HashMap::new();
        let mut load = |families: &[&str]| -> Result<Option<FacePair>, ReportError> {
            let Some((family, regular)) = find(db, families, Weight::NORMAL) else {
                return Ok(None);
            };
            let bold = find(db, &[family], Weight::BOLD)
                .map(|(_, id)| id)
                .unwrap_or(regular);
            Ok(Some(FacePair {
                regular: face(db, regular, &mut files)?,
                bold: face(db, bold, &mut files)?,
                family: family.to_string(),
            }))
        };
        let sc = load(&SC_FAMILIES)?;
        let tc = load(&TC_FAMILIES)?;
        let (sc, tc) = match (sc, tc) {
            (Some(sc), Some(tc)) => (sc, tc),
            (Some(sc), None) => (sc.clone(), sc),
            (None, Some(tc)) => (tc.clone(), tc),
            (None, None) => {
                return Err(ReportError::MissingFont {
                    searched: searched.to_string(),
                });
            }
        };
        let mut small = Database::new();
        let mut seen: Vec<*const u8> = Vec::new();
        for f in [&sc.regular, &sc.bold, &tc.regular, &tc.bold] {
            let ptr = f.bytes().as_ptr();
            if !seen.contains(&ptr) {
                seen.push(ptr);
                small.load_font_source(Source::Binary(f.data.clone()));
            }
        }
        // Charts name the regional family; a generic or unknown name gets the SC face.
        small.set_sans_serif_family(sc.family.clone());
        small.set_serif_family(sc.family.clone());
        Ok(ReportFonts {
            inner: Arc::new(Inner {
                sc,
                tc,
                db: Arc::new(small),
            }),
        })
    }
}

fn find<'a>(db: &Database, families: &[&'a str], weight: Weight) -> Option<(&'a str, fontdb::ID)> {
    families.iter().find_map(|family| {
        db.query(&Query {
            families: &[Family::Name(family)],
            weight,
            stretch: Stretch::Normal,
            style: Style::Normal,
        })
        .map(|id| (*family, id))
    })
}

fn face(
    db: &Database,
    id: fontdb::ID,
    files: &mut HashMap<PathBuf, FontData>,
) -> Result<Face, ReportError> {
    let (source, index) = db.face_source(id).ok_or_else(|| ReportError::Font {
        font: format!("{id:?}"),
        message: "the face disappeared from the font database".into(),
    })?;
    let (name, data): (String, FontData) = match source {
        Source::Binary(data) => ("font data".into(), data),
        Source::File(path) | Source::SharedFile(path, _) => {
            let name = path.display().to_string();
            let data = match files.get(&path) {
                Some(data) => data.clone(),
                None => {
                    let bytes = std::fs::read(&path).map_err(|e| ReportError::Font {
                        font: name.clone(),
                        message: e.to_string(),
                    })?;
                    let data: FontData = Arc::new(bytes);
                    files.insert(path, data.clone());
                    data
                }
            };
            (name, data)
        }
    };
    let font =
        krilla::text::Font::new(krilla::Data::from(data.clone()), index).ok_or_else(|| {
            ReportError::Font {
                font: name.clone(),
                message: format!("face {index} cannot be read"),
            }
        })?;
    if FontRef::from_index(data.as_ref().as_ref(), index).is_err() {
        return Err(ReportError::Font {
            font: name,
            message: format!("face {index} cannot be read"),
        });
    }
    Ok(Face { font, data, index })
}

impl Face {
    fn bytes(&self) -> &[u8] {
        self.data.as_ref().as_ref()
    }

    /// Glyph lookup and advances for one piece of text.
    pub(crate) fn shaper(&self) -> Shaper<'_> {
        // Checked readable when the face was loaded.
        let font = FontRef::from_index(self.bytes(), self.index).ok();
        let location = LocationRef::default();
        let upem = font
            .as_ref()
            .map(|f| f.metrics(Size::unscaled(), location).units_per_em)
            .filter(|u| *u > 0)
            .unwrap_or(1000) as f32;
        let charmap = font.as_ref().map(|f| f.charmap());
        let metrics = font
            .as_ref()
            .map(|f| f.glyph_metrics(Size::unscaled(), location));
        let space = charmap
            .as_ref()
            .and_then(|c| c.map(' '))
            .unwrap_or_default();
        Shaper {
            charmap,
            metrics,
            upem,
            space,
        }
    }
}

/// Maps characters to glyphs one to one — Chinese and Latin text need no shaping, and
/// measuring exactly what is drawn keeps the line breaks honest.
pub(crate) struct Shaper<'a> {
    charmap: Option<skrifa::charmap::Charmap<'a>>,
    metrics: Option<skrifa::metrics::GlyphMetrics<'a>>,
    upem: f32,
    space: skrifa::GlyphId,
}

impl Shaper<'_> {
    /// The glyph and its advance in em. Spaces the font lacks (the thin space grouping
    /// digits) are drawn with its space glyph at their own width; other missing
    /// characters get the .notdef glyph, while the text layer keeps the character.
    pub(crate) fn glyph(&self, c: char) -> (u32, f32) {
        let mapped = self.charmap.as_ref().and_then(|m| m.map(c));
        let (gid, width_em) = match mapped {
            Some(g) => (g, None),
            None => match c {
                '\u{2009}' | '\u{202F}' | '\u{2006}' => (self.space, Some(0.2)),
                '\u{200A}' => (self.space, Some(0.1)),
                '\u{2002}' => (self.space, Some(0.5)),
                '\u{2003}' => (self.space, Some(1.0)),
                c if c.is_whitespace() => (self.space, None),
                _ => (skrifa::GlyphId::NOTDEF, None),
            },
        };
        let advance = width_em.unwrap_or_else(|| {
            self.metrics
                .as_ref()
                .and_then(|m| m.advance_width(gid))
                .unwrap_or(0.0)
                / self.upem
        });
        (gid.to_u32(), advance)
    }

    pub(crate) fn advance(&self, c: char) -> f32 {
        self.glyph(c).1
    }

    /// krilla glyphs for `text`, each mapped to its character for the text layer.
    pub(crate) fn glyphs(&self, text: &str) -> Vec<krilla::text::KrillaGlyph> {
        text.char_indices()
            .map(|(i, c)| {
                let (gid, advance) = self.glyph(c);
                krilla::text::KrillaGlyph {
                    glyph_id: krilla::text::GlyphId::new(gid),
                    text_range: i..i + c.len_utf8(),
                    x_advance: advance,
                    x_offset: 0.0,
                    y_offset: 0.0,
                    y_advance: 0.0,
                    location: None,
                }
            })
            .collect()
    }
}
