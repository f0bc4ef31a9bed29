// The language service's settings: which files are pattern files, and how loud each category of problem is.

/** Problem categories whose severity users choose. */
export type ProblemCategory = 'aws' | 'limits' | 'dialect' | 'lint';
export type SeverityLevel = 'error' | 'warning' | 'information' | 'hint' | 'off' | 'default';

export interface LanguageServiceSettings {
  readonly patternFileGlobs: readonly string[];
  /** Per category; `default` keeps each problem's own severity. */
  readonly severity: Readonly<Record<ProblemCategory, SeverityLevel>>;
}

export const DEFAULT_LANGUAGE_SERVICE_SETTINGS: LanguageServiceSettings = {
  patternFileGlobs: ['**/*.eventpattern.json', '**/*.eventpattern.yaml', '**/*.eventpattern.yml'],
  severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'default' },
};
