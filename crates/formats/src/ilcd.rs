//! ILCD import (and TianGong TIDAS, ILCD as JSON: see [`crate::tidas`]): a zip archive (`ILCD/processes/`, `ILCD/flows/`, `ILCD/flowproperties/`,
//! `ILCD/unitgroups/`, `ILCD/contacts/`, `ILCD/sources/`), an unpacked folder of one, or
//! a single dataset file, into one Zuji [`LciDatabase`].
//!
//! Every `.xml` file is streamed once with quick-xml's pull parser (no DOM; element
//! text capped at 64 KiB, nesting at 64 levels) and recognised by its root element, so
//! the folder layout does not matter and stylesheets, schemas and category files are
//! skipped after their first element. Contacts and sources are read for their UUID only:
//! Zuji's database has no place for them yet.
//!
//! # Rules
//!
//! * **Activities.** One per `processDataSet`; id = the process UUID, name =
//!   `baseName` (English where given), location =
//!   `locationOfOperationSupplyOrProduction/@location`, year = `referenceYear`, or
//!   `referenceYear-dataSetValidUntil` when both are given and differ.
//! * **Reference flow.** `quantitativeReference/referenceToReferenceFlow` names the
//!   exchange (by `dataSetInternalID`) that becomes the production exchange; an Output
//!   gives a positive production amount, an Input (a waste treatment) a negative one,
//!   so that a consumer's waste output (a negative input) is treated by it. When a
//!   process names several reference flows, the first is the activity's product and
//!   the others are handled like any other product output, with a warning (no
//!   allocation is applied).
//! * **Units.** ILCD states every exchange amount in its flow's *reference* flow
//!   property, in the reference unit of that property's unit group, so no conversion is
//!   needed: the unit is found by following flow → `flowProperty[@dataSetInternalID =
//!   referenceToReferenceFlowProperty]` → `referenceToFlowPropertyDataSet` → flow
//!   property → `referenceToReferenceUnitGroup` → unit group →
//!   `unit[@dataSetInternalID = referenceToReferenceUnit]/name`. A missing link is an
//!   error naming the file and the missing UUID.
//! * **Amounts.** `meanAmount`, multiplied by the value of `referenceToVariable` when
//!   one is given (that is ILCD's definition of `resultingAmount`); `resultingAmount`
//!   when there is no `meanAmount`, or when the variable cannot be evaluated (warning).
//! * **Elementary flows** (`typeOfDataSet` "Elementary flow") become biosphere
//!   exchanges with positive amounts for inputs and outputs alike (as the EcoSpold
//!   importers do: the characterisation factor carries the sign); flow id = flow UUID,
//!   compartment = the `elementaryFlowCategorization` categories joined by `/`, tagged
//!   with [`crate::ghg_flows::classify`].
//! * **Product, waste and other flows** link to the process whose (first) reference
//!   flow is that flow. Inputs become technosphere exchanges, outputs negative ones.
//!   A flow no process in the import makes, or that several make, cannot be linked
//!   and the exchange is **dropped with one warning per dataset** naming the flows.
//! * **Parameters.** `mathematicalRelations/variableParameter`s (`formula`,
//!   `meanValue`) are evaluated with [`evaluate_parameters`]; a formula Zuji cannot
//!   read or evaluate keeps `meanValue`, with a warning. A cyclic set is an error.
//! * **Uncertainty.** The ILCD schema's documentation of `relativeStandardDeviation95In`
//!   says: "For log-normal distribution the square of the geometric standard deviation
//!   (SDg²) is stated. Mean value times SDg² equals the 97.5% value … For normal
//!   distribution the doubled standard deviation value (2*SD) is entered", in percent
//!   of the mean. So log-normal: GSD = √value (openLCA's importer instead takes the value
//!   as the GSD itself; Zuji follows the schema); normal: sd = |amount| × value / 100 / 2;
//!   triangular and uniform: `minimumAmount`/`maximumAmount` (mode = the amount). A
//!   distribution that is undefined, incomplete or does not fit its amount becomes no
//!   uncertainty, with a warning per dataset.
//! * **ILCD+EPD** datasets (`typeOfDataSet` "EPD", or EN 15804 `epd:amount` module
//!   values in an exchange or LCIA result) carry aggregated module results (A1-A3, A4,
//!   C3, D …), not an inventory, and their indicator flows are external references.
//!   Such a dataset becomes an activity with its reference product only (module
//!   results are not an inventory, and the database has no stages); the warning per
//!   dataset gives its GWP per life-cycle stage as [`crate::epd`] maps the modules
//!   (module D apart, never in the total), plus every mapping caveat.
//!   [`import_ilcd_epd`] returns each data set ([`EpdDataset`]: reference flow, default
//!   scenarios, every [`EpdModuleAmount`]) for [`crate::epd::stages`], which turns it
//!   into per-stage supplier footprints a product model can use.
//! * **Transactional.** Any error returns `Err` and nothing else; it names the file
//!   (archive entries as `archive.zip!ILCD/processes/…`), the element and the problem.
//!   No input panics.

use crate::import::{DatasetWarning, ImportReport};
use crate::xml_walk::{Node, XmlError, XmlWalker, attr};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Cursor, Read, Seek};
use std::path::{Path, PathBuf};
use zuji_model::formula::{Definition, Expr, ParameterError, evaluate_parameters};
use zuji_model::lci::{
    Activity, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind, LciDatabase,
};
use zuji_model::uncertainty::Uncertainty;

/// Why an ILCD import failed. Every variant names the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum IlcdError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: zip archive: {message}")]
    Zip { file: String, message: String },
    #[error("{file}: byte {position}: malformed XML: {message}")]
    Xml {
        file: String,
        position: u64,
        message: String,
    },
    #[error("{file}: <{element}>: {problem}")]
    Invalid {
        file: String,
        element: String,
        problem: String,
    },
    /// An exchange points at a flow data set that is not in the import.
    #[error(
        "{file}: <exchange dataSetInternalID=\"{exchange}\">: refers to flow {flow}, which is not in the import (expected ILCD/flows/{flow}*.xml)"
    )]
    MissingFlow {
        file: String,
        exchange: String,
        flow: String,
    },
    /// A flow or flow property points at a data set that is not in the import.
    #[error("{file}: <{element}>: refers to {what} {uuid}, which is not in the import")]
    MissingReference {
        file: String,
        element: String,
        what: &'static str,
        uuid: String,
    },
    #[error("{file}: process {dataset}: {problem}")]
    Dataset {
        file: String,
        dataset: String,
        problem: String,
    },
    /// A TIDAS (ILCD as JSON) document that has no ILCD XML form.
    #[error("{file}: {path}: {problem}")]
    Tidas {
        file: String,
        path: String,
        problem: String,
    },
    #[error("{path}: no ILCD process data sets found")]
    Empty { path: String },
    #[error("{path}: the imported data sets do not form a database: {problem}")]
    Database { path: String, problem: String },
}

