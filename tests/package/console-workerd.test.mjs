// The console handler in workerd from the packed tarball (the "workerd" condition of
// tencentcloud-cvm-wasm/console, bundled as wrangler bundles a Worker): the same flow as under Node
// and Vite — ConsoleClient lists and deletes against the emulator — and the refusal battery.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from '../../emulator/server.mjs';
import { runBattery, SESSION_HEADER, SESSION_VALUE } from '../console/battery.mjs';
import { BIN, freePort, startProcess, workspaceAppDir } from './matrix-support.mjs';
import { installInto, ROOT } from './tarball.mjs';

const require = createRequire(import.meta.url);
const WORKERD = path.join(BIN, 'workerd');
const KEY = { secretId: 'AKIDworkerdServerKey000000000000001', secretKey: 'workerdServerSecret0000000000001' };

let emu;
let server;
let base;

before(async () => {
  if (!existsSync(WORKERD)) return;
  const app = workspaceAppDir('console-workerd');
  cpSync(path.join(ROOT, 'tests', 'package', 'console-app'), app, { recursive: true });
  await installInto(app, { packageJson: { type: 'module' } });
  emu = await startEmulator({ port: 0, log: null, credentials: [KEY] });
  const out = path.join(app, 'dist-workerd');
  mkdirSync(out, { recursive: true });
  const wasmModules = [];
  await require('esbuild').build({
    entryPoints: [path.join(app, 'worker.js')],
    outfile: path.join(out, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    logLevel: 'warning',
    plugins: [{
      name: 'wasm-modules',
      setup(build) {
        build.onResolve({ filter: /\.wasm$/ }, (args) => {
          const file = path.resolve(args.resolveDir, args.path);
          wasmModules.push(file);
          return { path: `./${path.basename(file)}`, external: true };
        });
      },
    }],
  });
  assert.equal(wasmModules.length, 1, 'the workerd entry imports the .wasm as a module');
  for (const f of wasmModules) copyFileSync(f, path.join(out, path.basename(f)));
  const port = await freePort();
  writeFileSync(path.join(out, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    ${wasmModules.map((f) => `(name = "${path.basename(f)}", wasm = embed "${path.basename(f)}"),`).join('\n    ')}
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "CVM_ENDPOINT", text = "${emu.url}"),
    (name = "CVM_SECRET_ID", text = "${KEY.secretId}"),
    (name = "CVM_SECRET_KEY", text = "${KEY.secretKey}"),
  ],
);
`);
  server = await startProcess(WORKERD, ['serve', path.join(out, 'config.capnp')], { cwd: out });
  base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    if (await fetch(`${base}/`).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});
after(async () => {
  await server?.stop();
  await emu?.close();
});

const skip = existsSync(WORKERD) ? false : 'the workerd devDependency ships it (npm ci)';

test('workerd: ConsoleClient lists and deletes through the Worker; errors as CvmClient\'s', { skip, timeout: 120_000 }, async () => {
  const { ConsoleClient } = require('../../pkg/console.cjs');
  const client = new ConsoleClient({ endpoint: `${base}/cvm`, headers: { [SESSION_HEADER]: SESSION_VALUE } });
  const { ImageSet } = await client.describeImages({ Limit: 100 });
  assert.ok(ImageSet.some((i) => i.ImageId === 'img-gznorm05'), server.output());
  await client.deleteImages({ ImageIds: ['img-gznorm05'] });
  assert.ok(!emu.emulator.images('ap-guangzhou').some((i) => i.ImageId === 'img-gznorm05'));
  const e = await client.deleteImages({ ImageIds: ['img-gznorm05'] }).catch((x) => x);
  assert.deepEqual([e.code, e.httpStatus], ['InvalidImageId.NotFound', 404]);
});

// workerd reads an absolute-form target (POST http://other/cvm) as the path /cvm on the Host sent,
// so the other authority never reaches the handler; the rest of the battery as everywhere.
test('workerd: the refusal battery', { skip, timeout: 120_000 }, async (t) => runBattery(t, base, () => emu.emulator.logLines().length, { absoluteForm: false }));
