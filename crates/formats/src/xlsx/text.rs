//! Every user-facing word of the workbooks, in one table: sheet names, column headers and
//! the help in 简体中文, 繁體中文 and English.
//!
//! Kept together so that a translator edits one file and the reader, the writer and the
//! instruction sheet can never disagree about what a column is called. A header is
//! written `"{zh} {key}"` (`过程编号 process id`); the reader matches the English key,
//! so a user may reorder columns or drop the Chinese part.

/// A sheet: its bilingual name and what it is for, in three languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetText {
    /// The English key, used to find the sheet when a user renamed the Chinese part.
    pub key: &'static str,
    /// The full sheet name as written (≤ 31 characters, Excel's limit).
    pub name: &'static str,
    pub hans: &'static str,
    pub hant: &'static str,
    pub en: &'static str,
}

/// A column (or, on the Product sheet, a field row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// English key, unique within its sheet; the part of the header the reader matches.
    pub key: &'static str,
    /// Chinese label, CJK only (the reader strips it to find the key).
    pub zh: &'static str,
    pub hans: &'static str,
    pub hant: &'static str,
    pub en: &'static str,
}

impl Col {
    pub fn header(&self) -> String {
        format!("{} {}", self.zh, self.key)
    }
}

const fn col(
    key: &'static str,
    zh: &'static str,
    hans: &'static str,
    hant: &'static str,
    en: &'static str,
) -> Col {
    Col {
        key,
        zh,
        hans,
        hant,
        en,
    }
}

pub const INSTRUCTIONS: SheetText = SheetText {
    key: "instructions",
    name: "说明 Instructions",
    hans: "本说明。填写产品、参数、过程、副产品、输入和排放六个工作表；“示例”和“列表”工作表不会被导入。每列标题为“中文 English”，导入时按英文部分识别。",
    hant: "本說明。填寫產品、參數、過程、副產品、輸入和排放六個工作表；「示例」和「列表」工作表不會被匯入。每欄標題為「中文 English」，匯入時按英文部分識別。",
    en: "These instructions. Fill in the six sheets Product, Parameters, Processes, Co-products, Inputs and Emissions; the Example and Lists sheets are never imported. Each header reads 'Chinese English'; the importer matches the English part.",
};
pub const PRODUCT: SheetText = SheetText {
    key: "product",
    name: "产品 Product",
    hans: "产品与声明单位：每行一个字段，在“值”列填写。",
    hant: "產品與聲明單位：每列一個欄位，在「值」欄填寫。",
    en: "The product and its declared unit: one field per row, filled in the 'value' column.",
};
pub const PARAMETERS: SheetText = SheetText {
    key: "parameters",
    name: "参数 Parameters",
    hans: "参数：每行一个，可被数量公式引用（如 mass * road_km）。",
    hant: "參數：每列一個，可被數量公式引用（如 mass * road_km）。",
    en: "Parameters, one per row, usable in amount formulas (e.g. mass * road_km).",
};
pub const PROCESSES: SheetText = SheetText {
    key: "processes",
    name: "过程 Processes",
    hans: "过程：每行一个过程及其基准产出。第一行（或产品表中的基准过程）产出本产品。",
    hant: "過程：每列一個過程及其基準產出。第一列（或產品表中的基準過程）產出本產品。",
    en: "Processes, one per row with its reference output. The first (or the product's reference process) makes the product.",
};
pub const COPRODUCTS: SheetText = SheetText {
    key: "co-products",
    name: "副产品 Co-products",
    hans: "副产品：每行一个，按过程编号归属；有副产品的过程须在过程表中填写分配方法。",
    hant: "副產品：每列一個，按過程編號歸屬；有副產品的過程須在過程表中填寫分配方法。",
    en: "Co-products, one per row, belonging to a process by its id; such a process needs an allocation method on the Processes sheet.",
};
pub const INPUTS: SheetText = SheetText {
    key: "inputs",
    name: "输入 Inputs",
    hans: "输入：每行一个，链接到本模型的过程、背景数据集或供应商碳足迹之一。",
    hant: "輸入：每列一個，連結到本模型的過程、背景資料集或供應商碳足跡之一。",
    en: "Inputs, one per row, each linked to exactly one of a model process, a background dataset or a supplier footprint.",
};
pub const EMISSIONS: SheetText = SheetText {
    key: "emissions",
    name: "排放 Emissions",
    hans: "直接排放：每行一种气体，按气体质量填写（生物源移除填正数）。",
    hant: "直接排放：每列一種氣體，按氣體質量填寫（生物源移除填正數）。",
    en: "Direct emissions, one gas per row, as mass of the gas (a biogenic removal as a positive amount).",
};
pub const EXAMPLE: SheetText = SheetText {
    key: "example",
    name: "示例 Example",
    hans: "完整示例（钢支架），仅供参考，不会被导入。",
    hant: "完整示例（鋼支架），僅供參考，不會被匯入。",
    en: "A complete example (steel bracket) for reference; never imported.",
};
pub const LISTS: SheetText = SheetText {
    key: "lists",
    name: "列表 Lists",
    hans: "下拉列表的取值：阶段、单位、气体、碳来源、边界、分配方法、不确定性类型和背景数据集编号。",
    hant: "下拉清單的取值：階段、單位、氣體、碳來源、邊界、分配方法、不確定性類型和背景資料集編號。",
    en: "Values of the drop-down lists: stages, units, gases, origins, boundaries, allocation methods, uncertainty types and background dataset ids.",
};

