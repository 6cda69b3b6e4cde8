//! Which format a database file, folder or package is in, from names and first bytes.

use std::io::Read;
use std::path::Path;

/// The background-database formats Zuji imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFormat {
    Tabular,
    JsonLd,
    EcoSpold2,
    EcoSpold1,
    Ilcd,
}

/// Guesses the format; `None` when nothing identifies it (the caller asks for `--format`).
pub fn detect_database_format(path: &Path) -> Option<DatabaseFormat> {
    if path.is_dir() {
        if path.join("activities.csv").exists() {
            return Some(DatabaseFormat::Tabular);
        }
        if path.join("ILCD").is_dir()
            || path
                .join("processes")
                .join("..")
                .join("flowproperties")
                .is_dir()
        {
            return Some(DatabaseFormat::Ilcd);
        }
        if path.join("processes").is_dir() || path.join("flows").is_dir() {
            return Some(DatabaseFormat::JsonLd);
        }
        let names: Vec<String> = std::fs::read_dir(path)
            .ok()?
            .filter_map(|e| {
                e.ok()
                    .map(|e| e.file_name().to_string_lossy().to_lowercase())
            })
            .collect();
        if names.iter().any(|n| n.ends_with(".spold")) {
            return Some(DatabaseFormat::EcoSpold2);
        }
        return names
            .iter()
            .filter(|n| n.ends_with(".xml"))
            .find_map(|n| sniff_xml(&head(&path.join(n))?));
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "spold" => Some(DatabaseFormat::EcoSpold2),
        "xml" => sniff_xml(&head(path)?),
        "json" => Some(DatabaseFormat::JsonLd),
        "zip" => sniff_zip(path),
        _ => None,
    }
}

fn head(path: &Path) -> Option<String> {
    let mut buf = vec![0u8; 4096];
    let n = std::fs::File::open(path).ok()?.read(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf[..n]).into_owned())
}

/// EcoSpold's namespaces say which version a file is; ILCD's root elements say it is ILCD.
fn sniff_xml(text: &str) -> Option<DatabaseFormat> {
    if text.contains("processDataSet") || text.contains("lca.jrc.it/ILCD") {
        Some(DatabaseFormat::Ilcd)
    } else if text.contains("EcoSpold02") {
        Some(DatabaseFormat::EcoSpold2)
    } else if text.contains("EcoSpold01") {
        Some(DatabaseFormat::EcoSpold1)
    } else {
        None
    }
}

fn sniff_zip(path: &Path) -> Option<DatabaseFormat> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(file).ok()?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|n| n.ok())
        .map(|n| n.to_lowercase())
        .collect();
    if names.iter().any(|n| n.ends_with(".spold")) {
        return Some(DatabaseFormat::EcoSpold2);
    }
    if names
        .iter()
        .any(|n| (n.starts_with("processes/") || n.contains("/processes/")) && n.ends_with(".json"))
        || names
            .iter()
            .any(|n| n.ends_with("olca-schema.json") || n.starts_with("lcia_categories/"))
    {
        return Some(DatabaseFormat::JsonLd);
    }
    // Side files such as `categories.xml` carry no EcoSpold namespace: look further.
    let xml: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].ends_with(".xml"))
        .take(16)
        .collect();
    xml.into_iter().find_map(|i| {
        let mut entry = archive.by_index(i).ok()?;
        let mut buf = vec![0u8; 4096];
        let n = entry.read(&mut buf).ok()?;
        sniff_xml(&String::from_utf8_lossy(&buf[..n]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(p: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data")
            .join(p)
    }

    #[test]
    fn detects_the_shared_samples() {
        use DatabaseFormat::*;
        for (p, want) in [
            (
                "ecospold2/uslci_fy18_q1_01_olca1_5_ecospold2.zip",
                EcoSpold2,
            ),
            ("ecospold2/uslci_selected", EcoSpold2),
            ("ecospold2/olca-modules/sample_ecospold2.xml", EcoSpold2),
            ("ecospold1/USLCI_2020_Q3_v1_ecospold1.zip", EcoSpold1),
            ("ecospold1/olca-modules/example.xml", EcoSpold1),
            ("jsonld/bw2io_beef-cattle-finishing.zip", JsonLd),
            ("jsonld/uslci_olca1_5_0_json_ld.zip", JsonLd),
            ("ilcd/olca-ilcd_reference_ilcd_folder.zip", Ilcd),
            ("ilcd/olca-ilcd/process.xml", Ilcd),
        ] {
            assert_eq!(detect_database_format(&shared(p)), Some(want), "{p}");
        }
        let tabular = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/synth400");
        assert_eq!(detect_database_format(&tabular), Some(Tabular));
        assert_eq!(
            detect_database_format(Path::new("/nonexistent/x.bin")),
            None
        );
    }
}
