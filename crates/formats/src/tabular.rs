//! The tabular LCI layout: a folder with `activities.csv`, `flows.csv`,
//! `exchanges.csv`, `characterization.csv` and an optional `database.toml`.
//!
//! It is the lowest common denominator every LCA tool can export, so it must load
//! whole databases (20,000 activities, a million exchanges) quickly and say precisely
//! what is wrong with a file: every error names the file, the line, the column and the
//! problem. Required columns are found by header name, in any order; the optional
//! ones (`name_zh`, `year`, … on activities, `gas`, `origin` on flows, Brightway's
//! `uncertainty_type, loc, scale, min, max` on exchanges) are read when present and
//! written back when any row uses them, so reading and writing is lossless.
//!
//! Columns (UTF-8, header row, comma):
//! - `activities.csv`: `id,name,unit,location` [+ `name_zh,year,source,url,licence,status,category,comment`]
//! - `flows.csv`: `id,name,compartment,unit` [+ `gas,origin`]
//! - `exchanges.csv`: `activity_id,kind,input_id,amount` [+ `uncertainty_type,loc,scale,min,max`]
//! - `characterization.csv`: `method,flow_id,factor` (other columns ignored)

use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use zuji_model::gas::{Gas, Origin};
use zuji_model::lci::{
    Activity, CharacterisationMethod, DatabaseMeta, ElementaryFlow, Exchange, ExchangeKind,
    LciDatabase,
};
use zuji_model::uncertainty::Uncertainty;

pub const ACTIVITIES: &str = "activities.csv";
pub const FLOWS: &str = "flows.csv";
pub const EXCHANGES: &str = "exchanges.csv";
pub const CHARACTERIZATION: &str = "characterization.csv";
pub const DATABASE_TOML: &str = "database.toml";

/// A problem in a tabular database, located as precisely as it can be.
#[derive(Debug, thiserror::Error)]
pub enum TabularError {
    /// A value that cannot be used, in a known file, line and column.
    #[error("{file}:{line}: column '{column}': {problem}")]
    Field {
        file: String,
        line: u64,
        column: String,
        problem: String,
    },
    /// A required column is not in the header row.
    #[error("{file}: missing required column '{column}' (the header has: {found})")]
    MissingColumn {
        file: String,
        column: String,
        found: String,
    },
    /// A row that is not valid CSV (wrong number of fields, bad quoting).
    #[error("{file}:{line}: {problem}")]
    Row {
        file: String,
        line: u64,
        problem: String,
    },
    /// A whole-file problem (`database.toml` syntax, an empty file).
    #[error("{file}: {problem}")]
    File { file: String, problem: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Reads a tabular database from `dir`. Without `database.toml` the database's id is
/// the folder name and its version "unversioned".
pub fn read_tabular(dir: &Path) -> Result<LciDatabase, TabularError> {
    let open = |name: &str| -> Result<BufReader<File>, TabularError> {
        let path = dir.join(name);
        File::open(&path)
            .map(|f| BufReader::with_capacity(1 << 20, f))
            .map_err(|source| TabularError::Io { path, source })
    };
    let meta = read_meta(dir)?;
    let (activities, flows) = (open(ACTIVITIES)?, open(FLOWS)?);
    // exchanges.csv is read whole, to be parsed in parallel chunks.
    let path = dir.join(EXCHANGES);
    let exchanges = std::fs::read(&path).map_err(|source| TabularError::Io { path, source })?;
    read_tables(meta, activities, flows, &exchanges, open(CHARACTERIZATION)?)
}

/// Reads the four tables from strings (the fuzzing and testing entry point; the file
/// reader goes through the same code). The metadata is left at its defaults.
pub fn read_tabular_from_strings(
    activities: &str,
    flows: &str,
    exchanges: &str,
    characterization: &str,
) -> Result<LciDatabase, TabularError> {
    let meta = DatabaseMeta {
        version: "unversioned".into(),
        ..Default::default()
    };
    read_tables(
        meta,
        activities.as_bytes(),
        flows.as_bytes(),
        exchanges.as_bytes(),
        characterization.as_bytes(),
    )
}

/// `database.toml`, all fields optional.
#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]
struct MetaFile {
    id: Option<String>,
    version: Option<String>,
    name: Option<String>,
    description: Option<String>,
    licence: Option<String>,
    source: Option<String>,
}

fn read_meta(dir: &Path) -> Result<DatabaseMeta, TabularError> {
    let path = dir.join(DATABASE_TOML);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(source) => return Err(TabularError::Io { path, source }),
    };
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "database".into());
    meta_from_text(text.as_deref(), folder)
}