/// Where an EN 15804 module value of an ILCD+EPD data set is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpdSource {
    /// An exchange's `<common:other>`: an inventory indicator (energy use, waste …).
    Exchange,
    /// An `LCIAResult`'s `<common:other>`: an impact indicator (GWP …).
    LciaResult,
}

/// One `epd:amount`: the value of one indicator in one life-cycle module (A1-A3, A4,
/// C3, D …), per declared unit of the data set's reference flow.
///
/// These are what an EPD declares instead of an inventory; they are kept apart from
/// the [`LciDatabase`] (which has no stages per activity) so a caller can map modules
/// to a product model's stages without Zuji guessing an inventory from them.
#[derive(Debug, Clone, PartialEq)]
pub struct EpdModuleAmount {
    /// The process (EPD) UUID.
    pub process: String,
    pub source: EpdSource,
    /// The indicator's flow or LCIA method UUID, where the data set gives one.
    pub reference: Option<String>,
    /// The indicator as the data set names it (`common:shortDescription`, English
    /// where given).
    pub indicator: String,
    pub module: String,
    pub scenario: Option<String>,
    pub amount: f64,
}

/// One ILCD+EPD data set as [`crate::epd::stages`] needs it: its reference flow and
/// every module value it declares.
#[derive(Debug, Clone, PartialEq)]
pub struct EpdDataset {
    /// The process (EPD) UUID; also the activity id in the imported database.
    pub process: String,
    /// The file it was read from (archive entries as `archive.zip!ILCD/processes/…`).
    pub file: String,
    pub name: String,
    /// The reference flow's unit (flow → flow property → unit group reference unit).
    pub unit: String,
    /// The reference flow's amount: the module values are per this much product.
    pub reference_amount: f64,
    /// Scenarios marked `epd:default="true"` in `epd:scenarios`.
    pub default_scenarios: Vec<String>,
    /// Every `epd:amount`, in file order.
    pub modules: Vec<EpdModuleAmount>,
}

/// Imports an ILCD zip archive, an unpacked folder (any layout) or a single `.xml` file.
pub fn import_ilcd(path: &Path) -> Result<ImportReport, IlcdError> {
    import_ilcd_epd(path).map(|(report, _)| report)
}

/// As [`import_ilcd`], and also returns every EN 15804 module value of the ILCD+EPD
/// data sets (in file order), which the database itself does not hold.
pub fn import_ilcd_with_epd_modules(
    path: &Path,
) -> Result<(ImportReport, Vec<EpdModuleAmount>), IlcdError> {
    import_ilcd_epd(path)
        .map(|(report, sets)| (report, sets.into_iter().flat_map(|d| d.modules).collect()))
}

/// As [`import_ilcd`], and also returns each ILCD+EPD data set with its module values,
/// ready for [`crate::epd::stages`] (EN 15804 modules → life-cycle stages).
pub fn import_ilcd_epd(path: &Path) -> Result<(ImportReport, Vec<EpdDataset>), IlcdError> {
    let shown = path.display().to_string();
    let io = |source| IlcdError::Io {
        file: shown.clone(),
        source,
    };
    let docs = if path.is_dir() {
        let mut files = Vec::new();
        collect_xml(path, &mut files, 0)?;
        files.sort();
        let mut docs = Docs::default();
        for f in files {
            let name = f.display().to_string();
            let file = File::open(&f).map_err(|source| IlcdError::Io {
                file: name.clone(),
                source,
            })?;
            parse_any(&name, &mut BufReader::new(file), &mut docs)?;
        }
        docs
    } else {
        let file = File::open(path).map_err(io)?;
        let mut reader = BufReader::new(file);
        if is_xml(&shown) {
            let mut docs = Docs::default();
            parse_any(&shown, &mut reader, &mut docs)?;
            docs
        } else {
            read_zip(&shown, reader)?
        }
    };
    assemble(&shown, &stem(path), docs)
}

/// Imports an ILCD zip archive held in memory; `name` is used in messages and as the
/// database id. This is the entry point the fuzz target and property tests use.
pub fn import_ilcd_from_zip_bytes(bytes: &[u8], name: &str) -> Result<ImportReport, IlcdError> {
    let docs = read_zip(name, Cursor::new(bytes))?;
    let id = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ilcd".into());
    assemble(name, &id, docs).map(|(report, _)| report)
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ilcd".into())
}

fn is_xml(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !n.ends_with('/') && (n.ends_with(".xml") || crate::tidas::is_tidas_json(&n))
}

/// TIDAS data sets are larger than this only by mistake (or as a zip bomb).
const MAX_TIDAS_BYTES: u64 = 256 << 20;

/// Reads one file into `docs`: ILCD XML directly, TIDAS JSON through its XML form.
fn parse_any(file: &str, input: &mut dyn BufRead, docs: &mut Docs) -> Result<(), IlcdError> {
    if !crate::tidas::is_tidas_json(file) {
        return parse_file(file, input, docs);
    }
    let mut bytes = Vec::new();
    input
        .take(MAX_TIDAS_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|source| IlcdError::Io {
            file: file.to_string(),
            source,
        })?;
    match crate::tidas::tidas_json_to_xml(file, &bytes)? {
        Some(xml) => parse_file(file, &mut Cursor::new(xml), docs),
        None => Ok(()),
    }
}

