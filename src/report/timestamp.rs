//! Dates in reports: when a scan ran (GitLab's `start_time`, the rotation report's date) and
//! when a commit was made (history findings). One place, on `jiff`, so every output writes
//! dates the same way.

use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use std::time::SystemTime;

/// `t` as `YYYY-MM-DDTHH:MM:SS` in UTC (the layout GitLab's security reports require).
pub fn utc(t: SystemTime) -> String {
    Timestamp::try_from(t)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .strftime("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

/// A Unix time seen from a UTC offset, as RFC 3339 (`git log --date=iso-strict`); the
/// offset is that of the commit's author. Out-of-range values fall back to UTC or the epoch
/// rather than fail: a corrupt commit date must not stop a scan.
pub fn rfc3339_at(seconds: i64, offset_minutes: i32) -> String {
    let ts = Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH);
    let offset = Offset::from_seconds(offset_minutes.saturating_mul(60)).unwrap_or(Offset::UTC);
    ts.to_zoned_datetime(TimeZone::fixed(offset))
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(secs: u64) -> String {
        utc(UNIX_EPOCH + Duration::from_secs(secs))
    }

    #[test]
    fn known_instants() {
        assert_eq!(at(0), "1970-01-01T00:00:00");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00");
        assert_eq!(at(1_798_761_599), "2026-12-31T23:59:59");
    }

    #[test]
    fn dates_are_rfc3339_in_the_given_offset() {
        assert_eq!(rfc3339_at(0, 0), "1970-01-01T00:00:00+00:00");
        // 2024-02-29T12:34:56Z seen from UTC+05:30 and UTC-08:00.
        assert_eq!(rfc3339_at(1_709_210_096, 330), "2024-02-29T18:04:56+05:30");
        assert_eq!(rfc3339_at(1_709_210_096, -480), "2024-02-29T04:34:56-08:00");
        assert_eq!(rfc3339_at(i64::MAX, i32::MAX), "1970-01-01T00:00:00+00:00");
    }
}
