// A web console's server and page code against 'tencentcloud-cvm-wasm/console' and '/vite' (module
// node16: console.d.ts, vite.d.ts), type-checked by tests/package/types.test.mjs. The lines marked
// as expected errors prove that wrong usage is rejected: sign mode without `authorize`, a forward
// handler with CvmClient's options, a federationToken without allowActions.
import { ConsoleClient, consoleHandler, federationToken, toNodeListener, type ConsoleHandler } from 'tencentcloud-cvm-wasm/console';
import { cvmConsole } from 'tencentcloud-cvm-wasm/vite';

const credentials = { secretId: 'AKIDexample', secretKey: 'example' };
const sign: ConsoleHandler = consoleHandler({ credentials, region: 'ap-guangzhou', authorize: (request) => request.headers.has('cookie') });
const forward = consoleHandler({ mode: 'forward', upstream: 'https://cvm.tencentcloudapi.com', allowActions: ['DescribeImages'] });
const listener = toNodeListener(sign);
const token = federationToken({ credentials, allowActions: ['DescribeImages'], region: 'ap-guangzhou', durationSeconds: 900 });
const plugin = cvmConsole({ credentials, region: 'ap-guangzhou', authorize: async () => true, temporaryCredentials: token });
const client = new ConsoleClient({ endpoint: '/cvm', region: 'ap-guangzhou' });
async function page(): Promise<number> {
  const { ImageSet = [] } = await client.describeImages({ Limit: 10 });
  const deleted = await client.deleteImages({ ImageIds: ['img-mfih409y'], DryRun: true });
  const key = await token();
  return ImageSet.length + deleted.attempts + key.expiration + (await sign(new Request('http://localhost/cvm'))).status;
}
void [forward.path, listener, plugin.name, page, token.policy.statement[0]?.action];

// @ts-expect-error: sign mode needs authorize
consoleHandler({ credentials, region: 'ap-guangzhou' });
// @ts-expect-error: forward mode takes no credentials
consoleHandler({ mode: 'forward', credentials });
// @ts-expect-error: allowActions is required
federationToken({ credentials, region: 'ap-guangzhou' });