/// Folders nested deeper than this are not followed (symlink loops stop here).
const MAX_FOLDER_DEPTH: usize = 16;

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), IlcdError> {
    if depth > MAX_FOLDER_DEPTH {
        return Ok(());
    }
    let io = |source| IlcdError::Io {
        file: dir.display().to_string(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let p = entry.map_err(io)?.path();
        if p.is_dir() {
            collect_xml(&p, out, depth + 1)?;
        } else if is_xml(&p.to_string_lossy()) {
            out.push(p);
        }
    }
    Ok(())
}

fn read_zip<R: Read + Seek>(shown: &str, input: R) -> Result<Docs, IlcdError> {
    let zip_err = |e: zip::result::ZipError| IlcdError::Zip {
        file: shown.to_string(),
        message: e.to_string(),
    };
    let mut archive = zip::ZipArchive::new(input).map_err(zip_err)?;
    let mut names = Vec::new();
    for n in archive.file_names() {
        let n = n.map_err(zip_err)?;
        if is_xml(&n) {
            names.push(n.into_owned());
        }
    }
    names.sort();
    let mut docs = Docs::default();
    for name in names {
        let entry = archive.by_name(&name).map_err(zip_err)?;
        let mut reader = BufReader::new(entry);
        parse_any(&format!("{shown}!{name}"), &mut reader, &mut docs)?;
    }
    Ok(docs)
}

// ---------------------------------------------------------------------------------
// What the reader keeps of each data set.
// ---------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Docs {
    processes: Vec<RawProcess>,
    flows: HashMap<String, RawFlow>,
    properties: HashMap<String, RawProperty>,
    unit_groups: HashMap<String, RawUnitGroup>,
    /// Contacts and sources, by UUID: only counted, Zuji has nowhere to keep them yet.
    others: usize,
    warnings: Vec<DatasetWarning>,
}

#[derive(Debug, Default)]
struct RawUnitGroup {
    file: String,
    reference: String,
    units: Vec<(String, String)>,
}

#[derive(Debug, Default)]
struct RawProperty {
    file: String,
    name: String,
    unit_group: Option<String>,
}

#[derive(Debug, Default)]
struct RawFlow {
    file: String,
    name: String,
    kind: String,
    categories: Vec<(u32, String)>,
    reference_property: String,
    /// (dataSetInternalID, flow property UUID)
    properties: Vec<(String, String)>,
}

#[derive(Debug, Default, Clone)]
struct RawExchange {
    id: String,
    flow: String,
    direction: Option<String>,
    mean: Option<f64>,
    resulting: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    distribution: Option<String>,
    rsd95: Option<f64>,
    variable: Option<String>,
    /// EN 15804 module amounts (`epd:amount`) found in this exchange.
    modules: usize,
}

#[derive(Debug, Default)]
struct RawParameter {
    name: String,
    formula: Option<String>,
    mean: Option<f64>,
}

#[derive(Debug, Default)]
struct RawProcess {
    file: String,
    uuid: String,
    name: String,
    /// The `baseName` in Chinese (`xml:lang` zh, zh-CN, zh-Hans …), where given.
    name_zh: Option<String>,
    location: Option<String>,
    reference_year: Option<String>,
    valid_until: Option<String>,
    kind: String,
    references: Vec<String>,
    exchanges: Vec<RawExchange>,
    parameters: Vec<RawParameter>,
    /// Module names seen in `epd:amount` (exchanges and LCIA results).
    modules: BTreeSet<String>,
    epd_values: Vec<EpdModuleAmount>,
    module_amounts: usize,
    lcia_results_with_modules: usize,
    /// Names of the scenarios the data set marks `epd:default="true"`.
    default_scenarios: Vec<String>,
}

// ---------------------------------------------------------------------------------
// Pull parser: element opens with attributes, closes with their text.
// ---------------------------------------------------------------------------------

/// The shared XML walker, with ILCD's error for invalid content.
struct Walker<'r>(XmlWalker<'r>);

impl<'r> Walker<'r> {
    fn new(file: &str, input: &'r mut dyn BufRead) -> Walker<'r> {
        Walker(XmlWalker::new(file, input))
    }

    fn next(&mut self) -> Result<Node, IlcdError> {
        self.0.next().map_err(IlcdError::from)
    }

    fn invalid(&self, element: &str, problem: String) -> IlcdError {
        IlcdError::Invalid {
            file: self.file.clone(),
            element: element.to_string(),
            problem,
        }
    }
}

impl<'r> std::ops::Deref for Walker<'r> {
    type Target = XmlWalker<'r>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<XmlError> for IlcdError {
    fn from(e: XmlError) -> Self {
        IlcdError::Xml {
            file: e.file,
            position: e.position,
            message: e.message,
        }
    }
}

fn number(w: &Walker, element: &str, text: &str) -> Result<f64, IlcdError> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| w.invalid(element, format!("'{text}' is not a number")))
}

// ---------------------------------------------------------------------------------
// Per-type readers.
// ---------------------------------------------------------------------------------

/// Reads one file into `docs`, dispatching on its root element; other roots are skipped.
fn parse_file(file: &str, input: &mut dyn BufRead, docs: &mut Docs) -> Result<(), IlcdError> {
    let mut w = Walker::new(file, input);
    let root = loop {
        match w.next()? {
            Node::Open { name, .. } => break name,
            Node::Close { .. } => continue,
            Node::Eof => return Ok(()),
        }
    };
    match root.as_str() {
        "processDataSet" => {
            let p = parse_process(&mut w)?;
            docs.processes.push(p);
        }
        "flowDataSet" => {
            let (uuid, f) = parse_flow(&mut w)?;
            keep(&mut docs.flows, uuid, f, "flow", &mut docs.warnings);
        }
        "flowPropertyDataSet" => {
            let (uuid, p) = parse_property(&mut w)?;
            keep(
                &mut docs.properties,
                uuid,
                p,
                "flow property",
                &mut docs.warnings,
            );
        }
        "unitGroupDataSet" => {
            let (uuid, g) = parse_unit_group(&mut w)?;
            keep(
                &mut docs.unit_groups,
                uuid,
                g,
                "unit group",
                &mut docs.warnings,
            );
        }
        "contactDataSet" | "sourceDataSet" => docs.others += 1,
        _ => {}
    }
    Ok(())
}

trait HasFile {
    fn file(&self) -> &str;
}
impl HasFile for RawFlow {
    fn file(&self) -> &str {
        &self.file
    }
}
impl HasFile for RawProperty {
    fn file(&self) -> &str {
        &self.file
    }
}
impl HasFile for RawUnitGroup {
    fn file(&self) -> &str {
        &self.file
    }
}

