/**
 * Part of the client ↔ daemon contract (re-exported by `../protocol.ts`; import from there): the
 * daemon's health. The daemon pushes a DaemonStatus on every change (StatusNotification); a client
 * that (re)connects asks for the current one (GetStatusRequest).
 */
import { ProtocolNotificationType, RequestType0 } from 'vscode-languageserver-protocol';
import type { ErrorReason } from './errors';
import type { KnowledgeHealth } from './knowledge';

export type DaemonState = 'starting' | 'idle' | 'downloading' | 'loading' | 'indexing' | 'ready' | 'busy' | 'error';

export interface DaemonStatus {
  state: DaemonState;
  /** Which engine the state is about, when it is about one. */
  component?: 'chat-model' | 'guardrail' | 'embedder' | 'knowledge';
  /** Download progress, 0..100, while `state` is `downloading`. */
  progress?: number;
  /** One line for a status bar. */
  message: string;
  /** Set when `state` is `error`. */
  error?: { reason: ErrorReason; message: string };
  /** The health of each index the daemon knows (one per workspace repository). */
  knowledge?: KnowledgeHealth[];
}

/** daemon → client. Published on every change of health (loading, downloading n%, ready, error). */
export namespace StatusNotification {
  export const method = 'threadwise/status' as const;
  export const type = new ProtocolNotificationType<DaemonStatus, void>(method);
}

/** client → daemon. The current health, for a client that (re)connects. */
export namespace GetStatusRequest {
  export const method = 'threadwise/getStatus' as const;
  export const type = new RequestType0<DaemonStatus, void>(method);
}
