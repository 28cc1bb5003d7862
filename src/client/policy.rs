//! Retry and pacing arithmetic: pure functions of time and chance, applied by the JavaScript
//! client (which owns the clock, the timers and the network): backoff and the rate limiter.
//! Dates are [`crate::client::time`]'s.

use std::collections::VecDeque;

/// Timers take at most 2^31 − 1 ms (about 24.8 days); a longer timeout means that longest one
/// (a larger delay would fire at once in Node).
pub const MAX_TIMER_MS: f64 = 2_147_483_647.0;

/// Capped exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS
/// Architecture Blog): `floor(random01 × min(cap, base × 2^attempt))`, attempt counting from 0.
/// Non-finite or negative inputs count as 0; `random01` is clamped to `[0, 1)`.
#[cfg_attr(cvm_size, optimize(size))]
pub fn backoff_delay_ms(attempt: u32, base_ms: f64, cap_ms: f64, random01: f64) -> f64 {
    let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
    let (base, cap) = (clean(base_ms), clean(cap_ms));
    let random = clean(random01).min(1.0 - f64::EPSILON);
    let ceiling = (base * 2f64.powi(attempt.min(62) as i32)).min(cap);
    (random * ceiling).floor()
}

/// A sliding-window rate limiter: at most `limit` requests in any `window_ms`, counted the way
/// the server may count them.
///
/// A server that allows "10 requests per second" may count in fixed or sliding windows, at the
/// moment a request *arrives*. A client knows only that a request arrived between its send and
/// its answer, so each request is counted at its send time until it is answered ([`settle`]),
/// and at its answer time after. A request still in flight always counts. Keeping every window
/// under the limit with these times keeps it under the limit for any arrival times, whatever
/// the latency, where a token bucket with a burst would not.
///
/// The caller asks [`delay_ms`], sleeps, asks again, and calls [`commit`] when it sends: a
/// single-threaded caller (JavaScript) thus shares one budget among concurrent calls.
///
/// [`settle`]: RateLimiter::settle
/// [`delay_ms`]: RateLimiter::delay_ms
/// [`commit`]: RateLimiter::commit
#[derive(Debug, Clone)]
pub struct RateLimiter {
    limit: usize,
    window_ms: f64,
    /// `(time, settled)`, sorted by time: send times of requests in flight, answer times of
    /// settled ones. A deque: entries leave at the front and arrive near the back, so a limiter
    /// raised far above the API's (a window holding thousands) costs the same per request.
    requests: VecDeque<(f64, bool)>,
}

impl RateLimiter {
    /// `limit` requests per `window_ms` (a zero limit counts as 1, a bad window as 0).
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn new(limit: u32, window_ms: f64) -> Self {
        let limit = usize::try_from(limit.max(1)).unwrap_or(1);
        let window_ms = finite(window_ms).max(0.0);
        Self {
            limit,
            window_ms,
            requests: VecDeque::new(),
        }
    }

    /// How long to wait before a request may be sent at `now_ms` (0: send now).
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn delay_ms(&mut self, now_ms: f64) -> f64 {
        let now = finite(now_ms);
        self.forget(now);
        let Some(in_window) = self.requests.len().checked_sub(self.limit) else {
            return 0.0;
        };
        // A request in flight may arrive at any moment up to now: count it as arriving now.
        let mut times: Vec<f64> = self
            .requests
            .iter()
            .map(|&(t, settled)| if settled { t } else { t.max(now) })
            .collect();
        // Insertion sort: a handful of entries, and no general-purpose sort in the .wasm.
        for i in 1..times.len() {
            let mut j = i;
            while j > 0 && times[j - 1] > times[j] {
                times.swap(j - 1, j);
                j -= 1;
            }
        }
        // The oldest request that must leave the window before one more fits.
        times
            .get(in_window)
            .map_or(0.0, |t| (t + self.window_ms - now).max(0.0))
    }