/// The sheets in workbook order.
pub const SHEETS: [SheetText; 9] = [
    INSTRUCTIONS,
    PRODUCT,
    PARAMETERS,
    PROCESSES,
    COPRODUCTS,
    INPUTS,
    EMISSIONS,
    EXAMPLE,
    LISTS,
];

/// Headers of the Product sheet's three columns.
pub const FIELD_COLS: [Col; 3] = [
    col("field", "字段", "字段名称", "欄位名稱", "field name"),
    col(
        "value",
        "值",
        "填写的值",
        "填寫的值",
        "the value to fill in",
    ),
    col("notes", "说明", "填写说明", "填寫說明", "how to fill it in"),
];

/// General rules shown under the title of the instruction sheet: (简体, 繁體, English).
pub const NOTES: [[&str; 3]; 4] = [
    [
        "数量可填数字，或引用参数表中参数的公式（如 mass / (1 - scrap_rate)）。",
        "數量可填數字，或引用參數表中參數的公式（如 mass / (1 - scrap_rate)）。",
        "Amounts are numbers or formulas over the Parameters sheet (e.g. mass / (1 - scrap_rate)).",
    ],
    [
        "空白单元格表示未填写；是否类字段填 yes 或 no。",
        "空白儲存格表示未填寫；是否類欄位填 yes 或 no。",
        "A blank cell means not given; yes/no fields take yes or no.",
    ],
    [
        "“示例”工作表展示完整填写方式，导入时不会读取；请在其他工作表中填写自己的数据。",
        "「示例」工作表展示完整填寫方式，匯入時不會讀取；請在其他工作表中填寫自己的資料。",
        "The Example sheet shows a complete filled model and is never imported; enter your own data on the other sheets.",
    ],
    [
        "导入出错时，错误会指出工作表、单元格和问题，例如 输入 Inputs!F7: unknown unit 'kgs'。",
        "匯入出錯時，錯誤會指出工作表、儲存格和問題，例如 输入 Inputs!F7: unknown unit 'kgs'。",
        "An import error names the sheet, the cell and the problem, e.g. 输入 Inputs!F7: unknown unit 'kgs'.",
    ],
];

/// Headers of the instruction sheet's table.
pub const HELP_HEADERS: [&str; 5] = [
    "工作表 sheet",
    "列 column",
    "简体中文",
    "繁體中文",
    "English",
];
pub const TITLE: [&str; 3] = [
    "Zuji 产品碳足迹数据模板",
    "Zuji 產品碳足跡資料範本",
    "Zuji product carbon footprint data template",
];

