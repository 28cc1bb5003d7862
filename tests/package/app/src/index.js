// The app every bundler builds with no configuration (webpack's default entry is ./src/index.js):
// the package's default import, as a web developer writes it.
import * as cvm from 'tencentcloud-cvm-wasm';
import { report } from './report.js';

report(cvm);
