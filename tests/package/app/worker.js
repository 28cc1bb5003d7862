// A module Web Worker importing the package's default browser entry straight from node_modules.
import * as cvm from '/node_modules/tencentcloud-cvm-wasm/browser.js';
import { report } from '/src/report.js';

report(cvm, (outcome) => self.postMessage(outcome));
