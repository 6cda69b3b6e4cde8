//! Small accessors over `serde_json::Value` that accept both schema generations'
//! field names, so the readers stay lenient about versions but precise about errors.

use super::JsonLdError;
use super::package::Entity;
use serde_json::Value;
use std::collections::BTreeMap;

pub(crate) fn field_error(
    file: &str,
    path: impl Into<String>,
    problem: impl Into<String>,
) -> JsonLdError {
    JsonLdError::Field {
        file: file.to_string(),
        path: path.into(),
        problem: problem.into(),
    }
}

/// A string field, trimmed of nothing; `None` when absent or not a string.
pub(crate) fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// The first of several boolean spellings (`isInput` in v2, `input` in v1).
pub(crate) fn flag(v: &Value, keys: &[&str]) -> bool {
    keys.iter()
        .find_map(|k| v.get(*k).and_then(Value::as_bool))
        .unwrap_or(false)
}

pub(crate) fn num(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

/// The `@id` of a reference field (`"flow": {"@id": …}`).
pub(crate) fn ref_id<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(|r| str_of(r, "@id"))
}

/// A category as one `a/b/c` path: v2 writes a string; v1 an object with `name` and
/// `categoryPath` (the path of its parents) — or, as openLCA 1.5 does, only a reference
/// whose parents are found by walking `categories/` (`folders`, by id).
pub(crate) fn category_path(v: &Value, folders: &BTreeMap<String, Entity>) -> String {
    match v.get("category") {
        Some(Value::String(s)) => s.clone(),
        Some(obj @ Value::Object(_)) => {
            let mut parts: Vec<String> = match obj.get("categoryPath").and_then(Value::as_array) {
                Some(a) => a
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
                None => parents(obj, folders),
            };
            if let Some(n) = str_of(obj, "name") {
                parts.push(n.to_string());
            }
            parts.join("/")
        }
        _ => String::new(),
    }
}

/// Names of a category's ancestors, outermost first; a cycle or a missing file ends the
/// walk (a path is descriptive, not worth failing an import for).
fn parents(cat: &Value, folders: &BTreeMap<String, Entity>) -> Vec<String> {
    let mut out = Vec::new();
    let mut id = str_of(cat, "@id");
    for _ in 0..64 {
        let Some(parent) = id
            .and_then(|i| folders.get(i))
            .and_then(|e| e.value.get("category"))
        else {
            break;
        };
        match str_of(parent, "name") {
            Some(n) => out.push(n.to_string()),
            None => break,
        }
        id = str_of(parent, "@id");
    }
    out.reverse();
    out
}

/// The elements of an array field; absent or not an array is empty.
pub(crate) fn array<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A Zuji id carried in `tags` (`zuji-id:<id>`) by Zuji's own export, for ids that are
/// not UUIDs; `None` for packages written by others.
pub(crate) fn zuji_id_tag(v: &Value) -> Option<String> {
    array(v, "tags")
        .iter()
        .filter_map(Value::as_str)
        .find_map(|t| t.strip_prefix(ZUJI_ID_TAG).map(str::to_string))
}

pub(crate) const ZUJI_ID_TAG: &str = "zuji-id:";
