//! Reading one cell of a row as text, number, amount, yes/no, unit, stage, uncertainty
//! or data quality; each accessor records where the field came from and reports a
//! wrong cell as `sheet!A1: problem`.

use super::a1;
use super::grid::{Cell, Grid, cell, english_part, number_text};
use super::read::ModelReader;
use super::text::Col;
use std::collections::{BTreeMap, HashMap};
use zuji_model::formula::Expr;
use zuji_model::path::FieldPath;
use zuji_model::product::Amount;
use zuji_model::uncertainty::Uncertainty;
use zuji_model::{DataQuality, LifeCycleStage, Unit};

/// Where one row of a Rows-layout sheet is, and where its columns are.
pub(super) struct At<'a> {
    pub(super) grid: &'a Grid,
    pub(super) cols: &'a HashMap<&'static str, u32>,
    pub(super) row: u32,
}

impl ModelReader {
    // ---- cell access -------------------------------------------------------------

    pub(super) fn raw(&mut self, at: &At, key: &str, path: Option<FieldPath>) -> (Cell, String) {
        let Some(&col) = at.cols.get(key) else {
            return (Cell::Empty, a1(at.row, 0));
        };
        let r = a1(at.row, col);
        if let Some(p) = path {
            self.cells.insert(p, (at.grid.name.clone(), r.clone()));
        }
        (cell(at.grid.get(at.row, col)), r)
    }

    pub(super) fn text(&mut self, at: &At, key: &str, path: Option<FieldPath>) -> Option<String> {
        match self.raw(at, key, path) {
            (Cell::Empty, _) => None,
            (Cell::Text(s), _) => Some(s),
            (Cell::Number(f), _) => Some(number_text(f)),
            (Cell::Bool(b), _) => Some(b.to_string()),
            (Cell::Bad(m), r) => {
                self.error(&at.grid.name, r, m);
                None
            }
        }
    }

    pub(super) fn required_text(&mut self, at: &At, key: &str, path: FieldPath) -> Option<String> {
        let v = self.text(at, key, Some(path));
        if v.is_none() {
            let r = self.cell_ref(at, key);
            self.error(&at.grid.name, r, format!("missing {key}"));
        }
        v
    }

    pub(super) fn cell_ref(&self, at: &At, key: &str) -> String {
        a1(at.row, at.cols.get(key).copied().unwrap_or(0))
    }

    pub(super) fn number(&mut self, at: &At, key: &str, path: Option<FieldPath>) -> Option<f64> {
        match self.raw(at, key, path) {
            (Cell::Empty, _) => None,
            (Cell::Number(f), _) => Some(f),
            (Cell::Text(s), r) => match s.parse::<f64>() {
                Ok(f) => Some(f),
                Err(_) => {
                    self.error(&at.grid.name, r, format!("'{s}' is not a number"));
                    None
                }
            },
            (Cell::Bool(_), r) => {
                self.error(&at.grid.name, r, "expected a number, found TRUE/FALSE");
                None
            }
            (Cell::Bad(m), r) => {
                self.error(&at.grid.name, r, m);
                None
            }
        }
    }

    /// A number or a formula; a formula must parse.
    pub(super) fn amount(&mut self, at: &At, key: &str, path: Option<FieldPath>) -> Option<Amount> {
        match self.raw(at, key, path) {
            (Cell::Empty, _) => None,
            (Cell::Number(f), _) => Some(Amount::Number(f)),
            (Cell::Text(s), r) => match Expr::parse(&s) {
                Ok(_) => Some(Amount::Formula(s)),
                Err(e) => {
                    self.error(
                        &at.grid.name,
                        r,
                        format!("'{s}' is neither a number nor a valid formula: {e}"),
                    );
                    None
                }
            },
            (Cell::Bool(_), r) => {
                self.error(
                    &at.grid.name,
                    r,
                    "expected a number or formula, found TRUE/FALSE",
                );
                None
            }
            (Cell::Bad(m), r) => {
                self.error(&at.grid.name, r, m);
                None
            }
        }
    }

