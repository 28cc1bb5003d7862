// `import { cvmConsole } from 'tencentcloud-cvm-wasm/vite'` in a Vite config: the console handler
// as a plugin of `vite dev` and `vite preview` (Node).
import api from './console.cjs';

export const { cvmConsole } = api;
