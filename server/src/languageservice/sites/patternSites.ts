// Finds the event patterns in a document ("pattern sites"): a whole pattern file, `EventPattern` of an
// EventBridge rule or archive, SAM event `Pattern`s, Pipes and Lambda filter `Pattern` strings, Serverless
// Framework `eventBridge.pattern`s. Each site says where the pattern is, which dialect applies, and how to get from
// a position inside the pattern back to the document (through JSON-in-a-string escapes when it is a string).

import {
  getProperty,
  type AstNode,
  type JsonPath,
  type ObjectNode,
  type PropertyNode,
  type StringNode,
} from '../../engine/jsonAst';
import { isIntrinsicNode, stringStyleOf, type IntrinsicNode, type SourcedStringNode } from '../parsing/documentParser';
import { matchesAnyGlob } from './fileGlobs';
import type { CodeSyntax } from './codeSyntax';
import { findTerraformJsonSites, isTerraformJsonFile } from './terraformJsonSites';
import { approximateDecodedString, decodeStringSource, type DecodedString } from '../parsing/stringSourceMap';

/**
 * Which pattern language applies: the bus and archives share one; Pipes and Lambda filters each have their own; SNS
 * subscription filter policies (`sns`) too, with a scope on the site.
 */
export type PatternDialect = 'eventbus' | 'archive' | 'pipes' | 'lambda' | 'sns';

/** What an SNS filter policy applies to (AWS's `FilterPolicyScope`; MessageAttributes when absent). */
export type SnsPolicyScope = 'MessageAttributes' | 'MessageBody';

export type PatternSiteKind =
  | 'patternFile'
  | 'eventsRule'
  | 'eventsArchive'
  | 'samEventBridgeRule'
  | 'samPullEventFilter'
  | 'pipeFilter'
  | 'eventSourceMappingFilter'
  | 'serverlessEventBridge'
  | 'serverlessFilter'
  /** `AWS::SNS::Subscription` `FilterPolicy`. */
  | 'snsSubscription'
  /** SAM `SNS` event `FilterPolicy`. */
  | 'samSnsEvent'
  /** Serverless Framework `sns` event `filterPolicy`. */
  | 'serverlessSns'
  // Terraform (terraformSites.ts, terraformJsonSites.ts): `resourceId` is the resource's address.
  | 'terraformEventRule'
  | 'terraformEventArchive'
  | 'terraformPipeFilter'
  | 'terraformEventSourceMappingFilter'
  /** `aws_sns_topic_subscription` `filter_policy` (dialect sns). */
  | 'terraformSnsSubscription';

/** A site whose form is wrong for where it is: worth a diagnostic of its own, before any pattern check. */
export type PatternSiteMarker =
  /** `AWS::Events::Archive` `EventPattern` written as a string (AWS takes an object there). */
  | 'stringPatternNotAllowed'
  /** A filter `Pattern` written as an object (Pipes and Lambda take a JSON string). */
  | 'objectPatternNotAllowed';

export interface TextSpan {
  readonly offset: number;
  readonly length: number;
}

/** A `${Name}` of `Fn::Sub` inside a string pattern, in offsets of the site's `text`. */
export interface Substitution extends TextSpan {
  readonly name: string;
}

