//! Reading a label's QR code back from an image, as a phone or `zuji verify` does: a PNG
//! decoded with resvg's own decoder, or an SVG rasterised without fonts (the code needs
//! none, so this works on a machine without CJK fonts), composited on white as printed,
//! and every QR code found by rqrr (pure Rust).

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

use super::LabelError;

/// An SVG is drawn at least this wide, at a whole multiple of its own width, so the QR
/// modules are whole pixels.
const SVG_MIN_WIDTH_PX: f32 = 1200.0;
/// And at most this high or wide (memory).
const SVG_MAX_SIDE_PX: f32 = 8192.0;

/// What a scan found: how many code grids were seen, and the texts that decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QrScan {
    pub grids: usize,
    /// Sorted, without duplicates.
    pub codes: Vec<String>,
}

/// Every QR code readable in a PNG image.
pub fn scan_png(png: &[u8]) -> Result<QrScan, LabelError> {
    let pixmap = Pixmap::decode_png(png)
        .map_err(|e| LabelError::Qr(format!("not a readable PNG image: {e}")))?;
    Ok(scan_pixmap(&pixmap))
}

/// Every QR code readable in an SVG document, drawn without fonts.
pub fn scan_svg(svg: &[u8]) -> Result<QrScan, LabelError> {
    let mut options = usvg::Options::default();
    // Only the label itself is drawn: no images from files the SVG names.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    let tree = usvg::Tree::from_data(svg, &options)
        .map_err(|e| LabelError::Qr(format!("not a readable SVG file: {e}")))?;
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    let mut scale = (SVG_MIN_WIDTH_PX / w).ceil().max(1.0);
    if w * scale > SVG_MAX_SIDE_PX || h * scale > SVG_MAX_SIDE_PX {
        scale = (SVG_MAX_SIDE_PX / w.max(h)).min(scale);
    }
    let (pw, ph) = ((w * scale).ceil() as u32, (h * scale).ceil() as u32);
    let mut pixmap = Pixmap::new(pw.max(1), ph.max(1))
        .ok_or_else(|| LabelError::Qr(format!("cannot draw the SVG at {pw}×{ph}")))?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(scan_pixmap(&pixmap))
}

/// The text of every QR code in a PNG image (see [`scan_png`]).
pub fn read_qr_codes_png(png: &[u8]) -> Result<Vec<String>, LabelError> {
    Ok(scan_png(png)?.codes)
}

/// The text of every QR code in an SVG label (see [`scan_svg`]).
pub fn read_qr_codes_svg(svg: &str) -> Result<Vec<String>, LabelError> {
    Ok(scan_svg(svg.as_bytes())?.codes)
}

/// The codes in an image, composited on white as printed. A small image is also tried
/// enlarged (a thumbnail's modules may be a pixel or two).
fn scan_pixmap(pixmap: &Pixmap) -> QrScan {
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let luma: Vec<u8> = pixmap
        .pixels()
        .iter()
        .map(|p| {
            // Premultiplied RGBA over white: c + (255 − a).
            let white = 255 - u16::from(p.alpha());
            let lum =
                (u16::from(p.red()) * 3 + u16::from(p.green()) * 6 + u16::from(p.blue())) / 10;
            (lum + white).min(255) as u8
        })
        .collect();
    let mut scan = read_codes(&luma, w, h, 1);
    if scan.codes.is_empty() && w.max(h) < 1000 {
        let enlarged = read_codes(&luma, w, h, 3);
        scan.grids = scan.grids.max(enlarged.grids);
        scan.codes = enlarged.codes;
    }
    scan.codes.sort();
    scan.codes.dedup();
    scan
}

/// Grids detected and texts decoded in a luma image enlarged `factor` times.
fn read_codes(luma: &[u8], w: usize, h: usize, factor: usize) -> QrScan {
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w * factor, h * factor, |x, y| {
        luma[(y / factor) * w + x / factor]
    });
    let grids = image.detect_grids();
    let codes = grids
        .iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect();
    QrScan {
        grids: grids.len(),
        codes,
    }
}
