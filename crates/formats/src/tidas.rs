//! TianGong TIDAS packages: ILCD data sets written as JSON, read through the ILCD
//! importer ([`crate::ilcd`]).
//!
//! What TIDAS is, from its published material (tiangong-lca/tidas, `docs/core-modules/
//! schema/tidas-schema-intro.md`: "fully aligned with ILCD … preserving the complete
//! prefix system used in ILCD XML format to enable lossless mapping of ILCD XML files";
//! schemas in tiangong-lca/tidas-tools `assets/tidas/schemas/tidas_*.json`, commit
//! be1d285):
//!
//! - one JSON document per data set, whose single key is the ILCD root element
//!   (`processDataSet`, `flowDataSet`, `flowPropertyDataSet`, `unitGroupDataSet`,
//!   `contactDataSet`, `sourceDataSet`, …), in folders named as in an ILCD archive
//!   (`processes/`, `flows/`, `flowproperties/`, `unitgroups/`, …);
//! - element names keep their ILCD namespace prefixes (`common:UUID`,
//!   `common:shortDescription`, `common:other`); XML attributes are keys starting with
//!   `@` (`@refObjectId`, `@dataSetInternalID`, `@xml:lang`, `@xmlns:common`); element
//!   text next to attributes is `#text`; a repeated element is an array; numbers are
//!   strings (`Real`: `"^[+-]?(\d+(\.\d*)?|\.\d+)([Ee][+-]?\d+)?$"`);
//! - multi-language strings (`StringMultiLang`, `STMultiLang`, `FTMultiLang`) are one
//!   `{"@xml:lang": "zh", "#text": "…"}` item or an array of them — TianGong data give
//!   `zh` and `en`;
//! - TIDAS makes more fields mandatory than ILCD (EF/GLAD requirements) but adds no
//!   element the importer needs; `common:other` extensions pass through as in XML;
//! - the TIDAS tools' own sidecars (`manifest.json`, `*.tidas-envelope.json`,
//!   `*.tidas-recovery.json`) are not data sets and are skipped.
//!
//! So a TIDAS document is turned back into the ILCD XML it maps losslessly to (the
//! mapping the schema states: `@x` → attribute, `#text` → text, array → repeated
//! element, scalar → text) and read by the same ILCD reader: units, parameters,
//! uncertainty, linking and EPD modules behave exactly as for ILCD XML. The Chinese
//! name of a process (`baseName` with `xml:lang="zh…"`) is kept as the activity's
//! `name_zh`, for ILCD and TIDAS alike.

use crate::ilcd::IlcdError;
use quick_xml::escape::escape;

