//! EcoSpold2 import (`.spold`, ecoinvent v3 style): single files, folders of them and
//! zip archives of them, into one Zuji [`LciDatabase`].
//!
//! The reader streams each file with quick-xml's pull parser (no DOM; element text is
//! capped at 64 KiB and nesting at 64 levels): each dataset's exchanges are kept in a
//! compact form (flow ids, names, units and compartments interned once per import),
//! then the whole import is linked in one pass that frees each dataset once its
//! activities are written. Memory grows with the database (as the result must), not
//! with the XML text: a generated 20,000-dataset folder (816,169 exchanges, 327 MB of
//! XML) imports in about 6 s with a peak RSS of about 400 MB on the 2-core CI machine.
//! Folders are parsed in parallel (rayon); zip entries one after another. The
//! `*_with_progress` variants report (files read, files in all) for a progress bar.
//!
//! # Rules (shared with [`crate::ecospold1`])
//!
//! * **Activities.** Each dataset gives one [`Activity`] per product it splits into.
//!   The id is the dataset's activity id; when a dataset splits into several products,
//!   each activity's id is `<activity id>_<product id>`. The production exchange's
//!   amount is the product's amount as written (Zuji scales by it, so exchanges stay
//!   "per reference amount" exactly as in the file).
//! * **Multi-output datasets** (by-products, `outputGroup` 2) are split per product:
//!   1. EcoSpold1 `<allocation>` factors, when the dataset has them, are used as given
//!      (fractions in percent, or in 0…1 when a co-product's fractions add up to 1);
//!   2. otherwise, when every product shares one unit, by the products' amounts
//!      (physical allocation, typically by mass), with a warning saying so;
//!   3. otherwise, when every product has a `price` property, by revenue
//!      (amount × price), with a warning;
//!   4. otherwise the dataset is not split: its reference product carries every
//!      exchange and each by-product becomes a *negative* technosphere input (system
//!      expansion, as Brightway does), with a warning.
//! * **Linking.** A technosphere input links to the activity producing its product:
//!   by `activityLinkId` + product id when the link resolves inside the import, else
//!   by the product id (EcoSpold2 `intermediateExchangeId`; EcoSpold1 name, location
//!   and unit, then name and unit). A product made as a reference product wins over the
//!   same product made as a by-product; among several reference producers the first in
//!   file order wins, with a warning. An input whose product no dataset in the import
//!   makes (USLCI's `CUTOFF`/`Dummy` flows, or a background not imported) is dropped
//!   with one warning per dataset listing them: real databases depend on this, so it
//!   is a warning, never silent.
//! * **Intermediate outputs that are not products** (`outputGroup` 3, waste to
//!   treatment, and by-products under rule 4) become negative technosphere inputs of
//!   their treating/producing activity, with a warning.
//! * **Elementary exchanges** (`inputGroup` 4 resources, `outputGroup` 4 emissions)
//!   become biosphere exchanges with positive amounts for both (Brightway's
//!   convention: the characterisation factor carries the sign). Flow id =
//!   `elementaryExchangeId`; every flow is tagged with [`crate::ghg_flows::classify`].
//!   When the exchange gives no compartment (openLCA exports), the compartment is
//!   `natural resource` for inputs and `emission` for outputs.
//! * **Parameters and formulas.** `<parameter>`s and exchanges with a `variableName`
//!   form the dataset's parameter set; `mathematicalRelation`s are translated (`;` →
//!   `,`, `=` → `==`, `<>` → `!=`) and evaluated with [`evaluate_parameters`]. A
//!   formula that does not parse or evaluate (an unsupported function such as `SUM`,
//!   an undefined name) keeps the stored amount and gives a warning naming the
//!   parameter or exchange and the formula. A **cyclic** parameter set is an error: the
//!   stored amounts of a cycle cannot be told consistent, and the rules say a cyclic
//!   parameter is reported, not guessed around.
//! * **Uncertainty.** lognormal: σ² = `varianceWithPedigreeUncertainty` when present,
//!   else `variance`; GSD = e^σ. normal: sd = √variance (same preference). triangular
//!   and uniform: their bounds. beta, gamma, binominal and undefined, and any
//!   distribution that does not fit its amount (an infinite variance, a mode outside
//!   its bounds), become no uncertainty with a warning per dataset.
//! * **Transactional.** Any error returns `Err` and nothing else; errors name the file,
//!   the element and the byte position where the XML reader knows it. No input panics.
//! * **Impact-method files** (`<impactMethod>`) are refused with
//!   [`EcoSpoldError::ImpactMethodUnsupported`].

use crate::import::{DatasetWarning, ImportReport};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use zuji_model::formula::{Definition, Expr, ParameterError, evaluate_parameters};
use zuji_model::lci::{
    Activity, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind, LciDatabase,
};
use zuji_model::uncertainty::Uncertainty;

/// Why an EcoSpold import failed. Every variant names the file (or dataset).
#[derive(Debug, thiserror::Error)]
pub enum EcoSpoldError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: byte {position}: malformed XML: {message}")]
    Xml {
        file: String,
        position: u64,
        message: String,
    },
    #[error("{file}: zip archive: {message}")]
    Zip { file: String, message: String },
    #[error("{file}: byte {position}: <{element}>: {problem}")]
    Invalid {
        file: String,
        element: String,
        position: u64,
        problem: String,
    },
    #[error("{file}: dataset '{dataset}': {problem}")]
    Dataset {
        file: String,
        dataset: String,
        problem: String,
    },
    #[error(
        "{file}: impact-method files (<impactMethod>) are not supported yet; import the activity datasets and add the method in the tabular layout"
    )]
    ImpactMethodUnsupported { file: String },
    #[error("{path}: no EcoSpold datasets found")]
    Empty { path: String },
    #[error("{path}: the imported datasets do not form a database: {problem}")]
    Database { path: String, problem: String },
}

// ---------------------------------------------------------------------------------
// The format-neutral form both EcoSpold readers produce.
// ---------------------------------------------------------------------------------

/// What an exchange is for its dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A product output; `reference` for outputGroup 0, by-product otherwise.
    Product { reference: bool },
    /// An intermediate input (consumed).
    TechInput,
    /// An intermediate output that is not a product (waste to treatment).
    TechOutput,
    /// An elementary output to the environment.
    Emission,
    /// An elementary input from nature.
    Resource,
}

/// A shared, immutable string: flow ids, names, units and compartments repeat across
/// thousands of exchanges, so each distinct text is stored once per import.
pub(crate) type Sym = Arc<str>;

/// Hands out one [`Sym`] per distinct text during an import (shared by the parser
/// threads; two cores contend little).
#[derive(Default)]
pub(crate) struct Interner(Mutex<HashSet<Sym>>);

