// Choosing where the AWS commands go: the profile (from ~/.aws), the region and an endpoint override, each persisted
// in the user settings. The status bar item shows the result.
import * as vscode from 'vscode';
import { checkEndpointUrl } from '../aws/clients';
import { redactSecrets } from '../aws/errors';
import { describeCredentials, profileNames } from '../aws/profiles';
import type { AwsContext } from '../awsContext';
import { readAwsSettings, updateAwsSetting } from '../config';
import { AwsCommands } from './commandSupport';

const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'ca-west-1',
  'mx-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-central-2',
  'eu-north-1',
  'eu-south-1',
  'eu-south-2',
  'af-south-1',
  'il-central-1',
  'me-south-1',
  'me-central-1',
  'ap-east-1',
  'ap-south-1',
  'ap-south-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'cn-north-1',
  'cn-northwest-1',
  'us-gov-east-1',
  'us-gov-west-1',
];
const REGION_NAME = /^[a-z]{2}(-[a-z0-9]+){1,4}$/;

export function registerConnectionCommands(aws: AwsContext): vscode.Disposable[] {
  const output = aws.output;

  async function selectProfile(arg?: unknown): Promise<string | undefined> {
    if (aws.refuseUntrusted('read AWS profiles')) return undefined;
    const set = await aws.profiles().catch((e: unknown) => {
      void vscode.window.showErrorMessage(
        `EventBridge: cannot read the AWS config files: ${redactSecrets(e instanceof Error ? e.message : String(e))}`,
      );
      return undefined;
    });
    if (!set) return undefined;
    let chosen: string | undefined;
    if (typeof arg === 'string') {
      chosen = arg;
    } else {
      const names = profileNames(set);
      const current = readAwsSettings().profile;
      if (names.length === 0) {
        void vscode.window.showWarningMessage(
          'EventBridge: there are no AWS profiles in ~/.aws/config or ~/.aws/credentials. Run `aws configure` (or `aws configure sso`) to add one, or start the local bus to work without AWS.',
        );
      }
      const none: vscode.QuickPickItem = {
        label: '$(circle-slash) No profile',
        description: current === '' ? 'current' : '',
        detail: 'Use the local bus when it runs, otherwise the SDK default credentials',
      };
      const items = [
        none,
        ...names.map((name) => {
          const p = set.profiles.get(name)!;
          return {
            label: name,
            description: [name === current ? 'current' : '', p.region ?? ''].filter(Boolean).join(' · '),
            detail: describeCredentials(p),
          };
        }),
      ];
      const pick = await vscode.window.showQuickPick(items, {
        title: 'EventBridge: AWS profile',
        placeHolder: 'Profile for sending events, tailing logs and testing patterns',
      });
      if (!pick) return undefined;
      chosen = pick === none ? '' : pick.label;
    }
    if (chosen !== '' && !set.profiles.has(chosen)) {
      void vscode.window.showErrorMessage(
        `EventBridge: there is no profile ${chosen} in ~/.aws/config or ~/.aws/credentials.`,
      );
      return undefined;
    }
    await updateAwsSetting('profile', chosen);
    output.info(`AWS profile: ${chosen === '' ? '(none)' : chosen}`);
    return chosen;
  }

  async function selectRegion(arg?: unknown): Promise<string | undefined> {
    let region: string | undefined;
    if (typeof arg === 'string') region = arg.trim();
    else {
      const current = readAwsSettings().region;
      const other: vscode.QuickPickItem = { label: '$(edit) Other region…' };
      const clear: vscode.QuickPickItem = {
        label: '$(circle-slash) From the profile',
        detail: "Use the profile's or the environment's region",
      };
      const pick = await vscode.window.showQuickPick(
        [clear, ...REGIONS.map((r) => ({ label: r, description: r === current ? 'current' : '' })), other],
        { title: 'EventBridge: AWS region' },
      );
      if (!pick) return undefined;
      if (pick === clear) region = '';
      else if (pick === other) {
        region = await vscode.window.showInputBox({
          title: 'EventBridge: AWS region',
          prompt: 'Region name, e.g. eu-west-1',
          validateInput: (v) => (REGION_NAME.test(v.trim()) ? undefined : 'Not a region name'),
        });
        if (region === undefined) return undefined;
        region = region.trim();
      } else region = pick.label;
    }
    if (region !== '' && !REGION_NAME.test(region)) {
      void vscode.window.showErrorMessage(`EventBridge: ${region} is not a region name (expected e.g. eu-west-1).`);
      return undefined;
    }
    await updateAwsSetting('region', region);
    output.info(`AWS region: ${region === '' ? '(from the profile)' : region}`);
    return region;
  }

  async function setEndpoint(arg?: unknown): Promise<string | undefined> {
    let endpoint: string | undefined;
    if (typeof arg === 'string') endpoint = arg.trim();
    else {
      endpoint = await vscode.window.showInputBox({
        title: 'EventBridge: endpoint',
        value: readAwsSettings().endpoint,
        prompt:
          'Endpoint URL for EventBridge, CloudWatch Logs and CloudFormation calls (e.g. http://127.0.0.1:4010); empty to use AWS (or the running local bus when no profile is chosen)',
        validateInput: (v) => (v.trim() === '' ? undefined : checkEndpointUrl(v.trim())),
      });
      if (endpoint === undefined) return undefined;
      endpoint = endpoint.trim();
    }
    const problem = endpoint === '' ? undefined : checkEndpointUrl(endpoint);
    if (problem) {
      void vscode.window.showErrorMessage(`EventBridge: ${problem}`);
      return undefined;
    }
    await updateAwsSetting('endpoint', endpoint);
    output.info(`AWS endpoint: ${endpoint === '' ? '(default)' : endpoint}`);
    return endpoint;
  }

  return [
    vscode.commands.registerCommand(AwsCommands.selectProfile, selectProfile),
    vscode.commands.registerCommand(AwsCommands.selectRegion, selectRegion),
    vscode.commands.registerCommand(AwsCommands.setEndpoint, setEndpoint),
  ];
}
