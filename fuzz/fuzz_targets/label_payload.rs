//! A label's QR text or bare `ZJ1.` payload, as anyone may print it: decoding and offline
//! verification never panic, whatever the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zuji_trust::keys::KeyRing;
use zuji_trust::label::{decode_qr_payload, verify_offline};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_qr_payload(text);
        let _ = verify_offline(text, &KeyRing::new(), 1_795_219_200);
    }
});
