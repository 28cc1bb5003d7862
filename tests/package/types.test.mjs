// The package's types as users get them: the tarball `npm pack` makes of pkg/ (tarball.mjs),
// installed into a throwaway app — never pkg/ itself, which would hide files missing from `files`.
//   attw      @arethetypeswrong/cli on the tarball: no problem under node10, node16 (CommonJS and
//             ESM) and bundler resolution, and each resolves to the entry meant for it.
//   tsc       the consumers in tests/types, compiled in the app: node-consumer.cts and
//             node-consumer.mts (module node16), usage.ts (bundler, "node" condition) and
//             web-usage.ts (bundler, browser: browser.d.ts and web.d.ts); strict, skipLibCheck false, types []. Their
//             @ts-expect-error lines prove wrong usage is rejected (tsc fails on an unused one).
//   runtime   the compiled .cts and .mts consumers run with node in the app; for every way the
//             package is resolved, the value exports its types declare (the default export among
//             them) are exactly those the module has at runtime.
//   files     the `npm pack --dry-run --json` list holds every path package.json points at and every
//             file the entries' declarations and modules reference.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { appDir, installInto, packList, PACKAGE_NAME, ROOT, run, tarball } from './tarball.mjs';

const TSC = path.join(ROOT, 'node_modules', '.bin', 'tsc');
const ATTW = path.join(ROOT, 'node_modules', '.bin', 'attw');
const TYPES_SOURCES = path.join(ROOT, 'tests', 'types');
const MODES = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];
/** The declaration file TypeScript looks for beside a module: x.js → x.d.ts, x.cjs → x.d.cts. */
const declarationOf = (file) => file.replace(/\.(c|m)?js$/, (_, x) => `.d.${x ?? ''}ts`);

// Problems attw may report, each for a reason. Nothing else is accepted.
const ACCEPTED_ATTW_PROBLEMS = [
  // The browser entry is ES-only by design (`await init()`, the .wasm found via import.meta.url);
  // its types say so, so a CommonJS file is told to use `await import('tencentcloud-cvm-wasm/web')`.
  { kind: 'CJSResolvesToESM', entrypoint: './web', resolutionKind: 'node16-cjs' },
];
// Export subpaths that are assets rather than modules: attw cannot resolve a .wasm to types.
// ('files' below checks it is packed; 'runtime' that Node resolves it.)
const ATTW_EXCLUDED_ENTRYPOINTS = ['./tencentcloud_cvm_wasm_bg.wasm'];

const CONFIGS = ['tsconfig.node16.json', 'tsconfig.bundler-node.json', 'tsconfig.bundler.json'];

let app;
let pkgJson;
let compiled;
/** `tsc -b` over the consumers' configs in the app (once): one process, the libs parsed once. */
function compile() {
  compiled ??= run(TSC, ['-b', ...CONFIGS.map((c) => path.join('types', c))], { cwd: app });
  return compiled;
}

before(async () => {
  app = (await installInto(appDir('cvm-wasm-types-'))).appDir;
  cpSync(TYPES_SOURCES, path.join(app, 'types'), { recursive: true });
  pkgJson = JSON.parse(readFileSync(path.join(app, 'node_modules', PACKAGE_NAME, 'package.json'), 'utf8'));
  compile(); // runs alongside attw (two processes for two cores); the tests below wait for it
});

