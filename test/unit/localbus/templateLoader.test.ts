import '../hermeticAws';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeRuleCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeLogGroupsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  TemplateParseError,
  applyTemplate,
  loadTemplate,
  parseTemplateText,
  readTemplate,
} from '../../../server/src/localbus/templateLoader';
import { startLocalBus } from '../../../server/src/localbus/localBusServer';
import { FIXTURES, clientsFor } from './localBusTestSupport';

const context = { region: 'eu-west-1', accountId: '000000000000' };
const yamlPath = join(FIXTURES, 'orders-stack.yaml');
const jsonPath = join(FIXTURES, 'orders-stack.json');

void describe('template loader: reading CloudFormation templates', () => {
  void it('turns YAML short-form tags into long-form intrinsics', () => {
    const parsed = parseTemplateText(
      'A: !Ref X\nB: !GetAtt L.Arn\nC: !Sub [ "${a}", { a: !Ref Y } ]\nD: !Join [":", [a, b]]\n',
      't.yaml',
    );
    assert.deepEqual(parsed, {
      A: { Ref: 'X' },
      B: { 'Fn::GetAtt': ['L', 'Arn'] },
      C: { 'Fn::Sub': ['${a}', { a: { Ref: 'Y' } }] },
      D: { 'Fn::Join': [':', ['a', 'b']] },
    });
  });

  void it('reads a YAML flow-style text as YAML when the caller says it is YAML', () => {
    const flow = "{Resources: {R: {Type: 'AWS::Events::Rule', Properties: {EventPattern: {source: [!Ref S]}}}}}";
    assert.throws(() => parseTemplateText(flow, 'f.template'), /^Error: f\.template: not valid JSON/);
    assert.deepEqual(parseTemplateText(flow, 'f.template', undefined, 'yaml'), {
      Resources: { R: { Type: 'AWS::Events::Rule', Properties: { EventPattern: { source: [{ Ref: 'S' }] } } } },
    });
  });

  void it('warns about an unknown YAML tag and keeps its value as a string', () => {
    const warnings: string[] = [];
    assert.deepEqual(parseTemplateText('A: !NotAnIntrinsic x\n', 'tags.yaml', warnings), { A: 'x' });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^tags\.yaml: .*NotAnIntrinsic/);
  });

  void it('resolves Ref, Fn::GetAtt, Fn::Sub and Fn::Join in YAML, with a warning for each unresolvable resource', () => {
    const read = readTemplate(parseTemplateText(readFileSync(yamlPath, 'utf8'), yamlPath), yamlPath, context);
    assert.deepEqual(read.logGroups, ['/aws/events/orders-stack-dev', read.logGroups[1]]);
    assert.match(read.logGroups[1], /^orders-stack-UnnamedLog-[0-9A-F]{12}$/);
    assert.deepEqual(read.buses, [{ name: 'orders-dev' }]);
    const big = read.rules.find((r) => r.logicalId === 'BigOrders')!;
    assert.equal(big.name, 'big-orders');
    assert.equal(big.eventBusName, 'orders-dev');
    assert.deepEqual(JSON.parse(big.eventPattern!), {
      source: ['shop'],
      'detail-type': ['OrderCreated'],
      detail: { total: [{ numeric: ['>=', 100] }], region: [{ prefix: 'eu-' }] },
    });
    assert.deepEqual(big.targets, [
      { Id: 'log', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/orders-stack-dev:*' },
      { Id: 'unnamed', Arn: `arn:aws:logs:eu-west-1:000000000000:log-group:${read.logGroups[1]}:*` },
      { Id: 'queue', Arn: 'arn:aws:sqs:eu-west-1:000000000000:orders-queue' },
    ]);
    const all = read.rules.find((r) => r.logicalId === 'AllOrders')!;
    assert.equal(all.eventBusName, 'orders-dev', 'an event bus ARN is reduced to its name');
    assert.match(all.name, /^orders-stack-AllOrders-[0-9A-F]{12}$/);
    assert.equal(all.state, 'DISABLED');
    assert.equal(all.eventPattern, '{"source":["shop"]}');
    assert.deepEqual(all.targets, [
      { Id: 'log', Arn: 'arn:aws:logs:eu-west-1:000000000000:log-group:/aws/events/orders-stack-dev' },
    ]);
    assert.equal(read.warnings.length, 2, read.warnings.join('\n'));
    // A skipped target matters to delivery, not to matching: it is kept apart from the other warnings.
    assert.equal(read.targetWarnings.length, 1, read.targetWarnings.join('\n'));
    assert.match(
      read.targetWarnings[0] ?? '',
      /resource AllOrders: target 2 skipped: Fn::ImportValue cannot be resolved/,
    );
    assert.match(
      read.warnings[0],
      /orders-stack\.yaml: resource Imported skipped: Fn::ImportValue cannot be resolved without a deployment/,
    );
    assert.match(read.warnings[1], /resource NeedsParameter skipped: parameter NoDefault has no Default/);
  });

  void it('resolves Fn::Sub with its own variables, Fn::Join and pseudo parameters in JSON', () => {
    const read = readTemplate(parseTemplateText(readFileSync(jsonPath, 'utf8'), jsonPath), jsonPath, {
      ...context,
      region: 'cn-north-1',
      accountId: '123456789012',
    });
    assert.deepEqual(read.logGroups, ['/app/orders-prod']);
    assert.deepEqual(
      read.rules.map((r) => [r.name, r.eventBusName, r.eventPattern, r.targets]),
      [
        [
          'prod-orders-in-cn-north-1',
          'json-bus',
          '{"source":["shop"],"account":["123456789012"]}',
          [{ Id: 'log', Arn: 'arn:aws-cn:logs:cn-north-1:123456789012:log-group:/app/orders-prod' }],
        ],
      ],
    );
    assert.deepEqual(read.warnings, []);
  });

  void it('reads the rules SAM generates for EventBridgeRule and CloudWatchEvent function events', () => {
    const path = join(FIXTURES, 'sam-app.yaml');
    const read = readTemplate(parseTemplateText(readFileSync(path, 'utf8'), path), path, context);
    assert.deepEqual(read.warnings, []);
    assert.deepEqual(
      read.rules.map((r) => ({ ...r })),
      [
        {
          logicalId: 'HandlerOrderPlaced',
          name: 'order-placed',
          eventBusName: 'sam-bus',
          eventPattern: '{"source":["shop"],"detail-type":["OrderPlaced"]}',
          targets: [
            {
              Id: 'HandlerOrderPlacedLambdaTarget',
              Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:order-handler',
            },
          ],
        },
        {
          logicalId: 'HandlerLegacy',
          name: read.rules[1]?.name,
          eventBusName: 'default',
          eventPattern: '{"source":["legacy"]}',
          state: 'DISABLED',
          targets: [
            { Id: 'HandlerLegacyLambdaTarget', Arn: 'arn:aws:lambda:eu-west-1:000000000000:function:order-handler' },
          ],
        },
      ],
    );
    assert.match(read.rules[1]?.name ?? '', /^sam-app-HandlerLegacy-[0-9A-F]{12}$/);
  });

  void it('reports a template it cannot parse, and a file that is not a template, without crashing', () => {
    assert.throws(
      () => parseTemplateText(readFileSync(join(FIXTURES, 'not-a-template.yaml'), 'utf8'), 'not-a-template.yaml'),
      TemplateParseError,
    );
    assert.throws(() => parseTemplateText('{"Resources": ', 'x.json'), /x\.json: not valid JSON/);
    assert.match(readTemplate(['a list'], 'list.yaml', context).warnings[0], /not a CloudFormation template/);
    assert.match(readTemplate({ Foo: 1 }, 'empty.yaml', context).warnings[0], /no Resources section/);
    const cyclic = readTemplate(
      { Resources: { L: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { Ref: 'L' } } } } },
      'cyclic.json',
      context,
    );
    assert.match(cyclic.warnings[0], /resource L skipped: L refers to itself/);
  });
});

