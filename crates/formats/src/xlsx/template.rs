//! Writing the model workbook: the blank template and a model as a filled workbook.
//!
//! Both share one layout so that whatever the template offers, the importer reads, and
//! a model written here reads back equal. The template carries the worked example on a
//! separate `示例 Example` sheet that the importer ignores.

use super::XlsxError;
use super::lists::{self, List};
use super::records::{CellValue, Layout, SheetRecords, model_records};
use super::text::{self, Col, SheetText};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, Formula, Workbook, Worksheet,
    XlsxError as WriteError,
};
use std::collections::BTreeSet;
use std::path::Path;
use zuji_model::lci::LciDatabase;
use zuji_model::product::{InputLink, ProductModel};

/// The worked example shown on the Example sheet (docs/product-model.md).
const EXAMPLE_TOML: &str = include_str!("../../../../examples/steel-bracket-worked-example.toml");

/// Rows that carry drop-down validations below each header (Excel's default sheet is
/// far larger; 2000 rows keep the file small and cover any real bill of materials).
const VALIDATED_ROWS: u32 = 2000;

/// Writes the blank template; `db` supplies the background dataset ids offered in the
/// `target id` drop-down.
pub fn write_template(path: &Path, db: &LciDatabase) -> Result<(), XlsxError> {
    let file = path.display().to_string();
    let example: ProductModel =
        toml::from_str(EXAMPLE_TOML).map_err(|e| XlsxError::NotRepresentable {
            what: "the bundled worked example".into(),
            message: e.to_string(),
        })?;
    let example = model_records(&example)?;
    let mut wb =
        build(None, lists::dataset_ids(db), Some(&example)).map_err(|source| XlsxError::Write {
            file: file.clone(),
            source,
        })?;
    wb.save(path)
        .map_err(|source| XlsxError::Write { file, source })
}

/// Writes a model as a filled workbook in the template's layout (for round trips and
/// for handing a model to someone who works in Excel).
pub fn write_model_xlsx(path: &Path, model: &ProductModel) -> Result<(), XlsxError> {
    let file = path.display().to_string();
    let records = model_records(model)?;
    let datasets: BTreeSet<String> = model
        .processes
        .iter()
        .flat_map(|p| &p.inputs)
        .filter_map(|i| match i.link() {
            Ok(InputLink::Dataset(d)) => Some(d.to_string()),
            _ => None,
        })
        .collect();
    let mut wb = build(Some(&records), datasets.into_iter().collect(), None).map_err(|source| {
        XlsxError::Write {
            file: file.clone(),
            source,
        }
    })?;
    wb.save(path)
        .map_err(|source| XlsxError::Write { file, source })
}

/// The columns of a Rows-layout sheet.
pub(crate) fn columns_of(sheet: &SheetText) -> Vec<Col> {
    match sheet.key {
        "parameters" => text::parameter_cols(),
        "processes" => text::process_cols(),
        "co-products" => text::coproduct_cols(),
        "inputs" => text::input_cols(),
        "emissions" => text::emission_cols(),
        _ => Vec::new(),
    }
}

struct Formats {
    header: Format,
    title: Format,
    wrap: Format,
}

fn formats() -> Formats {
    Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color(Color::RGB(0xDDEBF7)),
        title: Format::new().set_bold().set_font_size(14),
        wrap: Format::new().set_text_wrap(),
    }
}

