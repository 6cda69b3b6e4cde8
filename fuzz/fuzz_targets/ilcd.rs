//! ILCD archives: any bytes as a zip never panic the importer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zuji_formats::ilcd::import_ilcd_from_zip_bytes(data, "fuzz.zip");
});