interface PatternSiteBase {
  readonly kind: PatternSiteKind;
  readonly dialect: PatternDialect;
  /** The pattern's range in the document (for a string pattern: the string literal, quotes included). */
  readonly range: TextSpan;
  /** The node written as the property's value (e.g. the `!Sub` or `!If` around the pattern). */
  readonly valueNode: AstNode;
  /** Logical ID of the CloudFormation resource holding the pattern. */
  readonly resourceId?: string;
  /** SAM event name, or `function.events[i]` for the Serverless Framework. */
  readonly eventId?: string;
  /** Index in `FilterCriteria.Filters`. */
  readonly filterIndex?: number;
  /** `Fn::If` branches leading to this pattern: `Cond` for the true branch, `!Cond` for the false one. */
  readonly conditions: readonly string[];
  readonly marker?: PatternSiteMarker;
  /**
   * For dialect `sns`: the scope the policy is checked and run with. A scope unknown until deploy (an intrinsic) or
   * misspelled is taken as MessageBody, which accepts every policy MessageAttributes does and nested ones too, so
   * that nothing is flagged that the deployed scope might accept.
   */
  readonly snsScope?: SnsPolicyScope;
  /** For dialect `sns`: a `FilterPolicyScope` that is neither scope (SNS refuses the subscription). */
  readonly invalidSnsScope?: { readonly value: string; readonly offset: number; readonly length: number };
  /**
   * How text is written into the pattern, for a pattern in code (CDK, Terraform: see codeSites.ts). Without it the
   * pattern is JSON or YAML text, written as such.
   */
  readonly syntax?: CodeSyntax;
  /** A name for the rule holding the pattern, when it is in code (the construct's id, the Terraform resource's name). */
  readonly name?: string;
}

/** A pattern written as YAML/JSON structure (normally an object; anything else is for the validator to reject). */
export interface ObjectPatternSite extends PatternSiteBase {
  readonly form: 'object';
  readonly node: AstNode;
  /** True when written as `Fn::ToJsonString` of the structure (so the deployed value is a string). */
  readonly viaToJsonString: boolean;
}

/** A pattern written as JSON text inside a string. */
export interface StringPatternSite extends PatternSiteBase {
  readonly form: 'string';
  /** The string node holding the JSON text. */
  readonly node: StringNode;
  /** The decoded JSON text. */
  readonly text: string;
  /** The document offset of `text[i]` (of its escape sequence, for an escaped character); `text.length` maps to the end. */
  toDocumentOffset(i: number): number;
  /** `${...}` ranges inside `text` when the string is an `Fn::Sub` template (not `${!Literal}`). */
  readonly substitutions: readonly Substitution[];
  readonly viaSub: boolean;
}

export type PatternSite = ObjectPatternSite | StringPatternSite;

export interface PatternSiteOptions {
  /** User globs for standalone pattern files, besides `*.eventpattern.json|yaml|yml`. */
  readonly patternFileGlobs?: readonly string[];
}

const BUILT_IN_PATTERN_FILE = /\.eventpattern\.(?:json|ya?ml)$/i;
const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
/** SAM event types whose `FilterCriteria` is a Lambda event-source-mapping filter. */
const SAM_PULL_EVENT_TYPES: ReadonlySet<string> = new Set([
  'SQS',
  'Kinesis',
  'DynamoDB',
  'MSK',
  'MQ',
  'SelfManagedKafka',
  'DocumentDB',
]);
const SAM_EVENTBRIDGE_EVENT_TYPES: ReadonlySet<string> = new Set(['EventBridgeRule', 'CloudWatchEvent']);
/** Serverless Framework event kinds with `filterPatterns` (Lambda event-source filters written as objects). */
const SERVERLESS_FILTER_EVENTS: readonly string[] = ['sqs', 'stream', 'msk', 'kafka'];
/** `Fn::If` nesting followed when looking for patterns (a bound, not a CloudFormation limit). */
const MAX_CONDITION_DEPTH = 16;

/** What the AWS property accepts. */
type AcceptedForm = 'objectOrString' | 'object' | 'string';

interface SiteContext {
  readonly kind: PatternSiteKind;
  readonly dialect: PatternDialect;
  readonly accepts: AcceptedForm;
  readonly resourceId?: string;
  readonly eventId?: string;
  readonly filterIndex?: number;
  readonly snsScope?: SnsPolicyScope;
  readonly invalidSnsScope?: { readonly value: string; readonly offset: number; readonly length: number };
}

