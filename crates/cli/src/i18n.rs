//! The footprint report's labels in 简体中文, 繁體中文 and English.

use clap::ValueEnum;
use zuji_model::LifeCycleStage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    En,
    #[value(name = "zh-Hans", alias = "zh", alias = "zh-CN")]
    ZhHans,
    #[value(name = "zh-Hant", alias = "zh-TW", alias = "zh-HK")]
    ZhHant,
}

impl Lang {
    /// From `--lang`, else from the environment's LANG (zh_TW/zh_HK → 繁體, zh → 简体).
    pub fn resolve(explicit: Option<Lang>) -> Lang {
        if let Some(l) = explicit {
            return l;
        }
        let env = std::env::var("LC_ALL")
            .or_else(|_| std::env::var("LANG"))
            .unwrap_or_default()
            .to_lowercase();
        if env.starts_with("zh_tw")
            || env.starts_with("zh_hk")
            || env.starts_with("zh_mo")
            || env.contains("hant")
        {
            Lang::ZhHant
        } else if env.starts_with("zh") {
            Lang::ZhHans
        } else {
            Lang::En
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Msg {
    Title,
    DeclaredUnit,
    Method,
    Total,
    ByStage,
    ByGas,
    Separately,
    Fossil,
    BiogenicEmissions,
    BiogenicRemovals,
    LandUseChange,
    Unspecified,
    Aircraft,
    ByProcess,
    Hotspots,
    Tree,
    Uncertainty,
    Sensitivity,
    DataQuality,
    PrimaryShare,
    Rating,
    Coverage,
    Fingerprint,
    Warnings,
    Mean,
    Median,
    Interval,
    NotRated,
    Per,
}

pub fn t(lang: Lang, m: Msg) -> &'static str {
    use Lang::*;
    use Msg::*;
    match (m, lang) {
        (Title, En) => "Product carbon footprint",
        (Title, ZhHans) => "产品碳足迹",
        (Title, ZhHant) => "產品碳足跡",
        (DeclaredUnit, En) => "Declared unit",
        (DeclaredUnit, ZhHans) => "声明单位",
        (DeclaredUnit, ZhHant) => "聲明單位",
        (Method, En) => "Method",
        (Method, ZhHans) => "方法",
        (Method, ZhHant) => "方法",
        (Total, En) => "Total",
        (Total, ZhHans) => "合计",
        (Total, ZhHant) => "合計",
        (ByStage, En) => "By life-cycle stage",
        (ByStage, ZhHans) => "按生命周期阶段",
        (ByStage, ZhHant) => "按生命週期階段",
        (ByGas, En) => "By gas and origin",
        (ByGas, ZhHans) => "按气体和来源",
        (ByGas, ZhHant) => "按氣體和來源",
        (Separately, En) => "Reported separately (ISO 14067 / GB/T 24067)",
        (Separately, ZhHans) => "单独报告项（ISO 14067 / GB/T 24067）",
        (Separately, ZhHant) => "單獨報告項（ISO 14067 / GB/T 24067）",
        (Fossil, En) => "fossil GHG emissions",
        (Fossil, ZhHans) => "化石温室气体排放",
        (Fossil, ZhHant) => "化石溫室氣體排放",
        (BiogenicEmissions, En) => "biogenic emissions",
        (BiogenicEmissions, ZhHans) => "生物源排放",
        (BiogenicEmissions, ZhHant) => "生物源排放",
        (BiogenicRemovals, En) => "biogenic removals",
        (BiogenicRemovals, ZhHans) => "生物源清除",
        (BiogenicRemovals, ZhHant) => "生物源清除",
        (LandUseChange, En) => "direct land-use change (dLUC)",
        (LandUseChange, ZhHans) => "直接土地利用变化",
        (LandUseChange, ZhHant) => "直接土地利用變化",
        (Unspecified, En) => "aggregated secondary data (not split)",
        (Unspecified, ZhHans) => "汇总二手数据（未拆分）",
        (Unspecified, ZhHant) => "彙總二手數據（未拆分）",
        (Aircraft, En) => "of which aircraft transport",
        (Aircraft, ZhHans) => "其中航空运输",
        (Aircraft, ZhHant) => "其中航空運輸",
        (ByProcess, En) => "By process",
        (ByProcess, ZhHans) => "按过程",
        (ByProcess, ZhHant) => "按過程",
        (Hotspots, En) => "Top contributors",
        (Hotspots, ZhHans) => "主要贡献项",
        (Hotspots, ZhHant) => "主要貢獻項",
        (Tree, En) => "Contribution tree",
        (Tree, ZhHans) => "贡献树",
        (Tree, ZhHant) => "貢獻樹",
        (Uncertainty, En) => "Uncertainty (Monte Carlo)",
        (Uncertainty, ZhHans) => "不确定性（蒙特卡洛）",
        (Uncertainty, ZhHant) => "不確定性（蒙地卡羅）",
        (Sensitivity, En) => "Sensitivity to parameters (±10 %)",
        (Sensitivity, ZhHans) => "参数敏感性（±10%）",
        (Sensitivity, ZhHant) => "參數敏感性（±10%）",
        (DataQuality, En) => "Data quality",
        (DataQuality, ZhHans) => "数据质量",
        (DataQuality, ZhHant) => "數據質量",
        (PrimaryShare, En) => "primary-data share",
        (PrimaryShare, ZhHans) => "初级数据占比",
        (PrimaryShare, ZhHant) => "初級數據佔比",
        (Rating, En) => "data quality rating (1 best – 5 worst)",
        (Rating, ZhHans) => "数据质量评级（1最好–5最差）",
        (Rating, ZhHant) => "數據質量評級（1最好–5最差）",
        (Coverage, En) => "share of the result that is rated",
        (Coverage, ZhHans) => "已评级结果占比",
        (Coverage, ZhHant) => "已評級結果佔比",
        (Fingerprint, En) => "Result fingerprint (SHA-256)",
        (Fingerprint, ZhHans) => "结果指纹（SHA-256）",
        (Fingerprint, ZhHant) => "結果指紋（SHA-256）",
        (Warnings, En) => "Warnings",
        (Warnings, ZhHans) => "警告",
        (Warnings, ZhHant) => "警告",
        (Mean, En) => "mean",
        (Mean, ZhHans) => "均值",
        (Mean, ZhHant) => "均值",
        (Median, En) => "median",
        (Median, ZhHans) => "中位数",
        (Median, ZhHant) => "中位數",
        (Interval, En) => "95 % interval",
        (Interval, ZhHans) => "95% 区间",
        (Interval, ZhHant) => "95% 區間",
        (NotRated, En) => "not rated",
        (NotRated, ZhHans) => "未评级",
        (NotRated, ZhHant) => "未評級",
        (Per, En) => "per",
        (Per, ZhHans) => "每",
        (Per, ZhHant) => "每",
    }
}

pub fn stage(lang: Lang, s: LifeCycleStage) -> &'static str {
    use LifeCycleStage::*;
    match (lang, s) {
        (Lang::En, _) => s.as_str(),
        (Lang::ZhHans, _) => s.label_zh(),
        (Lang::ZhHant, RawMaterialAcquisition) => "原材料獲取",
        (Lang::ZhHant, Production) => "生產",
        (Lang::ZhHant, Distribution) => "分銷",
        (Lang::ZhHant, Use) => "使用",
        (Lang::ZhHant, EndOfLife) => "生命末期",
    }
}