void describe('template loader: what Ref gives inside a pattern', () => {
  const rule = (pattern: unknown) => ({ Type: 'AWS::Events::Rule', Properties: { EventPattern: pattern } });

  void it('is the name the template gives, for types whose Ref is their name; an ARN for a state machine', () => {
    const read = readTemplate(
      {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket', Properties: { BucketName: { 'Fn::Sub': 'uploads-${AWS::StackName}' } } },
          Table: { Type: 'AWS::DynamoDB::Table', Properties: { TableName: 'orders' } },
          Stream: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks' } },
          Flow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineName: 'checkout' } },
          R: rule({
            source: ['aws.s3'],
            detail: {
              bucket: { name: [{ Ref: 'Bucket' }] },
              table: [{ Ref: 'Table' }],
              stream: [{ Ref: 'Stream' }],
              stateMachineArn: [{ Ref: 'Flow' }],
            },
          }),
        },
      },
      'named.yaml',
      { ...context, stackName: 'shop' },
    );
    assert.deepEqual(read.warnings, []);
    assert.deepEqual(JSON.parse(read.rules[0]?.eventPattern ?? ''), {
      source: ['aws.s3'],
      detail: {
        bucket: { name: ['uploads-shop'] },
        table: ['orders'],
        stream: ['clicks'],
        stateMachineArn: ['arn:aws:states:eu-west-1:000000000000:stateMachine:checkout'],
      },
    });
  });

  void it('is a plausible stand-in for an unnamed resource, with one warning per resource saying so', () => {
    const read = readTemplate(
      {
        Resources: {
          Bucket: { Type: 'AWS::S3::Bucket' },
          Repo: { Type: 'AWS::CodeCommit::Repository', Properties: { RepositoryName: 'app' } },
          Bus: { Type: 'AWS::Events::EventBus' },
          A: rule({ detail: { bucket: { name: [{ Ref: 'Bucket' }] } } }),
          B: rule({ detail: { bucket: { name: [{ 'Fn::Sub': '${Bucket}' }] }, repositoryId: [{ Ref: 'Repo' }] } }),
          // A generated bus name is the same on both sides locally: nothing to warn about outside a pattern.
          OnBus: {
            Type: 'AWS::Events::Rule',
            Properties: { EventBusName: { Ref: 'Bus' }, EventPattern: { source: ['x'] } },
          },
        },
      },
      'Unnamed_Stack.yaml',
      context,
    );
    const bucket = (JSON.parse(read.rules[0]?.eventPattern ?? '') as { detail: { bucket: { name: string[] } } }).detail
      .bucket.name[0];
    assert.match(bucket ?? '', /^unnamed-stack-bucket-[0-9a-f]{12}$/, 'S3 bucket names are lower case');
    assert.ok(bucket.length <= 63);
    assert.equal(read.warnings.length, 2, read.warnings.join('\n'));
    assert.match(
      read.warnings[0] ?? '',
      /^Unnamed_Stack\.yaml: resource Bucket: Ref Bucket is "unnamed-stack-bucket-[0-9a-f]{12}", a name made up here: .*no BucketName.*give BucketName/,
    );
    assert.match(
      read.warnings[1] ?? '',
      /resource Repo: Ref Repo stands in as "[^"]+": what Ref gives for AWS::CodeCommit::Repository is not known/,
    );
  });
});