fn meta_from_text(text: Option<&str>, folder: String) -> Result<DatabaseMeta, TabularError> {
    let file: MetaFile = match text {
        Some(text) => toml::from_str(text).map_err(|e| TabularError::File {
            file: DATABASE_TOML.into(),
            problem: e.to_string(),
        })?,
        None => MetaFile::default(),
    };
    let id = file.id.unwrap_or(folder);
    Ok(DatabaseMeta {
        name: file.name.unwrap_or_else(|| id.clone()),
        id,
        version: file.version.unwrap_or_else(|| "unversioned".into()),
        description: file.description,
        licence: file.licence,
        source: file.source,
    })
}

/// Id → position. Ids are looked up once or twice per exchange, a million times for a
/// large database, so the map uses a fast non-cryptographic hash (FxHash's mixing)
/// instead of SipHash; the input is a local file, not an adversary.
type IdIndex = HashMap<String, usize, BuildHasherDefault<FxHasher>>;

#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One CSV table being read: its name for messages, header positions, current line.
struct Table<R: Read> {
    file: &'static str,
    reader: csv::Reader<R>,
    header: Vec<String>,
    record: csv::ByteRecord,
    /// Lines of the file before this reader's input (for a chunk of a larger file).
    line_offset: u64,
}

/// The CSV dialect of the layout: comma, `"` quotes; fields are trimmed by
/// [`Table::text`] as they are used, and field counts checked by [`Table::next`], so
/// that whole files and chunks report alike.
fn csv_reader<R: Read>(input: R, has_headers: bool) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(has_headers)
        .flexible(true)
        .from_reader(input)
}

impl<R: Read> Table<R> {
    fn new(file: &'static str, input: R) -> Result<Table<R>, TabularError> {
        let mut reader = csv_reader(input, true);
        let header = reader
            .byte_headers()
            .map_err(|e| csv_error(file, &e, 0))?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                // A byte-order mark, as spreadsheet programs write, is not part of the name.
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_ascii_lowercase()
            })
            .collect::<Vec<_>>();
        if header.iter().all(|h| h.is_empty()) {
            return Err(TabularError::File {
                file: file.into(),
                problem: "no header row".into(),
            });
        }
        Ok(Table {
            file,
            reader,
            header,
            record: csv::ByteRecord::new(),
            line_offset: 0,
        })
    }

    /// A reader for rows without a header line, under a header already read, starting
    /// after `line_offset` lines of the file.
    fn headerless(file: &'static str, input: R, header: Vec<String>, line_offset: u64) -> Table<R> {
        Table {
            file,
            reader: csv_reader(input, false),
            header,
            record: csv::ByteRecord::new(),
            line_offset,
        }
    }

    fn required(&self, name: &str) -> Result<usize, TabularError> {
        self.optional(name)
            .ok_or_else(|| TabularError::MissingColumn {
                file: self.file.into(),
                column: name.into(),
                found: self.header.join(","),
            })
    }

    fn optional(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Advances to the next row; false at the end. Blank lines are skipped by csv.
    fn next(&mut self) -> Result<bool, TabularError> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(self.file, &e, self.line_offset))?;
        if more && self.record.len() != self.header.len() {
            return Err(TabularError::Row {
                file: self.file.into(),
                line: self.line(),
                problem: format!(
                    "the row has {} fields but the header has {}",
                    self.record.len(),
                    self.header.len()
                ),
            });
        }
        Ok(more)
    }

    fn line(&self) -> u64 {
        self.line_offset + self.record.position().map(|p| p.line()).unwrap_or(0)
    }

    fn error(&self, col: usize, problem: impl Into<String>) -> TabularError {
        TabularError::Field {
            file: self.file.into(),
            line: self.line(),
            column: self.header.get(col).cloned().unwrap_or_default(),
            problem: problem.into(),
        }
    }

    /// The text of column `col` in the current row (trimmed; empty if absent).
    fn text(&self, col: usize) -> Result<&str, TabularError> {
        std::str::from_utf8(self.record.get(col).unwrap_or(b""))
            .map(str::trim)
            .map_err(|_| self.error(col, "not valid UTF-8"))
    }

    fn non_empty(&self, col: usize) -> Result<&str, TabularError> {
        let t = self.text(col)?;
        if t.is_empty() {
            Err(self.error(col, "is empty"))
        } else {
            Ok(t)
        }
    }

    fn opt_text(&self, col: Option<usize>) -> Result<Option<String>, TabularError> {
        match col {
            None => Ok(None),
            Some(c) => {
                let t = self.text(c)?;
                Ok(if t.is_empty() {
                    None
                } else {
                    Some(t.to_string())
                })
            }
        }
    }

    fn number(&self, col: usize) -> Result<f64, TabularError> {
        let t = self.text(col)?;
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(_) => Err(self.error(col, format!("'{t}' is not a finite number"))),
            Err(_) if t.is_empty() => Err(self.error(col, "is empty; a number is needed")),
            Err(_) => Err(self.error(col, format!("'{t}' is not a number"))),
        }
    }

    fn opt_number(&self, col: Option<usize>) -> Result<Option<f64>, TabularError> {
        match col {
            Some(c) if !self.text(c)?.is_empty() => self.number(c).map(Some),
            _ => Ok(None),
        }
    }
}

