//! Reading a filled workbook into a product model.
//!
//! Columns are found by the English part of their header, so reordered or added
//! columns still read; an unknown header is refused (like an unknown TOML field) so a
//! typo is not silently ignored. Every problem is collected with its `sheet!cell`; the
//! model is then validated and each validation error is mapped back to the cell its
//! field was read from.

use super::cells::{At, pick};
use super::grid::{Cell, Grid, cell, english_part, sheet_matches};
use super::text;
use super::{CellError, XlsxError, a1};
use calamine::{Reader, Xlsx, open_workbook_from_rs};
use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::Path;
use zuji_model::path::FieldPath;
use zuji_model::product::{
    AllocationMethod, Amount, DeclaredUnit, ElectricityApproach, ElectricityTreatment,
    EmissionSpec, EndOfLife, InputSpec, LocalisedName, ParameterDetail, ParameterSpec, ProcessSpec,
    ProductInfo, ProductModel, ProductOutput, RecyclingApproach, StudyStatement, SupplierFootprint,
    SystemBoundary, UnitKind,
};
use zuji_model::validate::validate;
use zuji_model::{Gas, Origin};

/// Reads a filled workbook into a product model; errors name sheet, cell and problem.
pub fn read_model_xlsx(path: &Path) -> Result<ProductModel, XlsxError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| XlsxError::Io {
        file: file.clone(),
        source,
    })?;
    read_model_xlsx_bytes(&bytes, &file)
}

/// Reads a workbook from memory; `name` labels the errors. Never panics on any input.
pub fn read_model_xlsx_bytes(bytes: &[u8], name: &str) -> Result<ProductModel, XlsxError> {
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::XlsxError| {
            XlsxError::Workbook {
                file: name.into(),
                message: e.to_string(),
            }
        })?;
    let mut sheets: HashMap<&'static str, Grid> = HashMap::new();
    for sheet_name in wb.sheet_names() {
        let Some(sheet) = [
            text::PRODUCT,
            text::PARAMETERS,
            text::PROCESSES,
            text::COPRODUCTS,
            text::INPUTS,
            text::EMISSIONS,
        ]
        .into_iter()
        .find(|s| sheet_matches(s, &sheet_name)) else {
            continue;
        };
        let grid = Grid::read(&mut wb, &sheet_name).map_err(|message| XlsxError::Workbook {
            file: name.into(),
            message: format!("sheet '{sheet_name}': {message}"),
        })?;
        sheets.entry(sheet.key).or_insert(grid);
    }
    let mut r = ModelReader::default();
    let model = r.model(&sheets);
    let fail = |errors| XlsxError::Cells {
        file: name.into(),
        errors,
    };
    let Some(model) = model.filter(|_| r.errors.is_empty()) else {
        return Err(fail(r.errors));
    };
    let problems = validate(&model);
    if problems.is_empty() {
        Ok(model)
    } else {
        Err(fail(
            problems
                .into_iter()
                .map(|e| r.locate(&e.path, e.message))
                .collect(),
        ))
    }
}

#[derive(Default)]
pub(super) struct ModelReader {
    pub(super) errors: Vec<CellError>,
    /// The cell each model field was read from, for validation errors.
    pub(super) cells: HashMap<FieldPath, (String, String)>,
}

impl ModelReader {
    pub(super) fn error(&mut self, sheet: &str, cell: String, message: impl Into<String>) {
        self.errors.push(CellError {
            sheet: sheet.into(),
            cell,
            message: message.into(),
        });
    }

    /// The cell a validation error belongs to: its field's, else its nearest parent's.
    fn locate(&self, path: &FieldPath, message: String) -> CellError {
        let mut p = path.clone();
        loop {
            if let Some((sheet, cell)) = self.cells.get(&p) {
                let message = if p == *path {
                    message
                } else {
                    format!("{message} ({path})")
                };
                return CellError {
                    sheet: sheet.clone(),
                    cell: cell.clone(),
                    message,
                };
            }
            if p.0.pop().is_none() {
                return CellError {
                    sheet: text::PROCESSES.name.into(),
                    cell: String::new(),
                    message: format!("{path}: {message}"),
                };
            }
        }
    }

