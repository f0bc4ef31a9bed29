// The event patterns of a Terraform file in JSON syntax (`*.tf.json`), read from the house AST of the JSON document:
// `{"resource": {"aws_cloudwatch_event_rule": {"name": {"event_pattern": "..."}}}}` and the other places
// terraformSites.ts reads in `.tf` files (SNS `filter_policy` and `filter_policy_scope` included). Every string there is a Terraform template: `${...}` and `%{...}` are
// unknown until plan (a value written as one `${...}`, such as `"${jsonencode({...})}"`, is no site at all), and
// `$${` / `%%{` stand for a literal `${` / `%{`. Blocks may be written as an object or as a list of objects. A value
// that is one `${file("x.json")}` or `${templatefile("x.json.tpl", {...})}` names a pattern file (see
// findTerraformJsonPatternFiles).

import { getProperty, type AstNode, type StringNode } from '../../engine/jsonAst';
import { decodeStringNode, type PatternSite, type StringPatternSite, type Substitution } from './patternSites';
import type { ReferencedPatternFile, TerraformPlace as Place } from './terraformSites';

export function isTerraformJsonFile(uri: string): boolean {
  return /\.tf\.json$/i.test(uri);
}

/** The pattern files a `.tf.json` document's patterns are read from (`"${file(\"rule.json\")}"`). */
export function findTerraformJsonPatternFiles(root: AstNode | undefined, text: string): ReferencedPatternFile[] {
  const files: ReferencedPatternFile[] = [];
  findTerraformJsonSites(root, text, '', files);
  return files;
}

/** `file("x")`, `file("${path.module}/x")`, `templatefile("x", {...})`: the call, and the path. */
const FILE_CALL = /^(file|templatefile)\(\s*"(?:\$\{path\.(?:module|root|cwd)\}\/+)?([^"$%\\]+)"\s*[,)]/;

/**
 * The patterns of a `.tf.json` document. `uri` is not read today (kept alike for every code reader). With `files`,
 * the pattern files its values name are added to it.
 */
export function findTerraformJsonSites(
  root: AstNode | undefined,
  text: string,
  uri: string,
  files?: ReferencedPatternFile[],
): PatternSite[] {
  void uri;
  const found: Found = { sites: [], files: files ?? [] };
  readDocument(root, text, found);
  return found.sites;
}

/** What the reading finds: the sites, and the pattern files the values name. */
interface Found {
  readonly sites: PatternSite[];
  readonly files: ReferencedPatternFile[];
}

function readDocument(root: AstNode | undefined, text: string, found: Found): void {
  for (const resources of blocks(getProperty(root, 'resource'))) {
    if (resources.type !== 'object') continue;
    for (const byType of resources.properties) {
      const type = byType.key.value;
      for (const named of blocks(byType.value)) {
        if (named.type !== 'object') continue;
        for (const entry of named.properties) {
          const resourceId = `${type}.${entry.key.value}`;
          for (const body of blocks(entry.value)) readResource(type, resourceId, body, text, found);
        }
      }
    }
  }
  for (const modules of blocks(getProperty(root, 'module'))) {
    if (modules.type !== 'object') continue;
    for (const entry of modules.properties) {
      for (const body of blocks(entry.value)) readModule(entry.key.value, body, text, found);
    }
  }
}

/** A block written as an object, or several as a list of objects. */
function blocks(node: AstNode | undefined): AstNode[] {
  if (!node) return [];
  if (node.type === 'array') return node.items.filter((i) => i.type === 'object');
  return node.type === 'object' ? [node] : [];
}

