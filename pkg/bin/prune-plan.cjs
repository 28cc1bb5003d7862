'use strict';
// The selection of `tccvm prune-images`, pure: DescribeImages' ImageSet in, a plan out (one entry
// per image whose name matches a glob: keep, delete or skip, and why). No I/O, no clock (`now` is
// an input), so every rule is tested on its own (tests/client/prune-plan.test.mjs). CreatedTime is
// read by the core's RFC 3339 reader (core.cjs rfc3339Ms), the one the credentials' expiration uses.
//
// An image is deleted only if all of these hold: its name matches one of the globs; it is a
// PRIVATE_IMAGE (the account's own); its state is NORMAL; its CreatedTime is a valid RFC 3339 time
// (with a zone); its family is known; it is not among the `keep` newest NORMAL images of its family;
// and it was created before now − olderThan; and, when `shares` is given (the answers of
// DescribeImageSharePermission), it is shared with no other account. Anything else is kept or
// skipped, with the reason.

const { rfc3339Ms } = require('./core.cjs');

class PruneOptionError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.name = 'PruneOptionError';
    this.field = field;
  }
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const MAX_DURATION_MS = 1000 * 365 * UNIT_MS.d; // a thousand years: past that, a typo

/**
 * `90d`, `12h`, `2w` → milliseconds. `m` is refused: minutes or months? A misread there would
 * delete far more than meant.
 */
function parseDuration(text, field = '--older-than') {
  const match = /^(\d+)([a-z]+)$/i.exec(String(text).trim());
  if (!match) {
    throw new PruneOptionError(field, `"${text}" is not a duration: a whole number and a unit, h (hours), d (days) or w (weeks), e.g. 90d`);
  }
  const unit = match[2].toLowerCase();
  if (unit === 'm' || unit === 'mo' || unit === 'min') {
    throw new PruneOptionError(field, `"${text}": "${match[2]}" could mean minutes or months; use h, d or w (e.g. 720h, 180d)`);
  }
  if (!(unit in UNIT_MS)) throw new PruneOptionError(field, `"${text}": unknown unit "${match[2]}"; use h (hours), d (days) or w (weeks)`);
  const ms = Number(match[1]) * UNIT_MS[unit];
  if (ms > MAX_DURATION_MS) throw new PruneOptionError(field, `"${text}" is more than a thousand years`);
  return ms;
}