fn build(
    data: Option<&[SheetRecords]>,
    datasets: Vec<String>,
    example: Option<&[SheetRecords]>,
) -> Result<Workbook, WriteError> {
    let mut wb = Workbook::new();
    let f = formats();
    let lists = lists::lists(datasets);
    instructions(wb.add_worksheet(), &f)?;
    for sheet in [
        text::PRODUCT,
        text::PARAMETERS,
        text::PROCESSES,
        text::COPRODUCTS,
        text::INPUTS,
        text::EMISSIONS,
    ] {
        let records = data.and_then(|d| d.iter().find(|r| r.sheet.key == sheet.key));
        let ws = wb.add_worksheet();
        ws.set_name(sheet.name)?;
        if sheet.key == "product" {
            product_sheet(ws, records, &lists, &f)?;
        } else {
            rows_sheet(ws, &sheet, records, &lists, &f)?;
        }
    }
    if let Some(example) = example {
        example_sheet(wb.add_worksheet(), example, &f)?;
    }
    lists_sheet(wb.add_worksheet(), &lists, &f)?;
    Ok(wb)
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, v: &CellValue) -> Result<(), WriteError> {
    match v {
        CellValue::Text(s) => ws.write_string(row, col, s)?,
        CellValue::Number(n) => ws.write_number(row, col, *n)?,
    };
    Ok(())
}

fn instructions(ws: &mut Worksheet, f: &Formats) -> Result<(), WriteError> {
    ws.set_name(text::INSTRUCTIONS.name)?;
    for (i, t) in text::TITLE.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, *t, &f.title)?;
    }
    let mut top = text::TITLE.len() as u32 + 1;
    for note in text::NOTES {
        for (c, s) in note.iter().enumerate() {
            ws.write_string_with_format(top, 2 + c as u16, *s, &f.wrap)?;
        }
        top += 1;
    }
    top += 1;
    for (c, h) in text::HELP_HEADERS.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &f.header)?;
    }
    let mut row = top + 1;
    for sheet in text::SHEETS {
        ws.write_string_with_format(row, 0, sheet.name, &f.header)?;
        for (c, s) in [sheet.hans, sheet.hant, sheet.en].iter().enumerate() {
            ws.write_string_with_format(row, 2 + c as u16, *s, &f.wrap)?;
        }
        row += 1;
        let cols: Vec<Col> = if sheet.key == "product" {
            text::PRODUCT_FIELDS.to_vec()
        } else {
            columns_of(&sheet)
        };
        for c in cols {
            ws.write_string(row, 0, sheet.name)?;
            ws.write_string(row, 1, c.header())?;
            ws.write_string_with_format(row, 2, c.hans, &f.wrap)?;
            ws.write_string_with_format(row, 3, c.hant, &f.wrap)?;
            ws.write_string_with_format(row, 4, c.en, &f.wrap)?;
            row += 1;
        }
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 30)?;
    for c in 2..5 {
        ws.set_column_width(c, 50)?;
    }
    ws.set_freeze_panes(top + 1, 0)?;
    Ok(())
}

/// A list validation referring to the Lists sheet, or none when the list is empty.
fn validation(lists: &[List], key: &str) -> Result<Option<DataValidation>, WriteError> {
    let Some((i, list)) = lists.iter().enumerate().find(|(_, l)| l.key == key) else {
        return Ok(None);
    };
    if list.values.is_empty() {
        return Ok(None);
    }
    let col = super::column_letters(i as u32);
    let range = format!(
        "'{}'!${col}$2:${col}${}",
        text::LISTS.name,
        list.values.len() + 1
    );
    let style = if list.strict {
        DataValidationErrorStyle::Stop
    } else {
        DataValidationErrorStyle::Information
    };
    let v = DataValidation::new()
        .allow_list_formula(Formula::new(range))
        .set_error_style(style)
        .set_error_title("Zuji")?
        .set_error_message(format!("{} {}", text::CHOOSE_FROM_LIST, list.header))?;
    Ok(Some(v))
}

