// DeleteImages' published limit is 10 requests per second. The emulator keeps a sliding window:
// a call is admitted when fewer than `limit` calls by the same SecretId were admitted in the
// 1000 ms before it. Refused calls are not counted, so a client that backs off recovers at once.

export function createRateLimiter({ limit, now, windowMs = 1000 }) {
  const admittedAt = new Map(); // SecretId → times (ms) of admitted calls inside the window

  return {
    limit,
    /** Records the call and answers true, or answers false when the window is full. */
    admit(key) {
      const t = now();
      const recent = (admittedAt.get(key) ?? []).filter((time) => time > t - windowMs);
      const allowed = recent.length < limit;
      if (allowed) recent.push(t);
      admittedAt.set(key, recent);
      return allowed;
    },
    reset() {
      admittedAt.clear();
    },
  };
}