/// Fields of the Product sheet (one per row).
pub const PRODUCT_FIELDS: [Col; 25] = [
    col(
        "id",
        "产品编号",
        "产品编号（可选）",
        "產品編號（可選）",
        "product id (optional)",
    ),
    col(
        "name zh",
        "中文名称",
        "产品中文名称（必填）",
        "產品簡體中文名稱（必填）",
        "Chinese name (required)",
    ),
    col(
        "name zh-Hant",
        "繁体名称",
        "产品繁体中文名称",
        "產品繁體中文名稱",
        "Traditional Chinese name",
    ),
    col(
        "name en",
        "英文名称",
        "产品英文名称（必填）",
        "產品英文名稱（必填）",
        "English name (required)",
    ),
    col(
        "category",
        "产品类别",
        "产品类别，关联产品类别规则",
        "產品類別，關聯產品類別規則",
        "product category, links the model to its PCR",
    ),
    col(
        "gtin",
        "商品条码",
        "GS1 商品条码（GTIN-8/12/13/14，校验位会检查）",
        "GS1 商品條碼（GTIN-8/12/13/14，檢查碼會檢查）",
        "GS1 GTIN-8/12/13/14, check digit verified",
    ),
    col(
        "declared unit amount",
        "声明单位数量",
        "声明单位的数量，正数",
        "聲明單位的數量，正數",
        "amount of the declared unit, positive",
    ),
    col(
        "declared unit",
        "声明单位",
        "声明单位的单位（见列表）",
        "聲明單位的單位（見列表）",
        "unit of the declared unit (see Lists)",
    ),
    col(
        "unit kind",
        "单位类型",
        "declared（声明单位）或 functional（功能单位）",
        "declared（聲明單位）或 functional（功能單位）",
        "declared (partial CFP) or functional (full CFP)",
    ),
    col(
        "declared unit description",
        "声明单位说明",
        "声明单位的文字说明",
        "聲明單位的文字說明",
        "description of the declared unit",
    ),
    col(
        "boundary",
        "系统边界",
        "系统边界（见列表）",
        "系統邊界（見列表）",
        "system boundary (see Lists)",
    ),
    col(
        "reference period",
        "数据时间范围",
        "数据代表的时间，如 2025 或 2024-07/2025-06",
        "資料代表的時間，如 2025 或 2024-07/2025-06",
        "period the data represent, e.g. 2025 or 2024-07/2025-06",
    ),
    col(
        "geography",
        "地理范围",
        "ISO 3166 代码，如 CN 或 CN-GD",
        "ISO 3166 代碼，如 CN 或 CN-GD",
        "ISO 3166 code, e.g. CN or CN-GD",
    ),
    col(
        "pcr",
        "产品类别规则",
        "所依据的产品类别规则编号",
        "所依據的產品類別規則編號",
        "id of the product category rule followed",
    ),
    col(
        "end-of-life approach",
        "回收处理方法",
        "cut-off（截断）或 avoided-burden（避免负担）",
        "cut-off（截斷）或 avoided-burden（避免負擔）",
        "cut-off or avoided-burden",
    ),
    col(
        "end-of-life note",
        "回收说明",
        "回收处理的说明",
        "回收處理的說明",
        "note on the recycling approach",
    ),
    col(
        "reference process",
        "基准过程",
        "产出本产品的过程编号；空白时为第一个过程",
        "產出本產品的過程編號；空白時為第一個過程",
        "id of the process making the product; the first process if blank",
    ),
    col(
        "description",
        "描述",
        "研究的描述",
        "研究的描述",
        "description of the study",
    ),
    col(
        "intended application",
        "预期应用",
        "研究目的：结果的预期应用（ISO 14067 6.2）",
        "研究目的：結果的預期應用（ISO 14067 6.2）",
        "goal: the intended application of the result (ISO 14067 6.2)",
    ),
    col(
        "reasons",
        "研究理由",
        "研究目的：开展研究的理由",
        "研究目的：進行研究的理由",
        "goal: the reasons for carrying out the study",
    ),
    col(
        "intended audience",
        "目标受众",
        "研究目的：结果的目标受众",
        "研究目的：結果的目標受眾",
        "goal: the intended audience",
    ),
    col(
        "public communication",
        "对外公开",
        "结果是否拟向公众传播：yes 或 no",
        "結果是否擬向公眾傳播：yes 或 no",
        "whether the result is intended for the public: yes or no",
    ),
    col(
        "electricity approach",
        "电力核算方法",
        "location-based（基于位置）或 market-based（基于市场）",
        "location-based（基於位置）或 market-based（基於市場）",
        "location-based or market-based (ISO 14067 6.4.9.4)",
    ),
    col(
        "residual mix",
        "剩余电力组合",
        "未被合同工具覆盖的用电是否采用剩余组合：yes 或 no",
        "未被合約工具涵蓋的用電是否採用剩餘組合：yes 或 no",
        "whether a residual mix covers consumption without instruments: yes or no",
    ),
    col(
        "electricity note",
        "电力说明",
        "如绿证及其覆盖的用电比例",
        "如綠證及其涵蓋的用電比例",
        "e.g. the certificates and the share of consumption they cover",
    ),
];

