// What every browser test script needs to run Debian's Chromium headless on a
// machine without network: the launch flags, and a watchdog so a hung
// browser ends the run. Shared by e2e.mjs, live.mjs and ../bpmn/bpmnjs.mjs;
// no dependencies, so any script can import it by path.

export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Ends the process with status 2 after `seconds`, naming the script. */
export function startWatchdog(name, seconds) {
  const watchdog = setTimeout(() => {
    console.error(`${name}: FAIL: timed out after ${seconds} s`);
    process.exit(2);
  }, seconds * 1000);
  watchdog.unref();
  return watchdog;
}