fn product_sheet(
    ws: &mut Worksheet,
    records: Option<&SheetRecords>,
    lists: &[List],
    f: &Formats,
) -> Result<(), WriteError> {
    for (c, h) in text::FIELD_COLS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h.header(), &f.header)?;
    }
    let values = records.and_then(|r| r.rows.first());
    for (i, field) in text::PRODUCT_FIELDS.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, field.header(), &f.header)?;
        ws.write_string_with_format(row, 2, field.hans, &f.wrap)?;
        if let Some((_, v)) = values.and_then(|r| r.iter().find(|(k, _)| *k == field.key)) {
            write_cell(ws, row, 1, v)?;
        }
        if let Some(v) = lists::list_for(field.key)
            .map(|k| validation(lists, k))
            .transpose()?
            .flatten()
        {
            ws.add_data_validation(row, 1, row, 1, &v)?;
        }
    }
    ws.set_column_width(0, 32)?;
    ws.set_column_width(1, 40)?;
    ws.set_column_width(2, 60)?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

fn rows_sheet(
    ws: &mut Worksheet,
    sheet: &SheetText,
    records: Option<&SheetRecords>,
    lists: &[List],
    f: &Formats,
) -> Result<(), WriteError> {
    let cols = columns_of(sheet);
    for (c, col) in cols.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, col.header(), &f.header)?;
        ws.set_column_width(c as u16, 16)?;
        if let Some(v) = lists::list_for(col.key)
            .map(|k| validation(lists, k))
            .transpose()?
            .flatten()
        {
            ws.add_data_validation(1, c as u16, VALIDATED_ROWS, c as u16, &v)?;
        }
    }
    if let Some(records) = records {
        write_rows(ws, 1, &cols, &records.rows)?;
    }
    ws.set_row_height(0, 32)?;
    ws.set_freeze_panes(1, 1)?;
    Ok(())
}

fn write_rows(
    ws: &mut Worksheet,
    first_row: u32,
    cols: &[Col],
    rows: &[Vec<(&'static str, CellValue)>],
) -> Result<(), WriteError> {
    for (r, rec) in rows.iter().enumerate() {
        for (key, v) in rec {
            if let Some(c) = cols.iter().position(|c| c.key == *key) {
                write_cell(ws, first_row + r as u32, c as u16, v)?;
            }
        }
    }
    Ok(())
}

/// The worked example as blocks, each titled with the sheet it belongs on.
fn example_sheet(
    ws: &mut Worksheet,
    example: &[SheetRecords],
    f: &Formats,
) -> Result<(), WriteError> {
    ws.set_name(text::EXAMPLE.name)?;
    for (c, s) in [text::EXAMPLE.hans, text::EXAMPLE.hant, text::EXAMPLE.en]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(c as u32, 0, *s, &f.title)?;
    }
    let mut row = 4;
    for block in example {
        ws.write_string_with_format(row, 0, block.sheet.name, &f.title)?;
        row += 1;
        match block.layout {
            Layout::Fields => {
                let values = block.rows.first();
                for field in text::PRODUCT_FIELDS {
                    if let Some((_, v)) =
                        values.and_then(|r| r.iter().find(|(k, _)| *k == field.key))
                    {
                        ws.write_string_with_format(row, 0, field.header(), &f.header)?;
                        write_cell(ws, row, 1, v)?;
                        row += 1;
                    }
                }
            }
            Layout::Rows => {
                let cols = columns_of(&block.sheet);
                for (c, col) in cols.iter().enumerate() {
                    ws.write_string_with_format(row, c as u16, col.header(), &f.header)?;
                }
                row += 1;
                write_rows(ws, row, &cols, &block.rows)?;
                row += block.rows.len() as u32;
            }
        }
        row += 1;
    }
    ws.set_column_width(0, 32)?;
    ws.set_column_width(1, 24)?;
    ws.set_tab_color(Color::RGB(0xFFC000));
    Ok(())
}

fn lists_sheet(ws: &mut Worksheet, lists: &[List], f: &Formats) -> Result<(), WriteError> {
    ws.set_name(text::LISTS.name)?;
    for (c, list) in lists.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, list.header, &f.header)?;
        for (r, v) in list.values.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
        ws.set_column_width(c as u16, 22)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