void describe("template loader: a Serverless file's resources", () => {
  const SERVICE = [
    'service: s',
    "frameworkVersion: '3'",
    'provider: {name: aws}',
    'resources:',
    '  Resources:',
    '    Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub "in-${AWS::Region}"}}',
    '    Mine:',
    '      Type: AWS::Events::Rule',
    '      Properties:',
    '        EventPattern:',
    "          account: [!Sub '${AWS::AccountId}']",
    '          source: [demo]',
    '          detail: {bucket: [!Sub "${Bucket}"], arn: ["${AWS::Partition}"]}',
    '    NeedsOption:',
    '      Type: AWS::Events::Rule',
    '      Properties:',
    '        EventPattern: {source: ["${opt:source}"]}',
    '    NeedsOptionInSub:',
    '      Type: AWS::Events::Rule',
    '      Properties:',
    "        EventPattern: {source: [!Sub '${env:SRC}-${AWS::Region}']}",
    '    Queue: {Type: AWS::SQS::Queue, Properties: {QueueName: "${env:QUEUE}"}}',
    '    UsesQueue:',
    '      Type: AWS::Events::Rule',
    '      Properties:',
    '        EventPattern: {detail: {queue: [!Ref Queue]}}',
    '',
  ].join('\n');

  void it("passes CloudFormation's ${AWS::...} and ${LogicalId} to Fn::Sub, and skips only what needs the framework", () => {
    const read = readTemplate(parseTemplateText(SERVICE, 'serverless.yml'), 'serverless.yml', context);
    assert.deepEqual(
      read.rules.map((r) => r.logicalId),
      ['Mine'],
    );
    assert.deepEqual(JSON.parse(read.rules[0]?.eventPattern ?? ''), {
      account: ['000000000000'],
      source: ['demo'],
      // Outside an Fn::Sub CloudFormation leaves the text alone, and so does the framework.
      detail: { bucket: ['in-eu-west-1'], arn: ['${AWS::Partition}'] },
    });
    assert.deepEqual(read.warnings, [
      "serverless.yml: resource NeedsOption skipped: ${opt:source} cannot be resolved without the Serverless Framework (give a fallback such as ${opt:source, 'value'})",
      "serverless.yml: resource NeedsOptionInSub skipped: ${env:SRC} cannot be resolved without the Serverless Framework (it resolves it before CloudFormation's Fn::Sub)",
      // The local bus loads queues, so a queue it cannot name is a skipped resource of its own.
      "serverless.yml: resource Queue skipped: ${env:QUEUE} cannot be resolved without the Serverless Framework (give a fallback such as ${env:QUEUE, 'value'})",
      "serverless.yml: resource UsesQueue skipped: Queue is unknown: ${env:QUEUE} cannot be resolved without the Serverless Framework (give a fallback such as ${env:QUEUE, 'value'})",
    ]);
  });
});