    fn model(&mut self, sheets: &HashMap<&'static str, Grid>) -> Option<ProductModel> {
        let Some(product_grid) = sheets.get("product") else {
            self.error(
                text::PRODUCT.name,
                String::new(),
                "the workbook has no product sheet",
            );
            return None;
        };
        let product = self.product(product_grid);
        let study = product.as_ref().and_then(|(_, study)| study.clone());
        let product = product.map(|(info, _)| info);
        let parameters = match sheets.get("parameters") {
            Some(g) => self.parameters(g),
            None => BTreeMap::new(),
        };
        let Some(proc_grid) = sheets.get("processes") else {
            self.error(
                text::PROCESSES.name,
                String::new(),
                "the workbook has no processes sheet",
            );
            return None;
        };
        let (ids, mut processes) = self.processes(proc_grid);
        if let Some(g) = sheets.get("co-products") {
            self.coproducts(g, &ids, &mut processes);
        }
        if let Some(g) = sheets.get("inputs") {
            self.inputs(g, &ids, &mut processes);
        }
        if let Some(g) = sheets.get("emissions") {
            self.emissions(g, &ids, &mut processes);
        }
        Some(ProductModel {
            product: product?,
            parameters,
            processes: processes.into_iter().flatten().collect(),
            study,
        })
    }

    /// The product's fields and, when any of its rows is filled, the study statement.
    fn product(&mut self, grid: &Grid) -> Option<(ProductInfo, Option<StudyStatement>)> {
        // Column A labels the field; the value is in column B of that row.
        let mut rows: HashMap<&'static str, u32> = HashMap::new();
        for &r in grid.used_rows.range(1..) {
            let label = match cell(grid.get(r, 0)) {
                Cell::Text(s) => s,
                _ => continue,
            };
            let eng = english_part(&label);
            match text::PRODUCT_FIELDS
                .iter()
                .find(|f| f.key.eq_ignore_ascii_case(eng) || f.zh == label)
            {
                Some(f) => {
                    if rows.insert(f.key, r).is_some() {
                        self.error(
                            &grid.name,
                            a1(r, 0),
                            format!("field '{label}' appears twice"),
                        );
                    }
                }
                None => self.error(&grid.name, a1(r, 0), format!("unknown field '{label}'")),
            }
        }
        // Reuse the row accessors: each field is the "column" B of its own row.
        let p = FieldPath::root().key("product");
        let one = HashMap::from([("value", 1u32)]);
        let at = |key: &str| {
            rows.get(key).map(|&row| At {
                grid,
                cols: &one,
                row,
            })
        };
        let text_field =
            |me: &mut Self, key: &str, path: FieldPath| me.text(&at(key)?, "value", Some(path));
        let blank = |key: &str| {
            rows.get(key)
                .is_none_or(|&r| matches!(cell(grid.get(r, 1)), Cell::Empty))
        };
        let missing = |me: &mut Self, key: &str| {
            let cell = rows.get(key).map(|&r| a1(r, 1)).unwrap_or_default();
            me.error(&grid.name, cell, format!("missing {key}"));
        };
        let id = text_field(self, "id", p.clone().key("id"));
        let name = LocalisedName {
            zh: text_field(self, "name zh", p.clone().key("name").key("zh")),
            zh_hant: text_field(self, "name zh-Hant", p.clone().key("name").key("zh_hant")),
            en: text_field(self, "name en", p.clone().key("name").key("en")),
        };
        let category = text_field(self, "category", p.clone().key("category")).unwrap_or_default();
        let gtin = text_field(self, "gtin", p.clone().key("gtin"));
        let du = p.clone().key("declared_unit");
        let du_amount = match at("declared unit amount") {
            Some(a) => self.number(&a, "value", Some(du.clone().key("amount"))),
            None => None,
        };
        if du_amount.is_none() && blank("declared unit amount") {
            missing(self, "declared unit amount");
        }
        let du_unit = match at("declared unit") {
            Some(a) => self.unit(&a, "value", du.clone().key("unit"), false),
            None => None,
        };
        if du_unit.is_none() && blank("declared unit") {
            missing(self, "declared unit");
        }
        let enum_field = |me: &mut Self, key: &str, path: FieldPath, options: &[&str]| {
            me.parsed(&at(key)?, "value", Some(path), |s| pick(s, options))
        };
        let kind = enum_field(
            self,
            "unit kind",
            du.clone().key("kind"),
            &["declared", "functional"],
        );
        let boundary = enum_field(
            self,
            "boundary",
            p.clone().key("boundary"),
            &[
                "cradle-to-gate",
                "cradle-to-grave",
                "gate-to-gate",
                "gate-to-grave",
            ],
        );
        if boundary.is_none() && blank("boundary") {
            missing(self, "boundary");
        }
        let approach = enum_field(
            self,
            "end-of-life approach",
            p.clone().key("end_of_life").key("approach"),
            &["cut-off", "avoided-burden"],
        );
        let du_description = text_field(
            self,
            "declared unit description",
            du.clone().key("description"),
        );
        let reference_period =
            text_field(self, "reference period", p.clone().key("reference_period"))
                .unwrap_or_default();
        let geography =
            text_field(self, "geography", p.clone().key("geography")).unwrap_or_default();
        let pcr = text_field(self, "pcr", p.clone().key("pcr"));
        let note = text_field(
            self,
            "end-of-life note",
            p.clone().key("end_of_life").key("note"),
        );
        let reference_process = text_field(
            self,
            "reference process",
            p.clone().key("reference_process"),
        );
        let description = text_field(self, "description", p.clone().key("description"));
        let sp = FieldPath::root().key("study");
        let ep = sp.clone().key("electricity");
        let yes_no =
            |me: &mut Self, key: &str, path: FieldPath| me.boolean(&at(key)?, "value", Some(path));
        let intended_application = text_field(
            self,
            "intended application",
            sp.clone().key("intended_application"),
        );
        let reasons = text_field(self, "reasons", sp.clone().key("reasons"));
        let intended_audience = text_field(
            self,
            "intended audience",
            sp.clone().key("intended_audience"),
        );
        let public_communication = yes_no(
            self,
            "public communication",
            sp.clone().key("public_communication"),
        );
        let electricity_approach = enum_field(
            self,
            "electricity approach",
            ep.clone().key("approach"),
            &["location-based", "market-based"],
        );
        let residual_mix = yes_no(self, "residual mix", ep.clone().key("residual_mix"));
        let electricity_note = text_field(self, "electricity note", ep.clone().key("note"));
        if electricity_approach.is_none()
            && blank("electricity approach")
            && (residual_mix.is_some() || electricity_note.is_some())
        {
            missing(self, "electricity approach");
        }
        let electricity = electricity_approach.map(|a| ElectricityTreatment {
            approach: if a == "market-based" {
                ElectricityApproach::MarketBased
            } else {
                ElectricityApproach::LocationBased
            },
            residual_mix,
            note: electricity_note,
        });
        let study = StudyStatement {
            intended_application,
            reasons,
            intended_audience,
            public_communication,
            electricity,
        };
        let study = (study != StudyStatement::default()).then_some(study);
        let info = ProductInfo {
            id,
            name,
            category,
            gtin,
            declared_unit: DeclaredUnit {
                amount: du_amount?,
                unit: du_unit?,
                kind: match kind.as_deref() {
                    Some("functional") => UnitKind::Functional,
                    _ => UnitKind::Declared,
                },
                description: du_description,
            },
            boundary: match boundary?.as_str() {
                "cradle-to-grave" => SystemBoundary::CradleToGrave,
                "gate-to-gate" => SystemBoundary::GateToGate,
                "gate-to-grave" => SystemBoundary::GateToGrave,
                _ => SystemBoundary::CradleToGate,
            },
            reference_period,
            geography,
            pcr,
            end_of_life: EndOfLife {
                approach: match approach.as_deref() {
                    Some("avoided-burden") => RecyclingApproach::AvoidedBurden,
                    _ => RecyclingApproach::CutOff,
                },
                note,
            },
            reference_process,
            description,
        };
        Some((info, study))
    }

