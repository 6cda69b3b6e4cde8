// Starting and stopping `zuji serve` for a test file: a fresh SQLite store in a temporary
// data directory, one organisation and one user per role with a known password (seeded
// with `zuji admin` before the server starts: the admin command and the server would
// otherwise share the SQLite file while it starts up), a free port, readiness from
// `/readyz`, and the server's log kept for when a test fails.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS_DIR, fileSafe, testFileName, zujiBin } from './paths.mjs';

/** The password of every seeded user (the store asks for at least 10 characters). */
export const PASSWORD = 'e2e-Pa55word-Zuji';

/**
 * The seeded accounts, one per role. `home` is where `/login` sends them.
 * Organisation names carry Chinese and English like real ones; they are data, so the
 * translation checks ignore them.
 */
export const ROLES = Object.freeze({
  enterprise: Object.freeze({
    org: 'Lingnan Cells Ltd 岭南电芯有限公司',
    kind: 'enterprise',
    email: 'editor@lingnan-cells.e2e.example',
    role: 'editor',
    home: '/app',
  }),
  certifier: Object.freeze({
    org: 'Pearl River Certification 珠江认证',
    kind: 'certifier',
    email: 'admin@pearl-river-cert.e2e.example',
    role: 'admin',
    home: '/desk/certification',
  }),
  registry: Object.freeze({
    org: 'GBA Carbon Registry 湾区碳登记',
    kind: 'registry',
    email: 'admin@gba-registry.e2e.example',
    role: 'admin',
    home: '/desk/registry',
  }),
});

/** The organisations `zuji serve --demo` makes (bootstrap.rs); data, like ROLES' names. */
export const DEMO_ORGS = Object.freeze([
  'Demo Enterprise 示范企业',
  'Demo Certification Body 示范认证机构',
  'Demo Registry Operator 示范登记机构',
]);

const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

let current = null;
const running = new Set();

/** The server started last in this process (what `newPage` uses by default). */
export function currentServer() {
  if (!current) throw new Error('no zuji server is running: call startServer() (or setup()) first');
  return current;
}

/**
 * Starts `zuji serve` on a fresh store and resolves once `/readyz` answers.
 *
 * Options:
 * - `demo` (false): also `--demo` (demo organisations, the examples computed and
 *   disclosed; their logins in `server.demoLogins`);
 * - `seed` (true): create ROLES' organisations and users first;
 * - `config`: extra lines for the config file (`{ workers: 2 }`);
 * - `env`: extra environment for the server;
 * - `name`: names the log artifact (default: the test file).
 *
 * The server gets a config with the rate limit lifted and the public cache off (tests
 * change things and read them back at once).
 */
