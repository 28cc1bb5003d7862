//! The client's calendar: the dates a client reads — an answer's HTTP `Date` (its server's
//! clock) and a credentials provider's RFC 3339 `expiration` — on one day count
//! ([`days_from_civil`]). Pure: the "now" a two-digit year needs is an argument. (The signer's
//! credential-scope dates are `crate::sign::UtcDate`, which this reads the year with: the signer
//! knows nothing of clients.)

use crate::sign::UtcDate;

/// Parses an HTTP date (RFC 9110 §5.6.7) into Unix seconds, in any of the three forms a
/// recipient must accept:
///
/// - IMF-fixdate, what servers send: `Sun, 06 Nov 1994 08:49:37 GMT`;
/// - the obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`, whose two-digit year is read as
///   the RFC says: never more than 50 years after the year of `now_unix` (Unix seconds), so the
///   latest year with those last two digits up to then;
/// - the obsolete asctime form: `Sun Nov  6 08:49:37 1994` (day padded with a space or a zero).
///
/// Day and month names are case-sensitive, as the grammar defines them; anything else, including
/// out-of-range fields, is `None`.
#[cfg_attr(cvm_size, optimize(size))]
pub fn parse_http_date(value: &str, now_unix: i64) -> Option<i64> {
    let value = value.trim();
    let date = imf_fixdate(value)
        .or_else(|| rfc850_date(value, now_unix))
        .or_else(|| asctime_date(value))?;
    date.unix_seconds()
}

/// The fields of an HTTP date, before their ranges are checked.
struct HttpDate {
    year: i64,
    month: i64,
    day: i64,
    time: (i64, i64, i64),
}

impl HttpDate {
    #[cfg_attr(cvm_size, optimize(size))]
    fn unix_seconds(&self) -> Option<i64> {
        let (hour, minute, second) = self.time;
        if !(1..=31).contains(&self.day) || hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        Some(
            days_from_civil(self.year, self.month, self.day) * 86_400
                + hour * 3600
                + minute * 60
                + second,
        )
    }
}

const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// `Sun, 06 Nov 1994 08:49:37 GMT`
#[cfg_attr(cvm_size, optimize(size))]
fn imf_fixdate(value: &str) -> Option<HttpDate> {
    let mut parts = value.split(' ');
    let weekday = parts.next()?.strip_suffix(',')?;
    if !DAY_NAMES.contains(&weekday) {
        return None;
    }
    let day = number(parts.next()?, 2)?;
    let month = month(parts.next()?)?;
    let year = number(parts.next()?, 4)?;
    let time = time_of_day(parts.next()?)?;
    gmt_and_end(parts)?;
    Some(HttpDate {
        year,
        month,
        day,
        time,
    })
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
#[cfg_attr(cvm_size, optimize(size))]
fn rfc850_date(value: &str, now_unix: i64) -> Option<HttpDate> {
    let mut parts = value.split(' ');
    let weekday = parts.next()?.strip_suffix(',')?;
    if !LONG_DAY_NAMES.contains(&weekday) {
        return None;
    }
    let mut date = parts.next()?.split('-');
    let day = number(date.next()?, 2)?;
    let month = month(date.next()?)?;
    let two_digits = number(date.next()?, 2)?;
    if date.next().is_some() {
        return None;
    }
    let time = time_of_day(parts.next()?)?;
    gmt_and_end(parts)?;
    // The latest year with these last two digits that is at most 50 years after now's (a clock
    // beyond four-digit years counts as year 9999).
    let latest = year_of(now_unix) + 50;
    let year = latest - (latest - two_digits).rem_euclid(100);
    Some(HttpDate {
        year,
        month,
        day,
        time,
    })
}

/// `Sun Nov  6 08:49:37 1994` (or `Sun Nov 06 …`)
#[cfg_attr(cvm_size, optimize(size))]
fn asctime_date(value: &str) -> Option<HttpDate> {
    let mut parts = value.split(' ');
    if !DAY_NAMES.contains(&parts.next()?) {
        return None;
    }
    let month = month(parts.next()?)?;
    let day = match parts.next()? {
        "" => number(parts.next()?, 1)?,
        two => number(two, 2)?,
    };
    let time = time_of_day(parts.next()?)?;
    let year = number(parts.next()?, 4)?;
    if parts.next().is_some() {
        return None;
    }
    Some(HttpDate {
        year,
        month,
        day,
        time,
    })
}

#[cfg_attr(cvm_size, optimize(size))]
fn month(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let index = MONTHS.iter().position(|m| *m == name)?;
    i64::try_from(index).ok().map(|i| i + 1)
}

/// `08:49:37`
#[cfg_attr(cvm_size, optimize(size))]
fn time_of_day(text: &str) -> Option<(i64, i64, i64)> {
    let mut clock = text.split(':');
    let hour = number(clock.next()?, 2)?;
    let minute = number(clock.next()?, 2)?;
    let second = number(clock.next()?, 2)?;
    if clock.next().is_some() {
        return None;
    }
    Some((hour, minute, second))
}

/// The rest is exactly `GMT`.
/// The UTC year of a Unix time, clamped to four digits.
#[cfg_attr(cvm_size, optimize(size))]
pub(crate) fn year_of(unix: i64) -> i64 {
    UtcDate::from_unix(unix).year().clamp(0, 9999)
}

#[cfg_attr(cvm_size, optimize(size))]
fn gmt_and_end<'a>(mut rest: impl Iterator<Item = &'a str>) -> Option<()> {
    (rest.next()? == "GMT" && rest.next().is_none()).then_some(())
}

#[cfg_attr(cvm_size, optimize(size))]
fn number(s: &str, digits: usize) -> Option<i64> {
    if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
#[cfg_attr(cvm_size, optimize(size))]
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339; `t`/`z` and a space for `T` too) as
/// milliseconds since 1970. `None` for anything else, out-of-range fields included.
pub fn rfc3339_ms(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let sep = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    // The day exists when it comes before the first of the next month.
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let first = days_from_civil(year, month, 1);
    let month_days = days_from_civil(next_year, next_month, 1) - first;
    if !(1..=12).contains(&month)
        || !(1..=month_days).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut at = 19;
    let mut fraction_ms = 0.0;
    if sep(at, b".") {
        let start = at + 1;
        let len = b
            .get(start..)?
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if len == 0 || len > 9 {
            return None;
        }
        let n = digits(start, len)?;
        fraction_ms = n as f64 / 10f64.powi(len as i32) * 1000.0;
        at = start + len;
    }
    let offset_min = match b.get(at..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (h, m) = (digits(at + 1, 2)?, digits(at + 4, 2)?);
            if h > 23 || m > 59 {
                return None;
            }
            let total = h * 60 + m;
            if *sign == b'-' {
                -total
            } else {
                total
            }
        }
        _ => return None,
    };
    let seconds = (first + day - 1) * 86_400 + hour * 3600 + minute * 60 + second - offset_min * 60;
    Some(seconds as f64 * 1000.0 + fraction_ms)
}
