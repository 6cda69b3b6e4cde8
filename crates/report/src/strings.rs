//! Every heading and caption of the report and the certificate, in 简体中文, 繁體中文
//! and English. The layout code takes its words from here only, so a fourth language is
//! one more table. `{name}` marks a value filled in by the caller; each language has the
//! same placeholders (checked by a test).
//!
//! Terms follow GB/T 24067-2024 for 简体中文 (声明单位, 取舍准则, 产品种类规则) and
//! Taiwan's usage for 繁體中文 (宣告單位, 資料, 品質, 產品類別規則).

use serde::{Deserialize, Serialize};
use zuji_model::product::{AllocationMethod, RecyclingApproach, SystemBoundary};
use zuji_model::{LifeCycleStage, Origin};

use crate::model::{CertificateStatus, ElectricityApproach};

/// The report's language.
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

    /// The BCP 47 tag, also the HTML `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhHans => "zh-Hans",
            Lang::ZhHant => "zh-Hant",
            Lang::En => "en",
        }
    }

    /// Accepts the BCP 47 tags and the usual aliases (`zh-CN`, `zh-TW`, `zh-HK`, `en-GB`…),
    /// case-insensitively.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        match tag.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "zh-hans" | "zh" | "zh-cn" | "zh-sg" | "zh-hans-cn" | "zh-hans-sg" => {
                Some(Lang::ZhHans)
            }
            "zh-hant" | "zh-tw" | "zh-hk" | "zh-mo" | "zh-hant-tw" | "zh-hant-hk"
            | "zh-hant-mo" => Some(Lang::ZhHant),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    pub(crate) fn strings(self) -> &'static Strings {
        match self {
            Lang::ZhHans => &ZH_HANS,
            Lang::ZhHant => &ZH_HANT,
            Lang::En => &EN,
        }
    }

    /// CSS/SVG font families, regional CJK font first: shared characters such as 骨 are
    /// drawn differently in SC and TC fonts. English uses the SC font's Latin glyphs so a
    /// Chinese product name in an English report needs no second font.
    pub(crate) fn font_families(self) -> &'static str {
        match self {
            Lang::ZhHans | Lang::En => {
                "'Noto Sans CJK SC', 'Source Han Sans SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"
            }
            Lang::ZhHant => {
                "'Noto Sans CJK TC', 'Source Han Sans TC', 'Noto Sans TC', 'PingFang TC', 'Microsoft JhengHei', sans-serif"
            }
        }
    }
}

/// Declares the table's struct and a list of its entries, for the completeness test.
macro_rules! strings {
    ($($field:ident),* $(,)?) => {
        /// The captions of one language.
        pub(crate) struct Strings {
            $(pub $field: &'static str,)*
        }

        impl Strings {
            #[cfg(test)]
            pub(crate) fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($field), self.$field)),*]
            }
        }
    };
}

strings! {
    report_title, standards_line, not_reported, yes, no, none, colon, list_separator,
    organisation, footprint_id, model_version, computed_at, report_id,
    sec_summary, sec_goal, sec_scope, sec_data, sec_method, sec_results, sec_interpretation,
    sec_pcr, sec_provenance,
    product_name, product_id, category, gtin, description,
    carbon_footprint, per_unit,
    intended_application, reasons, intended_audience, public_communication,
    functional_unit, declared_unit, unit_description, reference_flow, system_boundary,
    cradle_to_gate, cradle_to_grave, gate_to_gate, gate_to_grave,
    stages_included, stages_excluded,
    stage_raw_material, stage_production, stage_distribution, stage_use, stage_end_of_life,
    cut_off, cut_off_per_flow, cut_off_total, cut_off_excluded,
    reference_period, geography, unit_processes,
    col_process, col_stage, col_location, col_data_type, primary_data, secondary_data, col_source,
    primary_data_share, databases, col_name, col_version, col_licence, col_sha256,
    suppliers, col_supplier, col_pcf, col_unit, data_sources,
    data_quality, dqr, dqr_level, dqr_coverage, dqr_note,
    gwp_method, allocation, allocation_none, allocation_entry,
    alloc_physical, alloc_economic, alloc_explicit,
    electricity, electricity_approach, location_based, market_based, residual_mix,
    electricity_datasets, recycling, recycling_cut_off, recycling_avoided, end_of_life_note,
    assumptions, parameters, col_parameter, col_value,
    by_stage, col_value_co2e, col_share, total_row, separately, col_part,
    fossil, biogenic_emissions, biogenic_removals, dluc, iluc, aircraft, unspecified,
    not_quantified,
    by_gas, col_gas, col_origin, col_mass,
    origin_fossil, origin_biogenic, origin_removal, origin_luc, origin_unspecified,
    top_contributors, chart_stages, chart_gases,
    uncertainty, mc_method, mc_iterations, mc_seed, mc_mean, mc_sd, mc_median, mc_interval,
    mc_not_run, sensitivity, sensitivity_step, col_total_low, col_total_high, col_elasticity,
    col_note, sensitivity_none, limitations,
    pcr, pcr_none, pcr_title, conformance, conformance_not_run, conformance_summary,
    col_requirement, col_severity, mandatory, advisory, col_outcome, met, missed, col_detail,
    fingerprint, engine, fingerprint_note,
    cert_title, cert_intro, cert_id, holder, standards, certification_body, issued, expires,
    status, status_valid, status_suspended, status_withdrawn, status_expired,
    status_superseded, verify_at,
}