export function findPatternSites(
  root: AstNode | undefined,
  text: string,
  uri: string,
  options: PatternSiteOptions = {},
): PatternSite[] {
  if (!root) return [];
  const sites: PatternSite[] = [];
  if (isPatternFile(uri, options)) {
    sites.push(
      objectSite(root, root, { kind: 'patternFile', dialect: 'eventbus', accepts: 'objectOrString' }, [], false),
    );
    return sites;
  }
  if (isTerraformJsonFile(uri)) return findTerraformJsonSites(root, text, uri);
  if (root.type !== 'object') return sites;
  if (isServerlessConfig(root)) {
    collectServerlessSites(root, text, sites);
    // `resources.Resources` is plain CloudFormation.
    collectTemplateResources(getProperty(getProperty(root, 'resources'), 'Resources'), text, sites);
  } else if (isCloudFormationTemplate(root)) {
    collectTemplateResources(getProperty(root, 'Resources'), text, sites);
  }
  return sites;
}

/**
 * The `Resources` of a CloudFormation or SAM template (not a pattern file or a Serverless Framework file): then every
 * pattern site lies in one of its entries, and the sites of an entry depend on that entry alone (findResourceSites),
 * so an edit inside one entry can only change that entry's sites.
 */
export function templateResources(
  root: AstNode | undefined,
  uri: string,
  options: PatternSiteOptions = {},
): ObjectNode | undefined {
  if (!root || root.type !== 'object' || isPatternFile(uri, options) || isServerlessConfig(root)) return undefined;
  if (!isCloudFormationTemplate(root)) return undefined;
  const resources = getProperty(root, 'Resources');
  return resources?.type === 'object' ? resources : undefined;
}

/** The pattern sites of one entry of a template's `Resources` (see templateResources), in document order. */
export function findResourceSites(entry: PropertyNode, text: string): PatternSite[] {
  const sites: PatternSite[] = [];
  collectResource(entry, text, sites);
  return sites;
}

export function isPatternFile(uri: string, options: PatternSiteOptions = {}): boolean {
  return BUILT_IN_PATTERN_FILE.test(uri) || matchesAnyGlob(uri, options.patternFileGlobs ?? []);
}

/** A CloudFormation or SAM template, by content whatever the file name. */
export function isCloudFormationTemplate(root: AstNode): boolean {
  if (root.type !== 'object') return false;
  if (getProperty(root, 'AWSTemplateFormatVersion') !== undefined) return true;
  const transform = getProperty(root, 'Transform');
  if (transform?.type === 'string' && transform.value === SAM_TRANSFORM) return true;
  if (transform?.type === 'array' && transform.items.some((t) => t.type === 'string' && t.value === SAM_TRANSFORM)) {
    return true;
  }
  const resources = getProperty(root, 'Resources');
  if (resources?.type !== 'object') return false;
  return resources.properties.some((p) => {
    const type = getProperty(p.value, 'Type');
    return type?.type === 'string' && type.value.startsWith('AWS::');
  });
}

/**
 * A Serverless Framework service file (`serverless.yml`), by its top-level keys: `service` (which the framework
 * requires) with `provider`, `functions` or a CloudFormation `resources.Resources`; or, without `service` (a file
 * another one includes, say), two of those three. A file with functions but no `service` is not one: CloudFormation
 * keys are capitalised, and a template is never read as a Serverless file.
 */
export function isServerlessConfig(root: AstNode): boolean {
  if (root.type !== 'object') return false;
  if (getProperty(root, 'Resources') !== undefined || getProperty(root, 'AWSTemplateFormatVersion') !== undefined) {
    return false;
  }
  const signs =
    (getProperty(root, 'provider')?.type === 'object' ? 1 : 0) +
    (getProperty(root, 'functions')?.type === 'object' ? 1 : 0) +
    (getProperty(getProperty(root, 'resources'), 'Resources')?.type === 'object' ? 1 : 0);
  return getProperty(root, 'service') !== undefined ? signs >= 1 : signs >= 2;
}

/** What a document is read as: where its patterns are looked for, and whether its syntax errors are ours to report. */
export type DocumentKind = 'patternFile' | 'template' | 'serverless' | 'code';