    pub(super) fn required_amount(
        &mut self,
        at: &At,
        key: &str,
        path: FieldPath,
    ) -> Option<Amount> {
        let before = self.errors.len();
        let v = self.amount(at, key, Some(path));
        if v.is_none() && self.errors.len() == before {
            let r = self.cell_ref(at, key);
            self.error(&at.grid.name, r, format!("missing {key}"));
        }
        v
    }

    pub(super) fn boolean(&mut self, at: &At, key: &str, path: Option<FieldPath>) -> Option<bool> {
        match self.raw(at, key, path) {
            (Cell::Empty, _) => None,
            (Cell::Bool(b), _) => Some(b),
            (Cell::Number(f), _) if f == 1.0 || f == 0.0 => Some(f == 1.0),
            (Cell::Text(s), r) => match s.to_lowercase().as_str() {
                "yes" | "y" | "true" | "是" | "1" => Some(true),
                "no" | "n" | "false" | "否" | "0" => Some(false),
                _ => {
                    self.error(&at.grid.name, r, format!("'{s}' is not yes or no"));
                    None
                }
            },
            (Cell::Number(f), r) => {
                self.error(&at.grid.name, r, format!("'{f}' is not yes or no"));
                None
            }
            (Cell::Bad(m), r) => {
                self.error(&at.grid.name, r, m);
                None
            }
        }
    }

    /// A text cell parsed by `parse`; its message becomes the cell's error.
    pub(super) fn parsed<T>(
        &mut self,
        at: &At,
        key: &str,
        path: Option<FieldPath>,
        parse: impl Fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let s = self.text(at, key, path)?;
        match parse(&s) {
            Ok(v) => Some(v),
            Err(m) => {
                let r = self.cell_ref(at, key);
                self.error(&at.grid.name, r, m);
                None
            }
        }
    }

    /// A unit as written, checked to be one Zuji knows.
    pub(super) fn unit(
        &mut self,
        at: &At,
        key: &str,
        path: FieldPath,
        required: bool,
    ) -> Option<String> {
        let v = if required {
            self.required_text(at, key, path)
        } else {
            self.text(at, key, Some(path))
        }?;
        if let Err(m) = Unit::parse(&v) {
            let r = self.cell_ref(at, key);
            self.error(&at.grid.name, r, m);
        }
        Some(v)
    }

    pub(super) fn stage(&mut self, at: &At, path: FieldPath) -> Option<LifeCycleStage> {
        self.parsed(at, "stage", Some(path), parse_stage)
    }

    pub(super) fn uncertainty(&mut self, at: &At, path: FieldPath) -> Uncertainty {
        let kind = self.parsed(at, "uncertainty", Some(path), |s| {
            match s.to_lowercase().as_str() {
                "none" => Ok("none"),
                "lognormal" => Ok("lognormal"),
                "normal" => Ok("normal"),
                "triangular" => Ok("triangular"),
                "uniform" => Ok("uniform"),
                other => Err(format!(
                    "unknown uncertainty type '{other}'; expected none, lognormal, normal, triangular or uniform"
                )),
            }
        });
        let mut values = BTreeMap::new();
        for k in ["gsd", "sd", "min", "mode", "max"] {
            if let Some(v) = self.number(at, k, None) {
                values.insert(k, v);
            }
        }
        let (needed, optional): (&[&str], &[&str]) = match kind.unwrap_or("none") {
            "lognormal" => (&["gsd"], &[]),
            "normal" => (&["sd"], &[]),
            "triangular" => (&["min", "max"], &["mode"]),
            "uniform" => (&["min", "max"], &[]),
            _ => (&[], &[]),
        };
        let kind_name = kind.unwrap_or("none");
        for k in values.keys() {
            if !needed.contains(k) && !optional.contains(k) {
                let r = self.cell_ref(at, k);
                self.error(
                    &at.grid.name,
                    r,
                    format!("{k} is not a parameter of uncertainty type '{kind_name}'"),
                );
            }
        }
        let mut missing = false;
        for k in needed {
            if !values.contains_key(k) {
                let r = self.cell_ref(at, k);
                self.error(
                    &at.grid.name,
                    r,
                    format!("a {kind_name} uncertainty needs {k}"),
                );
                missing = true;
            }
        }
        if missing {
            return Uncertainty::None;
        }
        let v = |k: &str| values.get(k).copied().unwrap_or(0.0);
        match kind_name {
            "lognormal" => Uncertainty::Lognormal { gsd: v("gsd") },
            "normal" => Uncertainty::Normal { sd: v("sd") },
            "triangular" => Uncertainty::Triangular {
                min: v("min"),
                mode: values.get("mode").copied(),
                max: v("max"),
            },
            "uniform" => Uncertainty::Uniform {
                min: v("min"),
                max: v("max"),
            },
            _ => Uncertainty::None,
        }
    }

