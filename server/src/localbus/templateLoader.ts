// Loads event buses, rules (with their targets), log groups, Lambda functions, SQS queues and SNS topics
// (messagingResources.ts) from
// CloudFormation / SAM templates and Serverless Framework service files, JSON or YAML, so the local bus starts with
// the application's own wiring.
// Intrinsics (and Serverless variables) are resolved as far as they can be without a deployment, with the parameter
// values the user gave; anything else becomes a warning naming the template, the resource and the reason.
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { parseDocument, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';
import { INTRINSIC_TAGS, isIntrinsicKey } from '../cfn/intrinsics';
import { AwsServiceError, arn, partitionOf } from './awsJsonProtocol';
import { busNameOf, type Target } from './eventBridgeService';
import { functionLogGroup, type FunctionCode, type LambdaFunction } from './lambdaFunctions';
import type { RegionState } from './localBusServer';
import { resolveServerlessVariables, UnresolvedVariable } from './serverlessVariables';
import {
  readQueue,
  readQueuePolicy,
  readSubscription,
  readTopic,
  type TemplateQueue,
  type TemplateSubscription,
  type TemplateTopic,
} from './messagingResources';

export interface TemplateContext {
  readonly region: string;
  readonly accountId: string;
  /** Used for `AWS::StackName` and generated physical names; defaults to the file's base name. */
  readonly stackName?: string;
  /** Values for the template's parameters (`--parameter`), used before their `Default`. */
  readonly parameterValues?: ReadonlyMap<string, string>;
}

export interface TemplateRule {
  /** The rule's logical ID; for a SAM event `<Function><Event>`; for a Serverless event `<function>.events[i]`. */
  readonly logicalId: string;
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern?: string;
  /**
   * The pattern's JSON text as the template writes it, when it is an `Fn::Sub` string: `eventPattern` is that text
   * with each `${...}` resolved as the local bus resolves it, and messages about the pattern should quote this.
   */
  readonly eventPatternTemplate?: string;
  readonly scheduleExpression?: string;
  readonly state?: string;
  readonly description?: string;
  readonly targets: Target[];
}

export interface TemplateResources {
  readonly logGroups: string[];
  /** Lambda functions (AWS::Lambda::Function, AWS::Serverless::Function), which rules may target. */
  readonly functions: LambdaFunction[];
  readonly buses: { name: string; description?: string }[];
  readonly rules: TemplateRule[];
  readonly warnings: string[];
  /**
   * Rule targets skipped (they cannot be resolved without a deployment): they matter to the local bus, which
   * delivers to them, not to what a rule matches, so they are kept apart from `warnings`.
   */
  readonly targetWarnings: string[];
  /** Names in the template's `Parameters`, so a caller can tell the user about a value given for no parameter. */
  readonly parameterNames: string[];
  /** SQS queues; `AWS::SQS::QueuePolicy` documents become their Policy attribute (kept, not enforced). */
  readonly queues: TemplateQueue[];
  readonly topics: TemplateTopic[];
  /** SNS subscriptions, from `AWS::SNS::Subscription` resources and topics' `Subscription` lists. */
  readonly subscriptions: TemplateSubscription[];
}

export class TemplateParseError extends Error {}

// ---- parsing ----

/** YAML short forms (`!Ref x`, `!Sub [...]`) become the long forms (`{ Ref: x }`, `{ "Fn::Sub": [...] }`). */
const CFN_YAML_TAGS: Tags = INTRINSIC_TAGS.flatMap((t) =>
  t.kinds.map((kind) => {
    if (kind === 'scalar') {
      return {
        tag: t.tag,
        resolve: (value: string) => ({ [t.longForm]: t.tag === '!GetAtt' ? splitGetAtt(value) : value }),
      };
    }
    return {
      tag: t.tag,
      collection: kind,
      resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [t.longForm]: value.toJSON() as unknown }),
    };
  }),
);

function splitGetAtt(value: string): string[] | string {
  const dot = value.indexOf('.');
  return dot < 0 ? value : [value.slice(0, dot), value.slice(dot + 1)];
}

/**
 * The template as plain data (JSON, or YAML with the CloudFormation tags). YAML warnings, such as an unknown tag
 * (its value is kept as a plain string), are added to `warnings` when given. `language` is what the caller knows
 * of the text (the language service's documentLanguage sniffs it); without it, a text starting with `{` is JSON.
 */
