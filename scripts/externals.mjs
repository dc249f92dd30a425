// The packages the daemon and CLI bundles leave external (scripts/build.mjs), in one place, so the
// VSIX (scripts/package.mjs) ships every one of them even when a bundle loads it in a way a scan of
// its text cannot see: `createRequire(...)("x")`, `require.resolve(\`${name}/package.json\`)`.

// Native and ML packages: they load their own binaries from node_modules.
export const NATIVE_AND_ML = ['node-llama-cpp', '@huggingface/transformers', 'onnxruntime-node', 'onnxruntime-common', 'sharp', 'hnswlib-node', 'sqlite3'];

// The code checkers: web-tree-sitter and the grammars load .wasm files from their package folders,
// and TypeScript and ESLint (with its parser and plugin) are large and resolve files at run time.
export const CODE_CHECKERS = ['typescript', 'eslint', '@typescript-eslint/parser', 'eslint-plugin-security', 'web-tree-sitter', 'tree-sitter-python', 'tree-sitter-bash'];

export const DAEMON_EXTERNAL = [...NATIVE_AND_ML, ...CODE_CHECKERS];
