//! EcoSpold1 import must never panic, whatever the bytes: it returns a report or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = data;
    let _ = zuji_formats::ecospold1::import_ecospold1_from_reader("fuzz.xml", &mut input);
});
