#!/usr/bin/env bash
# Installs what the e2e harness needs (idempotent; a few seconds when everything is already there).
# Sources: Debian apt and the npm registry only, so it works on a fresh clone in CI (root, CI=true).
#   1. apt: chromium (the browser playwright-core drives), libkrb5-dev (code-server's kerberos addon),
#      ripgrep (stands in for @vscode/ripgrep's GitHub download).
#   2. @vscode/ripgrep's download cache seeded with Debian's rg.
#   3. `npm ci` here (code-server + playwright-core), skipped when the lockfile did not change since.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export TMPDIR="${TMPDIR:-/tmp}"

# 1. ---------------------------------------------------------------------------------------------
need=()
for p in chromium libkrb5-dev ripgrep; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if ((${#need[@]})); then
  echo "== apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# 2. ---------------------------------------------------------------------------------------------
# code-server's postinstall runs `npm install` in lib/vscode; there @vscode/ripgrep's postinstall
# downloads rg from api.github.com unless $TMPDIR/vscode-ripgrep-cache-<pkg version>/<asset> exists.
# Versions match code-server 4.100.3 (@vscode/ripgrep 1.15.11, release v13.0.0-10).
cache="$TMPDIR/vscode-ripgrep-cache-1.15.11"
asset="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$asset" ]; then
  mkdir -p "$cache"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$asset.tmp" -C "$stage" rg && mv "$asset.tmp" "$asset"
  rm -rf "$stage"
fi

# 3. ---------------------------------------------------------------------------------------------
cd "$here"
stamp=node_modules/.threadwise-setup-stamp
want="$(cat package-lock.json package.json | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/code-server ]; then
  echo "== test/e2e/node_modules up to date"
else
  echo "== npm ci in test/e2e (code-server builds its native addons: a few minutes)"
  # npx must not prompt (node-pty's build calls `npx node-gyp`); as root, code-server's postinstall
  # refuses to run without unsafe-perm.
  export npm_config_yes=true npm_config_unsafe_perm=true
  rm -f "$stamp"
  npm ci --no-audit --no-fund --loglevel=error
  test -x node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg
  echo "$want" > "$stamp"
fi

# code-server must run (its config goes to a throw-away XDG dir, not ~/.config).
xdg="$(mktemp -d)"
trap 'rm -rf "$xdg"' EXIT
XDG_CONFIG_HOME="$xdg" XDG_DATA_HOME="$xdg" node_modules/.bin/code-server --version 2>&1 | grep -E '^[0-9]+\.[0-9]+\.[0-9]+ '
test -x /usr/bin/chromium
