// A small, strict argument parser: `--name value`, `--name=value`, boolean flags and repeated options.

export class UsageError extends Error {}

/** A usage error in what an option names (a malformed file, say): exit 2, but the usage text would not help. */
export class BadOptionInput extends UsageError {}

export interface ParsedArgs {
  readonly values: Map<string, string[]>;
  readonly flags: Set<string>;
  readonly positional: string[];
}

export function parseArgs(
  argv: readonly string[],
  spec: { values: readonly string[]; flags: readonly string[] },
): ParsedArgs {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (spec.flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.add(name);
      continue;
    }
    if (!spec.values.includes(name)) throw new UsageError(`unknown option --${name}`);
    let value: string;
    if (eq >= 0) value = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`);
      value = argv[++i]!;
    }
    const list = values.get(name) ?? [];
    list.push(value);
    values.set(name, list);
  }
  return { values, flags, positional };
}

export function single(args: ParsedArgs, name: string): string | undefined {
  const list = args.values.get(name);
  if (!list) return undefined;
  if (list.length > 1) throw new UsageError(`--${name} given more than once`);
  return list[0];
}