impl Strings {
    pub fn boundary(&self, boundary: SystemBoundary) -> &'static str {
        match boundary {
            SystemBoundary::CradleToGate => self.cradle_to_gate,
            SystemBoundary::CradleToGrave => self.cradle_to_grave,
            SystemBoundary::GateToGate => self.gate_to_gate,
            SystemBoundary::GateToGrave => self.gate_to_grave,
        }
    }

    pub fn stage(&self, stage: LifeCycleStage) -> &'static str {
        match stage {
            LifeCycleStage::RawMaterialAcquisition => self.stage_raw_material,
            LifeCycleStage::Production => self.stage_production,
            LifeCycleStage::Distribution => self.stage_distribution,
            LifeCycleStage::Use => self.stage_use,
            LifeCycleStage::EndOfLife => self.stage_end_of_life,
        }
    }

    pub fn origin(&self, origin: Origin) -> &'static str {
        match origin {
            Origin::Fossil => self.origin_fossil,
            Origin::Biogenic => self.origin_biogenic,
            Origin::BiogenicRemoval => self.origin_removal,
            Origin::LandUseChange => self.origin_luc,
            Origin::Unspecified => self.origin_unspecified,
        }
    }

    pub fn allocation_method(&self, method: AllocationMethod) -> &'static str {
        match method {
            AllocationMethod::Physical => self.alloc_physical,
            AllocationMethod::Economic => self.alloc_economic,
            AllocationMethod::Explicit => self.alloc_explicit,
        }
    }

    pub fn recycling_approach(&self, approach: RecyclingApproach) -> &'static str {
        match approach {
            RecyclingApproach::CutOff => self.recycling_cut_off,
            RecyclingApproach::AvoidedBurden => self.recycling_avoided,
        }
    }

    pub fn electricity_approach(&self, approach: ElectricityApproach) -> &'static str {
        match approach {
            ElectricityApproach::LocationBased => self.location_based,
            ElectricityApproach::MarketBased => self.market_based,
        }
    }

    pub fn certificate_status(&self, status: CertificateStatus) -> &'static str {
        match status {
            CertificateStatus::Valid => self.status_valid,
            CertificateStatus::Suspended => self.status_suspended,
            CertificateStatus::Withdrawn => self.status_withdrawn,
            CertificateStatus::Expired => self.status_expired,
            CertificateStatus::Superseded => self.status_superseded,
        }
    }

    pub fn yes_no(&self, b: bool) -> &'static str {
        if b { self.yes } else { self.no }
    }
}

/// `template` with each `{key}` replaced by its value.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

