'use strict';
// Preloaded (NODE_OPTIONS=--require=…) into a CLI run to simulate a machine whose clock is wrong
// by TCCVM_TEST_CLOCK_SHIFT_MS (a VM without NTP): Date.now() and `new Date()` are shifted;
// timers and explicit dates are not.
const shift = Number(process.env.TCCVM_TEST_CLOCK_SHIFT_MS || 0);
const RealDate = Date;
class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shift;
  }
}
globalThis.Date = ShiftedDate;
