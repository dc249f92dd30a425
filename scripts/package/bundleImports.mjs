// The packages a built bundle still loads at run time: the bare specifiers esbuild left external.
import { isBuiltin } from 'node:module';

// `from "x"`, `import "x"`, `import("x")`, `require("x")`, minified or not.
const SPECIFIER = /(?:\bfrom|\bimport|\bimport\s*\(|\brequire\s*\()\s*(["'])([^"'\s]+)\1/g;
const PACKAGE_NAME = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*/i;

/**
 * The package names (`@scope/name` or `name`, subpaths folded into their package) that `code`
 * imports or requires by a bare specifier; Node built-ins and the names in `ignore` are left out.
 */
export function externalPackagesOf(code, ignore = []) {
  const names = new Set();
  for (const match of code.matchAll(SPECIFIER)) {
    const specifier = match[2];
    if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) continue;
    const name = PACKAGE_NAME.exec(specifier)?.[0];
    if (name && !ignore.includes(name)) names.add(name);
  }
  return [...names].sort();
}
