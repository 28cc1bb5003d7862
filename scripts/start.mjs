// `npm start`: builds the package if needed, then serves the page, the package, the CVM emulator and
// the same-origin proxy on one local port (www/server.mjs).

import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { allowedHostsFromEnv } from '../emulator/http-io.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PKG = path.join(ROOT, 'pkg');

function packageIsBuilt() {
  // pkg/web.js is in the tree; the glue it imports from pkg/gen/ is what the build makes.
  if (!existsSync(path.join(PKG, 'gen', 'web', 'cvm.js'))) return false;
  const hasWasm = (dir) =>
    existsSync(dir) &&
    readdirSync(dir, { withFileTypes: true }).some(
      (e) => (e.isFile() && e.name.endsWith('.wasm')) || (e.isDirectory() && hasWasm(path.join(dir, e.name))),
    );
  return hasWasm(PKG);
}

// `npm start -- --allowed-host demo.example.com` (repeatable) or TCCVM_ALLOWED_HOSTS=a,b: Host names
// to answer besides 127.0.0.1, localhost and [::1], for someone who exposes the server on purpose.
let cliAllowedHosts;
try {
  cliAllowedHosts = parseArgs({ options: { 'allowed-host': { type: 'string', multiple: true, default: [] } } }).values['allowed-host'];
} catch (err) {
  console.error(`npm start: ${err.message}\nusage: npm start [-- --allowed-host NAME …]`);
  process.exit(2);
}

if (!packageIsBuilt()) {
  console.log('pkg/ is not built yet: running `node scripts/build.mjs` …');
  const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.error || build.status !== 0 || !packageIsBuilt()) {
    const why = build.error ? build.error.message : `exit status ${build.status ?? build.signal}`;
    console.error(
      `\nnpm start: building the package failed (${why}).\n` +
        'Fix the build (run `npm run build` to see its output), then run `npm start` again.',
    );
    process.exit(1);
  }
}

const { startServer, demoCredentials } = await import('../www/server.mjs');

const portText = process.env.PORT ?? '8080';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`npm start: PORT must be an integer 0–65535, got ${JSON.stringify(portText)}`);
  process.exit(1);
}

let server;
try {
  server = await startServer({ port, host: '127.0.0.1', allowedHosts: [...allowedHostsFromEnv(), ...cliAllowedHosts] });
} catch (err) {
  const hint = err.code === 'EADDRINUSE' ? ` (port ${port} is taken: try PORT=0 or another port)` : '';
  console.error(`npm start: cannot start the server: ${err.message}${hint}`);
  process.exit(1);
}

const demo = demoCredentials(server.emulator);
console.log(`
tencentcloud-cvm-wasm demo page   ${server.url}/
  CVM emulator endpoint           ${server.url}/emulator
  proxy to the real API           ${server.url}/proxy/cvm.tencentcloudapi.com  (signed host cvm.tencentcloudapi.com)
  emulator demo credentials       SecretId  ${demo.secretId}
                                  SecretKey ${demo.secretKey}  (they open nothing but the emulator)
Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: closing the server …`);
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  await server.close();
  process.exit(0);
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
