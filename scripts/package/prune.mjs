// What the VSIX leaves out of the run-time closure: whole packages, and files inside kept packages.
// Every rule says why; scripts/package.mjs prints what each one saved.

const LLAMA_CPP_BINARIES = /^@node-llama-cpp\/(mac|win|linux)-([^-]+)(?:-(.+))?$/;
const NODE_OS = { mac: 'darwin', win: 'win32', linux: 'linux' };
const NODE_CPU = { armv7l: 'arm' };

/**
 * Installed packages that pass npm's platform check here but do not ship. Returns the reason, or
 * undefined to keep.
 * @param {string} name
 * @param {{ os: string, cpu: string }} platform
 */
export function excludedPackage(name, platform) {
  const llamaCpp = LLAMA_CPP_BINARIES.exec(name);
  if (llamaCpp) {
    const [, os, cpu, variant] = llamaCpp;
    // node-llama-cpp imports only the package named for process.platform/arch; the arm ones
    // also declare cpu x64 so that they install on x64 machines that cross-build.
    if (NODE_OS[os] !== platform.os || (NODE_CPU[cpu] ?? cpu) !== platform.cpu) return 'llama.cpp build for another platform';
    if (variant && variant !== 'metal') {
      return 'GPU build of llama.cpp (80–360 MB each); the CPU build ships and getLlama({ gpu: "auto" }) falls back to it';
    }
  }
  if (name === 'prebuild-install' || name === 'node-addon-api') {
    // sqlite3's install step: try a prebuilt download, else compile against node-addon-api's headers.
    return 'install-time only (building the sqlite3 addon)';
  }
  if (name === 'onnxruntime-web') {
    return 'browser runtime; the Node build of @huggingface/transformers runs on onnxruntime-node';
  }
  return undefined;
}

/**
 * @typedef {object} PruneRule
 * @property {string} id
 * @property {string} reason
 * @property {(pkg: string) => boolean} appliesTo
 * @property {(relPath: string, platform: { os: string, cpu: string }) => boolean} drops
 *   relPath is posix, relative to the package folder; dropping a folder drops everything in it
 */

const LLAMA_CPP_BUILD_INPUTS = new Set([
  'llama/gitRelease.bundle', 'llama/llama.cpp', 'llama/addon', 'llama/cmake', 'llama/toolchains',
  'llama/xpack', 'llama/patches', 'llama/profiles', 'llama/CMakeLists.txt', 'llama/localBuilds',
  'llama/lastBuild.json', 'templates',
]);
const ONNX_BINARY = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?$/;

/** @type {PruneRule[]} */
export const PRUNE_RULES = [
  {
    id: 'source maps and type declarations',
    reason: 'not loaded at run time',
    appliesTo: () => true,
    drops: (rel) => /\.[cm]?[jt]s\.map$/.test(rel) || /\.d\.[cm]?ts$/.test(rel),
  },
  {
    id: 'node-llama-cpp: llama.cpp sources and build tooling',
    // The daemon calls getLlama({ build: 'never', usePrebuiltBinaries: true }) (server/src/engines.ts),
    // so nothing compiles at run time; llama/*.json and llama/grammars are read and stay.
    reason: 'needed only to compile llama.cpp from source; templates/ is for `node-llama-cpp init`',
    appliesTo: (pkg) => pkg === 'node-llama-cpp',
    drops: (rel) => LLAMA_CPP_BUILD_INPUTS.has(rel),
  },
  {
    id: 'onnxruntime-node: other platforms\' binaries',
    reason: 'bin/napi-v*/<os>/<arch> is loaded for this platform only',
    appliesTo: (pkg) => pkg === 'onnxruntime-node',
    drops: (rel, platform) => {
      const match = ONNX_BINARY.exec(rel);
      if (!match) return false;
      const [, os, cpu] = match;
      return os !== platform.os || (cpu !== undefined && cpu !== platform.cpu);
    },
  },
  {
    id: 'tree-sitter grammars: sources and native builds',
    // server/src/checks/code/treeSitter.ts loads only <package>/tree-sitter-<name>.wasm (found
    // through package.json); the native binding is never built or loaded (allowScripts: false).
    reason: 'only the prebuilt wasm grammar and package.json are read',
    appliesTo: (pkg) => pkg === 'tree-sitter-python' || pkg === 'tree-sitter-bash',
    drops: (rel) => !/^(package\.json|LICENSE|tree-sitter-[a-z]+\.wasm)$/.test(rel),
  },
  {
    id: 'web-tree-sitter: debug build, sources and wasm source maps',
    reason: 'Node loads tree-sitter.js (the "import" export) and tree-sitter.wasm next to it',
    appliesTo: (pkg) => pkg === 'web-tree-sitter',
    drops: (rel) => rel === 'debug' || rel === 'src' || rel === 'lib' || rel.endsWith('.wasm.map'),
  },
  {
    id: 'typescript: the compiler and language service executables',
    reason: 'the checkers use the API in lib/typescript.js only (no lib .d.ts: a one-file program without lib)',
    appliesTo: (pkg) => pkg === 'typescript',
    drops: (rel) => /^lib\/(_tsc|_tsserver|_typingsInstaller|tsc|tsserver|tsserverlibrary|typingsInstaller|watchGuard)\.js$/.test(rel) || /^lib\/[a-z]{2}(-[a-z]{2})?$/.test(rel),
  },
  {
    id: 'sqlite3: sources, the SQLite amalgamation and build intermediates',
    // lib/sqlite3-binding.js loads build/Release/node_sqlite3.node through `bindings`; the addon is
    // N-API, so the one built at install time loads in VS Code's Node too.
    reason: 'only lib/, package.json and build/Release/node_sqlite3.node are loaded',
    appliesTo: (pkg) => pkg === 'sqlite3',
    drops: (rel) => rel === 'src' || rel === 'deps' || rel === 'binding.gyp' || (rel.startsWith('build/') && rel !== 'build/Release' && rel !== 'build/Release/node_sqlite3.node'),
  },
  {
    id: '@huggingface/transformers: browser builds and sources',
    reason: 'Node loads dist/transformers.node.{mjs,cjs} (the package\'s "node" export)',
    appliesTo: (pkg) => pkg === '@huggingface/transformers',
    drops: (rel) => rel === 'src' || rel === 'types' || /^dist\/transformers(?:\.min|\.web|\.web\.min)?\.js$/.test(rel),
  },
];
