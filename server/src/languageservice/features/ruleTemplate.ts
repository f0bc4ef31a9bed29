// A CloudFormation / SAM template read for the rest of the rule (targets, input, schedules): its resources by logical
// ID, and what an ARN-valued property refers to. Intrinsic functions stay unknown: a reference names the template's
// resources it mentions, and says whether anything else could be in it.

import { getProperty, type AstNode, type ObjectNode, type PropertyNode, type StringNode } from '../../engine/jsonAst';
import { isIntrinsicNode } from '../parsing/parsedDocument';
import type { DocumentAnalysis } from '../sites/documentAnalysis';
import { resourceTypeOf } from '../sites/patternSites';

export interface TemplateResource {
  readonly id: string;
  readonly type: string;
  readonly entry: PropertyNode;
  readonly properties: AstNode | undefined;
}

/** A template's resources by logical ID (the last entry of an ID wins, as in a parse of the whole map). */
export interface TemplateResources {
  get(id: string): TemplateResource | undefined;
  has(id: string): boolean;
  /** Every resource, in the order of their IDs' first entries. */
  values(): Iterable<TemplateResource>;
  /** The resources of these types, in the order of values(). */
  ofType(...types: string[]): readonly TemplateResource[];
}

export interface TemplateModel {
  readonly resourcesNode: ObjectNode;
  readonly resources: TemplateResources;
}

/** The template's resources (CloudFormation, SAM, or a Serverless Framework file's `resources.Resources`). */
export function readTemplateModel(doc: DocumentAnalysis): TemplateModel | undefined {
  if (doc.readAs !== 'template' && doc.readAs !== 'serverless') return undefined;
  const resourcesNode =
    doc.readAs === 'serverless'
      ? getProperty(getProperty(doc.root, 'resources'), 'Resources')
      : getProperty(doc.root, 'Resources');
  if (resourcesNode?.type !== 'object') return undefined;
  const byId = new Map<string, TemplateResource>();
  for (const entry of resourcesNode.properties) {
    const resource = templateResourceOf(entry);
    if (resource) byId.set(entry.key.value, resource);
  }
  let byType: Map<string, TemplateResource[]> | undefined;
  const order = new Map<TemplateResource, number>();
  const resources: TemplateResources = {
    get: (id) => byId.get(id),
    has: (id) => byId.has(id),
    values: () => byId.values(),
    ofType(...types) {
      if (!byType) {
        byType = new Map();
        let i = 0;
        for (const r of byId.values()) {
          order.set(r, i++);
          const list = byType.get(r.type);
          if (list) list.push(r);
          else byType.set(r.type, [r]);
        }
      }
      if (types.length === 1) return byType.get(types[0]) ?? [];
      // In the order of values().
      return types.flatMap((t) => byType!.get(t) ?? []).sort((a, b) => order.get(a)! - order.get(b)!);
    },
  };
  return { resourcesNode, resources };
}

/** An entry read as a resource (kept per entry node, which the incremental analysis carries over unchanged). */
function templateResourceOf(entry: PropertyNode): TemplateResource | undefined {
  const kept = entryResources.get(entry);
  if (kept !== undefined) return kept ?? undefined;
  const type = resourceTypeOf(entry);
  const resource =
    type === undefined
      ? undefined
      : { id: entry.key.value, type, entry, properties: getProperty(entry.value, 'Properties') };
  entryResources.set(entry, resource ?? null);
  return resource;
}

const entryResources = new WeakMap<PropertyNode, TemplateResource | null>();

/** What a value refers to, as far as the template tells. */
export interface Reference {
  /** Its text when it is a string, or a `Fn::Sub` / `Fn::Join` with `${…}` standing for what is unknown. */
  readonly text: string | undefined;
  /** The template's resources it mentions: `Ref X` (attr undefined), `GetAtt X.A`, `${X}`, `${X.A}`. */
  readonly mentions: readonly {
    readonly id: string;
    readonly attr: string | undefined;
    readonly via: 'Ref' | 'GetAtt' | 'Sub';
  }[];
  /** True when some of it is unknown and comes from outside the template's resources (a parameter, an import...). */
  readonly external: boolean;
}

