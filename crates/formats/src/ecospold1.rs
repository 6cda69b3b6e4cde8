//! EcoSpold1 import (ecoinvent v1/v2, USLCI's EcoSpold01 exports): a file with one or
//! many `<dataset>`s, a folder of such files, or a zip of them.
//!
//! The rules are those of [`crate::ecospold2`] (products, allocation, linking, signs,
//! warnings, transactional errors); what differs is how EcoSpold1 names things:
//!
//! * A dataset's id is its `number` when numbers are unique across the import, else
//!   `<file stem>/<number>` (bw2io-style folders number every file 1).
//! * Products have no ids: a technosphere input links to the dataset whose product
//!   has the same name, location and unit, else the same name and unit.
//! * Elementary flow id = `name|category/subCategory`; when the same name and
//!   compartment come in two units, the later ones get `|unit` appended and a warning,
//!   so amounts in different units are never summed.
//! * Uncertainty: `uncertaintyType` 1 lognormal with `standardDeviation95` = GSD²
//!   (so GSD = √sd95), 2 normal with sd95 = 2σ, 3 triangular, 4 uniform; 0 or absent
//!   is none. `formula` is a chemical formula in EcoSpold1, not a calculation.
//! * `<allocation>` fractions are percent per the spec, or shares when each exchange's
//!   fractions add up to 1 (USLCI writes 1.0 and 0.0).

use crate::ecospold2::{
    EcoSpoldError, Interner, Node, Progress, RawDataset, RawExchange, Role, Sym, XmlWalker,
    assemble, attr, default_compartment, num_attr, period, read_sources, refuse_impact_method,
    stem,
};
use crate::import::ImportReport;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;
use zuji_model::uncertainty::Uncertainty;

/// Imports an EcoSpold1 file (one or many `<dataset>`s), a folder of them, or a zip.
pub fn import_ecospold1(path: &Path) -> Result<ImportReport, EcoSpoldError> {
    import_ecospold1_with_progress(path, &|_, _| {})
}

/// [`import_ecospold1`], reporting (files read, files in all) as it goes.
pub fn import_ecospold1_with_progress(
    path: &Path,
    progress: &Progress,
) -> Result<ImportReport, EcoSpoldError> {
    let pool = Interner::default();
    let mut raw = read_sources(path, is_xml, |n, r| parse_ecospold1(n, r, &pool), progress)?;
    finish(&mut raw);
    assemble(&stem(path), &path.display().to_string(), raw)
}

/// Imports one EcoSpold1 document held in memory (fuzzing, tests, uploads).
pub fn import_ecospold1_from_str(name: &str, xml: &str) -> Result<ImportReport, EcoSpoldError> {
    import_ecospold1_from_reader(name, &mut xml.as_bytes())
}

/// Imports one EcoSpold1 document from a reader; `name` is used in messages and as id.
pub fn import_ecospold1_from_reader(
    name: &str,
    reader: &mut dyn BufRead,
) -> Result<ImportReport, EcoSpoldError> {
    let mut raw = parse_ecospold1(name, reader, &Interner::default())?;
    finish(&mut raw);
    assemble(&stem(Path::new(name)), name, raw)
}

fn is_xml(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let base = n.rsplit(['/', '\\']).next().unwrap_or(&n);
    n.ends_with(".xml") && !base.starts_with("categories")
}

