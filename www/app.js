// The demo page: builds, explains and sends CVM DeleteImages calls with the package's browser entry.
// Everything about signing comes from the package (pkg/web.js); this file only reads the form,
// shows what the package built, sends it with fetch and shows what the package decoded.
//
// Who holds the key (the first choice on the page):
//   server     the default: the page sends unsigned calls to the console handler at /cvm
//              (tencentcloud-cvm-wasm/console's ConsoleClient); the server signs with a key this
//              page never sees.
//   temporary  the page asks /cvm/credentials for a temporary key scoped to the console's actions
//              (STS GetFederationToken on the server) and signs with it here.
//   tab        keys typed into this tab (or the emulator's demo key, fetched only in this mode).
// A SecretKey lives only in the password field's value property, the temporary key's object and
// the options passed to the package: never in an attribute, a text node, the URL, storage or the
// console.

const $ = (id) => document.getElementById(id);

const ui = {
  form: $('form'),
  signerHint: $('signer-hint'),
  endpointGroup: $('endpoint-group'),
  credentialsGroup: $('credentials-group'),
  methodField: $('method-field'),
  signMethodField: $('sign-method-field'),
  previewStages: $('preview-stages'),
  endpointKind: $('endpoint-kind'),
  endpointHint: $('endpoint-hint'),
  customEndpointRow: $('custom-endpoint-row'),
  customHostRow: $('custom-host-row'),
  endpoint: $('endpoint'),
  signedHost: $('signed-host'),
  secretId: $('secret-id'),
  secretKey: $('secret-key'),
  token: $('token'),
  signMethod: $('sign-method'),
  region: $('region'),
  regions: $('regions'),
  imageIds: $('image-ids'),
  dryRun: $('dry-run'),
  deleteBindedSnap: $('delete-binded-snap'),
  send: $('send'),
  result: $('result'),
  resultTitle: $('result-title'),
  resultFields: $('result-fields'),
  images: $('images'),
  imagesRegion: $('images-region'),
  imagesError: $('images-error'),
  imagesEmpty: $('images-empty'),
  refresh: $('refresh'),
  busy: $('busy'),
  busyText: $('busy-text'),
  loadError: $('load-error'),
  version: $('version'),
  previewHint: $('preview-hint'),
  previewBody: $('preview-body'),
  previewTime: $('preview-time'),
  previewCheck: $('preview-check'),
  previewHttp: $('preview-http'),
  previewCanonical: $('preview-canonical'),
  previewCanonicalTitle: $('preview-canonical-title'),
  previewAuthTitle: $('preview-auth-title'),
  previewSts: $('preview-sts'),
  previewAuth: $('preview-auth'),
  previewCurl: $('preview-curl'),
  copyCurl: $('copy-curl'),
};

/** Where each ValidationError field is shown; anything else goes to the form-wide slot. */
const ERROR_SLOTS = ['ImageIds', 'DryRun', 'DeleteBindedSnap', 'region', 'secretId', 'secretKey', 'token', 'endpoint', 'host', 'method', 'signMethod'];
/** Which form control each slot belongs to, so `touched` can be tracked per control. */
const SLOT_CONTROLS = {
  ImageIds: ui.imageIds, DryRun: ui.dryRun, DeleteBindedSnap: ui.deleteBindedSnap, region: ui.region,
  secretId: ui.secretId, secretKey: ui.secretKey, token: ui.token, endpoint: ui.endpoint, host: ui.signedHost,
  signMethod: ui.signMethod,
};

const REAL_HOST = 'cvm.tencentcloudapi.com';

let cvm; // the package's browser entry, once loaded
let consoleApi; // tencentcloud-cvm-wasm/console (ConsoleClient), once loaded
let consoleClient;
/** The temporary key from /cvm/credentials: {secretId, secretKey, token, expiration}. */
let temporary = null;
let temporaryError = null;
let temporaryPending = null;
let demoCredentials = null;
let submitAttempted = false;
const touched = new Set();
let inFlight = 0;
let imagesSeq = 0;
let lastImages = [];

// ---------------------------------------------------------------------------------------------
// Small helpers

/** Defence in depth: whatever text reaches the DOM never contains the SecretKey. */
function redact(text) {
  let s = String(text ?? '');
  for (const key of [ui.secretKey.value, temporary?.secretKey ?? '']) {
    if (key.length >= 4 && s.includes(key)) s = s.split(key).join('••••••••');
  }
  return s;
}

