// No import circles: the Rust core's modules (src/*.rs: `use crate::…` and `crate::…` paths outside
// the test modules) and the package's JavaScript (pkg/**/*.{js,cjs,mjs} except the built gen/:
// relative `import`/`export … from`/`require()`/`import()`) form graphs without cycles. A circle
// is a strongly connected component of more than one module (or a module that imports itself),
// named as a path. Rust circles that exist today are listed in KNOWN_RUST_CIRCLES: that list may
// only shrink — a circle not in it (a new one, or a known one that grew) fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Each entry: the modules of one circle (sorted). Remove an entry when its circle is gone.
const KNOWN_RUST_CIRCLES = [
  ['client_options', 'credentials'],
];

function walk(dir, keep, skip = new Set()) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) out.push(...walk(full, keep, skip));
    } else if (keep(entry.name)) {
      out.push(full);
    }
  }
  return out;
}

/** Rust: module name → the crate modules it names outside `#[cfg(test)]` modules and comments. */
export function rustGraph(srcDir) {
  const files = walk(srcDir, (n) => n.endsWith('.rs'));
  const modules = new Set(files.map((f) => path.basename(f, '.rs')).filter((m) => m !== 'lib' && m !== 'main'));
  const graph = new Map();
  for (const file of files) {
    const name = path.basename(file, '.rs');
    if (!modules.has(name)) continue;
    let text = readFileSync(file, 'utf8');
    const tests = text.search(/#\[cfg\(test\)\]\s*mod\s+\w+\s*\{/);
    if (tests >= 0) text = text.slice(0, tests);
    text = text.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n');
    const targets = new Set();
    // `crate::a::…`, and `use crate::{a, b::c}` groups.
    for (const m of text.matchAll(/crate::(\{[^}]*\}|\w+)/g)) {
      const names = m[1].startsWith('{') ? [...m[1].matchAll(/(?:^|[{,]\s*)(\w+)/g)].map((g) => g[1]) : [m[1]];
      for (const n of names) if (modules.has(n) && n !== name) targets.add(n);
    }
    graph.set(name, targets);
  }
  return graph;
}

/** JavaScript: file (relative to root) → the files of the walked set it imports. */
export function jsGraph(pkgDir, root) {
  const files = walk(pkgDir, (n) => /\.(?:js|cjs|mjs)$/.test(n), new Set(['node_modules', 'gen']));
  const known = new Set(files);
  const graph = new Map();
  const specifier = /(?:\bimport\s*(?:[^'"`;]*?\bfrom\s*)?|\bexport\s+[^'"`;]*?\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
  for (const file of files) {
    const text = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(?:\/\/|\*)/.test(line)).join('\n');
    const targets = new Set();
    for (const m of text.matchAll(specifier)) {
      const target = path.resolve(path.dirname(file), m[2]);
      if (known.has(target)) targets.add(path.relative(root, target));
    }
    graph.set(path.relative(root, file), targets);
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one node, or a node with an edge to itself. */
export function circles(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const found = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) {
        low.set(v, Math.min(low.get(v), idx.get(w)));
      }
    }
    if (low.get(v) === idx.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? new Set()).has(v)) found.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return found;
}

/** One cycle through a component, as `a → b → … → a`, to name it. */
export function describeCircle(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const pathTo = (from, seen) => {
    for (const next of [...(graph.get(from) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) return [from, start];
      if (!seen.has(next)) {
        seen.add(next);
        const rest = pathTo(next, seen);
        if (rest) return [from, ...rest];
      }
    }
    return undefined;
  };
  return (pathTo(start, new Set([start])) ?? component).join(' → ');
}

test('the graph walkers and the circle finder find what is there (a made-up graph)', () => {
  const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])], ['e', new Set(['e'])]]);
  const found = circles(graph);
  assert.deepEqual(found, [['a', 'b', 'c'], ['e']]);
  assert.equal(describeCircle(graph, found[0]), 'a → b → c → a');
  assert.deepEqual(circles(new Map([['a', new Set(['b'])], ['b', new Set()]])), []);
  // The walkers see the edges this test relies on.
  const rust = rustGraph(path.join(ROOT, 'src'));
  assert.ok(rust.get('bindings').has('catalogue') && rust.get('response').has('catalogue'));
  assert.ok(rust.get('credentials').has('policy'), 'an inline crate::policy:: path is an edge');
  const js = jsGraph(path.join(ROOT, 'pkg'), ROOT);
  assert.ok(js.get(path.join('pkg', 'src', 'api.js')).has(path.join('pkg', 'src', 'client.js')), 'an ES import is an edge');
  assert.ok(js.get(path.join('pkg', 'bin', 'tccvm.cjs')).has(path.join('pkg', 'bin', 'args.cjs')), 'a require() is an edge');
});

test('the JavaScript of pkg/ has no import circle', () => {
  const graph = jsGraph(path.join(ROOT, 'pkg'), ROOT);
  const found = circles(graph).map((c) => describeCircle(graph, c));
  assert.deepEqual(found, [], `import circles in pkg/: ${found.join('; ')}`);
});

test('the Rust core has no new module circle (the known ones may only shrink)', (t) => {
  const graph = rustGraph(path.join(ROOT, 'src'));
  const found = circles(graph);
  const within = (component) => KNOWN_RUST_CIRCLES.some((known) => component.every((m) => known.includes(m)));
  const fresh = found.filter((c) => !within(c)).map((c) => describeCircle(graph, c));
  assert.deepEqual(fresh, [], `new module circles in src/: ${fresh.join('; ')}`);
  for (const c of found) t.diagnostic(`known circle still there: ${describeCircle(graph, c)}`);
  for (const known of KNOWN_RUST_CIRCLES) {
    if (!found.some((c) => known.every((m) => c.includes(m)))) t.diagnostic(`known circle gone, remove it from KNOWN_RUST_CIRCLES: ${known.join(' ↔ ')}`);
  }
  assert.ok(existsSync(path.join(ROOT, 'src', 'lib.rs')));
});