/// Archives may hold several versions of one data set; files are read in name order
/// (`<uuid>_<version>.xml`), so the last one read is the newest and is kept, with a
/// warning naming both files.
fn keep<T: HasFile>(
    map: &mut HashMap<String, T>,
    uuid: String,
    value: T,
    what: &str,
    warnings: &mut Vec<DatasetWarning>,
) {
    let new_file = value.file().to_string();
    if let Some(old) = map.insert(uuid.clone(), value) {
        warnings.push(DatasetWarning {
            dataset: uuid,
            message: format!(
                "{what} appears in both {} and {new_file}; the latter is used",
                old.file()
            ),
        });
    }
}

fn require_uuid(w: &Walker, uuid: String, root: &str) -> Result<String, IlcdError> {
    if uuid.is_empty() {
        Err(w.invalid(root, "the data set has no common:UUID".into()))
    } else {
        Ok(uuid)
    }
}

/// Picks the English text among language variants, else the first one.
fn set_lang(slot: &mut String, slot_is_en: &mut bool, text: String, lang: Option<&str>) {
    let en = lang.is_none_or(|l| l.eq_ignore_ascii_case("en"));
    if slot.is_empty() || (en && !*slot_is_en) {
        *slot = text;
        *slot_is_en = en;
    }
}

fn parse_unit_group(w: &mut Walker) -> Result<(String, RawUnitGroup), IlcdError> {
    let mut g = RawUnitGroup {
        file: w.file.clone(),
        ..Default::default()
    };
    let mut uuid = String::new();
    let mut unit_id: Option<String> = None;
    let mut unit_name = String::new();
    loop {
        match w.next()? {
            Node::Open { name, attrs } => {
                if name == "unit" && w.ancestor(2) == Some("units") {
                    unit_id = Some(attr(&attrs, "dataSetInternalID").unwrap_or("").to_string());
                    unit_name.clear();
                }
            }
            Node::Close { name, text } => match name.as_str() {
                "UUID" if w.ancestor(1) == Some("dataSetInformation") => uuid = text,
                "referenceToReferenceUnit" => g.reference = text,
                "name" if w.ancestor(1) == Some("unit") => unit_name = text,
                "unit" if w.ancestor(1) == Some("units") => {
                    if let Some(id) = unit_id.take() {
                        g.units.push((id, std::mem::take(&mut unit_name)));
                    }
                }
                _ => {}
            },
            Node::Eof => break,
        }
    }
    Ok((require_uuid(w, uuid, "unitGroupDataSet")?, g))
}

fn parse_property(w: &mut Walker) -> Result<(String, RawProperty), IlcdError> {
    let mut p = RawProperty {
        file: w.file.clone(),
        ..Default::default()
    };
    let mut uuid = String::new();
    let mut lang: Option<String> = None;
    let mut is_en = false;
    loop {
        match w.next()? {
            Node::Open { name, attrs } => {
                if name == "referenceToReferenceUnitGroup" {
                    p.unit_group = attr(&attrs, "refObjectId").map(str::to_string);
                }
                lang = attr(&attrs, "lang").map(str::to_string);
            }
            Node::Close { name, text } => match name.as_str() {
                "UUID" if w.ancestor(1) == Some("dataSetInformation") => uuid = text,
                "name" if w.ancestor(1) == Some("dataSetInformation") => {
                    set_lang(&mut p.name, &mut is_en, text, lang.as_deref())
                }
                _ => {}
            },
            Node::Eof => break,
        }
    }
    Ok((require_uuid(w, uuid, "flowPropertyDataSet")?, p))
}

fn parse_flow(w: &mut Walker) -> Result<(String, RawFlow), IlcdError> {
    let mut f = RawFlow {
        file: w.file.clone(),
        ..Default::default()
    };
    let mut uuid = String::new();
    let mut lang: Option<String> = None;
    let mut is_en = false;
    let mut level = 0u32;
    let mut property: Option<(String, String)> = None;
    loop {
        match w.next()? {
            Node::Open { name, attrs } => {
                lang = attr(&attrs, "lang").map(str::to_string);
                match name.as_str() {
                    "category" if w.inside("elementaryFlowCategorization") => {
                        level = attr(&attrs, "level")
                            .and_then(|l| l.trim().parse().ok())
                            .unwrap_or(f.categories.len() as u32);
                    }
                    "flowProperty" if w.ancestor(2) == Some("flowProperties") => {
                        let id = attr(&attrs, "dataSetInternalID").unwrap_or("").to_string();
                        property = Some((id, String::new()));
                    }
                    "referenceToFlowPropertyDataSet" => {
                        if let Some(p) = property.as_mut() {
                            p.1 = attr(&attrs, "refObjectId").unwrap_or("").to_string();
                        }
                    }
                    _ => {}
                }
            }
            Node::Close { name, text } => match name.as_str() {
                "UUID" if w.ancestor(1) == Some("dataSetInformation") => uuid = text,
                "baseName" if w.ancestor(1) == Some("name") => {
                    set_lang(&mut f.name, &mut is_en, text, lang.as_deref())
                }
                "category" if w.inside("elementaryFlowCategorization") => {
                    f.categories.push((level, text))
                }
                "referenceToReferenceFlowProperty" => f.reference_property = text,
                "typeOfDataSet" => f.kind = text,
                "flowProperty" if w.ancestor(1) == Some("flowProperties") => {
                    if let Some(p) = property.take() {
                        f.properties.push(p);
                    }
                }
                _ => {}
            },
            Node::Eof => break,
        }
    }
    f.categories.sort_by_key(|(l, _)| *l);
    Ok((require_uuid(w, uuid, "flowDataSet")?, f))
}

