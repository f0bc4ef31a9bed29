// The rest of a rule, checked in CloudFormation / SAM templates: its targets (how many, their Ids, the permissions
// EventBridge needs to reach them, roles, dead-letter queues, retries), what they receive (Input, InputPath,
// InputTransformer), and schedules (of rules and of EventBridge Scheduler schedules). Read from the document's
// `Resources`, not from pattern sites. A value an intrinsic function makes is unknown: it is never flagged, and a
// permission or policy whose subject is unknown counts as granting.

import {
  MAX_INPUT_PATHS,
  inputPathProblem,
  inputPathsMapKeyProblem,
  inputProblems,
  inputTemplateProblems,
  isKnownTimeZone,
  readScheduleExpression,
  type InputProblem,
  type ScheduleDialect,
} from '../../eventbridge';
import { getProperty, type AstNode, type ObjectNode, type PropertyNode, type StringNode } from '../../engine/jsonAst';
import { isIntrinsicNode } from '../parsing/parsedDocument';
import { decodeStringNode } from '../sites/patternSites';
import type { DocumentAnalysis } from '../sites/documentAnalysis';
import type { LintProblem } from './patternLint';
import {
  globMatches,
  mentions,
  propertyNamed,
  readTemplateModel,
  referenceOf,
  stringProperty,
  type Reference,
  type TemplateModel,
  type TemplateResource,
  type TemplateResources,
} from './ruleTemplate';

/** Codes of the rule checks (EB600–EB699; docs/problems.md, "The rest of the rule"). */
export enum RuleCheckCode {
  TooManyTargets = 'EB600',
  TargetIdInvalid = 'EB601',
  TargetIdDuplicate = 'EB602',
  TargetArnIsNotArn = 'EB603',
  LambdaPermissionMissing = 'EB604',
  LambdaPermissionOtherRule = 'EB605',
  LogsResourcePolicyMissing = 'EB606',
  QueuePolicyMissing = 'EB607',
  TopicPolicyMissing = 'EB608',
  RoleArnRequired = 'EB609',
  DeadLetterNotQueue = 'EB610',
  RetryPolicyOutOfRange = 'EB611',
  InputNotJson = 'EB620',
  InputTooLong = 'EB621',
  InputPathInvalid = 'EB622',
  TooManyInputPaths = 'EB623',
  InputPathsKeyInvalid = 'EB624',
  PlaceholderUndefined = 'EB625',
  InputTemplateNotJson = 'EB626',
  UnescapedVariableInString = 'EB627',
  InputPropertiesExclusive = 'EB628',
  ScheduleExpressionInvalid = 'EB640',
  UnixCron = 'EB641',
  NoPatternNorSchedule = 'EB642',
  ScheduleOnCustomBus = 'EB643',
  TimeZoneUnknown = 'EB644',
  FlexibleTimeWindowInvalid = 'EB645',
  ScheduleTargetIncomplete = 'EB646',
}

/** A value written into a resource a quick fix adds: references are written in the template's own form. */
export type FixValue =
  | string
  | number
  | { readonly $ref: string }
  | { readonly $getAtt: readonly [string, string] }
  | { readonly $sub: string }
  | readonly FixValue[]
  | { readonly [key: string]: FixValue };

export type RuleFix =
  | { readonly kind: 'replace'; readonly title: string; readonly node: StringNode; readonly value: string }
  | {
      readonly kind: 'addResource';
      readonly title: string;
      /** The new resource's logical ID (made unique when written). */
      readonly logicalId: string;
      readonly resource: { readonly Type: string; readonly Properties: FixValue };
    };

export interface RuleProblem extends LintProblem {
  readonly fix?: RuleFix;
}

const EVENTS_PRINCIPAL = 'events.amazonaws.com';

type TargetKind =
  | 'lambda'
  | 'sqs'
  | 'sns'
  | 'logs'
  | 'states'
  | 'kinesis'
  | 'firehose'
  | 'ecs'
  | 'batch'
  | 'codebuild'
  | 'codepipeline'
  | 'eventbus'
  | 'apidestination'
  | 'sagemaker'
  | 'redshift'
  | 'ssm'
  | 'other';

/** Resource types a target's ARN may come from, and the target they make. */
const KIND_OF_TYPE: Readonly<Record<string, TargetKind>> = {
  'AWS::Lambda::Function': 'lambda',
  'AWS::Serverless::Function': 'lambda',
  'AWS::Lambda::Alias': 'lambda',
  'AWS::Lambda::Version': 'lambda',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::Logs::LogGroup': 'logs',
  'AWS::StepFunctions::StateMachine': 'states',
  'AWS::Serverless::StateMachine': 'states',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::KinesisFirehose::DeliveryStream': 'firehose',
  'AWS::ECS::Cluster': 'ecs',
  'AWS::Batch::JobQueue': 'batch',
  'AWS::CodeBuild::Project': 'codebuild',
  'AWS::CodePipeline::Pipeline': 'codepipeline',
  'AWS::Events::EventBus': 'eventbus',
  'AWS::Events::ApiDestination': 'apidestination',
  'AWS::SageMaker::Pipeline': 'sagemaker',
};

