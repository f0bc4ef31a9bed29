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
import { logGroupFromArn, ruleFromPhysicalId, type LogGroupRef, type RuleRef } from './arns';

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
  readonly logGroups: LogGroupRef[];
  /** Targets that are not log groups, as `Id (ARN)`, to say why they are not tailed. */
  readonly others: string[];
}

/** Splits a rule's targets into CloudWatch Logs log groups (deduplicated) and the rest. */
export function logTargetsOf(targets: readonly Target[]): LogTargets {
  const logGroups: LogGroupRef[] = [];
  const others: string[] = [];
  for (const t of targets) {
    const group = t.Arn ? logGroupFromArn(t.Arn) : undefined;
    if (group) {
      if (!logGroups.some((g) => g.arn === group.arn)) logGroups.push(group);
    } else others.push(`${t.Id ?? '?'} (${t.Arn ?? 'no ARN'})`);
  }
  return { logGroups, others };
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
