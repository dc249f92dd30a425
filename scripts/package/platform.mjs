// The platform a VSIX is built for: this machine's, as npm and vsce name it.

/** vsce's `--target` values (`vsce package --help`). */
const VSCE_TARGETS = new Set([
  'win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64', 'linux-armhf',
  'alpine-x64', 'alpine-arm64', 'darwin-x64', 'darwin-arm64',
]);

/**
 * This machine as npm's `os` / `cpu` / `libc` package fields see it (`libc` only on Linux:
 * `glibc` unless the runtime reports no glibc, then `musl`).
 */
export function currentPlatform() {
  let libc;
  if (process.platform === 'linux') {
    const header = /** @type {{ glibcVersionRuntime?: string }} */ (process.report.getReport().header);
    libc = header.glibcVersionRuntime ? 'glibc' : 'musl';
  }
  return { os: process.platform, cpu: process.arch, libc };
}

/** The vsce target for a platform: linux-x64, alpine-arm64, darwin-arm64, win32-x64, … */
export function vsceTarget(platform) {
  const os = platform.os === 'linux' && platform.libc === 'musl' ? 'alpine' : platform.os;
  const cpu = platform.cpu === 'arm' ? 'armhf' : platform.cpu;
  const target = `${os}-${cpu}`;
  if (!VSCE_TARGETS.has(target)) throw new Error(`VS Code has no platform-specific target for ${target}; package on one of: ${[...VSCE_TARGETS].join(', ')}`);
  return target;
}

/**
 * Whether a package's `os` / `cpu` / `libc` fields admit the platform, with npm's rules: a list
 * with plain entries must contain the value, a `!value` entry excludes it, a missing field admits all.
 */
export function packageFitsPlatform(manifest, platform) {
  return fits(manifest.os, platform.os) && fits(manifest.cpu, platform.cpu) && fits(manifest.libc, platform.libc);
}

function fits(field, value) {
  if (value === undefined || field === undefined) return true;
  const list = Array.isArray(field) ? field : [field];
  if (list.includes(`!${value}`)) return false;
  const allowed = list.filter((entry) => !entry.startsWith('!'));
  return allowed.length === 0 || allowed.includes(value);
}