pub const PROCESS_ID: Col = col(
    "process id",
    "过程编号",
    "过程编号，本模型内唯一",
    "過程編號，本模型內唯一",
    "process id, unique in the model",
);
const NAME: Col = col("name", "名称", "名称", "名稱", "name");
const STAGE: Col = col(
    "stage",
    "生命周期阶段",
    "生命周期阶段（见列表）；输入和排放空白时沿用过程的阶段",
    "生命週期階段（見列表）；輸入和排放空白時沿用過程的階段",
    "life-cycle stage (see Lists); inputs and emissions default to their process's",
);
const PRIMARY: Col = col(
    "primary",
    "初级数据",
    "yes 表示企业自有的初级数据，no 表示次级数据；空白时沿用过程的设定",
    "yes 表示企業自有的初級資料，no 表示次級資料；空白時沿用過程的設定",
    "yes for the company's own primary data, no for secondary; blank follows the process",
);
const SOURCE: Col = col(
    "source",
    "数据来源",
    "数据来源（文件、日期、表号）",
    "資料來源（文件、日期、表號）",
    "where the number comes from (document, date, meter)",
);
const NOTE: Col = col("note", "备注", "备注", "備註", "note");
const AMOUNT: Col = col(
    "amount",
    "数量",
    "数字或参数公式（如 mass * 1.2）",
    "數字或參數公式（如 mass * 1.2）",
    "a number or a formula over parameters (e.g. mass * 1.2)",
);
const UNIT: Col = col(
    "unit",
    "单位",
    "单位（见列表，也接受 吨、度 等别名）",
    "單位（見列表，也接受 吨、度 等別名）",
    "unit (see Lists; aliases such as 吨 or 度 are accepted)",
);
const PRICE: Col = col(
    "price",
    "单价",
    "单价（经济分配用）",
    "單價（經濟分配用）",
    "price per unit (economic allocation)",
);
const PROPERTY: Col = col(
    "property",
    "分配属性",
    "每单位的物理分配属性，如 MJ/kg（物理分配用）",
    "每單位的物理分配屬性，如 MJ/kg（物理分配用）",
    "physical allocation property per unit, e.g. MJ/kg",
);
const ALLOCATION_FACTOR: Col = col(
    "allocation factor",
    "分配系数",
    "分配系数 0–1（显式分配用，合计为 1）",
    "分配係數 0–1（顯式分配用，合計為 1）",
    "allocation factor 0–1 (explicit allocation; factors sum to 1)",
);
const AIRCRAFT: Col = col(
    "aircraft",
    "航空运输",
    "yes 表示航空运输，单独报告",
    "yes 表示航空運輸，單獨報告",
    "yes if this is air transport, reported separately",
);