fn csv_error(file: &str, e: &csv::Error, line_offset: u64) -> TabularError {
    let line = line_offset + e.position().map(|p| p.line()).unwrap_or(0);
    let problem = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    };
    TabularError::Row {
        file: file.into(),
        line,
        problem,
    }
}

const ACTIVITY_OPTIONAL: [&str; 8] = [
    "name_zh", "year", "source", "url", "licence", "status", "category", "comment",
];
const UNCERTAINTY_COLUMNS: [&str; 5] = ["uncertainty_type", "loc", "scale", "min", "max"];

/// The shared reader behind [`read_tabular`] and [`read_tabular_from_strings`].
fn read_tables(
    meta: DatabaseMeta,
    activities: impl Read,
    flows: impl Read,
    exchanges: &[u8],
    characterization: impl Read,
) -> Result<LciDatabase, TabularError> {
    let (activities, activity_index) = read_activities(activities)?;
    let (flows, flow_index) = read_flows(flows)?;
    let exchanges = read_exchanges(exchanges, &activity_index, &flow_index)?;
    let methods = read_characterization(characterization, &flow_index)?;
    drop((activity_index, flow_index));
    // Ids were checked unique and positions resolved above, so this cannot fail;
    // should it, say so rather than panic.
    LciDatabase::new(meta, activities, flows, exchanges, methods).map_err(|problem| {
        TabularError::File {
            file: EXCHANGES.into(),
            problem,
        }
    })
}

fn read_activities(input: impl Read) -> Result<(Vec<Activity>, IdIndex), TabularError> {
    let mut t = Table::new(ACTIVITIES, input)?;
    let [id, name, unit, location] = [
        t.required("id")?,
        t.required("name")?,
        t.required("unit")?,
        t.required("location")?,
    ];
    let opt = ACTIVITY_OPTIONAL.map(|c| t.optional(c));
    let mut list = Vec::new();
    let mut index = IdIndex::default();
    while t.next()? {
        let a = Activity {
            id: t.non_empty(id)?.to_string(),
            name: t.text(name)?.to_string(),
            unit: t.text(unit)?.to_string(),
            location: t.text(location)?.to_string(),
            name_zh: t.opt_text(opt[0])?,
            year: t.opt_text(opt[1])?,
            source: t.opt_text(opt[2])?,
            url: t.opt_text(opt[3])?,
            licence: t.opt_text(opt[4])?,
            status: t.opt_text(opt[5])?,
            category: t.opt_text(opt[6])?,
            comment: t.opt_text(opt[7])?,
        };
        if let Some(first) = index.insert(a.id.clone(), list.len()) {
            return Err(t.error(
                id,
                format!("duplicate id '{}' (first on data row {})", a.id, first + 1),
            ));
        }
        list.push(a);
    }
    Ok((list, index))
}

