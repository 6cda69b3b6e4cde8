//! The trust layer's text inputs: a PCR and an adopted-standards list in TOML, and a
//! transparency-log copy (entries, heads, keys) in JSON; reading and checking them never
//! panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zuji_trust::keys::KeyRing;
use zuji_trust::log::{LogEntry, SignedTreeHead, verify_log_copy};
use zuji_trust::pcr::{AdoptedStandardsList, Pcr};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Pcr::from_toml(text, "fuzz.toml");
    let _ = AdoptedStandardsList::from_toml(text, "fuzz.toml");
    if let Ok(entries) = serde_json::from_str::<Vec<LogEntry>>(text) {
        let _ = verify_log_copy(&entries, &[] as &[SignedTreeHead], &KeyRing::new());
    }
});