    /// Records a request sent at `now_ms`.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn commit(&mut self, now_ms: f64) {
        self.insert(finite(now_ms), false);
    }

    /// The request sent at `sent_ms` was answered (or given up on) at `answered_ms`.
    #[cfg_attr(cvm_size, optimize(size))]
    pub fn settle(&mut self, sent_ms: f64, answered_ms: f64) {
        let sent = finite(sent_ms);
        // Searched from the back: the request settled is usually among the latest.
        if let Some(i) = self.requests.iter().rposition(|&(t, s)| t == sent && !s) {
            self.requests.remove(i);
        }
        self.insert(finite(answered_ms).max(sent), true);
    }

    #[cfg_attr(cvm_size, optimize(size))]
    fn insert(&mut self, time: f64, settled: bool) {
        let at = self.requests.partition_point(|&(t, _)| t <= time);
        self.requests.insert(at, (time, settled));
    }

    /// Settled requests that left the window can no longer count. Only those before the oldest
    /// request still in flight are dropped: the others, older than every time in the window,
    /// sort first and so never change which time [`RateLimiter::delay_ms`] picks (its index
    /// moves with them); they go when the request in flight before them settles.
    #[cfg_attr(cvm_size, optimize(size))]
    fn forget(&mut self, now: f64) {
        let horizon = now - self.window_ms;
        while matches!(self.requests.front(), Some(&(t, true)) if t <= horizon) {
            self.requests.pop_front();
        }
    }
}

