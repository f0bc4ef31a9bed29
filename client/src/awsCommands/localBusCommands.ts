// Running the local bus (a child process: see ../aws/localBusHost.ts), with the workspace's CloudFormation / SAM
// templates loaded.
import * as vscode from 'vscode';
import { LOCAL_DEFAULT_REGION } from '../aws/clients';
import { redactSecrets } from '../aws/errors';
import {
  looksLikeTemplate,
  startLocalBusProcess,
  type EmbeddedLocalBus,
  type ScheduledRuleFired,
  type TemplateFile,
} from '../aws/localBusHost';
import { scheduledRulePickText } from '../aws/scheduledRuleText';
import { ObservedEventForwarder } from '../aws/observedEvents';
import { ObservedEventsNotification } from '../../../shared';
import type { ServerRequests } from '../patternServer';
import type { AwsContext } from '../awsContext';
import { readAwsSettings } from '../config';
import { AwsCommands, isRecord } from './commandSupport';

const TEMPLATE_GLOB = '**/*.{yaml,yml,json,template}';
const TEMPLATE_EXCLUDE = '{**/node_modules/**,**/.aws-sam/**,**/cdk.out/**,**/.git/**}';
const MAX_TEMPLATES = 200;

/** The workspace's files that may be templates, in path order. */
export async function findTemplateFiles(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(TEMPLATE_GLOB, TEMPLATE_EXCLUDE, MAX_TEMPLATES);
  return uris.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The workspace's CloudFormation / SAM templates, with the unsaved text of open editors. */
export async function readTemplates(): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  for (const uri of await findTemplateFiles()) {
    // Open editors may hold unsaved changes: use what the user sees.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    if (looksLikeTemplate(text)) files.push({ path: uri.fsPath, text });
  }
  return files;
}