/** Resource types whose `Ref` is not their ARN, and what it is. */
const REF_IS_NOT_ARN: Readonly<Record<string, { readonly is: string; readonly write: string }>> = {
  'AWS::SQS::Queue': { is: 'the queue URL', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::Lambda::Function': { is: 'the function name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::Serverless::Function': { is: 'the function name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::Logs::LogGroup': { is: 'the log group name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::Events::EventBus': { is: 'the event bus name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::Kinesis::Stream': { is: 'the stream name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::KinesisFirehose::DeliveryStream': { is: 'the delivery stream name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::ECS::Cluster': { is: 'the cluster name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::CodeBuild::Project': { is: 'the project name', write: 'Fn::GetAtt <id>.Arn' },
  'AWS::CodePipeline::Pipeline': {
    is: 'the pipeline name',
    write: 'Fn::Sub arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${<id>}',
  },
  'AWS::Events::ApiDestination': { is: 'the API destination name', write: 'Fn::GetAtt <id>.Arn' },
};

/** Services (the third part of an ARN) and the target they make. */
const KIND_OF_SERVICE: Readonly<Record<string, TargetKind>> = {
  lambda: 'lambda',
  sqs: 'sqs',
  sns: 'sns',
  logs: 'logs',
  states: 'states',
  kinesis: 'kinesis',
  firehose: 'firehose',
  ecs: 'ecs',
  batch: 'batch',
  codebuild: 'codebuild',
  codepipeline: 'codepipeline',
  sagemaker: 'sagemaker',
  redshift: 'redshift',
  ssm: 'ssm',
};

/** Targets EventBridge reaches only through a role given in RoleArn (PutTargets). */
const NEEDS_ROLE: Readonly<Partial<Record<TargetKind, string>>> = {
  states: 'a Step Functions state machine',
  kinesis: 'a Kinesis data stream',
  firehose: 'a Firehose delivery stream',
  ecs: 'an ECS task',
  batch: 'a Batch job queue',
  codebuild: 'a CodeBuild project',
  codepipeline: 'a CodePipeline pipeline',
  apidestination: 'an API destination',
  sagemaker: 'a SageMaker pipeline',
  redshift: 'a Redshift cluster (Data API)',
  ssm: 'Systems Manager (Run Command or Automation)',
  eventbus: 'an event bus of the same account and Region',
};

interface TargetRef {
  readonly kind: TargetKind | undefined;
  /** The template resource the ARN refers to (the function, queue...). */
  readonly resource: TemplateResource | undefined;
  readonly reference: Reference;
}

function targetOf(arn: AstNode | undefined, model: TemplateModel): TargetRef {
  const reference = referenceOf(arn, model);
  const direct =
    reference.mentions.length === 1 &&
    reference.text ===
      `\${${reference.mentions[0].id}${reference.mentions[0].attr !== undefined ? `.${reference.mentions[0].attr}` : ''}}`;
  if (direct) {
    const resource = model.resources.get(reference.mentions[0].id)!;
    return { kind: KIND_OF_TYPE[resource.type] ?? 'other', resource, reference };
  }
  // `${AWS::Partition}` and the like hold colons: read the ARN with each `${…}` as one word.
  const flat = reference.text !== undefined ? flatArn(reference.text) : undefined;
  const m = flat !== undefined ? /^arn:[^:]*:([^:]+):[^:]*:[^:]*:(.*)$/.exec(flat) : null;
  if (!m) return { kind: undefined, resource: undefined, reference };
  let kind: TargetKind | undefined = KIND_OF_SERVICE[m[1]];
  if (m[1] === 'events')
    kind = m[2].startsWith('event-bus/')
      ? 'eventbus'
      : m[2].startsWith('api-destination/')
        ? 'apidestination'
        : 'other';
  if (m[1] === 'redshift' && !m[2].startsWith('cluster:')) kind = 'other';
  if (m[1] === 'ssm' && !/^(document|automation-definition)\//.test(m[2])) kind = 'other';
  // The resource named in the ARN's `${X}`, when it is of the kind the ARN says.
  const resource = reference.mentions
    .map((x) => model.resources.get(x.id)!)
    .find((r) => kind !== undefined && KIND_OF_TYPE[r.type] === kind);
  return { kind: kind ?? 'other', resource, reference };
}

/**
 * Checks of a document's rules, schedules and their targets; empty for what is not a template.
 *
 * Each resource's checks are kept with what they read from the rest of the template (the resources they looked up
 * by ID, the lists of permissions and policies they went through) and given again, moved with the resource, for a
 * later version whose incremental analysis kept the resource's node (unchanged, only moved: see incrementalParse.ts)
 * and in which all they read is as it was. An edit then checks the resources it changed and those that read them,
 * not all 5,000 of a large template. Keyed by nodes and analyses, weakly: nothing outlives its document, and the
 * result is always that of checking everything anew (a property test holds it to that).
 */
export function ruleChecks(doc: DocumentAnalysis): RuleProblem[] {
  const memo = checkedAnalyses.get(doc);
  if (memo) return memo;
  const model = readTemplateModel(doc);
  const out: RuleProblem[] = [];
  if (model) {
    const tokens = new TypeTokens(model);
    // What a policy's list of queues or topics names, once per version (a policy of 1,000 queues is read for every
    // rule that targets one of them); it depends on the policies (their type's token) and on which IDs exist.
    const coverages = new Map<AstNode, PolicyCoverage>();
    const coverageOf = (subjects: AstNode): PolicyCoverage => {
      let c = coverages.get(subjects);
      if (!c) {
        const items = subjects.type === 'array' ? subjects.items : [subjects];
        const ids = new Set<string>();
        let unknown = false;
        for (const item of items) {
          const r = referenceOf(item, model);
          for (const m of r.mentions) ids.add(m.id);
          if (r.mentions.length === 0 && r.external) unknown = true;
        }
        coverages.set(subjects, (c = { ids, unknown }));
      }
      return c;
    };
    const broken = doc.syntaxErrors.filter((e) => e.severity === 'error').map((e) => e.offset);
    for (const resource of model.resources.values()) {
      if (!CHECKED_TYPES.has(resource.type)) continue;
      // A resource with a syntax error in it is the parser's guess: its checks would be invented.
      const { offset, length } = resource.entry;
      if (broken.length > 0 && broken.some((b) => b >= offset && b <= offset + length)) continue;
      const kept = keptChecks.get(resource.entry);
      if (kept && kept.reads.hold(model, tokens)) {
        const shift = offset - kept.entryOffset;
        for (const p of kept.problems) out.push(shift === 0 ? p : { ...p, offset: p.offset + shift });
        continue;
      }
      const reads = new Reads(tokens);
      const problems: RuleProblem[] = [];
      const coverage = (subjects: AstNode): PolicyCoverage => {
        reads.dependOnIds();
        return coverageOf(subjects);
      };
      checkResource({ doc, model: reads.tracking(model), out: problems, coverage }, resource);
      out.push(...problems);
      // Kept only when every problem lies in the resource (so that it moves with it), and what was read is known.
      const sealed = reads.seal();
      if (sealed && problems.every((p) => p.offset >= offset && p.offset + p.length <= offset + length))
        keptChecks.set(resource.entry, { entryOffset: offset, reads: sealed, problems });
    }
    out.sort((a, b) => a.offset - b.offset);
  }
  checkedAnalyses.set(doc, out);
  return out;
}

const CHECKED_TYPES: ReadonlySet<string> = new Set([
  'AWS::Events::Rule',
  'AWS::Scheduler::Schedule',
  'AWS::Serverless::Function',
  'AWS::Serverless::StateMachine',
]);

function checkResource(ctx: CheckContext, resource: TemplateResource): void {
  try {
    if (resource.type === 'AWS::Events::Rule') checkRule(ctx, resource);
    else if (resource.type === 'AWS::Scheduler::Schedule') checkSchedule(ctx, resource.properties, 'scheduler', true);
    else checkSamEvents(ctx, resource);
  } catch {
    // One resource's checks never take the others (or validation) down.
  }
}

/** The checks of an analysis (validation and code actions ask for the same version's). */
const checkedAnalyses = new WeakMap<DocumentAnalysis, RuleProblem[]>();

/** A resource's checks as of the version that computed them, placed where its entry was then. */
interface KeptChecks {
  readonly entryOffset: number;
  readonly reads: SealedReads;
  readonly problems: readonly RuleProblem[];
}

const keptChecks = new WeakMap<PropertyNode, KeptChecks>();

/**
 * Identities of the lists of resources of each type, and of the list of IDs: the same token as long as a list holds
 * the same entry nodes (carried over by the incremental analysis) or IDs, a new one when any of them changed, came or
 * went.
 */
class TypeTokens {
  private readonly current = new Map<string | typeof ALL_IDS, object>();
  constructor(private readonly model: TemplateModel) {}

  /** The IDs of the template's resources, in order. */
  ids(): object {
    return this.token(ALL_IDS, () => [...this.model.resources.values()].map((r) => r.id));
  }

  of(type: string): object {
    return this.token(type, () => this.model.resources.ofType(type).map((r) => r.entry));
  }

  private token(key: string | typeof ALL_IDS, read: () => readonly unknown[]): object {
    let token = this.current.get(key);
    if (token) return token;
    const items = read();
    let previous = previousLists.get(this.model.resourcesNode);
    if (!previous) {
      previous = new Map<string | typeof ALL_IDS, TokenList>();
      previousLists.set(this.model.resourcesNode, previous);
    }
    const before = previous.get(key);
    token =
      before && before.items.length === items.length && before.items.every((x, i) => x === items[i])
        ? before.token
        : {};
    previous.set(key, { items, token });
    this.current.set(key, token);
    return token;
  }
}

const ALL_IDS = Symbol('the template IDs');

/** Per `Resources` node (kept across versions by the incremental analysis): the lists TypeTokens compares. */
const previousLists = new WeakMap<ObjectNode, Map<string | typeof ALL_IDS, TokenList>>();

interface TokenList {
  readonly items: readonly unknown[];
  readonly token: object;
}

/** What one resource's checks read from the rest of the template, while they run. */
class Reads {
  /** IDs looked up, and the entry each named then (undefined: none). */
  private readonly ids = new Map<string, PropertyNode | undefined>();
  /** Types whose resources were listed, and the list's token then. */
  private readonly types = new Map<string, object>();
  /** IDs only tested for existence, and whether they existed. */
  private readonly exists = new Map<string, boolean>();
  /**
   * Past MAX_EXISTENCE_READS of them (a policy's list of 1,000 queues is read so for every rule that targets a queue),
   * the token of the template's IDs, one comparison for all.
   */
  private existence: object | undefined;
  /** Every resource was gone through: nothing to compare, never kept. */
  private all = false;

  constructor(private readonly tokens: TypeTokens) {}

  /** What was read depends on which IDs exist (all of them). */
  dependOnIds(): void {
    this.existence ??= this.tokens.ids();
  }

  /** The model as the checks see it, noting what they read. */
  tracking(model: TemplateModel): TemplateModel {
    const tokens = this.tokens;
    const resources: TemplateResources = {
      get: (id) => {
        const r = model.resources.get(id);
        this.ids.set(id, r?.entry);
        return r;
      },
      has: (id) => {
        const exists = model.resources.has(id);
        if (this.existence === undefined && this.exists.size < MAX_EXISTENCE_READS) this.exists.set(id, exists);
        else this.existence ??= tokens.ids();
        return exists;
      },
      values: () => {
        this.all = true;
        return model.resources.values();
      },
      ofType: (...types) => {
        for (const t of types) this.types.set(t, tokens.of(t));
        return model.resources.ofType(...types);
      },
    };
    return { resourcesNode: model.resourcesNode, resources };
  }

  /** What was read, to compare with a later version (see SealedReads); undefined after going through everything. */
  seal(): SealedReads | undefined {
    return this.all
      ? undefined
      : new SealedReads(
          [...this.ids.keys()],
          [...this.ids.values()],
          [...this.types.keys()],
          [...this.types.values()],
          [...this.exists.keys()],
          [...this.exists.values()],
          this.existence,
        );
  }
}

/** What a resource's checks read, in arrays (every edit compares those of all 5,000 resources of a large template). */
class SealedReads {
  constructor(
    private readonly ids: readonly string[],
    private readonly entries: readonly (PropertyNode | undefined)[],
    private readonly types: readonly string[],
    private readonly tokens: readonly object[],
    private readonly tested: readonly string[],
    private readonly existed: readonly boolean[],
    private readonly existence: object | undefined,
  ) {}

  /** Whether everything read is as it was. */
  hold(model: TemplateModel, tokens: TypeTokens): boolean {
    if (this.existence && tokens.ids() !== this.existence) return false;
    for (let i = 0; i < this.tested.length; i++)
      if (model.resources.has(this.tested[i]) !== this.existed[i]) return false;
    for (let i = 0; i < this.ids.length; i++)
      if (model.resources.get(this.ids[i])?.entry !== this.entries[i]) return false;
    for (let i = 0; i < this.types.length; i++) if (tokens.of(this.types[i]) !== this.tokens[i]) return false;
    return true;
  }
}

/** How many IDs a resource's checks test for existence one by one (see Reads.existence). */
const MAX_EXISTENCE_READS = 16;

interface CheckContext {
  readonly doc: DocumentAnalysis;
  readonly model: TemplateModel;
  readonly out: RuleProblem[];
  /** What a policy's subject (a list of queues or topics, or one) names: see ruleChecks. */
  readonly coverage: (subjects: AstNode) => PolicyCoverage;
}

/** The template's resources a policy's subjects name, and whether one of them may be anything (a parameter...). */
interface PolicyCoverage {
  readonly ids: ReadonlySet<string>;
  readonly unknown: boolean;
}

function report(
  ctx: CheckContext,
  code: RuleCheckCode,
  span: { offset: number; length: number },
  message: string,
  severity: RuleProblem['severity'],
  fromAws: boolean,
  fix?: RuleFix,
): void {
  ctx.out.push({
    code: code as unknown as RuleProblem['code'],
    message,
    severity,
    offset: span.offset,
    length: span.length,
    fromAws,
    ...(fix ? { fix } : {}),
  });
}

/** The span of a property's key (where a missing or wrong value of it is reported). */
function keySpan(node: AstNode | undefined, key: string): { offset: number; length: number } | undefined {
  const p = propertyNamed(node, key);
  return p ? { offset: p.key.offset, length: p.key.length } : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// AWS::Events::Rule

function checkRule(ctx: CheckContext, rule: TemplateResource): void {
  const props = rule.properties;
  const at = keySpan(rule.entry.value, 'Properties') ?? {
    offset: rule.entry.key.offset,
    length: rule.entry.key.length,
  };
  if (props !== undefined && props.type !== 'object') return;
  const pattern = getProperty(props, 'EventPattern');
  const schedule = getProperty(props, 'ScheduleExpression');
  if (pattern === undefined && schedule === undefined)
    report(
      ctx,
      RuleCheckCode.NoPatternNorSchedule,
      { offset: rule.entry.key.offset, length: rule.entry.key.length },
      'Parameter(s) EventPattern or ScheduleExpression must be specified.',
      'error',
      true,
    );
  if (schedule !== undefined) {
    checkExpression(ctx, schedule, 'rule');
    const bus = getProperty(props, 'EventBusName');
    if (bus?.type === 'string' && bus.value !== 'default' && !/:event-bus\/default$/.test(bus.value))
      report(
        ctx,
        RuleCheckCode.ScheduleOnCustomBus,
        keySpan(props, 'ScheduleExpression') ?? at,
        `ScheduleExpression is supported only on the default event bus. (EventBusName is "${bus.value}"; for schedules on other buses use EventBridge Scheduler, AWS::Scheduler::Schedule)`,
        'error',
        true,
      );
  }
  const targets = getProperty(props, 'Targets');
  if (targets?.type !== 'array') return;
  if (targets.items.length > 5)
    report(
      ctx,
      RuleCheckCode.TooManyTargets,
      keySpan(props, 'Targets') ?? at,
      `A rule can have at most 5 targets; this one has ${targets.items.length} (PutTargets answers LimitExceededException)`,
      'error',
      true,
    );
  const ids = new Map<string, StringNode>();
  const ruleHasRole = getProperty(props, 'RoleArn') !== undefined;
  for (const target of targets.items) {
    if (target.type !== 'object') continue;
    const id = getProperty(target, 'Id');
    if (id?.type === 'string') {
      if (id.value.length < 1 || id.value.length > 64 || !/^[.\-_A-Za-z0-9]+$/.test(id.value))
        report(
          ctx,
          RuleCheckCode.TargetIdInvalid,
          id,
          `The target Id "${id.value}" is not valid: 1 to 64 characters of letters, digits, ".", "-" and "_" (pattern [\\.\\-_A-Za-z0-9]+)`,
          'error',
          true,
        );
      const earlier = ids.get(id.value);
      if (earlier)
        report(
          ctx,
          RuleCheckCode.TargetIdDuplicate,
          id,
          `The target Id "${id.value}" is used twice in this rule: each target needs its own`,
          'error',
          true,
        );
      else ids.set(id.value, id);
    }
    checkTarget(ctx, rule, target, ruleHasRole);
  }
}

function checkTarget(ctx: CheckContext, rule: TemplateResource, target: AstNode, ruleHasRole: boolean): void {
  const arnNode = getProperty(target, 'Arn');
  const t = targetOf(arnNode, ctx.model);
  const arnSpan = arnNode ?? keySpan(target, 'Arn') ?? target;
  // `Ref` of a queue, function, log group... is not its ARN.
  // The Arn is exactly `Ref X` (not a `Fn::Join` or `Fn::Sub` that builds an ARN around it).
  const only = isDirectRef(t.reference) ? t.reference.mentions[0] : undefined;
  if (only?.via === 'Ref' && t.resource && REF_IS_NOT_ARN[t.resource.type]) {
    const r = REF_IS_NOT_ARN[t.resource.type];
    report(
      ctx,
      RuleCheckCode.TargetArnIsNotArn,
      arnSpan,
      `Ref of ${t.resource.id} (${t.resource.type}) returns ${r.is}, not an ARN: a target's Arn takes ${r.write.replace(/<id>/g, t.resource.id)}`,
      'error',
      false,
    );
  }
  checkInput(ctx, target);
  checkRetryAndDeadLetter(ctx, target);
  const hasRole = ruleHasRole || getProperty(target, 'RoleArn') !== undefined;
  let kind = t.kind;
  if (getProperty(target, 'EcsParameters') !== undefined) kind = 'ecs';
  if (getProperty(target, 'RunCommandParameters') !== undefined) kind = 'ssm';
  if (getProperty(target, 'RedshiftDataParameters') !== undefined) kind = 'redshift';
  if (getProperty(target, 'SageMakerPipelineParameters') !== undefined) kind = 'sagemaker';
  // An event bus only in the template is known to be in the same account and Region (only then is a role certain).
  if (kind === 'eventbus' && !t.resource) kind = 'other';
  const needs = kind ? NEEDS_ROLE[kind] : undefined;
  if (needs && !hasRole)
    report(
      ctx,
      RuleCheckCode.RoleArnRequired,
      keySpan(target, 'Arn') ?? target,
      `EventBridge reaches ${needs} only through an IAM role: give this target a RoleArn (a role that events.amazonaws.com can assume, allowed to invoke the target)`,
      'error',
      false,
    );
  if (!t.resource || (only?.via === 'Ref' && REF_IS_NOT_ARN[t.resource.type])) return;
  // With a role, EventBridge delivers as the role (as it does across accounts): the role's permissions count, which
  // the template's IAM policies may grant in many forms; the resource policy is then not what decides.
  if (hasRole && kind !== 'logs') return;
  if (kind === 'lambda') checkLambdaPermission(ctx, rule, t.resource, arnSpan);
  else if (kind === 'sqs') checkQueuePolicy(ctx, t.resource, arnSpan);
  else if (kind === 'sns') checkTopicPolicy(ctx, t.resource, arnSpan);
  else if (kind === 'logs') checkLogsPolicy(ctx, t.resource, arnSpan);
}

/** The value is exactly `Ref X` of a template resource. */
function isDirectRef(r: Reference): boolean {
  return r.mentions.length === 1 && r.mentions[0].via === 'Ref' && r.text === `\${${r.mentions[0].id}}`;
}

/** The value is exactly `Fn::GetAtt X.A` of a template resource. */
function isDirectGetAtt(r: Reference): boolean {
  return r.mentions.length === 1 && r.mentions[0].via === 'GetAtt';
}

/** An ARN's text with each `${…}` as one word (`${AWS::Partition}` holds colons). */
function flatArn(text: string): string {
  return text.replace(/\$\{[^}]*\}/g, '_');
}

function checkRetryAndDeadLetter(ctx: CheckContext, target: AstNode): void {
  const retry = getProperty(target, 'RetryPolicy');
  for (const [key, min, max] of [
    ['MaximumRetryAttempts', 0, 185],
    ['MaximumEventAgeInSeconds', 60, 86400],
  ] as const) {
    const v = getProperty(retry, key);
    const n =
      v?.type === 'number' ? v.value : v?.type === 'string' && /^-?\d+$/.test(v.value) ? Number(v.value) : undefined;
    if (v && n !== undefined && (n < min || n > max || !Number.isInteger(n)))
      report(
        ctx,
        RuleCheckCode.RetryPolicyOutOfRange,
        v,
        `RetryPolicy ${key} must be a whole number from ${min} to ${max}, not ${n}`,
        'error',
        true,
      );
  }
  const dlq = getProperty(getProperty(target, 'DeadLetterConfig'), 'Arn');
  if (!dlq) return;
  const r = referenceOf(dlq, ctx.model);
  const only = isDirectRef(r) || isDirectGetAtt(r) ? r.mentions[0] : undefined;
  const resource = only ? ctx.model.resources.get(only.id) : undefined;
  if (only?.via === 'Ref' && resource?.type === 'AWS::SQS::Queue')
    report(
      ctx,
      RuleCheckCode.DeadLetterNotQueue,
      dlq,
      `Ref of ${resource.id} returns the queue URL: DeadLetterConfig.Arn takes the queue's ARN (Fn::GetAtt ${resource.id}.Arn)`,
      'error',
      false,
    );
  else if (
    resource &&
    only &&
    resource.type !== 'AWS::SQS::Queue' &&
    r.text === `\${${only.id}${only.attr !== undefined ? `.${only.attr}` : ''}}`
  )
    report(
      ctx,
      RuleCheckCode.DeadLetterNotQueue,
      dlq,
      `A dead-letter queue must be an SQS queue; ${resource.id} is ${resource.type}`,
      'error',
      true,
    );
  else if (
    r.text !== undefined &&
    /^arn:[^:]*:[^:_]+:/.test(flatArn(r.text)) &&
    !/^arn:[^:]*:sqs:/.test(flatArn(r.text))
  )
    report(
      ctx,
      RuleCheckCode.DeadLetterNotQueue,
      dlq,
      `A dead-letter queue must be an SQS queue ARN (arn:aws:sqs:...), not "${r.text}"`,
      'error',
      true,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Permissions: Lambda, SQS, SNS, CloudWatch Logs

/** True when a principal value may be events.amazonaws.com (or is unknown). */
function mayBeEventsPrincipal(node: AstNode | undefined): boolean {
  if (!node) return false;
  if (node.type === 'string') return node.value === EVENTS_PRINCIPAL || node.value === '*';
  if (isIntrinsicNode(node)) {
    const arg = node.argument;
    if (node.intrinsic === 'Fn::Sub' && arg?.type === 'string') return /^events\./.test(arg.value);
    return true;
  }
  return false;
}

function ruleFits(ctx: CheckContext, rule: TemplateResource, sourceArn: AstNode | undefined): boolean {
  if (!sourceArn) return true;
  const r = referenceOf(sourceArn, ctx.model);
  if (mentions(r, rule.id)) return true;
  if (r.mentions.some((m) => ctx.model.resources.get(m.id)?.type === 'AWS::Events::Rule')) return false;
  if (r.text === undefined || r.external) return true;
  const name = stringProperty(rule.properties, 'Name')?.value;
  const m = /:rule\/(.*)$/.exec(r.text);
  if (!m || name === undefined || m[1].includes('${')) return true;
  const bus = stringProperty(rule.properties, 'EventBusName')?.value;
  const path = bus && bus !== 'default' ? `${bus}/${name}` : name;
  return globMatches(m[1], path);
}

function checkLambdaPermission(
  ctx: CheckContext,
  rule: TemplateResource,
  fn: TemplateResource,
  span: { offset: number; length: number },
): void {
  if (fn.type !== 'AWS::Lambda::Function' && fn.type !== 'AWS::Serverless::Function') return;
  const fnName = stringProperty(fn.properties, 'FunctionName')?.value;
  let forFunction: TemplateResource[] = [];
  for (const p of ctx.model.resources.ofType('AWS::Lambda::Permission')) {
    if (!mayBeEventsPrincipal(getProperty(p.properties, 'Principal'))) continue;
    const name = referenceOf(getProperty(p.properties, 'FunctionName'), ctx.model);
    const refersToFunction =
      mentions(name, fn.id) ||
      (name.mentions.length === 0 && (name.external || name.text === undefined)) ||
      (name.text !== undefined &&
        fnName !== undefined &&
        (name.text === fnName || name.text.endsWith(`:function:${fnName}`))) ||
      // A permission on an alias or version of the function (or anything we cannot follow): counts.
      name.mentions.some((m) => /^AWS::Lambda::(Alias|Version)$/.test(ctx.model.resources.get(m.id)?.type ?? ''));
    if (refersToFunction) forFunction.push(p);
  }
  if (forFunction.some((p) => ruleFits(ctx, rule, getProperty(p.properties, 'SourceArn')))) return;
  forFunction = forFunction.filter((p) => getProperty(p.properties, 'SourceArn') !== undefined);
  const fix: RuleFix = {
    kind: 'addResource',
    title: `Add an AWS::Lambda::Permission letting ${rule.id} invoke ${fn.id}`,
    logicalId: `${fn.id}${rule.id}Permission`,
    resource: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        FunctionName: { $ref: fn.id },
        Action: 'lambda:InvokeFunction',
        Principal: EVENTS_PRINCIPAL,
        SourceArn: { $getAtt: [rule.id, 'Arn'] },
      },
    },
  };
  if (forFunction.length > 0)
    report(
      ctx,
      RuleCheckCode.LambdaPermissionOtherRule,
      span,
      `The AWS::Lambda::Permission for ${fn.id} (${forFunction.map((p) => p.id).join(', ')}) allows events.amazonaws.com only for another SourceArn, not rule ${rule.id}: EventBridge cannot invoke the function for this rule`,
      'warning',
      false,
      fix,
    );
  else
    report(
      ctx,
      RuleCheckCode.LambdaPermissionMissing,
      span,
      `No AWS::Lambda::Permission lets events.amazonaws.com invoke ${fn.id} for rule ${rule.id}: the rule matches, but the invocation is refused (the console adds this permission, CloudFormation does not)`,
      'warning',
      false,
      fix,
    );
}

/** A policy document's text (an object's source, a JSON string's value), and whether an intrinsic makes part of it. */
function policyText(ctx: CheckContext, node: AstNode | undefined): { text: string; unknown: boolean } | undefined {
  if (!node) return undefined;
  if (node.type === 'string') return { text: node.value, unknown: false };
  const text = ctx.doc.text.slice(node.offset, node.offset + node.length);
  if (isIntrinsicNode(node) && node.intrinsic !== 'Fn::Sub') return { text, unknown: true };
  return { text, unknown: false };
}

/** Whether a policy's text may grant events.amazonaws.com (named, or anyone: `*`). */
function mayGrantEvents(policy: { text: string; unknown: boolean }): boolean {
  if (policy.unknown) return true;
  if (/events\.(amazonaws\.com|\$\{AWS::URLSuffix\})/.test(policy.text)) return true;
  // `Principal: "*"` or `{"AWS": "*"}`: anyone (usually with an aws:SourceArn condition).
  return /Principal["']?\s*:\s*["']?\*|["']?AWS["']?\s*:\s*["']?\*/.test(policy.text);
}

function policyFix(kind: 'queue' | 'topic', resource: TemplateResource): RuleFix {
  const [type, listKey, action, verb] =
    kind === 'queue'
      ? (['AWS::SQS::QueuePolicy', 'Queues', 'sqs:SendMessage', 'send to'] as const)
      : (['AWS::SNS::TopicPolicy', 'Topics', 'sns:Publish', 'publish to'] as const);
  const statement = {
    Effect: 'Allow',
    Principal: { Service: EVENTS_PRINCIPAL },
    Action: action,
    Resource: kind === 'queue' ? { $getAtt: [resource.id, 'Arn'] as const } : { $ref: resource.id },
  };
  return {
    kind: 'addResource',
    title: `Add an ${type} letting EventBridge ${verb} ${resource.id}`,
    logicalId: `${resource.id}Policy`,
    resource: {
      Type: type,
      Properties: {
        [listKey]: [{ $ref: resource.id }],
        PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
      },
    },
  };
}

function checkResourcePolicy(
  ctx: CheckContext,
  subject: TemplateResource,
  span: { offset: number; length: number },
  kind: 'queue' | 'topic',
): void {
  const [policyType, listKey, inlineType, inlineKey] =
    kind === 'queue'
      ? ['AWS::SQS::QueuePolicy', 'Queues', 'AWS::SQS::QueueInlinePolicy', 'Queue']
      : ['AWS::SNS::TopicPolicy', 'Topics', 'AWS::SNS::TopicInlinePolicy', 'TopicArn'];
  const policies: TemplateResource[] = [];
  for (const p of ctx.model.resources.ofType(policyType, inlineType)) {
    const subjects = getProperty(p.properties, p.type === policyType ? listKey : inlineKey);
    if (subjects === undefined) continue;
    const c = ctx.coverage(subjects);
    if (c.ids.has(subject.id) || c.unknown) policies.push(p);
  }
  const code = kind === 'queue' ? RuleCheckCode.QueuePolicyMissing : RuleCheckCode.TopicPolicyMissing;
  const what = kind === 'queue' ? 'send messages to the queue' : 'publish to the topic';
  if (policies.length === 0) {
    report(
      ctx,
      code,
      span,
      `No ${policyType} lets events.amazonaws.com ${what} ${subject.id}: EventBridge's deliveries are refused (the console adds this policy, CloudFormation does not)`,
      'warning',
      false,
      policyFix(kind, subject),
    );
    return;
  }
  if (
    policies.some((p) =>
      mayGrantEvents(policyText(ctx, getProperty(p.properties, 'PolicyDocument')) ?? { text: '', unknown: true }),
    )
  )
    return;
  report(
    ctx,
    code,
    span,
    `The ${policyType} of ${subject.id} (${policies.map((p) => p.id).join(', ')}) does not allow events.amazonaws.com: EventBridge's deliveries are refused`,
    'warning',
    false,
  );
}

function checkQueuePolicy(ctx: CheckContext, queue: TemplateResource, span: { offset: number; length: number }): void {
  if (queue.type === 'AWS::SQS::Queue') checkResourcePolicy(ctx, queue, span, 'queue');
}

function checkTopicPolicy(ctx: CheckContext, topic: TemplateResource, span: { offset: number; length: number }): void {
  if (topic.type === 'AWS::SNS::Topic') checkResourcePolicy(ctx, topic, span, 'topic');
}

/**
 * CloudWatch Logs: the group needs a resource policy letting EventBridge write. The account may have one already (the
 * console adds one for `/aws/events/*`), so it is only information, unless the template clearly manages EventBridge's
 * logs policy itself: it has an AWS::Logs::ResourcePolicy for events.amazonaws.com, and none covers this group.
 */
function checkLogsPolicy(ctx: CheckContext, group: TemplateResource, span: { offset: number; length: number }): void {
  if (group.type !== 'AWS::Logs::LogGroup') return;
  const name = stringProperty(group.properties, 'LogGroupName')?.value;
  const eventsPolicies: TemplateResource[] = [];
  for (const p of ctx.model.resources.ofType('AWS::Logs::ResourcePolicy')) {
    const text = policyText(ctx, getProperty(p.properties, 'PolicyDocument'));
    if (!text || text.unknown) return;
    if (!/events\.amazonaws\.com|delivery\.logs\.amazonaws\.com|events\.\$\{AWS::URLSuffix\}/.test(text.text)) continue;
    eventsPolicies.push(p);
    if (
      text.text.includes(`\${${group.id}}`) ||
      text.text.includes(`\${${group.id}.Arn}`) ||
      text.text.includes(group.id)
    )
      return;
    const resources = [...text.text.matchAll(/log-group:([^"'\s,\]}]*)/g)].map((m) =>
      m[1].replace(/:\*$/, '').replace(/:$/, ''),
    );
    if (/Resource["']?\s*:\s*["']?\*["']?\s*[,}\n]/.test(text.text)) return;
    if (resources.some((r) => r.includes('${'))) return;
    if (resources.some((r) => (name === undefined ? r.includes('*') : globMatches(r, name)))) return;
  }
  const fix: RuleFix = {
    kind: 'addResource',
    title: `Add an AWS::Logs::ResourcePolicy letting EventBridge write to ${group.id}`,
    logicalId: `${group.id}EventsPolicy`,
    resource: {
      Type: 'AWS::Logs::ResourcePolicy',
      Properties: {
        PolicyName: { $sub: `\${AWS::StackName}-${group.id}-events` },
        PolicyDocument: {
          $sub: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: [EVENTS_PRINCIPAL, 'delivery.logs.amazonaws.com'] },
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: `\${${group.id}.Arn}`,
              },
            ],
          }),
        },
      },
    },
  };
  if (eventsPolicies.length > 0)
    report(
      ctx,
      RuleCheckCode.LogsResourcePolicyMissing,
      span,
      `The template's CloudWatch Logs resource policies for EventBridge (${eventsPolicies.map((p) => p.id).join(', ')}) do not cover ${group.id}${name ? ` (${name})` : ''}: EventBridge cannot write this target's events`,
      'warning',
      false,
      fix,
    );
  else
    report(
      ctx,
      RuleCheckCode.LogsResourcePolicyMissing,
      span,
      `EventBridge writes to ${group.id} only if a CloudWatch Logs resource policy lets events.amazonaws.com create streams and put events there. The template has none; one may exist in the account (the console adds one for /aws/events/*), otherwise nothing arrives`,
      'info',
      false,
      fix,
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Input

/** Maps a problem in a string's decoded value to the document. */
function stringSpan(
  ctx: CheckContext,
  node: StringNode,
  p: { offset: number; length: number },
): { offset: number; length: number } {
  const decoded = decodeStringNode(node, ctx.doc.text);
  const start = decoded.offsets[Math.min(p.offset, decoded.value.length)] ?? node.offset;
  const end = decoded.offsets[Math.min(p.offset + Math.max(p.length, 1), decoded.value.length)] ?? start + 1;
  return { offset: start, length: Math.max(1, end - start) };
}

const INPUT_CODES: Readonly<Record<InputProblem['kind'], [RuleCheckCode, RuleProblem['severity'], boolean]>> = {
  inputNotJson: [RuleCheckCode.InputNotJson, 'error', true],
  inputTooLong: [RuleCheckCode.InputTooLong, 'error', true],
  templateTooLong: [RuleCheckCode.InputTooLong, 'error', true],
  pathInvalid: [RuleCheckCode.InputPathInvalid, 'error', true],
  pathTooLong: [RuleCheckCode.InputPathInvalid, 'error', true],
  placeholderUndefined: [RuleCheckCode.PlaceholderUndefined, 'warning', false],
  placeholderAsKey: [RuleCheckCode.InputTemplateNotJson, 'error', true],
  templateNotJson: [RuleCheckCode.InputTemplateNotJson, 'error', true],
  unescapedInString: [RuleCheckCode.UnescapedVariableInString, 'warning', false],
};

function reportInput(ctx: CheckContext, node: StringNode, problems: readonly InputProblem[]): void {
  for (const p of problems) {
    const [code, severity, fromAws] = INPUT_CODES[p.kind];
    report(ctx, code, stringSpan(ctx, node, p), p.message, severity, fromAws);
  }
}

/** Input, InputPath and InputTransformer of a target (or of a SAM event, which has the same properties). */
function checkInput(ctx: CheckContext, holder: AstNode): void {
  const given = ['Input', 'InputPath', 'InputTransformer'].filter((k) => getProperty(holder, k) !== undefined);
  if (given.length > 1)
    report(
      ctx,
      RuleCheckCode.InputPropertiesExclusive,
      keySpan(holder, given[1])!,
      `Only one of Input, InputPath, or InputTransformer must be provided (this target has ${given.join(', ')})`,
      'error',
      true,
    );
  const input = getProperty(holder, 'Input');
  if (input?.type === 'string') reportInput(ctx, input, inputProblems(input.value));
  const inputPath = getProperty(holder, 'InputPath');
  if (inputPath?.type === 'string') {
    const why = inputPathProblem(inputPath.value);
    if (why)
      report(ctx, RuleCheckCode.InputPathInvalid, inputPath, `InputPath "${inputPath.value}" ${why}`, 'error', true);
  }
  const transformer = getProperty(holder, 'InputTransformer');
  if (transformer?.type !== 'object') return;
  const map = getProperty(transformer, 'InputPathsMap');
  let defined: Set<string> | undefined = new Set();
  if (map?.type === 'object') {
    if (map.properties.length > MAX_INPUT_PATHS)
      report(
        ctx,
        RuleCheckCode.TooManyInputPaths,
        keySpan(transformer, 'InputPathsMap')!,
        `InputPathsMap has ${map.properties.length} keys; EventBridge takes at most ${MAX_INPUT_PATHS}`,
        'error',
        true,
      );
    for (const p of map.properties) {
      if (p.keyUnknown) {
        defined = undefined;
        continue;
      }
      defined?.add(p.key.value);
      const keyWhy = inputPathsMapKeyProblem(p.key.value);
      if (keyWhy) report(ctx, RuleCheckCode.InputPathsKeyInvalid, p.key, keyWhy, 'error', true);
      if (p.value?.type === 'string') {
        const why = inputPathProblem(p.value.value);
        if (why)
          report(
            ctx,
            RuleCheckCode.InputPathInvalid,
            p.value,
            `The path of "${p.key.value}", "${p.value.value}", ${why}`,
            'error',
            true,
          );
      }
    }
  } else if (map !== undefined) defined = undefined;
  const template = getProperty(transformer, 'InputTemplate');
  if (template?.type === 'string') reportInput(ctx, template, inputTemplateProblems(template.value, defined));
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules

function checkExpression(ctx: CheckContext, node: AstNode, dialect: ScheduleDialect): void {
  if (node.type !== 'string') return;
  const reading = readScheduleExpression(node.value, dialect);
  if (!('problem' in reading)) return;
  const p = reading.problem;
  const span = stringSpan(ctx, node, p);
  if (p.message.startsWith('This looks like a Unix cron')) {
    const fix: RuleFix | undefined = p.replacement
      ? { kind: 'replace', title: `Write it as AWS cron: ${p.replacement}`, node, value: p.replacement }
      : undefined;
    report(
      ctx,
      RuleCheckCode.UnixCron,
      span,
      `Parameter ScheduleExpression is not valid. ${p.message}`,
      'error',
      true,
      fix,
    );
    return;
  }
  report(
    ctx,
    RuleCheckCode.ScheduleExpressionInvalid,
    span,
    `Parameter ScheduleExpression is not valid. ${p.message}`,
    'error',
    true,
  );
}

/** An AWS::Scheduler::Schedule's properties (`full`), or a SAM ScheduleV2 event's (whose SAM fills in the rest). */
function checkSchedule(ctx: CheckContext, props: AstNode | undefined, dialect: ScheduleDialect, full: boolean): void {
  if (props?.type !== 'object') return;
  const expression = getProperty(props, 'ScheduleExpression');
  if (expression) checkExpression(ctx, expression, dialect);
  const zone = getProperty(props, 'ScheduleExpressionTimezone');
  if (zone?.type === 'string' && !isKnownTimeZone(zone.value))
    report(
      ctx,
      RuleCheckCode.TimeZoneUnknown,
      zone,
      `"${zone.value}" is not a time zone: ScheduleExpressionTimezone takes an IANA name such as America/New_York or Europe/Paris`,
      'error',
      true,
    );
  const window = getProperty(props, 'FlexibleTimeWindow');
  const at = keySpan(props, 'ScheduleExpression') ?? { offset: props.offset, length: 1 };
  if (full && window === undefined)
    report(
      ctx,
      RuleCheckCode.FlexibleTimeWindowInvalid,
      at,
      'An AWS::Scheduler::Schedule requires FlexibleTimeWindow (Mode: OFF to run at the exact time)',
      'error',
      true,
    );
  if (window?.type === 'object') {
    const mode = getProperty(window, 'Mode');
    const max = getProperty(window, 'MaximumWindowInMinutes');
    if (mode?.type === 'string' && mode.value !== 'OFF' && mode.value !== 'FLEXIBLE')
      report(
        ctx,
        RuleCheckCode.FlexibleTimeWindowInvalid,
        mode,
        `FlexibleTimeWindow Mode is OFF or FLEXIBLE, not "${mode.value}"`,
        'error',
        true,
      );
    if (mode === undefined && full)
      report(
        ctx,
        RuleCheckCode.FlexibleTimeWindowInvalid,
        keySpan(props, 'FlexibleTimeWindow')!,
        'FlexibleTimeWindow requires Mode (OFF or FLEXIBLE)',
        'error',
        true,
      );
    if (mode?.type === 'string' && mode.value === 'FLEXIBLE' && max === undefined)
      report(
        ctx,
        RuleCheckCode.FlexibleTimeWindowInvalid,
        mode,
        'A FLEXIBLE time window requires MaximumWindowInMinutes (1 to 1440)',
        'error',
        true,
      );
    const n =
      max?.type === 'number'
        ? max.value
        : max?.type === 'string' && /^-?\d+$/.test(max.value)
          ? Number(max.value)
          : undefined;
    if (max && n !== undefined && (n < 1 || n > 1440 || !Number.isInteger(n)))
      report(
        ctx,
        RuleCheckCode.FlexibleTimeWindowInvalid,
        max,
        `MaximumWindowInMinutes must be a whole number from 1 to 1440, not ${n}`,
        'error',
        true,
      );
  }
  if (!full) return;
  const target = getProperty(props, 'Target');
  if (target === undefined)
    report(
      ctx,
      RuleCheckCode.ScheduleTargetIncomplete,
      at,
      'An AWS::Scheduler::Schedule requires a Target (Arn and RoleArn)',
      'error',
      true,
    );
  if (target?.type === 'object') {
    const missing = ['Arn', 'RoleArn'].filter((k) => getProperty(target, k) === undefined);
    if (missing.length > 0)
      report(
        ctx,
        RuleCheckCode.ScheduleTargetIncomplete,
        keySpan(props, 'Target')!,
        `The schedule's Target requires ${missing.join(' and ')} (EventBridge Scheduler always invokes its target through the role)`,
        'error',
        true,
      );
    const input = getProperty(target, 'Input');
    if (input?.type === 'string' && /^\s*[{["]/.test(input.value)) reportInput(ctx, input, inputProblems(input.value));
    checkRetryAndDeadLetter(ctx, target);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// SAM event sources: SAM adds the rule's permission itself; their input and schedules are still checked.

function checkSamEvents(ctx: CheckContext, fn: TemplateResource): void {
  const events = getProperty(fn.properties, 'Events');
  if (events?.type !== 'object') return;
  for (const e of events.properties) {
    const type = getProperty(e.value, 'Type');
    const props = getProperty(e.value, 'Properties');
    if (type?.type !== 'string' || props?.type !== 'object') continue;
    if (type.value === 'EventBridgeRule' || type.value === 'CloudWatchEvent') {
      checkInput(ctx, props);
      checkRetryAndDeadLetter(ctx, props);
    } else if (type.value === 'Schedule') {
      const schedule = getProperty(props, 'Schedule');
      if (schedule) checkExpression(ctx, schedule, 'rule');
      checkInput(ctx, props);
    } else if (type.value === 'ScheduleV2') {
      checkSchedule(ctx, props, 'scheduler', false);
    }
  }
}