const UNCERTAINTY: [Col; 6] = [
    col(
        "uncertainty",
        "不确定性类型",
        "不确定性分布（见列表）",
        "不確定性分佈（見列表）",
        "uncertainty distribution (see Lists)",
    ),
    col(
        "gsd",
        "几何标准差",
        "对数正态分布的几何标准差（≥ 1）",
        "對數常態分佈的幾何標準差（≥ 1）",
        "lognormal: geometric standard deviation (≥ 1)",
    ),
    col(
        "sd",
        "标准差",
        "正态分布的标准差",
        "常態分佈的標準差",
        "normal: standard deviation",
    ),
    col(
        "min",
        "最小值",
        "三角或均匀分布的最小值",
        "三角或均勻分佈的最小值",
        "triangular or uniform: minimum",
    ),
    col(
        "mode",
        "众数",
        "三角分布的众数（空白时为数量）",
        "三角分佈的眾數（空白時為數量）",
        "triangular: mode (the amount if blank)",
    ),
    col(
        "max",
        "最大值",
        "三角或均匀分布的最大值",
        "三角或均勻分佈的最大值",
        "triangular or uniform: maximum",
    ),
];

const QUALITY: [Col; 9] = [
    col(
        "TeR",
        "技术代表性",
        "PEF 数据质量评级：技术代表性 1–5",
        "PEF 資料品質評級：技術代表性 1–5",
        "PEF DQR technological representativeness 1–5",
    ),
    col(
        "GeR",
        "地理代表性",
        "PEF 数据质量评级：地理代表性 1–5",
        "PEF 資料品質評級：地理代表性 1–5",
        "PEF DQR geographical representativeness 1–5",
    ),
    col(
        "TiR",
        "时间代表性",
        "PEF 数据质量评级：时间代表性 1–5",
        "PEF 資料品質評級：時間代表性 1–5",
        "PEF DQR time representativeness 1–5",
    ),
    col(
        "P",
        "精确度",
        "PEF 数据质量评级：精确度 1–5",
        "PEF 資料品質評級：精確度 1–5",
        "PEF DQR precision 1–5",
    ),
    col(
        "reliability",
        "谱系可靠性",
        "谱系矩阵：可靠性 1–5（与 DQR 二选一）",
        "譜系矩陣：可靠性 1–5（與 DQR 二選一）",
        "pedigree reliability 1–5 (instead of the DQR)",
    ),
    col(
        "completeness",
        "谱系完整性",
        "谱系矩阵：完整性 1–5",
        "譜系矩陣：完整性 1–5",
        "pedigree completeness 1–5",
    ),
    col(
        "temporal",
        "谱系时间相关性",
        "谱系矩阵：时间相关性 1–5",
        "譜系矩陣：時間相關性 1–5",
        "pedigree temporal correlation 1–5",
    ),
    col(
        "geographical",
        "谱系地理相关性",
        "谱系矩阵：地理相关性 1–5",
        "譜系矩陣：地理相關性 1–5",
        "pedigree geographical correlation 1–5",
    ),
    col(
        "technological",
        "谱系技术相关性",
        "谱系矩阵：技术相关性 1–5",
        "譜系矩陣：技術相關性 1–5",
        "pedigree technological correlation 1–5",
    ),
];