export function registerLocalBusCommands(
  aws: AwsContext,
  cliPath: string,
  server?: ServerRequests,
): vscode.Disposable[] {
  const output = aws.output;
  // What the bus receives, for the language server to learn the user's own events from.
  const observed = new ObservedEventForwarder({
    send: (events) => server?.notify?.(ObservedEventsNotification, { events }),
  });

  async function startLocalBus(
    arg?: unknown,
  ): Promise<{ url: string; port: number; region: string; templates: string[] } | undefined> {
    if (aws.refuseUntrusted('start the local bus')) return undefined;
    const running = aws.localBus;
    if (running) {
      void vscode.window.showInformationMessage(`EventBridge: the local bus is already running at ${running.url}.`);
      return { url: running.url, port: running.port, region: running.region, templates: [...running.loaded] };
    }
    const settings = readAwsSettings();
    const port = isRecord(arg) && typeof arg.port === 'number' ? arg.port : settings.localBusPort;
    // The region the commands use with the bus (as resolveConnection picks it); if it changes later, the bus loads
    // the templates into the new region too.
    const region = settings.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || LOCAL_DEFAULT_REGION;
    let started: EmbeddedLocalBus | undefined;
    try {
      const bus = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Starting the EventBridge local bus' },
        async () =>
          startLocalBusProcess({
            cliPath,
            port,
            region,
            templates: await readTemplates(),
            onWarning: (m) => output.warn(`local bus: ${m}`),
            onEvent: (event) => observed.add(event),
            // Lambda targets run the workspace's code: only in a trusted workspace (refuseUntrusted above already
            // keeps the bus from starting elsewhere; asked again here so the flag never outlives that check).
            runFunctions: vscode.workspace.isTrusted,
            onFunctionRun: (message) => {
              output.info(`Local bus: ${message}`);
              void vscode.window.showInformationMessage(`EventBridge: ${message}`);
            },
            onUnexpectedExit: (reason) => {
              if (started === undefined || aws.localBus !== started) return;
              aws.setLocalBus(undefined);
              if (aws.runningTail?.onLocalBus) void aws.stopTail();
              output.error(`Local bus: ${reason}`);
              void vscode.window.showErrorMessage(
                `EventBridge: ${reason}. Start it again with EventBridge: Start Local Bus.`,
              );
            },
          }),
      );
      started = bus;
      aws.setLocalBus(bus);
      output.info(
        `Local bus listening on ${bus.url} (region ${region}); templates loaded: ${bus.loaded.length === 0 ? 'none' : bus.loaded.map((p) => vscode.workspace.asRelativePath(p)).join(', ')}`,
      );
      if (settings.profile || settings.endpoint)
        output.info(
          `The ${settings.endpoint ? 'endpoint setting' : `profile ${settings.profile}`} is in force, so commands still go there; choose "No profile" and clear the endpoint to use the local bus.`,
        );
      void vscode.window.showInformationMessage(`EventBridge: local bus running at ${bus.url}.`);
      return { url: bus.url, port: bus.port, region, templates: [...bus.loaded] };
    } catch (e) {
      const message = redactSecrets(e instanceof Error ? e.message : String(e));
      output.error(`The local bus did not start: ${message}`);
      void vscode.window.showErrorMessage(
        `EventBridge: the local bus did not start: ${message}${port ? ` (is port ${port} in use? Set eventbridgePatterns.localBus.port to 0 for any free port)` : ''}`,
      );
      return undefined;
    }
  }

  async function stopLocalBus(): Promise<boolean> {
    const bus = aws.localBus;
    if (!bus) {
      void vscode.window.showInformationMessage('EventBridge: the local bus is not running.');
      return false;
    }
    const tail = aws.runningTail;
    if (tail?.onLocalBus) await aws.stopTail();
    aws.setLocalBus(undefined);
    await bus.close();
    output.info(`Local bus at ${bus.url} stopped`);
    return true;
  }

  /**
   * Fires one of the local bus's scheduled rules now: the one named by `{ruleName, region?}`, or the one picked from
   * the bus's scheduled rules. Resolves with what the bus did (undefined when nothing was fired).
   */
  async function fireScheduledRule(arg?: unknown): Promise<ScheduledRuleFired | undefined> {
    const bus = aws.localBus;
    if (!bus) {
      void vscode.window.showInformationMessage(
        'EventBridge: the local bus is not running. Start it with EventBridge: Start Local Bus; its scheduled rules then fire on their own, and this command fires one now.',
      );
      return undefined;
    }
    let ruleName: string | undefined;
    let region: string | undefined;
    try {
      if (isRecord(arg) && typeof arg.ruleName === 'string') {
        ruleName = arg.ruleName;
        region = typeof arg.region === 'string' ? arg.region : undefined;
        if (region === undefined) {
          const regions = (await bus.scheduledRules()).filter((r) => r.ruleName === ruleName).map((r) => r.region);
          region = regions.includes(bus.region) ? bus.region : (regions[0] ?? bus.region);
        }
      } else {
        const rules = await bus.scheduledRules();
        if (rules.length === 0) {
          void vscode.window.showInformationMessage(
            'EventBridge: the local bus has no scheduled rules (rules with a ScheduleExpression on the default bus, from a template or PutRule).',
          );
          return undefined;
        }
        const now = Date.now();
        const picked = await vscode.window.showQuickPick(
          rules.map((rule) => ({ ...scheduledRulePickText(rule, now), rule })),
          { title: 'Fire a scheduled rule of the local bus now', matchOnDescription: true, matchOnDetail: true },
        );
        if (!picked) return undefined;
        ruleName = picked.rule.ruleName;
        region = picked.rule.region;
      }
      const fired = await bus.fireRule(region, ruleName);
      if (fired.error !== undefined) {
        output.warn(`Local bus: rule ${ruleName} not fired: ${fired.error}`);
        void vscode.window.showErrorMessage(`EventBridge: rule ${ruleName} not fired: ${fired.error}`);
        return fired;
      }
      const sent = `fired rule ${ruleName} (${region}): Scheduled Event ${fired.eventId ?? ''} sent to ${fired.targets} target${fired.targets === 1 ? '' : 's'}`;
      output.info(`Local bus: ${sent}`);
      for (const failure of fired.failures) output.warn(`Local bus: delivery failed: ${failure}`);
      if (fired.failures.length > 0)
        void vscode.window.showWarningMessage(
          `EventBridge: ${sent}; ${fired.failures.length} failed: ${fired.failures[0]}`,
        );
      else void vscode.window.showInformationMessage(`EventBridge: ${sent}.`);
      return fired;
    } catch (e) {
      const message = redactSecrets(e instanceof Error ? e.message : String(e));
      output.error(`Local bus: could not fire ${ruleName ?? 'a scheduled rule'}: ${message}`);
      void vscode.window.showErrorMessage(`EventBridge: could not fire a scheduled rule: ${message}`);
      return undefined;
    }
  }

  return [
    { dispose: () => observed.dispose() },
    vscode.commands.registerCommand(AwsCommands.fireScheduledRule, fireScheduledRule),
    vscode.commands.registerCommand(AwsCommands.startLocalBus, startLocalBus),
    vscode.commands.registerCommand(AwsCommands.stopLocalBus, stopLocalBus),
  ];
}
