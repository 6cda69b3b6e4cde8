// The frame of a test file: one server and one browser for the file, started before its
// tests and stopped after them (also when they fail); each test's visitors closed after
// it; on failure, a screenshot of every page the test had open and the server's last
// log lines.

import { after, before, test as nodeTest } from 'node:test';
import { closeBrowser, closeContexts, browser, openContexts, shot } from './browser.mjs';
import { fileSafe, testFileName } from './paths.mjs';
import { startServer } from './server.mjs';

const STARTUP_TIMEOUT_MS = 180_000;
const TEST_TIMEOUT_MS = 180_000;

let env = null;
let failures = 0;

/**
 * Starts a server (options as `startServer`: `demo`, `config`, …) and the browser
 * before the file's tests, stops both after them. `prepare(server)`, if given, runs once
 * the server is up and before any test: put the scene's arrangement there (Node 20 runs
 * a file's top-level `before` hooks side by side, so a separate `before` could run
 * before the server exists). Returns { server, ready, prepared }: `server` is set once
 * started, `ready` resolves with it, `prepared` with what `prepare` returned.
 */
export function setup(options = {}, prepare = null) {
  let started;
  const mine = { server: null, prepared: undefined };
  mine.ready = new Promise((resolve, reject) => {
    started = { resolve, reject };
  });
  // A file that never awaits `ready` must not see an unhandled rejection.
  mine.ready.catch(() => {});
  env = mine;
  before(
    async () => {
      try {
        mine.server = await startServer(options);
        await browser();
        if (prepare) mine.prepared = await prepare(mine.server);
        started.resolve(mine.server);
      } catch (e) {
        failures++;
        started.reject(e);
        throw e;
      }
    },
    { timeout: STARTUP_TIMEOUT_MS },
  );
  after(async () => {
    await closeBrowser();
    if (mine.server) {
      if (failures > 0) {
        console.error(`\n--- zuji server log, last lines (all of it: ${mine.server.logPath}) ---\n${mine.server.logTail(150)}\n---`);
      }
      await mine.server.stop();
    }
  });
  return mine;
}

/**
 * A test (node:test's, with a longer timeout). On failure every page the test opened is
 * saved as `artifacts/FAILED-<file>-<test>-<n>.png` and the server's log is printed when
 * the file ends; the test's pages are closed either way.
 */
export function test(name, fn, options = {}) {
  return nodeTest(name, { timeout: TEST_TIMEOUT_MS, ...options }, async (t) => {
    const before = new Set(openContexts());
    try {
      await fn(t);
    } catch (e) {
      failures++;
      let n = 0;
      for (const c of openContexts()) {
        if (before.has(c)) continue;
        for (const p of c.pages()) {
          n++;
          const file = await shot(p, `FAILED-${testFileName()}-${fileSafe(name)}-${n}`).catch(() => null);
          if (file) console.error(`screenshot of ${p.url()} at failure: ${file}`);
        }
      }
      throw e;
    } finally {
      await closeContexts(openContexts().filter((c) => !before.has(c)));
    }
  });
}
