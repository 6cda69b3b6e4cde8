//! A worksheet as the importer sees it: its used cells, read one by one.

use super::text::SheetText;
use calamine::{Data, Xlsx};
use std::collections::{BTreeSet, HashMap};

/// A sheet matches by its full name or by its English part (`Inputs`, any case).
pub(super) fn sheet_matches(sheet: &SheetText, name: &str) -> bool {
    name.trim() == sheet.name || english_part(name).eq_ignore_ascii_case(sheet.key)
}

/// The header without its leading Chinese label: `过程编号 process id` → `process id`.
pub(super) fn english_part(s: &str) -> &str {
    s.trim_start_matches(|c: char| !c.is_ascii() || c.is_whitespace())
        .trim_end()
}

/// More non-empty cells than any real model has; beyond it the workbook is refused
/// rather than read into memory (a crafted file can claim millions).
pub(super) const MAX_CELLS: usize = 1_000_000;

/// A sheet's non-empty cells by absolute (row, column).
///
/// Read cell by cell rather than as calamine's dense `Range`, whose size follows the
/// furthest cell: two cells at A1 and XFD1048576 would allocate 17 billion.
pub(super) struct Grid {
    pub(super) name: String,
    pub(super) cells: HashMap<(u32, u32), Data>,
    /// Rows holding at least one cell, in order.
    pub(super) used_rows: BTreeSet<u32>,
    cols: u32,
}

impl Grid {
    pub(super) fn read<RS: std::io::Read + std::io::Seek>(
        wb: &mut Xlsx<RS>,
        name: &str,
    ) -> Result<Grid, String> {
        let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
        let mut grid = Grid {
            name: name.to_string(),
            cells: HashMap::new(),
            used_rows: BTreeSet::new(),
            cols: 0,
        };
        while let Some(c) = reader.next_cell().map_err(|e| e.to_string())? {
            let (row, col) = c.get_position();
            let value = Data::from(c.get_value().clone());
            if matches!(value, Data::Empty) {
                continue;
            }
            if grid.cells.len() >= MAX_CELLS {
                return Err(format!("more than {MAX_CELLS} cells"));
            }
            grid.used_rows.insert(row);
            grid.cols = grid.cols.max(col.saturating_add(1));
            grid.cells.insert((row, col), value);
        }
        Ok(grid)
    }
    pub(super) fn get(&self, row: u32, col: u32) -> &Data {
        self.cells.get(&(row, col)).unwrap_or(&Data::Empty)
    }
    /// Header columns: at most as many as the widest used row.
    pub(super) fn cols(&self) -> u32 {
        self.cols.min(16_384)
    }
}

/// A cell as the reader sees it.
pub(super) enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Bad(String),
}

pub(super) fn cell(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.trim().to_string()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Cell::Bad(
            "a date or time cell; write periods as text (e.g. 2025) and amounts as numbers".into(),
        ),
        Data::Error(e) => Cell::Bad(format!("the cell holds an Excel error ({e})")),
    }
}

/// A number shown as text (an id or period typed as a number: 2025 → "2025").
pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::text;

    #[test]
    fn headers_match_by_their_english_part() {
        assert_eq!(english_part("过程编号 process id"), "process id");
        assert_eq!(
            english_part("供应商技术代表性 supplier TeR"),
            "supplier TeR"
        );
        assert_eq!(english_part("Inputs"), "Inputs");
        assert!(sheet_matches(&text::INPUTS, "輸入 inputs"));
    }
}
