// Finding things on a bus: event buses, rules, a rule's targets and which of them are log groups, and the deployed
// name of a rule written in a template (through CloudFormation when the template is a deployed stack).
import {
  ListStackResourcesCommand,
  ListStacksCommand,
  type CloudFormationClient,
  type StackStatus,
} from '@aws-sdk/client-cloudformation';
import {
  ListEventBusesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
  type Rule,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { type CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { functionLogGroupFromArn, logGroupFromArn, ruleFromPhysicalId, type LogGroupRef, type RuleRef } from './arns';

const MAX_PAGES = 50;

export async function listEventBuses(events: EventBridgeClient, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await events.send(
      new ListEventBusesCommand({ ...(NextToken ? { NextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    for (const b of r.EventBuses ?? []) if (b.Name) names.push(b.Name);
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  // `default` first: it is where most events go.
  return names.sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
}

export async function listRules(
  events: EventBridgeClient,
  eventBusName: string,
  signal?: AbortSignal,
): Promise<Rule[]> {
  const rules: Rule[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await events.send(
      new ListRulesCommand({ EventBusName: eventBusName, ...(NextToken ? { NextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    rules.push(...(r.Rules ?? []));
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  return rules;
}

export async function listTargets(events: EventBridgeClient, rule: RuleRef, signal?: AbortSignal): Promise<Target[]> {
  const targets: Target[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await events.send(
      new ListTargetsByRuleCommand({
        Rule: rule.name,
        EventBusName: rule.eventBusName,
        ...(NextToken ? { NextToken } : {}),
      }),
      signal ? { abortSignal: signal } : {},
    );
    targets.push(...(r.Targets ?? []));
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  return targets;
}

export interface LogTargets {
  /** The log groups to tail: the targets that are log groups, and the groups of the Lambda functions targeted. */
  readonly logGroups: LogGroupRef[];
  /** Of `logGroups`, those of Lambda functions (`/aws/lambda/<name>`): the function's own output. */
  readonly functionLogGroups: LogGroupRef[];
  /** Targets that are neither, as `Id (ARN)`, to say why they are not tailed. */
  readonly others: string[];
}

/**
 * Splits a rule's targets into what can be tailed (CloudWatch Logs log groups, and for a Lambda function the group it
 * writes its output to), deduplicated, and the rest.
 */
export function logTargetsOf(targets: readonly Target[]): LogTargets {
  const logGroups: LogGroupRef[] = [];
  const functionLogGroups: LogGroupRef[] = [];
  const others: string[] = [];
  for (const t of targets) {
    const group = t.Arn ? logGroupFromArn(t.Arn) : undefined;
    const fnGroup = t.Arn && !group ? functionLogGroupFromArn(t.Arn) : undefined;
    if (group ?? fnGroup) {
      const g = (group ?? fnGroup)!;
      if (!logGroups.some((x) => x.arn === g.arn)) logGroups.push(g);
      if (fnGroup && !functionLogGroups.some((x) => x.arn === fnGroup.arn)) functionLogGroups.push(fnGroup);
    } else others.push(`${t.Id ?? '?'} (${t.Arn ?? 'no ARN'})`);
  }
  return { logGroups, functionLogGroups, others };
}

/**
 * The groups of `groups` that do not exist (yet): Lambda creates a function's group at its first run, and tailing a
 * missing group fails the whole tail.
 */
export async function missingLogGroups(
  logs: CloudWatchLogsClient,
  groups: readonly LogGroupRef[],
  signal?: AbortSignal,
): Promise<LogGroupRef[]> {
  const missing: LogGroupRef[] = [];
  for (const g of groups) {
    const r = await logs.send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: g.name, limit: 50 }),
      signal ? { abortSignal: signal } : {},
    );
    if (!(r.logGroups ?? []).some((x) => x.logGroupName === g.name)) missing.push(g);
  }
  return missing;
}

const LIVE_STACK_STATUSES: StackStatus[] = [
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'CREATE_IN_PROGRESS',
];

/** Stack names that are deployed (not deleted), newest first. */
export async function listStacks(cfn: CloudFormationClient, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await cfn.send(
      new ListStacksCommand({ StackStatusFilter: LIVE_STACK_STATUSES, ...(NextToken ? { NextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    for (const s of r.StackSummaries ?? []) if (s.StackName) names.push(s.StackName);
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  return names;
}

/**
 * The deployed rule for a template resource, from the stack's resources: undefined when the stack has no such
 * logical id. `templateBusName` is the bus the template gives the rule (physical ids on the default bus omit it).
 */
export async function deployedRule(
  cfn: CloudFormationClient,
  stackName: string,
  logicalId: string,
  templateBusName: string,
  signal?: AbortSignal,
): Promise<RuleRef | undefined> {
  let NextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await cfn.send(
      new ListStackResourcesCommand({ StackName: stackName, ...(NextToken ? { NextToken } : {}) }),
      signal ? { abortSignal: signal } : {},
    );
    const found = r.StackResourceSummaries?.find((s) => s.LogicalResourceId === logicalId);
    if (found) {
      if (found.ResourceType !== 'AWS::Events::Rule')
        throw new Error(
          `${logicalId} in stack ${stackName} is a ${found.ResourceType ?? 'resource'}, not an AWS::Events::Rule`,
        );
      return found.PhysicalResourceId ? ruleFromPhysicalId(found.PhysicalResourceId, templateBusName) : undefined;
    }
    NextToken = r.NextToken;
    if (!NextToken) break;
  }
  return undefined;
}
