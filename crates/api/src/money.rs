//! Money as the providers send it: decimal strings such as `"3.500000"`, never floats.

use std::fmt;
use std::ops::{Add, Mul};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in US dollars, held exactly as millionths of a dollar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money {
    micros: i64,
}

const SCALE: i64 = 1_000_000;

impl Money {
    pub const ZERO: Money = Money { micros: 0 };

    pub fn from_micros(micros: i64) -> Self {
        Money { micros }
    }

    pub fn micros(self) -> i64 {
        self.micros
    }

    /// Parses `"3.5"`, `"3.500000"`, `"-0.25"`, `"12"`; digits beyond the sixth decimal are
    /// rounded half away from zero.
    pub fn parse(s: &str) -> Option<Money> {
        let s = s.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().ok()?
        };
        let mut micros = whole.checked_mul(SCALE)?;
        let mut frac_micros = 0i64;
        for (i, b) in frac.bytes().take(6).enumerate() {
            frac_micros += i64::from(b - b'0') * 10i64.pow(5 - i as u32);
        }
        if frac.as_bytes().get(6).is_some_and(|b| *b >= b'5') {
            frac_micros += 1;
        }
        micros = micros.checked_add(frac_micros)?;
        Some(Money {
            micros: if negative { -micros } else { micros },
        })
    }

    /// For a rate shown to a person: cents, or `under $0.01` for an amount that rounds to zero
    /// but is not (a released VM's disk, say), so it does not read as free.
    pub fn to_rate_string(self) -> String {
        if self.micros > 0 && self.micros < 5_000 {
            return "under $0.01".into();
        }
        self.to_cents_string()
    }

    /// Rounded to cents for display: `$3.50`.
    pub fn to_cents_string(self) -> String {
        let cents = (u128::from(self.micros.unsigned_abs()) + 5_000) / 10_000;
        let sign = if self.micros < 0 { "-" } else { "" };
        format!("{sign}${}.{:02}", cents / 100, cents % 100)
    }
}

impl fmt::Display for Money {
    /// Full precision, as the providers write it: `3.500000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.micros < 0 { "-" } else { "" };
        let abs = self.micros.unsigned_abs();
        let scale = SCALE as u64;
        write!(f, "{sign}{}.{:06}", abs / scale, abs % scale)
    }
}

// Arithmetic never wraps: an i64 of micro-dollars holds ±9.2 trillion dollars, so only a
// provider's garbage (or a sum of it) can reach the bounds. The `checked_` forms say so; the
// operators stop at the bound instead of wrapping to an amount of the other sign.

impl Money {
    /// The largest amount: what a sum that would overflow stops at.
    pub const MAX: Money = Money { micros: i64::MAX };
    /// The smallest (most negative) amount.
    pub const MIN: Money = Money { micros: i64::MIN };

    pub fn checked_add(self, rhs: Money) -> Option<Money> {
        self.micros.checked_add(rhs.micros).map(Money::from_micros)
    }

    pub fn checked_sub(self, rhs: Money) -> Option<Money> {
        self.micros.checked_sub(rhs.micros).map(Money::from_micros)
    }

    pub fn checked_mul(self, rhs: u32) -> Option<Money> {
        self.micros
            .checked_mul(i64::from(rhs))
            .map(Money::from_micros)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money::from_micros(self.micros.saturating_add(rhs.micros))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money::from_micros(self.micros.saturating_sub(rhs.micros))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl Mul<u32> for Money {
    type Output = Money;
    fn mul(self, rhs: u32) -> Money {
        Money::from_micros(self.micros.saturating_mul(i64::from(rhs)))
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl Money {
    /// Reads a JSON number as an exact amount via its decimal text (`2.2`, `1e-7`, `3`), never
    /// through float arithmetic; `None` when it is out of range.
    pub fn from_json_number(n: &serde_json::Number) -> Option<Money> {
        Money::parse(&plain_decimal(&n.to_string())?)
    }
}

/// `1.5e-3` -> `0.0015`; text without an exponent is returned as it is.
fn plain_decimal(s: &str) -> Option<String> {
    let Some((mantissa, exp)) = s.split_once(['e', 'E']) else {
        return Some(s.to_string());
    };
    let exp: i32 = exp.parse().ok()?;
    if exp.abs() > 40 {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{frac}");
    // Position of the decimal point within `digits` after shifting.
    let point = whole.len() as i32 + exp;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    };
    Some(format!("{sign}{text}"))
}

impl<'de> Deserialize<'de> for Money {
    /// A decimal string (`"15.120000"`, the documents' shape) or a JSON number (`15.12`: the
    /// bare-metal locations in the document, and amounts the live answers send as numbers),
    /// read exactly either way.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Money::parse(&s)
                .ok_or_else(|| serde::de::Error::custom(format!("not a decimal amount: {s:?}"))),
            serde_json::Value::Number(n) => Money::from_json_number(&n)
                .ok_or_else(|| serde::de::Error::custom(format!("not an amount: {n}"))),
            other => Err(serde::de::Error::custom(format!(
                "expected an amount, found {other}"
            ))),
        }
    }
}

/// `Option<Money>` fields that tolerate what is not an amount: a decimal string or a JSON number
/// is read exactly, anything else (`null`, `"text"`) becomes `None` instead of failing the
/// whole response. For fields whose value the console can live without.
pub mod lenient_money {
    use super::Money;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
        Ok(match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Money::parse(&s),
            serde_json::Value::Number(n) => Money::from_json_number(&n),
            _ => None,
        })
    }