impl Interner {
    pub(crate) fn get(&self, s: &str) -> Sym {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = set.get(s) {
            return found.clone();
        }
        let sym: Sym = Arc::from(s);
        set.insert(sym.clone());
        sym
    }
}

/// One exchange as read, before linking.
#[derive(Debug, Clone)]
pub(crate) struct RawExchange {
    /// The exchange's own id in its dataset (EcoSpold2 `id`, EcoSpold1 `number`).
    pub key: Sym,
    /// The product or elementary flow it refers to (link key).
    pub flow: Sym,
    /// A looser link key tried when `flow` finds no producer (EcoSpold1: name + unit).
    pub alt_flow: Option<Sym>,
    pub elementary: bool,
    pub name: Sym,
    pub unit: Sym,
    pub compartment: Sym,
    pub amount: f64,
    /// Formula, variable name and price: rare, so boxed to keep every exchange small.
    pub extra: Option<Box<ExchangeExtra>>,
    pub link: Option<Sym>,
    pub uncertainty: Uncertainty,
    pub role: Option<Role>,
}

/// The fields few exchanges have.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExchangeExtra {
    pub formula: Option<String>,
    pub variable: Option<String>,
    pub price: Option<f64>,
}

impl RawExchange {
    pub(crate) fn new(key: Sym) -> RawExchange {
        let empty: Sym = Arc::from("");
        RawExchange {
            key,
            flow: empty.clone(),
            alt_flow: None,
            elementary: false,
            name: empty.clone(),
            unit: empty.clone(),
            compartment: empty,
            amount: f64::NAN,
            extra: None,
            link: None,
            uncertainty: Uncertainty::None,
            role: None,
        }
    }

    pub(crate) fn formula(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|x| x.formula.as_deref())
    }

    pub(crate) fn variable(&self) -> Option<&str> {
        self.extra.as_ref().and_then(|x| x.variable.as_deref())
    }

    pub(crate) fn price(&self) -> Option<f64> {
        self.extra.as_ref().and_then(|x| x.price)
    }

    pub(crate) fn extra_mut(&mut self) -> &mut ExchangeExtra {
        self.extra.get_or_insert_with(Default::default)
    }
}

/// A named parameter of a dataset.
#[derive(Debug, Clone)]
pub(crate) struct RawParameter {
    pub name: String,
    pub amount: f64,
    pub formula: Option<String>,
}

/// One dataset as read.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawDataset {
    pub file: String,
    pub id: String,
    pub name: String,
    pub location: String,
    pub year: Option<String>,
    pub comment: Option<String>,
    pub category: Option<String>,
    pub exchanges: Vec<RawExchange>,
    pub parameters: Vec<RawParameter>,
    /// EcoSpold1 allocation: (co-product exchange key, exchange key, fraction as read).
    pub allocation: Vec<(String, String, f64)>,
    /// Things noticed while reading, reported as dataset warnings.
    pub notes: Vec<String>,
}

/// Called with (files read, files in all) as an import goes, for a progress bar.
pub type Progress = dyn Fn(usize, usize) + Sync;

// ---------------------------------------------------------------------------------
// Reading files, folders and zips.
// ---------------------------------------------------------------------------------

/// Reads every source under `path` with `parse`, in file-name order.
///
/// A folder's files are parsed in parallel; a zip's entries in sequence (one reader).
pub(crate) fn read_sources<F>(
    path: &Path,
    is_dataset_file: fn(&str) -> bool,
    parse: F,
    progress: &Progress,
) -> Result<Vec<RawDataset>, EcoSpoldError>
where
    F: Fn(&str, &mut dyn BufRead) -> Result<Vec<RawDataset>, EcoSpoldError> + Sync,
{
    let shown = path.display().to_string();
    let io = |source| EcoSpoldError::Io {
        file: shown.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        let mut files = Vec::new();
        collect_files(path, is_dataset_file, &mut files)?;
        files.sort();
        let done = AtomicUsize::new(0);
        let parsed: Vec<Result<Vec<RawDataset>, EcoSpoldError>> = files
            .par_iter()
            .map(|f| {
                let name = f.display().to_string();
                let file = File::open(f).map_err(|source| EcoSpoldError::Io {
                    file: name.clone(),
                    source,
                })?;
                let r = parse(&name, &mut BufReader::new(file));
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, files.len());
                r
            })
            .collect();
        let mut out = Vec::new();
        for p in parsed {
            out.extend(p?);
        }
        Ok(out)
    } else if shown.to_ascii_lowercase().ends_with(".zip") {
        read_zip(path, is_dataset_file, &parse, progress)
    } else {
        let file = File::open(path).map_err(io)?;
        let r = parse(&shown, &mut BufReader::new(file));
        progress(1, 1);
        r
    }
}

fn collect_files(
    dir: &Path,
    is_dataset_file: fn(&str) -> bool,
    out: &mut Vec<PathBuf>,
) -> Result<(), EcoSpoldError> {
    let io = |source| EcoSpoldError::Io {
        file: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        if p.is_dir() {
            collect_files(&p, is_dataset_file, out)?;
        } else if is_dataset_file(&p.to_string_lossy()) {
            out.push(p);
        }
    }
    Ok(())
}

fn read_zip<F>(
    path: &Path,
    is_dataset_file: fn(&str) -> bool,
    parse: &F,
    progress: &Progress,
) -> Result<Vec<RawDataset>, EcoSpoldError>
where
    F: Fn(&str, &mut dyn BufRead) -> Result<Vec<RawDataset>, EcoSpoldError>,
{
    let shown = path.display().to_string();
    let zip_err = |e: zip::result::ZipError| EcoSpoldError::Zip {
        file: shown.clone(),
        message: e.to_string(),
    };
    let file = File::open(path).map_err(|source| EcoSpoldError::Io {
        file: shown.clone(),
        source,
    })?;
    let mut archive = zip::ZipArchive::new(BufReader::new(file)).map_err(zip_err)?;
    let mut names = Vec::new();
    for n in archive.file_names() {
        let n = n.map_err(zip_err)?;
        if is_dataset_file(&n) {
            names.push(n.into_owned());
        }
    }
    names.sort();
    let mut out = Vec::new();
    let total = names.len();
    for (i, name) in names.into_iter().enumerate() {
        progress(i, total);
        let entry = archive.by_name(&name).map_err(zip_err)?;
        let shown_entry = format!("{shown}!{name}");
        let mut reader = BufReader::new(entry);
        out.extend(parse(&shown_entry, &mut reader)?);
    }
    Ok(out)
}

