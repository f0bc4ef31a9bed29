// Templates read with parameter values the user gives (typed as CloudFormation types them), and Serverless Framework
// service files: what the local bus, match-rules and the editor's workspace matching load from them.
import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { parseTemplateText, readTemplate } from '../../../server/src/localbus/templateLoader';
import { runLocalBusCommand } from '../../../server/src/localbus/localBusCommand';
import { clientsFor, pollFor } from './localBusTestSupport';

const context = { region: 'eu-west-1', accountId: '111122223333' };

const PARAMETERIZED = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Source:
    Type: String
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, prod]
  States:
    Type: CommaDelimitedList
    Default: "running , pending"
  Ports:
    Type: List<Number>
  Threshold:
    Type: Number
    Default: 5
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /app/source
Resources:
  BySource:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [!Ref Source]
        detail-type: [!Sub "\${Stage} order"]
  ByStates:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        detail:
          state: !Ref States
          port: !Ref Ports
          n: [!Ref Threshold]
  BySsm:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [!Ref FromSsm]
`;

function read(text: string, fileName: string, values?: Record<string, string>) {
  return readTemplate(parseTemplateText(text, fileName), fileName, {
    ...context,
    ...(values ? { parameterValues: new Map(Object.entries(values)) } : {}),
  });
}

function patterns(resources: ReturnType<typeof read>): Record<string, unknown> {
  return Object.fromEntries(
    resources.rules.map((r) => [r.logicalId, r.eventPattern === undefined ? undefined : JSON.parse(r.eventPattern)]),
  );
}

void describe('template parameters', () => {
  void it('without values: a parameter with no Default costs its rule, with a warning saying so', () => {
    const resources = read(PARAMETERIZED, 'app.yaml');
    assert.deepEqual(resources.parameterNames, ['Source', 'Stage', 'States', 'Ports', 'Threshold', 'FromSsm']);
    assert.deepEqual(Object.keys(patterns(resources)), []);
    assert.match(
      resources.warnings.join('\n'),
      /resource BySource skipped: parameter Source has no Default and no value was given/,
    );
    assert.match(resources.warnings.join('\n'), /resource ByStates skipped: parameter Ports has no Default/);
  });

  void it('with values: each Ref is typed as CloudFormation types it (lists split and trimmed, numbers as text)', () => {
    const resources = read(PARAMETERIZED, 'app.yaml', { Source: 'com.shop', Stage: 'prod', Ports: '80,443' });
    assert.deepEqual(patterns(resources), {
      BySource: { source: ['com.shop'], 'detail-type': ['prod order'] },
      ByStates: { detail: { state: ['running', 'pending'], port: ['80', '443'], n: ['5'] } },
    });
    // An SSM-typed parameter's value is in the parameter store, whatever is given.
    assert.match(
      resources.warnings.join('\n'),
      /resource BySsm skipped: parameter FromSsm takes its value from the SSM parameter store/,
    );
    assert.equal(resources.warnings.length, 1, resources.warnings.join('\n'));
  });

  void it('a value outside AllowedValues is loaded, with a warning that CloudFormation would refuse it', () => {
    const resources = read(PARAMETERIZED, 'app.yaml', { Source: 's', Stage: 'qa', Ports: '1' });
    assert.deepEqual((patterns(resources).BySource as { 'detail-type': string[] })['detail-type'], ['qa order']);
    assert.ok(
      resources.warnings.includes(
        'app.yaml: parameter Stage: "qa" is not one of its AllowedValues (dev, prod); CloudFormation would refuse it',
      ),
      resources.warnings.join('\n'),
    );
  });
});

const SERVERLESS = `service: orders
provider:
  name: aws
  stage: \${opt:stage, 'test'}
custom:
  bus: orders-\${sls:stage}
  sources: [com.shop.orders, com.shop.returns]
functions:
  fulfil:
    handler: fulfil.handler
    events:
      - http: POST /orders
      - eventBridge:
          eventBus: \${self:custom.bus}
          pattern:
            source: \${self:custom.sources}
            detail-type: [Order Placed]
      - eventBridge:
          schedule: rate(1 hour)
  audit:
    name: audit-\${sls:stage}
    handler: audit.handler
    events:
      - eventBridge:
          pattern:
            source: ["\${env:AUDIT_SOURCE}"]
      - eventBridge:
          pattern:
            source: ["\${env:AUDIT_SOURCE, 'com.audit'}"]
resources:
  Resources:
    Everything:
      Type: AWS::Events::Rule
      Properties:
        EventBusName: \${self:custom.bus}
        EventPattern:
          source: [{prefix: com.shop}]