const SUPPLIER: [Col; 9] = [
    col(
        "supplier name",
        "供应商产品名称",
        "供应商产品名称",
        "供應商產品名稱",
        "supplier's product name",
    ),
    col(
        "supplier pcf",
        "供应商碳足迹",
        "供应商碳足迹，kg CO2e 每供应商单位",
        "供應商碳足跡，kg CO2e 每供應商單位",
        "supplier PCF, kg CO2e per supplier unit",
    ),
    col(
        "supplier unit",
        "供应商单位",
        "供应商碳足迹的单位",
        "供應商碳足跡的單位",
        "unit the supplier PCF is per",
    ),
    col(
        "supplier source",
        "供应商数据来源",
        "供应商碳足迹的来源（必填）",
        "供應商碳足跡的來源（必填）",
        "source of the supplier PCF (required)",
    ),
    col(
        "supplier primary share",
        "供应商初级数据占比",
        "供应商碳足迹中初级数据的占比 0–1",
        "供應商碳足跡中初級資料的佔比 0–1",
        "share of the supplier PCF from primary data, 0–1",
    ),
    col(
        "supplier TeR",
        "供应商技术代表性",
        "供应商 DQR：技术代表性",
        "供應商 DQR：技術代表性",
        "supplier DQR TeR",
    ),
    col(
        "supplier GeR",
        "供应商地理代表性",
        "供应商 DQR：地理代表性",
        "供應商 DQR：地理代表性",
        "supplier DQR GeR",
    ),
    col(
        "supplier TiR",
        "供应商时间代表性",
        "供应商 DQR：时间代表性",
        "供應商 DQR：時間代表性",
        "supplier DQR TiR",
    ),
    col(
        "supplier P",
        "供应商精确度",
        "供应商 DQR：精确度",
        "供應商 DQR：精確度",
        "supplier DQR P",
    ),
];

/// Columns of the Parameters sheet.
pub fn parameter_cols() -> Vec<Col> {
    let mut v = vec![
        col(
            "name",
            "参数名",
            "参数名（字母、数字和下划线，不以数字开头）",
            "參數名（字母、數字和底線，不以數字開頭）",
            "name (letters, digits and _, not starting with a digit)",
        ),
        col(
            "value",
            "数值或公式",
            "数字或引用其他参数的公式",
            "數字或引用其他參數的公式",
            "a number or a formula over other parameters",
        ),
        col(
            "unit",
            "单位",
            "单位（仅作说明）",
            "單位（僅作說明）",
            "unit (informative)",
        ),
    ];
    v.extend(UNCERTAINTY);
    v.push(SOURCE);
    v.push(col("description", "描述", "描述", "描述", "description"));
    v
}

/// Columns of the Processes sheet.
pub fn process_cols() -> Vec<Col> {
    vec![
        PROCESS_ID,
        col("name", "过程名称", "过程名称", "過程名稱", "process name"),
        STAGE,
        col(
            "output amount",
            "产出数量",
            "每次运行的基准产出数量",
            "每次運行的基準產出數量",
            "reference output per run of the process",
        ),
        col(
            "output unit",
            "产出单位",
            "基准产出的单位",
            "基準產出的單位",
            "unit of the reference output",
        ),
        col(
            "output id",
            "产出编号",
            "基准产出编号（可选）",
            "基準產出編號（可選）",
            "id of the reference output (optional)",
        ),
        col(
            "output name",
            "产出名称",
            "基准产出名称（可选）",
            "基準產出名稱（可選）",
            "name of the reference output (optional)",
        ),
        PRICE,
        PROPERTY,
        ALLOCATION_FACTOR,
        col(
            "output source",
            "产出数据来源",
            "产出数量的来源",
            "產出數量的來源",
            "source of the output amount",
        ),
        col(
            "allocation",
            "分配方法",
            "有副产品时的分配方法（见列表）",
            "有副產品時的分配方法（見列表）",
            "allocation method when there are co-products (see Lists)",
        ),
        AIRCRAFT,
        PRIMARY,
        col(
            "location",
            "地点",
            "过程所在地",
            "過程所在地",
            "where the process runs",
        ),
        SOURCE,
    ]
}

/// Columns of the Co-products sheet.
pub fn coproduct_cols() -> Vec<Col> {
    vec![
        PROCESS_ID,
        col(
            "co-product id",
            "副产品编号",
            "副产品编号，输入可按此引用",
            "副產品編號，輸入可按此引用",
            "co-product id, how inputs select it",
        ),
        NAME,
        AMOUNT,
        UNIT,
        PRICE,
        PROPERTY,
        ALLOCATION_FACTOR,
        SOURCE,
    ]
}

