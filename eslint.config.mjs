// ESLint flat config for Threadwise (`npm run lint` = `eslint .`).
//
// Layout:
//   1. global ignores (build outputs, models, results)
//   2. eslint's recommended rules for every JS/TS file
//   3. plain JS (scripts/**/*.mjs, bin/*.mjs, .vscode-test.mjs, this file): Node globals, no type-aware rules
//   4. TypeScript: typescript-eslint `recommendedTypeChecked` with typed linting via the project
//      service, plus the team rules from CONVENTIONS.md (each deviation is commented)
//   5. layering (CONVENTIONS.md #9) with `no-restricted-imports`, one block per layer
//
// Neither `@eslint/js` nor `globals` is a dependency of this repo (and we do not add packages),
// so eslint's recommended set is taken from the rules that ship inside `eslint` itself (the same
// `meta.docs.recommended` flag `@eslint/js` builds `configs.recommended` from) and the Node globals
// are listed below.
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

// --- eslint:recommended, without @eslint/js -------------------------------------------------
const eslintRecommended = {
  name: 'threadwise/eslint-recommended',
  rules: Object.fromEntries(
    [...builtinRules]
      .filter(([, rule]) => rule.meta?.docs?.recommended === true && rule.meta?.deprecated === undefined)
      .map(([name]) => [name, 'error']),
  ),
};

// --- Node globals (the `globals` package's `nodeBuiltin` set as of Node 20) -------------------
const readonly = (names) => Object.fromEntries(names.map((name) => [name, 'readonly']));
const nodeBuiltinGlobals = readonly([
  'AbortController', 'AbortSignal', 'atob', 'Blob', 'BroadcastChannel', 'btoa', 'Buffer',
  'ByteLengthQueuingStrategy', 'clearImmediate', 'clearInterval', 'clearTimeout', 'CompressionStream',
  'console', 'CountQueuingStrategy', 'crypto', 'Crypto', 'CryptoKey', 'CustomEvent', 'DecompressionStream',
  'DOMException', 'Event', 'EventTarget', 'fetch', 'File', 'FormData', 'global', 'Headers', 'MessageChannel',
  'MessageEvent', 'MessagePort', 'performance', 'PerformanceEntry', 'PerformanceMark',
  'PerformanceMeasure', 'PerformanceObserver', 'PerformanceObserverEntryList', 'PerformanceResourceTiming',
  'process', 'queueMicrotask', 'ReadableByteStreamController', 'ReadableStream', 'ReadableStreamBYOBReader',
  'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController', 'ReadableStreamDefaultReader', 'Request',
  'Response', 'setImmediate', 'setInterval', 'setTimeout', 'structuredClone', 'SubtleCrypto', 'TextDecoder',
  'TextDecoderStream', 'TextEncoder', 'TextEncoderStream', 'TransformStream', 'TransformStreamDefaultController',
  'URL', 'URLSearchParams', 'WebAssembly', 'WritableStream', 'WritableStreamDefaultController',
  'WritableStreamDefaultWriter',
]);
const nodeCommonJsGlobals = readonly(['__dirname', '__filename', 'exports', 'module', 'require']);

// --- layering vocabulary (CONVENTIONS.md #9) ---------------------------------------------------
const NODE_BUILTINS = [
  'fs', 'path', 'child_process', 'os', 'crypto', 'http', 'https', 'net', 'stream', 'url', 'util',
  'worker_threads', 'events', 'buffer', 'zlib',
];
// Native / ML packages: they load binaries, so they live in the daemon only.
const NATIVE_AND_ML = ['node-llama-cpp', '@huggingface/transformers', 'hnswlib-node', 'onnxruntime-node'];
// `pkg` and every subpath `pkg/...`
const withSubpaths = (names) => names.flatMap((name) => [name, `${name}/**`]);