fn parse_process(w: &mut Walker) -> Result<RawProcess, IlcdError> {
    let mut p = RawProcess {
        file: w.file.clone(),
        ..Default::default()
    };
    let mut lang: Option<String> = None;
    let mut is_en = false;
    let mut exchange: Option<RawExchange> = None;
    let mut parameter: Option<RawParameter> = None;
    let mut lcia_has_modules = false;
    // (indicator UUID, indicator name, name is English) of the current exchange or
    // LCIA result, and the module/scenario of the open `epd:amount`.
    let mut indicator: (Option<String>, String, bool) = (None, String::new(), false);
    let mut pending_module: Option<(String, Option<String>)> = None;
    loop {
        match w.next()? {
            Node::Open { name, attrs } => {
                lang = attr(&attrs, "lang").map(str::to_string);
                match name.as_str() {
                    "LCIAResult" => indicator = (None, String::new(), false),
                    "referenceToLCIAMethodDataSet" => {
                        indicator.0 = attr(&attrs, "refObjectId").map(str::to_string);
                    }
                    "exchange" if w.ancestor(2) == Some("exchanges") => {
                        indicator = (None, String::new(), false);
                        exchange = Some(RawExchange {
                            id: attr(&attrs, "dataSetInternalID").unwrap_or("").to_string(),
                            ..Default::default()
                        });
                    }
                    "referenceToFlowDataSet" => {
                        if let Some(e) = exchange.as_mut() {
                            e.flow = attr(&attrs, "refObjectId").unwrap_or("").to_string();
                            indicator.0 = Some(e.flow.clone());
                        }
                    }
                    "locationOfOperationSupplyOrProduction" => {
                        p.location = attr(&attrs, "location").map(str::to_string);
                    }
                    "variableParameter" => {
                        parameter = Some(RawParameter {
                            name: attr(&attrs, "name").unwrap_or("").to_string(),
                            ..Default::default()
                        });
                    }
                    "scenario" if w.ancestor(2) == Some("scenarios") => {
                        if attr(&attrs, "default").is_some_and(|d| d.trim() == "true")
                            && let Some(n) = attr(&attrs, "name")
                        {
                            p.default_scenarios.push(n.to_string());
                        }
                    }
                    "amount" => {
                        if let Some(m) = attr(&attrs, "module") {
                            p.modules.insert(m.to_string());
                            pending_module =
                                Some((m.to_string(), attr(&attrs, "scenario").map(str::to_string)));
                        }
                    }
                    _ => {}
                }
            }
            Node::Close { name, text } => {
                let in_exchange = w.ancestor(1) == Some("exchange") && exchange.is_some();
                let in_parameter = w.ancestor(1) == Some("variableParameter");
                match name.as_str() {
                    "UUID" if w.ancestor(1) == Some("dataSetInformation") => p.uuid = text,
                    "baseName" if w.ancestor(1) == Some("name") => {
                        if p.name_zh.is_none()
                            && lang
                                .as_deref()
                                .is_some_and(|l| l.to_ascii_lowercase().starts_with("zh"))
                        {
                            p.name_zh = Some(text.clone());
                        }
                        set_lang(&mut p.name, &mut is_en, text, lang.as_deref())
                    }
                    "referenceToReferenceFlow" => p.references.push(text),
                    "referenceYear" => p.reference_year = Some(text),
                    "dataSetValidUntil" => p.valid_until = Some(text),
                    "typeOfDataSet" => p.kind = text,
                    "shortDescription"
                        if matches!(
                            w.ancestor(1),
                            Some("referenceToFlowDataSet" | "referenceToLCIAMethodDataSet")
                        ) =>
                    {
                        set_lang(&mut indicator.1, &mut indicator.2, text, lang.as_deref())
                    }
                    "amount" if pending_module.is_some() => {
                        // EN 15804 module values (`epd:amount module=…`), in an
                        // exchange's or an LCIA result's <common:other>.
                        let (module, scenario) = pending_module.take().unwrap_or_default();
                        let amount = number(w, "epd:amount", &text)?;
                        let in_lcia = w.inside("LCIAResult");
                        p.epd_values.push(EpdModuleAmount {
                            process: String::new(),
                            source: if in_lcia {
                                EpdSource::LciaResult
                            } else {
                                EpdSource::Exchange
                            },
                            reference: indicator.0.clone(),
                            indicator: indicator.1.clone(),
                            module,
                            scenario,
                            amount,
                        });
                        p.module_amounts += 1;
                        if let Some(e) = exchange.as_mut() {
                            e.modules += 1;
                        }
                        lcia_has_modules |= w.inside("LCIAResult");
                    }
                    "LCIAResult" if std::mem::take(&mut lcia_has_modules) => {
                        p.lcia_results_with_modules += 1;
                    }
                    "exchange" if w.ancestor(1) == Some("exchanges") => {
                        if let Some(e) = exchange.take() {
                            p.exchanges.push(e);
                        }
                    }
                    "variableParameter" => {
                        if let Some(v) = parameter.take() {
                            p.parameters.push(v);
                        }
                    }
                    "formula" if in_parameter => {
                        if let Some(v) = parameter.as_mut() {
                            v.formula = Some(text).filter(|t| !t.is_empty());
                        }
                    }
                    "meanValue" if in_parameter => {
                        let x = number(w, "meanValue", &text)?;
                        if let Some(v) = parameter.as_mut() {
                            v.mean = Some(x);
                        }
                    }
                    _ if in_exchange => {
                        let e = exchange
                            .as_mut()
                            .ok_or_else(|| w.invalid(&name, "outside an exchange".into()))?;
                        match name.as_str() {
                            "exchangeDirection" => e.direction = Some(text),
                            "meanAmount" => e.mean = Some(number(w, &name, &text)?),
                            "resultingAmount" => e.resulting = Some(number(w, &name, &text)?),
                            "minimumAmount" => e.min = Some(number(w, &name, &text)?),
                            "maximumAmount" => e.max = Some(number(w, &name, &text)?),
                            "uncertaintyDistributionType" => e.distribution = Some(text),
                            "relativeStandardDeviation95In" => {
                                e.rsd95 = Some(number(w, &name, &text)?)
                            }
                            "referenceToVariable" => {
                                e.variable = Some(text).filter(|t| !t.is_empty())
                            }
                            _ => {}
                        }
                    }
                    _ => {}
                }
            }
            Node::Eof => break,
        }
    }
    p.uuid = require_uuid(w, std::mem::take(&mut p.uuid), "processDataSet")?;
    for v in &mut p.epd_values {
        v.process = p.uuid.clone();
    }
    Ok(p)
}

// ---------------------------------------------------------------------------------
// Assembly: units, parameters, linking.
// ---------------------------------------------------------------------------------

/// A flow as the exchanges need it: resolved unit and kind.
struct FlowInfo {
    elementary: bool,
    unit: String,
}

