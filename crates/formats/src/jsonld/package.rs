//! Gathering a package's entities from a zip, a folder or loose files, keyed by `@id`.
//!
//! Entities are recognised by `@type` first and by their folder second, so loose files
//! (`impact_method.json`) and v1/v2 layouts read alike. Maps are ordered by id, so an
//! import is deterministic whatever the order of entries in the archive.

use super::JsonLdError;
use super::json::{field_error, str_of};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

/// Larger entries than this are refused rather than inflated (a zip bomb, not data:
/// the biggest real category file is a few MB).
const MAX_ENTRY_BYTES: u64 = 512 << 20;

/// One entity: the file it came from (for error messages) and its JSON.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub file: String,
    pub value: Value,
}

#[derive(Debug, Default)]
pub(crate) struct Package {
    pub unit_groups: BTreeMap<String, Entity>,
    pub flow_properties: BTreeMap<String, Entity>,
    pub flows: BTreeMap<String, Entity>,
    pub processes: BTreeMap<String, Entity>,
    pub methods: BTreeMap<String, Entity>,
    pub categories: BTreeMap<String, Entity>,
    pub parameters: BTreeMap<String, Entity>,
    pub locations: BTreeMap<String, Entity>,
    /// Folders (`Category` entities) by id, to rebuild category paths of v1 packages.
    pub folders: BTreeMap<String, Entity>,
    /// Entities with the same `@id` seen twice; the first is kept.
    pub duplicates: Vec<String>,
}

pub(crate) fn stem(p: &Path) -> String {
    p.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "jsonld".into())
}

impl Package {
    pub fn add_path(&mut self, path: &Path) -> Result<(), JsonLdError> {
        let io = |source| JsonLdError::Io {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files).map_err(io)?;
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(path)
                    .unwrap_or(&f)
                    .to_string_lossy()
                    .replace('\\', "/");
                if !rel.ends_with(".json") {
                    continue;
                }
                let bytes = std::fs::read(&f).map_err(|source| JsonLdError::Io {
                    path: f.clone(),
                    source,
                })?;
                self.add_json(&rel, &bytes)?;
            }
            Ok(())
        } else {
            let bytes = std::fs::read(path).map_err(io)?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.to_ascii_lowercase().ends_with(".json") {
                self.add_json(&name, &bytes)
            } else {
                self.add_zip_bytes(&bytes, &name)
            }
        }
    }

    pub fn add_zip_bytes(&mut self, bytes: &[u8], package: &str) -> Result<(), JsonLdError> {
        let zip_err = |e: zip::result::ZipError| JsonLdError::Zip {
            package: package.to_string(),
            problem: e.to_string(),
        };
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_err)?;
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).map_err(zip_err)?;
            if entry.is_dir() {
                continue;
            }
            let name = entry.name().map_err(zip_err)?.replace('\\', "/");
            if !name.ends_with(".json") || name.starts_with("bin/") {
                continue;
            }
            if entry.size() > MAX_ENTRY_BYTES {
                return Err(JsonLdError::Zip {
                    package: package.to_string(),
                    problem: format!("{name}: entry of {} bytes is too large", entry.size()),
                });
            }
            let mut buf = Vec::new();
            (&mut entry)
                .take(MAX_ENTRY_BYTES)
                .read_to_end(&mut buf)
                .map_err(|e| JsonLdError::Zip {
                    package: package.to_string(),
                    problem: format!("{name}: {e}"),
                })?;
            drop(entry);
            self.add_json(&name, &buf)?;
        }
        Ok(())
    }

    /// Parses one file and files it under its type; other types (actors, sources, …)
    /// and non-entities (`context.json`, `olca-schema.json`) are skipped.
    pub fn add_json(&mut self, file: &str, bytes: &[u8]) -> Result<(), JsonLdError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let value: Value = serde_json::from_slice(bytes).map_err(|e| JsonLdError::Json {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            problem: e.to_string(),
        })?;
        let folder = file.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let folder = folder.rsplit('/').next().unwrap_or("");
        let kind = str_of(&value, "@type").unwrap_or(match folder {
            "unit_groups" => "UnitGroup",
            "flow_properties" => "FlowProperty",
            "flows" => "Flow",
            "processes" => "Process",
            "lcia_methods" => "ImpactMethod",
            "lcia_categories" => "ImpactCategory",
            "parameters" => "Parameter",
            "locations" => "Location",
            "categories" => "Category",
            _ => "",
        });
        let map = match kind {
            "UnitGroup" => &mut self.unit_groups,
            "FlowProperty" => &mut self.flow_properties,
            "Flow" => &mut self.flows,
            "Process" => &mut self.processes,
            "ImpactMethod" => &mut self.methods,
            "ImpactCategory" => &mut self.categories,
            "Parameter" => &mut self.parameters,
            "Location" => &mut self.locations,
            "Category" => &mut self.folders,
            _ => return Ok(()),
        };
        let id = match str_of(&value, "@id") {
            Some(id) if !id.trim().is_empty() => id.to_string(),
            // Global parameters may lack an id; their name identifies them.
            _ if kind == "Parameter" => match str_of(&value, "name") {
                Some(n) => n.to_string(),
                None => return Err(field_error(file, "name", "a parameter needs a name")),
            },
            _ => return Err(field_error(file, "@id", format!("a {kind} needs an '@id'"))),
        };
        match map.entry(id) {
            std::collections::btree_map::Entry::Occupied(o) => {
                self.duplicates
                    .push(format!("{file}: {kind} '{}'", o.key()));
            }
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(Entity {
                    file: file.to_string(),
                    value,
                });
            }
        }
        Ok(())
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "bin") {
                continue;
            }
            walk(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}
