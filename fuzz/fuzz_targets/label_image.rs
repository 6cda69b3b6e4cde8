//! An image handed to `zuji verify`: reading QR codes from a PNG or an SVG never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zuji_trust::label::{scan_png, scan_svg};

fuzz_target!(|data: &[u8]| {
    let _ = scan_png(data);
    let _ = scan_svg(data);
});