const noVscode = {
  group: withSubpaths(['vscode']),
  message: 'the daemon/webview must not depend on the VS Code API (CONVENTIONS.md #9).',
};
const webviewNoNode = [
  {
    group: ['node:*', ...withSubpaths(NODE_BUILTINS)],
    message: 'the webview runs in a browser: Node built-ins are not available there (CONVENTIONS.md #9).',
  },
  {
    group: withSubpaths(['node-llama-cpp', '@huggingface/transformers', 'hnswlib-node', 'vscode-languageserver']),
    message: "the webview must not import the daemon's packages; talk to it through the extension (CONVENTIONS.md #9).",
  },
];

// client/**: the only module it may take from the daemon is server/src/protocol(.ts). "Reaching into
// server/" means a relative specifier whose `../` segments climb out of client/ and then enter the
// top-level server/ directory, so how many `../` that takes depends on how deep the importing file
// is. One block per depth keeps client-local names such as `./server.ts` or `../server/` (inside
// client/) allowed. Depths 0..9 (client/x.ts .. client/a/b/c/d/e/f/g/h/i/x.ts) get an exact block;
// anything deeper falls back to the catch-all block, which flags any `../…/server` specifier.
const CLIENT_MAX_EXACT_DEPTH = 9;
const NOT_PROTOCOL = String.raw`(?:/(?!src/protocol(?:\.[cm]?[tj]s)?$)|$)`; // `server` then anything but `/src/protocol[.ts]`
function clientImportRule(climb) {
  return [
    'error',
    {
      patterns: [
        {
          regex: String.raw`^(?:\./)?${climb}server${NOT_PROTOCOL}`,
          message: 'client imports only server/src/protocol.ts from the daemon (CONVENTIONS.md #9).',
        },
        {
          group: withSubpaths(NATIVE_AND_ML),
          message: 'native/ML modules stay out of the extension host; they run in the daemon (CONVENTIONS.md #9).',
        },
      ],
    },
  ];
}
function clientLayering() {
  const exts = '{ts,mts,cts,js,mjs,cjs}';
  return [
    {
      name: 'threadwise/layering/client',
      files: [`client/**/*.${exts}`],
      rules: { 'no-restricted-imports': clientImportRule(String.raw`(?:\.\./)+`) },
    },
    ...Array.from({ length: CLIENT_MAX_EXACT_DEPTH + 1 }, (_, depth) => ({
      name: `threadwise/layering/client/depth-${depth}`,
      files: [`client/${'*/'.repeat(depth)}*.${exts}`],
      rules: { 'no-restricted-imports': clientImportRule(String.raw`(?:\.\./){${depth + 1}}`) },
    })),
  ];
}

// server/src/protocol.ts and its parts: `localImport` is a regex for the relative specifiers the
// files may use besides `vscode-languageserver-protocol` (the parts of the contract, nothing else).
function protocolLayering(name, files, localImport) {
  return {
    name: `threadwise/layering/${name}`,
    files,
    rules: {
      // CONVENTIONS.md #1: each message is a namespace with a literal `method` and a typed `type`, the
      // shape vscode-languageserver-protocol itself uses; the contract is the one place for them.
      '@typescript-eslint/no-namespace': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Everything (packages, subpaths, other relative files) except the bare package and the parts.
              regex: `^(?!vscode-languageserver-protocol$|${localImport}$)`,
              message:
                'server/src/protocol.ts and its parts are loaded by the client too: they may import only `vscode-languageserver-protocol` and each other (CONVENTIONS.md #9).',
            },
          ],
        },
      ],
    },
  };
}

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];