static ZH_HANS: Strings = Strings {
    report_title: "产品碳足迹研究报告",
    standards_line: "依据 ISO 14067:2018 和 GB/T 24067-2024 编制",
    not_reported: "未报告",
    yes: "是",
    no: "否",
    none: "无",
    colon: "：",
    list_separator: "；",
    organisation: "委托组织",
    footprint_id: "碳足迹编号",
    model_version: "模型版本",
    computed_at: "计算日期",
    report_id: "报告编号",
    sec_summary: "摘要",
    sec_goal: "研究目的",
    sec_scope: "研究范围",
    sec_data: "数据与数据质量",
    sec_method: "核算方法",
    sec_results: "核算结果",
    sec_interpretation: "结果解释",
    sec_pcr: "产品种类规则与符合性",
    sec_provenance: "可追溯性与验证",
    product_name: "产品名称",
    product_id: "产品编号",
    category: "产品类别",
    gtin: "商品条码",
    description: "描述",
    carbon_footprint: "碳足迹",
    per_unit: "kg CO2e / {unit}",
    intended_application: "预期用途",
    reasons: "开展研究的理由",
    intended_audience: "目标受众",
    public_communication: "是否用于对外公开传播",
    functional_unit: "功能单位",
    declared_unit: "声明单位",
    unit_description: "单位说明",
    reference_flow: "基准流",
    system_boundary: "系统边界",
    cradle_to_gate: "从摇篮到大门",
    cradle_to_grave: "从摇篮到坟墓",
    gate_to_gate: "从大门到大门",
    gate_to_grave: "从大门到坟墓",
    stages_included: "包含的生命周期阶段",
    stages_excluded: "排除的生命周期阶段",
    stage_raw_material: "原材料获取",
    stage_production: "生产",
    stage_distribution: "分销",
    stage_use: "使用",
    stage_end_of_life: "生命末期",
    cut_off: "取舍准则",
    cut_off_per_flow: "单项流上限（占总量）",
    cut_off_total: "合计上限（占总量）",
    cut_off_excluded: "已舍去的份额",
    reference_period: "数据时间范围",
    geography: "地理范围",
    unit_processes: "单元过程",
    col_process: "过程",
    col_stage: "阶段",
    col_location: "地点",
    col_data_type: "数据类型",
    primary_data: "初级数据",
    secondary_data: "次级数据",
    col_source: "来源",
    primary_data_share: "初级数据占比",
    databases: "背景数据库",
    col_name: "名称",
    col_version: "版本",
    col_licence: "许可",
    col_sha256: "SHA-256",
    suppliers: "供应商碳足迹",
    col_supplier: "供应商产品",
    col_pcf: "碳足迹（kg CO2e）",
    col_unit: "单位",
    data_sources: "数据来源",
    data_quality: "数据质量",
    dqr: "数据质量评级（DQR）",
    dqr_level: "质量等级",
    dqr_coverage: "已评级贡献的占比",
    dqr_note: "按 PEF 方法：1 = 优秀 … 5 = 很差，按贡献加权。",
    gwp_method: "特征化方法",
    allocation: "分配程序",
    allocation_none: "前景模型中没有共生产品，未进行分配；背景数据集沿用其自身的分配。",
    allocation_entry: "{process}：{method}，{n} 个产品",
    alloc_physical: "物理分配",
    alloc_economic: "经济分配",
    alloc_explicit: "给定分配系数",
    electricity: "电力说明",
    electricity_approach: "电力核算方式",
    location_based: "基于位置（电网平均）",
    market_based: "基于市场（合同工具）",
    residual_mix: "使用剩余电力组合",
    electricity_datasets: "所用电力数据",
    recycling: "回收与生命末期",
    recycling_cut_off: "截断法：回收成分不承担上游负荷，生命末期回收不计抵扣",
    recycling_avoided: "避免负荷法：生命末期回收按所避免的原生生产计抵扣",
    end_of_life_note: "生命末期说明",
    assumptions: "假设与取值",
    parameters: "参数",
    col_parameter: "参数",
    col_value: "数值",
    by_stage: "各生命周期阶段",
    col_value_co2e: "kg CO2e",
    col_share: "占比",
    total_row: "合计",
    separately: "单独报告的部分",
    col_part: "组成部分",
    fossil: "化石温室气体排放",
    biogenic_emissions: "生物源排放",
    biogenic_removals: "生物源清除",
    dluc: "直接土地利用变化（dLUC）",
    iluc: "间接土地利用变化（iLUC）",
    aircraft: "航空运输排放（已含于上述各项）",
    unspecified: "未区分来源的汇总值",
    not_quantified: "未量化",
    by_gas: "各温室气体",
    col_gas: "气体",
    col_origin: "来源类型",
    col_mass: "质量（kg）",
    origin_fossil: "化石",
    origin_biogenic: "生物源",
    origin_removal: "生物源清除",
    origin_luc: "土地利用变化",
    origin_unspecified: "未区分",
    top_contributors: "主要贡献过程",
    chart_stages: "各生命周期阶段的碳足迹",
    chart_gases: "各温室气体的贡献",
    uncertainty: "不确定性",
    mc_method: "蒙特卡洛模拟",
    mc_iterations: "迭代次数",
    mc_seed: "随机种子",
    mc_mean: "平均值",
    mc_sd: "标准差",
    mc_median: "中位数",
    mc_interval: "95% 区间（2.5%–97.5% 分位）",
    mc_not_run: "未进行蒙特卡洛分析。",
    sensitivity: "敏感性分析",
    sensitivity_step: "每个参数单独变动 ±{step}，其余参数不变。",
    col_total_low: "下调后总量",
    col_total_high: "上调后总量",
    col_elasticity: "弹性系数",
    col_note: "备注",
    sensitivity_none: "未进行敏感性分析。",
    limitations: "局限性",
    pcr: "产品种类规则（PCR）",
    pcr_none: "本研究未采用产品种类规则。",
    pcr_title: "标题",
    conformance: "符合性检查",
    conformance_not_run: "未进行符合性检查。",
    conformance_summary: "共 {total} 项要求：{met} 项满足，{missed} 项未满足（其中强制性 {blocking} 项）。",
    col_requirement: "要求",
    col_severity: "类型",
    mandatory: "强制",
    advisory: "建议",
    col_outcome: "结果",
    met: "满足",
    missed: "未满足",
    col_detail: "说明",
    fingerprint: "计算指纹（SHA-256）",
    engine: "计算引擎",
    fingerprint_note: "验证方用同一模型、同一数据库版本和同一方法重新计算，应得到相同的指纹。",
    cert_title: "产品碳足迹证书",
    cert_intro: "兹证明下列产品的碳足迹经核查符合以下标准：",
    cert_id: "证书编号",
    holder: "证书持有者",
    standards: "依据标准",
    certification_body: "认证机构",
    issued: "颁发日期",
    expires: "有效期至",
    status: "状态",
    status_valid: "有效",
    status_suspended: "暂停",
    status_withdrawn: "撤销",
    status_expired: "已过期",
    status_superseded: "已被替代",
    verify_at: "验证网址",
};

