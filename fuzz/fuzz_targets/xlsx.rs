//! Excel model workbooks: any bytes (a zip, a damaged workbook, noise) never panic the
//! importer; it returns a model or an error naming sheet and cell.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zuji_formats::xlsx::read_model_xlsx_bytes(data, "fuzz.xlsx");
});
