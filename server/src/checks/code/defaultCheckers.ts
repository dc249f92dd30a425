import type { CodeChecker } from './codeChecker';
import { createDataChecker } from './dataChecker';
import { createJavascriptChecker } from './javascriptChecker';
import { PythonChecker } from './pythonChecker';
import { ShellChecker } from './shellChecker';

/**
 * Every language Threadwise checks: TypeScript/JavaScript/TSX/JSX (TypeScript's parser, ESLint with
 * eslint-plugin-security), JSON and YAML (syntax), Python and shell (tree-sitter grammars and
 * queries). Nothing loads until a block of the language is checked.
 */
export function defaultCodeCheckers(): CodeChecker[] {
  return [createJavascriptChecker(), createDataChecker(), new PythonChecker(), new ShellChecker()];
}