fn is_spold(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !n.ends_with('/') && (n.ends_with(".spold") || n.ends_with(".xml"))
}

/// The database id an import gets: the file or folder name without extension.
pub(crate) fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ecospold".into())
}

// ---------------------------------------------------------------------------------
// A small pull-parser wrapper: element opens with attributes, closes with their text.
// ---------------------------------------------------------------------------------

pub(crate) use crate::xml_walk::{Node, attr};

/// The shared XML walker with the string interner the EcoSpold readers share.
pub(crate) struct XmlWalker<'r> {
    xml: crate::xml_walk::XmlWalker<'r>,
    pub pool: &'r Interner,
}

impl<'r> XmlWalker<'r> {
    pub(crate) fn new(file: &str, input: &'r mut dyn BufRead, pool: &'r Interner) -> XmlWalker<'r> {
        XmlWalker {
            xml: crate::xml_walk::XmlWalker::new(file, input),
            pool,
        }
    }

    pub(crate) fn next(&mut self) -> Result<Node, EcoSpoldError> {
        self.xml.next().map_err(EcoSpoldError::from)
    }

    pub(crate) fn invalid(&self, element: &str, problem: String) -> EcoSpoldError {
        EcoSpoldError::Invalid {
            file: self.file.clone(),
            element: element.to_string(),
            position: self.position(),
            problem,
        }
    }
}

impl<'r> std::ops::Deref for XmlWalker<'r> {
    type Target = crate::xml_walk::XmlWalker<'r>;
    fn deref(&self) -> &Self::Target {
        &self.xml
    }
}

impl From<crate::xml_walk::XmlError> for EcoSpoldError {
    fn from(e: crate::xml_walk::XmlError) -> Self {
        EcoSpoldError::Xml {
            file: e.file,
            position: e.position,
            message: e.message,
        }
    }
}

/// A number attribute; absent is `None`, present but not a number is an error.
pub(crate) fn num_attr(
    w: &XmlWalker,
    element: &str,
    attrs: &[(String, String)],
    key: &str,
) -> Result<Option<f64>, EcoSpoldError> {
    match attr(attrs, key) {
        None => Ok(None),
        Some(v) => parse_number(v)
            .map(Some)
            .ok_or_else(|| w.invalid(element, format!("attribute {key}=\"{v}\" is not a number"))),
    }
}

/// Parses a number as EcoSpold writers print them (`1.0`, `4.3E-4`, `Infinity`, `NaN`).
pub(crate) fn parse_number(v: &str) -> Option<f64> {
    let t = v.trim();
    match t {
        "Infinity" | "INF" => Some(f64::INFINITY),
        "-Infinity" | "-INF" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => t.parse::<f64>().ok(),
    }
}

// ---------------------------------------------------------------------------------
// EcoSpold2 reader.
// ---------------------------------------------------------------------------------

/// Imports an EcoSpold2 file, a folder of `.spold`/`.xml` files, or a zip of them.
pub fn import_ecospold2(path: &Path) -> Result<ImportReport, EcoSpoldError> {
    import_ecospold2_with_progress(path, &|_, _| {})
}

/// [`import_ecospold2`], reporting (files read, files in all) as it goes.
pub fn import_ecospold2_with_progress(
    path: &Path,
    progress: &Progress,
) -> Result<ImportReport, EcoSpoldError> {
    let pool = Interner::default();
    let raw = read_sources(
        path,
        is_spold,
        |n, r| parse_ecospold2(n, r, &pool),
        progress,
    )?;
    assemble(&stem(path), &path.display().to_string(), raw)
}

/// Imports one EcoSpold2 document held in memory (fuzzing, tests, uploads).
pub fn import_ecospold2_from_str(name: &str, xml: &str) -> Result<ImportReport, EcoSpoldError> {
    import_ecospold2_from_reader(name, &mut xml.as_bytes())
}

/// Imports one EcoSpold2 document from a reader; `name` is used in messages and as id.
pub fn import_ecospold2_from_reader(
    name: &str,
    reader: &mut dyn BufRead,
) -> Result<ImportReport, EcoSpoldError> {
    let raw = parse_ecospold2(name, reader, &Interner::default())?;
    assemble(&stem(Path::new(name)), name, raw)
}