function readResource(type: string, resourceId: string, body: AstNode, text: string, found: Found): void {
  switch (type) {
    case 'aws_cloudwatch_event_rule':
      addSite(getProperty(body, 'event_pattern'), text, found, {
        kind: 'terraformEventRule',
        dialect: 'eventbus',
        resourceId,
      });
      break;
    case 'aws_cloudwatch_event_archive':
      addSite(getProperty(body, 'event_pattern'), text, found, {
        kind: 'terraformEventArchive',
        dialect: 'archive',
        resourceId,
      });
      break;
    case 'aws_pipes_pipe':
      for (const parameters of blocks(getProperty(body, 'source_parameters')))
        readFilters(parameters, text, found, { kind: 'terraformPipeFilter', dialect: 'pipes', resourceId });
      break;
    case 'aws_lambda_event_source_mapping':
      readFilters(body, text, found, { kind: 'terraformEventSourceMappingFilter', dialect: 'lambda', resourceId });
      break;
    case 'aws_sns_topic_subscription':
      addSite(getProperty(body, 'filter_policy'), text, found, {
        kind: 'terraformSnsSubscription',
        dialect: 'sns',
        resourceId,
        ...snsScopeOf(getProperty(body, 'filter_policy_scope'), text),
      });
      break;
  }
}

function readFilters(body: AstNode, text: string, found: Found, place: Place): void {
  let filterIndex = 0;
  for (const criteria of blocks(getProperty(body, 'filter_criteria'))) {
    for (const filter of blocks(getProperty(criteria, 'filter'))) {
      addSite(getProperty(filter, 'pattern'), text, found, { ...place, filterIndex });
      filterIndex++;
    }
  }
}

/** terraform-aws-modules/eventbridge's `rules` and `archives` maps (see terraformSites.ts). */
function readModule(name: string, body: AstNode, text: string, found: Found): void {
  const address = (type: string, key: string): string => `module.${name}.${type}.this[${JSON.stringify(key)}]`;
  const rules = getProperty(body, 'rules');
  if (rules?.type === 'object') {
    for (const rule of rules.properties) {
      addSite(getProperty(rule.value, 'event_pattern'), text, found, {
        kind: 'terraformEventRule',
        dialect: 'eventbus',
        resourceId: address('aws_cloudwatch_event_rule', rule.key.value),
      });
    }
  }
  const archives = getProperty(body, 'archives');
  if (archives?.type === 'object') {
    for (const archive of archives.properties) {
      addSite(getProperty(archive.value, 'event_pattern'), text, found, {
        kind: 'terraformEventArchive',
        dialect: 'archive',
        resourceId: address('aws_cloudwatch_event_archive', archive.key.value),
      });
    }
  }
  // terraform-aws-modules/sns.
  const subscriptions = getProperty(body, 'subscriptions');
  if (subscriptions?.type === 'object') {
    for (const subscription of subscriptions.properties) {
      addSite(getProperty(subscription.value, 'filter_policy'), text, found, {
        kind: 'terraformSnsSubscription',
        dialect: 'sns',
        resourceId: address('aws_sns_topic_subscription', subscription.key.value),
        ...snsScopeOf(getProperty(subscription.value, 'filter_policy_scope'), text),
      });
    }
  }
}

/** `filter_policy_scope` as terraformSites.ts reads it: absent or null is MessageAttributes, `${...}` unknown. */
function snsScopeOf(node: AstNode | undefined, text: string): Pick<Place, 'snsScope' | 'invalidSnsScope'> {
  if (!node || node.type === 'null') return { snsScope: 'MessageAttributes' };
  if (node.type !== 'string') return { snsScope: 'MessageBody' };
  const decoded = decodeStringNode(node, text);
  const template = decodeTemplateText(decoded.value, decoded.offsets);
  if (template.substitutions.length > 0) return { snsScope: 'MessageBody' };
  if (template.value === 'MessageAttributes' || template.value === 'MessageBody') return { snsScope: template.value };
  return {
    snsScope: 'MessageBody',
    invalidSnsScope: { value: template.value, offset: node.offset, length: node.length },
  };
}