fn resolve_flow(docs: &Docs, uuid: &str) -> Option<Result<FlowInfo, IlcdError>> {
    let f = docs.flows.get(uuid)?;
    Some(resolve_unit(docs, f).map(|unit| FlowInfo {
        elementary: f.kind.trim().eq_ignore_ascii_case("elementary flow"),
        unit,
    }))
}

/// Follows flow → reference flow property → unit group → reference unit.
fn resolve_unit(docs: &Docs, f: &RawFlow) -> Result<String, IlcdError> {
    let invalid = |file: &str, element: &str, problem: String| IlcdError::Invalid {
        file: file.to_string(),
        element: element.to_string(),
        problem,
    };
    let reference = f.reference_property.trim();
    let (_, property) = f
        .properties
        .iter()
        .find(|(id, _)| id.trim() == reference)
        .ok_or_else(|| {
            invalid(
                &f.file,
                "referenceToReferenceFlowProperty",
                format!("no <flowProperty dataSetInternalID=\"{reference}\"> in this flow"),
            )
        })?;
    let prop = docs
        .properties
        .get(property)
        .ok_or_else(|| IlcdError::MissingReference {
            file: f.file.clone(),
            element: "referenceToFlowPropertyDataSet".into(),
            what: "flow property",
            uuid: property.clone(),
        })?;
    let group_id = prop.unit_group.as_deref().ok_or_else(|| {
        invalid(
            &prop.file,
            "referenceToReferenceUnitGroup",
            "the flow property names no unit group".into(),
        )
    })?;
    let group = docs
        .unit_groups
        .get(group_id)
        .ok_or_else(|| IlcdError::MissingReference {
            file: prop.file.clone(),
            element: "referenceToReferenceUnitGroup".into(),
            what: "unit group",
            uuid: group_id.to_string(),
        })?;
    let reference = group.reference.trim();
    group
        .units
        .iter()
        .find(|(id, _)| id.trim() == reference)
        .map(|(_, n)| n.clone())
        .ok_or_else(|| {
            invalid(
                &group.file,
                "referenceToReferenceUnit",
                format!("no <unit dataSetInternalID=\"{reference}\"> in this unit group"),
            )
        })
}

fn is_epd(p: &RawProcess) -> bool {
    p.kind.trim().eq_ignore_ascii_case("EPD") || p.module_amounts > 0
}

/// The reference exchange of a process, or an error naming it.
fn reference_exchange(p: &RawProcess) -> Result<&RawExchange, IlcdError> {
    let first = p.references.first().ok_or_else(|| IlcdError::Invalid {
        file: p.file.clone(),
        element: "quantitativeReference".into(),
        problem: "no referenceToReferenceFlow".into(),
    })?;
    p.exchanges
        .iter()
        .find(|e| e.id.trim() == first.trim())
        .ok_or_else(|| IlcdError::Invalid {
            file: p.file.clone(),
            element: "referenceToReferenceFlow".into(),
            problem: format!("no <exchange dataSetInternalID=\"{first}\"> in this process"),
        })
}

fn is_input(p: &RawProcess, e: &RawExchange, reference: bool) -> Result<bool, IlcdError> {
    match e.direction.as_deref().map(str::trim) {
        Some("Input") => Ok(true),
        Some("Output") => Ok(false),
        // EPD samples leave the reference flow's direction out; it is the product.
        None if reference => Ok(false),
        other => Err(IlcdError::Invalid {
            file: p.file.clone(),
            element: "exchangeDirection".into(),
            problem: format!(
                "exchange {}: direction {} (expected Input or Output)",
                e.id,
                other.map_or("missing".to_string(), |d| format!("'{d}'"))
            ),
        }),
    }
}

/// Evaluates the process's parameters, keeping `meanValue` where a formula fails.
fn parameters(p: &RawProcess, warn: &mut Vec<String>) -> Result<BTreeMap<String, f64>, IlcdError> {
    let mut defs = BTreeMap::new();
    let mut stored = HashMap::new();
    for v in &p.parameters {
        if v.name.is_empty() {
            continue;
        }
        let mean = v.mean.unwrap_or(f64::NAN);
        stored.insert(v.name.clone(), mean);
        let def = match v.formula.as_deref() {
            None => Definition::Value(mean),
            Some(f) => match Expr::parse(f) {
                Ok(e) => Definition::Formula(e),
                Err(err) => {
                    warn.push(format!(
                        "parameter '{}': formula '{f}' cannot be read ({err}); kept meanValue {mean}",
                        v.name
                    ));
                    Definition::Value(mean)
                }
            },
        };
        defs.insert(v.name.clone(), def);
    }
    for _ in 0..=defs.len() {
        let (name, why) = match evaluate_parameters(&defs, &HashMap::new()) {
            Ok(values) => return Ok(values),
            Err(ParameterError::Cycle { cycle }) => {
                return Err(IlcdError::Dataset {
                    file: p.file.clone(),
                    dataset: p.uuid.clone(),
                    problem: format!("parameters form a cycle: {}", cycle.join(" → ")),
                });
            }
            Err(e) => {
                let name = match &e {
                    ParameterError::Formula { name, .. }
                    | ParameterError::Undefined { name, .. } => name.clone(),
                    ParameterError::Cycle { .. } => String::new(),
                };
                (name, e.to_string())
            }
        };
        let mean = stored.get(&name).copied().unwrap_or(f64::NAN);
        warn.push(format!("{why}; kept meanValue {mean} for '{name}'"));
        defs.insert(name, Definition::Value(mean));
    }
    Err(IlcdError::Dataset {
        file: p.file.clone(),
        dataset: p.uuid.clone(),
        problem: "parameters could not be evaluated".into(),
    })
}

/// The amount Zuji uses for an exchange; see the module rules.
fn amount(
    p: &RawProcess,
    e: &RawExchange,
    values: &BTreeMap<String, f64>,
    warn: &mut Vec<String>,
) -> Result<f64, IlcdError> {
    let stored = e.mean.or(e.resulting).ok_or_else(|| IlcdError::Invalid {
        file: p.file.clone(),
        element: "exchange".into(),
        problem: format!(
            "exchange {} (flow {}) has neither meanAmount nor resultingAmount",
            e.id, e.flow
        ),
    })?;
    let Some(var) = e.variable.as_deref() else {
        return Ok(stored);
    };
    match (e.mean, values.get(var).filter(|v| v.is_finite())) {
        (Some(mean), Some(v)) => Ok(mean * v),
        _ => {
            let kept = e.resulting.unwrap_or(stored);
            warn.push(format!(
                "exchange {}: variable '{var}' has no value; kept the stored amount {kept}",
                e.id
            ));
            Ok(kept)
        }
    }
}

