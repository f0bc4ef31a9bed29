// The language service's settings: which files are pattern files, how loud each category of problem is, and whose
// syntax errors are reported.

/** Problem categories whose severity users choose. */
export type ProblemCategory = 'aws' | 'limits' | 'dialect' | 'lint';
export type SeverityLevel = 'error' | 'warning' | 'information' | 'hint' | 'off' | 'default';

/**
 * Which syntax errors of the documents we read are reported (EB430, EB431), by the editor language a document is in.
 * An editor may validate the syntax of some languages itself: VS Code's JSON language does, VS Code has no YAML
 * validator (a YAML extension may add one). A document in any other language (or none: the CLI) always gets them, and
 * so does the text of a template nested in a string (no editor looks inside strings).
 */
export interface SyntaxErrorSettings {
  /** Documents in the `yaml` language (`eventbridgePatterns.validation.yamlSyntax`). */
  readonly yamlLanguage: boolean;
  /** Documents in the `json` and `jsonc` languages: VS Code's JSON language reports their syntax errors already. */
  readonly jsonLanguage: boolean;
  /**
   * Documents in a code language (Terraform, TypeScript, JavaScript, Python): the language's own extension shows
   * their syntax errors, so only the CLI asks for them.
   */
  readonly codeLanguages?: boolean;
}

export interface LanguageServiceSettings {
  readonly patternFileGlobs: readonly string[];
  /** Per category; `default` keeps each problem's own severity. */
  readonly severity: Readonly<Record<ProblemCategory, SeverityLevel>>;
  readonly syntaxErrors: SyntaxErrorSettings;
}

export const DEFAULT_LANGUAGE_SERVICE_SETTINGS: LanguageServiceSettings = {
  patternFileGlobs: ['**/*.eventpattern.json', '**/*.eventpattern.yaml', '**/*.eventpattern.yml'],
  severity: { aws: 'default', limits: 'default', dialect: 'default', lint: 'default' },
  syntaxErrors: { yamlLanguage: true, jsonLanguage: false },
};
