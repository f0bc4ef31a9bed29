// Shared by the end-to-end tests: the extension under test, polling, and process checks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EventBridgePatternsApi } from '../../client/src/extension';

export const EXTENSION_ID = 'eventbridge-patterns.eventbridge-patterns';

export function getExtension(): vscode.Extension<EventBridgePatternsApi> {
  const extension = vscode.extensions.getExtension<EventBridgePatternsApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return extension;
}

/** The extension's API, once something (a document, the workspace) has activated it. Never activates it itself. */
export async function activeApi(): Promise<EventBridgePatternsApi> {
  const extension = getExtension();
  await waitFor(() => extension.isActive, 'the extension to be active');
  return extension.exports;
}

export function fixturePath(...segments: string[]): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the tests need the fixture workspace open');
  return path.join(folder.uri.fsPath, ...segments);
}

/** Polls until `condition` holds (returns true or a value other than undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  description: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Whether a process exists and is not a zombie (an exited child nobody reaped yet). */
export function isProcessAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain spaces or parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    if (fs.existsSync('/proc/self/stat')) return false; // Linux: no /proc entry, no process
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Waits for the language server to run and returns its process id. */
export async function runningServerPid(api: EventBridgePatternsApi): Promise<number> {
  const status = await waitFor(() => {
    const s = api.serverStatus;
    if (s.kind === 'failed') throw new Error(`the language server failed: ${s.reason}`);
    return s.kind === 'running' ? s : undefined;
  }, 'the language server to run');
  if (status.processId === undefined) throw new Error('the running server has no process id');
  return status.processId;
}