    fn parameters(&mut self, grid: &Grid) -> BTreeMap<String, ParameterSpec> {
        let cols = self.header(grid, &text::parameter_cols());
        let mut out = BTreeMap::new();
        for row in Self::data_rows(grid, &cols) {
            let at = At {
                grid,
                cols: &cols,
                row,
            };
            let Some(name) = self.text(&at, "name", None) else {
                let r = self.cell_ref(&at, "name");
                self.error(&grid.name, r, "missing parameter name");
                continue;
            };
            let path = FieldPath::root().key("parameters").key(name.clone());
            self.register(&at, "name", path.clone());
            let value = self.required_amount(&at, "value", path.clone());
            let unit = self.text(&at, "unit", Some(path.clone().key("unit")));
            let uncertainty = self.uncertainty(&at, path.clone().key("uncertainty"));
            let source = self.text(&at, "source", Some(path.clone().key("source")));
            let description = self.text(&at, "description", Some(path.clone().key("description")));
            // The value cell is where a cyclic or undefined reference is fixed.
            self.register(&at, "value", path.clone());
            let Some(value) = value else { continue };
            let detailed = unit.is_some()
                || !uncertainty.is_none()
                || source.is_some()
                || description.is_some();
            let spec = match (detailed, value) {
                (true, value) => ParameterSpec::Detailed(ParameterDetail {
                    value,
                    unit,
                    uncertainty,
                    source,
                    description,
                }),
                (false, Amount::Number(n)) => ParameterSpec::Number(n),
                (false, Amount::Formula(f)) => ParameterSpec::Formula(f),
            };
            if out.insert(name.clone(), spec).is_some() {
                let r = self.cell_ref(&at, "name");
                self.error(
                    &grid.name,
                    r,
                    format!("parameter '{name}' is defined twice"),
                );
            }
        }
        out
    }