/// The exchange's distribution around `amount`; see the module rules.
fn uncertainty(e: &RawExchange, amount: f64) -> Result<Uncertainty, String> {
    let Some(kind) = e.distribution.as_deref().map(str::trim) else {
        return Ok(Uncertainty::None);
    };
    let u = match kind {
        "" | "undefined" => return Ok(Uncertainty::None),
        "log-normal" => {
            let v = e
                .rsd95
                .ok_or("log-normal without relativeStandardDeviation95In")?;
            Uncertainty::Lognormal { gsd: v.sqrt() }
        }
        "normal" => {
            let v = e
                .rsd95
                .ok_or("normal without relativeStandardDeviation95In")?;
            Uncertainty::Normal {
                sd: amount.abs() * v / 100.0 / 2.0,
            }
        }
        "triangular" | "uniform" => {
            let (min, max) = match (e.min, e.max) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(format!("{kind} without minimumAmount and maximumAmount")),
            };
            if kind == "uniform" {
                Uncertainty::Uniform { min, max }
            } else {
                Uncertainty::Triangular {
                    min,
                    mode: Some(amount),
                    max,
                }
            }
        }
        other => return Err(format!("unknown uncertaintyDistributionType '{other}'")),
    };
    u.check(amount)?;
    Ok(u)
}

/// The same distribution for the negated amount.
fn negate(u: Uncertainty) -> Uncertainty {
    match u {
        Uncertainty::Triangular { min, mode, max } => Uncertainty::Triangular {
            min: -max,
            mode: mode.map(|m| -m),
            max: -min,
        },
        Uncertainty::Uniform { min, max } => Uncertainty::Uniform {
            min: -max,
            max: -min,
        },
        other => other,
    }
}

fn year(p: &RawProcess) -> Option<String> {
    fn clean(s: &Option<String>) -> Option<&str> {
        s.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    match (clean(&p.reference_year), clean(&p.valid_until)) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}-{b}")),
        (a, b) => a.or(b).map(str::to_string),
    }
}