fn read_flows(input: impl Read) -> Result<(Vec<ElementaryFlow>, IdIndex), TabularError> {
    let mut t = Table::new(FLOWS, input)?;
    let [id, name, compartment, unit] = [
        t.required("id")?,
        t.required("name")?,
        t.required("compartment")?,
        t.required("unit")?,
    ];
    let (gas, origin) = (t.optional("gas"), t.optional("origin"));
    let mut list = Vec::new();
    let mut index = IdIndex::default();
    while t.next()? {
        let f = ElementaryFlow {
            id: t.non_empty(id)?.to_string(),
            name: t.text(name)?.to_string(),
            compartment: t.text(compartment)?.to_string(),
            unit: t.text(unit)?.to_string(),
            gas: match t.opt_text(gas)? {
                None => None,
                Some(g) => Some(Gas::parse(&g).map_err(|p| t.error(gas.unwrap_or(0), p))?),
            },
            origin: match t.opt_text(origin)? {
                None => None,
                Some(o) => Some(Origin::parse(&o).map_err(|p| t.error(origin.unwrap_or(0), p))?),
            },
        };
        if let Some(first) = index.insert(f.id.clone(), list.len()) {
            return Err(t.error(
                id,
                format!("duplicate id '{}' (first on data row {})", f.id, first + 1),
            ));
        }
        list.push(f);
    }
    Ok((list, index))
}

/// Positions of the exchanges.csv columns.
struct ExchangeColumns {
    activity_id: usize,
    kind: usize,
    input_id: usize,
    amount: usize,
    uncertainty: [Option<usize>; 5],
}

impl ExchangeColumns {
    fn of<R: Read>(t: &Table<R>) -> Result<ExchangeColumns, TabularError> {
        Ok(ExchangeColumns {
            activity_id: t.required("activity_id")?,
            kind: t.required("kind")?,
            input_id: t.required("input_id")?,
            amount: t.required("amount")?,
            uncertainty: UNCERTAINTY_COLUMNS.map(|c| t.optional(c)),
        })
    }
}

/// Below this size exchanges.csv is parsed in one piece.
const PARALLEL_CHUNK: usize = 1 << 20;

/// Reads exchanges.csv. A large file without quotes (so every newline ends a row) is
/// cut at newlines into chunks parsed in parallel — most of a database's loading time
/// is here — and errors still carry the file's own line numbers.
fn read_exchanges(
    data: &[u8],
    activities: &IdIndex,
    flows: &IdIndex,
) -> Result<Vec<Exchange>, TabularError> {
    let simple = !data.contains(&b'"') && !matches!(data.first(), Some(b'\n' | b'\r'));
    let header_end = data.iter().position(|&b| b == b'\n').map(|p| p + 1);
    let (Some(header_end), true) = (header_end, simple) else {
        let mut t = Table::new(EXCHANGES, data)?;
        let cols = ExchangeColumns::of(&t)?;
        let mut list = Vec::new();
        read_exchange_rows(&mut t, &cols, activities, flows, &mut list)?;
        return Ok(list);
    };
    let head = Table::new(EXCHANGES, &data[..header_end])?;
    let cols = ExchangeColumns::of(&head)?;
    let header = head.header;
    let body = &data[header_end..];
    let chunks = split_at_newlines(
        body,
        (body.len() / PARALLEL_CHUNK).clamp(1, 4 * rayon::current_num_threads()),
    );
    let newlines: Vec<u64> = chunks
        .par_iter()
        .map(|c| c.iter().filter(|&&b| b == b'\n').count() as u64)
        .collect();
    let offsets: Vec<u64> = newlines
        .iter()
        .scan(1u64, |line, n| {
            let start = *line;
            *line += n;
            Some(start)
        })
        .collect();
    let parts: Vec<Result<Vec<Exchange>, TabularError>> = chunks
        .par_iter()
        .zip(offsets)
        .map(|(chunk, offset)| {
            let mut t = Table::headerless(EXCHANGES, *chunk, header.clone(), offset);
            let mut list = Vec::with_capacity(chunk.len() / 40);
            read_exchange_rows(&mut t, &cols, activities, flows, &mut list)?;
            Ok(list)
        })
        .collect();
    let mut list = Vec::with_capacity(parts.iter().map(|p| p.as_ref().map_or(0, Vec::len)).sum());
    for part in parts {
        list.extend(part?);
    }
    Ok(list)
}