    /// Process ids and processes in row order; `None` for a row that failed (so
    /// positions stay stable and its inputs still find it by id).
    fn processes(&mut self, grid: &Grid) -> (Vec<Option<String>>, Vec<Option<ProcessSpec>>) {
        let cols = self.header(grid, &text::process_cols());
        for key in ["process id", "stage", "output amount", "output unit"] {
            if !cols.contains_key(key) {
                self.error(&grid.name, "1".into(), format!("missing column '{key}'"));
            }
        }
        let (mut ids, mut out) = (Vec::new(), Vec::new());
        for row in Self::data_rows(grid, &cols) {
            let at = At {
                grid,
                cols: &cols,
                row,
            };
            let pp = FieldPath::root().key("process").index(out.len());
            self.register(&at, "process id", pp.clone());
            let id = self.required_text(&at, "process id", pp.clone().key("id"));
            let name = self.text(&at, "name", Some(pp.clone().key("name")));
            let stage = self.stage(&at, pp.clone().key("stage"));
            if stage.is_none() && self.text(&at, "stage", None).is_none() {
                let r = self.cell_ref(&at, "stage");
                self.error(&grid.name, r, "missing stage");
            }
            let op = pp.clone().key("output");
            self.register(&at, "output amount", op.clone());
            let amount = self.required_amount(&at, "output amount", op.clone().key("amount"));
            let unit = self.unit(&at, "output unit", op.clone().key("unit"), true);
            let output = ProductOutput {
                id: self.text(&at, "output id", Some(op.clone().key("id"))),
                name: self.text(&at, "output name", Some(op.clone().key("name"))),
                amount: amount.unwrap_or(Amount::Number(0.0)),
                unit: unit.unwrap_or_default(),
                price: self.amount(&at, "price", Some(op.clone().key("price"))),
                property: self.amount(&at, "property", Some(op.clone().key("property"))),
                allocation_factor: self.amount(
                    &at,
                    "allocation factor",
                    Some(op.clone().key("allocation_factor")),
                ),
                source: self.text(&at, "output source", Some(op.clone().key("source"))),
            };
            let allocation =
                self.parsed(&at, "allocation", Some(pp.clone().key("allocation")), |s| {
                    match s.to_lowercase().as_str() {
                        "physical" => Ok(AllocationMethod::Physical),
                        "economic" => Ok(AllocationMethod::Economic),
                        "explicit" => Ok(AllocationMethod::Explicit),
                        other => Err(format!(
                            "unknown allocation method '{other}'; expected physical, economic or explicit"
                        )),
                    }
                });
            let aircraft = self
                .boolean(&at, "aircraft", Some(pp.clone().key("aircraft")))
                .unwrap_or(false);
            let primary = self.boolean(&at, "primary", Some(pp.clone().key("primary")));
            let location = self.text(&at, "location", Some(pp.clone().key("location")));
            let source = self.text(&at, "source", Some(pp.clone().key("source")));
            ids.push(id.clone());
            out.push(match (id, stage) {
                (Some(id), Some(stage)) => Some(ProcessSpec {
                    id,
                    name,
                    stage,
                    output,
                    coproducts: Vec::new(),
                    allocation,
                    aircraft,
                    primary,
                    location,
                    source,
                    inputs: Vec::new(),
                    emissions: Vec::new(),
                }),
                _ => None,
            });
        }
        (ids, out)
    }

    /// The position of the process a row belongs to, or an error at its id cell.
    fn owner(&mut self, at: &At, ids: &[Option<String>]) -> Option<usize> {
        let id = self.text(at, "process id", None);
        let r = self.cell_ref(at, "process id");
        let Some(id) = id else {
            self.error(&at.grid.name, r, "missing process id");
            return None;
        };
        let found = ids.iter().position(|p| p.as_deref() == Some(id.as_str()));
        if found.is_none() {
            self.error(
                &at.grid.name,
                r,
                format!("no process '{id}' on sheet {}", text::PROCESSES.name),
            );
        }
        found
    }

