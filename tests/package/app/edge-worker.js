// A Cloudflare Worker (run by workerd): its fetch handler signs a DeleteImages call and sends it
// to the emulator named by the EMULATOR binding, deleting the image named by the request's path.
import * as cvm from 'tencentcloud-cvm-wasm';
import { check } from './src/check.js';

export default {
  async fetch(request, env) {
    const deleteImageId = new URL(request.url).pathname.slice(1);
    try {
      return Response.json(await check(cvm, { endpoint: env.EMULATOR, deleteImageId }));
    } catch (e) {
      return Response.json({ error: String(e && e.stack || e) }, { status: 500 });
    }
  },
};
