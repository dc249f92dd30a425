import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Language, type Node, Parser, Query, type QueryMatch } from 'web-tree-sitter';

/**
 * web-tree-sitter and its grammars, loaded once per process. The runtime (`Parser.init`) and each
 * grammar load behind one shared promise, so concurrent callers wait for the same load; a failed
 * load is forgotten, so a later call tries again (after a reinstall, say) instead of replaying the
 * failure forever.
 *
 * The grammars come from the npm packages `tree-sitter-<name>`, of which only the prebuilt wasm
 * is used (their native install scripts are disabled). The packages are resolved through Node's
 * resolver from this module's URL, which works from source (tsx), from `dist/` (the daemon bundle
 * keeps them external) and from a VSIX, where they sit in `dist/node_modules`.
 */

/** The grammars the checkers use: the npm package is `tree-sitter-<name>`. */
export type GrammarName = 'python' | 'bash';

/** A grammar ready to parse, with its queries compiled once. */
export interface LoadedGrammar {
  readonly name: GrammarName;
  readonly language: Language;
  /**
   * One parser per grammar, shared: parsing is synchronous, so two callers never use it at once.
   * Every Tree it returns must be `delete()`d by the caller (wasm memory is not garbage-collected).
   */
  readonly parser: Parser;
  /** The query for `source`, compiled on first use and kept (compiling costs far more than running). Throws on a malformed query. */
  query(source: string): Query;
}

/** A grammar or the runtime could not be loaded; the message names the package and what to do. */
export class GrammarLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GrammarLoadError';
  }
}

const require = createRequire(import.meta.url);
const REINSTALL_HINT = 'reinstall Threadwise (or run `npm install` in a source checkout)';

let runtime: Promise<void> | undefined;
const grammars = new Map<GrammarName, Promise<LoadedGrammar>>();

/** Loads the grammar (and the runtime first) once; concurrent calls share the load. */
export function loadGrammar(name: GrammarName): Promise<LoadedGrammar> {
  let loading = grammars.get(name);
  if (!loading) {
    loading = loadGrammarNow(name);
    grammars.set(name, loading);
    loading.catch(() => grammars.delete(name));
  }
  return loading;
}

/** Where the grammar's wasm is expected: `<package folder>/tree-sitter-<name>.wasm`. Throws GrammarLoadError when the package is not installed. */
export function grammarWasmPath(name: GrammarName): string {
  const pkg = `tree-sitter-${name}`;
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch (error) {
    throw new GrammarLoadError(`the ${name} grammar package \`${pkg}\` is not installed; ${REINSTALL_HINT}`, { cause: error });
  }
  return path.join(path.dirname(manifest), `${pkg}.wasm`);
}

function loadRuntime(): Promise<void> {
  if (!runtime) {
    runtime = Parser.init().catch((error: unknown) => {
      runtime = undefined;
      throw new GrammarLoadError(`web-tree-sitter could not start (package \`web-tree-sitter\`): ${messageOf(error)}; ${REINSTALL_HINT}`, { cause: error });
    });
  }
  return runtime;
}

async function loadGrammarNow(name: GrammarName): Promise<LoadedGrammar> {
  await loadRuntime();
  const wasm = grammarWasmPath(name);
  if (!existsSync(wasm)) {
    throw new GrammarLoadError(`the ${name} grammar is missing: no ${path.basename(wasm)} in ${path.dirname(wasm)} (package \`tree-sitter-${name}\`); ${REINSTALL_HINT}`);
  }
  let language: Language;
  try {
    language = await Language.load(wasm);
  } catch (error) {
    throw new GrammarLoadError(`the ${name} grammar at ${wasm} could not be loaded (package \`tree-sitter-${name}\`): ${messageOf(error)}`, { cause: error });
  }
  const parser = new Parser();
  try {
    parser.setLanguage(language);
  } catch (error) {
    parser.delete();
    throw new GrammarLoadError(`the ${name} grammar (package \`tree-sitter-${name}\`) does not fit web-tree-sitter: ${messageOf(error)}`, { cause: error });
  }
  const queries = new Map<string, Query>();
  return {
    name,
    language,
    parser,
    query(source: string): Query {
      let query = queries.get(source);
      if (!query) {
        query = new Query(language, source);
        queries.set(source, query);
      }
      return query;
    },
  };
}

/**
 * A query's matches grouped by the prefix of their capture names (`call` for `@call.callee`), so that
 * one query of many patterns (one walk of the tree, several times cheaper than a walk per pattern
 * group) can feed several consumers. Every capture of a pattern must share its prefix.
 */
export function groupMatches(matches: QueryMatch[]): Map<string, QueryMatch[]> {
  const groups = new Map<string, QueryMatch[]>();
  for (const match of matches) {
    const name = match.captures[0]?.name;
    if (name === undefined) continue;
    const prefix = name.split('.', 1)[0] ?? name;
    const group = groups.get(prefix);
    if (group) group.push(match);
    else groups.set(prefix, [match]);
  }
  return groups;
}

/** The node of the capture `name` in a match. */
export function captured(match: QueryMatch, name: string): Node | undefined {
  return match.captures.find((capture) => capture.name === name)?.node;
}

/**
 * The code with each lone `\r` (a classic-Mac line end) turned into `\n`: the rest of Threadwise
 * counts `\n`, `\r\n` and `\r` as line ends, tree-sitter only `\n`. Same length, so columns and
 * offsets do not move.
 */
export function asLines(code: string): string {
  return code.includes('\r') ? code.replace(/\r(?!\n)/g, '\n') : code;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A checker's grammar: loaded once with the checker's own preparation (queries compiled), shared by
 * concurrent `load()` calls; a failed load is forgotten so the next `load()` tries again.
 */
export class GrammarSlot {
  private grammar: LoadedGrammar | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly name: GrammarName,
    private readonly prepare: (grammar: LoadedGrammar) => void,
  ) {}

  load(): Promise<void> {
    this.loading ??= loadGrammar(this.name).then(
      (grammar) => {
        this.prepare(grammar);
        this.grammar = grammar;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  /** The loaded grammar; `checker` names the caller in the error when `load()` has not resolved. */
  loaded(checker: string): LoadedGrammar {
    if (!this.grammar) throw new Error(`${checker}.check called before load() resolved`);
    return this.grammar;
  }
}