function addSite(value: AstNode | undefined, text: string, found: Found, place: Place): void {
  if (value?.type !== 'string') return;
  const site = templateSite(value, text, place);
  if (site) {
    found.sites.push(site);
    return;
  }
  const decoded = decodeStringNode(value, text);
  const template = decodeTemplateText(decoded.value, decoded.offsets);
  const only = template.substitutions[0];
  const call = only ? FILE_CALL.exec(only.name) : null;
  if (!call) return;
  found.files.push({
    path: call[2],
    range: { offset: value.offset, length: value.length },
    templated: call[1] === 'templatefile',
    kind: place.kind,
    dialect: place.dialect,
    resourceId: place.resourceId,
    ...(place.snsScope !== undefined ? { snsScope: place.snsScope } : {}),
  });
}

function templateSite(node: StringNode, text: string, place: Place): StringPatternSite | undefined {
  const decoded = decodeStringNode(node, text);
  const template = decodeTemplateText(decoded.value, decoded.offsets);
  // `"${...}"` alone: the whole value is computed at plan time.
  const only = template.substitutions[0];
  if (
    template.substitutions.length === 1 &&
    template.value.trim() === template.value.slice(only.offset, only.offset + only.length)
  ) {
    return undefined;
  }
  const value = template.value;
  const offsets = template.offsets;
  return {
    form: 'string',
    kind: place.kind,
    dialect: place.dialect,
    resourceId: place.resourceId,
    ...(place.filterIndex !== undefined ? { filterIndex: place.filterIndex } : {}),
    ...(place.snsScope !== undefined ? { snsScope: place.snsScope } : {}),
    ...(place.invalidSnsScope !== undefined ? { invalidSnsScope: place.invalidSnsScope } : {}),
    conditions: [],
    range: { offset: node.offset, length: node.length },
    valueNode: node,
    node,
    text: value,
    toDocumentOffset: (i: number) => offsets[Math.max(0, Math.min(value.length, Math.trunc(i)))],
    substitutions: template.substitutions,
    viaSub: false,
  };
}

export interface TemplateText {
  readonly value: string;
  /** `offsets[i]`: where `value[i]` comes from (an offset of the caller's choosing); `offsets[value.length]`: the end. */
  readonly offsets: number[];
  readonly substitutions: Substitution[];
}

/**
 * A Terraform template's text (already decoded from its JSON string, or a `templatefile` file's contents) as
 * Terraform reads it: `$${` and `%%{` become `${` and `%{`; each `${...}` and `%{...}` stays as written and is listed
 * (its closing brace found past nested braces and quoted strings). `offsets` maps each character of `source`
 * (and its end) somewhere: the result maps through it.
 */
export function decodeTemplateText(source: string, offsets: ArrayLike<number>): TemplateText {
  let value = '';
  const out: number[] = [];
  const substitutions: Substitution[] = [];
  for (let i = 0; i < source.length;) {
    const c = source[i];
    if ((c === '$' || c === '%') && source[i + 1] === c && source[i + 2] === '{') {
      value += c;
      out.push(offsets[i]);
      i += 2;
      continue;
    }
    if ((c === '$' || c === '%') && source[i + 1] === '{') {
      const end = closingBrace(source, i + 2);
      if (end < 0) {
        // An unclosed `${` is a syntax error Terraform reports; read the rest as text.
        value += c;
        out.push(offsets[i]);
        i++;
        continue;
      }
      const written = source.slice(i, end + 1);
      substitutions.push({
        offset: value.length,
        length: written.length,
        name: written.slice(2, -1).replace(/^~/, '').replace(/~$/, '').trim(),
      });
      for (let k = 0; k < written.length; k++) {
        value += written[k];
        out.push(offsets[i + k]);
      }
      i = end + 1;
      continue;
    }
    value += c;
    out.push(offsets[i]);
    i++;
  }
  out.push(offsets[source.length]);
  return { value, offsets: out, substitutions };
}

/** The index of the `}` closing a `${` whose content starts at `from`, or -1. */
function closingBrace(source: string, from: number): number {
  let depth = 0;
  let quote = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === '"') quote = false;
    } else if (c === '"') quote = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