function setText(el, text) {
  el.textContent = redact(text);
}

function headerLookup(headers) {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return (name) => map.get(name.toLowerCase());
}

function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function setBusy(delta, text) {
  inFlight += delta;
  if (text && delta > 0) setText(ui.busyText, text);
  ui.busy.hidden = inFlight === 0;
  document.body.setAttribute('aria-busy', inFlight > 0 ? 'true' : 'false');
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the form

function signer() {
  return ui.form.querySelector('input[name="signer"]:checked')?.value ?? 'server';
}

function endpointChoice() {
  // A temporary key's requests go through the console in forward mode to the emulator, signed for
  // the upstream's host (the emulator here is mounted on this server).
  if (signer() === 'temporary') return { kind: 'forward', endpoint: `${location.origin}/cvm-forward`, host: location.host };
  const kind = ui.endpointKind.value;
  if (kind === 'emulator') return { kind, endpoint: `${location.origin}/emulator` };
  if (kind === 'proxy') return { kind, endpoint: `${location.origin}/proxy/${REAL_HOST}`, host: REAL_HOST };
  const host = ui.signedHost.value.trim();
  return { kind, endpoint: ui.endpoint.value.trim(), ...(host ? { host } : {}) };
}

/** ImageIds from the textarea: one per line, blanks skipped; `lines[i]` is the 1-based line of id i. */
function readImageIds() {
  const ids = [];
  const lines = [];
  ui.imageIds.value.split('\n').forEach((raw, i) => {
    const id = raw.trim();
    if (id) {
      ids.push(id);
      lines.push(i + 1);
    }
  });
  return { ids, lines };
}

function readMethod() {
  return ui.form.querySelector('input[name="method"]:checked')?.value ?? 'POST';
}

function readParams() {
  const { ids, lines } = readImageIds();
  const params = { ImageIds: ids };
  if (ui.dryRun.checked) params.DryRun = true;
  if (ui.deleteBindedSnap.checked) params.DeleteBindedSnap = true;
  return { params, lines };
}

function readOptions() {
  const { endpoint, host } = endpointChoice();
  // With a temporary key the fields are hidden and the key is the server's answer.
  const key = signer() === 'temporary'
    ? { secretId: temporary?.secretId ?? '', secretKey: temporary?.secretKey ?? '', token: temporary?.token ?? '' }
    : { secretId: ui.secretId.value.trim(), secretKey: ui.secretKey.value, token: ui.token.value.trim() };
  const options = {
    secretId: key.secretId,
    secretKey: key.secretKey,
    region: ui.region.value.trim(),
    endpoint,
    method: readMethod(),
  };
  // TC3 is the default; the legacy v1 methods sign every parameter instead (README "Legacy v1").
  // The forward handler takes TC3 only, with X-TC-Action signed (it checks the action).
  if (signer() === 'temporary') options.signAction = true;
  else if (ui.signMethod.value !== 'TC3-HMAC-SHA256') options.signMethod = ui.signMethod.value;
  if (host) options.host = host;
  if (key.token) options.token = key.token;
  return options;
}

// ---------------------------------------------------------------------------------------------
// Validation messages next to their fields

function slotOf(field) {
  const head = String(field ?? '').split('.')[0];
  return ERROR_SLOTS.includes(head) ? head : 'form';
}

function clearErrors() {
  for (const slot of [...ERROR_SLOTS, 'form']) {
    const el = $(`${slot}-error`);
    if (el) {
      el.textContent = '';
      delete el.dataset.field;
    }
    SLOT_CONTROLS[slot]?.removeAttribute('aria-invalid');
  }
}

function showFieldError(err, lines) {
  const slot = slotOf(err.field);
  const el = $(`${slot}-error`);
  let message = err.message;
  const m = /^ImageIds\.(\d+)$/.exec(err.field ?? '');
  if (m && lines?.[Number(m[1])] !== undefined) message = `Line ${lines[Number(m[1])]}: ${message}`;
  if (err.code) message = `${message} (${err.code})`;
  setText(el, message);
  el.dataset.field = err.field ?? '';
  SLOT_CONTROLS[slot]?.setAttribute('aria-invalid', 'true');
}

function shouldShow(slot) {
  return submitAttempted || touched.has(slot) || slot === 'form';
}

/**
 * Validates the whole form with the package. Returns `{req, options, params}` when a request could be
 * built, otherwise null; shows each error next to its field (only for fields the user has touched,
 * until the first send).
 */
function validateForm() {
  clearErrors();
  if (!cvm) return null;
  const { params, lines } = readParams();
  if (signer() === 'server') return validateCall(params, lines);
  if (signer() === 'temporary' && !temporary) {
    setText($('form-error'), temporaryError ? `No temporary key: ${temporaryError}` : 'Getting a temporary key from the server…');
    return null;
  }
  const options = readOptions();
  let ok = true;
  const report = (err) => {
    if (!(err instanceof cvm.ValidationError)) throw err;
    ok = false;
    if (shouldShow(slotOf(err.field))) showFieldError(err, lines);
  };

  const known = cvm.KNOWN_REGIONS.includes(options.region);
  $('region-error').className = known ? 'field-error' : 'field-error warning';
  if (options.endpoint === '') {
    ok = false;
    if (shouldShow('endpoint')) setText($('endpoint-error'), 'Enter the endpoint URL, e.g. https://cvm.tencentcloudapi.com');
  }
  // One call checks every field, parameters and options alike, and signs nothing.
  const issues = cvm.checkDeleteImages(params, options);
  const shown = new Set();
  for (const issue of issues) {
    if (issue.field === 'endpoint' && options.endpoint === '') continue;
    const slot = slotOf(issue.field);
    if (shown.has(slot)) continue; // the first problem of each field
    shown.add(slot);
    report(new cvm.ValidationError(issue));
  }
  if (!shown.has('region') && !known && options.region) {
    setText($('region-error'), `${options.region} is not a region this version knows; it is well formed, so it is sent as typed.`);
  }
  if (!ok) return null;
  try {
    const req = cvm.buildDeleteImages(params, options);
    return { req, options, params };
  } catch (err) {
    if (err instanceof cvm.ValidationError) {
      if (shouldShow(slotOf(err.field))) showFieldError(err, lines);
      return null;
    }
    setText($('form-error'), err.message);
    return null;
  }
}

/**
 * Sign mode: the page checks the parameters and the region with the same core the server uses
 * (nothing is signed here), and the call is what ConsoleClient sends. Returns {call, params} or null.
 */
function validateCall(params, lines) {
  const region = ui.region.value.trim();
  const shown = new Set();
  const report = (issue) => {
    const slot = slotOf(issue.field);
    if (shown.has(slot)) return;
    shown.add(slot);
    if (shouldShow(slot)) showFieldError(new cvm.ValidationError(issue), lines);
  };
  try {
    cvm.validateDeleteImages(params);
  } catch (err) {
    if (!(err instanceof cvm.ValidationError)) throw err;
    err.issues.forEach(report);
  }
  try {
    cvm.validateRegion(region);
  } catch (err) {
    if (!(err instanceof cvm.ValidationError)) throw err;
    err.issues.forEach(report);
  }
  if (shown.size > 0) return null;
  return { call: { action: 'DeleteImages', params, region }, params };
}

// ---------------------------------------------------------------------------------------------
// The API-Explorer-style preview

/**
 * The signature's stages, as the package computed them for this request (`req.signing`). A v1
 * signature (it has a `signatureMethod`) is carried as the `Signature` parameter, not a header.
 */
function explain(req) {
  const header = headerLookup(req.headers);
  const url = new URL(req.url);
  const stages = req.signing;
  if (stages.signatureMethod) {
    const sent = new URLSearchParams(req.method === 'GET' ? url.search : req.body);
    const timestamp = /[?&]Timestamp=(\d+)/.exec(stages.stringToSign)?.[1];
    return { stages, v1: true, matches: sent.get('Signature') === stages.signature, url, timestamp };
  }
  return { stages, matches: stages.authorization === header('authorization'), url, timestamp: header('x-tc-timestamp') };
}

function curlFor(req, kind) {
  let target = req.url;
  // The proxy exists only for browsers (no CORS on Tencent's side); curl talks to the API directly.
  if (kind === 'proxy') {
    const prefix = `${location.origin}/proxy/${REAL_HOST}`;
    if (target.startsWith(prefix)) target = `https://${REAL_HOST}${target.slice(prefix.length) || '/'}`;
    if (target === `https://${REAL_HOST}`) target += '/';
  }
  const parts = [`curl -X ${req.method} ${shellQuote(target)}`];
  for (const [name, value] of Object.entries(req.headers)) parts.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  if (req.body !== undefined) parts.push(`  --data-raw ${shellQuote(req.body)}`);
  return parts.join(' \\\n');
}

function renderPreview(built) {
  ui.previewStages.hidden = signer() === 'server';
  if (built && built.call) {
    // Sign mode: what the page sends is the unsigned call; the server signs it.
    setText(ui.previewHttp, [
      `POST ${consoleClient.endpoint}`,
      'Content-Type: application/json',
      '',
      JSON.stringify(built.call),
      '',
      '(no key, no signature: the console handler on the server checks, signs and sends it)',
    ].join('\n'));
    setText(ui.previewTime, 'not signed here');
    setText(ui.previewCheck, '');
    ui.previewBody.hidden = false;
    ui.previewHint.hidden = true;
    return;
  }
  if (!built) {
    ui.previewBody.hidden = true;
    ui.previewHint.hidden = false;
    setText(ui.previewHint, readImageIds().ids.length === 0
      ? 'Add an image id to see the signed request it will send.'
      : 'Fix the marked fields to see the signed request it will send.');
    return;
  }
  const { req, options } = built;
  const { stages, v1, matches, url, timestamp } = explain(req);
  const headerLines = Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`);
  const signedHost = options.host ?? url.host;
  const hostNote = signedHost !== url.host ? `   (signed host: ${signedHost}; the proxy sets it)` : '';
  const http = [`${req.method} ${req.url}`, `Host: ${url.host}${hostNote}`, ...headerLines];
  setText(ui.previewHttp, http.join('\n') + (req.body !== undefined ? `\n\n${req.body}` : '\n\n(no body: GET sends the parameters in the query string)'));
  setText(ui.previewCanonicalTitle, v1 ? `1. Parameters (${stages.signatureMethod}, legacy v1)` : '1. Canonical request');
  setText(ui.previewCanonical, v1
    ? 'v1 signs the parameters themselves: every one but Signature, sorted by name, values not encoded.'
    : stages.canonicalRequest);
  setText(ui.previewSts, stages.stringToSign);
  setText(ui.previewAuthTitle, v1 ? '3. Signature parameter' : '3. Authorization header');
  setText(ui.previewAuth, v1 ? `Signature=${stages.signature}` : `Authorization: ${stages.authorization}`);
  setText(ui.previewCurl, curlFor(req, endpointChoice().kind));
  const ts = Number(timestamp);
  setText(ui.previewTime, `${new Date(ts * 1000).toISOString()} (${v1 ? 'Timestamp' : 'X-TC-Timestamp'} ${ts})`);
  ui.previewCheck.className = matches ? 'ok' : 'error';
  const carrier = v1 ? 'Signature parameter' : 'Authorization header';
  setText(ui.previewCheck, matches
    ? `✓ These stages are the signature the request carries in its ${carrier}.`
    : `✗ These stages do not match the ${carrier} of the request.`);
  ui.previewBody.hidden = false;
  ui.previewHint.hidden = true;
}

// ---------------------------------------------------------------------------------------------
// Results

function clearResult() {
  ui.result.hidden = true;
  ui.resultFields.replaceChildren();
}

function showResult(kind, title, rows) {
  ui.result.hidden = false;
  ui.result.className = `result ${kind}`;
  setText(ui.resultTitle, title);
  ui.resultFields.replaceChildren();
  for (const [name, value] of rows) {
    if (value === undefined || value === '') continue;
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    setText(dt, name);
    setText(dd, value);
    dd.dataset.name = name;
    ui.resultFields.append(dt, dd);
  }
}

/**
 * What answered instead of the API, when the body is no Tencent envelope: the proxy's own JSON error
 * (`{error, message}`) or the start of a gateway page.
 */
function transportDetail(err, bodyText) {
  if (!(err instanceof cvm.TencentCloudError) || !err.code.startsWith('ClientError.') || !bodyText) return undefined;
  try {
    const json = JSON.parse(bodyText);
    if (json && typeof json.error === 'string') return `${json.error}: ${json.message ?? ''}`.trim();
  } catch {
    // not JSON: show the first characters of what came back
  }
  const text = bodyText.replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

function showCallError(err, context, bodyText) {
  if (err instanceof cvm.TencentCloudError) {
    showResult('error', `${context} failed: ${err.code}`, [
      ['Code', err.code],
      ['Description', err.description || '(no catalogue entry for this code)'],
      ['Message', err.message],
      ['Answered by', transportDetail(err, bodyText)],
      ['RequestId', err.requestId || '(none: the request did not reach the API)'],
      ['HTTP status', err.httpStatus ? String(err.httpStatus) : '(no response)'],
      ['Retry could help', err.retryable ? 'yes, after a backoff' : 'no'],
    ]);
  } else {
    // fetch itself failed (connection refused, CSP, …): nothing reached the server.
    const info = cvm.describeError('ClientError.Network');
    showResult('error', `${context} failed: ClientError.Network`, [
      ['Code', 'ClientError.Network'],
      ['Description', info.description],
      ['Message', err?.message ?? String(err)],
      ['Retry could help', info.retryable ? 'yes, after a backoff' : 'no'],
    ]);
  }
}

function showDeleted(params, result, status) {
  const dry = params.DryRun === true;
  showResult('success', dry ? 'DryRun passed: the deletion would succeed (nothing was deleted)' : 'Deleted', [
    ['RequestId', result.RequestId],
    ['ImageIds', params.ImageIds.join(', ')],
    ['Answer', result.DryRunOperation ? 'DryRunOperation' : undefined],
    ['HTTP status', String(status)],
  ]);
}

async function send(event) {
  event.preventDefault();
  if (!cvm || ui.send.disabled) return;
  submitAttempted = true;
  const built = validateForm();
  renderPreview(built);
  if (!built) {
    showResult('error', 'Not sent: fix the fields marked above', []);
    return;
  }
  const { req, params } = built;
  ui.send.disabled = true;
  setBusy(+1, 'Sending DeleteImages…');
  let text;
  if (built.call) {
    try {
      const result = await consoleFor(built.call.region).deleteImages(params, {});
      showDeleted(params, result, 200);
    } catch (err) {
      if (err instanceof cvm.ValidationError) showFieldError(err);
      else showCallError(err, 'DeleteImages');
    } finally {
      setBusy(-1);
      ui.send.disabled = false;
      await refreshImages();
    }
    return;
  }
  try {
    // req.redirect is 'manual': a redirect is not followed (the signed request goes nowhere else)
    // and decodes as ClientError.Redirect.
    const res = await fetch(req.url, req);
    text = await res.text();
    showDeleted(params, cvm.decodeDeleteImages(res.status, text), res.status);
  } catch (err) {
    if (err instanceof cvm.ValidationError) showFieldError(err);
    else showCallError(err, 'DeleteImages', text);
  } finally {
    setBusy(-1);
    ui.send.disabled = false;
    await refreshImages();
  }
}

// ---------------------------------------------------------------------------------------------
// Images of the region (DescribeImages)

function selectedIds() {
  return new Set(readImageIds().ids);
}

function renderImages(images) {
  lastImages = images;
  const chosen = selectedIds();
  ui.images.replaceChildren();
  for (const image of images) {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'image';
    button.dataset.imageId = image.ImageId;
    button.setAttribute('aria-pressed', chosen.has(image.ImageId) ? 'true' : 'false');
    button.title = `Add ${image.ImageId} to ImageIds`;
    const id = document.createElement('code');
    id.className = 'image-id';
    setText(id, image.ImageId);
    const name = document.createElement('span');
    name.className = 'image-name';
    setText(name, image.ImageName ?? '');
    const state = document.createElement('span');
    const stateText = String(image.ImageState ?? 'UNKNOWN');
    state.className = `state state-${stateText.toLowerCase()}`;
    setText(state, stateText);
    const type = document.createElement('span');
    type.className = 'image-type';
    setText(type, image.ImageType ?? '');
    button.append(id, state, name, type);
    li.append(button);
    ui.images.append(li);
  }
  ui.imagesEmpty.hidden = images.length > 0;
}

async function refreshImages() {
  if (!cvm) return;
  const seq = ++imagesSeq;
  if (signer() === 'temporary') await ensureTemporaryKey();
  if (seq !== imagesSeq) return;
  const options = readOptions();
  setText(ui.imagesRegion, options.region || '(no region)');
  let req;
  try {
    cvm.validateRegion(options.region);
    if (signer() === 'temporary' && !temporary) throw new Error(temporaryError ?? 'no temporary key yet');
    // Sign mode: the console lists them; otherwise the page signs the call.
    req = signer() === 'server' ? null : cvm.buildRequest('DescribeImages', { Limit: 100 }, options);
  } catch (err) {
    // Whatever is listed belongs to other settings: do not leave it there.
    imagesSeq++;
    renderImages([]);
    ui.imagesEmpty.hidden = true;
    ui.images.setAttribute('aria-busy', 'false');
    ui.refresh.disabled = false;
    ui.imagesError.hidden = false;
    setText(ui.imagesError, `Cannot list images yet: ${err.message}`);
    return;
  }
  ui.images.setAttribute('aria-busy', 'true');
  ui.refresh.disabled = true;
  setBusy(+1, 'Listing images…');
  let text;
  try {
    let response;
    if (req === null) {
      response = await consoleFor(options.region).describeImages({ Limit: 100 }, {});
    } else {
      const res = await fetch(req.url, req); // redirect: 'manual', as built
      text = await res.text();
      response = cvm.decodeResponse(res.status, text);
    }
    if (seq !== imagesSeq) return;
    ui.imagesError.hidden = true;
    renderImages(Array.isArray(response.ImageSet) ? response.ImageSet : []);
  } catch (err) {
    if (seq !== imagesSeq) return;
    ui.imagesError.hidden = false;
    const detail = transportDetail(err, text);
    const what = err instanceof cvm.TencentCloudError
      ? `${err.code}${err.description ? ` — ${err.description}` : ''}${err.requestId ? ` (RequestId ${err.requestId})` : ''}${detail ? `; answered by: ${detail}` : ''}`
      : err.message;
    setText(ui.imagesError, `DescribeImages failed: ${what}`);
    renderImages([]);
    ui.imagesEmpty.hidden = true;
  } finally {
    setBusy(-1);
    if (seq === imagesSeq) {
      ui.images.setAttribute('aria-busy', 'false');
      ui.refresh.disabled = false;
    }
  }
}

const refreshImagesSoon = debounce(refreshImages, 400);

function addImageId(id) {
  const { ids } = readImageIds();
  if (ids.includes(id)) {
    // A second click removes it again, like a toggle chip.
    ui.imageIds.value = ui.imageIds.value.split('\n').filter((l) => l.trim() !== id).join('\n');
  } else {
    const text = ui.imageIds.value.replace(/\s+$/, '');
    ui.imageIds.value = text ? `${text}\n${id}` : id;
  }
  touched.add('ImageIds');
  update();
}

// ---------------------------------------------------------------------------------------------
// Endpoint choice and demo credentials

function isDemo(id, key) {
  return demoCredentials && id === demoCredentials.secretId && key === demoCredentials.secretKey;
}

function applyEndpointKind() {
  const kind = ui.endpointKind.value;
  ui.customEndpointRow.hidden = kind !== 'custom';
  ui.customHostRow.hidden = kind !== 'custom';
  const hints = {
    emulator: `${location.origin}/emulator — a local stand-in for ${REAL_HOST}; demo credentials are filled in.`,
    proxy: `${location.origin}/proxy/${REAL_HOST} forwards to https://${REAL_HOST}/ (Tencent's API answers no CORS preflight). Signed host: ${REAL_HOST}. Needs internet and your own key.`,
    custom: 'Any API 3.0 endpoint reachable from this page; set the signed host if it is a proxy.',
  };
  setText(ui.endpointHint, hints[kind]);
  if (kind === 'emulator' && demoCredentials) {
    ui.secretId.value = demoCredentials.secretId;
    ui.secretKey.value = demoCredentials.secretKey;
  } else if (kind !== 'emulator' && isDemo(ui.secretId.value, ui.secretKey.value)) {
    // Demo credentials mean nothing to the real API: make room for the user's own.
    ui.secretId.value = '';
    ui.secretKey.value = '';
  }
}

