// Fuzzes the core with cargo-fuzz (libFuzzer), on stable Rust through RUSTC_BOOTSTRAP=1.
//
//   node scripts/fuzz.mjs [--seconds N] [--sanitizer none|address] [target …]
//
// Targets are fuzz/fuzz_targets/*.rs (default: all of them); each runs N seconds (default 30),
// starting from a scratch copy of its committed seed corpus fuzz/corpus/<target>/ so that the
// inputs libFuzzer adds never land in the repository. Crashing inputs go to
// fuzz/artifacts/<target>/ (git-ignored) and the reproduce command is printed. The sanitizer
// defaults to `none`: the core has no `unsafe`, and AddressSanitizer (`--sanitizer address`, which
// also works here) runs about 4× fewer executions and rebuilds everything when switched.
//
// Prints one line per target, `fuzz <target>: <executions> execs, <crashes> crashes, <seconds> s`,
// then `N passed, M failed`; exits 1 if any target crashed (or did not build or run).
//
// One target for longer, e.g. an hour on both cores:
//   node scripts/fuzz.mjs --seconds 3600 signing
//   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run signing /tmp/signing-corpus corpus/signing \
//     --sanitizer none -- -max_total_time=3600 -fork=2
// (libFuzzer writes new inputs into the first corpus directory: name a scratch one first, as
// here, and the committed corpus after it as read-only seeds.) Reproduce a crash with
//   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none <target> artifacts/<target>/crash-…
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fuzzDir = path.join(root, 'fuzz');
const env = { ...process.env, RUSTC_BOOTSTRAP: '1' };

function parseArgs(argv) {
  const opts = { seconds: 30, sanitizer: 'none', targets: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--seconds' || arg.startsWith('--seconds=')) {
      opts.seconds = Number(value());
      if (!Number.isInteger(opts.seconds) || opts.seconds < 1) throw new Error('--seconds must be a whole number ≥ 1');
    } else if (arg === '--sanitizer' || arg.startsWith('--sanitizer=')) {
      opts.sanitizer = value();
    } else if (arg === '-h' || arg === '--help') {
      console.log('usage: node scripts/fuzz.mjs [--seconds N] [--sanitizer none|address] [target …]');
      process.exit(0);
    } else if (arg.startsWith('-')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      opts.targets.push(arg);
    }
  }
  return opts;
}

