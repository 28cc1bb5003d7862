//! What the JavaScript client asks of the core: its settings, credentials answers, the prepared call and the decision after a failed attempt, pacing and backoff arithmetic.

pub mod call;
pub mod credentials;
pub mod options;
pub mod policy;
pub mod time;