`;

void describe('Serverless Framework service files', () => {
  void it("functions' eventBridge events become rules named as the framework names them, besides resources", () => {
    const resources = read(SERVERLESS, 'serverless.yml');
    const byId = new Map(resources.rules.map((r) => [r.logicalId, r]));
    assert.deepEqual([...byId.keys()], ['Everything', 'fulfil.events[1]', 'fulfil.events[2]', 'audit.events[1]']);
    const placed = byId.get('fulfil.events[1]')!;
    assert.equal(placed.name, 'orders-test-fulfil-rule-2');
    assert.equal(placed.eventBusName, 'orders-test');
    assert.deepEqual(JSON.parse(placed.eventPattern!), {
      source: ['com.shop.orders', 'com.shop.returns'],
      'detail-type': ['Order Placed'],
    });
    assert.deepEqual(placed.targets, [
      {
        Id: 'orders-test-fulfil-rule-2-target',
        Arn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders-test-fulfil',
      },
    ]);
    assert.equal(byId.get('fulfil.events[2]')!.scheduleExpression, 'rate(1 hour)');
    const audit = byId.get('audit.events[1]')!;
    assert.equal(audit.name, 'audit-test-rule-2');
    assert.deepEqual(JSON.parse(audit.eventPattern!), { source: ['com.audit'] });
    assert.equal(byId.get('Everything')!.eventBusName, 'orders-test');
    // What only the framework knows at deploy time is said, not guessed.
    assert.deepEqual(resources.warnings, [
      "serverless.yml: resource audit.events[0] skipped: ${env:AUDIT_SOURCE} cannot be resolved without the Serverless Framework (give a fallback such as ${env:AUDIT_SOURCE, 'value'})",
    ]);
  });

  void it('a service file with only resources (no functions) is read too', () => {
    const resourcesOnly =
      SERVERLESS.slice(0, SERVERLESS.indexOf('functions:')) + SERVERLESS.slice(SERVERLESS.indexOf('resources:'));
    const resources = read(resourcesOnly, 'serverless.yml');
    assert.deepEqual(
      resources.rules.map((r) => r.logicalId),
      ['Everything'],
    );
    assert.deepEqual(resources.warnings, []);
  });
});

void describe('local-bus --parameter / --parameters', () => {
  void it('loads the rule a parameter value completes, and warns about a name no template declares', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebp-params-'));
    writeFileSync(join(dir, 'app.yaml'), PARAMETERIZED);
    writeFileSync(join(dir, 'params.json'), JSON.stringify([{ ParameterKey: 'Ports', ParameterValue: '8080' }]));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const stop = new AbortController();
    const exit = runLocalBusCommand(
      [
        '--port=0',
        '--template',
        join(dir, 'app.yaml'),
        '--parameters',
        join(dir, 'params.json'),
        '--parameter',
        'Source=com.shop',
        '--parameter=Sourse=typo',
      ],
      { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), signal: stop.signal },
    );
    try {
      const line = await pollFor(
        () => Promise.resolve(stdout.find((l) => l.startsWith('listening on '))),
        'the listening line',
      );
      const { events, logs } = clientsFor(line.slice('listening on '.length), 'us-east-1');
      try {
        const listed = await events.send(new ListRulesCommand({}));
        const rules = new Map((listed.Rules ?? []).map((r) => [r.Name!.replace(/^app-(\w+)-.*$/, '$1'), r]));
        assert.deepEqual(JSON.parse(rules.get('BySource')!.EventPattern!), {
          source: ['com.shop'],
          'detail-type': ['dev order'],
        });
        assert.deepEqual(
          (JSON.parse(rules.get('ByStates')!.EventPattern!) as { detail: { port: unknown } }).detail.port,
          ['8080'],
        );
      } finally {
        events.destroy();
        logs.destroy();
      }
      assert.ok(
        stderr.includes(
          'local-bus: warning: parameter Sourse was given a value, but no template declares it in Parameters',
        ),
        stderr.join('\n'),
      );
    } finally {
      stop.abort();
    }
    assert.equal(await exit, 0);
  });

  void it('a malformed parameters file: exit 2 with the reason, before anything listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ebp-params-'));
    writeFileSync(join(dir, 'bad.txt'), 'Source=a\nStage\n');
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runLocalBusCommand(['--port', '0', '--parameters', join(dir, 'bad.txt')], {
      stdout: (l) => stdout.push(l),
      stderr: (l) => stderr.push(l),
    });
    assert.equal(code, 2);
    assert.deepEqual(stdout, []);
    assert.match(stderr[0], /^local-bus: .*bad\.txt:2: "Stage": expected Key=Value$/);
  });
});
