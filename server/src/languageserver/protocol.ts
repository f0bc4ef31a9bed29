// What the client and the server agree on, declared once and imported by both sides. Pure: no `vscode` import.

/** The settings section the server pulls with `workspace/configuration` (package.json `contributes.configuration`). */
export const SETTINGS_SECTION = 'eventbridgePatterns';

/** The settings of the section that the language server uses. */
export interface PatternSettings {
  /** Globs, relative to a workspace folder, of standalone event pattern files. */
  readonly patternFileGlobs: readonly string[];
}

export const DEFAULT_PATTERN_FILE_GLOBS: readonly string[] = [
  '**/*.eventpattern.json',
  '**/*.eventpattern.yaml',
  '**/*.eventpattern.yml',
];

export const DEFAULT_SETTINGS: PatternSettings = { patternFileGlobs: DEFAULT_PATTERN_FILE_GLOBS };

/** Settings as sent by a client (or typed by hand into settings.json): anything of the wrong type gets its default. */
export function toPatternSettings(raw: unknown): PatternSettings {
  const globs =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['patternFileGlobs'] : undefined;
  const valid = Array.isArray(globs) && globs.every((g) => typeof g === 'string');
  return { patternFileGlobs: valid ? globs : DEFAULT_PATTERN_FILE_GLOBS };
}
