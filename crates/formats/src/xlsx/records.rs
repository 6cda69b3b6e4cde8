//! A product model as rows of `(column key, cell)` per sheet: what a filled workbook holds.
//!
//! Kept apart from cell placement so that the writer, the example sheet and a test that
//! fills the blank template by its headers all put the same values under the same keys.

use super::XlsxError;
use super::text::{self, SheetText};
use zuji_model::DataQuality;
use zuji_model::product::{
    AllocationMethod, Amount, ElectricityApproach, InputLink, ParameterSpec, ProductModel,
    ProductOutput, RecyclingApproach, UnitKind,
};
use zuji_model::uncertainty::Uncertainty;

/// One cell's content.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
}

/// How a sheet is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Header in row 1, one record per row below it.
    Rows,
    /// One field per row: label in column A, value in column B (the Product sheet).
    Fields,
}

/// The records of one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRecords {
    pub sheet: SheetText,
    pub layout: Layout,
    pub rows: Vec<Vec<(&'static str, CellValue)>>,
}

/// A row under construction; empty values are left out.
#[derive(Default)]
struct Row(Vec<(&'static str, CellValue)>);

impl Row {
    fn text(&mut self, key: &'static str, v: impl Into<String>) {
        let v = v.into();
        if !v.is_empty() {
            self.0.push((key, CellValue::Text(v)));
        }
    }
    fn opt_text(&mut self, key: &'static str, v: &Option<String>) {
        if let Some(v) = v {
            self.text(key, v.clone());
        }
    }
    fn number(&mut self, key: &'static str, v: f64) {
        self.0.push((key, CellValue::Number(v)));
    }
    fn amount(&mut self, key: &'static str, a: &Amount) {
        match a {
            Amount::Number(n) => self.number(key, *n),
            Amount::Formula(f) => self.0.push((key, CellValue::Text(f.clone()))),
        }
    }
    fn opt_amount(&mut self, key: &'static str, a: &Option<Amount>) {
        if let Some(a) = a {
            self.amount(key, a);
        }
    }
    fn yes_no(&mut self, key: &'static str, b: Option<bool>) {
        if let Some(b) = b {
            self.text(key, if b { "yes" } else { "no" });
        }
    }
    fn uncertainty(&mut self, u: &Uncertainty) {
        match *u {
            Uncertainty::None => {}
            Uncertainty::Lognormal { gsd } => {
                self.text("uncertainty", "lognormal");
                self.number("gsd", gsd);
            }
            Uncertainty::Normal { sd } => {
                self.text("uncertainty", "normal");
                self.number("sd", sd);
            }
            Uncertainty::Triangular { min, mode, max } => {
                self.text("uncertainty", "triangular");
                self.number("min", min);
                if let Some(m) = mode {
                    self.number("mode", m);
                }
                self.number("max", max);
            }
            Uncertainty::Uniform { min, max } => {
                self.text("uncertainty", "uniform");
                self.number("min", min);
                self.number("max", max);
            }
        }
    }
    fn quality(&mut self, q: &Option<DataQuality>) {
        match *q {
            None => {}
            Some(DataQuality::Dqr { ter, ger, tir, p }) => {
                self.number("TeR", ter);
                self.number("GeR", ger);
                self.number("TiR", tir);
                self.number("P", p);
            }
            Some(DataQuality::Pedigree {
                reliability,
                completeness,
                temporal,
                geographical,
                technological,
            }) => {
                self.number("reliability", reliability.into());
                self.number("completeness", completeness.into());
                self.number("temporal", temporal.into());
                self.number("geographical", geographical.into());
                self.number("technological", technological.into());
            }
        }
    }
    fn output(&mut self, o: &ProductOutput, keys: [&'static str; 4]) {
        let [id, name, amount, unit] = keys;
        self.opt_text(id, &o.id);
        self.opt_text(name, &o.name);
        self.amount(amount, &o.amount);
        self.text(unit, o.unit.clone());
        self.opt_amount("price", &o.price);
        self.opt_amount("property", &o.property);
        self.opt_amount("allocation factor", &o.allocation_factor);
    }
}

pub(crate) fn allocation_str(a: AllocationMethod) -> &'static str {
    match a {
        AllocationMethod::Physical => "physical",
        AllocationMethod::Economic => "economic",
        AllocationMethod::Explicit => "explicit",
    }
}

pub(crate) fn unit_kind_str(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Declared => "declared",
        UnitKind::Functional => "functional",
    }
}

pub(crate) fn recycling_str(r: RecyclingApproach) -> &'static str {
    match r {
        RecyclingApproach::CutOff => "cut-off",
        RecyclingApproach::AvoidedBurden => "avoided-burden",
    }
}

