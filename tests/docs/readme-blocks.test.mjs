// The documentation's JavaScript runs as written. Every ```js / ```javascript / ```mjs / ```cjs
// block of README.md, pkg/README.md, www/README.md and emulator/README.md is written to a file of its own and
// run with node, as a user would run it after `npm install tencentcloud-cvm-wasm`: the package is
// the tarball `npm pack` makes of pkg/, unpacked into node_modules of a scratch folder; the
// environment points at a local emulator the way `node emulator/server.mjs` tells a user to
// (TCCVM_ENDPOINT, its demo keys, TENCENTCLOUD_REGION; TCCVM_METADATA_URL for its CVM metadata
// path), with an empty HOME. The emulator holds
// Tencent's documentation id img-mfih409y, which the examples use, besides its seeded images.
// A block must exit 0 with nothing on stderr.
//
// A block that cannot run here (a browser page, real keys) is marked with a comment on the line
// before its fence, giving the reason:
//   <!-- readme-test: skip (browser only: needs init() and a page) -->
// It is then reported by name with that reason (as a passing test: `npm test` counts any skipped
// test as a failure). An unmarked block that does not run fails, and so does a marker without a
// reason or one that marks no block. ```sh blocks are not run.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../emulator/server.mjs';
import { DEMO_CREDENTIALS } from '../../emulator/emulator.mjs';
import { addImages, imageLike } from '../faults/seed-images.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCS = ['README.md', 'pkg/README.md', 'www/README.md', 'emulator/README.md'];
const JS_FENCES = new Set(['js', 'javascript', 'mjs', 'cjs']);
const MARKER = /^\s*<!--\s*readme-test\b(.*?)-->\s*$/; // a line of its own
const SKIP = /^:\s*skip\s*\((.+)\)\s*$/;
const REGION = 'ap-guangzhou';
const DOC_IMAGE = 'img-mfih409y';
const BLOCK_TIMEOUT_MS = 30_000;

/**
 * The fenced blocks of a Markdown text: {file, line (of the fence), lang, code, marker}, where
 * `marker` is the readme-test comment on the last non-blank line before the fence, if any.
 * Also returns markers that precede no block.
 */
function extractBlocks(text, file) {
  const lines = text.split('\n');
  const blocks = [];
  const strayMarkers = [];
  let pending = null; // a marker waiting for its fence: {line, body}
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*```(\S*)\s*$/.exec(lines[i]);
    if (open) {
      const start = i;
      const code = [];
      for (i += 1; i < lines.length && !/^\s*```\s*$/.test(lines[i]); i++) code.push(lines[i]);
      blocks.push({ file, line: start + 1, lang: open[1].toLowerCase(), code: `${code.join('\n')}\n`, marker: pending });
      pending = null;
      continue;
    }
    const marker = MARKER.exec(lines[i]);
    if (marker) {
      if (pending) strayMarkers.push(pending);
      pending = { line: i + 1, body: marker[1] };
    } else if (lines[i].trim() !== '' && pending) {
      strayMarkers.push(pending);
      pending = null;
    }
  }
  if (pending) strayMarkers.push(pending);
  return { blocks, strayMarkers };
}

