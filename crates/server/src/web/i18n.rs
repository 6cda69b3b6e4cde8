//! The web's words in 简体中文, 繁體中文 and English, and how numbers and dates are
//! written in each.
//!
//! Every phrase lives in a catalog under `crates/server/locales/` (one file per part of
//! the site, so the parts grow independently), keyed by a dotted name and giving all
//! three languages on one line. A template asks `page.t("nav.registry")`; a key the
//! catalog lacks comes back as the key itself, so the browser tests catch it on the
//! page, and the unit tests below catch it before that.

use std::collections::HashMap;
use std::sync::LazyLock;
use zuji_trust::label::Lang;

/// The catalog files, in the order they are merged (a later file may not redefine a
/// key: the test `catalog_keys_are_unique` fails if it does).
pub const CATALOG_FILES: [(&str, &str); 6] = [
    ("common.toml", include_str!("../../locales/common.toml")),
    ("registry.toml", include_str!("../../locales/registry.toml")),
    (
        "workspace.toml",
        include_str!("../../locales/workspace.toml"),
    ),
    ("desk.toml", include_str!("../../locales/desk.toml")),
    ("report.toml", include_str!("../../locales/report.toml")),
    // The PCR conformance check's findings (see `check_text`).
    ("check.toml", include_str!("../../locales/check.toml")),
];

/// One phrase in the three languages.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Phrase {
    #[serde(rename = "zh-Hans")]
    pub zh_hans: String,
    #[serde(rename = "zh-Hant")]
    pub zh_hant: String,
    pub en: String,
}

impl Phrase {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhHans => &self.zh_hans,
            Lang::ZhHant => &self.zh_hant,
            Lang::En => &self.en,
        }
    }
}

/// Parses the catalog files; a malformed file names itself and the TOML error.
pub fn parse_catalog() -> Result<HashMap<String, Phrase>, String> {
    let mut all = HashMap::new();
    for (name, text) in CATALOG_FILES {
        let phrases: HashMap<String, Phrase> =
            toml::from_str(text).map_err(|e| format!("locales/{name}: {e}"))?;
        for (k, v) in phrases {
            if all.insert(k.clone(), v).is_some() {
                return Err(format!("locales/{name}: key '{k}' is already defined"));
            }
        }
    }
    Ok(all)
}

static CATALOG: LazyLock<HashMap<String, Phrase>> = LazyLock::new(|| {
    // The catalog is compiled in and checked by the unit tests; should it still fail,
    // the pages show raw keys rather than the server refusing to start.
    parse_catalog().unwrap_or_else(|e| {
        tracing::error!(error = %e, "web catalog unreadable");
        HashMap::new()
    })
});

/// Translates for one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The phrase for `key`, or the key itself when the catalog lacks it.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match CATALOG.get(key) {
            Some(p) => p.get(self.lang),
            None => key,
        }
    }

    /// The phrase with `{name}` placeholders filled in.
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.t(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// The BCP 47 tag of the language, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }

    /// A number with `decimals` places and thousands grouped. The three locales group
    /// by thousands with a comma and use a point for decimals (GB/T 15835 and CNS
    /// practice for statistics agree with English here).
    pub fn num(&self, value: f64, decimals: usize) -> String {
        format_number(value, decimals)
    }

    /// A number with three significant digits (at least none after the point).
    pub fn sig(&self, value: f64) -> String {
        format_number(value, significant_decimals(value, 3))
    }

    /// A share (0–1) as a percentage with one decimal.
    pub fn pct(&self, share: f64) -> String {
        format!("{}%", format_number(share * 100.0, 1))
    }

    /// A Unix-milliseconds instant as a calendar date (UTC) in the page's language.
    pub fn date_ms(&self, ms: i64) -> String {
        self.date_s(ms.div_euclid(1000))
    }

    /// A Unix-seconds instant as a calendar date (UTC) in the page's language.
    pub fn date_s(&self, unix: i64) -> String {
        let d = zuji_trust::certification::Timestamp(unix).date();
        format_date(self.lang, d.year(), d.month(), d.day())
    }

    /// A Unix-milliseconds instant as date and time (UTC).
    pub fn datetime_ms(&self, ms: i64) -> String {
        let s = ms.div_euclid(1000);
        let of_day = s.rem_euclid(86_400);
        format!(
            "{} {:02}:{:02} UTC",
            self.date_s(s),
            of_day / 3600,
            (of_day / 60) % 60
        )
    }
}

