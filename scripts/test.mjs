// `npm test`: every test layer, after setting up whatever is missing (idempotent).
//   lint        cargo fmt --check, cargo clippy -D warnings (native and wasm32)
//   rust        cargo test (the core, natively: unit tests, Tencent's vectors, doc tests)
//   build       the npm package in pkg/
//   wasm-node   #[wasm_bindgen_test] tests of the wasm build under Node
//   wasm-chrome the same tests in headless Chromium (Debian's chromium + chromium-driver)
//   node        node --test suites: package entries and cross-checks, emulator, client and CLI,
//               page end-to-end (Playwright + Chromium), hostile input, faults, the benchmark's
//               quick mode, the packed tarball in every bundler and runtime (tests/package)
//   fuzz        each cargo-fuzz target for FUZZ_SECONDS (default 30) from its committed corpus
// Usage: node scripts/test.mjs [layer …]   (default: all, in this order)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { root, ensureRustWasm, ensureNodeModules, ensureMatrixRuntimes } from './toolchain.mjs';
import { build } from './build.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHROMEDRIVER = '/usr/bin/chromedriver';

function ensureChromium() {
  if (existsSync(CHROMIUM) && existsSync(CHROMEDRIVER)) return;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' });
  if (process.getuid?.() === 0 && apt.status === 0) {
    console.log('[setup] apt-get install chromium chromium-driver');
    const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver'], { stdio: 'inherit' });
    if (r.status === 0 && existsSync(CHROMIUM) && existsSync(CHROMEDRIVER)) return;
  }
  throw new Error(`the browser tests need ${CHROMIUM} and ${CHROMEDRIVER} (Debian packages chromium and chromium-driver); install them (as root: apt-get install chromium chromium-driver) and run again`);
}

/** Runs a command, echoing its output, and returns {code, output}. */
function exec(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => { output += chunk; stream.write(chunk); };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('error', (e) => resolve({ code: 127, output: `${output}\n${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function cargoCounts(output) {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  return { passed, failed };
}

function nodeCounts(output) {
  const num = (label) => Number((output.match(new RegExp(`ℹ ${label} (\\d+)`)) || [])[1] || 0);
  return { passed: num('pass'), failed: num('fail') + num('cancelled'), skipped: num('skipped') + num('todo') };
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.mjs')) out.push(path.relative(root, p));
  }
  return out;
}

const WASM_TARGET = ['--target', 'wasm32-unknown-unknown'];
const layers = {
  lint: async () => {
    const steps = [
      ['cargo', ['fmt', '--check']],
      ['cargo', ['clippy', '--all-targets', '--', '-D', 'warnings']],
      ['cargo', ['clippy', ...WASM_TARGET, '--all-targets', '--', '-D', 'warnings']],
    ];
    let failed = 0;
    for (const [cmd, args] of steps) failed += (await exec(cmd, args)).code === 0 ? 0 : 1;
    return { passed: steps.length - failed, failed };
  },
  rust: async () => {
    const r = await exec('cargo', ['test']);
    return { ...cargoCounts(r.output), exit: r.code };
  },
  build: async () => {
    build();
    return { passed: 1, failed: 0 };
  },
  'wasm-node': async () => {
    const r = await exec('cargo', ['test', ...WASM_TARGET, '--test', 'wasm']);
    return { ...cargoCounts(r.output), exit: r.code };
  },
  'wasm-chrome': async () => {
    ensureChromium();
    const r = await exec('cargo', ['test', ...WASM_TARGET, '--test', 'wasm'], {
      WASM_BINDGEN_USE_BROWSER: '1',
      CHROMEDRIVER,
      WASM_BINDGEN_TEST_TIMEOUT: '120',
    });
    return { ...cargoCounts(r.output), exit: r.code };
  },
  fuzz: async () => {
    const seconds = process.env.FUZZ_SECONDS || '30';
    const r = await exec(process.execPath, [path.join('scripts', 'fuzz.mjs'), '--seconds', seconds]);
    const m = r.output.match(/^(\d+) passed, (\d+) failed$/m);
    return { passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1, exit: r.code };
  },
  node: async () => {
    ensureChromium();
    const files = testFiles(path.join(root, 'tests'));
    if (files.length === 0) throw new Error('no node test files found under tests/');
    const r = await exec(process.execPath, ['--test', '--test-reporter=spec', ...files]);
    return { ...nodeCounts(r.output), exit: r.code };
  },
};

async function main() {
  const wanted = process.argv.slice(2);
  for (const w of wanted) if (!layers[w]) throw new Error(`unknown layer ${w}; layers: ${Object.keys(layers).join(', ')}`);
  ensureRustWasm();
  ensureNodeModules();
  ensureMatrixRuntimes();
  const results = [];
  for (const name of wanted.length ? wanted : Object.keys(layers)) {
    console.log(`\n=== ${name} ===`);
    const started = Date.now();
    let r;
    try {
      r = await layers[name]();
    } catch (e) {
      console.error(`${name}: ${e.message}`);
      r = { passed: 0, failed: 1 };
    }
    // A runner that exits non-zero without counting a failure still fails the layer.
    if (r.exit && r.exit !== 0 && !r.failed) r.failed = 1;
    if (r.passed === 0 && !r.failed) {
      console.error(`${name}: ran no test`);
      r.failed = 1;
    }
    results.push({ name, ...r, seconds: (Date.now() - started) / 1000 });
  }
  console.log('\n=== summary ===');
  for (const r of results) {
    console.log(`${r.name.padEnd(12)} ${String(r.passed).padStart(5)} passed ${String(r.failed).padStart(3)} failed${r.skipped ? ` ${r.skipped} skipped` : ''}  (${r.seconds.toFixed(1)} s)`);
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const skipped = results.reduce((n, r) => n + (r.skipped || 0), 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  process.exit(failed === 0 && skipped === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`npm test: ${e.message}`);
  process.exit(1);
});
