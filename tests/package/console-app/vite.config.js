// A web console's Vite config, as the README's "Web consoles" section shows it: the console handler
// in sign mode at /cvm (the server's key from the environment; temporary keys at /cvm/credentials)
// and in forward mode at /cvm-forward, served by `vite dev` and `vite preview` alike.
import { cvmConsole } from 'tencentcloud-cvm-wasm/vite';
import { federationToken } from 'tencentcloud-cvm-wasm/console';

const credentials = { secretId: process.env.CVM_SECRET_ID, secretKey: process.env.CVM_SECRET_KEY };
const region = 'ap-guangzhou';
const endpoint = process.env.CVM_ENDPOINT; // the emulator; leave out for https://cvm.tencentcloudapi.com

// The console's own session check: here a cookie the app's login would set (or, for scripts, a header).
const authorize = (request) => /(?:^|;\s*)session=operator-1(?:;|$)/.test(request.headers.get('cookie') ?? '')
  || request.headers.get('x-console-session') === 'operator-1';

export default {
  plugins: [
    cvmConsole({
      credentials,
      region,
      endpoint,
      authorize,
      // The temporary keys may list images and nothing else.
      temporaryCredentials: federationToken({ credentials, region, endpoint, allowActions: ['DescribeImages'] }),
    }),
    // The page signs with a temporary key; the handler forwards to the one upstream.
    cvmConsole({ mode: 'forward', path: '/cvm-forward', upstream: endpoint }),
  ],
};
