'use strict';
// The browser tests' one-line reports, which test/e2e/web.sh counts: "ok   - ..." or
// "FAIL - ...: why" per check, and whether any failed (the exit status).
let failures = 0;

function ok(what) { console.log('ok   - ' + what); }
function fail(what, why) { failures++; console.log('FAIL - ' + what + (why ? ': ' + why : '')); }
/** Runs fn: a throw or false fails the check, a string is added to its line. */
async function check(what, fn) {
  try {
    const r = await fn();
    if (r === false) fail(what); else ok(typeof r === 'string' ? what + ' (' + r + ')' : what);
  } catch (e) {
    fail(what, e.message.split('\n')[0]);
  }
}
function failed() { return failures > 0; }

module.exports = {ok, fail, check, failed};
