// Where things are: the e2e directory, the repository, the artifacts, the zuji binary.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `e2e/` directory. */
export const E2E_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The repository's root. */
export const REPO_ROOT = path.resolve(E2E_DIR, '..');
/** Screenshots and server logs of a run: the test artifacts CI keeps. */
export const ARTIFACTS_DIR = path.resolve(process.env.ZUJI_E2E_ARTIFACTS || path.join(E2E_DIR, 'artifacts'));
/** The web catalog: `"key" = { zh-Hans = "…", zh-Hant = "…", en = "…" }`, one per line. */
export const LOCALES_DIR = path.join(REPO_ROOT, 'crates', 'server', 'locales');
/** The bundled example product models. */
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * The zuji binary under test: `ZUJI_BIN`, else the release build in cargo's target
 * directory (`CARGO_TARGET_DIR`, relative to the repository like cargo run from there,
 * else `target/`). The tests never build it.
 */
export function zujiBin() {
  if (process.env.ZUJI_BIN) return path.resolve(process.env.ZUJI_BIN);
  const target = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  return path.join(target, 'release', 'zuji');
}

/** A name usable as a file name: letters, digits, `.`, `_`, `-`. */
export function fileSafe(name) {
  return String(name)
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120) || 'unnamed';
}

/** The running test file's base name (node --test runs each file in its own process). */
export function testFileName() {
  const file = process.argv[1] ? path.basename(process.argv[1]) : 'e2e';
  return file.replace(/\.test\.m?js$/, '').replace(/\.m?js$/, '');
}