/// Cuts `data` into about `n` pieces, each ending just after a newline (the last at
/// the end of the data).
fn split_at_newlines(data: &[u8], n: usize) -> Vec<&[u8]> {
    let mut pieces = Vec::with_capacity(n);
    let mut start = 0;
    for k in 1..n {
        let target = (data.len() * k / n).max(start);
        match data[target..].iter().position(|&b| b == b'\n') {
            Some(p) => {
                pieces.push(&data[start..target + p + 1]);
                start = target + p + 1;
            }
            None => break,
        }
    }
    pieces.push(&data[start..]);
    pieces
}

fn read_exchange_rows<R: Read>(
    t: &mut Table<R>,
    c: &ExchangeColumns,
    activities: &IdIndex,
    flows: &IdIndex,
    list: &mut Vec<Exchange>,
) -> Result<(), TabularError> {
    while t.next()? {
        list.push(exchange_row(t, c, activities, flows)?);
    }
    Ok(())
}

fn exchange_row<R: Read>(
    t: &Table<R>,
    c: &ExchangeColumns,
    activities: &IdIndex,
    flows: &IdIndex,
) -> Result<Exchange, TabularError> {
    let a_text = t.non_empty(c.activity_id)?;
    let activity = *activities
        .get(a_text)
        .ok_or_else(|| t.error(c.activity_id, format!("unknown activity id '{a_text}'")))?;
    let kind = ExchangeKind::parse(t.text(c.kind)?).map_err(|p| t.error(c.kind, p))?;
    let i_text = t.text(c.input_id)?;
    let input = match kind {
        ExchangeKind::Production if i_text.is_empty() || i_text == a_text => activity,
        ExchangeKind::Production => {
            return Err(t.error(
                c.input_id,
                format!("a production exchange's input_id must be the activity itself ('{a_text}'), got '{i_text}'"),
            ));
        }
        ExchangeKind::Technosphere => *activities
            .get(i_text)
            .ok_or_else(|| t.error(c.input_id, format!("unknown activity id '{i_text}'")))?,
        ExchangeKind::Biosphere => *flows
            .get(i_text)
            .ok_or_else(|| t.error(c.input_id, format!("unknown flow id '{i_text}'")))?,
    };
    let amount = t.number(c.amount)?;
    let [utype, loc, scale, min, max] = c.uncertainty;
    let uncertainty = match utype {
        None => Uncertainty::None,
        Some(col) => Uncertainty::from_brightway(
            t.text(col)?,
            amount,
            t.opt_number(loc)?,
            t.opt_number(scale)?,
            t.opt_number(min)?,
            t.opt_number(max)?,
        )
        .map_err(|p| t.error(col, p))?,
    };
    Ok(Exchange {
        activity,
        kind,
        input,
        amount,
        uncertainty,
    })
}

fn read_characterization(
    input: impl Read,
    flows: &IdIndex,
) -> Result<Vec<CharacterisationMethod>, TabularError> {
    let mut t = Table::new(CHARACTERIZATION, input)?;
    let [method, flow_id, factor] = [
        t.required("method")?,
        t.required("flow_id")?,
        t.required("factor")?,
    ];
    let mut methods: Vec<CharacterisationMethod> = Vec::new();
    let mut by_name: IdIndex = IdIndex::default();
    while t.next()? {
        let name = t.non_empty(method)?;
        let f = t.text(flow_id)?;
        let flow = *flows
            .get(f)
            .ok_or_else(|| t.error(flow_id, format!("unknown flow id '{f}'")))?;
        let value = t.number(factor)?;
        let m = match by_name.get(name) {
            Some(&m) => m,
            None => {
                by_name.insert(name.to_string(), methods.len());
                methods.push(CharacterisationMethod {
                    name: name.to_string(),
                    factors: Vec::new(),
                });
                methods.len() - 1
            }
        };
        methods[m].factors.push((flow, value));
    }
    Ok(methods)
}

