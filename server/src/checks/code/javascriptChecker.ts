import { createRequire } from 'node:module';
import type { ESLint, Linter } from 'eslint';
import type * as TypeScript from 'typescript';
import type { CheckedLanguage, CodeFinding } from '../../protocol';
import type { CodeChecker, CodeCheckOptions, CodeCheckResult } from './codeChecker';
import { compareFindings } from './findings';
import type { SecurityRule } from './findings';
import { CHECKED_GLOBALS, JAVASCRIPT_SECURITY_RULES, threadwisePlugin } from './javascriptRules';
import { JS_ONLY_LINE_BREAKS, lineStarts, offsetOfJsPosition, positionAt } from './positions';
import { MAX_SYNTAX_FINDINGS } from './syntaxErrors';

/**
 * Syntax and security of TypeScript, TSX, JavaScript and JSX blocks.
 *
 * Syntax: the TypeScript compiler's parser, through the public API (a one-file Program with no lib
 * and no resolution, `getSyntacticDiagnostics`: parse errors, plus for JavaScript the TypeScript-only
 * syntax it refuses). Only the parser runs, never the checker, so what the checker would say about a
 * fragment (a top-level `await` or `return`, an undeclared name) is not an error: model answers are
 * often fragments of a function body. When a parse error is present, the JavaScript "only in
 * TypeScript files" diagnostics are dropped (they echo the parse error). The first diagnostic of a
 * line is kept, at most MAX_SYNTAX_FINDINGS in all (one missing brace cascades).
 *
 * Security: ESLint's `Linter` in-process with the rules of `javascriptRules.ts` (espree for
 * JavaScript with JSX on; @typescript-eslint/parser for TypeScript, without type information).
 * Inline `eslint-disable` and `global` comments are ignored: the code is untrusted and must not turn
 * its own checks off. ESLint does not run on code with syntax errors (its parse error would repeat
 * the parser's). Code is linted as a module, else as CommonJS, else as an async function's body
 * (ESLINT_READINGS), so fragments with a top-level `return` or `await` are linted too; what ESLint
 * cannot parse in any reading (a grammar error the parser lets through, such as `let let`, or
 * `import` beside a top-level `return`) becomes a syntax finding of engine `eslint`, placed as the
 * module reading found it.
 */
export function createJavascriptChecker(): CodeChecker {
  return new JavascriptChecker();
}

const LANGUAGES = ['typescript', 'tsx', 'javascript', 'jsx'] as const;
type ScriptLanguage = (typeof LANGUAGES)[number];

/** The file name each language is parsed under (the extension picks the dialect in both parsers). */
const FILE_NAMES: Readonly<Record<ScriptLanguage, string>> = {
  typescript: 'block.ts',
  tsx: 'block.tsx',
  javascript: 'block.js',
  jsx: 'block.jsx',
};

/** First TypeScript diagnostic code of "… can only be used in TypeScript files" (8002–8038). */
const TYPESCRIPT_ONLY_CODES = 8000;

interface Engines {
  ts: typeof TypeScript;
  compilerOptions: TypeScript.CompilerOptions;
  linter: Linter;
  /** ESLint configs by language and module kind. */
  configs: Readonly<Record<ScriptLanguage, { module: Linter.Config[]; commonjs: Linter.Config[] }>>;
  rules: ReadonlyMap<string, SecurityRule>;
}

class JavascriptChecker implements CodeChecker {
  readonly languages = LANGUAGES;
  private loading: Promise<Engines> | undefined;
  private engines: Engines | undefined;

  load(): Promise<void> {
    this.loading ??= loadEngines().then(
      (engines) => (this.engines = engines),
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading.then(() => undefined);
  }

  check(code: string, language: CheckedLanguage, options: CodeCheckOptions): CodeCheckResult {
    const engines = this.engines;
    if (engines === undefined) throw new Error('the JavaScript checker was used before load() resolved');
    if (!isScriptLanguage(language)) throw new Error(`the JavaScript checker does not check ${language}`);
    const syntax = syntaxFindings(engines, code, language);
    if (syntax.length > 0) return { syntax: 'error', findings: syntax };
    const linted = lint(engines, code, language, options);
    return { syntax: linted.syntax.length > 0 ? 'error' : 'ok', findings: [...linted.syntax, ...linted.security] };
  }
}

function isScriptLanguage(language: CheckedLanguage): language is ScriptLanguage {
  return (LANGUAGES as readonly CheckedLanguage[]).includes(language);
}

async function loadEngines(): Promise<Engines> {
  const ts = await importOrExplain(() => import('typescript'), 'typescript', 'the TypeScript parser');
  const { Linter } = await importOrExplain(() => import('eslint'), 'eslint', 'ESLint');
  const tsParser = await importOrExplain(() => import('@typescript-eslint/parser'), '@typescript-eslint/parser', 'the TypeScript ESLint parser');
  // eslint-plugin-security is CommonJS without type declarations.
  const security = await importOrExplain(() => Promise.resolve(createRequire(import.meta.url)('eslint-plugin-security') as ESLint.Plugin), 'eslint-plugin-security', 'the ESLint security rules');
  const typescript = ts.default;
  const rules = new Map(JAVASCRIPT_SECURITY_RULES.map((rule) => [rule.id, rule]));
  const ruleLevels: Linter.RulesRecord = Object.fromEntries([...rules.keys()].map((id) => [id, 'error']));
  const config = (language: ScriptLanguage, sourceType: 'module' | 'commonjs'): Linter.Config[] => [
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
      plugins: { security, threadwise: threadwisePlugin() },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
      languageOptions: {
        ecmaVersion: 'latest',
        sourceType,
        globals: CHECKED_GLOBALS,
        ...(language === 'typescript' || language === 'tsx' ? { parser: tsParser } : {}),
        parserOptions: { ecmaFeatures: { jsx: language !== 'typescript', globalReturn: sourceType === 'commonjs' } },
      },
      rules: ruleLevels,
    },
  ];
  const configs = Object.fromEntries(LANGUAGES.map((language) => [language, { module: config(language, 'module'), commonjs: config(language, 'commonjs') }])) as Engines['configs'];
  const compilerOptions: TypeScript.CompilerOptions = {
    noLib: true,
    noResolve: true,
    allowJs: true,
    jsx: typescript.JsxEmit.Preserve,
    target: typescript.ScriptTarget.Latest,
    types: [],
    noEmit: true,
  };
  return { ts: typescript, compilerOptions, linter: new Linter(), configs, rules };
}

