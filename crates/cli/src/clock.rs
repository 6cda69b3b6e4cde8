//! The current time as RFC 3339 (UTC), for timestamps the user did not give.

use std::time::{SystemTime, UNIX_EPOCH};

/// `YYYY-MM-DDTHH:MM:SSZ` for now.
pub fn now_rfc3339() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    rfc3339(secs)
}

/// `YYYY-MM-DDTHH:MM:SSZ` of Unix seconds (the server's RFC 3339 writer).
fn rfc3339(secs: i64) -> String {
    zuji_server::pact::time::format_rfc3339_ms(secs.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_instants() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        // 2000-02-29T12:34:56Z = 951827696 (leap day in a century leap year)
        assert_eq!(super::rfc3339(951_827_696), "2000-02-29T12:34:56Z");
        // 2026-11-21T07:32:00Z = 1795246320
        assert_eq!(super::rfc3339(1_795_246_320), "2026-11-21T07:32:00Z");
    }
}