/// Writes `db` as a tabular folder (created if missing), with `database.toml`, the
/// optional columns any row uses, and uncertainty columns when any exchange has one.
/// Numbers are written in Rust's shortest round-trip form, so reading back gives the
/// same values.
pub fn write_tabular(db: &LciDatabase, dir: &Path) -> Result<(), TabularError> {
    std::fs::create_dir_all(dir).map_err(|source| TabularError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    write_meta(db, dir)?;
    write_csv(dir, ACTIVITIES, |w| write_activities(db, w))?;
    write_csv(dir, FLOWS, |w| write_flows(db, w))?;
    write_csv(dir, EXCHANGES, |w| write_exchanges(db, w))?;
    write_csv(dir, CHARACTERIZATION, |w| write_characterization(db, w))
}

fn write_meta(db: &LciDatabase, dir: &Path) -> Result<(), TabularError> {
    let text = meta_text(db)?;
    let path = dir.join(DATABASE_TOML);
    std::fs::write(&path, text).map_err(|source| TabularError::Io { path, source })
}

fn meta_text(db: &LciDatabase) -> Result<String, TabularError> {
    let m = &db.meta;
    let file = MetaFile {
        id: Some(m.id.clone()),
        version: Some(m.version.clone()),
        name: Some(m.name.clone()),
        description: m.description.clone(),
        licence: m.licence.clone(),
        source: m.source.clone(),
    };
    toml::to_string(&file).map_err(|e| TabularError::File {
        file: DATABASE_TOML.into(),
        problem: e.to_string(),
    })
}

type CsvOut = csv::Writer<BufWriter<File>>;

fn write_csv(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut CsvOut) -> Result<(), csv::Error>,
) -> Result<(), TabularError> {
    let path = dir.join(name);
    let io_err = |path: &Path, e: csv::Error| TabularError::Io {
        path: path.to_path_buf(),
        source: io::Error::other(e),
    };
    let file = File::create(&path).map_err(|source| TabularError::Io {
        path: path.clone(),
        source,
    })?;
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file));
    body(&mut w).map_err(|e| io_err(&path, e))?;
    w.flush()
        .map_err(|source| TabularError::Io { path, source })
}

/// Writes `db` in the tabular layout as one zip archive in memory (the four CSV files and
/// `database.toml` at its root): how the platform stores a database version.
pub fn write_tabular_zip(db: &LciDatabase) -> Result<Vec<u8>, TabularError> {
    use zip::write::SimpleFileOptions;
    let zip_err = |e: zip::result::ZipError| TabularError::File {
        file: "(zip)".into(),
        problem: e.to_string(),
    };
    let csv_err = |file: &str, e: csv::Error| TabularError::File {
        file: file.into(),
        problem: e.to_string(),
    };
    let mut zip = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(DATABASE_TOML, options).map_err(zip_err)?;
    zip.write_all(meta_text(db)?.as_bytes())
        .map_err(|e| zip_err(e.into()))?;
    type Body = fn(&LciDatabase, &mut csv::Writer<Vec<u8>>) -> Result<(), csv::Error>;
    let tables: [(&str, Body); 4] = [
        (ACTIVITIES, write_activities),
        (FLOWS, write_flows),
        (EXCHANGES, write_exchanges),
        (CHARACTERIZATION, write_characterization),
    ];
    for (name, body) in tables {
        let mut w = csv::Writer::from_writer(Vec::new());
        body(db, &mut w).map_err(|e| csv_err(name, e))?;
        let bytes = w
            .into_inner()
            .map_err(|e| csv_err(name, csv::Error::from(e.into_error())))?;
        zip.start_file(name, options).map_err(zip_err)?;
        zip.write_all(&bytes).map_err(|e| zip_err(e.into()))?;
    }
    Ok(zip.finish().map_err(zip_err)?.into_inner())
}

