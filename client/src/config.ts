// Typed access to the extension's settings. Every setting the client reads goes through this module; names and
// defaults match `contributes.configuration` in package.json.
import * as vscode from 'vscode';
import { DEFAULT_PATTERN_FILE_GLOBS, SETTINGS_SECTION } from '../../server/src/languageserver/protocol';

/** The settings section. It is also the language client's id, so the client honours `<section>.trace.server`. */
export const CONFIG_SECTION = SETTINGS_SECTION;

export type TraceSetting = 'off' | 'messages' | 'verbose';

export interface ExtensionConfig {
  /** Globs, relative to a workspace folder, of standalone event pattern files. */
  readonly patternFileGlobs: readonly string[];
  /** How much of the traffic between client and server is logged to the output channel. */
  readonly traceServer: TraceSetting;
}

const TRACE_SETTINGS: readonly TraceSetting[] = ['off', 'messages', 'verbose'];

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Reads the settings; a value of the wrong type (hand-edited settings.json) gets its default. */
export function readConfig(scope?: vscode.ConfigurationScope): ExtensionConfig {
  const section = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const globs = section.get<unknown>('patternFileGlobs');
  const trace = section.get<unknown>('trace.server');
  return {
    patternFileGlobs: isStringArray(globs) ? globs : DEFAULT_PATTERN_FILE_GLOBS,
    traceServer: TRACE_SETTINGS.find((t) => t === trace) ?? 'off',
  };
}

export function affectsConfig(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(CONFIG_SECTION);
}

export function describeConfig(config: ExtensionConfig): string {
  return `pattern files ${JSON.stringify(config.patternFileGlobs)}, trace ${config.traceServer}`;
}