/// A JSON value that keeps the order of object keys: ILCD readers rely on element order
/// (an exchange's flow reference comes before its `common:other`), and TIDAS keeps it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }
    fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(o) => o.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Value;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Number(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Number(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
                Ok(Value::Number(n.to_string()))
            }
            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::String(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::String(s))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element()? {
                    v.push(x);
                }
                Ok(Value::Array(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
                let mut v = Vec::new();
                while let Some((k, x)) = a.next_entry::<String, Value>()? {
                    v.push((k, x));
                }
                Ok(Value::Object(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a file inside a TIDAS package is a data set (not a tool sidecar).
pub(crate) fn is_tidas_json(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    let base = n.rsplit(['/', '\\']).next().unwrap_or(&n);
    n.ends_with(".json")
        && base != "manifest.json"
        && !base.ends_with(".tidas-envelope.json")
        && !base.ends_with(".tidas-recovery.json")
}

/// Deeper documents than this are refused (no ILCD data set nests so far).
const MAX_DEPTH: usize = 64;

/// The ILCD XML a TIDAS JSON document maps to; errors name the file and JSON path.
/// A JSON document that is not one object with one key (so not an ILCD data set) is
/// `None`: skipped, as XML files with other roots are.
pub fn tidas_json_to_xml(file: &str, bytes: &[u8]) -> Result<Option<Vec<u8>>, IlcdError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| IlcdError::Tidas {
        file: file.to_string(),
        path: format!("line {}, column {}", e.line(), e.column()),
        problem: format!("invalid JSON: {e}"),
    })?;
    let root = match &doc {
        Value::Object(o) if o.len() == 1 => o,
        _ => return Ok(None),
    };
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    for (name, value) in root {
        element(file, &mut out, name, value, &format!("$.{name}"), 0)?;
    }
    Ok(Some(out.into_bytes()))
}

fn bad(file: &str, path: &str, problem: String) -> IlcdError {
    IlcdError::Tidas {
        file: file.to_string(),
        path: path.to_string(),
        problem,
    }
}

fn check_name(file: &str, path: &str, name: &str) -> Result<(), IlcdError> {
    let ok = name.chars().enumerate().all(|(i, c)| {
        c.is_alphabetic() || c == '_' || (i > 0 && (c.is_alphanumeric() || "-.:".contains(c)))
    });
    if ok && !name.is_empty() {
        Ok(())
    } else {
        Err(bad(file, path, format!("'{name}' is not an XML name")))
    }
}

fn scalar(file: &str, path: &str, v: &Value) -> Result<String, IlcdError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        _ => Err(bad(
            file,
            path,
            "expected text (a string, number or boolean)".into(),
        )),
    }
}

fn element(
    file: &str,
    out: &mut String,
    name: &str,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), IlcdError> {
    if depth > MAX_DEPTH {
        return Err(bad(
            file,
            path,
            format!("nested deeper than {MAX_DEPTH} levels"),
        ));
    }
    check_name(file, path, name)?;
    if let Value::Array(items) = value {
        for (i, item) in items.iter().enumerate() {
            if item.is_array() {
                return Err(bad(
                    file,
                    &format!("{path}[{i}]"),
                    "an array inside an array has no XML form".into(),
                ));
            }
            element(file, out, name, item, &format!("{path}[{i}]"), depth + 1)?;
        }
        return Ok(());
    }
    out.push('<');
    out.push_str(name);
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                if let Some(a) = k.strip_prefix('@') {
                    let p = format!("{path}.{k}");
                    check_name(file, &p, a)?;
                    let text = scalar(file, &p, v)?;
                    out.push(' ');
                    out.push_str(a);
                    out.push_str("=\"");
                    out.push_str(&escape(text.as_str()));
                    out.push('"');
                }
            }
            out.push('>');
            for (k, v) in o {
                if k.starts_with('@') || k == "#text" {
                    continue;
                }
                element(file, out, k, v, &format!("{path}.{k}"), depth + 1)?;
            }
            if let Some(t) = value.get("#text") {
                out.push_str(&escape(scalar(file, &format!("{path}.#text"), t)?.as_str()));
            }
        }
        other => {
            out.push('>');
            out.push_str(&escape(scalar(file, path, other)?.as_str()));
        }
    }
    out.push_str("</");
    out.push_str(name);
    out.push('>');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_text_and_arrays_map_to_xml() {
        let j = r##"{"flowDataSet": {"@version": "1.1", "name": {"baseName": [
            {"@xml:lang": "en", "#text": "Steel & iron"}, {"@xml:lang": "zh", "#text": "钢"}]},
            "n": "1.5"}}"##;
        let x =
            String::from_utf8(tidas_json_to_xml("f.json", j.as_bytes()).unwrap().unwrap()).unwrap();
        assert!(x.ends_with(
            "<flowDataSet version=\"1.1\"><name><baseName xml:lang=\"en\">Steel &amp; iron</baseName><baseName xml:lang=\"zh\">钢</baseName></name><n>1.5</n></flowDataSet>"
        ), "{x}");
        // Not a data set: skipped.
        assert_eq!(
            tidas_json_to_xml("g.json", br#"{"a": 1, "b": 2}"#).unwrap(),
            None
        );
        assert!(matches!(
            tidas_json_to_xml("h.json", br#"{"p": {"bad name": "x"}}"#),
            Err(IlcdError::Tidas { path, .. }) if path == "$.p.bad name"
        ));
        assert!(is_tidas_json("pkg/processes/x.json"));
        assert!(!is_tidas_json("pkg/processes/x.tidas-envelope.json"));
        assert!(!is_tidas_json("manifest.json"));
    }
}
