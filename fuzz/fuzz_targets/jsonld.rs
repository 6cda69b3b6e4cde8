//! openLCA JSON-LD: any bytes as a zip package never panic the importer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zuji_formats::jsonld::import_jsonld_from_zip_bytes(data, "fuzz.zip");
});