/// Reads every `<dataset>` of one EcoSpold1 document.
fn parse_ecospold1(
    file: &str,
    input: &mut dyn BufRead,
    pool: &Interner,
) -> Result<Vec<RawDataset>, EcoSpoldError> {
    let mut w = XmlWalker::new(file, input, pool);
    let mut out = Vec::new();
    let mut ds: Option<RawDataset> = None;
    let mut ex: Option<RawExchange> = None;
    let mut allocation: Option<(String, f64)> = None;
    let mut years: (Option<String>, Option<String>) = (None, None);
    loop {
        match w.next()? {
            Node::Eof => break,
            Node::Open { name, attrs } => {
                if name == "ecoSpold" {
                    refuse_impact_method(file, &attrs)?;
                }
                if name == "dataset" {
                    ds = Some(RawDataset {
                        file: file.to_string(),
                        id: attr(&attrs, "number").unwrap_or_default().to_string(),
                        ..Default::default()
                    });
                    years = (None, None);
                    continue;
                }
                let Some(d) = ds.as_mut() else { continue };
                match name.as_str() {
                    "referenceFunction" => {
                        d.name = attr(&attrs, "name").unwrap_or_default().to_string();
                        d.category = match (attr(&attrs, "category"), attr(&attrs, "subCategory")) {
                            (Some(c), Some(s)) if !s.is_empty() => Some(format!("{c}/{s}")),
                            (Some(c), _) => Some(c.to_string()),
                            _ => None,
                        };
                        d.comment = attr(&attrs, "generalComment")
                            .filter(|c| !c.is_empty())
                            .map(str::to_string);
                    }
                    "geography" => {
                        d.location = attr(&attrs, "location").unwrap_or_default().to_string()
                    }
                    "exchange" => ex = Some(read_exchange(&w, &attrs, d)?),
                    "allocation" => {
                        let cp = attr(&attrs, "referenceToCoProduct").unwrap_or_default();
                        let f = num_attr(&w, &name, &attrs, "fraction")?.ok_or_else(|| {
                            w.invalid(&name, "an allocation needs a fraction".into())
                        })?;
                        allocation = Some((cp.to_string(), f));
                    }
                    _ => {}
                }
            }
            Node::Close { name, text } => {
                let Some(d) = ds.as_mut() else { continue };
                match name.as_str() {
                    "startYear" | "startDate" => years.0 = Some(text),
                    "endYear" | "endDate" => years.1 = Some(text),
                    "inputGroup" | "outputGroup" => {
                        if let Some(e) = ex.as_mut() {
                            set_role(&w, &name, &text, e)?;
                        }
                    }
                    "exchange" => {
                        if let Some(e) = ex.take() {
                            d.exchanges.push(check_exchange(&w, e)?);
                        }
                    }
                    "referenceToInputOutput" => {
                        if let Some((cp, f)) = &allocation {
                            d.allocation.push((cp.clone(), text, *f));
                        }
                    }
                    "allocation" => allocation = None,
                    "dataset" => {
                        let mut d = ds.take().unwrap_or_default();
                        d.year = period(years.0.as_deref(), years.1.as_deref());
                        promote_reference(&mut d);
                        if d.id.is_empty() {
                            d.id = format!("{}", out.len() + 1);
                        }
                        d.exchanges.shrink_to_fit(); // growth slack would stay for the whole import
                        out.push(d);
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(out)
}

fn read_exchange(
    w: &XmlWalker,
    attrs: &[(String, String)],
    d: &mut RawDataset,
) -> Result<RawExchange, EcoSpoldError> {
    let key = w.pool.get(attr(attrs, "number").unwrap_or_default());
    let mut e = RawExchange::new(key);
    e.name = w.pool.get(attr(attrs, "name").unwrap_or_default().trim());
    if e.name.is_empty() {
        return Err(w.invalid(
            "exchange",
            format!(
                "exchange number '{}' has no name: it does not say which flow it is",
                e.key
            ),
        ));
    }
    e.unit = w.pool.get(attr(attrs, "unit").unwrap_or_default());
    let location = attr(attrs, "location").unwrap_or_default();
    e.compartment = match (attr(attrs, "category"), attr(attrs, "subCategory")) {
        (Some(c), Some(s)) if !s.is_empty() && !c.is_empty() => w.pool.get(&format!("{c}/{s}")),
        (Some(c), _) => w.pool.get(c),
        _ => w.pool.get(""),
    };
    // Held here until the group says whether it is a product or an elementary flow.
    e.flow = w.pool.get(&format!("{}|{}|{}", e.name, location, e.unit));
    e.alt_flow = Some(w.pool.get(&format!("{}|{}", e.name, e.unit)));
    e.amount = num_attr(w, "exchange", attrs, "meanValue")?.ok_or_else(|| {
        w.invalid(
            "exchange",
            format!("exchange '{}' has no meanValue", e.name),
        )
    })?;
    if !e.amount.is_finite() {
        return Err(w.invalid(
            "exchange",
            format!(
                "exchange '{}' has meanValue {}, not a finite number",
                e.name, e.amount
            ),
        ));
    }
    e.uncertainty = match es1_uncertainty(w, attrs, e.amount)? {
        Ok(u) => u,
        Err(kind) => {
            d.notes.push(format!(
                "exchange '{}' ({}): uncertaintyType {kind} is not supported; kept without uncertainty",
                e.key, e.name
            ));
            Uncertainty::None
        }
    };
    Ok(e)
}

fn es1_uncertainty(
    w: &XmlWalker,
    attrs: &[(String, String)],
    amount: f64,
) -> Result<Result<Uncertainty, String>, EcoSpoldError> {
    let n = |k: &str| num_attr(w, "exchange", attrs, k);
    let kind = attr(attrs, "uncertaintyType")
        .unwrap_or("0")
        .trim()
        .to_string();
    let missing = |k: &str| w.invalid("exchange", format!("uncertaintyType {kind} needs {k}"));
    Ok(Ok(match kind.as_str() {
        "" | "0" => Uncertainty::None,
        "1" => Uncertainty::Lognormal {
            gsd: n("standardDeviation95")?
                .ok_or_else(|| missing("standardDeviation95"))?
                .sqrt(),
        },
        "2" => Uncertainty::Normal {
            sd: n("standardDeviation95")?.ok_or_else(|| missing("standardDeviation95"))? / 2.0,
        },
        "3" => Uncertainty::Triangular {
            min: n("minValue")?.ok_or_else(|| missing("minValue"))?,
            mode: Some(n("mostLikelyValue")?.unwrap_or(amount)),
            max: n("maxValue")?.ok_or_else(|| missing("maxValue"))?,
        },
        "4" => Uncertainty::Uniform {
            min: n("minValue")?.ok_or_else(|| missing("minValue"))?,
            max: n("maxValue")?.ok_or_else(|| missing("maxValue"))?,
        },
        other => return Ok(Err(other.to_string())),
    }))
}

fn set_role(
    w: &XmlWalker,
    element: &str,
    text: &str,
    e: &mut RawExchange,
) -> Result<(), EcoSpoldError> {
    let input = element == "inputGroup";
    e.role = Some(match (input, text) {
        (true, "4") => Role::Resource,
        (false, "4") => Role::Emission,
        (false, "0") => Role::Product { reference: true },
        (false, "2") => Role::Product { reference: false },
        (false, "1" | "3" | "5") => Role::TechOutput,
        (true, "1" | "2" | "3" | "5") => Role::TechInput,
        _ => {
            return Err(w.invalid(
                element,
                format!(
                    "'{text}' is not an EcoSpold1 {element} (exchange '{}')",
                    e.name
                ),
            ));
        }
    });
    Ok(())
}

/// EcoSpold1 names the reference product in `<referenceFunction>`; some exporters
/// (USLCI's Excel2EcoSpold) mark it as a by-product (`outputGroup` 2) instead of 0.
/// The by-product whose name is the reference function's is then the reference.
fn promote_reference(d: &mut RawDataset) {
    let has_reference = d
        .exchanges
        .iter()
        .any(|e| e.role == Some(Role::Product { reference: true }));
    if has_reference {
        return;
    }
    if let Some(e) = d
        .exchanges
        .iter_mut()
        .find(|e| e.role == Some(Role::Product { reference: false }) && *e.name == *d.name)
    {
        e.role = Some(Role::Product { reference: true });
        d.notes.push(format!(
            "the reference product '{}' is marked as a by-product (outputGroup 2); taken as the reference because <referenceFunction> names it",
            e.name
        ));
    }
}

/// Gives elementary exchanges their flow id once their group is known.
fn check_exchange(w: &XmlWalker, mut e: RawExchange) -> Result<RawExchange, EcoSpoldError> {
    match e.role {
        None => Err(w.invalid(
            "exchange",
            format!(
                "exchange '{}' has neither inputGroup nor outputGroup",
                e.name
            ),
        )),
        Some(Role::Emission | Role::Resource) => {
            if e.compartment.is_empty() {
                e.compartment = w.pool.get(default_compartment(e.role));
            }
            e.flow = w.pool.get(&format!("{}|{}", e.name, e.compartment));
            e.alt_flow = None;
            Ok(e)
        }
        Some(_) => Ok(e),
    }
}

/// Import-wide fixes: unique dataset ids, one unit per elementary flow id.
fn finish(raw: &mut [RawDataset]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in raw.iter() {
        *seen.entry(d.id.clone()).or_default() += 1;
    }
    if seen.values().any(|&c| c > 1) {
        let mut used: HashMap<String, usize> = HashMap::new();
        for d in raw.iter_mut() {
            let base = format!("{}/{}", stem(Path::new(&d.file)), d.id);
            let k = used.entry(base.clone()).or_default();
            *k += 1;
            d.id = if *k == 1 { base } else { format!("{base}#{k}") };
        }
    }
    let mut units: HashMap<Sym, Sym> = HashMap::new();
    for d in raw.iter_mut() {
        for e in &mut d.exchanges {
            if !matches!(e.role, Some(Role::Emission | Role::Resource)) {
                continue;
            }
            match units.get(&e.flow) {
                None => {
                    units.insert(e.flow.clone(), e.unit.clone());
                }
                Some(u) if *u == e.unit => {}
                Some(u) => {
                    d.notes.push(format!(
                        "elementary flow '{}' is in {} here but in {u} elsewhere; kept as a separate flow '{}|{}'",
                        e.flow, e.unit, e.flow, e.unit
                    ));
                    e.flow = Arc::from(format!("{}|{}", e.flow, e.unit));
                }
            }
        }
    }
}