/** .mjs or .cjs: the fence says, else `require(` without an `import` statement means CommonJS. */
function moduleKind(block) {
  if (block.lang === 'mjs' || block.lang === 'cjs') return block.lang;
  return /\brequire\(/.test(block.code) && !/^\s*import\s/m.test(block.code) ? 'cjs' : 'mjs';
}

const docs = DOCS.map((file) => ({ file, ...extractBlocks(readFileSync(path.join(ROOT, file), 'utf8'), file) }));
const jsBlocks = docs.flatMap((d) => d.blocks.filter((b) => JS_FENCES.has(b.lang)));

let running;
let scratch;
let env;

function run(file) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: scratch, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), BLOCK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('the documentation’s JavaScript blocks run as written', () => {
  before(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'readme-blocks-'));
    // The package as users get it: `npm pack` of pkg/, unpacked into node_modules.
    const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: path.join(ROOT, 'pkg'), encoding: 'utf8' });
    assert.equal(packed.status, 0, `npm pack failed: ${packed.stderr}`);
    const [{ filename }] = JSON.parse(packed.stdout);
    const installed = path.join(scratch, 'node_modules', 'tencentcloud-cvm-wasm');
    mkdirSync(installed, { recursive: true });
    const untar = spawnSync('tar', ['-xzf', path.join(scratch, filename), '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
    assert.equal(untar.status, 0, `tar failed: ${untar.stderr}`);
    // emulator/README.md imports './emulator/server.mjs', as from a clone's root.
    symlinkSync(path.join(ROOT, 'emulator'), path.join(scratch, 'emulator'), 'dir');
    mkdirSync(path.join(scratch, 'home'));
    running = await startEmulator({ port: 0, log: null });
    env = {
      PATH: process.env.PATH,
      HOME: path.join(scratch, 'home'),
      TCCVM_ENDPOINT: running.url,
      // The emulator also serves the CVM metadata service's CAM role path (cvmRoleCredentials).
      TCCVM_METADATA_URL: running.url,
      TENCENTCLOUD_SECRET_ID: DEMO_CREDENTIALS[0].secretId,
      TENCENTCLOUD_SECRET_KEY: DEMO_CREDENTIALS[0].secretKey,
      TENCENTCLOUD_REGION: REGION,
    };
  });
  after(async () => {
    await running?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });
  beforeEach(() => {
    running.emulator.reset();
    addImages(running.emulator, REGION, [imageLike(running.emulator, REGION, DOC_IMAGE)]);
  });

  test('there are blocks to run, and every readme-test marker gives a reason and marks a block', () => {
    assert.ok(jsBlocks.filter((b) => !b.marker).length >= 4, `only ${jsBlocks.length} JavaScript blocks found`);
    for (const d of docs) {
      assert.deepEqual(d.strayMarkers.map((m) => `${d.file}:${m.line}`), [], 'markers that precede no block');
      for (const b of d.blocks.filter((x) => x.marker)) {
        assert.match(b.marker.body, SKIP, `${d.file}:${b.marker.line}: a marker is "<!-- readme-test: skip (the reason) -->"`);
        assert.ok(JS_FENCES.has(b.lang), `${d.file}:${b.marker.line} marks a ${b.lang || 'plain'} block, which is not run anyway`);
      }
    }
  });

  test('README.md documents the marker (its tests section)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes('readme-test: skip ('), 'README.md says how a block is marked');
  });

  for (const [index, block] of jsBlocks.entries()) {
    const kind = moduleKind(block);
    const name = `${block.file}:${block.line} (${block.lang}, run as .${kind})`;
    if (block.marker) {
      const reason = SKIP.exec(block.marker.body)?.[1] ?? '(no reason given)';
      test(`${name} — not run: ${reason}`, (t) => {
        assert.match(block.marker.body, SKIP);
        t.diagnostic(`not run: ${block.file}:${block.line}: ${reason}`);
      });
      continue;
    }
    test(name, async () => {
      const file = path.join(scratch, `block-${index + 1}.${kind}`);
      writeFileSync(file, block.code);
      const { code, signal, stdout, stderr } = await run(file);
      const shown = `\n--- block ---\n${block.code}--- stdout ---\n${stdout}--- stderr ---\n${stderr}`;
      assert.equal(signal, null, `killed after ${BLOCK_TIMEOUT_MS} ms${shown}`);
      assert.equal(code, 0, `exit ${code}${shown}`);
      assert.equal(stderr, '', `wrote to stderr${shown}`);
    });
  }
});

describe('the emulator started on its own, as the README says', () => {
  test('`node emulator/server.mjs --port 0` prints export lines that point tccvm at it', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'emulator', 'server.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const home = mkdtempSync(path.join(tmpdir(), 'emulator-alone-'));
    try {
      let out = '';
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner within 10 s: ${out}`)), 10_000);
        child.stdout.on('data', (d) => {
          out += d;
          if (/Ctrl-C stops it/.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('error', reject);
      });
      const exported = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
      assert.match(out, /^emulator listening on http:\/\/127\.0\.0\.1:\d+\n/);
      assert.deepEqual(Object.keys(exported).sort(), ['TCCVM_ENDPOINT', 'TENCENTCLOUD_REGION', 'TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY']);
      assert.equal(exported.TENCENTCLOUD_SECRET_ID, DEMO_CREDENTIALS[0].secretId);
      const cli = spawnSync(process.execPath, [path.join(ROOT, 'pkg', 'bin', 'tccvm.cjs'), 'describe-images', '--Limit', '1'], {
        env: { PATH: process.env.PATH, HOME: home, ...exported }, encoding: 'utf8',
      });
      assert.equal(cli.status, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).ImageSet.length, 1);
    } finally {
      child.kill('SIGTERM');
      rmSync(home, { recursive: true, force: true });
    }
  });
});
