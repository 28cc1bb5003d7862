'use strict';
// Node-only: finds Tencent Cloud credentials the way the official SDKs and tccli do
// (tencent-api-3.md §3). Order: explicit arguments, then an explicitly named profile, then the
// environment, then the `[default]` profile of ~/.tencentcloud/credentials, then tccli's own
// ~/.tencentcloud/<profile>.credential. The secret never appears in a message: errors name places,
// files, lines and keys, never values. It requires nothing of the package: node.cjs binds the
// core's did-you-mean into it (createCredentials), so the two do not require each other.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ENV = Object.freeze({
  secretId: 'TENCENTCLOUD_SECRET_ID',
  secretKey: 'TENCENTCLOUD_SECRET_KEY',
  tokens: ['TENCENTCLOUD_SESSION_TOKEN', 'TENCENTCLOUD_TOKEN'], // SDK name, then tccli's
  region: 'TENCENTCLOUD_REGION',
});

class CredentialsError extends Error {
  /**
   * @param {'CredentialsNotFound'|'CredentialsIncomplete'|'CredentialsFileMalformed'|'ProfileNotFound'|'InvalidArgument'|'InvalidProfile'} code
   * @param {string} message
   * @param {{ searched?: string[], file?: string, line?: number }} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'CredentialsError';
    this.code = code;
    this.searched = details.searched || [];
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
  }
}

/**
 * Parses the INI profile file. Sections `[name]`, `key = value` (or `key: value`), `#`/`;`
 * comments. Returns Map(section → Map(key → value)). Malformed lines throw with file and line number
 * but never the line's text, which may hold a secret.
 */
function parseIni(text, file) {
  const sections = new Map();
  let current = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const lineNo = index + 1;
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[\s*([^\]\s][^\]]*?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1].replace(/^profile\s+/, ''); // `[profile name]` as some tools write it
      if (!sections.has(name)) sections.set(name, new Map());
      current = sections.get(name);
      return;
    }
    const pair = /^([A-Za-z0-9_.-]+)\s*[=:]\s*(.*)$/.exec(line);
    if (!pair) {
      throw new CredentialsError('CredentialsFileMalformed',
        `${file}:${lineNo}: expected "[profile]" or "key = value" (the line's content is not shown)`,
        { file, line: lineNo });
    }
    if (current === null) {
      throw new CredentialsError('CredentialsFileMalformed',
        `${file}:${lineNo}: key "${pair[1]}" appears before any [profile] section`, { file, line: lineNo });
    }
    current.set(pair[1].toLowerCase(), unquote(pair[2].trim()));
  });
  return sections;
}

function unquote(value) {
  const quoted = /^(["'])(.*)\1$/.exec(value);
  return quoted ? quoted[2] : value;
}

function readIfExists(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw new CredentialsError('CredentialsFileMalformed', `${file}: cannot be read (${error.code || error.message})`, { file });
  }
}

function nonEmpty(value) {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

// The `region` of the INI file's [profile] section, if the file and the section exist.
function regionFromIni(file, profile) {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  const section = parseIni(text, file).get(profile);
  return section && nonEmpty(section.get('region'));
}

// tccli keeps `<profile>.configure` as JSON: {"_sys_param": {"region": …, "output": …}, …}.
function regionFromTccliConfigure(home, profile) {
  const file = path.join(home, '.tencentcloud', `${profile}.configure`);
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const config = JSON.parse(text);
    return nonEmpty(config && config._sys_param && config._sys_param.region) || nonEmpty(config && config.region);
  } catch {
    throw new CredentialsError('CredentialsFileMalformed', `${file}: not valid JSON`, { file });
  }
}

// tccli keeps `<profile>.credential` as JSON: {"secretId": …, "secretKey": …, "token"?: …}.
function fromTccliCredential(home, profile) {
  const file = path.join(home, '.tencentcloud', `${profile}.credential`);
  const text = readIfExists(file);
  if (text === undefined) return { file, found: false };
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialsError('CredentialsFileMalformed', `${file}: not valid JSON`, { file });
  }
  const secretId = nonEmpty(json && json.secretId);
  const secretKey = nonEmpty(json && json.secretKey);
  if (!secretId && !secretKey) return { file, found: false };
  if (!secretId || !secretKey) {
    throw new CredentialsError('CredentialsIncomplete',
      `${file}: has ${secretId ? 'secretId but no secretKey' : 'secretKey but no secretId'}`, { file });
  }
  return { file, found: true, secretId, secretKey, token: nonEmpty(json.token) };
}

function fromIniProfile(file, profile) {
  const text = readIfExists(file);
  if (text === undefined) return { found: false, note: 'file not found' };
  const sections = parseIni(text, file);
  const section = sections.get(profile);
  if (!section) {
    const names = [...sections.keys()];
    return { found: false, note: `no [${profile}] section (profiles there: ${names.length ? names.join(', ') : 'none'})` };
  }
  const secretId = nonEmpty(section.get('secret_id'));
  const secretKey = nonEmpty(section.get('secret_key'));
  if (!secretId || !secretKey) {
    const missing = [!secretId && 'secret_id', !secretKey && 'secret_key'].filter(Boolean).join(' and ');
    throw new CredentialsError('CredentialsIncomplete', `${file}: profile [${profile}] has no ${missing}`, { file });
  }
  return { found: true, secretId, secretKey, token: nonEmpty(section.get('token')) };
}

const OPTIONS = ['profile', 'env', 'home', 'file', 'secretId', 'secretKey', 'token', 'region'];
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const MAX_PATH = 4096;

