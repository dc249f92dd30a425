import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { DOMWindow } from 'jsdom';
import type { FromWebview, PersistedState, ToWebview } from '../../../webview/src/protocol';
import { ROOT } from '../../support/paths';

const BUNDLE = path.join(ROOT, 'dist', 'webview.js');
let bundleSource: string | undefined;

function bundle(): string {
  if (bundleSource === undefined) {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before the webview tests`);
    bundleSource = readFileSync(BUNDLE, 'utf8');
  }
  return bundleSource;
}

/** A webview page with a fake `acquireVsCodeApi`, running the built bundle the way VS Code would. */
export interface LoadedWebview {
  readonly window: DOMWindow;
  readonly document: Document;
  /** Every message the webview posted, in order. */
  readonly posted: FromWebview[];
  /** Every state the webview saved with `setState`, in order (the last one is what a reload gets). */
  readonly saved: PersistedState[];
  /** Uncaught errors and console.error output of the page: a test expects none. */
  readonly errors: string[];
  /** Delivers a host → webview message as VS Code does: a `message` event on the window. */
  send(message: ToWebview): void;
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

export interface LoadOptions {
  /** What `getState()` returns: the state a previous instance of the panel saved. */
  state?: PersistedState;
}

export function loadWebview(options: LoadOptions = {}): LoadedWebview {
  const posted: FromWebview[] = [];
  const saved: PersistedState[] = [];
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => errors.push(error.stack ?? error.message));
  virtualConsole.on('error', (...args: unknown[]) => errors.push(args.map(String).join(' ')));

  let acquired = false;
  let state: unknown = options.state === undefined ? undefined : structuredClone(options.state);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Threadwise</title></head><body><div id="root"></div><script>${bundle()}</script></body></html>`;
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
            postMessage: (message: FromWebview) => posted.push(structuredClone(message)),
            getState: () => state,
            setState: (next: PersistedState) => {
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
      if (!element) throw new Error(`no #${id} in the webview`);
      return element as T;
    },
    nextFrame: () => new Promise<void>((resolve) => window.requestAnimationFrame(() => resolve())),
    pwned: () => (window as unknown as Record<string, unknown>).__pwned,
    close: () => window.close(),
  };
}