    /// A PEF DQR from four columns (all or none), keys prefixed by `prefix`.
    pub(super) fn dqr(&mut self, at: &At, prefix: &str, path: &FieldPath) -> Option<DataQuality> {
        let keys = ["TeR", "GeR", "TiR", "P"].map(|k| format!("{prefix}{k}"));
        let vals: Vec<Option<f64>> = keys.iter().map(|k| self.number(at, k, None)).collect();
        if vals.iter().all(Option::is_none) {
            return None;
        }
        self.register(at, &keys[0], path.clone());
        match vals.as_slice() {
            [Some(ter), Some(ger), Some(tir), Some(p)] => Some(DataQuality::Dqr {
                ter: *ter,
                ger: *ger,
                tir: *tir,
                p: *p,
            }),
            _ => {
                for (k, v) in keys.iter().zip(&vals) {
                    if v.is_none() {
                        let r = self.cell_ref(at, k);
                        self.error(
                            &at.grid.name,
                            r,
                            format!("a DQR needs all of TeR, GeR, TiR and P; {k} is empty"),
                        );
                    }
                }
                None
            }
        }
    }

    pub(super) fn pedigree(&mut self, at: &At, path: &FieldPath) -> Option<DataQuality> {
        let keys = [
            "reliability",
            "completeness",
            "temporal",
            "geographical",
            "technological",
        ];
        let mut vals = Vec::new();
        for k in keys {
            let v = self.number(at, k, None);
            let score = match v {
                Some(f) if f.fract() == 0.0 && (0.0..=255.0).contains(&f) => Some(f as u8),
                Some(f) => {
                    let r = self.cell_ref(at, k);
                    self.error(
                        &at.grid.name,
                        r,
                        format!("a pedigree score is a whole number 1–5, got {f}"),
                    );
                    return None;
                }
                None => None,
            };
            vals.push(score);
        }
        if vals.iter().all(Option::is_none) {
            return None;
        }
        self.register(at, keys[0], path.clone());
        match vals.as_slice() {
            [Some(a), Some(b), Some(c), Some(d), Some(e)] => Some(DataQuality::Pedigree {
                reliability: *a,
                completeness: *b,
                temporal: *c,
                geographical: *d,
                technological: *e,
            }),
            _ => {
                for (k, v) in keys.iter().zip(&vals) {
                    if v.is_none() {
                        let r = self.cell_ref(at, k);
                        self.error(
                            &at.grid.name,
                            r,
                            format!("a pedigree needs all five scores; {k} is empty"),
                        );
                    }
                }
                None
            }
        }
    }

    pub(super) fn quality(&mut self, at: &At, path: FieldPath) -> Option<DataQuality> {
        let dqr = self.dqr(at, "", &path);
        let ped = self.pedigree(at, &path);
        if dqr.is_some() && ped.is_some() {
            let r = self.cell_ref(at, "reliability");
            self.error(
                &at.grid.name,
                r,
                "give a DQR (TeR, GeR, TiR, P) or a pedigree matrix, not both",
            );
        }
        dqr.or(ped)
    }

