// The console's page: ConsoleClient in sign mode (no key), or CvmClient with a temporary key from
// the server through the forward handler. The test drives it through window.app.
import { ConsoleClient } from 'tencentcloud-cvm-wasm/console';
import { CvmClient, TencentCloudError } from 'tencentcloud-cvm-wasm';

document.cookie = 'session=operator-1; path=/; SameSite=Strict'; // what the app's login would set

const upstreamHost = new URLSearchParams(location.search).get('host');
const show = (ids) => {
  document.getElementById('images').replaceChildren(...ids.map((id) => Object.assign(document.createElement('li'), { textContent: id })));
};
const outcome = async (promise) => {
  try {
    return { ok: true, value: await promise };
  } catch (e) {
    document.getElementById('status').textContent = `${e.code}: ${e.message}`;
    return { ok: false, name: e.name, code: e.code, message: e.message, isTencent: e instanceof TencentCloudError };
  }
};

const signing = new ConsoleClient(); // endpoint '/cvm' on this page's origin
const temporary = new CvmClient({
  credentials: async () => (await fetch('/cvm/credentials')).json(),
  region: 'ap-guangzhou',
  endpoint: '/cvm-forward', // resolved against location
  host: upstreamHost,
  signAction: true,
});

window.app = {
  async list(mode) {
    const client = mode === 'sign' ? signing : temporary;
    const r = await outcome(client.describeImages({ Limit: 100 }));
    if (r.ok) show(r.value.ImageSet.map((i) => i.ImageId));
    return r.ok ? { ok: true, ids: r.value.ImageSet.map((i) => i.ImageId) } : r;
  },
  async remove(mode, id) {
    const client = mode === 'sign' ? signing : temporary;
    const r = await outcome(client.deleteImages({ ImageIds: [id] }));
    return r.ok ? { ok: true, requestId: r.value.RequestId } : r;
  },
};
document.documentElement.dataset.ready = 'true';