describe('@arethetypeswrong/cli on the packed tarball', () => {
  let report;
  before(async () => {
    const r = await run(
      ATTW,
      [await tarball(), '--format', 'json', '--profile', 'strict', '--no-definitely-typed', '--exclude-entrypoints', ...ATTW_EXCLUDED_ENTRYPOINTS],
      { cwd: app },
    );
    try {
      report = JSON.parse(r.stdout);
    } catch {
      assert.fail(`attw printed no JSON report:\n${r.output}`);
    }
  });

  test('finds no problem under node10, node16 (CommonJS and ESM) and bundler resolution', () => {
    const problems = Object.values(report.problems ?? {}).flat();
    const accepted = (p) => ACCEPTED_ATTW_PROBLEMS.some((a) => a.kind === p.kind && a.entrypoint === p.entrypoint && a.resolutionKind === p.resolutionKind);
    const unexpected = problems.filter((p) => !accepted(p));
    assert.deepEqual(
      unexpected.map((p) => `${p.kind} at "${p.entrypoint ?? '(package)'}" under ${p.resolutionKind ?? 'every mode'}`),
      [],
      `attw reports problems (${ATTW} <tgz> --format table-flipped shows them):\n${JSON.stringify(unexpected, null, 2)}`,
    );
  });

  test('analysed the entrypoints under every resolution mode, each resolving to the entry meant for it', () => {
    const entrypoints = report.analysis.entrypoints;
    assert.deepEqual(Object.keys(entrypoints).sort(), ['.', './console', './package.json', './vite', './web']);
    const seen = (subpath) => Object.fromEntries(MODES.map((mode) => {
      const r = entrypoints[subpath].resolutions[mode];
      const base = (f) => (f ? path.posix.relative(`/node_modules/${PACKAGE_NAME}`, f) : null);
      return [mode, [base(r?.resolution?.fileName), base(r?.implementationResolution?.fileName)]];
    }));
    assert.deepEqual(seen('.'), {
      'node10': ['node.d.cts', 'node.cjs'],
      'node16-cjs': ['node.d.cts', 'node.cjs'],
      'node16-esm': ['node.d.ts', 'node.mjs'],
      'bundler': ['browser.d.ts', 'browser.js'],
    });
    assert.deepEqual(seen('./web'), Object.fromEntries(MODES.map((mode) => [mode, ['web.d.ts', 'web.js']])));
    assert.deepEqual(seen('./console'), {
      'node10': ['console.d.ts', 'console.js'],
      'node16-cjs': ['console.d.cts', 'console.cjs'],
      'node16-esm': ['console.d.ts', 'console.mjs'],
      'bundler': ['console.d.ts', 'console.js'],
    });
    assert.deepEqual(seen('./vite'), {
      'node10': ['vite.d.ts', 'vite.js'],
      'node16-cjs': ['vite.d.cts', 'vite.cjs'],
      'node16-esm': ['vite.d.ts', 'vite.js'],
      'bundler': ['vite.d.ts', 'vite.js'],
    });
  });
});

describe('tsc: consumers in an app with the tarball installed', () => {
  test(`${CONFIGS.join(', ')} type-check: .cts and .mts (module node16), bundler with the "node" condition, bundler for browsers`, async () => {
    const { status, output } = await compile();
    assert.equal(status, 0, `tsc failed (an "Unused '@ts-expect-error' directive" means wrong usage is no longer rejected):\n${output}`);
  });

  // core.d.ts (generated by wasm-bindgen) declares RateLimiter's `[Symbol.dispose](): void`, which
  // needs lib ESNext.Disposable (or @types/node): a browser app with lib ES2022 + DOM and
  // skipLibCheck false gets TS2550 in core.d.ts, so the consumers' configs add ESNext.Disposable.
  test('the declarations need no lib beyond ES2022 + DOM', () => {
    const pkgDir = path.join(app, 'node_modules', PACKAGE_NAME);
    const users = readdirSync(pkgDir).filter((f) => /\.d\.c?ts$/.test(f) && readFileSync(path.join(pkgDir, f), 'utf8').includes('Symbol.dispose'));
    assert.deepEqual(users, []);
  });
});

