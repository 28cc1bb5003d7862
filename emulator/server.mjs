// The emulator on its own port: `node emulator/server.mjs --port 9001`, or startEmulator() in tests.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createEmulator, HTTP_SERVER_OPTIONS } from './emulator.mjs';
import { allowedHostsFromEnv, hostCheck, listen } from './http-io.mjs';

const DEFAULT_CLI_PORT = 9001;

/**
 * Starts an emulator on `host` (default 127.0.0.1) and `port` (0 = a free port). It answers only
 * requests whose Host is one of its own names or in `allowedHosts` (see hostCheck in http-io.mjs);
 * others get 403. Other options go to createEmulator. Resolves to {url, port, emulator, server,
 * close()}; close() ends open connections too, so a test leaves nothing running.
 */
export async function startEmulator({ port = 0, host = '127.0.0.1', allowedHosts = [], ...options } = {}) {
  const refuseForeignHost = hostCheck({ listenHost: host, allowedHosts });
  const emulator = createEmulator(options);
  const server = createServer(HTTP_SERVER_OPTIONS, (req, res) => {
    if (!refuseForeignHost(req, res)) emulator.handle(req, res);
  });
  const { port: actualPort, url } = await listen(server, port, host);
  return {
    url,
    port: actualPort,
    emulator,
    server,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function cliOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: String(DEFAULT_CLI_PORT) },
      host: { type: 'string', default: '127.0.0.1' },
      'clock-offset': { type: 'string', default: '0' },
      'rate-limit': { type: 'string', default: '10' },
      'no-seed': { type: 'boolean', default: false },
      'seed-families': { type: 'boolean', default: false },
      'allowed-host': { type: 'string', multiple: true, default: [] },
      'role-name': { type: 'string' },
      'role-lifetime': { type: 'string' },
    },
  });
  const port = Number(values.port);
  const clockOffsetSec = Number(values['clock-offset']);
  const rateLimitPerSec = Number(values['rate-limit']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`--port must be 0-65535, not ${values.port}`);
  if (!Number.isFinite(clockOffsetSec)) throw new TypeError(`--clock-offset must be seconds, not ${values['clock-offset']}`);
  const allowedHosts = [...allowedHostsFromEnv(), ...values['allowed-host']];
  const roleLifetimeSec = values['role-lifetime'] === undefined ? undefined : Number(values['role-lifetime']);
  return { port, host: values.host, clockOffsetSec, rateLimitPerSec, seed: !values['no-seed'], seedFamilies: values['seed-families'], allowedHosts, roleName: values['role-name'], roleLifetimeSec };
}

/**
 * What `node emulator/server.mjs` prints: its URL, and shell lines that point tccvm and the
 * README's examples at it with its permanent demo key (which opens nothing but this emulator).
 */
function standaloneBanner({ url, emulator }) {
  const demo = emulator.credentials.find((c) => !c.token);
  return [
    `emulator listening on ${url}`,
    '# its demo credentials (they open nothing but this emulator); paste into a shell to point tccvm',
    '# and the README examples at it:',
    `export TCCVM_ENDPOINT=${url}`,
    ...(demo ? [`export TENCENTCLOUD_SECRET_ID=${demo.secretId}`, `export TENCENTCLOUD_SECRET_KEY=${demo.secretKey}`] : []),
    'export TENCENTCLOUD_REGION=ap-guangzhou',
    `# it also serves a CVM's CAM role metadata: tccvm --use-cvm-role --metadata-url ${url}`,
    '# (a temporary key with its token: DEMO_CREDENTIALS[1] in emulator/README.md) · Ctrl-C stops it',
  ].join('\n');
}

async function main() {
  let options;
  try {
    options = cliOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\nusage: node emulator/server.mjs [--port N] [--host 127.0.0.1] [--clock-offset SEC] [--rate-limit N] [--no-seed] [--seed-families] [--allowed-host NAME]… [--role-name NAME] [--role-lifetime SEC]`);
    process.exit(2);
  }
  const running = await startEmulator(options);
  console.log(standaloneBanner(running));
  const stop = () => running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(`emulator: ${error.message}`);
    process.exit(1);
  });
}
