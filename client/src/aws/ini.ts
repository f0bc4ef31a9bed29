// The INI dialect of the AWS shared config and credentials files: `[section]` headers, `key = value` lines, full-line
// comments (`#` or `;`), and sub-properties (a key with an empty value followed by indented `sub = value` lines, as in
// `services` sections). Values are kept as written, trimmed; inline comments are not stripped (a `#` may be part of a
// value such as a credential_process command line).

export interface IniSection {
  /** The header text between the brackets, trimmed, e.g. `profile dev` or `sso-session corp`. */
  readonly header: string;
  /** 1-based line of the header. */
  readonly line: number;
  readonly values: Record<string, string>;
  /** Sub-properties by parent key: `eventbridge = \n  endpoint_url = ...` → `{ eventbridge: { endpoint_url } }`. */
  readonly nested: Record<string, Record<string, string>>;
}

export interface IniProblem {
  readonly line: number;
  readonly message: string;
}

export interface IniFile {
  readonly sections: readonly IniSection[];
  readonly problems: readonly IniProblem[];
}

interface MutableSection {
  header: string;
  line: number;
  values: Record<string, string>;
  nested: Record<string, Record<string, string>>;
}

/** Parses the text of `~/.aws/config` or `~/.aws/credentials`. Later duplicates of a key win, as in the CLI. */
export function parseIni(text: string): IniFile {
  const sections: MutableSection[] = [];
  const problems: IniProblem[] = [];
  let current: MutableSection | undefined;
  // The key whose indented sub-properties follow (set by `key =` with an empty value).
  let parentKey: string | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const indented = /^[ \t]/.test(raw);
    if (trimmed.startsWith('[')) {
      const close = trimmed.indexOf(']');
      if (close < 0) {
        problems.push({ line, message: `section header without a closing bracket: ${trimmed}` });
        current = undefined;
        return;
      }
      const header = trimmed.slice(1, close).trim().replace(/\s+/g, ' ');
      // A repeated header continues the same section (the CLI merges them).
      current = sections.find((s) => s.header === header);
      if (!current) {
        current = {
          header,
          line,
          values: Object.create(null) as Record<string, string>,
          nested: Object.create(null) as Record<string, Record<string, string>>,
        };
        sections.push(current);
      }
      parentKey = undefined;
      return;
    }
    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      // The line itself is not quoted: in the credentials file it may be a pasted secret.
      problems.push({ line, message: 'expected "key = value"' });
      return;
    }
    if (!current) {
      problems.push({ line, message: 'a setting before any [section] header is ignored' });
      return;
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = trimmed.slice(eq + 1).trim();
    if (indented && parentKey !== undefined) {
      (current.nested[parentKey] ??= Object.create(null) as Record<string, string>)[key] = value;
      return;
    }
    current.values[key] = value;
    parentKey = value === '' ? key : undefined;
  });
  return { sections, problems };
}
