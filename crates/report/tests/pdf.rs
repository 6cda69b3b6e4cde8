//! The PDFs as a reader gets them, checked with poppler-utils: the text layer holds the
//! Chinese (or English) headings, names and the formatted total (`pdftotext`), every font
//! is embedded (`pdffonts`), and the first page rasterises to something that is not
//! blank (`pdftoppm`). A missing tool fails the test: install poppler-utils.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use zuji_report::{Lang, ReportError, ReportFonts, certificate_pdf, render_pdf};

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run `{tool}` ({e}): install poppler-utils (Debian/Ubuntu: apt-get install poppler-utils)"
        )
    });
    assert!(
        output.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn write(dir: &Path, name: &str, pdf: &[u8]) -> PathBuf {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    path
}

fn text_of(pdf: &Path) -> String {
    run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// Every font is embedded and has a ToUnicode map.
fn assert_fonts_embedded(pdf: &Path) {
    let listing = run("pdffonts", &[pdf.to_str().unwrap()]);
    let fonts: Vec<&str> = listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!fonts.is_empty(), "no fonts listed:\n{listing}");
    for line in fonts {
        // name type… encoding emb sub uni object-id generation
        let cols: Vec<&str> = line.split_whitespace().collect();
        let n = cols.len();
        assert!(n >= 7, "unexpected pdffonts line: {line}");
        assert_eq!(cols[n - 5], "yes", "font not embedded: {line}");
        assert_eq!(cols[n - 3], "yes", "font without ToUnicode: {line}");
    }
}

/// Renders page 1 at 50 dpi and counts ink.
fn assert_first_page_not_blank(pdf: &Path, dir: &Path) {
    let prefix = dir.join(format!(
        "{}-page",
        pdf.file_stem().unwrap().to_string_lossy()
    ));
    run(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let stem = prefix.file_name().unwrap().to_string_lossy().into_owned();
    let png = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&stem) && name.ends_with(".png")
        })
        .unwrap_or_else(|| panic!("pdftoppm wrote no PNG for {}", pdf.display()));
    let bytes = std::fs::read(&png).unwrap();
    assert!(!bytes.is_empty(), "empty PNG");
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    // A4 at 50 dpi: 413 × 585 px.
    assert!((400..430).contains(&info.width), "width {}", info.width);
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let dark = pixels
        .chunks(channels)
        .filter(|px| px.iter().take(3).any(|v| *v < 160))
        .count();
    let total = pixels.len() / channels;
    assert!(
        dark * 200 > total,
        "page 1 is nearly blank: {dark} dark pixels of {total}"
    );
}

fn page_count(text: &str) -> usize {
    text.matches('\u{c}').count()
}

/// Spaces as pdftotext may print them (a thin space may come out as a plain one).
fn normalise(text: &str) -> String {
    text.replace(['\u{2009}', '\u{202f}', '\u{a0}'], " ")
}

#[test]
fn zh_hans_report_has_a_chinese_text_layer_embedded_fonts_and_ink() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_pdf(&common::report(), Lang::ZhHans).unwrap();
    let path = write(dir.path(), "report-zh-Hans.pdf", &pdf);
    let text = text_of(&path);
    for expected in [
        "产品碳足迹研究报告",
        "示例磷酸铁锂电池包",
        "碳足迹",
        "研究目的",
        "原材料获取",
        "单独报告的部分",
        "生物源清除",
        "符合性检查",
        // Drawn only inside the stage chart: krilla-svg kept the SVG's text as text.
        "各生命周期阶段的碳足迹",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the text layer"
        );
    }
    // The total as formatted: four figures, grouped by a thin space.
    assert!(
        normalise(&text).contains("4 725"),
        "the total 4 725 is missing:\n{text}"
    );
    assert!(!text.contains("Product carbon footprint study report"));
    let pages = page_count(&text);
    assert!(pages >= 3, "expected several pages, got {pages}");
    // pdftotext drops the narrow spaces of the footer's "n / N".
    assert!(
        text.replace(' ', "").contains(&format!("{pages}/{pages}")),
        "the last page is not numbered {pages} / {pages}"
    );
    assert_fonts_embedded(&path);
    assert_first_page_not_blank(&path, dir.path());
}

#[test]
fn zh_hant_report_is_in_traditional_characters() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_pdf(&common::report(), Lang::ZhHant).unwrap();
    let path = write(dir.path(), "report-zh-Hant.pdf", &pdf);
    let text = text_of(&path);
    for expected in [
        "產品碳足跡研究報告",
        "示例磷酸鐵鋰電池包",
        "原物料取得",
        "資料與資料品質",
        "各生命週期階段的碳足跡",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the text layer"
        );
    }
    assert!(normalise(&text).contains("4 725"));
    assert!(!text.contains("产品碳足迹研究报告"));
    assert_fonts_embedded(&path);
    assert_first_page_not_blank(&path, dir.path());
}

#[test]
fn english_report_is_in_english_with_comma_grouping() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_pdf(&common::report(), Lang::En).unwrap();
    let path = write(dir.path(), "report-en.pdf", &pdf);
    let text = text_of(&path);
    for expected in [
        "Product carbon footprint study report",
        "Illustrative LFP battery pack",
        "4,725",
        "Raw material acquisition",
        "Parts reported separately",
        "Carbon footprint by life-cycle stage",
        // The Chinese name is printed too, with the same embedded font.
        "示例磷酸铁锂电池包",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the text layer"
        );
    }
    assert_fonts_embedded(&path);
    assert_first_page_not_blank(&path, dir.path());
}

#[test]
fn certificate_is_one_page_with_its_facts_in_the_text_layer() {
    let dir = tempfile::tempdir().unwrap();
    for (lang, title, value) in [
        (Lang::ZhHans, "产品碳足迹证书", "4 725"),
        (Lang::ZhHant, "產品碳足跡證書", "4 725"),
        (Lang::En, "Product carbon footprint certificate", "4,725"),
    ] {
        let pdf = certificate_pdf(&common::certificate(), lang).unwrap();
        let path = write(dir.path(), &format!("certificate-{}.pdf", lang.tag()), &pdf);
        let text = text_of(&path);
        assert_eq!(page_count(&text), 1, "{lang:?}: one page");
        for expected in [
            title,
            "ZJ-CERT-2025-0007",
            "ISO 14067:2018",
            "GB/T 24067-2024",
            "zuji:pcr:battery-pack:draft v0.1",
            "2025-01-17",
            "2028-01-17",
            "https://zuji.example/verify/ZJ-CERT-2025-0007",
        ] {
            assert!(
                text.contains(expected),
                "{lang:?}: {expected:?} missing from the text layer:\n{text}"
            );
        }
        assert!(normalise(&text).contains(value), "{lang:?}: value {value}");
        assert_fonts_embedded(&path);
        assert_first_page_not_blank(&path, dir.path());
    }
}

#[test]
fn without_a_cjk_font_the_error_names_the_package() {
    let empty = tempfile::tempdir().unwrap();
    let err = ReportFonts::from_dirs(&[empty.path()]).unwrap_err();
    assert!(matches!(err, ReportError::MissingFont { .. }));
    assert!(err.to_string().contains("fonts-noto-cjk"), "{err}");
}