/**
 * The kind of a document, from its name and content. With syntax errors the tree may have lost what shows a template
 * (`syntaxErrors`: then the text is looked at too), so that a template broken near its top still gets its errors.
 */
export function documentKind(
  root: AstNode | undefined,
  uri: string,
  options: PatternSiteOptions = {},
  brokenText?: string,
): DocumentKind | undefined {
  if (isPatternFile(uri, options)) return 'patternFile';
  if (root?.type === 'object') {
    if (isServerlessConfig(root)) return 'serverless';
    if (isCloudFormationTemplate(root)) return 'template';
  }
  if (brokenText === undefined) return undefined;
  if (TEMPLATE_TEXT.test(brokenText)) return 'template';
  return SERVICE_LINE.test(brokenText) && PROVIDER_LINE.test(brokenText) ? 'serverless' : undefined;
}

// What shows a template or a Serverless file in a text that did not parse: the format version, the SAM transform, a
// resource type (`Type: AWS::...`, in JSON or YAML); `service:` and `provider:` at the start of lines.
const TEMPLATE_TEXT =
  /\bAWSTemplateFormatVersion\b|\bAWS::Serverless-2016-10-31\b|["']?\bType["']?[ \t]*:[ \t]*["']?AWS::[A-Za-z0-9]+::[A-Za-z0-9]/;
const SERVICE_LINE = /^service[ \t]*:/m;
const PROVIDER_LINE = /^provider[ \t]*:/m;

/** The resource type whose `TemplateBody` holds a whole template as text. */
export const STACK_SET_TYPE = 'AWS::CloudFormation::StackSet';

/** A template written as text in a string of the document: an `AWS::CloudFormation::StackSet`'s `TemplateBody`. */
export interface EmbeddedTemplateSite {
  readonly resourceId: string;
  /** The string (a `!Sub` body is not read: what it becomes is only known at deploy). */
  readonly node: StringNode;
}

/** The StackSet template bodies of a template or Serverless file, in document order. */
export function findEmbeddedTemplates(
  root: AstNode | undefined,
  uri: string,
  options: PatternSiteOptions = {},
): EmbeddedTemplateSite[] {
  const kind = documentKind(root, uri, options);
  const resources =
    kind === 'template'
      ? getProperty(root, 'Resources')
      : kind === 'serverless'
        ? getProperty(getProperty(root, 'resources'), 'Resources')
        : undefined;
  const found: EmbeddedTemplateSite[] = [];
  if (resources?.type !== 'object') return found;
  for (const entry of resources.properties) {
    if (resourceTypeOf(entry) !== STACK_SET_TYPE) continue;
    const body = getProperty(getProperty(entry.value, 'Properties'), 'TemplateBody');
    if (body?.type === 'string') found.push({ resourceId: entry.key.value, node: body });
  }
  return found;
}

/**
 * A `Resources` entry's `Type` when it is a string. Kept per entry node: a node the incremental analysis carries over
 * is unchanged (only moved), and every edit reads the types of all 5,000 entries of a large template.
 */
export function resourceTypeOf(entry: PropertyNode): string | undefined {
  const kept = entryTypes.get(entry);
  if (kept !== undefined) return kept ?? undefined;
  const type = getProperty(entry.value, 'Type');
  const value = type?.type === 'string' ? type.value : undefined;
  entryTypes.set(entry, value ?? null);
  return value;
}

const entryTypes = new WeakMap<PropertyNode, string | null>();

function collectTemplateResources(resources: AstNode | undefined, text: string, sites: PatternSite[]): void {
  if (resources?.type !== 'object') return;
  for (const entry of resources.properties) collectResource(entry, text, sites);
}

