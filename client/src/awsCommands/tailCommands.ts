// Tailing a rule's CloudWatch Logs targets into the "EventBridge Tail" output: the rule from a bus, or the one under
// the cursor in a template (its deployed name through CloudFormation); live tail, else polling; until stopped.
import * as vscode from 'vscode';
import { busName, ruleFromArn, type LogGroupRef, type RuleRef } from '../aws/arns';
import { LOCAL_DEFAULT_ACCOUNT_ID, type AwsClients } from '../aws/clients';
import { redactSecrets } from '../aws/errors';
import { formatTailedEvent, tailLogGroups, type TailedEvent } from '../aws/logTail';
import { deployedRule, listRules, listStacks, listTargets, logTargetsOf, missingLogGroups } from '../aws/ruleTargets';
import { RuleAtRequest, type Answer, type TemplateRuleInfo } from '../../../shared';
import type { AwsContext, RunningTail, TailStopped } from '../awsContext';
import type { ServerRequests } from '../patternServer';
import { AwsCommands, ask, chooseBus, cursorOf, isRecord, withCancellableProgress } from './commandSupport';
import { recentTailedEvents } from '../events/tailedEvents';

export const TAIL_CHANNEL_NAME = 'EventBridge Tail';
const RECENT_TAIL_LINES = 200;

export interface TailArgs {
  readonly eventBusName?: string;
  readonly ruleName?: string;
  readonly ruleArn?: string;
  /** Use the rule under the cursor in the active template. */
  readonly fromCursor?: boolean;
  /** The CloudFormation stack the template is deployed as (for the rule under the cursor). */
  readonly stackName?: string;
  /** Poll FilterLogEvents instead of StartLiveTail. */
  readonly forcePolling?: boolean;
  /** Milliseconds of recent events to show first (default 15 minutes). */
  readonly recentMs?: number;
}

export interface TailStarted {
  readonly rule: RuleRef;
  readonly logGroups: string[];
  readonly channel: string;
}

