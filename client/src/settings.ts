import * as vscode from 'vscode';
import type { DaemonSettings } from '../../server/src/protocol';

/** The `threadwise.*` settings the daemon reads; defaults live in package.json's contributed configuration. */
export function readDaemonSettings(): Partial<DaemonSettings> {
  const config = vscode.workspace.getConfiguration('threadwise');
  return {
    model: config.get<string>('model'),
    gpu: config.get<DaemonSettings['gpu']>('gpu'),
    threads: config.get<number>('threads'),
    contextSize: config.get<number>('contextSize'),
    maxReplyTokens: config.get<number>('maxReplyTokens'),
    temperature: config.get<number>('temperature'),
    guardrailModel: config.get<string>('guardrailModel'),
    guardrailThreshold: config.get<number>('guardrailThreshold'),
    allowDownloads: config.get<boolean>('allowDownloads'),
  };
}