function collectResource(entry: PropertyNode, text: string, sites: PatternSite[]): void {
  const resource = entry.value;
  const type = getProperty(resource, 'Type');
  if (type?.type !== 'string') return;
  const resourceId = entry.key.value;
  const properties = getProperty(resource, 'Properties');
  switch (type.value) {
    case 'AWS::Events::Rule':
      addPatternValue(getProperty(properties, 'EventPattern'), text, sites, {
        kind: 'eventsRule',
        dialect: 'eventbus',
        accepts: 'objectOrString',
        resourceId,
      });
      break;
    case 'AWS::Events::Archive':
      addPatternValue(getProperty(properties, 'EventPattern'), text, sites, {
        kind: 'eventsArchive',
        dialect: 'archive',
        accepts: 'object',
        resourceId,
      });
      break;
    case 'AWS::Pipes::Pipe':
      addFilterPatterns(getProperty(getProperty(properties, 'SourceParameters'), 'FilterCriteria'), text, sites, {
        kind: 'pipeFilter',
        dialect: 'pipes',
        accepts: 'string',
        resourceId,
      });
      break;
    case 'AWS::Lambda::EventSourceMapping':
      addFilterPatterns(getProperty(properties, 'FilterCriteria'), text, sites, {
        kind: 'eventSourceMappingFilter',
        dialect: 'lambda',
        accepts: 'string',
        resourceId,
      });
      break;
    case 'AWS::SNS::Subscription':
      addPatternValue(getProperty(properties, 'FilterPolicy'), text, sites, {
        kind: 'snsSubscription',
        dialect: 'sns',
        accepts: 'objectOrString',
        resourceId,
        ...snsScopeOf(getProperty(properties, 'FilterPolicyScope')),
      });
      break;
    case 'AWS::Serverless::Function':
    case 'AWS::Serverless::StateMachine':
      collectSamEvents(getProperty(properties, 'Events'), resourceId, text, sites);
      break;
  }
}

function collectSamEvents(events: AstNode | undefined, resourceId: string, text: string, sites: PatternSite[]): void {
  if (events?.type !== 'object') return;
  for (const entry of events.properties) {
    const eventType = getProperty(entry.value, 'Type');
    if (eventType?.type !== 'string') continue;
    const properties = getProperty(entry.value, 'Properties');
    const eventId = entry.key.value;
    if (SAM_EVENTBRIDGE_EVENT_TYPES.has(eventType.value)) {
      addPatternValue(getProperty(properties, 'Pattern'), text, sites, {
        kind: 'samEventBridgeRule',
        dialect: 'eventbus',
        accepts: 'objectOrString',
        resourceId,
        eventId,
      });
    } else if (eventType.value === 'SNS') {
      addPatternValue(getProperty(properties, 'FilterPolicy'), text, sites, {
        kind: 'samSnsEvent',
        dialect: 'sns',
        accepts: 'objectOrString',
        resourceId,
        eventId,
        ...snsScopeOf(getProperty(properties, 'FilterPolicyScope')),
      });
    } else if (SAM_PULL_EVENT_TYPES.has(eventType.value)) {
      addFilterPatterns(getProperty(properties, 'FilterCriteria'), text, sites, {
        kind: 'samPullEventFilter',
        dialect: 'lambda',
        accepts: 'string',
        resourceId,
        eventId,
      });
    }
  }
}