/// Decimal places that show `digits` significant digits of `value`.
pub fn significant_decimals(value: f64, digits: i32) -> usize {
    if value == 0.0 || !value.is_finite() {
        return 0;
    }
    let magnitude = value.abs().log10().floor() as i32;
    (digits - 1 - magnitude).clamp(0, 6) as usize
}

/// `1234567.891` with 2 decimals → `1,234,567.89`; NaN and infinities are written as
/// such, never as a silent zero.
pub fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let raw = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match raw.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (raw.as_str(), None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // -0.00 would read as a negative value; a rounded zero has no sign.
    let is_zero = raw.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A civil date: `2026年11月21日` in Chinese, `21 Nov 2026` in English.
pub fn format_date(lang: Lang, year: i32, month: u8, day: u8) -> String {
    match lang {
        Lang::ZhHans | Lang::ZhHant => format!("{year}年{month}月{day}日"),
        Lang::En => format!(
            "{day} {} {year}",
            MONTHS_EN
                .get(usize::from(month.saturating_sub(1)))
                .unwrap_or(&"?")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_parses_and_keys_are_unique() {
        let catalog = parse_catalog().expect("catalog");
        assert!(catalog.contains_key("nav.registry"));
    }

    /// Every phrase is given in all three languages, and the two Chinese scripts are
    /// not silently the same text where they use characters that differ between them.
    #[test]
    fn every_phrase_has_three_languages() {
        let catalog = parse_catalog().expect("catalog");
        let mut problems = Vec::new();
        for (k, p) in &catalog {
            for (lang, s) in [
                ("zh-Hans", &p.zh_hans),
                ("zh-Hant", &p.zh_hant),
                ("en", &p.en),
            ] {
                if s.trim().is_empty() {
                    problems.push(format!("{k}: {lang} is empty"));
                }
            }
            // English text in a Chinese slot: a run of ASCII letters with no CJK at all.
            for (lang, s) in [("zh-Hans", &p.zh_hans), ("zh-Hant", &p.zh_hant)] {
                let has_cjk = s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
                let letters = s.chars().filter(|c| c.is_ascii_alphabetic()).count();
                if !has_cjk && letters > 3 && !k.starts_with("lang.") && !k.starts_with("unit.") {
                    problems.push(format!("{k}: {lang} looks untranslated: {s:?}"));
                }
            }
            if p.en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                && !k.starts_with("lang.")
            {
                problems.push(format!("{k}: en contains Chinese: {:?}", p.en));
            }
        }
        problems.sort();
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    /// Every `t("…")`/`tf("…")` key a template or web module uses is in the catalog.
    #[test]
    fn every_key_used_is_defined() {
        let catalog = parse_catalog().expect("catalog");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut missing = Vec::new();
        let mut files = Vec::new();
        collect(&root.join("templates/web"), &mut files);
        collect(&root.join("src/web"), &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("read");
            for key in used_keys(&text) {
                if !catalog.contains_key(&key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        missing.sort();
        assert!(
            missing.is_empty(),
            "keys missing from locales/:\n{}",
            missing.join("\n")
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else if p.extension().is_some_and(|x| x == "html" || x == "rs") {
                out.push(p);
            }
        }
    }

    /// Keys in `t("key")` and `tf("key"` calls: dotted lowercase names.
    fn used_keys(text: &str) -> Vec<String> {
        let mut keys = Vec::new();
        for pattern in ["t(\"", "tf(\""] {
            let mut rest = text;
            while let Some(i) = rest.find(pattern) {
                rest = &rest[i + pattern.len()..];
                let end = rest.find('"').unwrap_or(0);
                let key = &rest[..end];
                if key.contains('.')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
                {
                    keys.push(key.to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(format_number(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(format_number(-0.004, 2), "0.00");
        assert_eq!(format_number(-1234.5, 1), "-1,234.5");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(f64::NAN, 2), "NaN");
        assert_eq!(significant_decimals(0.01234, 3), 4);
        assert_eq!(significant_decimals(1234.0, 3), 0);
    }

    #[test]
    fn dates_follow_the_language() {
        // 1 795 219 200 s = 2026-11-21T00:00:00Z (20 778 days × 86 400 s).
        let zh = Tr::new(Lang::ZhHans).date_s(1_795_219_200);
        assert_eq!(zh, "2026年11月21日");
        assert_eq!(Tr::new(Lang::En).date_s(1_795_219_200), "21 Nov 2026");
        assert_eq!(
            Tr::new(Lang::En).datetime_ms(1_795_219_200_000 + 3_723_000),
            "21 Nov 2026 01:02 UTC"
        );
    }
}