// Unknown options are errors (a typo such as `profle` must not fall back to the default account).
// Names and paths end up in file names and messages: keep them to what a profile or a path can be.
function checkOptions(options, suggestName) {
  if (options === null || typeof options !== 'object') {
    throw new CredentialsError('InvalidArgument', 'loadCredentials: options must be an object');
  }
  for (const name of Object.keys(options)) {
    if (OPTIONS.includes(name)) continue;
    // The core's did-you-mean, bound by node.cjs.
    const near = suggestName(name, OPTIONS);
    throw new CredentialsError('InvalidArgument', `loadCredentials: unknown option ${JSON.stringify(name.slice(0, 64))}`
      + (near ? `; did you mean ${near}?` : `; known: ${OPTIONS.join(', ')}`));
  }
  const { profile, home, file } = options;
  if (profile !== undefined && (typeof profile !== 'string' || !PROFILE_NAME.test(profile))) {
    throw new CredentialsError('InvalidProfile',
      'loadCredentials: profile must be a name of letters, digits, "_", "-" and "." (at most 64 characters)');
  }
  for (const [name, value] of [['home', home], ['file', file]]) {
    if (value !== undefined && (typeof value !== 'string' || value.length > MAX_PATH || value.includes('\0'))) {
      throw new CredentialsError('InvalidArgument', `loadCredentials: ${name} must be a path (a string of at most ${MAX_PATH} characters)`);
    }
  }
}

/**
 * @param {{ secretId?: string, secretKey?: string, token?: string, region?: string, profile?: string,
 *           env?: Record<string, string|undefined>, home?: string, file?: string }} [options]
 * @returns {{ secretId: string, secretKey: string, token?: string, region?: string, source: string }}
 */
function loadCredentials(options = {}, suggestName = () => undefined) {
  checkOptions(options, suggestName);
  const { env = process.env, home = os.homedir() } = options;
  const explicitProfile = nonEmpty(options.profile);
  const profile = explicitProfile || 'default';
  const file = nonEmpty(options.file) || path.join(home, '.tencentcloud', 'credentials');
  const searched = [];
  const envRegion = nonEmpty(env[ENV.region]);
  const finish = (found, source) => {
    const result = { secretId: found.secretId, secretKey: found.secretKey, source };
    if (found.token) result.token = found.token;
    // Region: an explicit argument, then the environment, then the profile's `region`, then
    // tccli's configure; like tccli's, the profile's region applies whichever source the keys
    // came from (the files are read only when nothing before them gave a region).
    const region = nonEmpty(options.region) || envRegion || regionFromIni(file, profile)
      || regionFromTccliConfigure(home, profile);
    if (region) result.region = region;
    return result;
  };

  // 1. Explicit arguments.
  const argId = nonEmpty(options.secretId);
  const argKey = nonEmpty(options.secretKey);
  if (argId || argKey) {
    if (!argId || !argKey) {
      throw new CredentialsError('CredentialsIncomplete', `arguments: ${argId ? 'secretId given without secretKey' : 'secretKey given without secretId'}`);
    }
    return finish({ secretId: argId, secretKey: argKey, token: nonEmpty(options.token) }, 'arguments');
  }
  searched.push('arguments secretId/secretKey: not given');

  // 2. A profile the caller named explicitly wins over the environment (as with `--profile`).
  if (explicitProfile || nonEmpty(options.file)) {
    const ini = fromIniProfile(file, profile);
    if (ini.found) return finish(ini, `profile:${profile} (${file})`);
    const tccli = fromTccliCredential(home, profile);
    if (tccli.found) return finish(tccli, `profile:${profile} (${tccli.file})`);
    const places = [`${file}: ${ini.note}`, `${tccli.file}: not found`];
    throw new CredentialsError('ProfileNotFound',
      `profile "${profile}" not found. Looked in:\n${places.map((p, i) => `  ${i + 1}. ${p}`).join('\n')}`,
      { searched: places, file });
  }

  // 3. Environment.
  const envId = nonEmpty(env[ENV.secretId]);
  const envKey = nonEmpty(env[ENV.secretKey]);
  if (envId || envKey) {
    if (!envId || !envKey) {
      throw new CredentialsError('CredentialsIncomplete',
        `environment: ${envId ? `${ENV.secretId} is set but ${ENV.secretKey} is not` : `${ENV.secretKey} is set but ${ENV.secretId} is not`}`);
    }
    const token = ENV.tokens.map((name) => nonEmpty(env[name])).find(Boolean);
    return finish({ secretId: envId, secretKey: envKey, token }, 'env');
  }
  searched.push(`environment ${ENV.secretId}/${ENV.secretKey}: not set`);

  // 4. The default profile of the SDK's INI file, then tccli's JSON credential file.
  const ini = fromIniProfile(file, profile);
  if (ini.found) return finish(ini, `profile:${profile} (${file})`);
  searched.push(`${file} [${profile}]: ${ini.note}`);
  const tccli = fromTccliCredential(home, profile);
  if (tccli.found) return finish(tccli, `profile:${profile} (${tccli.file})`);
  searched.push(`${tccli.file}: not found`);

  throw new CredentialsError('CredentialsNotFound',
    `no Tencent Cloud credentials found. Looked in:\n${searched.map((place, i) => `  ${i + 1}. ${place}`).join('\n')}\n`
    + `Set ${ENV.secretId} and ${ENV.secretKey}, or write [${profile}] secret_id/secret_key in ${file}.`,
    { searched });
}

/**
 * `{ loadCredentials, CredentialsError }` with `suggestName(input, candidates)` (the core's
 * did-you-mean) for unknown options.
 */
function createCredentials(suggestName) {
  return { loadCredentials: (options = {}) => loadCredentials(options, suggestName), CredentialsError };
}

module.exports = { createCredentials, CredentialsError };
