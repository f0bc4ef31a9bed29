// The settings the client and the server agree on (part of the shared protocol, ./index.ts). Pure: no `vscode` import.

/** The settings section the server pulls with `workspace/configuration` (package.json `contributes.configuration`). */
export const SETTINGS_SECTION = 'eventbridgePatterns';

/** The settings of the section that the language server uses. */
export interface PatternSettings {
  /** Globs, relative to a workspace folder, of standalone event pattern files. */
  readonly patternFileGlobs: readonly string[];
  /** Severity per problem category (`eventbridgePatterns.severity.aws|limits|dialect|lint`). */
  readonly severity: Readonly<Record<SeverityCategory, SeverityChoice>>;
  /** `eventbridgePatterns.validation.*`: whether YAML syntax errors of the files we read are shown. */
  readonly validation: ValidationSettings;
}

export interface ValidationSettings {
  /** Off for users whose YAML extension already shows YAML syntax errors. */
  readonly yamlSyntax: boolean;
}

const DEFAULT_VALIDATION: ValidationSettings = { yamlSyntax: true };

export const SEVERITY_CATEGORIES = ['aws', 'limits', 'dialect', 'lint'] as const;
export type SeverityCategory = (typeof SEVERITY_CATEGORIES)[number];
export const SEVERITY_CHOICES = ['default', 'error', 'warning', 'information', 'hint', 'off'] as const;
export type SeverityChoice = (typeof SEVERITY_CHOICES)[number];

export const DEFAULT_PATTERN_FILE_GLOBS: readonly string[] = [
  '**/*.eventpattern.json',
  '**/*.eventpattern.yaml',
  '**/*.eventpattern.yml',
];

const DEFAULT_SEVERITY: Record<SeverityCategory, SeverityChoice> = {
  aws: 'default',
  limits: 'default',
  dialect: 'default',
  lint: 'default',
};

export const DEFAULT_SETTINGS: PatternSettings = {
  patternFileGlobs: DEFAULT_PATTERN_FILE_GLOBS,
  severity: DEFAULT_SEVERITY,
  validation: DEFAULT_VALIDATION,
};

/** Settings as sent by a client (or typed by hand into settings.json): anything of the wrong type gets its default. */
export function toPatternSettings(raw: unknown): PatternSettings {
  const globs =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['patternFileGlobs'] : undefined;
  const valid = Array.isArray(globs) && globs.every((g) => typeof g === 'string');
  const rawSeverity =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['severity'] : undefined;
  const severity = { ...DEFAULT_SEVERITY };
  if (typeof rawSeverity === 'object' && rawSeverity !== null) {
    for (const c of SEVERITY_CATEGORIES) {
      const v = (rawSeverity as Record<string, unknown>)[c];
      if (typeof v === 'string' && (SEVERITY_CHOICES as readonly string[]).includes(v)) severity[c] = v as SeverityChoice;
    }
  }
  const rawValidation =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['validation'] : undefined;
  const yamlSyntax =
    typeof rawValidation === 'object' && rawValidation !== null
      ? (rawValidation as Record<string, unknown>)['yamlSyntax']
      : undefined;
  return {
    patternFileGlobs: valid ? globs : DEFAULT_PATTERN_FILE_GLOBS,
    severity,
    validation: { yamlSyntax: typeof yamlSyntax === 'boolean' ? yamlSyntax : DEFAULT_VALIDATION.yamlSyntax },
  };
}