/// Columns of the Inputs sheet.
pub fn input_cols() -> Vec<Col> {
    let mut v = vec![
        PROCESS_ID,
        col(
            "link",
            "链接类型",
            "process（本模型过程）、dataset（背景数据集）或 supplier（供应商碳足迹）",
            "process（本模型過程）、dataset（背景資料集）或 supplier（供應商碳足跡）",
            "process (a model process), dataset (background) or supplier (a supplier footprint)",
        ),
        col(
            "target id",
            "目标编号",
            "所链接的过程编号、数据集编号或供应商碳足迹编号",
            "所連結的過程編號、資料集編號或供應商碳足跡編號",
            "id of the linked process, dataset or supplier footprint",
        ),
        col(
            "product",
            "所选副产品",
            "链接过程时选择其副产品编号（可选）",
            "連結過程時選擇其副產品編號（可選）",
            "with link process: one of its co-products (optional)",
        ),
        AMOUNT,
        UNIT,
        STAGE,
        PRIMARY,
    ];
    v.extend(UNCERTAINTY);
    v.extend(QUALITY);
    v.push(SOURCE);
    v.push(NOTE);
    v.push(AIRCRAFT);
    v.push(col(
        "avoided",
        "避免负担",
        "yes 表示避免的初级生产抵扣（仅 avoided-burden）",
        "yes 表示避免的初級生產抵扣（僅 avoided-burden）",
        "yes for an avoided-production credit (avoided-burden only)",
    ));
    v.extend(SUPPLIER);
    v
}

/// Columns of the Emissions sheet.
pub fn emission_cols() -> Vec<Col> {
    let mut v = vec![
        PROCESS_ID,
        col(
            "gas",
            "温室气体",
            "温室气体（见列表）",
            "溫室氣體（見列表）",
            "greenhouse gas (see Lists)",
        ),
        col(
            "origin",
            "碳来源",
            "碳来源：化石、生物源、生物源移除、土地利用变化或未指定",
            "碳來源：化石、生物源、生物源移除、土地利用變化或未指定",
            "origin: fossil, biogenic, biogenic-removal, land-use-change or unspecified",
        ),
        col(
            "amount",
            "数量",
            "气体质量，数字或公式",
            "氣體質量，數字或公式",
            "mass of the gas, a number or a formula",
        ),
        col(
            "unit",
            "单位",
            "质量单位，如 kg、g、t",
            "質量單位，如 kg、g、t",
            "a mass unit: kg, g, t …",
        ),
        STAGE,
        PRIMARY,
    ];
    v.extend(UNCERTAINTY);
    v.extend(QUALITY);
    v.push(SOURCE);
    v.push(NOTE);
    v
}

/// Headers of the Lists sheet's columns, by list key.
pub const LIST_HEADERS: [(&str, &str); 12] = [
    ("stage", "生命周期阶段 stage"),
    ("unit", "单位 unit"),
    ("gas", "温室气体 gas"),
    ("origin", "碳来源 origin"),
    ("boundary", "系统边界 boundary"),
    ("allocation", "分配方法 allocation"),
    ("uncertainty", "不确定性类型 uncertainty"),
    ("link", "链接类型 link"),
    ("yes-no", "是否 yes/no"),
    ("unit kind", "单位类型 unit kind"),
    ("end-of-life approach", "回收处理方法 end-of-life approach"),
    ("dataset", "背景数据集编号 dataset id"),
];

/// The header of a list's column on the Lists sheet.
pub fn list_header(key: &str) -> &'static str {
    LIST_HEADERS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, h)| h)
}

/// Shown when a drop-down cell gets a value outside its list (`{}` is the list header).
pub const CHOOSE_FROM_LIST: &str = "请从列表中选择 / 請從清單中選擇 / choose from";

