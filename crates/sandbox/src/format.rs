//! How times and money are written on the wire.

use rust_decimal::Decimal;
use time::format_description::FormatItem;
use time::macros::format_description;
use time::OffsetDateTime;

const MILLIS_Z: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
const SECONDS_Z: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");

/// `2025-05-16T08:45:32.108Z`, as the Voltage Park VM and billing examples show.
pub fn millis_z(t: OffsetDateTime) -> String {
    t.format(MILLIS_Z).expect("formattable time")
}

/// `2022-01-01T00:00:00Z`, as the bare-metal and NetActuate examples show.
pub fn seconds_z(t: OffsetDateTime) -> String {
    t.format(SECONDS_Z).expect("formattable time")
}

/// Money with six decimals: `"3.500000"`.
pub fn money(d: Decimal) -> String {
    format!("{:.6}", d.round_dp(6))
}

/// Parses a literal decimal written in the seed data.
pub fn dec(s: &str) -> Decimal {
    s.parse().expect("literal decimal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_six_decimals() {
        assert_eq!(money(dec("3.5")), "3.500000");
        assert_eq!(money(dec("-0.0000004")), "0.000000");
        assert_eq!(money(dec("2.2500005")), "2.250000");
    }

    #[test]
    fn timestamps_match_the_documents() {
        let t = time::macros::datetime!(2025-05-16 08:45:32.108 UTC);
        assert_eq!(millis_z(t), "2025-05-16T08:45:32.108Z");
        assert_eq!(seconds_z(t), "2025-05-16T08:45:32Z");
    }
}
