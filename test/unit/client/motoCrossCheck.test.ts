// The client's AWS logic against moto_server, an independent emulator (../shared/aws/README.md), on 127.0.0.1: a
// template deployed with CloudFormation, its rule found through the stack's resources, and a tail that falls back to
// polling because moto answers StartLiveTail with a 500. Skipped, saying so, when moto_server is not installed.
import '../hermeticAws';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { logGroupFromArn } from '../../../client/src/aws/arns';
import { createAwsClients, resolveConnection, type AwsClients } from '../../../client/src/aws/clients';
import { tailLogGroups, type TailedEvent, type TailMode } from '../../../client/src/aws/logTail';
import { loadProfiles } from '../../../client/src/aws/profiles';
import { deployedRule, listRules, listStacks, listTargets, logTargetsOf } from '../../../client/src/aws/ruleTargets';
import { findOnPath, startMoto } from '../motoServer';


const REGION = 'us-west-2';
// moto stores a target ARN ending in `:*` as the group name and then fails PutEvents, so the ARN is built without it.
const TEMPLATE = JSON.stringify({
  AWSTemplateFormatVersion: '2010-09-09',
  Resources: {
    ShopLog: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/events/moto-shop' } },
    AllShop: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventPattern: { source: ['shop.moto'] },
        State: 'ENABLED',
        Targets: [
          {
            Id: 'log',
            Arn: { 'Fn::Sub': 'arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:${ShopLog}' },
          },
        ],
      },
    },
  },
});

async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const moto = findOnPath('moto_server');

describe(
  'against moto_server',
  { skip: moto ? false : 'moto_server is not installed (see ../shared/aws/README.md)' },
  () => {
    let child: ChildProcess | undefined;
    let dir: string;
    let clients: AwsClients;

    before(async () => {
      const running = await startMoto(moto!);
      child = running.process;
      const port = running.port;
      dir = mkdtempSync(join(tmpdir(), 'eventbridge-client-moto-'));
      mkdirSync(join(dir, '.aws'));
      const files = { configPath: join(dir, '.aws', 'config'), credentialsPath: join(dir, '.aws', 'credentials') };
      // A services section: the endpoint per service, as a team pointing a profile at an emulator would write it.
      writeFileSync(
        files.configPath,
        `[profile moto]\nregion = ${REGION}\nservices = emulator\n\n[services emulator]\neventbridge =\n  endpoint_url = http://127.0.0.1:${port}\ncloudwatch_logs =\n  endpoint_url = http://127.0.0.1:${port}\ncloudformation =\n  endpoint_url = http://127.0.0.1:${port}\n`,
      );
      writeFileSync(
        files.credentialsPath,
        '[moto]\naws_access_key_id = AKIDMOTOTEST\naws_secret_access_key = moto-test-secret\n',
      );
      const resolved = resolveConnection({ profile: 'moto' }, await loadProfiles(files), undefined, {});
      if (!resolved.ok) throw new Error(resolved.reason);
      clients = createAwsClients(resolved.connection, { files, maxAttempts: 1 });
      await clients.cloudFormation.send(new CreateStackCommand({ StackName: 'moto-shop', TemplateBody: TEMPLATE }));
      await waitFor(async () => {
        const r = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'moto-shop' }));
        return r.Stacks?.[0]?.StackStatus === 'CREATE_COMPLETE' ? true : undefined;
      }, 'the stack');
    });

    after(() => {
      clients?.destroy();
      child?.kill();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('resolves the template rule to its deployed name through the stack resources', async () => {
      assert.ok((await listStacks(clients.cloudFormation)).includes('moto-shop'));
      const rule = await deployedRule(clients.cloudFormation, 'moto-shop', 'AllShop', 'default');
      assert.ok(rule, 'the stack has AllShop');
      assert.equal(rule.eventBusName, 'default');
      const names = (await listRules(clients.events, 'default')).map((r) => r.Name);
      assert.ok(names.includes(rule.name), `${rule.name} in ${names.join(', ')}`);
      assert.equal(await deployedRule(clients.cloudFormation, 'moto-shop', 'NoSuchResource', 'default'), undefined);
      await assert.rejects(
        deployedRule(clients.cloudFormation, 'moto-shop', 'ShopLog', 'default'),
        /not an AWS::Events::Rule/,
      );
    });

    it("tails the rule's log group by polling when StartLiveTail fails (moto: 500), and gets the event", async () => {
      const rule = await deployedRule(clients.cloudFormation, 'moto-shop', 'AllShop', 'default');
      assert.ok(rule);
      const { logGroups } = logTargetsOf(await listTargets(clients.events, rule));
      assert.deepEqual(logGroups, [
        logGroupFromArn(`arn:aws:logs:${REGION}:123456789012:log-group:/aws/events/moto-shop`),
      ]);
      const events: TailedEvent[] = [];
      const statuses: { message: string; mode?: TailMode }[] = [];
      const abort = new AbortController();
      const done = tailLogGroups({
        logs: clients.logs,
        logGroups,
        signal: abort.signal,
        recentMs: 0,
        pollIntervalMs: 100,
        onEvents: (batch) => events.push(...batch),
        onStatus: (message, mode) => statuses.push({ message, ...(mode ? { mode } : {}) }),
      });
      try {
        await waitFor(() => statuses.find((s) => s.mode === 'poll'), 'the fallback to polling');
        assert.match(statuses[0].message, /StartLiveTail is not available/);
        const marker = `moto-${Date.now()}`;
        const put = await clients.events.send(
          new PutEventsCommand({
            Entries: [{ Source: 'shop.moto', DetailType: 'x', Detail: JSON.stringify({ marker }) }],
          }),
        );
        assert.equal(put.FailedEntryCount, 0);
        const got = await waitFor(() => events.find((e) => e.message.includes(marker)), 'the event from moto');
        assert.equal(got.logGroupName, '/aws/events/moto-shop');
      } finally {
        abort.abort();
        await done;
      }
    });
  },
);
