//! A product model in JSON: reading, validating and locating errors never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zuji_formats::product_model::{ModelFormat, parse_product_model};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(loaded) = parse_product_model(text, ModelFormat::Json, "fuzz.json") {
            for e in zuji_model::validate::validate(&loaded.model) {
                let _ = loaded.describe(&e);
            }
        }
    }
});