    fn coproducts(
        &mut self,
        grid: &Grid,
        ids: &[Option<String>],
        processes: &mut [Option<ProcessSpec>],
    ) {
        let cols = self.header(grid, &text::coproduct_cols());
        for row in Self::data_rows(grid, &cols) {
            let at = At {
                grid,
                cols: &cols,
                row,
            };
            let Some(i) = self.owner(&at, ids) else {
                continue;
            };
            let k = processes[i].as_ref().map_or(0, |p| p.coproducts.len());
            let cp = FieldPath::root()
                .key("process")
                .index(i)
                .key("coproducts")
                .index(k);
            self.register(&at, "process id", cp.clone());
            let id = self.text(&at, "co-product id", Some(cp.clone().key("id")));
            let name = self.text(&at, "name", Some(cp.clone().key("name")));
            let amount = self.required_amount(&at, "amount", cp.clone().key("amount"));
            let unit = self.unit(&at, "unit", cp.clone().key("unit"), true);
            let c = ProductOutput {
                id,
                name,
                amount: amount.unwrap_or(Amount::Number(0.0)),
                unit: unit.unwrap_or_default(),
                price: self.amount(&at, "price", Some(cp.clone().key("price"))),
                property: self.amount(&at, "property", Some(cp.clone().key("property"))),
                allocation_factor: self.amount(
                    &at,
                    "allocation factor",
                    Some(cp.clone().key("allocation_factor")),
                ),
                source: self.text(&at, "source", Some(cp.clone().key("source"))),
            };
            if let Some(p) = processes[i].as_mut() {
                p.coproducts.push(c);
            }
        }
    }

    fn inputs(
        &mut self,
        grid: &Grid,
        ids: &[Option<String>],
        processes: &mut [Option<ProcessSpec>],
    ) {
        let cols = self.header(grid, &text::input_cols());
        for row in Self::data_rows(grid, &cols) {
            let at = At {
                grid,
                cols: &cols,
                row,
            };
            let Some(i) = self.owner(&at, ids) else {
                continue;
            };
            let k = processes[i].as_ref().map_or(0, |p| p.inputs.len());
            let ip = FieldPath::root()
                .key("process")
                .index(i)
                .key("inputs")
                .index(k);
            self.register(&at, "process id", ip.clone());
            if let Some(inp) = self.input(&at, &ip)
                && let Some(p) = processes[i].as_mut()
            {
                p.inputs.push(inp);
            }
        }
    }