static ZH_HANT: Strings = Strings {
    report_title: "產品碳足跡研究報告",
    standards_line: "依據 ISO 14067:2018 及 GB/T 24067-2024 編製",
    not_reported: "未報告",
    yes: "是",
    no: "否",
    none: "無",
    colon: "：",
    list_separator: "；",
    organisation: "委託組織",
    footprint_id: "碳足跡編號",
    model_version: "模型版本",
    computed_at: "計算日期",
    report_id: "報告編號",
    sec_summary: "摘要",
    sec_goal: "研究目的",
    sec_scope: "研究範圍",
    sec_data: "資料與資料品質",
    sec_method: "核算方法",
    sec_results: "核算結果",
    sec_interpretation: "結果解釋",
    sec_pcr: "產品類別規則與符合性",
    sec_provenance: "可追溯性與查證",
    product_name: "產品名稱",
    product_id: "產品編號",
    category: "產品類別",
    gtin: "商品條碼",
    description: "描述",
    carbon_footprint: "碳足跡",
    per_unit: "kg CO2e / {unit}",
    intended_application: "預期用途",
    reasons: "進行研究的理由",
    intended_audience: "目標受眾",
    public_communication: "是否用於對外公開傳播",
    functional_unit: "功能單位",
    declared_unit: "宣告單位",
    unit_description: "單位說明",
    reference_flow: "參考流",
    system_boundary: "系統邊界",
    cradle_to_gate: "從搖籃到大門",
    cradle_to_grave: "從搖籃到墳墓",
    gate_to_gate: "從大門到大門",
    gate_to_grave: "從大門到墳墓",
    stages_included: "包含的生命週期階段",
    stages_excluded: "排除的生命週期階段",
    stage_raw_material: "原物料取得",
    stage_production: "生產",
    stage_distribution: "配銷",
    stage_use: "使用",
    stage_end_of_life: "生命終期",
    cut_off: "取捨準則",
    cut_off_per_flow: "單項流上限（占總量）",
    cut_off_total: "合計上限（占總量）",
    cut_off_excluded: "已捨去的份額",
    reference_period: "資料時間範圍",
    geography: "地理範圍",
    unit_processes: "單元過程",
    col_process: "過程",
    col_stage: "階段",
    col_location: "地點",
    col_data_type: "資料類型",
    primary_data: "初級資料",
    secondary_data: "次級資料",
    col_source: "來源",
    primary_data_share: "初級資料占比",
    databases: "背景資料庫",
    col_name: "名稱",
    col_version: "版本",
    col_licence: "授權",
    col_sha256: "SHA-256",
    suppliers: "供應商碳足跡",
    col_supplier: "供應商產品",
    col_pcf: "碳足跡（kg CO2e）",
    col_unit: "單位",
    data_sources: "資料來源",
    data_quality: "資料品質",
    dqr: "資料品質評級（DQR）",
    dqr_level: "品質等級",
    dqr_coverage: "已評級貢獻的占比",
    dqr_note: "依 PEF 方法：1 = 優秀 … 5 = 很差，依貢獻加權。",
    gwp_method: "特徵化方法",
    allocation: "分配程序",
    allocation_none: "前景模型中沒有共同產品，未進行分配；背景資料集沿用其自身的分配。",
    allocation_entry: "{process}：{method}，{n} 個產品",
    alloc_physical: "物理分配",
    alloc_economic: "經濟分配",
    alloc_explicit: "給定分配係數",
    electricity: "電力說明",
    electricity_approach: "電力核算方式",
    location_based: "基於位置（電網平均）",
    market_based: "基於市場（合約工具）",
    residual_mix: "使用剩餘電力組合",
    electricity_datasets: "所用電力資料",
    recycling: "回收與生命終期",
    recycling_cut_off: "截斷法：回收成分不承擔上游負荷，生命終期回收不計抵扣",
    recycling_avoided: "避免負荷法：生命終期回收依所避免的原生生產計抵扣",
    end_of_life_note: "生命終期說明",
    assumptions: "假設與取值",
    parameters: "參數",
    col_parameter: "參數",
    col_value: "數值",
    by_stage: "各生命週期階段",
    col_value_co2e: "kg CO2e",
    col_share: "占比",
    total_row: "合計",
    separately: "單獨報告的部分",
    col_part: "組成部分",
    fossil: "化石溫室氣體排放",
    biogenic_emissions: "生物源排放",
    biogenic_removals: "生物源移除",
    dluc: "直接土地利用變化（dLUC）",
    iluc: "間接土地利用變化（iLUC）",
    aircraft: "航空運輸排放（已含於上述各項）",
    unspecified: "未區分來源的彙總值",
    not_quantified: "未量化",
    by_gas: "各溫室氣體",
    col_gas: "氣體",
    col_origin: "來源類型",
    col_mass: "質量（kg）",
    origin_fossil: "化石",
    origin_biogenic: "生物源",
    origin_removal: "生物源移除",
    origin_luc: "土地利用變化",
    origin_unspecified: "未區分",
    top_contributors: "主要貢獻過程",
    chart_stages: "各生命週期階段的碳足跡",
    chart_gases: "各溫室氣體的貢獻",
    uncertainty: "不確定性",
    mc_method: "蒙地卡羅模擬",
    mc_iterations: "疊代次數",
    mc_seed: "隨機種子",
    mc_mean: "平均值",
    mc_sd: "標準差",
    mc_median: "中位數",
    mc_interval: "95% 區間（2.5%–97.5% 分位）",
    mc_not_run: "未進行蒙地卡羅分析。",
    sensitivity: "敏感性分析",
    sensitivity_step: "每個參數單獨變動 ±{step}，其餘參數不變。",
    col_total_low: "下調後總量",
    col_total_high: "上調後總量",
    col_elasticity: "彈性係數",
    col_note: "備註",
    sensitivity_none: "未進行敏感性分析。",
    limitations: "局限性",
    pcr: "產品類別規則（PCR）",
    pcr_none: "本研究未採用產品類別規則。",
    pcr_title: "標題",
    conformance: "符合性檢查",
    conformance_not_run: "未進行符合性檢查。",
    conformance_summary: "共 {total} 項要求：{met} 項滿足，{missed} 項未滿足（其中強制性 {blocking} 項）。",
    col_requirement: "要求",
    col_severity: "類型",
    mandatory: "強制",
    advisory: "建議",
    col_outcome: "結果",
    met: "滿足",
    missed: "未滿足",
    col_detail: "說明",
    fingerprint: "計算指紋（SHA-256）",
    engine: "計算引擎",
    fingerprint_note: "查證方以同一模型、同一資料庫版本及同一方法重新計算，應得到相同的指紋。",
    cert_title: "產品碳足跡證書",
    cert_intro: "茲證明下列產品的碳足跡經查證符合以下標準：",
    cert_id: "證書編號",
    holder: "證書持有者",
    standards: "依據標準",
    certification_body: "認證機構",
    issued: "頒發日期",
    expires: "有效期至",
    status: "狀態",
    status_valid: "有效",
    status_suspended: "暫停",
    status_withdrawn: "撤銷",
    status_expired: "已過期",
    status_superseded: "已被取代",
    verify_at: "驗證網址",
};

