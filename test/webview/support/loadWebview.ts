import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { DOMWindow } from 'jsdom';
import type { FromWebview, PersistedState, ToWebview } from '../../../webview/src/protocol';
import { ROOT } from '../../support/paths';

const bundles = new Map<string, string>();

/** The built browser bundle `dist/<file>`, read once per test process. */
function bundle(file: string): string {
  let source = bundles.get(file);
  if (source === undefined) {
    const full = path.join(ROOT, 'dist', file);
    if (!existsSync(full)) throw new Error(`${full} is missing: run \`npm run build\` before the webview tests`);
    source = readFileSync(full, 'utf8');
    bundles.set(file, source);
  }
  return source;
}

/** A page of any of the webview bundles, typed by its messages and its saved state. */
export interface LoadedPage<To, From, State> {
  readonly window: DOMWindow;
  readonly document: Document;
  /** Every message the page posted, in order. */
  readonly posted: From[];
  /** Every state the page saved with `setState`, in order (the last one is what a reload gets). */
  readonly saved: State[];
  /** Uncaught errors and console.error output of the page: a test expects none. */
  readonly errors: string[];
  /** Delivers a host → page message as VS Code does: a `message` event on the window. */
  send(message: To): void;
  /** Delivers anything (for malformed-message tests). */
  sendRaw(data: unknown): void;
  /** The element with this id; throws when there is none. */
  byId<T extends HTMLElement = HTMLElement>(id: string): T;
  /** Resolves after the page's next animation frame. */
  nextFrame(): Promise<void>;
  /** Whatever a hostile script would set on the page (`window.__pwned`). */
  pwned(): unknown;
  close(): void;
}

/** The suggestion webview page with a fake `acquireVsCodeApi`, running the built bundle the way VS Code would. */
export type LoadedWebview = LoadedPage<ToWebview, FromWebview, PersistedState>;

export interface LoadOptions {
  /** What `getState()` returns: the state a previous instance of the panel saved. */
  state?: PersistedState;
}

export function loadWebview(options: LoadOptions = {}): LoadedWebview {
  return loadPage<ToWebview, FromWebview, PersistedState>('webview.js', 'Threadwise', options.state);
}

/** Runs `dist/<file>` in jsdom with a fake `acquireVsCodeApi` whose `getState()` returns `state`. */
export function loadPage<To, From, State>(file: string, title: string, initialState: unknown): LoadedPage<To, From, State> {
  const posted: From[] = [];
  const saved: State[] = [];
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => errors.push(error.stack ?? error.message));
  virtualConsole.on('error', (...args: unknown[]) => errors.push(args.map(String).join(' ')));

  let acquired = false;
  let state: unknown = initialState === undefined ? undefined : structuredClone(initialState);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><div id="root"></div><script>${bundle(file)}</script></body></html>`;
  const dom = new JSDOM(html, {
    runScripts: 'dangerously',
    pretendToBeVisual: true,
    url: 'https://webview.invalid/index.html',
    virtualConsole,
    beforeParse(window) {
      // VS Code's API: callable once; state survives reloads as a JSON-serialisable value.
      Object.defineProperty(window, 'acquireVsCodeApi', {
        value: () => {
          if (acquired) throw new Error('acquireVsCodeApi called twice');
          acquired = true;
          return {
            postMessage: (message: From) => posted.push(structuredClone(message)),
            getState: () => state,
            setState: (next: State) => {
              state = structuredClone(next);
              saved.push(structuredClone(next));
              return next;
            },
          };
        },
      });
    },
  });
  const { window } = dom;

  const sendRaw = (data: unknown): void => {
    window.dispatchEvent(new window.MessageEvent('message', { data }));
  };
  return {
    window,
    document: window.document,
    posted,
    saved,
    errors,
    send: sendRaw,
    sendRaw,
    byId<T extends HTMLElement = HTMLElement>(id: string): T {
      const element = window.document.getElementById(id);
      if (!element) throw new Error(`no #${id} in ${title}`);
      return element as T;
    },
    nextFrame: () => new Promise<void>((resolve) => window.requestAnimationFrame(() => resolve())),
    pwned: () => (window as unknown as Record<string, unknown>).__pwned,
    close: () => window.close(),
  };
}
