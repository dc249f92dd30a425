import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { DOMWindow } from 'jsdom';
import type { FromThreadView, ThreadViewState, ToThreadView } from '../../../webview/src/thread/protocol';
import { ROOT } from '../../support/paths';

const BUNDLE = path.join(ROOT, 'dist', 'threadView.js');
let bundleSource: string | undefined;

function bundle(): string {
  if (bundleSource === undefined) {
    if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run \`npm run build\` before the webview tests`);
    bundleSource = readFileSync(BUNDLE, 'utf8');
  }
  return bundleSource;
}

/** The thread view page with a fake `acquireVsCodeApi`, running the built bundle as VS Code would. */
export interface LoadedThreadView {
  readonly window: DOMWindow;
  readonly document: Document;
  /** Every message the page posted, in order. */
  readonly posted: FromThreadView[];
  /** Every state the page saved with `setState`. */
  readonly saved: ThreadViewState[];
  /** Uncaught errors and console.error output of the page: a test expects none. */
  readonly errors: string[];
  send(message: ToThreadView): void;
  sendRaw(data: unknown): void;
  byId<T extends HTMLElement = HTMLElement>(id: string): T;
  /** Whatever a hostile script would set on the page (`window.__pwned`). */
  pwned(): unknown;
  close(): void;
}

export function loadThreadView(options: { state?: unknown } = {}): LoadedThreadView {
  const posted: FromThreadView[] = [];
  const saved: ThreadViewState[] = [];
  const errors: string[] = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error) => errors.push(error.stack ?? error.message));
  virtualConsole.on('error', (...args: unknown[]) => errors.push(args.map(String).join(' ')));

  let acquired = false;
  let state: unknown = options.state === undefined ? undefined : structuredClone(options.state);
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Threadwise thread</title></head><body><div id="root"></div><script>${bundle()}</script></body></html>`;
  const dom = new JSDOM(html, {
    runScripts: 'dangerously',
    pretendToBeVisual: true,
    url: 'https://webview.invalid/index.html',
    virtualConsole,
    beforeParse(window) {
      Object.defineProperty(window, 'acquireVsCodeApi', {
        value: () => {
          if (acquired) throw new Error('acquireVsCodeApi called twice');
          acquired = true;
          return {
            postMessage: (message: FromThreadView) => posted.push(structuredClone(message)),
            getState: () => state,
            setState: (next: ThreadViewState) => {
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
      if (!element) throw new Error(`no #${id} in the thread view`);
      return element as T;
    },
    pwned: () => (window as unknown as Record<string, unknown>).__pwned,
    close: () => window.close(),
  };
}