pub(crate) fn electricity_str(a: ElectricityApproach) -> &'static str {
    match a {
        ElectricityApproach::LocationBased => "location-based",
        ElectricityApproach::MarketBased => "market-based",
    }
}

/// The model's records, sheet by sheet, in workbook order.
///
/// Fails only for what the workbook cannot hold: a supplier's pedigree-matrix quality
/// (the workbook carries a supplier's PEF DQR, as PACT does).
pub fn model_records(model: &ProductModel) -> Result<Vec<SheetRecords>, XlsxError> {
    let p = &model.product;
    let mut product = Row::default();
    product.opt_text("id", &p.id);
    product.opt_text("name zh", &p.name.zh);
    product.opt_text("name zh-Hant", &p.name.zh_hant);
    product.opt_text("name en", &p.name.en);
    product.text("category", p.category.clone());
    product.opt_text("gtin", &p.gtin);
    product.number("declared unit amount", p.declared_unit.amount);
    product.text("declared unit", p.declared_unit.unit.clone());
    product.text("unit kind", unit_kind_str(p.declared_unit.kind));
    product.opt_text("declared unit description", &p.declared_unit.description);
    product.text("boundary", p.boundary.as_str());
    product.text("reference period", p.reference_period.clone());
    product.text("geography", p.geography.clone());
    product.opt_text("pcr", &p.pcr);
    product.text(
        "end-of-life approach",
        recycling_str(p.end_of_life.approach),
    );
    product.opt_text("end-of-life note", &p.end_of_life.note);
    product.opt_text("reference process", &p.reference_process);
    product.opt_text("description", &p.description);
    if let Some(study) = &model.study {
        product.opt_text("intended application", &study.intended_application);
        product.opt_text("reasons", &study.reasons);
        product.opt_text("intended audience", &study.intended_audience);
        product.yes_no("public communication", study.public_communication);
        if let Some(e) = &study.electricity {
            product.text("electricity approach", electricity_str(e.approach));
            product.yes_no("residual mix", e.residual_mix);
            product.opt_text("electricity note", &e.note);
        }
    }

    let mut parameters = Vec::new();
    for (name, spec) in &model.parameters {
        let mut r = Row::default();
        r.text("name", name.clone());
        match spec {
            ParameterSpec::Number(n) => r.number("value", *n),
            ParameterSpec::Formula(f) => r.text("value", f.clone()),
            ParameterSpec::Detailed(d) => {
                r.amount("value", &d.value);
                r.opt_text("unit", &d.unit);
                r.uncertainty(&d.uncertainty);
                r.opt_text("source", &d.source);
                r.opt_text("description", &d.description);
            }
        }
        parameters.push(r.0);
    }

    let (mut processes, mut coproducts, mut inputs, mut emissions) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for proc_ in &model.processes {
        let mut r = Row::default();
        r.text("process id", proc_.id.clone());
        r.opt_text("name", &proc_.name);
        r.text("stage", proc_.stage.as_str());
        r.output(
            &proc_.output,
            ["output id", "output name", "output amount", "output unit"],
        );
        r.opt_text("output source", &proc_.output.source);
        if let Some(a) = proc_.allocation {
            r.text("allocation", allocation_str(a));
        }
        r.yes_no("aircraft", proc_.aircraft.then_some(true));
        r.yes_no("primary", proc_.primary);
        r.opt_text("location", &proc_.location);
        r.opt_text("source", &proc_.source);
        processes.push(r.0);

        for c in &proc_.coproducts {
            let mut r = Row::default();
            r.text("process id", proc_.id.clone());
            r.output(c, ["co-product id", "name", "amount", "unit"]);
            r.opt_text("source", &c.source);
            coproducts.push(r.0);
        }

        for inp in &proc_.inputs {
            let mut r = Row::default();
            r.text("process id", proc_.id.clone());
            // A model read from TOML may hold an input with no or several links;
            // validation reports it, the workbook cannot express it.
            let link = inp.link().map_err(|m| XlsxError::NotRepresentable {
                what: format!("an input of process '{}'", proc_.id),
                message: m,
            })?;
            match link {
                InputLink::Process { id, product } => {
                    r.text("link", "process");
                    r.text("target id", id);
                    if let Some(p) = product {
                        r.text("product", p);
                    }
                }
                InputLink::Dataset(d) => {
                    r.text("link", "dataset");
                    r.text("target id", d);
                }
                InputLink::Supplier(s) => {
                    r.text("link", "supplier");
                    r.text("target id", s.id.clone());
                    r.opt_text("supplier name", &s.name);
                    r.number("supplier pcf", s.pcf);
                    r.text("supplier unit", s.unit.clone());
                    r.text("supplier source", s.source.clone());
                    if let Some(sh) = s.primary_data_share {
                        r.number("supplier primary share", sh);
                    }
                    match s.quality {
                        None => {}
                        Some(DataQuality::Dqr { ter, ger, tir, p }) => {
                            r.number("supplier TeR", ter);
                            r.number("supplier GeR", ger);
                            r.number("supplier TiR", tir);
                            r.number("supplier P", p);
                        }
                        Some(DataQuality::Pedigree { .. }) => {
                            return Err(XlsxError::NotRepresentable {
                                what: format!("supplier '{}'", s.id),
                                message: "the workbook holds a supplier's quality as a PEF DQR (TeR, GeR, TiR, P), not a pedigree matrix".into(),
                            });
                        }
                    }
                }
            }
            if inp.product.is_some() && !matches!(link, InputLink::Process { .. }) {
                return Err(XlsxError::NotRepresentable {
                    what: format!("an input of process '{}'", proc_.id),
                    message: "'product' is only meaningful with a process link".into(),
                });
            }
            r.amount("amount", &inp.amount);
            r.text("unit", inp.unit.clone());
            if let Some(s) = inp.stage {
                r.text("stage", s.as_str());
            }
            r.yes_no("primary", inp.primary);
            r.uncertainty(&inp.uncertainty);
            r.quality(&inp.quality);
            r.opt_text("source", &inp.source);
            r.opt_text("note", &inp.note);
            r.yes_no("aircraft", inp.aircraft.then_some(true));
            r.yes_no("avoided", inp.avoided.then_some(true));
            inputs.push(r.0);
        }

        for em in &proc_.emissions {
            let mut r = Row::default();
            r.text("process id", proc_.id.clone());
            r.text("gas", em.gas.as_str());
            r.text("origin", em.origin.as_str());
            r.amount("amount", &em.amount);
            r.text("unit", em.unit.clone());
            if let Some(s) = em.stage {
                r.text("stage", s.as_str());
            }
            r.yes_no("primary", em.primary);
            r.uncertainty(&em.uncertainty);
            r.quality(&em.quality);
            r.opt_text("source", &em.source);
            r.opt_text("note", &em.note);
            emissions.push(r.0);
        }
    }

    let rows = |sheet, rows| SheetRecords {
        sheet,
        layout: Layout::Rows,
        rows,
    };
    Ok(vec![
        SheetRecords {
            sheet: text::PRODUCT,
            layout: Layout::Fields,
            rows: vec![product.0],
        },
        rows(text::PARAMETERS, parameters),
        rows(text::PROCESSES, processes),
        rows(text::COPRODUCTS, coproducts),
        rows(text::INPUTS, inputs),
        rows(text::EMISSIONS, emissions),
    ])
}
