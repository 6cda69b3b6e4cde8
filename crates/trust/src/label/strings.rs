//! Every caption the label shows, in 简体中文, 繁體中文 and English. The drawing code
//! takes its words from here only, so a fourth language is one more table.

use serde::{Deserialize, Serialize};
use zuji_model::product::SystemBoundary;

/// The label's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文
    #[serde(rename = "zh-Hans")]
    ZhHans,
    /// 繁體中文
    #[serde(rename = "zh-Hant")]
    ZhHant,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhHans, Lang::ZhHant, Lang::En];

    /// The BCP 47 tag, also the SVG's `xml:lang`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    pub(super) fn strings(self) -> &'static Strings {
        match self {
            Lang::ZhHans => &ZH_HANS,
            Lang::ZhHant => &ZH_HANT,
            Lang::En => &EN,
        }
    }

    /// Thousands separator (see `number.rs`).
    pub(super) fn group_separator(self) -> char {
        match self {
            Lang::ZhHans | Lang::ZhHant => '\u{2009}',
            Lang::En => ',',
        }
    }

    /// Font families to try first. The Chinese scripts need their own glyph forms
    /// (迹 vs 跡 are different characters, but shared characters such as 骨 are drawn
    /// differently in SC and TC fonts), so each language names its regional font.
    pub(super) fn font_families(self) -> &'static str {
        match self {
            Lang::ZhHans => {
                "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', sans-serif"
            }
            Lang::ZhHant => {
                "'Noto Sans CJK TC', 'Source Han Sans TC', 'Noto Sans TC', 'Noto Sans CJK HK', sans-serif"
            }
            // The CJK fonts' Latin glyphs keep one look across the three labels, and a
            // Chinese product name on an English label needs them anyway.
            Lang::En => {
                "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans', 'DejaVu Sans', sans-serif"
            }
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    /// Accepts the BCP 47 tags and the usual aliases (`zh-CN`, `zh-TW`, `zh-HK`, …).
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-hans" | "zh" | "zh-cn" | "zh-sg" | "zh-hans-cn" => Ok(Lang::ZhHans),
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" | "zh-hant-hk" => {
                Ok(Lang::ZhHant)
            }
            "en" | "en-gb" | "en-us" => Ok(Lang::En),
            other => Err(format!(
                "language {other:?}: expected zh-Hans, zh-Hant or en"
            )),
        }
    }
}

/// The captions of one language.
pub(super) struct Strings {
    pub title: &'static str,
    /// Small line under the title naming the standard the footprint follows.
    pub subtitle: &'static str,
    pub grade: &'static str,
    pub boundary: &'static str,
    pub pcr: &'static str,
    /// `{period}` and `{version}` are replaced.
    pub benchmark: &'static str,
    pub databases: &'static str,
    pub certificate: &'static str,
    pub certification_body: &'static str,
    pub validity: &'static str,
    /// Between the first and the last valid day.
    pub date_range: &'static str,
    pub log_index: &'static str,
    pub gtin: &'static str,
    pub scan_to_verify: &'static str,
    /// Before the verification URL.
    pub verify_at: &'static str,
    /// `{unit}` and `{declared_unit}` are replaced.
    pub value_unit: &'static str,
    /// `{id}` and `{version}` are replaced.
    pub pcr_format: &'static str,
    /// Between a caption and its value.
    pub colon: &'static str,
    /// Between the items of a list (databases).
    pub list_separator: &'static str,
    pub cradle_to_gate: &'static str,
    pub cradle_to_grave: &'static str,
    pub gate_to_gate: &'static str,
    pub gate_to_grave: &'static str,
}

impl Strings {
    pub fn boundary_name(&self, boundary: SystemBoundary) -> &'static str {
        match boundary {
            SystemBoundary::CradleToGate => self.cradle_to_gate,
            SystemBoundary::CradleToGrave => self.cradle_to_grave,
            SystemBoundary::GateToGate => self.gate_to_gate,
            SystemBoundary::GateToGrave => self.gate_to_grave,
        }
    }
}

static ZH_HANS: Strings = Strings {
    title: "碳足迹标识",
    subtitle: "产品碳足迹 · GB/T 24067 / ISO 14067",
    grade: "等级",
    boundary: "系统边界",
    pcr: "核算规则",
    benchmark: "基准 {period} 第{version}版",
    databases: "数据库",
    certificate: "证书编号",
    certification_body: "认证机构",
    validity: "有效期",
    date_range: " 至 ",
    log_index: "公示日志序号",
    gtin: "商品条码",
    scan_to_verify: "扫码验证真伪",
    verify_at: "验证网址：",
    value_unit: "{unit} / {declared_unit}",
    pcr_format: "{id} v{version}",
    colon: "：",
    list_separator: "；",
    cradle_to_gate: "从摇篮到大门",
    cradle_to_grave: "从摇篮到坟墓",
    gate_to_gate: "从大门到大门",
    gate_to_grave: "从大门到坟墓",
};

static ZH_HANT: Strings = Strings {
    title: "碳足跡標識",
    subtitle: "產品碳足跡 · GB/T 24067 / ISO 14067",
    grade: "等級",
    boundary: "系統邊界",
    pcr: "核算規則",
    benchmark: "基準 {period} 第{version}版",
    databases: "資料庫",
    certificate: "證書編號",
    certification_body: "認證機構",
    validity: "有效期",
    date_range: " 至 ",
    log_index: "公示日誌序號",
    gtin: "商品條碼",
    scan_to_verify: "掃碼驗證真偽",
    verify_at: "驗證網址：",
    value_unit: "{unit} / {declared_unit}",
    pcr_format: "{id} v{version}",
    colon: "：",
    list_separator: "；",
    cradle_to_gate: "從搖籃到大門",
    cradle_to_grave: "從搖籃到墳墓",
    gate_to_gate: "從大門到大門",
    gate_to_grave: "從大門到墳墓",
};

static EN: Strings = Strings {
    title: "Carbon Footprint Label",
    subtitle: "Product carbon footprint · ISO 14067 / GB/T 24067",
    grade: "Grade",
    boundary: "Boundary",
    pcr: "PCR",
    benchmark: "benchmark {period} v{version}",
    databases: "Databases",
    certificate: "Certificate",
    certification_body: "Certified by",
    validity: "Valid",
    date_range: " to ",
    log_index: "Log entry",
    gtin: "GTIN",
    scan_to_verify: "Scan to verify",
    verify_at: "Verify at ",
    value_unit: "{unit} per {declared_unit}",
    pcr_format: "{id} v{version}",
    colon: ": ",
    list_separator: "; ",
    cradle_to_gate: "cradle to gate",
    cradle_to_grave: "cradle to grave",
    gate_to_gate: "gate to gate",
    gate_to_grave: "gate to grave",
};
