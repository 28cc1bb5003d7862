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

// Each entry: the modules of one circle (sorted). Remove an entry when its circle is gone. (The
// last one, client_options ↔ credentials, went with the one declaration per input.)
const KNOWN_RUST_CIRCLES = [];

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

/**
 * Rust: module path (`request::endpoint`; a folder's mod.rs is the folder's module) → the crate
 * modules it names outside `#[cfg(test)]` modules and comments: each `crate::a::b::…` path (and
 * each item of a `crate::a::{b, c::d}` group) counts as an edge to the longest module path it
 * starts with.
 */
export function rustGraph(srcDir) {
  const files = walk(srcDir, (n) => n.endsWith('.rs'));
  const idOf = (file) => {
    const rel = path.relative(srcDir, file).split(path.sep).join('/').replace(/\.rs$/, '');
    return rel === 'lib' || rel === 'main' ? undefined : rel.replace(/\/mod$/, '').split('/').join('::');
  };
  const modules = new Set(files.map(idOf).filter(Boolean));
  const resolve = (segments) => {
    for (let k = segments.length; k > 0; k -= 1) {
      const id = segments.slice(0, k).join('::');
      if (modules.has(id)) return id;
    }
    return undefined;
  };
  const graph = new Map();
  for (const file of files) {
    const name = idOf(file);
    if (!name) continue;
    let text = readFileSync(file, 'utf8');
    const tests = text.search(/#\[cfg\(test\)\]\s*mod\s+\w+\s*\{/);
    if (tests >= 0) text = text.slice(0, tests);
    text = text.split('\n').filter((line) => !line.trim().startsWith('//')).join('\n');
    const targets = new Set();
    // A mod.rs names its own children without `crate::` (`use catalogue::{…}`, `v1::sign(…)`).
    const children = [...modules].filter((m) => m.startsWith(`${name}::`) && !m.slice(name.length + 2).includes('::'));
    for (const child of children) {
      const short = child.slice(name.length + 2);
      if (new RegExp(`(?<![\\w:])${short}::`).test(text)) targets.add(child);
    }
    for (const m of text.matchAll(/crate::((?:\w+::)*)(\{[^}]*\}|\w+)/g)) {
      const prefix = m[1] ? m[1].slice(0, -2).split('::') : [];
      const items = m[2].startsWith('{')
        ? m[2].slice(1, -1).split(',').map((item) => item.trim().split(/\s+as\s+/)[0]).filter(Boolean)
        : [m[2]];
      for (const item of items) {
        const segments = item === 'self' ? prefix : [...prefix, ...item.split('::').filter((s) => s && s !== '{')];
        const target = resolve(segments);
        if (target && target !== name) targets.add(target);
      }
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
  assert.ok(rust.get('wasm').has('response::catalogue'), 'a `use crate::a::b::{…}` is an edge to a::b');
  assert.ok(rust.get('response').has('response::catalogue'), 'a mod.rs naming its child without crate:: is an edge');
  assert.ok(rust.get('client::credentials').has('client::policy'), 'an inline crate::a::b:: path is an edge');
  assert.ok(rust.get('sign::v1').has('sign'), 'a path to a room (its mod.rs) is an edge to the room');
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

/** The rooms' graph: each module's edges to other rooms (`request::endpoint` is in `request`). */
export function roomGraph(graph) {
  const room = (m) => m.split('::')[0];
  const rooms = new Map();
  for (const [from, targets] of graph) {
    const edges = rooms.get(room(from)) ?? new Set();
    for (const to of targets) if (room(to) !== room(from)) edges.add(room(to));
    rooms.set(room(from), edges);
  }
  return rooms;
}

test('the Rust core\'s rooms (src/ folders) depend on each other one way', () => {
  const rooms = roomGraph(rustGraph(path.join(ROOT, 'src')));
  const found = circles(rooms).map((c) => describeCircle(rooms, c));
  assert.deepEqual(found, [], `circles between rooms of src/: ${found.join('; ')}`);
  // What lib.rs's map says: the reader and the signer know nothing of requests, clients or answers.
  for (const [from, forbidden] of [['input', ['sign', 'request', 'actions', 'response', 'client', 'wasm', 'boundary']], ['sign', ['request', 'actions', 'response', 'client', 'wasm']], ['response', ['request', 'sign', 'client', 'wasm']]]) {
    const bad = forbidden.filter((to) => rooms.get(from)?.has(to));
    assert.deepEqual(bad, [], `${from} must not know ${bad.join(', ')}`);
  }
  // The walker sees a room circle where there is one (a made-up edge back).
  const withEdgeBack = new Map([...rooms].map(([k, v]) => [k, new Set(v)]));
  withEdgeBack.get('sign').add('request');
  assert.ok(circles(withEdgeBack).length > 0);
});