    pub(super) fn register(&mut self, at: &At, key: &str, path: FieldPath) {
        let r = self.cell_ref(at, key);
        self.cells.insert(path, (at.grid.name.clone(), r));
    }

    // ---- sheets ------------------------------------------------------------------

    /// Maps header keys to columns; unknown or repeated headers are errors.
    pub(super) fn header(&mut self, grid: &Grid, cols: &[Col]) -> HashMap<&'static str, u32> {
        let mut map = HashMap::new();
        for c in 0..grid.cols() {
            let h = match cell(grid.get(0, c)) {
                Cell::Text(s) => s,
                Cell::Empty => continue,
                Cell::Number(f) => number_text(f),
                Cell::Bool(b) => b.to_string(),
                Cell::Bad(m) => {
                    self.error(&grid.name, a1(0, c), m);
                    continue;
                }
            };
            let eng = english_part(&h);
            match cols
                .iter()
                .find(|col| col.key.eq_ignore_ascii_case(eng) || col.zh == h)
            {
                Some(col) => {
                    if map.insert(col.key, c).is_some() {
                        self.error(&grid.name, a1(0, c), format!("column '{h}' appears twice"));
                    }
                }
                None => self.error(&grid.name, a1(0, c), format!("unknown column '{h}'")),
            }
        }
        self.orphans(grid, &map);
        map
    }

    /// Values below the header in columns that have none would be dropped silently;
    /// they are reported instead (the first few: one stray column is one mistake).
    pub(super) fn orphans(&mut self, grid: &Grid, cols: &HashMap<&'static str, u32>) {
        let mut stray: Vec<(u32, u32)> = grid
            .cells
            .keys()
            .filter(|&&(r, c)| {
                r > 0
                    && !cols.values().any(|&k| k == c)
                    && matches!(cell(grid.get(0, c)), Cell::Empty)
            })
            .copied()
            .collect();
        stray.sort_unstable();
        for (r, c) in stray.into_iter().take(5) {
            self.error(&grid.name, a1(r, c), "a value in a column with no header");
        }
    }

    /// Data rows: those below the header with something in a known column.
    pub(super) fn data_rows(grid: &Grid, cols: &HashMap<&'static str, u32>) -> Vec<u32> {
        grid.used_rows
            .range(1..)
            .copied()
            .filter(|&r| {
                cols.values()
                    .any(|&c| !matches!(cell(grid.get(r, c)), Cell::Empty))
            })
            .collect()
    }
}

/// One of `options`, case-insensitively, as its canonical spelling.
pub(super) fn pick(s: &str, options: &[&str]) -> Result<String, String> {
    let t = s.trim().to_lowercase().replace('_', "-");
    options
        .iter()
        .find(|o| **o == t)
        .map(|o| (*o).to_string())
        .ok_or_else(|| format!("unknown value '{s}'; expected {}", options.join(", ")))
}

/// A stage by its id (`production`) or its Chinese label (`生产`).
pub(super) fn parse_stage(s: &str) -> Result<LifeCycleStage, String> {
    let t = s.trim().to_lowercase().replace('_', "-");
    LifeCycleStage::ALL
        .into_iter()
        .find(|st| st.as_str() == t || st.label_zh() == s.trim())
        .ok_or_else(|| {
            format!(
                "unknown stage '{s}'; expected {}",
                LifeCycleStage::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_read_in_english_or_chinese() {
        assert_eq!(parse_stage("生产"), Ok(LifeCycleStage::Production));
        assert_eq!(parse_stage("End_of_life"), Ok(LifeCycleStage::EndOfLife));
        assert!(
            parse_stage("assembly")
                .unwrap_err()
                .contains("unknown stage")
        );
    }
}
