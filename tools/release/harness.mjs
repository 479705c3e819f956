// @ts-check
// Loaded before each README example that `pnpm release:check` runs (`node --import ./harness.mjs
// example.js`), in the temporary project outside the workspace:
//
// - With RELEASE_CHECK_DOM set (the .tsx examples), the program gets a DOM (happy-dom) whose page holds
//   <div id="root">. A page never ends by itself (TanStack Query keeps timers for its cache), so the
//   run ends once the page's HTML matches the regular expression RELEASE_CHECK_DOM holds, printing it;
//   if it never does within RELEASE_CHECK_DOM_TIMEOUT_MS (default 120 s), the run fails, printing it too.
// - Anything written with console.error fails the run: the examples report trouble that way.

const consoleError = console.error.bind(console);
console.error = (...args) => {
  process.exitCode = 1;
  consoleError('[release:check] the example wrote to console.error:', ...args);
};

if (process.env.RELEASE_CHECK_DOM) {
  const expected = new RegExp(process.env.RELEASE_CHECK_DOM);
  const timeoutMs = Number(process.env.RELEASE_CHECK_DOM_TIMEOUT_MS ?? 120_000);
  const { Window } = await import('happy-dom');
  const window = new Window({ url: 'http://127.0.0.1/' });
  window.document.body.innerHTML = '<div id="root"></div>';
  // What a browser has and Node has not (document, HTMLElement, getComputedStyle, ...), as globals read
  // from the window; Node's own fetch, URL, timers and the like stay.
  const record = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (window));
  const seen = new Set();
  for (let object = /** @type {object | null} */ (window); object !== null && object !== Object.prototype; object = Object.getPrototypeOf(object)) {
    for (const key of Object.getOwnPropertyNames(object)) {
      if (key === 'constructor' || seen.has(key) || key in globalThis) continue;
      seen.add(key);
      Object.defineProperty(globalThis, key, {
        configurable: true,
        get() {
          const value = record[key];
          return typeof value === 'function' && !/^[A-Z]/.test(key) ? value.bind(window) : value;
        },
      });
    }
  }
  Object.defineProperty(globalThis, 'window', { value: window, configurable: true, writable: true });
  const started = Date.now();
  const poll = setInterval(() => {
    const html = window.document.body.innerHTML;
    const matched = expected.test(html);
    if (!matched && Date.now() - started < timeoutMs) return;
    clearInterval(poll);
    process.stdout.write(`${html}\n`);
    if (!matched) {
      process.exitCode = 1;
      consoleError(`[release:check] the page did not show ${expected} within ${timeoutMs / 1000} s`);
    }
    process.exit();
  }, 100);
}