void describe('template loader: a loaded rule delivers', () => {
  void it('creates the buses, rules and log groups, warns about a bad pattern, and routes matching events', async () => {
    const bus = await startLocalBus({ port: 0 });
    const { events, logs } = clientsFor(bus.url);
    try {
      const region = bus.region('eu-west-1');
      const warnings = loadTemplate(region, readFileSync(yamlPath, 'utf8'), yamlPath, context);
      assert.equal(warnings.length, 4, warnings.join('\n'));
      assert.match(
        warnings[3],
        /rule BadPattern \(bad-pattern\) not loaded: InvalidEventPatternException: Event pattern is not valid/,
      );
      // Loading again is harmless: existing groups and buses are kept, rules replaced.
      assert.equal(
        applyTemplate(
          region,
          readTemplate(parseTemplateText(readFileSync(jsonPath, 'utf8'), jsonPath), jsonPath, context),
          jsonPath,
        ).length,
        0,
      );

      const groups = await logs.send(new DescribeLogGroupsCommand({}));
      assert.ok(groups.logGroups?.some((g) => g.logGroupName === '/aws/events/orders-stack-dev'));
      const rule = await events.send(new DescribeRuleCommand({ Name: 'big-orders', EventBusName: 'orders-dev' }));
      assert.equal(rule.Arn, 'arn:aws:events:eu-west-1:000000000000:rule/orders-dev/big-orders');
      assert.equal(
        (await events.send(new ListTargetsByRuleCommand({ Rule: 'big-orders', EventBusName: 'orders-dev' }))).Targets
          ?.length,
        3,
      );

      const sent = await events.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'orders-dev',
              Source: 'shop',
              DetailType: 'OrderCreated',
              Detail: JSON.stringify({ total: 150, region: 'eu-west-3', n: 'big' }),
            },
            {
              EventBusName: 'orders-dev',
              Source: 'shop',
              DetailType: 'OrderCreated',
              Detail: JSON.stringify({ total: 50, region: 'eu-west-3', n: 'small' }),
            },
            {
              EventBusName: 'orders-dev',
              Source: 'shop',
              DetailType: 'OrderCreated',
              Detail: JSON.stringify({ total: 500, region: 'us-east-1', n: 'us' }),
            },
          ],
        }),
      );
      assert.equal(sent.FailedEntryCount, 0);
      const unnamed = [...region.logs.groups.keys()].find((g) => g.startsWith('orders-stack-UnnamedLog-'))!;
      for (const group of ['/aws/events/orders-stack-dev', unnamed]) {
        const found = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
        assert.deepEqual(
          found.events?.map((e) => (JSON.parse(e.message!) as { detail: { n: string } }).detail.n),
          ['big'],
          `${group} gets only the event matching the numeric and prefix pattern (the disabled rule delivers nothing)`,
        );
      }
    } finally {
      events.destroy();
      logs.destroy();
      await bus.close();
    }
  });
});
