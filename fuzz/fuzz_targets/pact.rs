//! A PACT ProductFootprint (v3 or v2.x) or list response: importing never panics, and
//! whatever imports turns into a supplier footprint.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zuji_formats::pact::{import_product_footprint, import_product_footprints};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(f) = import_product_footprint(text) {
            let _ = f.to_supplier_footprint();
        }
        let _ = import_product_footprints(text);
    }
});
