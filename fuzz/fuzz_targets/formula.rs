//! Parameter formulas and unit symbols: parsing and evaluation never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(e) = zuji_model::formula::Expr::parse(text) {
            let _ = e.eval(&|name| (name.len() < 4).then_some(1.5));
        }
        let _ = zuji_model::units::Unit::parse(text);
        let _ = zuji_model::Gas::parse(text);
    }
});
