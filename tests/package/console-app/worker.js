// The console handler as a Cloudflare Worker (workerd): sign mode at /cvm with the server's key
// from bindings, the same handler Node and Vite serve.
import { consoleHandler } from 'tencentcloud-cvm-wasm/console';

let handler;

export default {
  fetch(request, env) {
    handler ??= consoleHandler({
      credentials: { secretId: env.CVM_SECRET_ID, secretKey: env.CVM_SECRET_KEY },
      region: 'ap-guangzhou',
      endpoint: env.CVM_ENDPOINT,
      authorize: (req) => req.headers.get('x-console-session') === 'operator-1',
    });
    return handler(request);
  },
};