export function registerTailCommands(aws: AwsContext, server: ServerRequests): vscode.Disposable[] {
  const output = aws.output;
  const tailChannel = vscode.window.createOutputChannel(TAIL_CHANNEL_NAME);

  /** The template rule under the cursor of an editor, named as the local bus names it in the region. */
  function ruleAtCursor(
    editor: vscode.TextEditor,
    region: string,
    signal?: AbortSignal,
  ): Promise<Answer<{ rule: TemplateRuleInfo }>> {
    return ask(
      server,
      RuleAtRequest,
      { ...cursorOf(editor), region, accountId: aws.localBus?.accountId ?? LOCAL_DEFAULT_ACCOUNT_ID },
      signal,
    );
  }

  async function resolveRuleFromCursor(
    clients: AwsClients,
    args: TailArgs,
    signal: AbortSignal,
  ): Promise<RuleRef | string | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return 'There is no active editor with a template.';
    const c = clients.connection;
    const resolved = await ruleAtCursor(editor, c.region, signal);
    if (!resolved.ok) return resolved.reason;
    const rule = resolved.rule;
    if (c.localBus) return { name: rule.localName, eventBusName: rule.eventBusName };
    let stack = args.stackName;
    if (!stack) {
      const stacks = await listStacks(clients.cloudFormation, signal);
      const explicit = rule.explicitName
        ? [{ label: `$(symbol-constant) Not from a stack: use the rule name ${rule.localName}`, stack: '' }]
        : [];
      const pick = await vscode.window.showQuickPick([...explicit, ...stacks.map((s) => ({ label: s, stack: s }))], {
        title: `EventBridge: the stack that deployed ${rule.logicalId}`,
      });
      if (!pick) return undefined;
      stack = pick.stack;
    }
    if (stack === '') return { name: rule.localName, eventBusName: rule.eventBusName };
    const deployed = await deployedRule(clients.cloudFormation, stack, rule.logicalId, rule.eventBusName, signal);
    if (deployed) return deployed;
    if (rule.explicitName) return { name: rule.localName, eventBusName: rule.eventBusName };
    return `Stack ${stack} has no resource ${rule.logicalId}: deploy the template, or pick the stack it was deployed as.`;
  }

  async function chooseRule(
    clients: AwsClients,
    args: TailArgs,
    signal: AbortSignal,
  ): Promise<RuleRef | string | undefined> {
    if (args.ruleArn) return ruleFromArn(args.ruleArn) ?? `${args.ruleArn} is not a rule ARN.`;
    if (args.ruleName) return { name: args.ruleName, eventBusName: busName(args.eventBusName ?? 'default') };
    const editor = vscode.window.activeTextEditor;
    const cursorRule =
      args.fromCursor || (editor !== undefined && (await ruleAtCursor(editor, clients.connection.region, signal)).ok);
    if (cursorRule) return resolveRuleFromCursor(clients, args, signal);
    const bus = await chooseBus(clients, args.eventBusName, signal);
    if (!bus) return undefined;
    const rules = await listRules(clients.events, bus, signal);
    if (rules.length === 0) return `The bus ${bus} has no rules.`;
    const pick = await vscode.window.showQuickPick(
      rules.map((r) => ({
        label: r.Name ?? '?',
        description: r.State ?? '',
        detail: r.Description ?? r.EventPattern ?? '',
      })),
      { title: `EventBridge: rule on ${bus} to tail` },
    );
    return pick ? { name: pick.label, eventBusName: bus } : undefined;
  }

  async function tailLogTargets(arg?: unknown): Promise<TailStarted | undefined> {
    if (aws.refuseUntrusted('tail log targets')) return undefined;
    const args: TailArgs = isRecord(arg) ? arg : {};
    const clients = await aws.clients('tail log targets');
    if (!clients) return undefined;
    let prepared: { rule: RuleRef; logGroups: LogGroupRef[]; others: string[] } | undefined;
    try {
      prepared = await withCancellableProgress("EventBridge: finding the rule's log targets", async (signal) => {
        try {
          const rule = await chooseRule(clients, args, signal);
          if (rule === undefined) return undefined;
          if (typeof rule === 'string') {
            void vscode.window.showWarningMessage(`EventBridge: cannot tail: ${rule}`);
            return undefined;
          }
          const targets = logTargetsOf(await listTargets(clients.events, rule, signal));
          // A function that has never run has no log group yet: say so rather than fail the tail on it.
          const missing = await missingLogGroups(clients.logs, targets.functionLogGroups, signal);
          const logGroups = targets.logGroups.filter((g) => !missing.some((m) => m.arn === g.arn));
          const others = [
            ...targets.others,
            ...missing.map((m) => `${m.name} (the function has not written a log yet)`),
          ];
          return { rule, logGroups, others };
        } catch (e) {
          aws.reportError(e, clients.connection, "Finding the rule's targets");
          return undefined;
        }
      });
    } catch (e) {
      clients.destroy();
      throw e;
    }
    if (!prepared) {
      clients.destroy();
      return undefined;
    }
    const { rule, logGroups, others } = prepared;
    if (logGroups.length === 0) {
      clients.destroy();
      void vscode.window.showWarningMessage(
        `EventBridge: rule ${rule.name} on ${rule.eventBusName} has no CloudWatch Logs or Lambda targets to tail${others.length ? ` (its targets: ${others.join(', ')})` : ''}.`,
      );
      return undefined;
    }
    if (aws.runningTail) await aws.stopTail();

    const abort = new AbortController();
    const description = `rule ${rule.name} on ${rule.eventBusName} → ${logGroups.map((g) => g.name).join(', ')}`;
    tailChannel.appendLine(`=== Tailing ${description} (${new Date().toISOString()})`);
    if (others.length) tailChannel.appendLine(`    not tailed: ${others.join(', ')}`);
    tailChannel.show(true);
    const recent: string[] = [];
    const onLocalBus = clients.connection.localBus;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    const tail: RunningTail = { description, abort, done, delivered: 0, recent, onLocalBus };
    aws.setTail(tail);
    output.info(`Tailing ${description}`);

    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `EventBridge: tailing ${rule.name}`, cancellable: true },
      async (progress, token) => {
        const listener = token.onCancellationRequested(() => abort.abort());
        try {
          await tailLogGroups({
            logs: clients.logs,
            logGroups,
            signal: abort.signal,
            ...(args.forcePolling ? { forcePolling: true } : {}),
            ...(args.recentMs !== undefined ? { recentMs: args.recentMs } : {}),
            onStatus: (status) => {
              // Status lines can carry a service's error text: never let a secret through.
              const message = redactSecrets(status);
              tailChannel.appendLine(`    ${message}`);
              output.info(`Tail: ${message}`);
              progress.report({ message });
            },
            onEvents: (events: readonly TailedEvent[]) => {
              for (const e of events) {
                const text = formatTailedEvent(e);
                tailChannel.appendLine(text);
                recent.push(text);
                // Offered by Create Pattern from Event and Save as Sample Event.
                recentTailedEvents.add(e.message, e.logGroupName, e.timestamp);
                if (recent.length > RECENT_TAIL_LINES) recent.shift();
              }
              tail.delivered += events.length;
              progress.report({ message: `${tail.delivered} ${tail.delivered === 1 ? 'event' : 'events'}` });
            },
          });
          tailChannel.appendLine(`=== Stopped tailing ${description} (${tail.delivered} events)`);
        } catch (e) {
          const text = aws.reportError(e, clients.connection, 'Tailing the log targets');
          tailChannel.appendLine(`=== Tail ended: ${text}`);
        } finally {
          listener.dispose();
          clients.destroy();
          if (aws.runningTail === tail) aws.setTail(undefined);
          resolveDone();
        }
      },
    );
    return { rule, logGroups: logGroups.map((g) => g.name), channel: TAIL_CHANNEL_NAME };
  }

  async function stopTail(): Promise<TailStopped | undefined> {
    const stopped = await aws.stopTail();
    if (!stopped) void vscode.window.showInformationMessage('EventBridge: no log tail is running.');
    return stopped;
  }

  return [
    tailChannel,
    vscode.commands.registerCommand(AwsCommands.tailLogTargets, tailLogTargets),
    vscode.commands.registerCommand(AwsCommands.stopTail, stopTail),
  ];
}