#[cfg_attr(cvm_size, optimize(size))]
fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::time::*;

    /// The limiter as it was before its entries became a deque: every settled entry out of the
    /// window dropped at each question, wherever it sits. The model the deque must agree with.
    struct Model {
        limit: usize,
        window_ms: f64,
        requests: Vec<(f64, bool)>,
    }

    impl Model {
        fn delay_ms(&mut self, now: f64) -> f64 {
            let horizon = now - self.window_ms;
            self.requests
                .retain(|&(t, settled)| !settled || t > horizon);
            let Some(in_window) = self.requests.len().checked_sub(self.limit) else {
                return 0.0;
            };
            let mut times: Vec<f64> = self
                .requests
                .iter()
                .map(|&(t, settled)| if settled { t } else { t.max(now) })
                .collect();
            times.sort_by(f64::total_cmp);
            times
                .get(in_window)
                .map_or(0.0, |t| (t + self.window_ms - now).max(0.0))
        }

        fn insert(&mut self, time: f64, settled: bool) {
            let at = self.requests.partition_point(|&(t, _)| t <= time);
            self.requests.insert(at, (time, settled));
        }

        fn settle(&mut self, sent: f64, answered: f64) {
            if let Some(i) = self.requests.iter().position(|&(t, s)| t == sent && !s) {
                self.requests.remove(i);
            }
            self.insert(answered.max(sent), true);
        }
    }

    #[test]
    fn the_deque_limiter_waits_exactly_as_the_model_does() {
        // A fixed-seed walk of sends, answers (some long in flight) and questions, over limits
        // from 1 to 5 and one far above the traffic.
        let mut seed: u64 = 0x5eed_cafe;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for limit in [1, 2, 3, 5, 1_000_000] {
            let mut limiter = RateLimiter::new(limit, 1000.0);
            let mut model = Model {
                limit: limit as usize,
                window_ms: 1000.0,
                requests: Vec::new(),
            };
            let mut now = 0.0;
            let mut in_flight: Vec<f64> = Vec::new();
            for _ in 0..20_000 {
                now += next(400) as f64;
                // Every request is answered or given up on within 3 s (the client's timeout).
                if let Some(&sent) = in_flight.first().filter(|&&t| now - t > 3000.0) {
                    in_flight.remove(0);
                    limiter.settle(sent, now);
                    model.settle(sent, now);
                }
                match next(3) {
                    0 => {
                        assert_eq!(
                            limiter.delay_ms(now),
                            model.delay_ms(now),
                            "limit {limit} at {now}"
                        );
                        limiter.commit(now);
                        model.insert(now, false);
                        in_flight.push(now);
                    }
                    1 if !in_flight.is_empty() => {
                        // Usually the latest request answers; sometimes the oldest in flight.
                        let i = if next(5) == 0 { 0 } else { in_flight.len() - 1 };
                        let sent = in_flight.remove(i);
                        limiter.settle(sent, now);
                        model.settle(sent, now);
                    }
                    _ => assert_eq!(
                        limiter.delay_ms(now),
                        model.delay_ms(now),
                        "limit {limit} at {now}"
                    ),
                }
            }
            // What it keeps stays bounded by the window, not by the traffic.
            assert!(
                limiter.requests.len() < 200,
                "{} entries kept",
                limiter.requests.len()
            );
        }
    }

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

    /// Sends as soon as allowed; each answer comes back at once.
    fn send_all(limiter: &mut RateLimiter, count: usize) -> Vec<f64> {
        let mut now = 0.0;
        let mut sent = Vec::new();
        while sent.len() < count {
            let wait = limiter.delay_ms(now);
            assert!(wait < 10_000.0, "stuck at {now}");
            if wait > 0.0 {
                now += wait;
                continue;
            }
            limiter.commit(now);
            limiter.settle(now, now);
            sent.push(now);
        }
        sent
    }

    #[test]
    fn limiter_keeps_every_window_under_the_limit() {
        let mut limiter = RateLimiter::new(10, 1000.0);
        let sent = send_all(&mut limiter, 50);
        for (i, t) in sent.iter().enumerate() {
            assert_eq!(*t, (i / 10) as f64 * 1000.0, "request {i}");
        }
        for start in &sent {
            let inside = sent
                .iter()
                .filter(|t| **t >= *start && **t < start + 1000.0)
                .count();
            assert!(inside <= 10, "window at {start}: {inside}");
        }
    }

    #[test]
    fn in_flight_requests_always_count() {
        let mut limiter = RateLimiter::new(2, 1000.0);
        limiter.commit(0.0);
        limiter.commit(0.0);
        // Unanswered after 5 s: they may still arrive now, so no slot frees yet.
        assert_eq!(limiter.delay_ms(5000.0), 1000.0);
        limiter.settle(0.0, 5200.0);
        limiter.settle(0.0, 5300.0);
        assert_eq!(limiter.delay_ms(5400.0), 5200.0 + 1000.0 - 5400.0);
        assert_eq!(limiter.delay_ms(6300.0), 0.0);
    }

    #[test]
    fn answers_move_the_window_by_the_latency() {
        let mut limiter = RateLimiter::new(2, 1000.0);
        limiter.commit(0.0);
        limiter.commit(0.0);
        limiter.settle(0.0, 185.0);
        limiter.settle(0.0, 190.0);
        // The server may have counted both as late as 185 and 190.
        assert_eq!(limiter.delay_ms(1000.0), 185.0);
        assert_eq!(limiter.delay_ms(1185.0), 0.0);
        limiter.commit(1185.0);
        assert_eq!(limiter.delay_ms(1185.0), 5.0);
        assert_eq!(limiter.delay_ms(f64::NAN), 1190.0);
    }

    /// 2026-01-01T00:00:00Z, the "now" of the two-digit-year tests.
    const NOW_2026: i64 = 1_767_225_600;

    #[test]
    fn http_dates_parse_to_unix_seconds() {
        let parse = |s: &str| parse_http_date(s, NOW_2026);
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(parse("Mon, 25 Feb 2019 16:44:25 GMT"), Some(1_551_113_065));
        assert_eq!(
            parse("  Mon, 25 Feb 2019 16:44:25 GMT \r"),
            Some(1_551_113_065)
        );
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:3\u{e9} GMT",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn http_dates_accept_the_obsolete_rfc850_and_asctime_forms() {
        // RFC 9110 §5.6.7: recipients must accept all three forms.
        let parse = |s: &str| parse_http_date(s, NOW_2026);
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse("Sun Nov 06 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse("Monday, 25-Feb-19 16:44:25 GMT"), Some(1_551_113_065));
        assert_eq!(parse("Mon Feb 25 16:44:25 2019"), Some(1_551_113_065));
        for bad in [
            "Sunday, 06-Nov-1994 08:49:37 GMT",
            "Sunday, 6-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-94-01 08:49:37 GMT",
            "Sunday, 06 Nov 94 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37",
            "Sunday, 06-Nov-94 08:49:37 GMT x",
            "Sun Nov 6 08:49:37 1994",
            "Sun Nov   6 08:49:37 1994",
            "Sun Nov  16 08:49:37 1994",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 08:49:37 1994 GMT",
            "Sun, Nov  6 08:49:37 1994",
            "Sunday Nov  6 08:49:37 1994",
            "Sun Nov  6 24:49:37 1994",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn rfc850_two_digit_years_are_never_more_than_50_years_ahead() {
        let year = |yy: &str, now: i64| {
            let at = parse_http_date(&format!("Friday, 01-Jan-{yy} 00:00:00 GMT"), now)?;
            Some(year_of(at))
        };
        assert_eq!(year("26", NOW_2026), Some(2026));
        assert_eq!(
            year("76", NOW_2026),
            Some(2076),
            "50 years ahead: still the future"
        );
        assert_eq!(year("77", NOW_2026), Some(1977), "51 years ahead: the past");
        assert_eq!(year("99", NOW_2026), Some(1999));
        assert_eq!(year("00", NOW_2026), Some(2000));
        assert_eq!(year("94", 0), Some(1994));
        assert_eq!(year("20", 0), Some(2020));
        assert_eq!(year("21", 0), Some(1921));
        // Any clock, however wrong, gives an answer and no overflow.
        for now in [i64::MIN, -1, i64::MAX] {
            assert!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now).is_some());
        }
    }
}