export async function startServer(options = {}) {
  const { demo = false, seed = true, config = {}, env = {}, name = testFileName() } = options;
  const bin = zujiBin();
  if (!fs.existsSync(bin)) {
    throw new Error(
      `no zuji binary at ${bin}: build it with \`cargo build --release --locked -p zuji\`, ` +
        'or set ZUJI_BIN to the binary to test',
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zuji-e2e-'));
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logPath = path.join(ARTIFACTS_DIR, `server-${fileSafe(name)}.log`);
  const log = new ServerLog(logPath);
  log.note(`data directory ${dataDir}; binary ${bin}`);

  const configPath = path.join(dataDir, 'zuji.toml');
  const settings = { rate_limit_per_second: 100000, public_cache_ms: 0, ...config };
  fs.writeFileSync(
    configPath,
    Object.entries(settings)
      .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
      .join('\n') + '\n',
  );

  const server = new Server({ bin, dataDir, log, configPath });
  running.add(server);
  try {
    if (seed) {
      for (const [role, u] of Object.entries(ROLES)) {
        await server.admin(['create-org', u.org, '--kind', u.kind]);
        await server.admin(['create-user', u.email, '--org', u.org, '--role', u.role], PASSWORD + '\n');
        server.users[role] = { ...u, password: PASSWORD };
      }
    }
    let lastError;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const port = await freePort();
      try {
        await server.serve(port, { demo, env });
        current = server;
        return server;
      } catch (e) {
        lastError = e;
        // Another process took the port between our probe and zuji's bind: try another.
        if (!/address already in use|Address in use|EADDRINUSE/i.test(log.text())) break;
        log.note(`port ${port} was taken; trying another`);
      }
    }
    throw lastError;
  } catch (e) {
    await server.stop();
    e.message += `\n--- zuji server log (${logPath}) ---\n${log.tail(200)}`;
    throw e;
  }
}

class ServerLog {
  constructor(file) {
    this.file = file;
    this.lines = [];
    fs.writeFileSync(file, '');
  }
  write(prefix, chunk) {
    const text = chunk.toString();
    fs.appendFileSync(this.file, text.replace(/^(?=.)/gm, prefix));
    this.lines.push(...text.split('\n').filter((l) => l.length > 0).map((l) => prefix + l));
    if (this.lines.length > 20000) this.lines.splice(0, this.lines.length - 20000);
  }
  note(text) {
    this.write('[e2e] ', text + '\n');
  }
  text() {
    return this.lines.join('\n');
  }
  tail(n = 120) {
    return this.lines.slice(-n).join('\n');
  }
}

export class Server {
  constructor({ bin, dataDir, log, configPath }) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.configPath = configPath;
    this.logger = log;
    /** Seeded accounts by role: { email, password, org, kind, role, home }. */
    this.users = {};
    /** With `demo`: [{ org, email, password }] as `zuji serve --demo` printed them. */
    this.demoLogins = [];
    this.url = null;
    this.port = null;
    this.child = null;
    this.stdout = '';
  }

  /** Runs `zuji admin ARGS… --data-dir DIR` (stdin: `input`); resolves with its stdout. */
  admin(args, input) {
    return this.run(['admin', ...args, '--data-dir', this.dataDir], input);
  }

  /** Runs `zuji ARGS…`, logging what it printed; rejects on a non-zero exit. */
  run(args, input) {
    const shown = args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
    this.logger.note(`$ zuji ${shown}`);
    return new Promise((resolve, reject) => {
      const child = execFile(this.bin, args, { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
        if (stdout) this.logger.write('[admin] ', stdout);
        if (stderr) this.logger.write('[admin!] ', stderr);
        if (err) {
          reject(new Error(`zuji ${shown} failed (${err.code ?? err.signal}): ${stderr || stdout}`));
        } else {
          resolve(stdout);
        }
      });
      child.stdin.end(input ?? '');
    });
  }

  async serve(port, { demo, env }) {
    const args = [
      'serve',
      '--data-dir', this.dataDir,
      '--listen', `127.0.0.1:${port}`,
      '--config', this.configPath,
    ];
    if (demo) args.push('--demo');
    this.logger.note(`$ zuji ${args.join(' ')}`);
    const child = spawn(this.bin, args, {
      env: { RUST_LOG: 'info,sqlx=warn', ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.stdout = '';
    child.stdout.on('data', (d) => {
      this.stdout += d.toString();
      this.logger.write('', d);
    });
    child.stderr.on('data', (d) => this.logger.write('', d));
    let exited = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      this.logger.note(`zuji serve exited (${code ?? signal})`);
      if (this.child === child) this.child = null;
    });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (exited) throw new Error(`zuji serve exited before it was ready (${exited.code ?? exited.signal})`);
      if (Date.now() > deadline) {
        throw new Error(`zuji serve was not ready at ${url}/readyz after ${READY_TIMEOUT_MS / 1000} s`);
      }
      if (this.stdout.includes('Zuji is running')) {
        try {
          const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (r.ok) break;
        } catch {
          // Not listening yet.
        }
      }
      await sleep(100);
    }
    this.url = url;
    this.port = port;
    this.demoLogins = demo ? parseDemoLogins(this.stdout) : [];
    this.logger.note(`ready at ${url}`);
  }

  /** The server's log so far (stdout, stderr and the admin commands). */
  log() {
    return this.logger.text();
  }

  /** The last `n` lines of the log. */
  logTail(n = 120) {
    return this.logger.tail(n);
  }

  /** The log file (kept in the artifacts). */
  get logPath() {
    return this.logger.file;
  }

  /** An absolute URL on this server. */
  href(p = '/') {
    return new URL(p, this.url).href;
  }

  /** Stops the server (SIGTERM, then SIGKILL) and removes its data directory. */
  async stop() {
    const child = this.child;
    if (child) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await gone;
      clearTimeout(timer);
    }
    running.delete(this);
    if (current === this) current = null;
    if (process.env.ZUJI_E2E_KEEP) {
      this.logger.note(`kept the data directory ${this.dataDir} (ZUJI_E2E_KEEP)`);
    } else {
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

/** `  Demo Enterprise 示范企业   enterprise@demo.zuji.example  PASSWORD` lines. */
function parseDemoLogins(stdout) {
  const logins = [];
  const from = stdout.indexOf('Demo logins');
  if (from < 0) return logins;
  for (const line of stdout.slice(from).split('\n').slice(1)) {
    if (!/^\s/.test(line)) break;
    const m = /^\s+(.+?)\s+(\S+@\S+)\s+(\S+)\s*$/.exec(line);
    if (m) logins.push({ org: m[1], email: m[2], password: m[3] });
  }
  return logins;
}

/** A TCP port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

// A test process that dies (an uncaught error, Ctrl-C) must not leave servers behind.
function killAll() {
  for (const s of running) {
    try {
      s.child?.kill('SIGKILL');
    } catch {
      // Already gone.
    }
    if (!process.env.ZUJI_E2E_KEEP) {
      try {
        fs.rmSync(s.dataDir, { recursive: true, force: true });
      } catch {
        // Best effort at exit.
      }
    }
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