function allTargets() {
  return readdirSync(path.join(fuzzDir, 'fuzz_targets'))
    .filter((f) => f.endsWith('.rs'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function ensureCargoFuzz() {
  const probe = spawnSync('cargo', ['fuzz', '--version'], { env, encoding: 'utf8' });
  if (probe.status === 0) return;
  console.log('[setup] cargo install cargo-fuzz');
  for (const args of [['install', 'cargo-fuzz', '--locked'], ['install', 'cargo-fuzz']]) {
    if (spawnSync('cargo', args, { env, stdio: 'inherit' }).status === 0) return;
  }
  throw new Error('cargo install cargo-fuzz failed');
}

/** Runs a command in its own process group; resolves {code, output, ms}. */
function exec(cmd, args, { cwd, timeoutMs, echo = false }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const take = (stream) => (chunk) => {
      output += chunk;
      if (echo) stream.write(chunk);
    };
    child.stdout.on('data', take(process.stdout));
    child.stderr.on('data', take(process.stderr));
    // A guard beyond -max_total_time: end the group we started (cargo-fuzz and its fuzzer).
    const timer = setTimeout(() => {
      output += `\n[fuzz.mjs] no end after ${timeoutMs / 1000} s: stopping process group ${child.pid}\n`;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}\n${e.message}`, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), output, ms: Date.now() - started });
    });
  });
}

/** Executions, crashes and artifact paths from libFuzzer's output. */
function parseRun(output, code) {
  let execs = 0;
  const stat = output.match(/stat::number_of_executed_units:\s*(\d+)/);
  const done = output.match(/^#(\d+)\s+DONE/m);
  if (stat) execs = Number(stat[1]);
  else if (done) execs = Number(done[1]);
  else {
    // Stopped early (a crash): the last progress line, e.g. `#12345	NEW    cov: …`.
    for (const m of output.matchAll(/^#(\d+)\s/gm)) execs = Number(m[1]);
  }
  const artifacts = [...output.matchAll(/Test unit written to (\S+)/g)].map((m) => m[1]);
  const crashed = code !== 0 || /==\d+== ERROR: libFuzzer|deadly signal|panicked at/.test(output);
  const crashes = crashed ? Math.max(1, artifacts.length) : 0;
  return { execs, crashes, artifacts };
}

/** The panic message (without the backtrace), libFuzzer's summary and the input, short. */
function crashReport(output) {
  const lines = output.split('\n');
  const out = [];
  const panic = lines.findIndex((l) => /panicked at/.test(l));
  if (panic >= 0) {
    for (const l of lines.slice(panic, panic + 12)) {
      if (/^stack backtrace:|^note: /.test(l)) break;
      out.push(l);
    }
  }
  for (const [i, l] of lines.entries()) {
    if (/^SUMMARY: |no end after|==\d+== ERROR: libFuzzer: (?!deadly signal)/.test(l)) out.push(l);
    // libFuzzer prints the input, escaped, just before where it wrote it.
    if (/Test unit written to/.test(l) && i > 0 && lines[i - 1].length <= 400) out.push(`input: ${lines[i - 1]}`);
  }
  return out.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const known = allTargets();
  const targets = opts.targets.length ? opts.targets : known;
  for (const t of targets) {
    if (!known.includes(t)) throw new Error(`unknown target ${t} (known: ${known.join(', ')})`);
  }
  ensureCargoFuzz();
  const sanitizer = ['--sanitizer', opts.sanitizer];

  // Build once, up front, so build time and failures are not counted as fuzzing.
  console.log(`[fuzz] cargo fuzz build ${sanitizer.join(' ')}`);
  const only = targets.length === 1 ? targets : [];
  const build = await exec('cargo', ['fuzz', 'build', ...sanitizer, ...only], {
    cwd: fuzzDir,
    timeoutMs: 30 * 60 * 1000,
    echo: true,
  });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tencentcloud-cvm-wasm-fuzz-'));
  let passed = 0;
  let failed = 0;
  try {
    if (build.code !== 0) {
      for (const t of targets) console.log(`fuzz ${t}: 0 execs, 0 crashes, 0.0 s (build failed)`);
      failed = targets.length;
      return;
    }
    for (const target of targets) {
      const corpus = path.join(scratch, target);
      const seeds = path.join(fuzzDir, 'corpus', target);
      if (existsSync(seeds)) cpSync(seeds, corpus, { recursive: true });
      const args = [
        'fuzz', 'run', ...sanitizer, target, corpus, '--',
        `-max_total_time=${opts.seconds}`, '-timeout=10', '-print_final_stats=1',
      ];
      const run = await exec('cargo', args, { cwd: fuzzDir, timeoutMs: (opts.seconds + 300) * 1000 });
      const { execs, crashes, artifacts } = parseRun(run.output, run.code);
      if (crashes > 0) {
        console.log(crashReport(run.output));
        for (const a of artifacts) {
          const rel = path.relative(fuzzDir, path.resolve(fuzzDir, a));
          console.log(`[fuzz] crashing input: fuzz/${rel}`);
          console.log(`[fuzz] reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${sanitizer.join(' ')} ${target} ${rel}`);
        }
        failed++;
      } else {
        passed++;
      }
      console.log(`fuzz ${target}: ${execs} execs, ${crashes} crashes, ${(run.ms / 1000).toFixed(1)} s`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  }
}

main().catch((e) => {
  console.error(`fuzz.mjs: ${e.message}`);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
