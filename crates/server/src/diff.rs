//! Differences between two model versions, as JSON paths with the old and new values.

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Change {
    /// Where, as a path like `process[2].inputs[0].amount`.
    pub path: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    #[schema(value_type = Option<Object>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// Every leaf that differs between `a` and `b`, objects in key order, arrays by index.
pub fn diff(a: &Value, b: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    walk("", a, b, &mut out);
    out
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

fn walk(path: &str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => walk(&join(path, k), va, vb, out),
                    None => out.push(Change {
                        path: join(path, k),
                        kind: "removed",
                        old: Some(va.clone()),
                        new: None,
                    }),
                }
            }
            for (k, vb) in y {
                if !x.contains_key(k) {
                    out.push(Change {
                        path: join(path, k),
                        kind: "added",
                        old: None,
                        new: Some(vb.clone()),
                    });
                }
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            for i in 0..x.len().max(y.len()) {
                let p = format!("{path}[{i}]");
                match (x.get(i), y.get(i)) {
                    (Some(va), Some(vb)) => walk(&p, va, vb, out),
                    (Some(va), None) => out.push(Change {
                        path: p,
                        kind: "removed",
                        old: Some(va.clone()),
                        new: None,
                    }),
                    (None, Some(vb)) => out.push(Change {
                        path: p,
                        kind: "added",
                        old: None,
                        new: Some(vb.clone()),
                    }),
                    (None, None) => {}
                }
            }
        }
        _ if a != b => out.push(Change {
            path: path.to_string(),
            kind: "changed",
            old: Some(a.clone()),
            new: Some(b.clone()),
        }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_changed_added_and_removed_leaves() {
        let a = json!({"product": {"name": "x"}, "process": [{"amount": 1.0, "unit": "kg"}]});
        let b = json!({"product": {"name": "x", "gtin": "1"}, "process": [{"amount": 2.0}, {"amount": 3.0}]});
        let d = diff(&a, &b);
        let summary: Vec<(&str, &str)> = d.iter().map(|c| (c.path.as_str(), c.kind)).collect();
        assert_eq!(
            summary,
            [
                ("process[0].amount", "changed"),
                ("process[0].unit", "removed"),
                ("process[1]", "added"),
                ("product.gtin", "added"),
            ]
        );
        assert!(diff(&a, &a).is_empty());
    }
}