async function importOrExplain<T>(load: () => Promise<T>, packageName: string, what: string): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new Error(`${what} could not load (package ${packageName}: ${error instanceof Error ? error.message : String(error)}); reinstall Threadwise or run npm install`, { cause: error });
  }
}

function syntaxFindings(engines: Engines, code: string, language: ScriptLanguage): CodeFinding[] {
  const { ts } = engines;
  const fileName = FILE_NAMES[language];
  const scriptKind = { typescript: ts.ScriptKind.TS, tsx: ts.ScriptKind.TSX, javascript: ts.ScriptKind.JS, jsx: ts.ScriptKind.JSX }[language];
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, scriptKind);
  const host: TypeScript.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => '/',
    getCanonicalFileName: (name) => name,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({ rootNames: [fileName], options: engines.compilerOptions, host });
  let diagnostics = program.getSyntacticDiagnostics(sourceFile);
  if (diagnostics.some((diagnostic) => diagnostic.code < TYPESCRIPT_ONLY_CODES)) {
    diagnostics = diagnostics.filter((diagnostic) => diagnostic.code < TYPESCRIPT_ONLY_CODES);
  }
  const findings: CodeFinding[] = [];
  const starts = lineStarts(code);
  const lines = new Set<number>();
  for (const diagnostic of [...diagnostics].sort((a, b) => (a.start ?? 0) - (b.start ?? 0))) {
    const start = positionAt(starts, diagnostic.start ?? 0);
    const end = positionAt(starts, (diagnostic.start ?? 0) + (diagnostic.length ?? 0));
    if (lines.has(start.line)) continue;
    lines.add(start.line);
    findings.push({
      ruleId: 'syntax',
      kind: 'syntax',
      severity: 'error',
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
      engine: 'typescript',
    });
    if (findings.length >= MAX_SYNTAX_FINDINGS) break;
  }
  return findings;
}

/**
 * How ESLint reads a block, in order, until one parses: as a module; as CommonJS (a top-level
 * `return`, sloppy-mode `with`); as the body of an async function (a top-level `return` and `await`
 * together). The wrapper's first line is its own, so its messages move up one line.
 */
const ESLINT_READINGS = [
  { sourceType: 'module', before: '', after: '' },
  { sourceType: 'commonjs', before: '', after: '' },
  { sourceType: 'module', before: '(async function () {\n', after: '\n})' },
] as const;

function lint(engines: Engines, code: string, language: ScriptLanguage, options: CodeCheckOptions): { syntax: CodeFinding[]; security: CodeFinding[] } {
  const filename = FILE_NAMES[language];
  const place = placer(code);
  let messages: Linter.LintMessage[] | undefined;
  let firstFatal: Linter.LintMessage | undefined;
  for (const reading of ESLINT_READINGS) {
    const shift = reading.before === '' ? 0 : 1;
    const result = engines.linter.verify(`${reading.before}${code}${reading.after}`, engines.configs[language][reading.sourceType], { filename });
    const fatal = result.find((message) => message.fatal === true);
    if (fatal === undefined) {
      messages = result.map((message) => ({ ...message, line: message.line - shift, ...(message.endLine === undefined ? {} : { endLine: message.endLine - shift }) }));
      break;
    }
    firstFatal ??= fatal;
  }
  if (messages === undefined) {
    const fatal = firstFatal!;
    const finding: CodeFinding = { ruleId: 'syntax', kind: 'syntax', severity: 'error', ...place(fatal.line, fatal.column), message: fatal.message.replace(/^Parsing error: /, ''), engine: 'eslint' };
    return { syntax: [finding], security: [] };
  }
  const security: CodeFinding[] = [];
  for (const message of messages) {
    // Messages without a rule are ESLint's notes on ignored inline comments.
    const rule = message.ruleId === null ? undefined : engines.rules.get(message.ruleId);
    if (rule === undefined) continue;
    const finding: CodeFinding = {
      ruleId: rule.id,
      kind: 'security',
      severity: options.strict ? rule.strictSeverity : rule.severity,
      ...place(message.line, message.column),
      message: message.message,
      engine: 'eslint',
    };
    if (message.endLine !== undefined && message.endColumn !== undefined) {
      const end = place(message.endLine, message.endColumn);
      finding.endLine = end.line;
      finding.endColumn = end.column;
    }
    security.push(finding);
  }
  return { syntax: [], security: security.sort(compareFindings) };
}

/** ESLint's line and column as the contract's (they differ only when the code holds U+2028 or U+2029). */
function placer(code: string): (line: number, column: number) => { line: number; column: number } {
  if (!JS_ONLY_LINE_BREAKS.test(code)) return (line, column) => ({ line, column });
  const starts = lineStarts(code);
  return (line, column) => positionAt(starts, offsetOfJsPosition(code, line, column));
}