/// Reads a database written by [`write_tabular_zip`] (or any zip holding the tabular
/// files at its root). `fallback_id` is the id when the archive has no `database.toml`.
pub fn read_tabular_zip(bytes: &[u8], fallback_id: &str) -> Result<LciDatabase, TabularError> {
    let zip_err = |file: &str, e: zip::result::ZipError| TabularError::File {
        file: file.into(),
        problem: e.to_string(),
    };
    let mut archive =
        zip::ZipArchive::new(io::Cursor::new(bytes)).map_err(|e| zip_err("(zip)", e))?;
    let mut entry = |name: &str, required: bool| -> Result<Option<Vec<u8>>, TabularError> {
        let mut file = match archive.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) if !required => return Ok(None),
            Err(e) => return Err(zip_err(name, e)),
        };
        let mut buf = Vec::new();
        file.read_to_end(&mut buf).map_err(|e| TabularError::File {
            file: name.into(),
            problem: e.to_string(),
        })?;
        Ok(Some(buf))
    };
    let meta_bytes = entry(DATABASE_TOML, false)?;
    let meta_text = match &meta_bytes {
        Some(b) => Some(std::str::from_utf8(b).map_err(|e| TabularError::File {
            file: DATABASE_TOML.into(),
            problem: e.to_string(),
        })?),
        None => None,
    };
    let meta = meta_from_text(meta_text, fallback_id.to_string())?;
    let mut table = |name: &str| -> Result<Vec<u8>, TabularError> {
        Ok(entry(name, true)?.unwrap_or_default())
    };
    let (activities, flows) = (table(ACTIVITIES)?, table(FLOWS)?);
    let (exchanges, characterization) = (table(EXCHANGES)?, table(CHARACTERIZATION)?);
    read_tables(
        meta,
        activities.as_slice(),
        flows.as_slice(),
        &exchanges,
        characterization.as_slice(),
    )
}

/// Reads only the `database.toml` of a database written by [`write_tabular_zip`]: its
/// id, version, name, description, licence and source, without reading the tables.
/// `fallback_id` is the id when the archive has no `database.toml`.
pub fn read_tabular_zip_meta(
    bytes: &[u8],
    fallback_id: &str,
) -> Result<DatabaseMeta, TabularError> {
    let mut archive =
        zip::ZipArchive::new(io::Cursor::new(bytes)).map_err(|e| TabularError::File {
            file: "(zip)".into(),
            problem: e.to_string(),
        })?;
    let text = match archive.by_name(DATABASE_TOML) {
        Ok(mut file) => {
            let mut text = String::new();
            file.read_to_string(&mut text)
                .map_err(|e| TabularError::File {
                    file: DATABASE_TOML.into(),
                    problem: e.to_string(),
                })?;
            Some(text)
        }
        Err(zip::result::ZipError::FileNotFound) => None,
        Err(e) => {
            return Err(TabularError::File {
                file: DATABASE_TOML.into(),
                problem: e.to_string(),
            });
        }
    };
    meta_from_text(text.as_deref(), fallback_id.to_string())
}

/// Shortest text that parses back to exactly `v`.
fn num(v: f64) -> String {
    format!("{v:?}")
}

fn write_activities<W: Write>(db: &LciDatabase, w: &mut csv::Writer<W>) -> Result<(), csv::Error> {
    let fields = |a: &Activity| -> [Option<String>; 8] {
        [
            a.name_zh.clone(),
            a.year.clone(),
            a.source.clone(),
            a.url.clone(),
            a.licence.clone(),
            a.status.clone(),
            a.category.clone(),
            a.comment.clone(),
        ]
    };
    let used: Vec<usize> = (0..ACTIVITY_OPTIONAL.len())
        .filter(|&i| db.activities.iter().any(|a| fields(a)[i].is_some()))
        .collect();
    let mut header = vec!["id", "name", "unit", "location"];
    header.extend(used.iter().map(|&i| ACTIVITY_OPTIONAL[i]));
    w.write_record(&header)?;
    for a in &db.activities {
        let f = fields(a);
        let mut row = vec![a.id.as_str(), &a.name, &a.unit, &a.location];
        row.extend(used.iter().map(|&i| f[i].as_deref().unwrap_or("")));
        w.write_record(&row)?;
    }
    Ok(())
}

fn write_flows<W: Write>(db: &LciDatabase, w: &mut csv::Writer<W>) -> Result<(), csv::Error> {
    let gas = db.flows.iter().any(|f| f.gas.is_some());
    let origin = db.flows.iter().any(|f| f.origin.is_some());
    let mut header = vec!["id", "name", "compartment", "unit"];
    if gas {
        header.push("gas");
    }
    if origin {
        header.push("origin");
    }
    w.write_record(&header)?;
    for f in &db.flows {
        let mut row = vec![f.id.as_str(), &f.name, &f.compartment, &f.unit];
        if gas {
            row.push(f.gas.as_ref().map(Gas::as_str).unwrap_or(""));
        }
        if origin {
            row.push(f.origin.map(Origin::as_str).unwrap_or(""));
        }
        w.write_record(&row)?;
    }
    Ok(())
}