describe('runtime: the consumers run, and the types declare what the modules export', () => {
  for (const file of ['node-consumer.cjs', 'node-consumer.mjs']) {
    test(`the compiled ${file.replace(/\.(c|m)js$/, '.$1ts')} runs with node in the app`, async () => {
      const { status, output } = await compile();
      assert.equal(status, 0, `tsc failed:\n${output}`);
      const r = await run(process.execPath, [path.join('types', 'dist', file)], { cwd: app, timeout: 30_000 });
      assert.equal(r.status, 0, r.output);
      assert.match(r.stdout, new RegExp(`${file.replace(/\.(c|m)js$/, '.$1ts').replace('.', '\\.')} ok`));
    });
  }

  /** The first target of an exports entry matching the conditions ('default' always matches). */
  function resolveTarget(target, conditions) {
    if (typeof target === 'string' || target === null) return target;
    if (Array.isArray(target)) {
      for (const t of target) {
        const r = resolveTarget(t, conditions);
        if (r) return r;
      }
      return null;
    }
    for (const [key, value] of Object.entries(target)) {
      if (key !== 'default' && !conditions.includes(key)) continue;
      const r = resolveTarget(value, conditions);
      if (r) return r;
    }
    return null;
  }

  // How the package is resolved, by whom: its types file and its runtime module under that
  // resolution, and how Node loads the module ('import' or 'require').
  const CASES = [
    { name: 'Node import (node16 ESM)', subpath: '.', conditions: ['node', 'import'], load: 'import' },
    { name: 'Node require (node16 CommonJS)', subpath: '.', conditions: ['node', 'require'], load: 'require' },
    { name: 'node10 (main and types fields)', legacy: true, load: 'require' },
    { name: 'bundler, browser', subpath: '.', conditions: ['browser', 'import'], load: 'import' },
    { name: 'bundler, no browser condition', subpath: '.', conditions: ['import'], load: 'import' },
    { name: 'Node import of ./web', subpath: './web', conditions: ['node', 'import'], load: 'import' },
    { name: 'bundler, ./web', subpath: './web', conditions: ['browser', 'import'], load: 'import' },
    { name: 'Node import of ./console', subpath: './console', conditions: ['node', 'import'], load: 'import' },
    { name: 'Node require of ./console', subpath: './console', conditions: ['node', 'require'], load: 'require' },
    { name: 'bundler, ./console', subpath: './console', conditions: ['browser', 'import'], load: 'import' },
    { name: 'Node import of ./vite', subpath: './vite', conditions: ['node', 'import'], load: 'import' },
    { name: 'Node require of ./vite', subpath: './vite', conditions: ['node', 'require'], load: 'require' },
  ];
  function filesOf(c) {
    if (c.legacy) return { types: pkgJson.types, module: pkgJson.main };
    const entry = pkgJson.exports[c.subpath];
    return {
      types: declarationOf(resolveTarget(entry, ['types', ...c.conditions])),
      module: resolveTarget(entry, c.conditions),
    };
  }

  /** Sorted value exports (functions, classes, constants, default) of each declaration file. */
  function declaredValues(files) {
    const ts = createRequire(import.meta.url)(path.join(ROOT, 'node_modules', 'typescript'));
    const program = ts.createProgram(files, {
      strict: true, noEmit: true, module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16,
      lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'], types: [], // no DOM: only exports are read
    });
    const checker = program.getTypeChecker();
    return Object.fromEntries(files.map((file) => {
      const source = program.getSourceFile(file);
      assert.ok(source && existsSync(file), `${file}: no such declaration file in the installed package`);
      const symbol = checker.getSymbolAtLocation(source);
      const values = checker.getExportsOfModule(symbol).filter((s) => {
        const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      });
      return [file, values.map((s) => s.getName()).sort()];
    }));
  }

  // Exports the declarations may name that no entry has at runtime: none (scripts/build.mjs leaves
  // the wasm module's internal exports, `start` among them, out of core.d.ts).
  const KNOWN_DECLARED_ONLY = [];

  let observed;
  /** Each case's files, the runtime exports a node process in the app sees, the declared ones. */
  function observe() {
    observed ??= observeNow();
    return observed;
  }
  async function observeNow() {
    const pkgDir = path.join(app, 'node_modules', PACKAGE_NAME);
    const cases = CASES.map((c) => ({ ...c, ...filesOf(c) }));
    // One node process in the app loads every case's module the way its resolver would: Node's
    // own resolution where Node resolves, the module file itself where a bundler would.
    const probe = path.join(app, 'probe.mjs');
    writeFileSync(probe, `import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
const require = createRequire(import.meta.url);
const pkgDir = ${JSON.stringify(pkgDir)};
const cases = ${JSON.stringify(cases)};
const out = {};
for (const c of cases) {
  let mod;
  let resolved;
  if (c.conditions?.includes('node')) {
    const specifier = ${JSON.stringify(PACKAGE_NAME)} + c.subpath.slice(1);
    resolved = c.load === 'require' ? require.resolve(specifier) : fileURLToPath(import.meta.resolve(specifier));
    mod = c.load === 'require' ? require(specifier) : await import(specifier);
  } else {
    resolved = pkgDir + '/' + c.module.replace(/^\\.\\//, '');
    mod = c.load === 'require' ? require(resolved) : await import(pathToFileURL(resolved).href);
  }
  out[c.name] = {
    resolved: resolved.slice(pkgDir.length + 1),
    keys: Object.keys(mod).sort(),
    default: typeof mod.default,
    defaultIsTheApi: mod.default !== undefined && mod.default === require(${JSON.stringify(PACKAGE_NAME)}),
  };
}
// The browser entry's default export really is init: it loads the module from bytes.
const web = await import(${JSON.stringify(`${PACKAGE_NAME}/web`)});
await web.default(readFileSync(fileURLToPath(import.meta.resolve(${JSON.stringify(`${PACKAGE_NAME}/tencentcloud_cvm_wasm_bg.wasm`)}))));
const req = web.buildDeleteImages({ ImageIds: ['img-mfih409y'] }, { secretId: 'a', secretKey: 'b', region: 'ap-guangzhou', timestamp: 1 });
out.webInit = { signed: /^[0-9a-f]{64}$/.test(req.signing.signature) };
console.log(JSON.stringify(out));
`);
    const r = await run(process.execPath, [probe], { cwd: app, timeout: 30_000 });
    assert.equal(r.status, 0, r.output);
    const runtime = JSON.parse(r.stdout);
    const byFile = declaredValues([...new Set(cases.map((c) => path.join(pkgDir, c.types)))]);
    const declared = Object.fromEntries(cases.map((c) => [c.name, byFile[path.join(pkgDir, c.types)]]));
    return { cases, runtime, declared };
  }

  test('for every resolution, the declared value exports (default included) are the runtime exports', async () => {
    const { cases, runtime, declared } = await observe();
    for (const c of cases) {
      const at = runtime[c.name];
      const label = `${c.name}: ${c.types} / ${c.module}`;
      assert.equal(at.resolved, c.module.replace(/^\.\//, ''), `${c.name}: Node resolved ${at.resolved}, the exports map says ${c.module}`);
      const values = declared[c.name].filter((name) => !KNOWN_DECLARED_ONLY.includes(name) || at.keys.includes(name));
      assert.deepEqual(values, at.keys, `${label}: declared value exports ≠ runtime exports`);
      assert.equal(values.includes('default'), at.default !== 'undefined', `${label}: the types ${values.includes('default') ? 'declare' : 'do not declare'} a default export, at runtime it is ${at.default}`);
    }
    // What the default export is, where there is one.
    const byName = Object.fromEntries(cases.map((c) => [c.name, { ...c, ...runtime[c.name] }]));
    assert.equal(byName['Node import (node16 ESM)'].default, 'object');
    assert.ok(byName['Node import (node16 ESM)'].defaultIsTheApi, 'Node\'s ES entry: the default export is the API object require() returns');
    for (const name of ['Node require (node16 CommonJS)', 'node10 (main and types fields)']) {
      assert.equal(byName[name].types, './node.d.cts', name);
      assert.equal(byName[name].default, 'undefined', `${name}: require(…).default is undefined`);
    }
    for (const name of ['bundler, browser', 'bundler, no browser condition', 'Node import of ./web', 'bundler, ./web']) {
      assert.equal(byName[name].default, 'function', `${name}: the default export is init`);
    }
    assert.ok(runtime.webInit.signed, 'init(bytes) loads the module and the browser entry signs');
  });

  test('the types declare no export that the entries lack', async () => {
    const { cases, runtime, declared } = await observe();
    const declaredOnly = cases.flatMap((c) => declared[c.name].filter((name) => !runtime[c.name].keys.includes(name)).map((name) => `${c.name}: ${name}`));
    assert.deepEqual(declaredOnly, []);
  });
});

describe('the packed file list (npm pack --dry-run --json) against package.json', () => {
  const strip = (p) => p.replace(/^\.\//, '');
  const leaves = (v) => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(leaves) : []);

  /** Every path package.json points at, with where it points from. */
  function pointedAt(pkg) {
    const out = [];
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) for (const p of leaves(target)) out.push([`exports["${subpath}"]`, p]);
    for (const field of ['main', 'module', 'types', 'typings']) if (typeof pkg[field] === 'string') out.push([field, pkg[field]]);
    for (const p of leaves(pkg.browser)) out.push(['browser', p]);
    for (const p of typeof pkg.bin === 'string' ? [pkg.bin] : leaves(pkg.bin)) out.push(['bin', p]);
    return out;
  }

  test('holds every path of exports, main, module, browser, types and bin', async () => {
    const { files } = await packList();
    const packed = new Set(files.map((f) => f.path));
    const missing = pointedAt(pkgJson)
      .filter(([, p]) => (p.includes('*') ? ![...packed].some((f) => new RegExp(`^${strip(p).split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(f)) : !packed.has(strip(p))))
      .map(([from, p]) => `${from}: ${p}`);
    assert.deepEqual(missing, [], `package.json points at files the tarball lacks (pkg/package.json "files"?)`);
  });

  test('holds every file the entries\' declarations and modules reference (.d.ts, .d.cts, .js, .cjs, .wasm)', async () => {
    const { files } = await packList();
    const packed = new Set(files.map((f) => f.path));
    const pkgDir = path.join(app, 'node_modules', PACKAGE_NAME); // the tarball's contents
    const REF = [
      /\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
      /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
      /\brequire\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
      /\/\/\/\s*<reference\s+path\s*=\s*['"]([^'"]+)['"]/g,
      /\bnew URL\(\s*['"](\.{0,2}\/?[^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
    ];
    const isDeclaration = (f) => /\.d\.(c|m)?ts$/.test(f);
    /** The packed file a reference from `from` means, or the candidates tried. */
    function target(from, spec) {
      const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      const candidates = isDeclaration(from)
        ? (/\.(c|m)?js$/.test(base) ? [declarationOf(base)] : /\.d\.(c|m)?ts$/.test(base) ? [base] : [`${base}.d.ts`, `${base}/index.d.ts`])
        : [base, `${base}.js`, `${base}.cjs`, `${base}/index.js`];
      return candidates.find((c) => packed.has(c)) ?? candidates;
    }
    const queue = pointedAt(pkgJson).map(([, p]) => strip(p)).filter((p) => packed.has(p));
    const seen = new Set(queue);
    const missing = [];
    while (queue.length > 0) {
      const file = queue.shift();
      if (!/\.(d\.(c|m)?ts|(c|m)?js)$/.test(file)) continue;
      const text = readFileSync(path.join(pkgDir, file), 'utf8');
      for (const re of REF) {
        for (const [, spec] of text.matchAll(re)) {
          const t = target(file, spec);
          if (Array.isArray(t)) missing.push(`${file} → '${spec}' (none of ${t.join(', ')})`);
          else if (!seen.has(t)) {
            seen.add(t);
            queue.push(t);
          }
        }
      }
    }
    assert.deepEqual(missing, [], 'files referenced from the entries but not packed');
    // Every declaration entry reaches core's twins: the walk really followed the references.
    for (const f of ['core.d.ts', 'core.d.cts', 'gen/node/cvm.cjs', 'gen/web/cvm.js', 'tencentcloud_cvm_wasm_bg.wasm']) {
      assert.ok(seen.has(f), `the walk from package.json's (packed) paths never reached ${f}: is an entry point missing from the tarball?`);
    }
  });

  test('the installed package holds exactly the packed files', async () => {
    const { files } = await packList();
    const installed = [];
    const walk = (dir, rel = '') => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
        else installed.push(`${rel}${e.name}`);
      }
    };
    const pkgDir = path.join(app, 'node_modules', PACKAGE_NAME);
    assert.ok(existsSync(pkgDir));
    walk(pkgDir);
    assert.deepEqual(installed.sort(), files.map((f) => f.path).sort());
  });
});