fn assemble(
    path: &str,
    id: &str,
    mut docs: Docs,
) -> Result<(ImportReport, Vec<EpdDataset>), IlcdError> {
    if docs.processes.is_empty() {
        return Err(IlcdError::Empty {
            path: path.to_string(),
        });
    }
    docs.processes.sort_by(|a, b| a.file.cmp(&b.file));
    let mut warnings = std::mem::take(&mut docs.warnings);

    // Resolve every referenced flow first: a missing one is an error naming the process
    // file, the exchange and the UUID, before anything is built.
    let mut infos: HashMap<String, FlowInfo> = HashMap::new();
    for p in &docs.processes {
        let epd = is_epd(p);
        let reference = reference_exchange(p)?;
        for e in &p.exchanges {
            if epd && e.id != reference.id {
                continue;
            }
            if infos.contains_key(&e.flow) {
                continue;
            }
            match resolve_flow(&docs, &e.flow) {
                None => {
                    return Err(IlcdError::MissingFlow {
                        file: p.file.clone(),
                        exchange: e.id.clone(),
                        flow: e.flow.clone(),
                    });
                }
                Some(info) => {
                    infos.insert(e.flow.clone(), info?);
                }
            }
        }
    }

    // Two files with one process UUID would give two activities with one id; say which.
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for p in &docs.processes {
        if let Some(first) = seen.insert(&p.uuid, &p.file) {
            return Err(IlcdError::Dataset {
                file: p.file.clone(),
                dataset: p.uuid.clone(),
                problem: format!(
                    "the same process UUID is also in {first}; an archive holds one version of each process"
                ),
            });
        }
    }

    // Activities and who makes what (first reference flow only).
    let mut activities = Vec::with_capacity(docs.processes.len());
    let mut producers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in docs.processes.iter().enumerate() {
        let r = reference_exchange(p)?;
        producers.entry(r.flow.as_str()).or_default().push(i);
        let unit = infos
            .get(&r.flow)
            .map(|f| f.unit.clone())
            .unwrap_or_default();
        activities.push(Activity {
            id: p.uuid.clone(),
            name: if p.name.is_empty() {
                docs.flows
                    .get(&r.flow)
                    .map(|f| f.name.clone())
                    .unwrap_or_else(|| p.uuid.clone())
            } else {
                p.name.clone()
            },
            unit,
            name_zh: p.name_zh.clone(),
            location: p.location.clone().unwrap_or_default(),
            year: year(p),
            source: Some(p.file.clone()),
            category: Some(p.kind.clone()).filter(|k| !k.is_empty()),
            ..Default::default()
        });
    }

    let mut flows: Vec<ElementaryFlow> = Vec::new();
    let mut flow_pos: HashMap<String, usize> = HashMap::new();
    let mut exchanges = Vec::new();
    let mut epd_sets = Vec::new();
    for (a, p) in docs.processes.iter().enumerate() {
        let mut warn = Vec::new();
        let mut unlinked: BTreeSet<String> = BTreeSet::new();
        let mut ambiguous: BTreeSet<String> = BTreeSet::new();
        let mut bad_uncertainty = Vec::new();
        let reference = reference_exchange(p)?;
        let values = parameters(p, &mut warn)?;
        let epd = is_epd(p);
        if p.references.len() > 1 {
            warn.push(format!(
                "{} reference flows; Zuji keeps one product per activity: exchange {} is the reference product, the others are treated as ordinary outputs (no allocation applied)",
                p.references.len(),
                reference.id
            ));
        }
        if epd {
            let modules: Vec<&str> = p.modules.iter().map(String::as_str).collect();
            warn.push(format!(
                "ILCD+EPD data set: {} EN 15804 module values (modules {}, in {} exchanges and {} LCIA results) are declared results, not an inventory; the database activity carries only its reference flow (its own score is 0) and the module results are mapped to life-cycle stages by zuji_formats::epd",
                p.module_amounts,
                if modules.is_empty() {
                    "none given".to_string()
                } else {
                    modules.join(", ")
                },
                p.exchanges.iter().filter(|e| e.modules > 0).count(),
                p.lcia_results_with_modules,
            ));
            let reference_amount = amount(p, reference, &values, &mut Vec::new())?;
            let set = EpdDataset {
                process: p.uuid.clone(),
                file: p.file.clone(),
                name: activities[a].name.clone(),
                unit: activities[a].unit.clone(),
                reference_amount,
                default_scenarios: p.default_scenarios.clone(),
                modules: p.epd_values.clone(),
            };
            match crate::epd::stages(&set, &crate::epd::EpdOptions::default()) {
                Ok(st) => {
                    warn.push(st.summary());
                    warn.extend(st.warnings.iter().cloned());
                }
                Err(e) => warn.push(format!("EN 15804 modules not mapped to stages: {e}")),
            }
            epd_sets.push(set);
        }
        for e in &p.exchanges {
            let is_reference = e.id == reference.id;
            if epd && !is_reference {
                continue;
            }
            let input = is_input(p, e, is_reference)?;
            let x = amount(p, e, &values, &mut warn)?;
            let u = match uncertainty(e, x) {
                Ok(u) => u,
                Err(why) => {
                    bad_uncertainty.push(format!("exchange {}: {why}", e.id));
                    Uncertainty::None
                }
            };
            let info = infos.get(&e.flow).ok_or_else(|| IlcdError::MissingFlow {
                file: p.file.clone(),
                exchange: e.id.clone(),
                flow: e.flow.clone(),
            })?;
            if is_reference {
                if x == 0.0 || !x.is_finite() {
                    return Err(IlcdError::Invalid {
                        file: p.file.clone(),
                        element: "exchange".into(),
                        problem: format!(
                            "the reference flow (exchange {}) has amount {x}; it must be a non-zero number",
                            e.id
                        ),
                    });
                }
                let (amount, uncertainty) = if input { (-x, negate(u)) } else { (x, u) };
                exchanges.push(Exchange {
                    activity: a,
                    kind: ExchangeKind::Production,
                    input: a,
                    amount,
                    uncertainty,
                });
                continue;
            }
            if info.elementary {
                let pos = match flow_pos.get(&e.flow) {
                    Some(&i) => i,
                    None => {
                        let f = docs.flows.get(&e.flow);
                        let name = f.map(|f| f.name.clone()).unwrap_or_default();
                        let compartment = f
                            .map(|f| {
                                f.categories
                                    .iter()
                                    .map(|(_, c)| c.as_str())
                                    .collect::<Vec<_>>()
                                    .join("/")
                            })
                            .unwrap_or_default();
                        let tag = crate::ghg_flows::classify(&name, &compartment);
                        flows.push(ElementaryFlow {
                            id: e.flow.clone(),
                            name,
                            compartment,
                            unit: info.unit.clone(),
                            gas: tag.as_ref().map(|(g, _)| g.clone()),
                            origin: tag.map(|(_, o)| o),
                        });
                        flow_pos.insert(e.flow.clone(), flows.len() - 1);
                        flows.len() - 1
                    }
                };
                exchanges.push(Exchange {
                    activity: a,
                    kind: ExchangeKind::Biosphere,
                    input: pos,
                    amount: x,
                    uncertainty: u,
                });
                continue;
            }
            let provider = match producers.get(e.flow.as_str()).map(Vec::as_slice) {
                Some([one]) => *one,
                Some(many) if many.len() > 1 => {
                    ambiguous.insert(e.flow.clone());
                    continue;
                }
                _ => {
                    unlinked.insert(e.flow.clone());
                    continue;
                }
            };
            let (amount, uncertainty) = if input { (x, u) } else { (-x, negate(u)) };
            exchanges.push(Exchange {
                activity: a,
                kind: ExchangeKind::Technosphere,
                input: provider,
                amount,
                uncertainty,
            });
        }
        if !unlinked.is_empty() {
            warn.push(format!(
                "{} product/waste exchange(s) dropped: no process in the import has these flows as its reference flow: {}",
                unlinked.len(),
                unlinked.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if !ambiguous.is_empty() {
            warn.push(format!(
                "{} product/waste exchange(s) dropped: several processes in the import make these flows, so the provider is ambiguous: {}",
                ambiguous.len(),
                ambiguous.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        if !bad_uncertainty.is_empty() {
            warn.push(format!(
                "uncertainty not imported (treated as none): {}",
                bad_uncertainty.join("; ")
            ));
        }
        warnings.extend(warn.into_iter().map(|message| DatasetWarning {
            dataset: p.uuid.clone(),
            message,
        }));
    }

    let meta = DatabaseMeta {
        id: id.to_string(),
        version: String::new(),
        name: id.to_string(),
        description: Some(format!(
            "ILCD import: {} processes, {} flows, {} flow properties, {} unit groups, {} contacts/sources",
            docs.processes.len(),
            docs.flows.len(),
            docs.properties.len(),
            docs.unit_groups.len(),
            docs.others
        )),
        licence: None,
        source: Some(path.to_string()),
    };
    let db =
        LciDatabase::new(meta, activities, flows, exchanges, Vec::new()).map_err(|problem| {
            IlcdError::Database {
                path: path.to_string(),
                problem,
            }
        })?;
    Ok((ImportReport { db, warnings }, epd_sets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lognormal_value_is_the_squared_gsd() {
        let e = RawExchange {
            distribution: Some("log-normal".into()),
            rsd95: Some(2.25),
            ..Default::default()
        };
        assert_eq!(
            uncertainty(&e, 3.0),
            Ok(Uncertainty::Lognormal { gsd: 1.5 })
        );
        let n = RawExchange {
            distribution: Some("normal".into()),
            rsd95: Some(10.0),
            ..Default::default()
        };
        // 2·SD = 10 % of 4 → SD = 0.2
        assert_eq!(uncertainty(&n, -4.0), Ok(Uncertainty::Normal { sd: 0.2 }));
    }

    #[test]
    fn year_joins_reference_and_validity() {
        let mut p = RawProcess {
            reference_year: Some("2010".into()),
            valid_until: Some("2015".into()),
            ..Default::default()
        };
        assert_eq!(year(&p).as_deref(), Some("2010-2015"));
        p.valid_until = Some("2010".into());
        assert_eq!(year(&p).as_deref(), Some("2010"));
    }
}
