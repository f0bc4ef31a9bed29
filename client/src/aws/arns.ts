// ARNs the AWS commands meet: rule targets (which of them are CloudWatch Logs log groups), rules and buses, and the
// physical ids CloudFormation gives rules.

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the fifth colon, e.g. `log-group:/aws/events/x:*` or `rule/bus/name`. */
  readonly resource: string;
}

/** Splits an ARN into its parts; undefined when it is not one. */
export function parseArn(text: string): Arn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(text.trim());
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], accountId: m[4], resource: m[5] };
}

export interface LogGroupRef {
  readonly name: string;
  /** The log group ARN without the trailing `:*` (what StartLiveTail's logGroupIdentifiers take). */
  readonly arn: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * The log group a target ARN names, when it is a CloudWatch Logs log group. Consoles and `!GetAtt LogGroup.Arn` give
 * a trailing `:*`, which is not part of the name.
 */
export function logGroupFromArn(text: string): LogGroupRef | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'logs' || !arn.resource.startsWith('log-group:')) return undefined;
  let name = arn.resource.slice('log-group:'.length);
  if (name.endsWith(':*')) name = name.slice(0, -2);
  // `log-group:NAME:log-stream:...` names a stream; the group is before it.
  const stream = name.indexOf(':log-stream:');
  if (stream >= 0) name = name.slice(0, stream);
  if (name === '') return undefined;
  return {
    name,
    arn: `arn:${arn.partition}:logs:${arn.region}:${arn.accountId}:log-group:${name}`,
    region: arn.region,
    accountId: arn.accountId,
  };
}

/**
 * The log group Lambda writes a function's output to (`/aws/lambda/<name>`), when a target ARN names a function
 * (`arn:aws:lambda:r:a:function:NAME`, with or without a version or alias).
 */
export function functionLogGroupFromArn(text: string): LogGroupRef | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'lambda' || !arn.resource.startsWith('function:')) return undefined;
  const name = arn.resource.slice('function:'.length).split(':')[0];
  if (name === '') return undefined;
  const group = `/aws/lambda/${name}`;
  return {
    name: group,
    arn: `arn:${arn.partition}:logs:${arn.region}:${arn.accountId}:log-group:${group}`,
    region: arn.region,
    accountId: arn.accountId,
  };
}

export interface RuleRef {
  readonly name: string;
  /** `default` when the ARN or id names no bus. */
  readonly eventBusName: string;
}

/** `arn:aws:events:r:a:rule/NAME` (default bus) or `rule/BUS/NAME`. */
export function ruleFromArn(text: string): RuleRef | undefined {
  const arn = parseArn(text);
  if (!arn || arn.service !== 'events' || !arn.resource.startsWith('rule/')) return undefined;
  const parts = arn.resource.slice('rule/'.length).split('/');
  if (parts.length === 1 && parts[0]) return { name: parts[0], eventBusName: 'default' };
  if (parts.length === 2 && parts[0] && parts[1]) return { eventBusName: parts[0], name: parts[1] };
  return undefined;
}

/**
 * The rule a CloudFormation `AWS::Events::Rule` physical id names: the rule name on the default bus, `BUS|NAME` on a
 * custom bus (what `Ref` returns there), or a rule ARN.
 */
export function ruleFromPhysicalId(physicalId: string, templateBusName = 'default'): RuleRef | undefined {
  const id = physicalId.trim();
  if (id === '') return undefined;
  if (id.startsWith('arn:')) return ruleFromArn(id);
  const bar = id.indexOf('|');
  if (bar >= 0) {
    const bus = id.slice(0, bar);
    const name = id.slice(bar + 1);
    return bus && name ? { eventBusName: bus, name } : undefined;
  }
  return { name: id, eventBusName: templateBusName };
}

/** A bus name from a name or an event-bus ARN. */
export function busName(nameOrArn: string): string {
  const arn = parseArn(nameOrArn);
  if (arn?.service === 'events' && arn.resource.startsWith('event-bus/'))
    return arn.resource.slice('event-bus/'.length);
  return nameOrArn;
}