    fn input(&mut self, at: &At, ip: &FieldPath) -> Option<InputSpec> {
        let link = self.parsed(at, "link", Some(ip.clone()), |s| {
            pick(s, &["process", "dataset", "supplier"])
        });
        let target = self.text(at, "target id", None);
        for k in ["process", "dataset", "supplier"] {
            self.register(at, "target id", ip.clone().key(k));
        }
        self.register(at, "target id", ip.clone().key("supplier").key("id"));
        let product = self.text(at, "product", Some(ip.clone().key("product")));
        let sp = ip.clone().key("supplier");
        let supplier_keys = [
            "supplier name",
            "supplier pcf",
            "supplier unit",
            "supplier source",
            "supplier primary share",
            "supplier TeR",
            "supplier GeR",
            "supplier TiR",
            "supplier P",
        ];
        let mut ok = true;
        if target.is_none() {
            let r = self.cell_ref(at, "target id");
            self.error(&at.grid.name, r, "missing target id");
            ok = false;
        }
        if link.is_none() && self.text(at, "link", None).is_none() {
            let r = self.cell_ref(at, "link");
            self.error(
                &at.grid.name,
                r,
                "missing link kind (process, dataset or supplier)",
            );
            ok = false;
        }
        let link = link.unwrap_or_default();
        if link != "supplier" {
            for k in supplier_keys {
                if !matches!(self.raw(at, k, None).0, Cell::Empty) {
                    let r = self.cell_ref(at, k);
                    self.error(
                        &at.grid.name,
                        r,
                        format!("{k} is only for inputs with link 'supplier'"),
                    );
                    ok = false;
                }
            }
        }
        if product.is_some() && link != "process" {
            let r = self.cell_ref(at, "product");
            self.error(
                &at.grid.name,
                r,
                "product (a co-product id) is only for inputs with link 'process'",
            );
            ok = false;
        }
        let supplier = if link == "supplier" {
            let pcf = self.number(at, "supplier pcf", Some(sp.clone().key("pcf")));
            if pcf.is_none() {
                let r = self.cell_ref(at, "supplier pcf");
                self.error(&at.grid.name, r, "missing supplier pcf");
            }
            let unit = self.unit(at, "supplier unit", sp.clone().key("unit"), true);
            let source = self
                .text(at, "supplier source", Some(sp.clone().key("source")))
                .unwrap_or_default();
            let s = SupplierFootprint {
                id: target.clone().unwrap_or_default(),
                name: self.text(at, "supplier name", Some(sp.clone().key("name"))),
                pcf: pcf.unwrap_or(0.0),
                unit: unit.unwrap_or_default(),
                source,
                primary_data_share: self.number(
                    at,
                    "supplier primary share",
                    Some(sp.clone().key("primary_data_share")),
                ),
                quality: self.dqr(at, "supplier ", &sp.clone().key("quality")),
            };
            Some(s)
        } else {
            None
        };
        let amount = self.required_amount(at, "amount", ip.clone().key("amount"));
        let unit = self.unit(at, "unit", ip.clone().key("unit"), true);
        let stage = self.stage(at, ip.clone().key("stage"));
        let primary = self.boolean(at, "primary", Some(ip.clone().key("primary")));
        let uncertainty = self.uncertainty(at, ip.clone().key("uncertainty"));
        let quality = self.quality(at, ip.clone().key("quality"));
        let source = self.text(at, "source", Some(ip.clone().key("source")));
        let note = self.text(at, "note", Some(ip.clone().key("note")));
        let aircraft = self
            .boolean(at, "aircraft", Some(ip.clone().key("aircraft")))
            .unwrap_or(false);
        let avoided = self
            .boolean(at, "avoided", Some(ip.clone().key("avoided")))
            .unwrap_or(false);
        if !ok {
            return None;
        }
        let (process, dataset) = match link.as_str() {
            "process" => (target, None),
            "dataset" => (None, target),
            _ => (None, None),
        };
        Some(InputSpec {
            process,
            product,
            dataset,
            supplier,
            amount: amount?,
            unit: unit?,
            stage,
            primary,
            uncertainty,
            quality,
            source,
            note,
            aircraft,
            avoided,
        })
    }

    fn emissions(
        &mut self,
        grid: &Grid,
        ids: &[Option<String>],
        processes: &mut [Option<ProcessSpec>],
    ) {
        let cols = self.header(grid, &text::emission_cols());
        for row in Self::data_rows(grid, &cols) {
            let at = At {
                grid,
                cols: &cols,
                row,
            };
            let Some(i) = self.owner(&at, ids) else {
                continue;
            };
            let k = processes[i].as_ref().map_or(0, |p| p.emissions.len());
            let ep = FieldPath::root()
                .key("process")
                .index(i)
                .key("emissions")
                .index(k);
            self.register(&at, "process id", ep.clone());
            let gas = self.parsed(&at, "gas", Some(ep.clone().key("gas")), Gas::parse);
            let origin = self.parsed(&at, "origin", Some(ep.clone().key("origin")), |s| {
                Origin::parse(s)
            });
            for (key, v) in [("gas", gas.is_none()), ("origin", origin.is_none())] {
                if v && self.text(&at, key, None).is_none() {
                    let r = self.cell_ref(&at, key);
                    self.error(&grid.name, r, format!("missing {key}"));
                }
            }
            let amount = self.required_amount(&at, "amount", ep.clone().key("amount"));
            let unit = self.unit(&at, "unit", ep.clone().key("unit"), true);
            let em = EmissionSpec {
                gas: gas.unwrap_or(Gas::Co2),
                origin: origin.unwrap_or(Origin::Unspecified),
                amount: amount.unwrap_or(Amount::Number(0.0)),
                unit: unit.unwrap_or_default(),
                stage: self.stage(&at, ep.clone().key("stage")),
                primary: self.boolean(&at, "primary", Some(ep.clone().key("primary"))),
                uncertainty: self.uncertainty(&at, ep.clone().key("uncertainty")),
                quality: self.quality(&at, ep.clone().key("quality")),
                source: self.text(&at, "source", Some(ep.clone().key("source"))),
                note: self.text(&at, "note", Some(ep.clone().key("note"))),
            };
            if let Some(p) = processes[i].as_mut() {
                p.emissions.push(em);
            }
        }
    }
}