export function parseTemplateText(
  text: string,
  fileName: string,
  warnings?: string[],
  language?: 'json' | 'yaml',
): unknown {
  if (language === 'json' || (language === undefined && text.trimStart().startsWith('{'))) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new TemplateParseError(`${fileName}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const doc = parseDocument(text, { customTags: CFN_YAML_TAGS, prettyErrors: false });
  if (doc.errors.length > 0) throw new TemplateParseError(`${fileName}: not valid YAML (${doc.errors[0].message})`);
  for (const w of doc.warnings) warnings?.push(`${fileName}: ${w.message}`);
  return doc.toJS({ maxAliasCount: 1000 });
}

// ---- intrinsic resolution ----

/** Thrown inside resolution; becomes a warning for the resource being loaded. */
class Unresolvable extends Error {}

interface Resource {
  readonly Type?: unknown;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: unknown;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The property naming a resource, for types whose `Ref` is that name (CloudFormation's "Return values" for `Ref`:
 * the type's primary identifier is its name).
 */
const REF_IS_NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Serverless::Function': 'FunctionName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Serverless::SimpleTable': 'TableName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
  'AWS::ECS::Cluster': 'ClusterName',
  'AWS::ECR::Repository': 'RepositoryName',
  'AWS::CodePipeline::Pipeline': 'Name',
  'AWS::Glue::Job': 'Name',
  'AWS::Glue::Crawler': 'Name',
  'AWS::Glue::Trigger': 'Name',
  'AWS::SSM::Parameter': 'Name',
  'AWS::AutoScaling::AutoScalingGroup': 'AutoScalingGroupName',
  'AWS::Scheduler::Schedule': 'Name',
  'AWS::Athena::WorkGroup': 'Name',
};
/** Types whose `Ref` is an ARN or URL made from the name (not the name itself), with the naming property. */
const REF_OF_NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Serverless::StateMachine': 'Name',
};
const NAME_PROPERTIES: Readonly<Record<string, string>> = { ...REF_IS_NAME_PROPERTIES, ...REF_OF_NAME_PROPERTIES };
const REF_IS_NAME = new Set(Object.keys(REF_IS_NAME_PROPERTIES));
const REF_OF_NAME = new Set(Object.keys(REF_OF_NAME_PROPERTIES));

/** How CloudFormation's generated names are bounded, where the service limits them. */
const GENERATED_NAME_RULES: Readonly<Record<string, { max: number; lowerCase?: boolean }>> = {
  'AWS::Events::Rule': { max: 64 },
  'AWS::S3::Bucket': { max: 63, lowerCase: true },
  'AWS::DynamoDB::Table': { max: 255 },
  'AWS::Kinesis::Stream': { max: 128 },
  'AWS::SQS::Queue': { max: 80 },
  'AWS::SNS::Topic': { max: 256 },
  'AWS::Lambda::Function': { max: 64 },
  'AWS::Serverless::Function': { max: 64 },
  'AWS::StepFunctions::StateMachine': { max: 80 },
};
const MAX_DEPTH = 64;

class IntrinsicResolver {
  private readonly resolving = new Set<string>();
  /** Above 0 while a pattern is resolved. */
  private patternDepth = 0;
  /** Resources whose `Ref` inside a pattern gave a value made up here, with why, by logical id. */
  private readonly standIns = new Map<string, string>();
  readonly partition: string;

  constructor(
    private readonly resources: Record<string, Resource>,
    private readonly parameters: Record<string, unknown>,
    private readonly context: Required<TemplateContext>,
    /** Resources of a service file whose framework variables could not be resolved, with why. */
    private readonly unresolved: ReadonlyMap<string, string> = new Map(),
  ) {
    this.partition = partitionOf(context.region);
  }

  resolve(value: unknown, depth = 0): unknown {
    if (depth > MAX_DEPTH) throw new Unresolvable('values nested too deeply');
    if (Array.isArray(value)) return value.map((v) => this.resolve(v, depth + 1)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && isIntrinsicKey(keys[0]))
      return this.intrinsic(keys[0], (value as Record<string, unknown>)[keys[0]], depth + 1);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(v, depth + 1);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  resolveString(value: unknown, what: string): string {
    const v = this.resolve(value);
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new Unresolvable(`${what} is not a string`);
  }

  private intrinsic(name: string, arg: unknown, depth: number): unknown {
    switch (name) {
      case 'Ref':
        if (typeof arg !== 'string') throw new Unresolvable('Ref needs a name');
        return this.ref(arg);
      case 'Fn::GetAtt': {
        const parts = typeof arg === 'string' ? splitGetAtt(arg) : this.resolve(arg, depth);
        if (!Array.isArray(parts) || parts.length !== 2 || typeof parts[0] !== 'string' || typeof parts[1] !== 'string')
          throw new Unresolvable('Fn::GetAtt needs [LogicalId, Attribute]');
        return this.getAtt(parts[0], parts[1]);
      }
      case 'Fn::Sub':
        return this.sub(arg, depth);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2) throw new Unresolvable('Fn::Join needs [delimiter, [values]]');
        const delimiter = this.resolve(arg[0], depth);
        const items = this.resolve(arg[1], depth);
        if (typeof delimiter !== 'string' || !Array.isArray(items))
          throw new Unresolvable('Fn::Join needs [delimiter, [values]]');
        return items
          .map((i) =>
            typeof i === 'string' || typeof i === 'number' ? String(i) : fail('Fn::Join values must be strings'),
          )
          .join(delimiter);
      }
      case 'Fn::Select': {
        const resolved = this.resolve(arg, depth);
        if (!Array.isArray(resolved) || resolved.length !== 2 || !Array.isArray(resolved[1]))
          throw new Unresolvable('Fn::Select needs [index, [values]]');
        const index = Number(resolved[0]);
        if (!Number.isInteger(index) || index < 0 || index >= resolved[1].length)
          throw new Unresolvable('Fn::Select index out of range');
        return resolved[1][index] as unknown;
      }
      case 'Fn::Split': {
        const resolved = this.resolve(arg, depth);
        if (!Array.isArray(resolved) || typeof resolved[0] !== 'string' || typeof resolved[1] !== 'string')
          throw new Unresolvable('Fn::Split needs [delimiter, string]');
        return resolved[1].split(resolved[0]);
      }
      default:
        throw new Unresolvable(`${name} cannot be resolved without a deployment`);
    }
  }

  private pseudo(name: string): string | typeof NO_VALUE | undefined {
    switch (name) {
      case 'AWS::Region':
        return this.context.region;
      case 'AWS::AccountId':
        return this.context.accountId;
      case 'AWS::Partition':
        return this.partition;
      case 'AWS::StackName':
        return this.context.stackName;
      case 'AWS::StackId':
        return arn(
          'cloudformation',
          this.context.region,
          this.context.accountId,
          `stack/${this.context.stackName}/00000000-0000-0000-0000-000000000000`,
        );
      case 'AWS::URLSuffix':
        return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return undefined;
    }
  }

  private ref(name: string): unknown {
    const pseudo = this.pseudo(name);
    if (pseudo !== undefined) return pseudo;
    if (Object.hasOwn(this.parameters, name)) return this.parameterValue(name);
    if (Object.hasOwn(this.resources, name)) {
      this.checkResolved(name);
      const type = String(this.resources[name].Type);
      const value = this.resourceRef(name, type);
      if (this.patternDepth > 0 && !this.standIns.has(name)) {
        // A pattern holding a value no deployment will have matches nothing real: say so, once per resource.
        if (!REF_IS_NAME.has(type) && !REF_OF_NAME.has(type))
          this.standIns.set(
            name,
            `Ref ${name} stands in as "${String(value)}": what Ref gives for ${type} is not known to the local bus, so the pattern matches only events carrying this stand-in`,
          );
        else if (!this.isNamed(name))
          this.standIns.set(
            name,
            `Ref ${name} is "${String(value)}", a name made up here: ${type} has no ${NAME_PROPERTIES[type]}, and CloudFormation will generate another, so the pattern matches only events carrying this stand-in (give ${NAME_PROPERTIES[type]} to match the deployed one)`,
          );
      }
      return value;
    }
    throw new Unresolvable(`Ref to unknown name ${name}`);
  }

  private checkResolved(logicalId: string): void {
    const why = this.unresolved.get(logicalId);
    if (why !== undefined) throw new Unresolvable(`${logicalId} is unknown: ${why}`);
  }

  /** What `Ref` to a resource gives: its name for most types; an ARN or URL made from the name for a few. */
  private resourceRef(name: string, type: string): string {
    switch (type) {
      case 'AWS::SNS::Topic':
        return this.getAtt(name, 'TopicArn') as string;
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.context.region}.${this.pseudo('AWS::URLSuffix') as string}/${this.context.accountId}/${this.physicalName(name)}`;
      case 'AWS::StepFunctions::StateMachine':
      case 'AWS::Serverless::StateMachine':
        return this.getAtt(name, 'Arn') as string;
      default:
        return this.physicalName(name);
    }
  }

  /** What `Ref` to a parameter gives: the value given, else its Default; as CloudFormation types it. */
  private parameterValue(name: string): string | string[] {
    const p = this.parameters[name] as { Type?: unknown; Default?: unknown } | null;
    const type = p && typeof p === 'object' && typeof p.Type === 'string' ? p.Type : 'String';
    if (type.startsWith('AWS::SSM::Parameter::Value<'))
      throw new Unresolvable(`parameter ${name} takes its value from the SSM parameter store, unknown without AWS`);
    const given = this.context.parameterValues.get(name);
    const raw = given ?? (p && typeof p === 'object' ? p.Default : undefined);
    if (raw === undefined || raw === null)
      throw new Unresolvable(`parameter ${name} has no Default and no value was given`);
    // Lists come as a comma-separated string; a Number's value is a string wherever it is used.
    const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
    if (Array.isArray(raw)) return raw.map((v) => String(v));
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
      throw new Unresolvable(`parameter ${name}'s Default is not a string`);
    const text = String(raw);
    return isList ? text.split(',').map((v) => v.trim()) : text;
  }

  private getAtt(logicalId: string, attribute: string): unknown {
    const resource = this.resources[logicalId];
    if (!resource || !Object.hasOwn(this.resources, logicalId))
      throw new Unresolvable(`Fn::GetAtt of unknown resource ${logicalId}`);
    this.checkResolved(logicalId);
    const { region, accountId } = this.context;
    switch (`${String(resource.Type)}.${attribute}`) {
      case 'AWS::Logs::LogGroup.Arn':
        return `${arn('logs', region, accountId, `log-group:${this.physicalName(logicalId)}`)}:*`;
      case 'AWS::Events::EventBus.Name':
        return this.physicalName(logicalId);
      case 'AWS::Events::EventBus.Arn':
        return arn('events', region, accountId, `event-bus/${this.physicalName(logicalId)}`);
      case 'AWS::Events::Rule.Arn': {
        const bus = this.ruleBusName(logicalId);
        const name = this.physicalName(logicalId);
        return arn('events', region, accountId, bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`);
      }
      // Target ARNs: queues and topics are loaded and delivered to; the others keep the rule loadable.
      case 'AWS::SQS::Queue.Arn':
        return arn('sqs', region, accountId, this.physicalName(logicalId));
      case 'AWS::SNS::Topic.TopicArn':
        return arn('sns', region, accountId, this.physicalName(logicalId));
      case 'AWS::SQS::Queue.QueueName':
      case 'AWS::SNS::Topic.TopicName':
        return this.physicalName(logicalId);
      case 'AWS::SQS::Queue.QueueUrl':
        return this.resourceRef(logicalId, 'AWS::SQS::Queue');
      case 'AWS::Lambda::Function.Arn':
      case 'AWS::Serverless::Function.Arn':
        return arn('lambda', region, accountId, `function:${this.physicalName(logicalId)}`);
      case 'AWS::StepFunctions::StateMachine.Arn':
      case 'AWS::Serverless::StateMachine.Arn':
        return arn('states', region, accountId, `stateMachine:${this.physicalName(logicalId)}`);
      default:
        throw new Unresolvable(
          `Fn::GetAtt ${logicalId}.${attribute} (${String(resource.Type)}) is not known to the local bus`,
        );
    }
  }

  private sub(arg: unknown, depth: number): string {
    let text: unknown = arg;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || arg[1] === null || typeof arg[1] !== 'object')
        throw new Unresolvable('Fn::Sub needs a string or [string, {variables}]');
      text = arg[0];
      variables = arg[1] as Record<string, unknown>;
    }
    if (typeof text !== 'string') throw new Unresolvable('Fn::Sub needs a string');
    return text.replace(/\$\{([^}]*)\}/g, (_whole, expr: string) => {
      if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
      const name = expr.trim();
      let value: unknown;
      if (Object.hasOwn(variables, name)) value = this.resolve(variables[name], depth);
      else if (name.includes('.') && !name.startsWith('AWS::'))
        value = this.getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1));
      else value = this.ref(name);
      if (typeof value === 'string' || typeof value === 'number') return String(value);
      throw new Unresolvable(`\${${name}} in Fn::Sub is not a string`);
    });
  }

  /** The name a resource gets when deployed: its name property, or one generated like CloudFormation does. */
  physicalName(logicalId: string): string {
    const resource = this.resources[logicalId];
    const type = String(resource.Type);
    const property = NAME_PROPERTIES[type];
    if (property && resource.Properties?.[property] !== undefined) {
      if (this.resolving.has(logicalId)) throw new Unresolvable(`${logicalId} refers to itself`);
      this.resolving.add(logicalId);
      try {
        return this.resolveString(resource.Properties[property], `${logicalId}.${property}`);
      } finally {
        this.resolving.delete(logicalId);
      }
    }
    const rule = GENERATED_NAME_RULES[type];
    // A FIFO queue's or topic's generated name ends in `.fifo`, within the same length limit.
    const fifoFlag = type === 'AWS::SQS::Queue' ? 'FifoQueue' : type === 'AWS::SNS::Topic' ? 'FifoTopic' : undefined;
    const fifo = fifoFlag !== undefined ? resource.Properties?.[fifoFlag] : undefined;
    if (fifo === true || fifo === 'true')
      return `${this.generatedName(logicalId, (rule?.max ?? 512) - '.fifo'.length, rule?.lowerCase)}.fifo`;
    return this.generatedName(logicalId, rule?.max, rule?.lowerCase);
  }

  /** Whether the template gives the resource's name (so it is the deployed one, not a stand-in made up here). */
  private isNamed(logicalId: string): boolean {
    const property = NAME_PROPERTIES[String(this.resources[logicalId].Type)];
    return property !== undefined && this.resources[logicalId].Properties?.[property] !== undefined;
  }

  /**
   * `<stack>-<logicalId>-<12 hex>`, stable across runs, cut to `max` characters keeping the unique end; all lower
   * case for a type whose names cannot hold capitals (S3 buckets), as CloudFormation generates them.
   */
  generatedName(logicalId: string, max = 512, lowerCase = false): string {
    const suffix = createHash('sha256').update(`${this.context.stackName}/${logicalId}`).digest('hex').slice(0, 12);
    const name = `${this.context.stackName}-${logicalId}-${lowerCase ? suffix : suffix.toUpperCase()}`;
    if (!lowerCase) return name.slice(-max).replace(/^[^.\-_A-Za-z0-9]+/, '');
    return name
      .toLowerCase()
      .replace(/[^a-z0-9.-]/g, '-')
      .slice(-max)
      .replace(/^[^a-z0-9]+/, '');
  }

  /** Resolves a rule's pattern, noting each `Ref` in it that gives a stand-in rather than what AWS will have. */
  resolvePattern(value: unknown): unknown {
    this.patternDepth++;
    try {
      return this.resolve(value);
    } finally {
      this.patternDepth--;
    }
  }

  /** Why a pattern may not match real events, once per resource whose `Ref` stood in for its deployed value. */
  standInWarnings(): string[] {
    return [...this.standIns.entries()].map(([id, why]) => `resource ${id}: ${why}`);
  }

  get region(): string {
    return this.context.region;
  }

  get stackName(): string {
    return this.context.stackName;
  }

  get accountId(): string {
    return this.context.accountId;
  }

  ruleBusName(logicalId: string): string {
    const value = this.resources[logicalId]?.Properties?.EventBusName;
    return value === undefined ? 'default' : busNameOf(this.resolveString(value, 'EventBusName'));
  }
}

function fail(message: string): never {
  throw new Unresolvable(message);
}

// ---- reading resources ----

/** The types `readTemplate` loads (a Serverless::Function for its EventBridge events). */
const LOADED_TYPES: ReadonlySet<string> = new Set([
  'AWS::Logs::LogGroup',
  'AWS::Events::EventBus',
  'AWS::Events::Rule',
  'AWS::Serverless::Function',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
]);

/** The buses, rules and log groups of one template, with a warning for everything skipped. */
export function readTemplate(template: unknown, fileName: string, context: TemplateContext): TemplateResources {
  const result: TemplateResources = {
    logGroups: [],
    functions: [],
    buses: [],
    rules: [],
    warnings: [],
    targetWarnings: [],
    parameterNames: [],
    queues: [],
    topics: [],
    subscriptions: [],
  };
  if (!template || typeof template !== 'object' || Array.isArray(template)) {
    result.warnings.push(`${fileName}: not a CloudFormation template (expected a mapping at the top)`);
    return result;
  }
  const serverless = isServerlessService(template as Record<string, unknown>);
  const t: { Resources?: unknown; Parameters?: unknown; unresolved?: ReadonlyMap<string, string> } = serverless
    ? serverlessCloudFormation(template as Record<string, unknown>, fileName, result.warnings)
    : template;
  const unresolved = t.unresolved ?? new Map<string, string>();
  if (!serverless && (!t.Resources || typeof t.Resources !== 'object' || Array.isArray(t.Resources))) {
    result.warnings.push(`${fileName}: no Resources section`);
    return result;
  }
  const resources = isMapping(t.Resources) ? (t.Resources as Record<string, Resource>) : {};
  const parameters = isMapping(t.Parameters) ? t.Parameters : {};
  result.parameterNames.push(...Object.keys(parameters));
  const parameterValues = context.parameterValues ?? new Map<string, string>();
  result.warnings.push(...allowedValueWarnings(parameters, parameterValues, fileName));
  const stackName =
    context.stackName ??
    (serverless
      ? serverlessStackName(template as Record<string, unknown>)
      : (fileName.split(/[\\/]/).pop() ?? 'stack').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9-]/g, '-'));
  const resolver = new IntrinsicResolver(resources, parameters, { ...context, stackName, parameterValues }, unresolved);

  const attempt = (logicalId: string, load: () => void): void => {
    try {
      load();
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      result.warnings.push(`${fileName}: resource ${logicalId} skipped: ${e.message}`);
    }
  };

  const functionGlobals = samFunctionGlobals(template as Record<string, unknown>);
  const invokeConfigs = eventInvokeConfigs(resources);
  // A function matters to the local bus only (it runs it), not to what rules match: what keeps one from loading is a
  // target warning.
  const attemptFunction = (logicalId: string, resource: Resource, properties: Record<string, unknown>): void => {
    const warn = (message: string): void =>
      void result.targetWarnings.push(`${fileName}: resource ${logicalId}: ${message}`);
    try {
      result.functions.push(
        readFunction(resolver, logicalId, resource, properties, fileName, invokeConfigs.get(logicalId), warn),
      );
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      result.targetWarnings.push(`${fileName}: resource ${logicalId} (a function) skipped: ${e.message}`);
    }
  };
  const policies: { queueUrls: string[]; policy: string }[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!resource || typeof resource !== 'object') continue;
    const written = resource.Properties && typeof resource.Properties === 'object' ? resource.Properties : {};
    // SAM's Globals apply to its functions before anything else reads them.
    const properties =
      resource.Type === 'AWS::Serverless::Function' ? mergeSamGlobals(functionGlobals, written) : written;
    const why = unresolved.get(logicalId);
    if (why !== undefined) {
      if (LOADED_TYPES.has(String(resource.Type)))
        result.warnings.push(`${fileName}: resource ${logicalId} skipped: ${why}`);
      continue;
    }
    switch (resource.Type) {
      case 'AWS::Logs::LogGroup':
        attempt(logicalId, () => result.logGroups.push(resolver.physicalName(logicalId)));
        break;
      case 'AWS::Events::EventBus':
        attempt(logicalId, () => {
          if (properties.EventSourceName !== undefined) throw new Unresolvable('partner event buses are not supported');
          const description =
            properties.Description === undefined
              ? undefined
              : resolver.resolveString(properties.Description, 'Description');
          result.buses.push({
            name: resolver.physicalName(logicalId),
            ...(description !== undefined ? { description } : {}),
          });
        });
        break;
      case 'AWS::Events::Rule':
        attempt(logicalId, () =>
          result.rules.push(readRule(resolver, logicalId, properties, fileName, result.targetWarnings)),
        );
        break;
      case 'AWS::SQS::Queue':
        attempt(logicalId, () => result.queues.push(readQueue(resolver, logicalId, properties)));
        break;
      case 'AWS::SQS::QueuePolicy':
        attempt(logicalId, () => policies.push(readQueuePolicy(resolver, properties)));
        break;
      case 'AWS::SNS::Topic':
        attempt(logicalId, () => {
          const { topic, subscriptions } = readTopic(resolver, logicalId, properties);
          result.topics.push(topic);
          result.subscriptions.push(...subscriptions);
        });
        break;
      case 'AWS::SNS::Subscription':
        attempt(logicalId, () => result.subscriptions.push(readSubscription(resolver, logicalId, properties)));
        break;
      case 'AWS::Serverless::Function':
        attemptFunction(logicalId, resource, properties);
        for (const [eventId, event] of Object.entries(samEventBridgeEvents(properties))) {
          attempt(`${logicalId}.Events.${eventId}`, () =>
            result.rules.push(readSamRule(resolver, logicalId, eventId, event)),
          );
        }
        break;
      case 'AWS::Lambda::Function':
        attemptFunction(logicalId, resource, properties);
        break;
      default:
        break;
    }
  }
  if (serverless) {
    for (const event of serverlessEventBridgeEvents(template as Record<string, unknown>)) {
      attempt(event.id, () =>
        result.rules.push(readServerlessRule(resolver, template as Record<string, unknown>, event)),
      );
    }
    const root = template as Record<string, unknown>;
    for (const [key, config] of Object.entries(isMapping(root.functions) ? root.functions : {})) {
      if (!isMapping(config)) continue;
      const warn = (message: string): void =>
        void result.targetWarnings.push(`${fileName}: function ${key}: ${message}`);
      try {
        result.functions.push(readServerlessFunction(resolver, root, key, config, fileName, warn));
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        result.targetWarnings.push(`${fileName}: function ${key} skipped: ${e.message}`);
      }
    }
  }
  for (const { queueUrls, policy } of policies) {
    for (const url of queueUrls) {
      const queue = result.queues.find((q) => url.endsWith(`/${q.name}`));
      if (queue) queue.attributes.Policy = policy;
    }
  }
  for (const w of resolver.standInWarnings()) result.warnings.push(`${fileName}: ${w}`);
  return result;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A given value CloudFormation would refuse because the parameter lists its AllowedValues. */
function allowedValueWarnings(
  parameters: Record<string, unknown>,
  values: ReadonlyMap<string, string>,
  fileName: string,
): string[] {
  const warnings: string[] = [];
  for (const [name, value] of values) {
    const allowed = (parameters[name] as { AllowedValues?: unknown } | undefined)?.AllowedValues;
    if (Object.hasOwn(parameters, name) && Array.isArray(allowed) && !allowed.some((a) => String(a) === value))
      warnings.push(
        `${fileName}: parameter ${name}: "${value}" is not one of its AllowedValues (${allowed.map(String).join(', ')}); CloudFormation would refuse it`,
      );
  }
  return warnings;
}

// ---- Serverless Framework service files ----

/** A serverless.yml: `service` and `provider` at the top (functions and resources are both optional). */
function isServerlessService(root: Record<string, unknown>): boolean {
  return root.service !== undefined && root.provider !== undefined && root.AWSTemplateFormatVersion === undefined;
}

function resolveVariables(value: unknown, root: Record<string, unknown>): unknown {
  try {
    return resolveServerlessVariables(value, root);
  } catch (e) {
    if (e instanceof UnresolvedVariable) throw new Unresolvable(e.message);
    throw e;
  }
}

/**
 * `resources:` of a service file, which is CloudFormation (a mapping, or a list of them that the framework merges).
 * A framework variable that cannot be resolved costs the one resource or parameter holding it, not the section: the
 * resource is kept in `unresolved`, with why, so that loading it or referring to it says so.
 */
function serverlessCloudFormation(
  root: Record<string, unknown>,
  fileName: string,
  warnings: string[],
): { Resources: Record<string, unknown>; Parameters: Record<string, unknown>; unresolved: Map<string, string> } {
  const merged = {
    Resources: {} as Record<string, unknown>,
    Parameters: {} as Record<string, unknown>,
    unresolved: new Map<string, string>(),
  };
  const parts = root.resources === undefined ? [] : Array.isArray(root.resources) ? root.resources : [root.resources];
  for (const written of parts) {
    // A whole part (or its Resources) given by a variable, `${file(resources.yml)}`: that part stands or falls whole.
    let part: unknown = written;
    try {
      if (!isMapping(part)) part = resolveVariables(part, root);
      if (isMapping(part) && !isMapping(part.Resources) && part.Resources !== undefined)
        part = { ...part, Resources: resolveVariables(part.Resources, root) };
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      warnings.push(`${fileName}: resources skipped: ${e.message}`);
      continue;
    }
    if (!isMapping(part)) continue;
    if (isMapping(part.Resources)) {
      for (const [logicalId, resource] of Object.entries(part.Resources)) {
        try {
          merged.Resources[logicalId] = resolveVariables(resource, root);
          merged.unresolved.delete(logicalId);
        } catch (e) {
          if (!(e instanceof Unresolvable)) throw e;
          merged.Resources[logicalId] = { Type: isMapping(resource) ? resource.Type : undefined };
          merged.unresolved.set(logicalId, e.message);
        }
      }
    }
    if (isMapping(part.Parameters)) {
      for (const [name, parameter] of Object.entries(part.Parameters)) {
        try {
          merged.Parameters[name] = resolveVariables(parameter, root);
        } catch (e) {
          if (!(e instanceof Unresolvable)) throw e;
          warnings.push(`${fileName}: parameter ${name} skipped: ${e.message}`);
        }
      }
    }
  }
  return merged;
}

function serverlessStage(root: Record<string, unknown>): string {
  try {
    const stage = resolveVariables('${sls:stage}', root);
    return typeof stage === 'string' || typeof stage === 'number' ? String(stage) : 'dev';
  } catch {
    return 'dev';
  }
}

/** The framework's stack: `<service>-<stage>`. */
function serverlessStackName(root: Record<string, unknown>): string {
  let service: unknown = root.service;
  try {
    service = resolveVariables(root.service, root);
  } catch {
    // an unresolvable service name: the stack name is only for generated names
  }
  const name = isMapping(service) ? service.name : service;
  return `${typeof name === 'string' ? name : 'service'}-${serverlessStage(root)}`;
}

interface ServerlessEvent {
  /** `<function>.events[<index>]`, as the editor names it. */
  readonly id: string;
  readonly functionKey: string;
  readonly functionConfig: Record<string, unknown>;
  readonly index: number;
  readonly eventBridge: Record<string, unknown>;
}

function serverlessEventBridgeEvents(root: Record<string, unknown>): ServerlessEvent[] {
  const events: ServerlessEvent[] = [];
  if (!isMapping(root.functions)) return events;
  for (const [functionKey, fn] of Object.entries(root.functions)) {
    if (!isMapping(fn) || !Array.isArray(fn.events)) continue;
    fn.events.forEach((event: unknown, index) => {
      if (isMapping(event) && isMapping(event.eventBridge))
        events.push({
          id: `${functionKey}.events[${index}]`,
          functionKey,
          functionConfig: fn,
          index,
          eventBridge: event.eventBridge,
        });
    });
  }
  return events;
}

/**
 * A function of a Serverless Framework service: named `<service>-<stage>-<key>` unless it has a `name`, its code the
 * service folder, its runtime, timeout (the framework's default is 6 s), memory and environment from the function or
 * else the provider.
 */
function readServerlessFunction(
  resolver: IntrinsicResolver,
  root: Record<string, unknown>,
  key: string,
  config: Record<string, unknown>,
  fileName: string,
  warn: (message: string) => void,
): LambdaFunction {
  const provider = isMapping(root.provider) ? root.provider : {};
  const value = (v: unknown, what: string): string | undefined =>
    v === undefined ? undefined : resolver.resolveString(resolveVariables(v, root), what);
  const name = value(config.name, 'name') ?? `${resolver.stackName}-${key}`;
  const environment: Record<string, string> = {};
  for (const source of [provider.environment, config.environment]) {
    if (!isMapping(source)) continue;
    for (const [variable, v] of Object.entries(source)) {
      try {
        environment[variable] = value(v, `environment.${variable}`) ?? '';
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        warn(`environment variable ${variable} is not set when the local bus runs it: ${e.message}`);
      }
    }
  }
  const number = (v: unknown, what: string, fallback: number): number => {
    const text = value(v, what);
    const n = text === undefined ? fallback : Number(text);
    if (!Number.isFinite(n)) throw new Unresolvable(`${what} is not a number`);
    return n;
  };
  const runtime = value(config.runtime ?? provider.runtime, 'runtime');
  const handler = value(config.handler, 'handler');
  return {
    name,
    arn: arn('lambda', resolver.region, resolver.accountId, `function:${name}`),
    code:
      config.image !== undefined
        ? { kind: 'unsupported', reason: 'its code is a container image, which the local bus does not run' }
        : { kind: 'directory', path: dirname(resolvePath(fileName)) },
    environment,
    timeoutSeconds: number(config.timeout ?? provider.timeout, 'timeout', 6),
    memorySize: number(config.memorySize ?? provider.memorySize, 'memorySize', 1024),
    declaredIn: `${fileName}: ${key}`,
    ...(runtime !== undefined ? { runtime } : {}),
    ...(handler !== undefined ? { handler } : {}),
  };
}

/**
 * The rule the framework deploys for an `eventBridge` event: on `eventBus` (default bus when absent), named
 * `<function name>-rule-<n>`, with the function as its target.
 */
function readServerlessRule(
  resolver: IntrinsicResolver,
  root: Record<string, unknown>,
  event: ServerlessEvent,
): TemplateRule {
  const config = resolveVariables(event.eventBridge, root) as Record<string, unknown>;
  const fnName = resolveVariables(event.functionConfig.name, root);
  const functionName =
    fnName === undefined ? `${resolver.stackName}-${event.functionKey}` : resolver.resolveString(fnName, 'name');
  const ruleName = `${functionName}-rule-${event.index + 1}`;
  const pattern = config.pattern === undefined ? undefined : resolver.resolvePattern(config.pattern);
  const schedule = config.schedule === undefined ? undefined : resolver.resolveString(config.schedule, 'schedule');
  return {
    logicalId: event.id,
    name: ruleName.length <= 64 ? ruleName : resolver.generatedName(event.id, 64),
    eventBusName:
      config.eventBus === undefined ? 'default' : busNameOf(resolver.resolveString(config.eventBus, 'eventBus')),
    targets: [
      {
        Id: `${ruleName}-target`.slice(-64),
        Arn: arn('lambda', resolver.region, resolver.accountId, `function:${functionName}`),
      },
    ],
    ...(pattern !== undefined ? { eventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) } : {}),
    ...(schedule !== undefined ? { scheduleExpression: schedule } : {}),
  };
}

function readRule(
  resolver: IntrinsicResolver,
  logicalId: string,
  properties: Record<string, unknown>,
  fileName: string,
  warnings: string[],
): TemplateRule {
  let eventPattern: string | undefined;
  if (properties.EventPattern !== undefined) {
    const pattern = resolver.resolvePattern(properties.EventPattern);
    eventPattern = typeof pattern === 'string' ? pattern : JSON.stringify(pattern);
  }
  const eventPatternTemplate = subTemplateText(properties.EventPattern);
  const optional = (key: string): string | undefined =>
    properties[key] === undefined ? undefined : resolver.resolveString(properties[key], key);
  const targets: Target[] = [];
  const rawTargets = properties.Targets ?? [];
  if (!Array.isArray(rawTargets)) throw new Unresolvable('Targets is not a list');
  // One target that cannot be resolved costs that target, not the rule.
  for (const [i, unresolved] of rawTargets.entries()) {
    let raw: unknown;
    try {
      raw = resolver.resolve(unresolved);
    } catch (e) {
      if (!(e instanceof Unresolvable)) throw e;
      warnings.push(`${fileName}: resource ${logicalId}: target ${i + 1} skipped: ${e.message}`);
      continue;
    }
    const t = raw as Record<string, unknown> | null;
    if (!t || typeof t !== 'object' || typeof t.Id !== 'string' || typeof t.Arn !== 'string') {
      warnings.push(`${fileName}: resource ${logicalId}: target ${i + 1} skipped: it needs a string Id and Arn`);
      continue;
    }
    const input = typeof t.Input === 'string' ? t.Input : undefined;
    const inputPath = typeof t.InputPath === 'string' ? t.InputPath : undefined;
    const transformer = t.InputTransformer as Target['InputTransformer'] | undefined;
    const structure = (key: string): object | undefined =>
      t[key] && typeof t[key] === 'object' && !Array.isArray(t[key]) ? t[key] : undefined;
    const sqsParameters = structure('SqsParameters') as Target['SqsParameters'];
    const deadLetterConfig = structure('DeadLetterConfig') as Target['DeadLetterConfig'];
    const retryPolicy = structure('RetryPolicy') as Target['RetryPolicy'];
    targets.push({
      Id: t.Id,
      Arn: t.Arn,
      ...(input !== undefined ? { Input: input } : {}),
      ...(inputPath !== undefined ? { InputPath: inputPath } : {}),
      ...(transformer && typeof transformer.InputTemplate === 'string' ? { InputTransformer: transformer } : {}),
      ...(typeof t.RoleArn === 'string' ? { RoleArn: t.RoleArn } : {}),
      ...(sqsParameters ? { SqsParameters: sqsParameters } : {}),
      ...(deadLetterConfig ? { DeadLetterConfig: deadLetterConfig } : {}),
      ...(retryPolicy ? { RetryPolicy: retryPolicy } : {}),
    });
  }
  const state = optional('State');
  const description = optional('Description');
  const scheduleExpression = optional('ScheduleExpression');
  return {
    logicalId,
    name: resolver.physicalName(logicalId),
    eventBusName: resolver.ruleBusName(logicalId),
    targets,
    ...(eventPattern !== undefined ? { eventPattern } : {}),
    ...(eventPattern !== undefined && eventPatternTemplate !== undefined ? { eventPatternTemplate } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
  };
}

/** The template string of an `Fn::Sub` (`{"Fn::Sub": text}` or `{"Fn::Sub": [text, {...}]}`), if `value` is one. */
function subTemplateText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'Fn::Sub') return undefined;
  const arg = (value as Record<string, unknown>)['Fn::Sub'];
  const text = Array.isArray(arg) ? (arg[0] as unknown) : arg;
  return typeof text === 'string' ? text : undefined;
}

/** A target's RetryPolicy and DeadLetterConfig (with an `Arn`), as a template writes them. */
function deliveryOptions(t: Record<string, unknown>): Pick<Target, 'RetryPolicy' | 'DeadLetterConfig'> {
  const out: { RetryPolicy?: Target['RetryPolicy']; DeadLetterConfig?: Target['DeadLetterConfig'] } = {};
  if (isMapping(t.RetryPolicy)) {
    const attempts = Number(t.RetryPolicy.MaximumRetryAttempts);
    const age = Number(t.RetryPolicy.MaximumEventAgeInSeconds);
    out.RetryPolicy = {
      ...(t.RetryPolicy.MaximumRetryAttempts !== undefined && Number.isFinite(attempts)
        ? { MaximumRetryAttempts: attempts }
        : {}),
      ...(t.RetryPolicy.MaximumEventAgeInSeconds !== undefined && Number.isFinite(age)
        ? { MaximumEventAgeInSeconds: age }
        : {}),
    };
  }
  if (isMapping(t.DeadLetterConfig) && typeof t.DeadLetterConfig.Arn === 'string')
    out.DeadLetterConfig = { Arn: t.DeadLetterConfig.Arn };
  return out;
}

/** The SAM event types that become an EventBridge rule targeting the function. */
const SAM_RULE_EVENT_TYPES: ReadonlySet<unknown> = new Set(['EventBridgeRule', 'CloudWatchEvent', 'Schedule']);

interface SamRuleEvent {
  readonly type: string;
  readonly properties: Record<string, unknown>;
}

/** A SAM function's `EventBridgeRule` / `CloudWatchEvent` / `Schedule` events, by event id. */
function samEventBridgeEvents(properties: Record<string, unknown>): Record<string, SamRuleEvent> {
  const events = properties.Events;
  if (!events || typeof events !== 'object' || Array.isArray(events)) return {};
  const out: Record<string, SamRuleEvent> = {};
  for (const [id, event] of Object.entries(events as Record<string, { Type?: unknown; Properties?: unknown }>)) {
    if (event && SAM_RULE_EVENT_TYPES.has(event.Type)) {
      out[id] = {
        type: String(event.Type),
        properties:
          event.Properties && typeof event.Properties === 'object' ? (event.Properties as Record<string, unknown>) : {},
      };
    }
  }
  return out;
}

/** SAM's `Globals.Function`, resolved later with each function. */
function samFunctionGlobals(template: Record<string, unknown>): Record<string, unknown> {
  const globals = template.Globals;
  return isMapping(globals) && isMapping(globals.Function) ? globals.Function : {};
}

/** SAM's merge of Globals into a function: the function's value wins; maps merge key by key; lists add up. */
function mergeSamGlobals(
  globals: Record<string, unknown>,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...globals };
  for (const [key, value] of Object.entries(properties)) {
    const global = out[key];
    if (isMapping(global) && isMapping(value) && !isIntrinsicObject(value) && !isIntrinsicObject(global))
      out[key] = mergeSamGlobals(global, value);
    else if (Array.isArray(global) && Array.isArray(value))
      out[key] = [...(global as unknown[]), ...(value as unknown[])];
    else out[key] = value;
  }
  return out;
}

function isIntrinsicObject(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && isIntrinsicKey(keys[0]);
}

/** `AWS::Lambda::EventInvokeConfig` resources (asynchronous retries), by the logical id of their function. */
function eventInvokeConfigs(resources: Record<string, Resource>): Map<string, Record<string, unknown>> {
  const configs = new Map<string, Record<string, unknown>>();
  for (const resource of Object.values(resources)) {
    if (!resource || resource.Type !== 'AWS::Lambda::EventInvokeConfig' || !isMapping(resource.Properties)) continue;
    const fn = resource.Properties.FunctionName;
    const target = typeof fn === 'string' ? fn : isMapping(fn) && typeof fn.Ref === 'string' ? fn.Ref : undefined;
    if (target !== undefined) configs.set(target, resource.Properties);
  }
  return configs;
}

const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/**
 * A Lambda function of the template: name and ARN as CloudFormation gives them, its code (inline, or a folder next to
 * the template), handler, runtime, environment, timeout, and its asynchronous-invocation settings.
 */
function readFunction(
  resolver: IntrinsicResolver,
  logicalId: string,
  resource: Resource,
  properties: Record<string, unknown>,
  fileName: string,
  invokeConfig: Record<string, unknown> | undefined,
  warn: (message: string) => void,
): LambdaFunction {
  const sam = resource.Type === 'AWS::Serverless::Function';
  const name = resolver.physicalName(logicalId);
  const optionalString = (key: string): string | undefined =>
    properties[key] === undefined ? undefined : resolver.resolveString(properties[key], key);
  const optionalNumber = (value: unknown, what: string): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(resolver.resolveString(value, what));
    if (!Number.isFinite(n)) throw new Unresolvable(`${what} is not a number`);
    return n;
  };
  // Variable by variable: one that needs a deployment (`!GetAtt Table.Arn`) is left out, not the function.
  const environment: Record<string, string> = {};
  const variables = isMapping(properties.Environment) ? properties.Environment.Variables : undefined;
  if (isMapping(variables)) {
    for (const [key, value] of Object.entries(variables)) {
      try {
        environment[key] = resolver.resolveString(value, `Environment.Variables.${key}`);
      } catch (e) {
        if (!(e instanceof Unresolvable)) throw e;
        warn(`environment variable ${key} is not set when the local bus runs it: ${e.message}`);
      }
    }
  }
  const deadLetter =
    properties.DeadLetterConfig === undefined ? undefined : resolver.resolve(properties.DeadLetterConfig);
  const samInvokeConfig = sam && isMapping(properties.EventInvokeConfig) ? properties.EventInvokeConfig : undefined;
  const asyncConfig = invokeConfig ?? samInvokeConfig;
  const timeout = optionalNumber(properties.Timeout, 'Timeout');
  const memory = optionalNumber(properties.MemorySize, 'MemorySize');
  const retries = optionalNumber(asyncConfig?.MaximumRetryAttempts, 'MaximumRetryAttempts');
  const maxAge = optionalNumber(asyncConfig?.MaximumEventAgeInSeconds, 'MaximumEventAgeInSeconds');
  const reserved = optionalNumber(properties.ReservedConcurrentExecutions, 'ReservedConcurrentExecutions');
  const runtime = optionalString('Runtime');
  const handler = optionalString('Handler');
  const deadLetterArn =
    isMapping(deadLetter) && typeof deadLetter.TargetArn === 'string' ? deadLetter.TargetArn : undefined;
  return {
    name,
    arn: arn('lambda', resolver.region, resolver.accountId, `function:${name}`),
    code: functionCode(resolver, resource, properties, fileName, sam),
    environment,
    timeoutSeconds: timeout ?? DEFAULT_TIMEOUT_SECONDS,
    memorySize: memory ?? DEFAULT_MEMORY_MB,
    declaredIn: `${fileName}: ${logicalId}`,
    ...(runtime !== undefined ? { runtime } : {}),
    ...(handler !== undefined ? { handler } : {}),
    ...(retries !== undefined ? { maximumRetryAttempts: retries } : {}),
    ...(maxAge !== undefined ? { maximumEventAgeSeconds: maxAge } : {}),
    ...(deadLetterArn !== undefined ? { deadLetterArn } : {}),
    ...(reserved !== undefined ? { reservedConcurrency: reserved } : {}),
  };
}

/** Where the function's code is, or why the local bus cannot run it. */
function functionCode(
  resolver: IntrinsicResolver,
  resource: Resource,
  properties: Record<string, unknown>,
  fileName: string,
  sam: boolean,
): FunctionCode {
  const folder = (relative: string): FunctionCode => ({
    kind: 'directory',
    path: isAbsolute(relative) ? relative : resolvePath(dirname(fileName), relative),
  });
  if (properties.PackageType === 'Image' || properties.ImageUri !== undefined)
    return { kind: 'unsupported', reason: 'its code is a container image, which the local bus does not run' };
  // CDK's synthesized templates name the asset folder beside the template (as `sam local` reads it).
  const metadata = resource.Metadata;
  if (isMapping(metadata) && typeof metadata['aws:asset:path'] === 'string') {
    const property = metadata['aws:asset:property'];
    if (property === undefined || property === 'Code' || property === 'CodeUri')
      return folder(metadata['aws:asset:path']);
  }
  if (sam) {
    if (properties.InlineCode !== undefined)
      return { kind: 'inline', text: resolver.resolveString(properties.InlineCode, 'InlineCode') };
    if (properties.CodeUri === undefined) return { kind: 'unsupported', reason: 'it has no CodeUri or InlineCode' };
    const uri = resolver.resolve(properties.CodeUri);
    if (typeof uri !== 'string' || uri.startsWith('s3://'))
      return { kind: 'unsupported', reason: 'its CodeUri is in S3, which the local bus does not read' };
    if (/\.(zip|jar)$/i.test(uri))
      return { kind: 'unsupported', reason: `its CodeUri ${uri} is an archive; point it at the unpacked folder` };
    return folder(uri);
  }
  const code = resolver.resolve(properties.Code);
  if (!isMapping(code)) return { kind: 'unsupported', reason: 'it has no Code' };
  if (typeof code.ZipFile === 'string') return { kind: 'inline', text: code.ZipFile };
  if (code.S3Bucket !== undefined)
    return { kind: 'unsupported', reason: 'its Code is in S3 (S3Bucket), which the local bus does not read' };
  return { kind: 'unsupported', reason: 'its Code has no ZipFile' };
}

/**
 * The rule SAM generates for such an event: logical id `<Function><Event>`, the function as its only target (with the
 * event's Input / InputPath / RetryPolicy / DeadLetterConfig); a `Schedule` event gives a scheduled rule.
 */
function readSamRule(
  resolver: IntrinsicResolver,
  functionId: string,
  eventId: string,
  samEvent: SamRuleEvent,
): TemplateRule {
  const event = samEvent.properties;
  const schedule = samEvent.type === 'Schedule';
  const ruleId = `${functionId}${eventId}`;
  const pattern = schedule || event.Pattern === undefined ? undefined : resolver.resolvePattern(event.Pattern);
  const scheduleExpression =
    schedule && event.Schedule !== undefined ? resolver.resolveString(event.Schedule, 'Schedule') : undefined;
  if (schedule && scheduleExpression === undefined) throw new Unresolvable('a Schedule event needs Schedule');
  const functionName = resolver.physicalName(functionId);
  const state =
    event.State === undefined
      ? event.Enabled === false
        ? 'DISABLED'
        : undefined
      : resolver.resolveString(event.State, 'State');
  const explicitName = schedule ? event.Name : event.RuleName;
  const input = event.Input === undefined ? undefined : resolver.resolveString(event.Input, 'Input');
  const inputPath = event.InputPath === undefined ? undefined : resolver.resolveString(event.InputPath, 'InputPath');
  const resolvedTarget = isMapping(event.Target) ? resolver.resolve(event.Target) : undefined;
  const targetId =
    isMapping(resolvedTarget) && typeof resolvedTarget.Id === 'string' ? resolvedTarget.Id : `${ruleId}LambdaTarget`;
  const delivery = deliveryOptions({
    ...(event.RetryPolicy !== undefined ? { RetryPolicy: resolver.resolve(event.RetryPolicy) } : {}),
    ...(event.DeadLetterConfig !== undefined ? { DeadLetterConfig: resolver.resolve(event.DeadLetterConfig) } : {}),
  });
  const description =
    event.Description === undefined ? undefined : resolver.resolveString(event.Description, 'Description');
  return {
    logicalId: ruleId,
    name:
      explicitName === undefined ? resolver.generatedName(ruleId, 64) : resolver.resolveString(explicitName, 'Name'),
    eventBusName:
      schedule || event.EventBusName === undefined
        ? 'default'
        : busNameOf(resolver.resolveString(event.EventBusName, 'EventBusName')),
    targets: [
      {
        Id: targetId.slice(0, 64),
        Arn: arn('lambda', resolver.region, resolver.accountId, `function:${functionName}`),
        ...(input !== undefined ? { Input: input } : {}),
        ...(inputPath !== undefined ? { InputPath: inputPath } : {}),
        ...delivery,
      },
    ],
    ...(pattern !== undefined ? { eventPattern: typeof pattern === 'string' ? pattern : JSON.stringify(pattern) } : {}),
    ...(pattern !== undefined && subTemplateText(event.Pattern) !== undefined
      ? { eventPatternTemplate: subTemplateText(event.Pattern) }
      : {}),
    ...(scheduleExpression !== undefined ? { scheduleExpression } : {}),
    ...(state !== undefined ? { state } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

/** Creates what the template describes in one region; returns warnings for what could not be created. */
export function applyTemplate(region: RegionState, resources: TemplateResources, fileName: string): string[] {
  const warnings: string[] = [];
  for (const name of resources.logGroups) if (!region.logs.groups.has(name)) region.logs.createGroup(name);
  for (const fn of resources.functions) {
    region.lambda.put(fn);
    // Lambda creates the group at the first run; here it exists from the start, so a tail can begin before it.
    try {
      if (!region.logs.groups.has(functionLogGroup(fn.name))) region.logs.createGroup(functionLogGroup(fn.name));
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      warnings.push(`${fileName}: log group ${functionLogGroup(fn.name)} not created: ${e.code}: ${e.message}`);
    }
  }
  for (const bus of resources.buses)
    if (!region.events.buses.has(bus.name)) region.events.createBus(bus.name, bus.description);
  for (const queue of resources.queues) {
    try {
      // Loading a template again (after an edit) updates its queues, as a stack update would.
      const existing = region.sqs.queues.get(queue.name);
      if (existing) region.sqs.setAttributes(existing, queue.attributes);
      else region.sqs.createQueue(queue.name, queue.attributes, queue.tags);
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      warnings.push(`${fileName}: queue ${queue.logicalId} (${queue.name}) not loaded: ${e.code}: ${e.message}`);
    }
  }
  for (const topic of resources.topics) {
    try {
      region.sns.createTopic(topic.name, {
        fifo: topic.fifo,
        contentBasedDeduplication: topic.contentBasedDeduplication,
      });
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      warnings.push(`${fileName}: topic ${topic.logicalId} (${topic.name}) not loaded: ${e.code}: ${e.message}`);
    }
  }
  for (const subscription of resources.subscriptions) {
    const what = `subscription ${subscription.logicalId ?? `${subscription.protocol} ${subscription.endpoint}`}`;
    try {
      region.sns.subscribe(region.sns.topicByArn(subscription.topicArn), {
        protocol: subscription.protocol,
        endpoint: subscription.endpoint,
        rawMessageDelivery: subscription.rawMessageDelivery,
        ...(subscription.filterPolicy !== undefined ? { filterPolicy: subscription.filterPolicy } : {}),
        ...(subscription.filterPolicyScope !== undefined ? { filterPolicyScope: subscription.filterPolicyScope } : {}),
      });
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      warnings.push(`${fileName}: ${what} not loaded: ${e.code}: ${e.message}`);
    }
  }
  for (const rule of resources.rules) {
    try {
      const created = region.events.putRule(region.events.bus(rule.eventBusName), {
        name: rule.name,
        ...(rule.eventPattern !== undefined ? { eventPattern: rule.eventPattern } : {}),
        ...(rule.scheduleExpression !== undefined ? { scheduleExpression: rule.scheduleExpression } : {}),
        ...(rule.state !== undefined ? { state: rule.state } : {}),
        ...(rule.description !== undefined ? { description: rule.description } : {}),
      });
      region.events.putTargets(created, rule.targets);
    } catch (e) {
      if (!(e instanceof AwsServiceError)) throw e;
      warnings.push(`${fileName}: rule ${rule.logicalId} (${rule.name}) not loaded: ${e.code}: ${e.message}`);
    }
  }
  return warnings;
}

/**
 * Parses, reads and applies one template text; returns every warning. Throws TemplateParseError for bad syntax.
 * The template's parameter names are added to `parameterNames` when given.
 */
export function loadTemplate(
  region: RegionState,
  text: string,
  fileName: string,
  context: TemplateContext,
  parameterNames?: Set<string>,
): string[] {
  const warnings: string[] = [];
  const resources = readTemplate(parseTemplateText(text, fileName, warnings), fileName, context);
  for (const name of resources.parameterNames) parameterNames?.add(name);
  return [
    ...warnings,
    ...resources.warnings,
    ...resources.targetWarnings,
    ...applyTemplate(region, resources, fileName),
  ];
}