function collectServerlessSites(root: AstNode, text: string, sites: PatternSite[]): void {
  const functions = getProperty(root, 'functions');
  if (functions?.type !== 'object') return;
  for (const fn of functions.properties) {
    const events = getProperty(fn.value, 'events');
    if (events?.type !== 'array') continue;
    events.items.forEach((event, index) => {
      const eventId = `${fn.key.value}.events[${index}]`;
      const eventBridge = getProperty(event, 'eventBridge');
      if (eventBridge) {
        addPatternValue(getProperty(eventBridge, 'pattern'), text, sites, {
          kind: 'serverlessEventBridge',
          dialect: 'eventbus',
          accepts: 'objectOrString',
          eventId,
        });
      }
      const sns = getProperty(event, 'sns');
      if (sns?.type === 'object') {
        addPatternValue(getProperty(sns, 'filterPolicy'), text, sites, {
          kind: 'serverlessSns',
          dialect: 'sns',
          accepts: 'objectOrString',
          eventId,
          ...snsScopeOf(getProperty(sns, 'filterPolicyScope')),
        });
      }
      for (const name of SERVERLESS_FILTER_EVENTS) {
        const filterPatterns = getProperty(getProperty(event, name), 'filterPatterns');
        if (filterPatterns?.type !== 'array') continue;
        filterPatterns.items.forEach((pattern, filterIndex) =>
          addPatternValue(pattern, text, sites, {
            kind: 'serverlessFilter',
            dialect: 'lambda',
            // The framework serialises these objects itself.
            accepts: 'objectOrString',
            eventId,
            filterIndex,
          }),
        );
      }
    });
  }
}

/** The scope of an SNS filter policy from its `FilterPolicyScope` value (see PatternSiteBase.snsScope). */
function snsScopeOf(
  node: AstNode | undefined,
): Pick<SiteContext, 'snsScope' | 'invalidSnsScope'> & { snsScope: SnsPolicyScope } {
  if (!node) return { snsScope: 'MessageAttributes' };
  if (node.type === 'string' && !isIntrinsicNode(node)) {
    if (node.value === 'MessageAttributes' || node.value === 'MessageBody') return { snsScope: node.value };
    return {
      snsScope: 'MessageBody',
      invalidSnsScope: { value: node.value, offset: node.offset, length: node.length },
    };
  }
  return { snsScope: 'MessageBody' };
}

/** `FilterCriteria: { Filters: [ { Pattern: ... } ] }`, with `Fn::If` allowed at each level. */
function addFilterPatterns(
  filterCriteria: AstNode | undefined,
  text: string,
  sites: PatternSite[],
  context: SiteContext,
): void {
  for (const criteria of throughConditions(filterCriteria, [])) {
    for (const filters of throughConditions(getProperty(criteria.node, 'Filters'), criteria.conditions)) {
      if (filters.node.type !== 'array') continue;
      filters.node.items.forEach((item, filterIndex) => {
        for (const filter of throughConditions(item, filters.conditions)) {
          addPatternValue(
            getProperty(filter.node, 'Pattern'),
            text,
            sites,
            { ...context, filterIndex },
            filter.conditions,
          );
        }
      });
    }
  }
}

interface ConditionalNode {
  readonly node: AstNode;
  readonly conditions: readonly string[];
}

/**
 * The values a node can take through `Fn::If` (both branches, with the condition that leads there). `AWS::NoValue`
 * branches are dropped.
 */
function throughConditions(node: AstNode | undefined, conditions: readonly string[]): ConditionalNode[] {
  const results: ConditionalNode[] = [];
  if (!node) return results;
  const work: ConditionalNode[] = [{ node, conditions }];
  while (work.length > 0) {
    const current = work.pop()!;
    const n = current.node;
    if (
      isIntrinsicNode(n) &&
      n.intrinsic === 'Fn::If' &&
      current.conditions.length - conditions.length < MAX_CONDITION_DEPTH
    ) {
      const args = n.argument;
      if (args?.type === 'array' && args.items.length === 3) {
        const condition = args.items[0];
        const name = condition.type === 'string' ? condition.value : '?';
        // Pushed in reverse so the true branch comes first.
        work.push({ node: args.items[2], conditions: [...current.conditions, `!${name}`] });
        work.push({ node: args.items[1], conditions: [...current.conditions, name] });
        continue;
      }
    }
    if (
      isIntrinsicNode(n) &&
      n.intrinsic === 'Ref' &&
      n.argument?.type === 'string' &&
      n.argument.value === 'AWS::NoValue'
    ) {
      continue;
    }
    results.push(current);
  }
  return results;
}

