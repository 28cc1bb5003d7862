// Types of `tencentcloud-cvm-wasm/vite`: the console handler as a Vite plugin.
export { cvmConsole } from './console.js';
export type { ConsoleHandlerOptions, CvmConsolePlugin } from './console.js';