export default defineConfig(
  // 1. ------------------------------------------------------------------------------------------
  globalIgnores([
    '**/node_modules/',
    'dist/',
    'out/',
    'coverage/',
    '.vscode-test/',
    'test/.models/',
    'test/e2e/node_modules/',
    'bench/results/',
    'test/fixtures/checks/', // planted vulnerable and broken code: the checkers' corpus, not ours
    '**/*.d.ts', // declaration outputs (tsc emits them under out/types; hand-written shims are not linted either)
  ], 'threadwise/ignores'),

  // 2. ------------------------------------------------------------------------------------------
  eslintRecommended,
  {
    name: 'threadwise/all',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always'],
    },
  },

  // 3. ------------------------------------------------------------------------------------------
  {
    name: 'threadwise/node-js',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: nodeBuiltinGlobals,
    },
  },
  {
    name: 'threadwise/node-cjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeBuiltinGlobals, ...nodeCommonJsGlobals } },
  },

  // 4. ------------------------------------------------------------------------------------------
  {
    name: 'threadwise/typescript',
    files: TS_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Typed linting through the TS project service: each file gets the nearest tsconfig
        // (server/, client/, webview/, test/, bench/). Files that no tsconfig includes (ad-hoc
        // scripts) fall back to a default project instead of failing with "was not found by the
        // project service".
        projectService: {
          allowDefaultProject: ['scripts/*.ts', 'scripts/*/*.ts'],
          defaultProject: 'tsconfig.base.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Team rules (CONVENTIONS.md). Already `error` in recommendedTypeChecked, restated so the
      // convention is visible here: deliberate fire-and-forget is written `void promise()`.
      // Deviation (configuration only): node:test's `test()/it()/describe()/suite()` return a
      // promise that the runner tracks itself; awaiting or `void`-ing every top-level test would be
      // pure noise (this is the rule's documented `allowForKnownSafeCalls` use case). Only functions
      // with those names declared by `node:test` are exempt (that includes the `t.test()` subtest
      // method; node:test itself fails a subtest left pending when its parent ends). Every other
      // promise, in tests too, must still be awaited or `void`-ed.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',

      // Not in recommended: prefer `import type` (the tsconfigs use verbatimModuleSyntax, so a
      // type-only import written as a value import survives into the bundle).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: true },
      ],

      // Not in recommended: named exports only.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ExportDefaultDeclaration',
          message: 'Use a named export instead of `export default` (CONVENTIONS.md).',
        },
      ],

      // Decision: NOT relaxed; this is the recommended setting (checksVoidReturn fully on), restated
      // so nobody "fixes" it later. We measured it: with `checksVoidReturn.arguments` on, the tree has
      // zero reports. The daemon's LSP handlers already follow the convention
      // (`connection.onDidChangeConfiguration(() => { void daemon.updateSettings(...).catch(...) })`),
      // `onRequest`/`onShutdown` accept promise-returning handlers, and VS Code's `registerCommand` /
      // `Event<T>` listeners are typed `=> any`, so async callbacks there are not reported. What it
      // does catch (an async `process.on(...)` or DOM `addEventListener` handler) is a real
      // unhandled-rejection risk and is written `(...) => void handler(...)` per CONVENTIONS.md.
      '@typescript-eslint/no-misused-promises': ['error', { checksConditionals: true, checksSpreads: true, checksVoidReturn: true }],

      // Numbers and booleans in template literals (`${ms} ms`, `${count} tokens`) are never wrong and
      // must not be reported. typescript-eslint 8 already defaults `allowNumber`/`allowBoolean` to
      // true (options merge onto the rule defaults: any, nullish and RegExp stay allowed, objects and
      // arrays are reported), so this restates the recommended behaviour explicitly rather than
      // deviating from it; it keeps a future typescript-eslint default flip from flooding the tree.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],

    },
  },

  // 5. Layering ------------------------------------------------------------------------------
  // `no-restricted-imports` options do not merge across config objects (the last match wins), so
  // each block below lists every restriction for its files. Files covered: server/**, webview/**,
  // client/**, server/src/protocol.ts and its parts in server/src/protocol/ (last, so they override
  // the server/** block).
  {
    name: 'threadwise/layering/server',
    files: ['server/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noVscode] }],
    },
  },
  {
    name: 'threadwise/layering/webview',
    files: ['webview/**/*.{ts,mts,cts,js,mjs,cjs}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [noVscode, ...webviewNoNode] }],
    },
  },
  ...clientLayering(),
  // The contract: server/src/protocol.ts re-exports its parts in server/src/protocol/, and a part
  // may import only siblings. Neither may import anything else but the bare package.
  protocolLayering('protocol', ['server/src/protocol.ts'], String.raw`\./protocol/[A-Za-z]+`),
  protocolLayering('protocol/parts', ['server/src/protocol/*.ts'], String.raw`\./[A-Za-z]+`),
);