/// Brightway's `(uncertainty_type, loc, scale, min, max)` for a distribution.
fn brightway_fields(u: &Uncertainty, amount: f64) -> [String; 5] {
    let o = |v: Option<f64>| v.map(num).unwrap_or_default();
    let (kind, loc, scale, min, max) = match *u {
        Uncertainty::None => ("", None, None, None, None),
        Uncertainty::Lognormal { gsd } => (
            "lognormal",
            Some(amount.abs().ln()),
            Some(sigma_of(gsd)),
            None,
            None,
        ),
        Uncertainty::Normal { sd } => ("normal", Some(amount), Some(sd), None, None),
        Uncertainty::Triangular { min, mode, max } => (
            "triangular",
            Some(mode.unwrap_or(amount)),
            None,
            Some(min),
            Some(max),
        ),
        Uncertainty::Uniform { min, max } => ("uniform", None, None, Some(min), Some(max)),
    };
    [kind.to_string(), o(loc), o(scale), o(min), o(max)]
}

/// σ = ln GSD, nudged by a few units in the last place where that makes `exp(σ)` give
/// back exactly `gsd`, so reading the written file restores the same GSD. That is always
/// possible for GSD < e (σ < 1, every usual pedigree GSD); above it the GSD read back
/// may differ by one unit in the last place.
fn sigma_of(gsd: f64) -> f64 {
    let s = gsd.ln();
    let mut candidates = vec![s];
    let mut up = s;
    let mut down = s;
    for _ in 0..4 {
        up = f64::from_bits(up.to_bits() + 1);
        down = if down > 0.0 {
            f64::from_bits(down.to_bits() - 1)
        } else {
            down
        };
        candidates.push(up);
        candidates.push(down);
    }
    candidates.into_iter().find(|c| c.exp() == gsd).unwrap_or(s)
}

fn write_exchanges<W: Write>(db: &LciDatabase, w: &mut csv::Writer<W>) -> Result<(), csv::Error> {
    let uncertain = db.exchanges.iter().any(|e| !e.uncertainty.is_none());
    let mut header = vec!["activity_id", "kind", "input_id", "amount"];
    if uncertain {
        header.extend(UNCERTAINTY_COLUMNS);
    }
    w.write_record(&header)?;
    for e in &db.exchanges {
        let activity = db
            .activities
            .get(e.activity)
            .map(|a| a.id.as_str())
            .unwrap_or("");
        let input = match e.kind {
            ExchangeKind::Biosphere => db.flows.get(e.input).map(|f| f.id.as_str()),
            _ => db.activities.get(e.input).map(|a| a.id.as_str()),
        }
        .unwrap_or("");
        let amount = num(e.amount);
        if uncertain {
            let u = brightway_fields(&e.uncertainty, e.amount);
            w.write_record([
                activity,
                e.kind.as_str(),
                input,
                &amount,
                &u[0],
                &u[1],
                &u[2],
                &u[3],
                &u[4],
            ])?;
        } else {
            w.write_record([activity, e.kind.as_str(), input, &amount])?;
        }
    }
    Ok(())
}

fn write_characterization<W: Write>(
    db: &LciDatabase,
    w: &mut csv::Writer<W>,
) -> Result<(), csv::Error> {
    w.write_record(["method", "flow_id", "factor"])?;
    for m in &db.methods {
        for &(k, f) in &m.factors {
            let flow = db.flows.get(k).map(|f| f.id.as_str()).unwrap_or("");
            w.write_record([m.name.as_str(), flow, &num(f)])?;
        }
    }
    Ok(())
}

/// Writes `activity_id,score` rows, scores in shortest round-trip form.
pub fn write_scores(out: impl Write, ids: &[String], scores: &[f64]) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["activity_id", "score"])?;
    for (id, s) in ids.iter().zip(scores) {
        w.write_record([id.as_str(), &num(*s)])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_round_trips_for_realistic_gsds() {
        for gsd in [1.05, 1.1, 1.2, 1.5, 2.0, 2.5, 1.2345678901, 2.71] {
            assert_eq!(
                Uncertainty::from_brightway(
                    "lognormal",
                    1.0,
                    None,
                    Some(sigma_of(gsd)),
                    None,
                    None
                )
                .ok(),
                Some(Uncertainty::Lognormal { gsd }),
                "{gsd}"
            );
        }
    }
}
