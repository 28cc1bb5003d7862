// `import` of the package name in a server-side runtime (Node, Bun, Deno): node use.mjs <emulator URL>
import * as cvm from 'tencentcloud-cvm-wasm';
import { check } from './src/check.js';

const result = await check(cvm, { endpoint: process.argv[2] });
console.log(JSON.stringify({ ...result, entry: import.meta.resolve('tencentcloud-cvm-wasm') }));
