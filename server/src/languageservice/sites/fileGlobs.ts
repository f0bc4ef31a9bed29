// Minimal glob matching for user-configured pattern-file globs (`**/patterns/*.json`, `*.rule.{json,yaml}`), so
// the language service needs no glob dependency. A glob without `/` matches the file name alone, as in VS Code's
// `files.associations`.

const compiled = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = compiled.get(glob);
  if (cached) return cached;
  let source = '';
  let braceDepth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slashFollows = glob[i + 2] === '/';
      source += slashFollows ? '(?:.*/)?' : '.*';
      i += slashFollows ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      braceDepth++;
      source += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      source += ')';
    } else if (c === ',' && braceDepth > 0) {
      source += '|';
    } else {
      source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
    }
  }
  while (braceDepth-- > 0) source += ')';
  const anchoredAtStart = glob.startsWith('/') ? '^' : '(?:^|/)';
  const regex = new RegExp(`${anchoredAtStart}${source}$`);
  compiled.set(glob, regex);
  return regex;
}

/** The file-system-like path of a document URI (`file:///a/b%20c.json` → `/a/b c.json`); other URIs as given. */
export function pathOfUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return uri;
  }
}

export function matchesAnyGlob(uri: string, globs: readonly string[]): boolean {
  if (globs.length === 0) return false;
  const path = pathOfUri(uri).replace(/\\/g, '/');
  const name = path.slice(path.lastIndexOf('/') + 1);
  return globs.some((glob) => globToRegExp(glob).test(glob.includes('/') ? path : name));
}
