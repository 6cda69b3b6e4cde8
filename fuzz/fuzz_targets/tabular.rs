//! The tabular LCI layout: four CSV tables split from the input never panic the reader.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut parts = text.splitn(4, '\u{1e}');
        let a = parts.next().unwrap_or("");
        let f = parts.next().unwrap_or("");
        let e = parts.next().unwrap_or("");
        let c = parts.next().unwrap_or("");
        let _ = zuji_formats::tabular::read_tabular_from_strings(a, f, e, c);
    }
});
