// Looking learned schemas up: by (source, detail-type), by source, and the fields below a path of `detail`, over the
// schemas learned from samples and those read from schema registries.
import type { LearnedField, LearnedSchema } from '../../../shared';

/** A field found in one or more schemas: the first one's description, and every schema that has it. */
export interface FoundField {
  /** The last segment of the path. */
  readonly name: string;
  readonly field: LearnedField;
  readonly schemas: readonly LearnedSchema[];
  /** Some field lies below it (an object, or an array of objects). */
  readonly hasChildren: boolean;
}

export class LearnedSchemaIndex {
  private readonly bySource = new Map<string, LearnedSchema[]>();

  constructor(readonly all: readonly LearnedSchema[]) {
    for (const s of all) {
      const list = this.bySource.get(s.source);
      if (list) list.push(s);
      else this.bySource.set(s.source, [s]);
    }
  }

  sources(): string[] {
    return [...this.bySource.keys()];
  }

  /** The schemas of a source, of one of its detail-types when given. */
  schemasOf(source: string, detailType?: string): LearnedSchema[] {
    const list = this.bySource.get(source) ?? [];
    return detailType === undefined ? list : list.filter((s) => s.detailType === detailType);
  }

  /** The schemas learned from samples (not registries) of a source, of one of its detail-types when given. */
  sampleSchemasOf(source: string, detailType?: string): LearnedSchema[] {
    return this.schemasOf(source, detailType).filter((s) => s.origin.kind === 'samples');
  }
}

/** The fields directly below `path` (`[]`: detail's own fields), merged over the schemas, in path order. */
export function fieldsBelow(schemas: readonly LearnedSchema[], path: readonly string[]): FoundField[] {
  const prefix = path.length === 0 ? '' : `${path.join('.')}.`;
  const byName = new Map<string, { field: LearnedField; schemas: LearnedSchema[]; hasChildren: boolean }>();
  const withChildren = new Set<string>();
  for (const schema of schemas) {
    for (const field of schema.fields) {
      if (!field.path.startsWith(prefix)) continue;
      const rest = field.path.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (dot >= 0) {
        withChildren.add(rest.slice(0, dot));
        continue;
      }
      const known = byName.get(rest);
      if (known) {
        if (!known.schemas.includes(schema)) known.schemas.push(schema);
      } else byName.set(rest, { field, schemas: [schema], hasChildren: false });
    }
  }
  return [...byName.entries()].map(([name, f]) => ({ name, ...f, hasChildren: withChildren.has(name) }));
}

/** The field at a path below `detail`, with every schema that has it. */
export function fieldAt(schemas: readonly LearnedSchema[], path: readonly string[]): FoundField | undefined {
  const dotted = path.join('.');
  let found: LearnedField | undefined;
  const having: LearnedSchema[] = [];
  let hasChildren = false;
  for (const schema of schemas) {
    for (const field of schema.fields) {
      if (field.path === dotted) {
        found ??= field;
        if (!having.includes(schema)) having.push(schema);
      } else if (field.path.startsWith(`${dotted}.`)) hasChildren = true;
    }
  }
  return found ? { name: path[path.length - 1] ?? '', field: found, schemas: having, hasChildren } : undefined;
}

/** Whether some schema has the path (or something below it: a pattern may name an object's path with dots). */
export function hasPath(schemas: readonly LearnedSchema[], path: string): boolean {
  return schemas.some((s) => s.fields.some((f) => f.path === path || f.path.startsWith(`${path}.`)));
}

/** `string`, `number | string`, `array of object`: the kinds of a field in words. */
export function fieldTypeText(field: LearnedField): string {
  const parts = field.types.map((t) =>
    t === 'array' && field.itemTypes && field.itemTypes.length > 0 ? `array of ${field.itemTypes.join(' | ')}` : t,
  );
  return parts.join(' | ') || 'unknown';
}