const SIGNER_HINTS = {
  server: 'This page holds no key: it sends each call unsigned to the console handler at /cvm, which checks it and signs it on the server (against the local emulator here).',
  temporary: 'The server hands this page a temporary key from STS GetFederationToken (/cvm/credentials), scoped to DescribeImages, DescribeImageSharePermission and DeleteImages and renewed before it expires; the page signs with it and sends through the console in forward mode (/cvm-forward).',
  tab: 'Keys typed into this tab sign here (for demos: a real key in a page is exposed to every script on it).',
};

/** The page's client of the console for a region (it holds no key: nothing to keep). */
function consoleFor(region) {
  return new consoleApi.ConsoleClient({ endpoint: '/cvm', region });
}

/** A temporary key from the server, kept until 5 minutes before it expires. */
async function ensureTemporaryKey() {
  if (temporary && temporary.expiration - Date.now() > 300_000) return temporary;
  temporaryPending ??= (async () => {
    try {
      const res = await fetch('/cvm/credentials', { cache: 'no-store', credentials: 'same-origin' });
      const body = await res.json();
      if (!res.ok || typeof body.secretKey !== 'string') throw new Error(body?.Error?.Message ?? `HTTP ${res.status}`);
      temporary = body;
      temporaryError = null;
    } catch (err) {
      temporary = null;
      temporaryError = err.message;
    } finally {
      temporaryPending = null;
    }
    return temporary;
  })();
  return temporaryPending;
}

