//! TIDAS JSON documents: any bytes never panic the JSON-to-ILCD-XML mapping.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = zuji_formats::tidas::tidas_json_to_xml("fuzz.json", data);
});