function addPatternValue(
  value: AstNode | undefined,
  text: string,
  sites: PatternSite[],
  context: SiteContext,
  conditions: readonly string[] = [],
): void {
  for (const candidate of throughConditions(value, conditions)) {
    const site = siteFor(candidate.node, value!, text, context, candidate.conditions);
    if (site) sites.push(site);
  }
}

function siteFor(
  node: AstNode,
  valueNode: AstNode,
  text: string,
  context: SiteContext,
  conditions: readonly string[],
): PatternSite | undefined {
  if (node.type === 'string') return stringSite(node, valueNode, text, context, conditions, false);
  if (isIntrinsicNode(node)) {
    if (node.intrinsic === 'Fn::Sub') {
      const template = subTemplate(node);
      return template ? stringSite(template, valueNode, text, context, conditions, true) : undefined;
    }
    if (node.intrinsic === 'Fn::ToJsonString' && node.argument && node.argument.type !== 'unknown') {
      return objectSite(node.argument, valueNode, context, conditions, true);
    }
    // Any other intrinsic (`!Ref PatternParameter`, `!Join`, ...): nothing to analyse before deploy.
    return undefined;
  }
  if (node.type === 'unknown') return undefined;
  return objectSite(node, valueNode, context, conditions, false);
}

/** The template string of `Fn::Sub`: `!Sub 'text'` or `!Sub ['text', {vars}]`. */
function subTemplate(node: IntrinsicNode): StringNode | undefined {
  const argument = node.argument;
  if (argument?.type === 'string') return argument;
  if (argument?.type === 'array' && argument.items[0]?.type === 'string') return argument.items[0];
  return undefined;
}

function contextFields(context: SiteContext, conditions: readonly string[]) {
  return {
    kind: context.kind,
    dialect: context.dialect,
    conditions,
    ...(context.resourceId !== undefined ? { resourceId: context.resourceId } : {}),
    ...(context.eventId !== undefined ? { eventId: context.eventId } : {}),
    ...(context.filterIndex !== undefined ? { filterIndex: context.filterIndex } : {}),
    ...(context.snsScope !== undefined ? { snsScope: context.snsScope } : {}),
    ...(context.invalidSnsScope !== undefined ? { invalidSnsScope: context.invalidSnsScope } : {}),
  };
}

function objectSite(
  node: AstNode,
  valueNode: AstNode,
  context: SiteContext,
  conditions: readonly string[],
  viaToJsonString: boolean,
): ObjectPatternSite {
  // Fn::ToJsonString turns the structure into the string the property wants.
  const deployedAsString = viaToJsonString;
  const marker: PatternSiteMarker | undefined =
    context.accepts === 'string' && !deployedAsString
      ? 'objectPatternNotAllowed'
      : context.accepts === 'object' && deployedAsString
        ? 'stringPatternNotAllowed'
        : undefined;
  return {
    form: 'object',
    ...contextFields(context, conditions),
    range: { offset: node.offset, length: node.length },
    valueNode,
    node,
    viaToJsonString,
    ...(marker ? { marker } : {}),
  };
}

function stringSite(
  node: StringNode,
  valueNode: AstNode,
  text: string,
  context: SiteContext,
  conditions: readonly string[],
  viaSub: boolean,
): StringPatternSite {
  // The parser's value is the decoded text. The offset map is built now rather than when a feature first asks for a
  // position, so that a site carried over to later versions keeps no old text alive, and relative to the node, so
  // that it still holds when an incremental analysis moves the node (and the site with it).
  const patternText = node.value;
  const offsets = decodeStringNode(node, text).offsets;
  const start = node.offset;
  for (let i = 0; i < offsets.length; i++) offsets[i] -= start;
  return {
    form: 'string',
    ...contextFields(context, conditions),
    range: { offset: node.offset, length: node.length },
    valueNode,
    node,
    text: patternText,
    toDocumentOffset: (i: number) => node.offset + offsets[Math.max(0, Math.min(patternText.length, Math.trunc(i)))],
    substitutions: viaSub ? findSubstitutions(patternText) : [],
    viaSub,
    ...(context.accepts === 'object' ? { marker: 'stringPatternNotAllowed' as const } : {}),
  };
}