/** How a duration is said in reasons when it was given in milliseconds. */
function formatDuration(ms) {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${ms}ms`;
}

/** A name glob: `*` any run of characters (also none), `?` exactly one; everything else literal. */
function globToRegExp(glob) {
  const source = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'su');
}

// A trailing stamp: a date (20261101, 2026-11-01, 2026.11.01, 2026_11_01) with an optional time
// (T10-00, _1030, -103000Z, T10:00:00), or a number with an optional v (7, 007, v12). It must follow
// a separator (- _ . or a space), which goes with it: `centos7-20261101` → `centos7`.
const STAMP = /[-_. ]+(?:\d{4}([-_.]?)\d{2}\1\d{2}(?:[T_-]?\d{2}(?:[-:.]?\d{2}){1,2}Z?)?|v?\d+)$/i;

/**
 * The family of an image name: with `familyRegex`, its first capture group (the whole match if it
 * has no group); otherwise the name without one trailing stamp (STAMP). Undefined when the regex
 * does not match, or its first group or match is empty or did not take part.
 */
function familyOf(name, familyRegex) {
  if (familyRegex) {
    const match = familyRegex.exec(name);
    const family = match ? (match.length > 1 ? match[1] : match[0]) : undefined;
    return family ? family : undefined;
  }
  const stripped = name.replace(STAMP, '');
  return stripped === '' ? name : stripped;
}

/**
 * CreatedTime → epoch ms, or undefined when it is missing or not an RFC 3339 date-time with a zone
 * (what DescribeImages gives, e.g. 2026-11-01T10:00:00Z; a time without a zone is not guessed at).
 * The core's rule: `T`, `t` or a space between date and time, `Z`/`z` or ±HH:MM, a leap second
 * (:60) read as the next second, a fraction of up to 9 digits.
 */
function parseCreatedTime(value) {
  return rfc3339Ms(value);
}

function compileFamilyRegex(value) {
  if (value === undefined || value === null) return undefined;
  if (value instanceof RegExp) return new RegExp(value.source, value.flags.replace(/[gy]/g, ''));
  if (typeof value !== 'string' || value === '') throw new PruneOptionError('--family-regex', 'must be a non-empty regular expression');
  try {
    return new RegExp(value);
  } catch (error) {
    throw new PruneOptionError('--family-regex', `not a valid JavaScript regular expression (${error.message})`);
  }
}

const OPTION_KEYS = ['names', 'olderThan', 'keep', 'familyRegex', 'now', 'shares'];

// shares: a Map ImageId → the number of accounts the image is shared with, or the error code of a
// check that failed (a non-empty string).
function checkShares(shares) {
  if (shares === undefined) return undefined;
  if (!(shares instanceof Map)) throw new PruneOptionError('shares', 'must be a Map of ImageId → accounts shared with (a number) or the error code of a failed check');
  for (const [id, value] of shares) {
    if (!(Number.isSafeInteger(value) && value >= 0) && !(typeof value === 'string' && value !== '')) {
      throw new PruneOptionError('shares', `${id}: must be a whole number of accounts ≥ 0 or the error code of a failed check, got ${JSON.stringify(value)}`);
    }
  }
  return shares;
}

function checkOptions(options) {
  const unknown = Object.keys(options ?? {}).filter((key) => !OPTION_KEYS.includes(key));
  if (unknown.length > 0) throw new PruneOptionError(unknown[0], `unknown option; the options are ${OPTION_KEYS.join(', ')}`);
  const { names, olderThan, keep, familyRegex, now, shares } = options ?? {};
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string' && n !== '')) {
    throw new PruneOptionError('--name', 'at least one name glob is needed (`*` for every name)');
  }
  let olderThanMs = olderThan;
  if (typeof olderThan === 'string') olderThanMs = parseDuration(olderThan);
  else if (!Number.isSafeInteger(olderThan) || olderThan < 0 || olderThan > MAX_DURATION_MS) {
    throw new PruneOptionError('--older-than', 'must be a duration such as 90d, or a whole number of milliseconds from 0 to a thousand years');
  }
  if (!Number.isSafeInteger(keep) || keep < 0) throw new PruneOptionError('--keep', `must be a whole number ≥ 0, got ${keep}`);
  if (!Number.isFinite(now) || Math.abs(now) > 8e15) throw new PruneOptionError('now', 'must be the current time in epoch milliseconds');
  return {
    globs: names.map(globToRegExp),
    olderThanMs,
    olderThanText: typeof olderThan === 'string' ? olderThan.trim() : formatDuration(olderThanMs),
    keep,
    familyRegex: compileFamilyRegex(familyRegex),
    now,
    shares: checkShares(shares),
  };
}

// Why an image can never be deleted, whatever its age and family; undefined if it could be.
function skipReason(image, createdMs, family, usingRegex) {
  if (image.ImageType !== 'PRIVATE_IMAGE') {
    if (image.ImageType === 'SHARED_IMAGE') return 'shared with this account by another (SHARED_IMAGE)';
    if (image.ImageType === 'PUBLIC_IMAGE') return 'public image';
    return `not a private image (ImageType ${image.ImageType ?? 'missing'})`;
  }
  if (image.ImageState !== 'NORMAL') return `state ${image.ImageState ?? 'missing'}`;
  if (createdMs === undefined) return `CreatedTime ${image.CreatedTime === undefined ? 'missing' : `"${image.CreatedTime}" not an ISO 8601 time with a zone`}`;
  if (family === undefined) return usingRegex ? 'name does not match --family-regex' : 'no family';
  return undefined;
}

// Why an image the age and keep rules would delete must stay, given the sharing checks; undefined
// if it may go. An image missing from `shares` was not checked: it stays too.
function shareReason(imageId, shares) {
  if (!shares) return undefined;
  const accounts = shares.get(imageId);
  if (accounts === undefined) return 'sharing not checked';
  if (typeof accounts === 'string') return `share check failed: ${accounts}`;
  return accounts > 0 ? `shared with ${accounts} account${accounts === 1 ? '' : 's'}` : undefined;
}

/**
 * The plan: `images` (DescribeImages ImageSet entries) and options {names: globs, olderThan: '90d'
 * or ms, keep: n, familyRegex?: string or RegExp, now: epoch ms, shares?: Map ImageId → number of
 * accounts shared with | error code of a failed check} → {cutoff, entries}, entries
 * sorted by family, newest first, then ImageId: {ImageId, ImageName, CreatedTime, family, action:
 * 'keep' | 'delete' | 'skip', reason}. Images whose name matches no glob are not in it.
 * Throws PruneOptionError (with `field`) for bad options, TypeError for an entry without ImageId.
 */
function planPrune(images, options) {
  if (!Array.isArray(images)) throw new TypeError('images must be an array of DescribeImages ImageSet entries');
  const { globs, olderThanMs, olderThanText, keep, familyRegex, now, shares } = checkOptions(options);
  const cutoffMs = now - olderThanMs;
  const seen = new Set();
  const entries = [];
  images.forEach((image, index) => {
    if (typeof image?.ImageId !== 'string' || image.ImageId === '') throw new TypeError(`images[${index}] has no ImageId`);
    const name = typeof image.ImageName === 'string' ? image.ImageName : '';
    if (seen.has(image.ImageId) || !globs.some((glob) => glob.test(name))) return;
    seen.add(image.ImageId);
    const createdMs = parseCreatedTime(image.CreatedTime);
    const family = name === '' ? undefined : familyOf(name, familyRegex);
    const reason = name === '' ? 'no ImageName' : skipReason(image, createdMs, family, Boolean(familyRegex));
    entries.push({
      entry: { ImageId: image.ImageId, ImageName: name, CreatedTime: image.CreatedTime ?? null, family: family ?? null, action: reason ? 'skip' : undefined, reason },
      createdMs,
    });
  });

  // Newest first; the same CreatedTime: the smaller ImageId first (so it is the one kept).
  const newestFirst = (a, b) => (b.createdMs ?? -Infinity) - (a.createdMs ?? -Infinity)
    || (a.entry.ImageId < b.entry.ImageId ? -1 : a.entry.ImageId > b.entry.ImageId ? 1 : 0);
  const byFamily = new Map();
  for (const item of entries.filter((e) => e.entry.action === undefined).sort(newestFirst)) {
    const family = item.entry.family;
    if (!byFamily.has(family)) byFamily.set(family, []);
    byFamily.get(family).push(item);
  }
  for (const [family, members] of byFamily) {
    members.forEach(({ entry, createdMs }, rank) => {
      if (rank < keep) {
        Object.assign(entry, { action: 'keep', reason: `among the newest ${keep} of family ${family}` });
      } else if (createdMs >= cutoffMs) {
        Object.assign(entry, { action: 'keep', reason: `younger than ${olderThanText}` });
      } else {
        // Sharing only ever turns a delete into a skip: the newest K stay the newest K.
        const shared = shareReason(entry.ImageId, shares);
        const beyond = keep > 0 ? `, not among the newest ${keep} of family ${family}` : '';
        Object.assign(entry, shared ? { action: 'skip', reason: shared } : { action: 'delete', reason: `older than ${olderThanText}${beyond}` });
      }
    });
  }

  const familyKey = (e) => (e.entry.family === null ? '\uffff' : e.entry.family);
  entries.sort((a, b) => (familyKey(a) < familyKey(b) ? -1 : familyKey(a) > familyKey(b) ? 1 : newestFirst(a, b)));
  return { cutoff: new Date(cutoffMs).toISOString(), entries: entries.map((e) => e.entry) };
}

module.exports = { planPrune, parseDuration, familyOf, globToRegExp, parseCreatedTime, PruneOptionError };
