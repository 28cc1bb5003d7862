//! Retry and pacing arithmetic: pure functions of time and chance, applied by the JavaScript
//! client (which owns the clock, the timers and the network).

use std::collections::VecDeque;

/// Capped exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS
/// Architecture Blog): `floor(random01 × min(cap, base × 2^attempt))`, attempt counting from 0.
/// Non-finite or negative inputs count as 0; `random01` is clamped to `[0, 1)`.
pub fn backoff_delay_ms(attempt: u32, base_ms: f64, cap_ms: f64, random01: f64) -> f64 {
    let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let (base, cap) = (clean(base_ms), clean(cap_ms));
    let random = clean(random01).min(1.0 - f64::EPSILON);
    let ceiling = (base * 2f64.powi(attempt.min(62) as i32)).min(cap);
    (random * ceiling).floor()
}

/// A sliding-window rate limiter: at most `limit` sends in any `window_ms` window.
///
/// A server that allows "10 requests per second" may count in fixed or sliding windows; keeping
/// every window of one second (plus a margin for network jitter) under the limit satisfies
/// both, where a token bucket with a burst would not. Callers reserve a slot synchronously and
/// wait the returned delay; reservations queue, so concurrent callers share one budget.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: usize,
    window_ms: f64,
    /// Send times granted, oldest first; only the last `limit` matter.
    granted: VecDeque<f64>,
}

impl RateLimiter {
    /// `limit` sends per `window_ms` (a zero limit or a non-finite window count as 1 and 0).
    pub fn new(limit: u32, window_ms: f64) -> Self {
        let limit = usize::try_from(limit.max(1)).unwrap_or(1);
        let window_ms = if window_ms.is_finite() && window_ms > 0.0 {
            window_ms
        } else {
            0.0
        };
        Self {
            limit,
            window_ms,
            granted: VecDeque::with_capacity(limit),
        }
    }

    /// Reserves the next send slot at or after `now_ms`; returns how long to wait for it.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        let now = if now_ms.is_finite() { now_ms } else { 0.0 };
        // The slot frees when the send `limit` places back leaves the window.
        let at = if self.granted.len() < self.limit {
            now
        } else {
            self.granted
                .front()
                .map_or(now, |oldest| (oldest + self.window_ms).max(now))
        };
        let at = self.granted.back().map_or(at, |last| at.max(*last));
        self.granted.push_back(at);
        while self.granted.len() > self.limit {
            self.granted.pop_front();
        }
        at - now
    }
}

/// Parses an HTTP date in IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7),
/// the form servers send in `Date`; returns Unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    let mut parts = value.trim().split(' ');
    let weekday = parts.next()?;
    if weekday.len() != 4 || !weekday.ends_with(',') {
        return None;
    }
    let day: i64 = number(parts.next()?, 2)?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = number(parts.next()?, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: i64 = number(clock.next()?, 2)?;
    let minute: i64 = number(clock.next()?, 2)?;
    let second: i64 = number(clock.next()?, 2)?;
    if clock.next().is_some() || parts.next()? != "GMT" || parts.next().is_some() {
        return None;
    }
    if !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

fn number(s: &str, digits: usize) -> Option<i64> {
    if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_jitters() {
        assert_eq!(backoff_delay_ms(0, 200.0, 5000.0, 0.5), 100.0);
        assert_eq!(backoff_delay_ms(3, 200.0, 5000.0, 0.5), 800.0);
        assert_eq!(backoff_delay_ms(10, 200.0, 5000.0, 0.5), 2500.0);
        assert_eq!(backoff_delay_ms(1000, 200.0, 5000.0, 0.999), 4995.0);
        assert_eq!(backoff_delay_ms(2, 200.0, 5000.0, 0.0), 0.0);
        assert!(backoff_delay_ms(2, 200.0, 5000.0, 1.0) < 800.0);
        assert_eq!(backoff_delay_ms(2, f64::NAN, 5000.0, 0.5), 0.0);
        assert_eq!(backoff_delay_ms(2, 200.0, -1.0, 0.5), 0.0);
    }

    #[test]
    fn limiter_keeps_every_window_under_the_limit() {
        let mut limiter = RateLimiter::new(10, 1000.0);
        // 50 reservations at the same instant: 10 now, 10 a second later, and so on.
        let delays: Vec<f64> = (0..50).map(|_| limiter.reserve(0.0)).collect();
        for (i, d) in delays.iter().enumerate() {
            assert_eq!(*d, (i / 10) as f64 * 1000.0, "reservation {i}");
        }
        // Any 1000 ms window [t, t+1000) holds at most 10 sends.
        for (i, start) in delays.iter().enumerate() {
            let inside = delays
                .iter()
                .filter(|d| **d >= *start && **d < start + 1000.0)
                .count();
            assert!(inside <= 10, "window at {i}: {inside}");
        }
    }

    #[test]
    fn limiter_frees_slots_as_time_passes() {
        let mut limiter = RateLimiter::new(2, 1000.0);
        assert_eq!(limiter.reserve(0.0), 0.0);
        assert_eq!(limiter.reserve(400.0), 0.0);
        assert_eq!(limiter.reserve(500.0), 500.0);
        assert_eq!(limiter.reserve(5000.0), 0.0);
        assert_eq!(limiter.reserve(f64::NAN), 5000.0);
    }

    #[test]
    fn http_dates_parse_to_unix_seconds() {
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_http_date("Mon, 25 Feb 2019 16:44:25 GMT"),
            Some(1_551_113_065)
        );
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
