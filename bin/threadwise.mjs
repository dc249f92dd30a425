#!/usr/bin/env node
// The `threadwise` command: runs the bundled CLI (`npm run build` writes dist/cli.mjs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('threadwise: dist/cli.mjs is missing; run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(bundle);
await main();