static EN: Strings = Strings {
    report_title: "Product carbon footprint study report",
    standards_line: "Prepared in accordance with ISO 14067:2018 and GB/T 24067-2024",
    not_reported: "not reported",
    yes: "yes",
    no: "no",
    none: "none",
    colon: ": ",
    list_separator: "; ",
    organisation: "Organisation",
    footprint_id: "Footprint ID",
    model_version: "Model version",
    computed_at: "Computed on",
    report_id: "Report ID",
    sec_summary: "Summary",
    sec_goal: "Goal of the study",
    sec_scope: "Scope of the study",
    sec_data: "Data and data quality",
    sec_method: "Calculation method",
    sec_results: "Results",
    sec_interpretation: "Interpretation",
    sec_pcr: "Product category rules and conformance",
    sec_provenance: "Traceability and verification",
    product_name: "Product name",
    product_id: "Product ID",
    category: "Product category",
    gtin: "GTIN",
    description: "Description",
    carbon_footprint: "Carbon footprint",
    per_unit: "kg CO2e per {unit}",
    intended_application: "Intended application",
    reasons: "Reasons for carrying out the study",
    intended_audience: "Intended audience",
    public_communication: "Intended for communication to the public",
    functional_unit: "Functional unit",
    declared_unit: "Declared unit",
    unit_description: "Unit description",
    reference_flow: "Reference flow",
    system_boundary: "System boundary",
    cradle_to_gate: "cradle to gate",
    cradle_to_grave: "cradle to grave",
    gate_to_gate: "gate to gate",
    gate_to_grave: "gate to grave",
    stages_included: "Life-cycle stages included",
    stages_excluded: "Life-cycle stages excluded",
    stage_raw_material: "Raw material acquisition",
    stage_production: "Production",
    stage_distribution: "Distribution",
    stage_use: "Use",
    stage_end_of_life: "End of life",
    cut_off: "Cut-off criteria",
    cut_off_per_flow: "Limit per excluded flow (share of total)",
    cut_off_total: "Limit for all excluded flows (share of total)",
    cut_off_excluded: "Share cut off",
    reference_period: "Time period of data",
    geography: "Geographical scope",
    unit_processes: "Unit processes",
    col_process: "Process",
    col_stage: "Stage",
    col_location: "Location",
    col_data_type: "Data",
    primary_data: "primary",
    secondary_data: "secondary",
    col_source: "Source",
    primary_data_share: "Primary data share",
    databases: "Background databases",
    col_name: "Name",
    col_version: "Version",
    col_licence: "Licence",
    col_sha256: "SHA-256",
    suppliers: "Supplier footprints",
    col_supplier: "Supplier product",
    col_pcf: "PCF (kg CO2e)",
    col_unit: "Unit",
    data_sources: "Data sources",
    data_quality: "Data quality",
    dqr: "Data quality rating (DQR)",
    dqr_level: "Quality level",
    dqr_coverage: "Share of contributions rated",
    dqr_note: "PEF method: 1 = excellent … 5 = very poor, weighted by contribution.",
    gwp_method: "Characterisation method",
    allocation: "Allocation",
    allocation_none: "No co-products in the foreground model, so no allocation there; background datasets keep their own allocation.",
    allocation_entry: "{process}: {method} among {n} products",
    alloc_physical: "physical allocation",
    alloc_economic: "economic allocation",
    alloc_explicit: "explicit allocation factors",
    electricity: "Electricity note",
    electricity_approach: "Electricity approach",
    location_based: "location-based (grid average)",
    market_based: "market-based (contractual instruments)",
    residual_mix: "Residual mix used",
    electricity_datasets: "Electricity data used",
    recycling: "Recycling and end of life",
    recycling_cut_off: "cut-off: recycled content enters burden-free; no credit for recycling at end of life",
    recycling_avoided: "avoided burden: recycling at end of life is credited with the primary production it avoids",
    end_of_life_note: "End-of-life note",
    assumptions: "Assumptions and value choices",
    parameters: "Parameters",
    col_parameter: "Parameter",
    col_value: "Value",
    by_stage: "By life-cycle stage",
    col_value_co2e: "kg CO2e",
    col_share: "Share",
    total_row: "Total",
    separately: "Parts reported separately",
    col_part: "Part",
    fossil: "Fossil GHG emissions",
    biogenic_emissions: "Biogenic emissions",
    biogenic_removals: "Biogenic removals",
    dluc: "Direct land-use change (dLUC)",
    iluc: "Indirect land-use change (iLUC)",
    aircraft: "Aircraft emissions (included above)",
    unspecified: "Aggregated values, origin not split",
    not_quantified: "not quantified",
    by_gas: "By greenhouse gas",
    col_gas: "Gas",
    col_origin: "Origin",
    col_mass: "Mass (kg)",
    origin_fossil: "fossil",
    origin_biogenic: "biogenic",
    origin_removal: "biogenic removal",
    origin_luc: "land-use change",
    origin_unspecified: "unspecified",
    top_contributors: "Main contributing processes",
    chart_stages: "Carbon footprint by life-cycle stage",
    chart_gases: "Contribution by greenhouse gas",
    uncertainty: "Uncertainty",
    mc_method: "Monte Carlo simulation",
    mc_iterations: "Iterations",
    mc_seed: "Seed",
    mc_mean: "Mean",
    mc_sd: "Standard deviation",
    mc_median: "Median",
    mc_interval: "95% interval (2.5th–97.5th percentile)",
    mc_not_run: "No Monte Carlo analysis was run.",
    sensitivity: "Sensitivity analysis",
    sensitivity_step: "Each parameter moved by ±{step} on its own, the others held.",
    col_total_low: "Total, lowered",
    col_total_high: "Total, raised",
    col_elasticity: "Elasticity",
    col_note: "Note",
    sensitivity_none: "No sensitivity analysis was run.",
    limitations: "Limitations",
    pcr: "Product category rule (PCR)",
    pcr_none: "The study follows no product category rule.",
    pcr_title: "Title",
    conformance: "Conformance check",
    conformance_not_run: "The conformance check was not run.",
    conformance_summary: "{total} requirements: {met} met, {missed} missed ({blocking} of them mandatory).",
    col_requirement: "Requirement",
    col_severity: "Type",
    mandatory: "mandatory",
    advisory: "advisory",
    col_outcome: "Outcome",
    met: "met",
    missed: "missed",
    col_detail: "Detail",
    fingerprint: "Calculation fingerprint (SHA-256)",
    engine: "Engine",
    fingerprint_note: "A verifier recomputing with the same model, database versions and method obtains the same fingerprint.",
    cert_title: "Product carbon footprint certificate",
    cert_intro: "This is to certify that the carbon footprint of the product below has been verified against:",
    cert_id: "Certificate number",
    holder: "Certificate holder",
    standards: "Standards",
    certification_body: "Certification body",
    issued: "Issued",
    expires: "Valid until",
    status: "Status",
    status_valid: "valid",
    status_suspended: "suspended",
    status_withdrawn: "withdrawn",
    status_expired: "expired",
    status_superseded: "superseded",
    verify_at: "Verify at",
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Characters written differently in the two scripts, (simplified, traditional), for
    /// the words of these tables. Only unambiguous pairs: 于/於 or 后/後 are left out
    /// because 于 and 后 are also traditional characters.
    const PAIRS: &[(char, char)] = &[
        ('迹', '跡'),
        ('报', '報'),
        ('产', '產'),
        ('据', '據'),
        ('数', '數'),
        ('质', '質'),
        ('证', '證'),
        ('书', '書'),
        ('输', '輸'),
        ('电', '電'),
        ('气', '氣'),
        ('围', '圍'),
        ('边', '邊'),
        ('阶', '階'),
        ('组', '組'),
        ('织', '織'),
        ('单', '單'),
        ('类', '類'),
        ('范', '範'),
        ('时', '時'),
        ('间', '間'),
        ('库', '庫'),
        ('许', '許'),
        ('结', '結'),
        ('总', '總'),
        ('计', '計'),
        ('温', '溫'),
        ('标', '標'),
        ('准', '準'),
        ('构', '構'),
        ('态', '態'),
        ('过', '過'),
        ('验', '驗'),
        ('网', '網'),
        ('说', '說'),
        ('确', '確'),
        ('与', '與'),
        ('参', '參'),
        ('来', '來'),
        ('编', '編'),
        ('种', '種'),
        ('规', '規'),
        ('则', '則'),
        ('级', '級'),
        ('评', '評'),
        ('贡', '貢'),
        ('献', '獻'),
        ('释', '釋'),
        ('摇', '搖'),
        ('篮', '籃'),
        ('门', '門'),
        ('坟', '墳'),
        ('销', '銷'),
        ('变', '變'),
        ('区', '區'),
        ('汇', '彙'),
        ('项', '項'),
        ('满', '滿'),
        ('强', '強'),
        ('议', '議'),
        ('颁', '頒'),
        ('暂', '暫'),
        ('调', '調'),
        ('备', '備'),
        ('随', '隨'),
        ('罗', '羅'),
        ('无', '無'),
        ('对', '對'),
        ('开', '開'),
        ('传', '傳'),
        ('众', '眾'),
        ('应', '應'),
        ('场', '場'),
        ('约', '約'),
        ('处', '處'),
        ('负', '負'),
        ('给', '給'),
        ('统', '統'),
        ('损', '損'),
        ('获', '獲'),
        ('状', '狀'),
        ('动', '動'),
        ('个', '個'),
        ('经', '經'),
        ('济', '濟'),
        ('导', '導'),
    ];

    fn is_cjk(c: char) -> bool {
        crate::text::is_cjk(c)
    }

    fn placeholders(s: &str) -> BTreeSet<String> {
        s.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(k, _)| k.to_string()))
            .collect()
    }

    #[test]
    fn every_language_has_every_entry_with_the_same_placeholders() {
        let reference = EN.entries();
        for lang in Lang::ALL {
            let entries = lang.strings().entries();
            assert_eq!(entries.len(), reference.len(), "{lang:?}");
            for ((key, value), (en_key, en_value)) in entries.iter().zip(&reference) {
                assert_eq!(key, en_key);
                assert!(!value.trim().is_empty(), "{lang:?}.{key} is empty");
                assert_eq!(
                    placeholders(value),
                    placeholders(en_value),
                    "{lang:?}.{key}: placeholders differ from English"
                );
            }
        }
    }

    #[test]
    fn each_table_is_in_its_own_language_and_script() {
        // Entries that are the same symbols in every language.
        let neutral = ["col_sha256", "per_unit", "col_value_co2e"];
        let simplified: BTreeSet<char> =
            PAIRS.iter().filter(|(s, t)| s != t).map(|p| p.0).collect();
        let traditional: BTreeSet<char> =
            PAIRS.iter().filter(|(s, t)| s != t).map(|p| p.1).collect();
        let hant = ZH_HANT.entries();
        for (i, (key, hans)) in ZH_HANS.entries().into_iter().enumerate() {
            let (_, hant) = hant[i];
            let (_, en) = EN.entries()[i];
            if let Some(c) = hans.chars().find(|c| traditional.contains(c)) {
                panic!("zh-Hans.{key} has the traditional character {c}: {hans}");
            }
            if let Some(c) = hant.chars().find(|c| simplified.contains(c)) {
                panic!("zh-Hant.{key} has the simplified character {c}: {hant}");
            }
            if hans.chars().any(|c| simplified.contains(&c)) {
                assert_ne!(hans, hant, "zh-Hant.{key} is a copy of the simplified text");
            }
            assert!(!en.chars().any(is_cjk), "en.{key} has Chinese text: {en}");
            if !neutral.contains(&key) {
                assert!(
                    hans.chars().any(is_cjk),
                    "zh-Hans.{key} is untranslated: {hans}"
                );
                assert!(
                    hant.chars().any(is_cjk),
                    "zh-Hant.{key} is untranslated: {hant}"
                );
            }
        }
        // The headline words differ between the scripts.
        assert_ne!(ZH_HANS.carbon_footprint, ZH_HANT.carbon_footprint);
        assert_ne!(ZH_HANS.report_title, ZH_HANT.report_title);
    }

    #[test]
    fn tags_round_trip_and_aliases_are_accepted() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
        }
        assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::ZhHans));
        assert_eq!(Lang::from_tag("zh_TW"), Some(Lang::ZhHant));
        assert_eq!(Lang::from_tag("ZH-HK"), Some(Lang::ZhHant));
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill(ZH_HANS.per_unit, &[("unit", "1 kWh")]),
            "kg CO2e / 1 kWh"
        );
        assert_eq!(
            fill(
                EN.allocation_entry,
                &[("process", "p"), ("method", "m"), ("n", "2")]
            ),
            "p: m among 2 products"
        );
    }
}