/// Results workbook sheets and labels.
pub mod results {
    pub const SUMMARY: &str = "汇总 Summary";
    pub const STAGES: &str = "阶段 Stages";
    pub const GASES: &str = "气体 Gases";
    pub const ORIGINS: &str = "碳来源 Origins";
    pub const PROCESSES: &str = "过程 Processes";
    pub const CONTRIBUTIONS: &str = "贡献 Contributions";
    pub const MONTE_CARLO: &str = "蒙特卡洛 Monte Carlo";
    pub const SENSITIVITY: &str = "敏感性 Sensitivity";
    pub const WARNINGS: &str = "警告 Warnings";
    pub const TOTAL: &str = "碳足迹 total (kg CO2e)";
    pub const VALUE: &str = "值 value (kg CO2e)";
    pub const SHARE: &str = "占比 share";

    pub const SUMMARY_HEADERS: [&str; 2] = ["项目 item", "值 value"];
    /// Summary rows before the total, in order.
    pub const SUMMARY_PRODUCT: [&str; 11] = [
        "产品 product",
        "产品名称 product (中文)",
        "产品编号 product id",
        "产品类别 category",
        "声明单位 declared unit",
        "系统边界 boundary",
        "数据时间范围 reference period",
        "地理范围 geography",
        "产品类别规则 PCR",
        "回收处理方法 recycling approach",
        "评价方法 method",
    ];
    /// Summary rows after the total, in order.
    pub const SUMMARY_QUALITY: [&str; 4] = [
        "初级数据占比 primary-data share",
        "数据质量评级 DQR (1 best … 5 worst)",
        "数据质量水平 DQR level",
        "评级覆盖率 DQR coverage",
    ];
    pub const SUMMARY_FINGERPRINT: [&str; 3] = [
        "结果指纹 fingerprint (SHA-256)",
        "计算引擎 engine",
        "背景数据库 databases",
    ];
    pub const STAGE_HEADERS: [&str; 4] = ["阶段 stage", "阶段名称 stage (中文)", VALUE, SHARE];
    pub const GAS_HEADERS: [&str; 4] = ["气体 gas", "碳来源 origin", "质量 mass (kg)", VALUE];
    pub const ORIGIN_HEADERS: [&str; 3] = ["类别 part", VALUE, SHARE];
    /// Fossil, biogenic emissions, biogenic removals, dLUC, unspecified, aircraft.
    pub const ORIGIN_ROWS: [&str; 6] = [
        "化石 fossil",
        "生物源排放 biogenic emissions",
        "生物源移除 biogenic removals",
        "直接土地利用变化 dLUC",
        "未指定 unspecified",
        "其中航空运输 of which aircraft",
    ];
    pub const PROCESS_HEADERS: [&str; 5] = [
        "过程编号 process id",
        "名称 name",
        "阶段 stage",
        VALUE,
        SHARE,
    ];
    pub const ITEM_HEADERS: [&str; 8] = [
        "过程编号 process id",
        "类型 kind",
        "序号 index",
        "对象 what",
        "阶段 stage",
        "初级数据 primary",
        VALUE,
        SHARE,
    ];
    pub const MONTE_CARLO_HEADERS: [&str; 2] = ["统计量 statistic", VALUE];
    /// Iterations, seed, mean, sd, median, p2.5, p97.5, refactorised.
    pub const MONTE_CARLO_ROWS: [&str; 8] = [
        "迭代次数 iterations",
        "随机种子 seed",
        "均值 mean",
        "标准差 sd",
        "中位数 median",
        "2.5 百分位 p2.5",
        "97.5 百分位 p97.5",
        "重新分解次数 refactorised",
    ];
    pub const SENSITIVITY_HEADERS: [&str; 6] = [
        "参数 parameter",
        "取值 value",
        "下调后总量 total low",
        "上调后总量 total high",
        "弹性 elasticity",
        "备注 note",
    ];
    pub const WARNING_HEADERS: [&str; 1] = ["警告 warning"];
}