/// Reads every activity dataset of one EcoSpold2 document.
pub(crate) fn parse_ecospold2(
    file: &str,
    input: &mut dyn BufRead,
    pool: &Interner,
) -> Result<Vec<RawDataset>, EcoSpoldError> {
    let mut w = XmlWalker::new(file, input, pool);
    let mut out = Vec::new();
    let mut ds: Option<RawDataset> = None;
    let mut ex: Option<RawExchange> = None;
    let mut param: Option<RawParameter> = None;
    let mut comments: Vec<String> = Vec::new();
    let mut text_vars: Vec<(String, String)> = Vec::new();
    let mut prop: Option<(String, f64)> = None;
    let mut class_system = String::new();
    let mut ex_compartment: (String, String) = Default::default();
    loop {
        match w.next()? {
            Node::Eof => break,
            Node::Open { name, attrs } => {
                if w.inside("usedUserMasterData") {
                    continue;
                }
                match name.as_str() {
                    "impactMethod" => {
                        return Err(EcoSpoldError::ImpactMethodUnsupported {
                            file: file.to_string(),
                        });
                    }
                    "ecoSpold" => refuse_impact_method(file, &attrs)?,
                    "activityDataset" | "childActivityDataset" => {
                        ds = Some(RawDataset {
                            file: file.to_string(),
                            ..Default::default()
                        });
                        comments.clear();
                        text_vars.clear();
                    }
                    _ => {}
                }
                let Some(d) = ds.as_mut() else { continue };
                match name.as_str() {
                    "activity" if w.parent() == Some("activityDescription") => {
                        d.id = attr(&attrs, "id").unwrap_or_default().to_string();
                    }
                    "timePeriod" => {
                        d.year = period(attr(&attrs, "startDate"), attr(&attrs, "endDate"))
                    }
                    "variable" => {
                        if let Some(n) = attr(&attrs, "name") {
                            text_vars.push((n.to_string(), String::new()));
                        }
                    }
                    "intermediateExchange" | "elementaryExchange" => {
                        ex = Some(read_exchange_attrs(&w, &name, &attrs)?);
                        ex_compartment = Default::default();
                    }
                    "parameter" => {
                        let amount = num_attr(&w, &name, &attrs, "amount")?.unwrap_or(f64::NAN);
                        param = Some(RawParameter {
                            name: attr(&attrs, "variableName").unwrap_or_default().to_string(),
                            amount,
                            formula: attr(&attrs, "mathematicalRelation")
                                .filter(|s| !s.trim().is_empty())
                                .map(str::to_string),
                        });
                    }
                    "property" if ex.is_some() => {
                        prop = Some((
                            String::new(),
                            num_attr(&w, &name, &attrs, "amount")?.unwrap_or(f64::NAN),
                        ));
                    }
                    "lognormal" | "normal" | "triangular" | "uniform" | "beta" | "gamma"
                    | "binominal" | "undefined"
                        if w.parent() == Some("uncertainty") =>
                    {
                        if let Some(e) = ex.as_mut() {
                            match es2_uncertainty(&w, &name, &attrs)? {
                                Ok(u) => e.uncertainty = u,
                                Err(kind) => d.notes.push(format!(
                                    "exchange '{}' ({}): {kind} uncertainty is not supported; kept without uncertainty",
                                    e.key, e.name
                                )),
                            }
                        }
                    }
                    _ => {}
                }
            }
            Node::Close { name, text } => {
                if w.inside("usedUserMasterData") || name == "usedUserMasterData" {
                    continue;
                }
                let Some(d) = ds.as_mut() else { continue };
                match name.as_str() {
                    "activityDataset" | "childActivityDataset" => {
                        let mut d = ds.take().unwrap_or_default();
                        let mut comment = comments.join("\n");
                        for (k, v) in &text_vars {
                            comment = comment.replace(&format!("{{{{{k}}}}}"), v);
                        }
                        d.comment = (!comment.is_empty()).then_some(comment);
                        if d.id.is_empty() {
                            return Err(
                                w.invalid(&name, "the dataset has no <activity id=…>".into())
                            );
                        }
                        d.exchanges.shrink_to_fit(); // growth slack would stay for the whole import
                        out.push(d);
                    }
                    "activityName" if w.stack.last().map(String::as_str) == Some("activity") => {
                        d.name = text
                    }
                    "shortname" if w.stack.last().map(String::as_str) == Some("geography") => {
                        d.location = text
                    }
                    "text" if w.inside("generalComment") && !text.is_empty() => comments.push(text),
                    "variable" if w.inside("generalComment") => {
                        if let Some(last) = text_vars.last_mut() {
                            last.1 = text;
                        }
                    }
                    "classificationSystem" => class_system = text,
                    "classificationValue"
                        if ex.is_none()
                            && (d.category.is_none() || class_system == "EcoSpold01Categories") =>
                    {
                        d.category = Some(text);
                    }
                    "name" if w.stack.last().map(String::as_str) == Some("property") => {
                        if let Some((pname, _)) = prop.as_mut() {
                            *pname = text;
                        }
                    }
                    "name" if is_exchange(w.stack.last()) => {
                        if let Some(e) = ex.as_mut() {
                            e.name = w.pool.get(&text);
                        }
                    }
                    "unitName" if is_exchange(w.stack.last()) => {
                        if let Some(e) = ex.as_mut() {
                            e.unit = w.pool.get(&text);
                        }
                    }
                    "property" => {
                        if let (Some((pname, v)), Some(e)) = (prop.take(), ex.as_mut())
                            && pname.eq_ignore_ascii_case("price")
                        {
                            e.extra_mut().price = Some(v);
                        }
                    }
                    "compartment" if w.stack.last().map(String::as_str) == Some("compartment") => {
                        ex_compartment.0 = text
                    }
                    "subcompartment" => ex_compartment.1 = text,
                    "inputGroup" | "outputGroup" => {
                        if let Some(e) = ex.as_mut() {
                            e.role = Some(es2_role(&w, &name, &text, e.elementary)?);
                        }
                    }
                    "intermediateExchange" | "elementaryExchange" => {
                        if let Some(mut e) = ex.take() {
                            finish_es2_exchange(&w, &name, &mut e, &ex_compartment)?;
                            d.exchanges.push(e);
                        }
                    }
                    "parameter" => {
                        if let Some(p) = param.take()
                            && !p.name.is_empty()
                        {
                            d.parameters.push(p);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

fn is_exchange(element: Option<&String>) -> bool {
    matches!(
        element.map(String::as_str),
        Some("intermediateExchange" | "elementaryExchange")
    )
}

/// Impact-method documents (`<impactMethod>`, or an `ecoSpold` root in the
/// `EcoSpold01Impact` namespace as openLCA writes them) are refused explicitly.
pub(crate) fn refuse_impact_method(
    file: &str,
    attrs: &[(String, String)],
) -> Result<(), EcoSpoldError> {
    if attrs.iter().any(|(_, v)| v.ends_with("Impact")) {
        return Err(EcoSpoldError::ImpactMethodUnsupported {
            file: file.to_string(),
        });
    }
    Ok(())
}

/// `2010-2012` from EcoSpold dates, or the single year when both are the same.
pub(crate) fn period(start: Option<&str>, end: Option<&str>) -> Option<String> {
    let year = |s: Option<&str>| {
        s.map(|s| s.trim().chars().take(4).collect::<String>())
            .filter(|y| !y.is_empty())
    };
    match (year(start), year(end)) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("{a}-{b}")),
        (a, b) => a.or(b),
    }
}

fn read_exchange_attrs(
    w: &XmlWalker,
    element: &str,
    attrs: &[(String, String)],
) -> Result<RawExchange, EcoSpoldError> {
    let mut e = RawExchange::new(Arc::from(attr(attrs, "id").unwrap_or_default()));
    let flow_attr = if element == "intermediateExchange" {
        "intermediateExchangeId"
    } else {
        "elementaryExchangeId"
    };
    let flow = attr(attrs, flow_attr).unwrap_or_default().trim();
    if flow.is_empty() {
        return Err(w.invalid(
            element,
            format!(
                "exchange '{}' has no {flow_attr}: it does not say which flow it is",
                e.key
            ),
        ));
    }
    e.elementary = element == "elementaryExchange";
    e.flow = w.pool.get(flow);
    e.amount = num_attr(w, element, attrs, "amount")?
        .ok_or_else(|| w.invalid(element, format!("exchange '{}' has no amount", e.key)))?;
    if !e.amount.is_finite() {
        return Err(w.invalid(
            element,
            format!(
                "exchange '{}' has amount {}, not a finite number",
                e.key, e.amount
            ),
        ));
    }
    let non_empty = |k: &str| attr(attrs, k).filter(|s| !s.trim().is_empty());
    if let Some(v) = non_empty("variableName") {
        e.extra_mut().variable = Some(v.to_string());
    }
    if let Some(f) = non_empty("mathematicalRelation") {
        e.extra_mut().formula = Some(f.to_string());
    }
    e.link = attr(attrs, "activityLinkId")
        .filter(|s| !s.trim().is_empty())
        .map(|s| w.pool.get(s));
    Ok(e)
}

fn es2_role(
    w: &XmlWalker,
    element: &str,
    text: &str,
    elementary: bool,
) -> Result<Role, EcoSpoldError> {
    let input = element == "inputGroup";
    Ok(match (elementary, input, text) {
        (true, true, _) => Role::Resource,
        (true, false, _) => Role::Emission,
        (false, false, "0") => Role::Product { reference: true },
        (false, false, "2") => Role::Product { reference: false },
        (false, false, "1" | "3" | "5") => Role::TechOutput,
        (false, true, "1" | "2" | "3" | "5") => Role::TechInput,
        _ => {
            return Err(w.invalid(
                element,
                format!("'{text}' is not an EcoSpold2 {element} for this exchange"),
            ));
        }
    })
}

fn finish_es2_exchange(
    w: &XmlWalker,
    element: &str,
    e: &mut RawExchange,
    compartment: &(String, String),
) -> Result<(), EcoSpoldError> {
    if e.role.is_none() {
        return Err(w.invalid(
            element,
            format!(
                "exchange '{}' ({}) has neither inputGroup nor outputGroup",
                e.key, e.name
            ),
        ));
    }
    if e.elementary {
        e.compartment = match (compartment.0.as_str(), compartment.1.as_str()) {
            ("", _) => w.pool.get(default_compartment(e.role)),
            (c, "") => w.pool.get(c),
            (c, s) => w.pool.get(&format!("{c}/{s}")),
        };
    }
    Ok(())
}

/// The compartment of an elementary exchange that names none, from its direction.
pub(crate) fn default_compartment(role: Option<Role>) -> &'static str {
    if role == Some(Role::Resource) {
        "natural resource"
    } else {
        "emission"
    }
}

/// An EcoSpold2 uncertainty element; `Err(kind)` for a distribution Zuji does not model.
fn es2_uncertainty(
    w: &XmlWalker,
    element: &str,
    attrs: &[(String, String)],
) -> Result<Result<Uncertainty, String>, EcoSpoldError> {
    let n = |k: &str| num_attr(w, element, attrs, k);
    let variance = match n("varianceWithPedigreeUncertainty")? {
        Some(v) => Some(v),
        None => n("variance")?,
    };
    let missing = |k: &str| w.invalid(element, format!("{element} uncertainty has no {k}"));
    Ok(Ok(match element {
        "lognormal" => Uncertainty::Lognormal {
            gsd: variance.ok_or_else(|| missing("variance"))?.sqrt().exp(),
        },
        "normal" => Uncertainty::Normal {
            sd: variance.ok_or_else(|| missing("variance"))?.sqrt(),
        },
        "triangular" => Uncertainty::Triangular {
            min: n("minValue")?.ok_or_else(|| missing("minValue"))?,
            mode: n("mostLikelyValue")?,
            max: n("maxValue")?.ok_or_else(|| missing("maxValue"))?,
        },
        "uniform" => Uncertainty::Uniform {
            min: n("minValue")?.ok_or_else(|| missing("minValue"))?,
            max: n("maxValue")?.ok_or_else(|| missing("maxValue"))?,
        },
        other => return Ok(Err(other.to_string())),
    }))
}

// ---------------------------------------------------------------------------------
// Formulas.
// ---------------------------------------------------------------------------------

/// Rewrites ecoinvent/openLCA formula syntax into Zuji's: `;` separates arguments,
/// a single `=` compares, `<>` is not-equal.
pub(crate) fn translate_formula(f: &str) -> String {
    let chars: Vec<char> = f.chars().collect();
    let mut out = String::with_capacity(f.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match c {
            ';' => out.push(','),
            '<' if next == '>' => {
                out.push_str("!=");
                i += 1;
            }
            '=' if !matches!(prev, '<' | '>' | '!' | '=') && next != '=' => out.push_str("=="),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Evaluates the dataset's parameters and formulas in place; see the module rules.
fn apply_formulas(d: &mut RawDataset, warn: &mut Vec<String>) -> Result<(), EcoSpoldError> {
    let has_formulas = d.parameters.iter().any(|p| p.formula.is_some())
        || d.exchanges.iter().any(|e| e.formula().is_some());
    if !has_formulas {
        return Ok(());
    }
    let mut defs: BTreeMap<String, Definition> = BTreeMap::new();
    let mut stored: HashMap<String, f64> = HashMap::new();
    let entries = d
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.amount, p.formula.as_deref(), "parameter"))
        .chain(d.exchanges.iter().filter_map(|e| {
            e.variable()
                .map(|v| (v, e.amount, e.formula(), "exchange variable"))
        }));
    for (name, amount, formula, what) in entries {
        stored.insert(name.to_string(), amount);
        let def = match formula {
            None => Definition::Value(amount),
            Some(f) => match Expr::parse(&translate_formula(f)) {
                Ok(e) => Definition::Formula(e),
                Err(err) => {
                    warn.push(format!(
                        "{what} '{name}': formula '{f}' cannot be read ({err}); kept the stored amount {amount}"
                    ));
                    Definition::Value(amount)
                }
            },
        };
        defs.insert(name.to_string(), def);
    }
    let values = evaluate_with_fallback(d, &mut defs, &stored, warn)?;
    for e in &mut d.exchanges {
        let Some(f) = e.formula().map(str::to_string) else {
            continue;
        };
        let result = match e.variable().and_then(|v| values.get(v)) {
            Some(v) => Ok(*v),
            None => Expr::parse(&translate_formula(&f))
                .map_err(|err| err.to_string())
                .and_then(|x| {
                    x.eval(&|n| values.get(n).copied())
                        .map_err(|err| err.to_string())
                }),
        };
        match result {
            Ok(v) => e.amount = v,
            Err(err) => warn.push(format!(
                "exchange '{}' ({}): formula '{f}' cannot be evaluated ({err}); kept the stored amount {}",
                e.key, e.name, e.amount
            )),
        }
    }
    Ok(())
}

/// Runs [`evaluate_parameters`], replacing each parameter whose formula fails by its
/// stored amount (with a warning) until the set evaluates; a cycle is an error.
fn evaluate_with_fallback(
    d: &RawDataset,
    defs: &mut BTreeMap<String, Definition>,
    stored: &HashMap<String, f64>,
    warn: &mut Vec<String>,
) -> Result<BTreeMap<String, f64>, EcoSpoldError> {
    for _ in 0..=defs.len() {
        let failed = match evaluate_parameters(defs, &HashMap::new()) {
            Ok(values) => return Ok(values),
            Err(ParameterError::Cycle { cycle }) => {
                return Err(EcoSpoldError::Dataset {
                    file: d.file.clone(),
                    dataset: d.id.clone(),
                    problem: format!("parameters form a cycle: {}", cycle.join(" → ")),
                });
            }
            Err(e @ ParameterError::Formula { .. }) | Err(e @ ParameterError::Undefined { .. }) => {
                let name = match &e {
                    ParameterError::Formula { name, .. }
                    | ParameterError::Undefined { name, .. } => name.clone(),
                    ParameterError::Cycle { .. } => String::new(),
                };
                (name, e.to_string())
            }
        };
        let (name, why) = failed;
        let amount = stored.get(&name).copied().unwrap_or(f64::NAN);
        warn.push(format!(
            "{why}; kept the stored amount {amount} for '{name}'"
        ));
        defs.insert(name, Definition::Value(amount));
    }
    Err(EcoSpoldError::Dataset {
        file: d.file.clone(),
        dataset: d.id.clone(),
        problem: "parameters could not be evaluated".into(),
    })
}

// ---------------------------------------------------------------------------------
// Assembly: products, allocation, linking.
// ---------------------------------------------------------------------------------

/// How a dataset is split into activities: one entry per product, with a factor per
/// exchange (the share of that exchange the product carries).
struct Split {
    product: usize,
    factors: Vec<f64>,
}

/// Per-dataset warnings collected while assembling, joined into one message per kind.
#[derive(Default)]
struct Notes {
    messages: Vec<String>,
    cut_off: Vec<Sym>,
    negative: Vec<Sym>,
    uncertainty: Vec<String>,
}

/// Links raw datasets into a database; see the module rules.
pub(crate) fn assemble(
    db_id: &str,
    path: &str,
    mut raw: Vec<RawDataset>,
) -> Result<ImportReport, EcoSpoldError> {
    if raw.is_empty() {
        return Err(EcoSpoldError::Empty {
            path: path.to_string(),
        });
    }
    let mut notes: Vec<Notes> = Vec::with_capacity(raw.len());
    let mut splits: Vec<Vec<Split>> = Vec::with_capacity(raw.len());
    let mut activities: Vec<Activity> = Vec::new();
    let mut owner: Vec<(usize, usize)> = Vec::new(); // activity → (dataset, split)
    let mut producers: HashMap<Sym, Vec<(usize, bool)>> = HashMap::new();
    let mut alt_producers: HashMap<Sym, Vec<(usize, bool)>> = HashMap::new();
    let mut linked: HashMap<(Sym, Sym), usize> = HashMap::new();

    for (di, d) in raw.iter_mut().enumerate() {
        let mut n = Notes {
            messages: std::mem::take(&mut d.notes),
            ..Default::default()
        };
        apply_formulas(d, &mut n.messages)?;
        check_uncertainties(d, &mut n);
        let s = split_dataset(d, &mut n.messages)?;
        for (si, split) in s.iter().enumerate() {
            let p = &d.exchanges[split.product];
            let mut id = if s.len() == 1 {
                d.id.clone()
            } else {
                format!("{}_{}", d.id, p.key)
            };
            // The same product written twice in one dataset (USLCI does) keeps both.
            if s[..si].iter().any(|o| d.exchanges[o.product].key == p.key) {
                id = format!("{id}_{}", si + 1);
            }
            let ai = activities.len();
            activities.push(make_activity(d, p, id, s.len() > 1));
            owner.push((di, si));
            let reference = p.role == Some(Role::Product { reference: true });
            producers
                .entry(p.flow.clone())
                .or_default()
                .push((ai, reference));
            if let Some(alt) = &p.alt_flow {
                alt_producers
                    .entry(alt.clone())
                    .or_default()
                    .push((ai, reference));
            }
            linked.insert((Arc::from(d.id.as_str()), p.flow.clone()), ai);
        }
        splits.push(s);
        notes.push(n);
    }

    let mut flows: Vec<ElementaryFlow> = Vec::new();
    let mut flow_index: HashMap<Sym, usize> = HashMap::new();
    // Sized up front: doubling a Vec of ~10⁶ exchanges would hold up to twice that.
    let capacity = owner
        .iter()
        .map(|&(di, _)| raw[di].exchanges.len() + 1)
        .sum::<usize>();
    let mut exchanges: Vec<Exchange> = Vec::with_capacity(capacity);
    let index = Index {
        producers: &producers,
        alt_producers: &alt_producers,
        linked: &linked,
        activities: &activities,
    };
    for (ai, &(di, si)) in owner.iter().enumerate() {
        let d = &raw[di];
        let split = &splits[di][si];
        let n = &mut notes[di];
        let p = &d.exchanges[split.product];
        exchanges.push(Exchange {
            activity: ai,
            kind: ExchangeKind::Production,
            input: ai,
            amount: p.amount,
            uncertainty: Uncertainty::None,
        });
        for (xi, e) in d.exchanges.iter().enumerate() {
            let f = split.factors[xi];
            if xi == split.product || f == 0.0 || e.amount == 0.0 {
                continue;
            }
            let (amount, input, kind) = match e.role {
                Some(Role::Product { .. }) | None => continue,
                Some(Role::TechInput) | Some(Role::TechOutput) => {
                    let Some(provider) = index.provider(e, n, si == 0) else {
                        continue;
                    };
                    let sign = if e.role == Some(Role::TechInput) {
                        1.0
                    } else {
                        if si == 0 {
                            n.negative.push(e.name.clone());
                        }
                        -1.0
                    };
                    (sign * e.amount * f, provider, ExchangeKind::Technosphere)
                }
                Some(Role::Emission) | Some(Role::Resource) => {
                    let fi = flow_position(e, &mut flows, &mut flow_index);
                    let k = unit_factor(e, &flows[fi].unit, n, si == 0);
                    (e.amount * f * k, fi, ExchangeKind::Biosphere)
                }
            };
            exchanges.push(Exchange {
                activity: ai,
                kind,
                input,
                amount,
                uncertainty: scale_uncertainty(e.uncertainty, amount / e.amount),
            });
        }
        // A dataset's exchanges are not needed after its last activity: free them so
        // the raw form and the database are not both held in full.
        if si + 1 == splits[di].len() {
            raw[di].exchanges = Vec::new();
            splits[di] = Vec::new();
        }
    }
    let warnings = collect_warnings(&raw, notes);
    let meta = DatabaseMeta {
        id: db_id.to_string(),
        version: "unversioned".into(),
        name: db_id.to_string(),
        source: Some(path.to_string()),
        ..Default::default()
    };
    let db =
        LciDatabase::new(meta, activities, flows, exchanges, Vec::new()).map_err(|problem| {
            EcoSpoldError::Database {
                path: path.to_string(),
                problem,
            }
        })?;
    Ok(ImportReport { db, warnings })
}

struct Index<'a> {
    producers: &'a HashMap<Sym, Vec<(usize, bool)>>,
    alt_producers: &'a HashMap<Sym, Vec<(usize, bool)>>,
    linked: &'a HashMap<(Sym, Sym), usize>,
    activities: &'a [Activity],
}

impl Index<'_> {
    /// The activity producing what `e` consumes; `None` (noted once per dataset) if
    /// nothing in the import makes it.
    fn provider(&self, e: &RawExchange, n: &mut Notes, first: bool) -> Option<usize> {
        if let Some(link) = &e.link
            && let Some(ai) = self.linked.get(&(link.clone(), e.flow.clone()))
        {
            return Some(*ai);
        }
        let candidates = self
            .producers
            .get(&e.flow)
            .or_else(|| e.alt_flow.as_ref().and_then(|a| self.alt_producers.get(a)));
        let Some(c) = candidates.filter(|c| !c.is_empty()) else {
            if first {
                n.cut_off.push(e.name.clone());
            }
            return None;
        };
        let refs: Vec<usize> = c.iter().filter(|(_, r)| *r).map(|(a, _)| *a).collect();
        let pool: Vec<usize> = if refs.is_empty() {
            c.iter().map(|(a, _)| *a).collect()
        } else {
            refs
        };
        if let Some(link) = &e.link
            && first
        {
            n.messages.push(format!(
                "exchange '{}' ({}): activityLinkId {link} is not in this import; linked by product to '{}'",
                e.key, e.name, self.activities[pool[0]].id
            ));
        }
        if pool.len() > 1 && first {
            n.messages.push(format!(
                "exchange '{}' ({}): {} activities produce this product; linked to the first, '{}'",
                e.key,
                e.name,
                pool.len(),
                self.activities[pool[0]].id
            ));
        }
        Some(pool[0])
    }
}

/// The factor from the exchange's unit to its flow's unit (set where the flow first
/// appears): 1 when they agree, Zuji's conversion when it knows both units (noted),
/// else 1 with a warning that the amount is not converted.
fn unit_factor(e: &RawExchange, flow_unit: &str, n: &mut Notes, first: bool) -> f64 {
    if *e.unit == *flow_unit {
        return 1.0;
    }
    match zuji_model::units::convert(1.0, &e.unit, flow_unit) {
        Ok(k) => {
            if first {
                n.messages.push(format!(
                    "elementary flow '{}' ({}) is given in {} here and in {flow_unit} where it first appears; converted ×{k}",
                    e.flow, e.name, e.unit
                ));
            }
            k
        }
        Err(why) => {
            if first {
                n.messages.push(format!(
                    "elementary flow '{}' ({}) is given in {} here but in {flow_unit} where it first appears, and Zuji cannot convert them ({why}); the amount is kept as written",
                    e.flow, e.name, e.unit
                ));
            }
            1.0
        }
    }
}

fn flow_position(
    e: &RawExchange,
    flows: &mut Vec<ElementaryFlow>,
    index: &mut HashMap<Sym, usize>,
) -> usize {
    if let Some(i) = index.get(&e.flow) {
        return *i;
    }
    let tag = crate::ghg_flows::classify(&e.name, &e.compartment);
    let (gas, origin) = match tag {
        Some((g, o)) => (Some(g), Some(o)),
        None => (None, None),
    };
    flows.push(ElementaryFlow {
        id: e.flow.to_string(),
        name: e.name.to_string(),
        compartment: e.compartment.to_string(),
        unit: e.unit.to_string(),
        gas,
        origin,
    });
    index.insert(e.flow.clone(), flows.len() - 1);
    flows.len() - 1
}

fn make_activity(d: &RawDataset, p: &RawExchange, id: String, split: bool) -> Activity {
    let name = if d.name.is_empty() {
        p.name.to_string()
    } else if split && *p.name != *d.name {
        format!("{} | {}", d.name, p.name)
    } else {
        d.name.clone()
    };
    Activity {
        id,
        name,
        unit: p.unit.to_string(),
        location: d.location.clone(),
        year: d.year.clone(),
        source: Some(d.file.clone()),
        category: d.category.clone(),
        comment: d.comment.clone(),
        ..Default::default()
    }
}

/// Drops distributions that do not fit their (final) amount, noting each.
fn check_uncertainties(d: &mut RawDataset, n: &mut Notes) {
    for e in &mut d.exchanges {
        if let Err(why) = e.uncertainty.check(e.amount) {
            n.uncertainty.push(format!("'{}' ({why})", e.name));
            e.uncertainty = Uncertainty::None;
        }
    }
}

/// The distribution of `k × amount` given that of `amount` (k may be negative).
fn scale_uncertainty(u: Uncertainty, k: f64) -> Uncertainty {
    if k == 1.0 || !k.is_finite() {
        return u;
    }
    let pair = |a: f64, b: f64| {
        if k >= 0.0 {
            (a * k, b * k)
        } else {
            (b * k, a * k)
        }
    };
    match u {
        Uncertainty::None | Uncertainty::Lognormal { .. } => u,
        Uncertainty::Normal { sd } => Uncertainty::Normal { sd: sd * k.abs() },
        Uncertainty::Uniform { min, max } => {
            let (min, max) = pair(min, max);
            Uncertainty::Uniform { min, max }
        }
        Uncertainty::Triangular { min, mode, max } => {
            let (min, max) = pair(min, max);
            Uncertainty::Triangular {
                min,
                mode: mode.map(|m| m * k),
                max,
            }
        }
    }
}

/// Decides how a dataset splits into products (see the module rules).
fn split_dataset(d: &mut RawDataset, warn: &mut Vec<String>) -> Result<Vec<Split>, EcoSpoldError> {
    let products: Vec<usize> = (0..d.exchanges.len())
        .filter(|&i| matches!(d.exchanges[i].role, Some(Role::Product { .. })))
        .collect();
    let reference = products
        .iter()
        .copied()
        .find(|&i| d.exchanges[i].role == Some(Role::Product { reference: true }));
    let Some(reference) = reference else {
        warn.push(
            "the dataset has no reference product (no intermediate exchange with outputGroup 0); it was not imported, and inputs of its products are cut off"
                .into(),
        );
        return Ok(Vec::new());
    };
    let n = d.exchanges.len();
    if products.len() == 1 {
        return Ok(vec![Split {
            product: reference,
            factors: vec![1.0; n],
        }]);
    }
    if !d.allocation.is_empty() {
        return allocation_factors(d, &products, warn);
    }
    let names = products
        .iter()
        .map(|&i| {
            format!(
                "'{}' {} {}",
                d.exchanges[i].name, d.exchanges[i].amount, d.exchanges[i].unit
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let unit = &d.exchanges[reference].unit;
    let weights: Option<(Vec<f64>, &str)> =
        if products.iter().all(|&i| &d.exchanges[i].unit == unit) {
            Some((
                products.iter().map(|&i| d.exchanges[i].amount).collect(),
                "by amount (physical allocation, shared unit)",
            ))
        } else if products.iter().all(|&i| d.exchanges[i].price().is_some()) {
            Some((
                products
                    .iter()
                    .map(|&i| d.exchanges[i].amount * d.exchanges[i].price().unwrap_or(0.0))
                    .collect(),
                "by revenue (amount × price property)",
            ))
        } else {
            None
        };
    let total: f64 = weights.as_ref().map(|(w, _)| w.iter().sum()).unwrap_or(0.0);
    match weights {
        Some((w, how)) if total > 0.0 && total.is_finite() && w.iter().all(|x| *x >= 0.0) => {
            warn.push(format!(
                "multi-output dataset split into {} activities, allocated {how}: {names}",
                products.len()
            ));
            Ok(products
                .iter()
                .zip(&w)
                .map(|(&p, wi)| Split {
                    product: p,
                    factors: vec![wi / total; n],
                })
                .collect())
        }
        _ => {
            warn.push(format!(
                "multi-output dataset not split (products in different units, no price to allocate by: {names}); the reference product carries every exchange and by-products are credited as negative inputs"
            ));
            for &p in &products {
                if p != reference {
                    d.exchanges[p].role = Some(Role::TechOutput);
                }
            }
            Ok(vec![Split {
                product: reference,
                factors: vec![1.0; n],
            }])
        }
    }
}

/// EcoSpold1 `<allocation>` factors: one split per co-product, each exchange's share
/// as given; an exchange named by no allocation stays with the reference product.
fn allocation_factors(
    d: &RawDataset,
    products: &[usize],
    warn: &mut Vec<String>,
) -> Result<Vec<Split>, EcoSpoldError> {
    let pos: HashMap<&str, usize> = d
        .exchanges
        .iter()
        .enumerate()
        .map(|(i, e)| (&*e.key, i))
        .collect();
    let missing = |k: &str| EcoSpoldError::Dataset {
        file: d.file.clone(),
        dataset: d.id.clone(),
        problem: format!(
            "<allocation> refers to exchange number {k}, which the dataset does not have"
        ),
    };
    // Percent per the EcoSpold1 spec, unless an exchange's shares add up to 1.
    let mut sums: HashMap<&str, f64> = HashMap::new();
    for (_, x, f) in &d.allocation {
        *sums.entry(x.as_str()).or_default() += f;
    }
    let as_fraction = sums.values().all(|s| (s - 1.0).abs() < 1e-6)
        && sums.values().all(|s| (s - 100.0).abs() > 1e-6);
    let scale = if as_fraction { 1.0 } else { 0.01 };
    let n = d.exchanges.len();
    let mut splits: Vec<Split> = products
        .iter()
        .map(|&p| Split {
            product: p,
            factors: vec![0.0; n],
        })
        .collect();
    let mut covered = vec![false; n];
    for (cp, x, f) in &d.allocation {
        let cpi = *pos.get(cp.as_str()).ok_or_else(|| missing(cp))?;
        let xi = *pos.get(x.as_str()).ok_or_else(|| missing(x))?;
        let Some(s) = splits.iter_mut().find(|s| s.product == cpi) else {
            return Err(EcoSpoldError::Dataset {
                file: d.file.clone(),
                dataset: d.id.clone(),
                problem: format!(
                    "<allocation referenceToCoProduct=\"{cp}\"> names an exchange that is not a product output"
                ),
            });
        };
        s.factors[xi] += f * scale;
        covered[xi] = true;
    }
    let uncovered = (0..n)
        .filter(|&i| !covered[i] && !products.contains(&i))
        .count();
    let reference = splits
        .iter()
        .position(|s| d.exchanges[s.product].role == Some(Role::Product { reference: true }))
        .unwrap_or(0);
    if let Some(first) = splits.get_mut(reference) {
        for (i, f) in first.factors.iter_mut().enumerate() {
            if !covered[i] && !products.contains(&i) {
                *f = 1.0;
            }
        }
    }
    warn.push(format!(
        "multi-output dataset split into {} activities with its allocation factors ({}){}",
        splits.len(),
        if as_fraction { "fractions" } else { "percent" },
        if uncovered > 0 {
            format!(
                "; {uncovered} exchanges named by no allocation stay with the reference product"
            )
        } else {
            String::new()
        }
    ));
    // Keep the reference product's activity first.
    splits.sort_by_key(|s| d.exchanges[s.product].role != Some(Role::Product { reference: true }));
    Ok(splits)
}

fn collect_warnings(raw: &[RawDataset], notes: Vec<Notes>) -> Vec<DatasetWarning> {
    let mut out = Vec::new();
    for (d, n) in raw.iter().zip(notes) {
        let w = |message: String| DatasetWarning {
            dataset: d.id.clone(),
            message,
        };
        out.extend(n.messages.into_iter().map(w));
        if !n.cut_off.is_empty() {
            out.push(w(format!(
                "dropped {} technosphere exchange(s) whose product no dataset in this import produces (cut off): {}",
                n.cut_off.len(),
                n.cut_off.join("; ")
            )));
        }
        if !n.negative.is_empty() {
            out.push(w(format!(
                "{} intermediate output(s) that are not the reference product were entered as negative technosphere inputs of their producer: {}",
                n.negative.len(),
                n.negative.join("; ")
            )));
        }
        if !n.uncertainty.is_empty() {
            out.push(w(format!(
                "{} uncertainty distribution(s) do not fit their amount and were dropped: {}",
                n.uncertainty.len(),
                n.uncertainty.join("; ")
            )));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_translate_to_zuji_syntax() {
        assert_eq!(
            translate_formula("if(Coaltype=1;VOC_bit;0)"),
            "if(Coaltype==1,VOC_bit,0)"
        );
        assert_eq!(translate_formula("a<>b"), "a!=b");
        assert_eq!(translate_formula("a<=b"), "a<=b");
        assert_eq!(translate_formula("a==b"), "a==b");
    }

    #[test]
    fn period_formats() {
        assert_eq!(
            period(Some("2010-01-01"), Some("2012-12-31")).as_deref(),
            Some("2010-2012")
        );
        assert_eq!(
            period(Some("2010-01-01"), Some("2010-12-31")).as_deref(),
            Some("2010")
        );
        assert_eq!(period(None, None), None);
    }
}
