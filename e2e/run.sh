#!/usr/bin/env bash
# Runs the browser tests against a zuji binary built beforehand (this script builds
# nothing): ZUJI_BIN, else the release build in CARGO_TARGET_DIR (default ../target).
#   cargo build --release --locked -p zuji && e2e/run.sh [node --test arguments…]
# Screenshots and server logs: e2e/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"

root="$(cd .. && pwd)"
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export ZUJI_BIN="${ZUJI_BIN:-$target/release/zuji}"
if [ ! -x "$ZUJI_BIN" ]; then
    echo "e2e/run.sh: no zuji binary at $ZUJI_BIN; build it with 'cargo build --release --locked -p zuji' or set ZUJI_BIN" >&2
    exit 1
fi
chromium="${ZUJI_E2E_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
    echo "e2e/run.sh: no chromium at $chromium (apt-get install -y chromium)" >&2
    exit 1
fi
# playwright-core never downloads a browser; say so for any tool that might try.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund
fi
if [ "$#" -gt 0 ]; then
    rm -rf artifacts
    exec node --test --test-concurrency=1 --test-reporter=spec "$@"
fi
exec npm test