    pub fn serialize<S: Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
        match m {
            Some(m) => s.serialize_str(&m.to_string()),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_provider_decimal_strings_exactly() {
        assert_eq!(Money::parse("3.500000").unwrap().micros(), 3_500_000);
        assert_eq!(Money::parse("0.000030").unwrap().micros(), 30);
        assert_eq!(Money::parse("12").unwrap().micros(), 12_000_000);
        assert_eq!(Money::parse("-0.25").unwrap().micros(), -250_000);
        assert_eq!(Money::parse("0.0000005").unwrap().micros(), 1);
        assert!(Money::parse("text").is_none());
        assert!(Money::parse("").is_none());
        assert!(Money::parse("1e3").is_none());
    }

    /// Amounts as strings (the documents) or numbers (live answers): the same exact amount.
    #[test]
    fn reads_an_amount_given_as_a_string_or_a_number() {
        let read = |json: &str| serde_json::from_str::<Money>(json).map(Money::micros);
        assert_eq!(read(r#""15.120000""#).unwrap(), 15_120_000);
        assert_eq!(read("15.12").unwrap(), 15_120_000);
        assert_eq!(read("1.99").unwrap(), 1_990_000);
        assert_eq!(read("1e-6").unwrap(), 1);
        assert_eq!(read("3").unwrap(), 3_000_000);
        assert!(read("null").is_err() && read(r#""text""#).is_err() && read("true").is_err());
    }

    #[test]
    fn sums_without_float_drift() {
        let total: Money = std::iter::repeat_n(Money::parse("0.1").unwrap(), 10).sum();
        assert_eq!(total.to_string(), "1.000000");
        assert_eq!(
            (Money::parse("2.25").unwrap() * 8).to_cents_string(),
            "$18.00"
        );
        assert_eq!(Money::parse("0.005").unwrap().to_cents_string(), "$0.01");
        assert_eq!(
            Money::parse("0.0017").unwrap().to_rate_string(),
            "under $0.01"
        );
        assert_eq!(Money::ZERO.to_rate_string(), "$0.00");
        assert_eq!(Money::parse("4.18").unwrap().to_rate_string(), "$4.18");
    }

    /// Parsing, printing, sums, differences and products agree with `rust_decimal` over
    /// generated amounts, and at the bounds the operators stop instead of wrapping.
    #[test]
    fn agrees_with_rust_decimal() {
        use rust_decimal::prelude::*;
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let amount = |n: u64| -> (Money, Decimal) {
            let micros = (n % 2_000_000_000_000) as i64 - 1_000_000_000_000;
            (Money::from_micros(micros), Decimal::new(micros, 6))
        };
        for _ in 0..20_000 {
            let ((a, da), (b, db)) = (amount(next()), amount(next()));
            let k = (next() % 10_000) as u32;
            assert_eq!(a.to_string(), format!("{da:.6}"));
            assert_eq!(Money::parse(&da.to_string()), Some(a), "{da}");
            assert_eq!((a + b).to_string(), format!("{:.6}", da + db));
            assert_eq!((a - b).to_string(), format!("{:.6}", da - db));
            assert_eq!((a * k).to_string(), format!("{:.6}", da * Decimal::from(k)));
            let cents = da
                .abs()
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            let sign = if a.micros() < 0 { "-" } else { "" };
            assert_eq!(a.to_cents_string(), format!("{sign}${cents:.2}"), "{da}");
        }
        assert_eq!(Money::MAX.checked_add(Money::from_micros(1)), None);
        assert_eq!(Money::MAX + Money::from_micros(1), Money::MAX);
        assert_eq!(Money::MIN - Money::from_micros(1), Money::MIN);
        assert_eq!(Money::MAX.checked_mul(2), None);
        assert_eq!(Money::MAX * 2, Money::MAX);
        assert_eq!(Money::MIN.to_string(), "-9223372036854.775808");
        assert_eq!(Money::parse("9223372036855"), None);
    }
}
