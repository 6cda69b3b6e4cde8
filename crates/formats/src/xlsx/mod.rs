//! Excel workbooks for enterprises: a blank template to fill in, its import into a
//! product model, a model written back as a filled workbook, and results as a workbook
//! (and CSV).
//!
//! Enterprises keep activity data in Excel; the template lets them hand it over without
//! learning TOML. Every sheet and header is bilingual (`过程编号 process id`), the
//! `说明 Instructions` sheet explains each column in 简体中文, 繁體中文 and English, and
//! drop-down lists come from the `列表 Lists` sheet. Worked example rows live on their
//! own `示例 Example` sheet, which the importer never reads, so they cannot be imported
//! by accident.
//!
//! Layout (all sheets but Product: header in row 1, one record per row below):
//! - `产品 Product`: one field per row — label in A, value in B, help in C.
//! - `参数 Parameters`: name, value (number or formula), unit, uncertainty, source…
//! - `过程 Processes`: one process per row with its reference output and allocation.
//! - `副产品 Co-products`: one co-product per row, tied to its process by `process id`.
//! - `输入 Inputs`: one input per row: `process id`, `link` (process/dataset/supplier),
//!   `target id`, amount, unit, stage, primary, uncertainty, DQR or pedigree, source,
//!   and the supplier's PCF columns for supplier links.
//! - `排放 Emissions`: one direct emission per row: gas, origin, amount, unit…
//!
//! A wrong cell is reported as `输入 Inputs!E7: unknown unit 'kgs'`; every problem of a
//! workbook is reported at once, including the model validation's, mapped back to the
//! cell each field came from.

mod cells;
mod grid;
mod lists;
mod read;
mod records;
mod results;
mod results_csv;
mod template;
pub mod text;

pub use read::{read_model_xlsx, read_model_xlsx_bytes};
pub use records::{CellValue, Layout, SheetRecords, model_records};
pub use results::write_results_xlsx;
pub use results_csv::write_results_csv;
pub use template::{write_model_xlsx, write_template};

use std::fmt;

/// A problem at one cell (or, with an empty `cell`, a whole sheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub sheet: String,
    /// A1-style reference (`E7`), or a row (`1`) for a header problem.
    pub cell: String,
    pub message: String,
}

impl fmt::Display for CellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cell.is_empty() {
            write!(f, "{}: {}", self.sheet, self.message)
        } else {
            write!(f, "{}!{}: {}", self.sheet, self.cell, self.message)
        }
    }
}

/// Why a workbook could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// Not a readable xlsx file at all.
    #[error("{file}: not a readable .xlsx workbook: {message}")]
    Workbook { file: String, message: String },
    /// Cells that are wrong; all of them, in sheet order.
    #[error("{file}: {} problem(s):\n{}", errors.len(), list(errors))]
    Cells {
        file: String,
        errors: Vec<CellError>,
    },
    #[error("{file}: writing the workbook failed: {source}")]
    Write {
        file: String,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    /// A model that the workbook layout cannot hold.
    #[error("{what}: cannot be written to a workbook: {message}")]
    NotRepresentable { what: String, message: String },
}

impl XlsxError {
    /// The cell errors, if this is a cell-level error.
    pub fn cell_errors(&self) -> &[CellError] {
        match self {
            XlsxError::Cells { errors, .. } => errors,
            _ => &[],
        }
    }
}

fn list(errors: &[CellError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_letters(mut col: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8_lossy(&s).into_owned()
}

/// A1 reference of a 0-based (row, column).
pub(crate) fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 4), "E7");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