async function applySigner() {
  const mode = signer();
  ui.endpointGroup.hidden = mode !== 'tab';
  ui.credentialsGroup.hidden = mode !== 'tab';
  ui.signMethodField.hidden = mode !== 'tab';
  ui.methodField.hidden = mode === 'server';
  setText(ui.signerHint, SIGNER_HINTS[mode]);
  if (mode === 'tab') {
    // The demo key is fetched only when this mode is chosen: in the other two the page never has it.
    demoCredentials ??= await loadDemoCredentials();
    applyEndpointKind();
  } else {
    ui.secretId.value = '';
    ui.secretKey.value = '';
    ui.token.value = '';
  }
  if (mode === 'temporary') await ensureTemporaryKey();
}

async function loadDemoCredentials() {
  try {
    const res = await fetch('/demo-credentials.json', { cache: 'no-store' });
    if (!res.ok) return null;
    const raw = await res.json();
    const secretId = raw.secretId ?? raw.SecretId;
    const secretKey = raw.secretKey ?? raw.SecretKey;
    return secretId && secretKey ? { secretId, secretKey } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

function update() {
  const built = validateForm();
  renderPreview(built);
  const chosen = selectedIds();
  for (const button of ui.images.querySelectorAll('button.image')) {
    button.setAttribute('aria-pressed', chosen.has(button.dataset.imageId) ? 'true' : 'false');
  }
}

function markTouched(control) {
  for (const [slot, el] of Object.entries(SLOT_CONTROLS)) if (el === control) touched.add(slot);
}

async function main() {
  try {
    cvm = await import('/pkg/web.js');
    await cvm.default();
    consoleApi = await import('/pkg/console.js');
    consoleClient = new consoleApi.ConsoleClient({ endpoint: '/cvm' });
  } catch (err) {
    ui.loadError.hidden = false;
    setText(ui.loadError, `Cannot load the package from /pkg/web.js (${err.message}). Run \`npm run build\`, then reload.`);
    ui.send.disabled = true;
    return;
  }
  setText(ui.version, `v${cvm.VERSION}`);
  for (const region of cvm.KNOWN_REGIONS) {
    const option = document.createElement('option');
    option.value = region;
    ui.regions.append(option);
  }

  await applySigner();

  ui.form.addEventListener('input', (event) => {
    markTouched(event.target);
    update();
    const t = event.target;
    if (t === ui.region || t === ui.secretId || t === ui.secretKey || t === ui.token || t === ui.endpoint || t === ui.signedHost) {
      refreshImagesSoon();
    }
  });
  ui.form.addEventListener('change', (event) => {
    if (event.target.name === 'signer') {
      clearResult();
      applySigner().then(() => {
        update();
        refreshImages();
      });
    } else if (event.target === ui.endpointKind) {
      applyEndpointKind();
      update();
      refreshImages();
    } else if (event.target.name === 'method' || event.target === ui.signMethod) {
      update();
    }
  });
  ui.form.addEventListener('submit', send);
  ui.refresh.addEventListener('click', () => refreshImages());
  ui.images.addEventListener('click', (event) => {
    const button = event.target.closest('button.image');
    if (button) addImageId(button.dataset.imageId);
  });
  ui.copyCurl.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(ui.previewCurl.textContent);
      setText(ui.copyCurl, 'copied');
    } catch {
      setText(ui.copyCurl, 'select and copy');
    }
    setTimeout(() => setText(ui.copyCurl, 'copy'), 1500);
  });

  update();
  await refreshImages();
  document.documentElement.dataset.ready = 'true';
}

main();