const NOTHING: Reference = { text: undefined, mentions: [], external: true };

function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1].trim());
}

/** Reads a value that names a resource (an ARN, a function name, a queue URL...). */
export function referenceOf(node: AstNode | undefined, model: TemplateModel): Reference {
  if (!node) return NOTHING;
  if (node.type === 'string') return { text: node.value, mentions: [], external: false };
  if (!isIntrinsicNode(node)) return NOTHING;
  const arg = node.argument;
  switch (node.intrinsic) {
    case 'Ref': {
      const id = arg?.type === 'string' ? arg.value : undefined;
      if (id && model.resources.has(id))
        return { text: `\${${id}}`, mentions: [{ id, attr: undefined, via: 'Ref' }], external: false };
      return { text: id ? `\${${id}}` : undefined, mentions: [], external: !id?.startsWith('AWS::') };
    }
    case 'Fn::GetAtt': {
      let id: string | undefined;
      let attr: string | undefined;
      if (arg?.type === 'string') [id, attr] = [arg.value.split('.')[0], arg.value.split('.').slice(1).join('.')];
      else if (arg?.type === 'array' && arg.items[0]?.type === 'string') {
        id = arg.items[0].value;
        attr = arg.items[1]?.type === 'string' ? arg.items[1].value : undefined;
      }
      if (id && model.resources.has(id))
        return { text: `\${${id}.${attr ?? ''}}`, mentions: [{ id, attr, via: 'GetAtt' }], external: false };
      return NOTHING;
    }
    case 'Fn::Sub': {
      const textNode =
        arg?.type === 'string'
          ? arg
          : arg?.type === 'array' && arg.items[0]?.type === 'string'
            ? arg.items[0]
            : undefined;
      if (!textNode) return NOTHING;
      const local = new Set<string>();
      const map = arg?.type === 'array' ? arg.items[1] : undefined;
      if (map?.type === 'object') for (const p of map.properties) local.add(p.key.value);
      const mentions: Reference['mentions'][number][] = [];
      let external = false;
      for (const v of subVariables(textNode.value)) {
        const [id, ...rest] = v.split('.');
        if (local.has(v)) {
          external = true;
          continue;
        }
        if (model.resources.has(id))
          mentions.push({ id, attr: rest.length > 0 ? rest.join('.') : undefined, via: 'Sub' });
        else if (!id.startsWith('AWS::')) external = true;
      }
      return { text: textNode.value, mentions, external };
    }
    case 'Fn::Join': {
      if (arg?.type !== 'array' || arg.items[0]?.type !== 'string' || arg.items[1]?.type !== 'array') return NOTHING;
      const sep = arg.items[0].value;
      const parts: string[] = [];
      const mentions: Reference['mentions'][number][] = [];
      let external = false;
      for (const item of arg.items[1].items) {
        const r = referenceOf(item, model);
        parts.push(r.text ?? '${?}');
        mentions.push(...r.mentions);
        external ||= r.external || r.text === undefined;
      }
      return { text: parts.join(sep), mentions, external };
    }
    default:
      return NOTHING;
  }
}

/** True when the value refers to the resource `id` (by any means). */
export function mentions(reference: Reference, id: string): boolean {
  return reference.mentions.some((m) => m.id === id);
}

/** The string node of a property, when it is a plain string. */
export function stringProperty(node: AstNode | undefined, key: string): StringNode | undefined {
  const v = getProperty(node, key);
  return v?.type === 'string' ? v : undefined;
}

/** The property (key and value) named `key` of an object node. */
export function propertyNamed(node: AstNode | undefined, key: string): PropertyNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--)
    if (node.properties[i].key.value === key) return node.properties[i];
  return undefined;
}

/** `*` globs as AWS's ARN conditions read them (also `?`). */
export function globMatches(glob: string, value: string): boolean {
  const re = new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}