/**
 * Decodes a string node with its map to the document. When the decoder and the parser disagree (a construct the
 * decoder does not model), an approximate map keeps every offset inside the string rather than mislead.
 */
export function decodeStringNode(node: StringNode, text: string): DecodedString {
  return (
    decodeStringNodeExactly(node, text) ?? approximateDecodedString(node.value, node.offset, node.offset + node.length)
  );
}

/** Decodes a string node with an exact map to the document; undefined when the decoder and the parser disagree. */
export function decodeStringNodeExactly(node: StringNode, text: string): DecodedString | undefined {
  const end = node.offset + node.length;
  const style = stringStyleOf(node) ?? (text[node.offset] === '"' ? 'json' : undefined);
  if (style === undefined || end > text.length) return undefined;
  const decoded = decodeStringSource(
    text,
    style,
    node.offset,
    end,
    (node as Partial<SourcedStringNode>).blockParentIndent,
  );
  return decoded.value === node.value ? decoded : undefined;
}

/** `${Name}` references of an `Fn::Sub` template; `${!Literal}` is an escaped literal and is skipped. */
export function findSubstitutions(template: string): Substitution[] {
  const result: Substitution[] = [];
  let from = 0;
  for (;;) {
    const start = template.indexOf('${', from);
    if (start < 0) break;
    const close = template.indexOf('}', start + 2);
    if (close < 0) break;
    if (template[start + 2] !== '!') {
      result.push({ offset: start, length: close + 1 - start, name: template.slice(start + 2, close).trim() });
    }
    from = close + 1;
  }
  return result;
}

/** Maps a span of a string site's `text` to the document, covering whole escape sequences at both ends. */
export function toDocumentSpan(site: StringPatternSite, span: TextSpan): TextSpan {
  const start = site.toDocumentOffset(span.offset);
  const end = span.length > 0 ? site.toDocumentOffset(span.offset + span.length) : start;
  return { offset: start, length: Math.max(0, end - start) };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON paths inside object-form patterns

export interface PatternPathRange {
  readonly path: JsonPath;
  readonly node: AstNode;
  /** The value's range. */
  readonly range: TextSpan;
  /** The key's range, for values of object members. */
  readonly keyRange?: TextSpan;
}

/**
 * Every value inside an object-form pattern with its JSON path (`[]` for the pattern itself), in document order.
 * Duplicate keys appear once each (the validator decides which one counts).
 */
export function patternPathRanges(patternRoot: AstNode): PatternPathRange[] {
  const result: PatternPathRange[] = [];
  const work: { node: AstNode; path: JsonPath; keyRange?: TextSpan }[] = [{ node: patternRoot, path: [] }];
  while (work.length > 0) {
    const { node, path, keyRange } = work.pop()!;
    result.push({ path, node, range: { offset: node.offset, length: node.length }, ...(keyRange ? { keyRange } : {}) });
    if (node.type === 'object') {
      for (let i = node.properties.length - 1; i >= 0; i--) {
        const property = node.properties[i];
        if (!property.value) continue;
        work.push({
          node: property.value,
          path: [...path, property.key.value],
          keyRange: { offset: property.key.offset, length: property.key.length },
        });
      }
    } else if (node.type === 'array') {
      for (let i = node.items.length - 1; i >= 0; i--) work.push({ node: node.items[i], path: [...path, i] });
    }
  }
  return result;
}

/** The node at `path` inside an object-form pattern (for duplicate keys, the last one: it is the one AWS keeps). */
export function nodeAtPatternPath(patternRoot: AstNode, path: JsonPath): AstNode | undefined {
  let node: AstNode | undefined = patternRoot;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.type === 'array' ? node.items[segment] : undefined;
    else node = getProperty(node, segment);
  }
  return node;
}
