// The rest of the rule in templates (EB600-EB646): targets, input and schedules, through the facade, in YAML and
// JSON; intrinsic functions stay unknown and are never flagged; SAM event sources raise nothing about permissions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, Hover } from 'vscode-languageserver-types';
import { getLanguageService } from '../../../server/src/languageservice/languageService';
import { setSampleEvents } from '../../../server/src/languageservice/features/patternCodeLens';
import { scheduleMarkdown } from '../../../server/src/languageservice/features/ruleHover';
import { RuleCheckCode } from '../../../server/src/languageservice/features/ruleChecks';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repoPaths';

const ls = getLanguageService();
let version = 1;

function documentOf(text: string, language: 'yaml' | 'json' = 'yaml'): TextDocument {
  return TextDocument.create(`file:///w/template${version++}.${language}`, language, 1, text);
}

function problems(text: string, language: 'yaml' | 'json' = 'yaml') {
  const doc = documentOf(text, language);
  return ls
    .doValidation(doc)
    .filter((d) => /^EB6\d\d$/.test(String(d.code)))
    .map((d) => ({
      code: String(d.code),
      text: doc.getText(d.range),
      severity: d.severity,
      message: typeof d.message === 'string' ? d.message : d.message.value,
    }));
}

const codes = (text: string, language: 'yaml' | 'json' = 'yaml'): string[] =>
  problems(text, language).map((p) => p.code);

const yaml = (...lines: string[]): string =>
  ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', ...lines].join('\n') + '\n';

const FUNCTION = [
  '  Fn:',
  '    Type: AWS::Lambda::Function',
  '    Properties:',
  '      Handler: index.handler',
  '      Runtime: nodejs20.x',
  '      Role: !GetAtt Role.Arn',
  '      Code: {ZipFile: "exports.handler = async () => {}"}',
];
const RULE_TO = (arn: string, ...extra: string[]): string[] => [
  '  Rule:',
  '    Type: AWS::Events::Rule',
  '    Properties:',
  '      EventPattern: {source: [aws.s3], detail-type: [Object Created]}',
  '      Targets:',
  '        - Id: t1',
  `          Arn: ${arn}`,
  ...extra.map((l) => `          ${l}`),
];
const PERMISSION = (
  sourceArn: string | undefined,
  functionName = '!Ref Fn',
  principal = 'events.amazonaws.com',
): string[] => [
  '  Permission:',
  '    Type: AWS::Lambda::Permission',
  '    Properties:',
  `      FunctionName: ${functionName}`,
  '      Action: lambda:InvokeFunction',
  `      Principal: ${principal}`,
  ...(sourceArn ? [`      SourceArn: ${sourceArn}`] : []),
];

/** Applies a code action's edits to a text. */
function applied(text: string, action: CodeAction): string {
  const doc = TextDocument.create('file:///w/x', 'yaml', 1, text);
  const edits = Object.values(action.edit?.changes ?? {})[0];
  return TextDocument.applyEdits(doc, edits);
}

function fixesFor(
  text: string,
  code: string,
  language: 'yaml' | 'json' = 'yaml',
): { actions: CodeAction[]; diagnostic: Diagnostic } {
  const doc = documentOf(text, language);
  const diagnostic = ls.doValidation(doc).find((d) => d.code === code);
  assert.ok(diagnostic, `no ${code}`);
  const actions = ls
    .doCodeActions(doc, diagnostic.range, { diagnostics: [diagnostic] })
    .filter((a) => a.diagnostics?.[0]?.code === code);
  return { actions, diagnostic };
}

describe('Lambda targets', () => {
  test('without a permission: EB604 on the target, with a fix that adds one (YAML)', () => {
    const text = yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn'));
    assert.deepEqual(
      problems(text).map((p) => [p.code, p.text, p.severity]),
      [['EB604', '!GetAtt Fn.Arn', 2]],
    );
    const { actions } = fixesFor(text, 'EB604');
    assert.equal(actions.length, 1);
    const fixed = applied(text, actions[0]);
    assert.match(
      fixed,
      / {2}FnRulePermission:\n {4}Type: AWS::Lambda::Permission\n {4}Properties:\n {6}FunctionName: !Ref Fn\n/,
    );
    assert.match(fixed, /SourceArn: !GetAtt Rule.Arn/);
    assert.deepEqual(codes(fixed), []);
  });
  test('the resource is added at the end of Resources, before the sections after it', () => {
    const text = yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn')) + '\n# outputs\nOutputs:\n  Name: {Value: !Ref Fn}\n';
    const fixed = applied(text, fixesFor(text, 'EB604').actions[0]);
    assert.match(fixed, /Arn: !GetAtt Fn.Arn\n {2}FnRulePermission:\n/);
    assert.match(fixed, /SourceArn: !GetAtt Rule.Arn\n\n# outputs\nOutputs:/);
    assert.deepEqual(codes(fixed), []);
  });
  test('a file with CRLF line ends gets CRLF in the added resource', () => {
    const text = yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn')).replace(/\n/g, '\r\n');
    const fixed = applied(text, fixesFor(text, 'EB604').actions[0]);
    assert.doesNotMatch(fixed.replace(/\r\n/g, ''), /[\r\n]/);
    assert.deepEqual(codes(fixed), []);
  });
  test('a permission for the rule, for any rule, or with an unknown function or principal: nothing', () => {
    for (const permission of [
      PERMISSION('!GetAtt Rule.Arn'),
      PERMISSION(undefined, '!GetAtt Fn.Arn'),
      PERMISSION('!Sub "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/*"'),
      PERMISSION('!GetAtt Rule.Arn', '!ImportValue shared-function'),
      PERMISSION('!GetAtt Rule.Arn', '!Ref Fn', '!Sub "events.${AWS::URLSuffix}"'),
    ])
      assert.deepEqual(
        codes(yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn'), ...permission)),
        [],
        permission.join('\n'),
      );
  });
  test('a permission for another rule only: EB605', () => {
    const other = [
      '  Other:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      ScheduleExpression: rate(1 day)',
    ];
    assert.deepEqual(
      codes(yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn'), ...other, ...PERMISSION('!GetAtt Other.Arn'))),
      ['EB605'],
    );
  });
  test('a permission for another principal does not count', () => {
    assert.deepEqual(
      codes(yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn'), ...PERMISSION(undefined, '!Ref Fn', 's3.amazonaws.com'))),
      ['EB604'],
    );
  });
  test('a function outside the template (an ARN, a parameter, an import): nothing', () => {
    for (const arn of ['arn:aws:lambda:us-east-1:123456789012:function:f', '!Ref FunctionArn', '!ImportValue fn-arn'])
      assert.deepEqual(codes(yaml(...RULE_TO(arn))), [], arn);
  });
  test('Ref of a function is its name, not an ARN: EB603', () => {
    assert.deepEqual(codes(yaml(...FUNCTION, ...RULE_TO('!Ref Fn'))), ['EB603']);
    // An ARN built around a Ref (a name) is what the Ref is for: nothing (from AWS's CodePipeline sample).
    const pipeline = ['  Pipeline:', '    Type: AWS::CodePipeline::Pipeline', '    Properties: {Name: p}'];
    const built =
      "!Join ['', ['arn:aws:codepipeline:', !Ref 'AWS::Region', ':', !Ref 'AWS::AccountId', ':', !Ref Pipeline]]";
    assert.deepEqual(codes(yaml(...pipeline, ...RULE_TO(built, 'RoleArn: !GetAtt Role.Arn'))), []);
    assert.deepEqual(codes(yaml(...pipeline, ...RULE_TO('!Ref Pipeline', 'RoleArn: !GetAtt Role.Arn'))), ['EB603']);
  });
  test('SAM event sources add their permission: nothing', () => {
    const text = yaml(
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Handler: index.handler',
      '      Runtime: nodejs20.x',
      '      InlineCode: "exports.handler = async () => {}"',
      '      Events:',
      '        Uploaded:',
      '          Type: EventBridgeRule',
      '          Properties:',
      '            Pattern: {source: [aws.s3]}',
      '        Nightly:',
      '          Type: Schedule',
      '          Properties:',
      '            Schedule: cron(0 3 * * ? *)',
      '        Every:',
      '          Type: CloudWatchEvent',
      '          Properties:',
      '            Pattern: {source: [aws.ec2]}',
    );
    assert.deepEqual(codes(text), []);
  });
  test('JSON: the same check and a fix written in JSON with the file indentation', () => {
    const text = JSON.stringify(
      {
        Resources: {
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler' } },
          Rule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: { source: ['aws.s3'] },
              Targets: [{ Id: 't', Arn: { 'Fn::GetAtt': ['Fn', 'Arn'] } }],
            },
          },
        },
      },
      null,
      4,
    );
    assert.deepEqual(codes(text, 'json'), ['EB604']);
    const { actions } = fixesFor(text, 'EB604', 'json');
    const fixed = applied(text, actions[0]);
    const parsed = JSON.parse(fixed) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    assert.deepEqual(parsed.Resources.FnRulePermission.Properties.SourceArn, { 'Fn::GetAtt': ['Rule', 'Arn'] });
    assert.match(fixed, /\n {8}"FnRulePermission": \{\n {12}"Type"/);
    assert.deepEqual(codes(fixed, 'json'), []);
  });
});

describe('SQS, SNS and CloudWatch Logs targets', () => {
  const QUEUE = ['  Queue:', '    Type: AWS::SQS::Queue'];
  const TOPIC = ['  Topic:', '    Type: AWS::SNS::Topic'];
  test('a queue without a policy: EB607, fixed by a queue policy', () => {
    const text = yaml(...QUEUE, ...RULE_TO('!GetAtt Queue.Arn'));
    assert.deepEqual(codes(text), ['EB607']);
    const fixed = applied(text, fixesFor(text, 'EB607').actions[0]);
    assert.match(fixed, /Type: AWS::SQS::QueuePolicy/);
    assert.match(
      fixed,
      / {10}- Effect: Allow\n {12}Principal:\n {14}Service: events.amazonaws.com\n {12}Action: sqs:SendMessage/,
    );
    assert.deepEqual(codes(fixed), []);
  });
  test('a target with a role is delivered as the role: no queue, topic or function policy is asked for', () => {
    assert.deepEqual(codes(yaml(...QUEUE, ...RULE_TO('!GetAtt Queue.Arn', 'RoleArn: !GetAtt Role.Arn'))), []);
    assert.deepEqual(codes(yaml(...FUNCTION, ...RULE_TO('!GetAtt Fn.Arn', 'RoleArn: !GetAtt Role.Arn'))), []);
  });
  test('a queue policy that does not name EventBridge: EB607 saying so', () => {
    const policy = [
      '  QueuePolicy:',
      '    Type: AWS::SQS::QueuePolicy',
      '    Properties:',
      '      Queues: [!Ref Queue]',
      '      PolicyDocument:',
      '        Statement: [{Effect: Allow, Principal: {Service: sns.amazonaws.com}, Action: sqs:SendMessage, Resource: "*"}]',
    ];
    const p = problems(yaml(...QUEUE, ...RULE_TO('!GetAtt Queue.Arn'), ...policy));
    assert.equal(p.length, 1);
    assert.match(p[0].message, /does not allow events.amazonaws.com/);
    const events = policy.map((l) => l.replace('sns.amazonaws.com', 'events.amazonaws.com'));
    assert.deepEqual(codes(yaml(...QUEUE, ...RULE_TO('!GetAtt Queue.Arn'), ...events)), []);
  });
  test('Ref of a queue is its URL: EB603, also as a dead-letter queue (EB610)', () => {
    assert.deepEqual(codes(yaml(...QUEUE, ...RULE_TO('!Ref Queue'))), ['EB603']);
    assert.deepEqual(
      codes(
        yaml(
          ...QUEUE,
          ...TOPIC,
          ...RULE_TO('!Ref Topic', 'DeadLetterConfig: {Arn: !Ref Queue}'),
          ...[
            '  TP:',
            '    Type: AWS::SNS::TopicPolicy',
            '    Properties:',
            '      Topics: [!Ref Topic]',
            '      PolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: events.amazonaws.com}, Action: sns:Publish, Resource: !Ref Topic}]}',
          ],
        ),
      ),
      ['EB610'],
    );
  });
  test('a topic without a policy: EB608; a dead-letter target that is not a queue: EB610', () => {
    assert.deepEqual(codes(yaml(...TOPIC, ...RULE_TO('!Ref Topic'))), ['EB608']);
    assert.deepEqual(
      codes(
        yaml(
          ...TOPIC,
          ...RULE_TO('arn:aws:sns:us-east-1:123456789012:t', 'DeadLetterConfig: {Arn: !GetAtt Topic.TopicArn}'),
        ),
      ),
      ['EB610'],
    );
  });
  const GROUP = [
    '  Group:',
    '    Type: AWS::Logs::LogGroup',
    '    Properties:',
    '      LogGroupName: /aws/events/orders',
  ];
  test('a log group without a resource policy: information only, since the account may have one', () => {
    const p = problems(yaml(...GROUP, ...RULE_TO('!GetAtt Group.Arn')));
    assert.deepEqual(
      p.map((x) => [x.code, x.severity]),
      [['EB606', 3]],
    );
    assert.match(p[0].message, /one may exist in the account/);
  });
  test('a template that writes EventBridge its logs policy: covered, or a warning when it misses the group', () => {
    const policy = (resource: string): string[] => [
      '  EventsLogPolicy:',
      '    Type: AWS::Logs::ResourcePolicy',
      '    Properties:',
      '      PolicyName: events',
      `      PolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com","delivery.logs.amazonaws.com"]},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"${resource}"}]}'`,
    ];
    assert.deepEqual(
      codes(yaml(...GROUP, ...RULE_TO('!GetAtt Group.Arn'), ...policy('arn:aws:logs:*:*:log-group:/aws/events/*:*'))),
      [],
    );
    const p = problems(
      yaml(...GROUP, ...RULE_TO('!GetAtt Group.Arn'), ...policy('arn:aws:logs:*:*:log-group:/other/*:*')),
    );
    assert.deepEqual(
      p.map((x) => [x.code, x.severity]),
      [['EB606', 2]],
    );
  });
  test('the logs fix adds a resource policy that covers the group', () => {
    const text = yaml(...GROUP, ...RULE_TO('!GetAtt Group.Arn'));
    const fixed = applied(text, fixesFor(text, 'EB606').actions[0]);
    assert.match(fixed, /Type: AWS::Logs::ResourcePolicy/);
    assert.deepEqual(codes(fixed), []);
  });
});

describe('target Ids, counts, roles, retries', () => {
  test('at most 5 targets; Ids valid and unique', () => {
    const targets = ['a', 'b', 'c', 'd', 'e', 'bad id', 'a'].map(
      (id) => `        - {Id: "${id}", Arn: "arn:aws:sns:us-east-1:123456789012:t"}`,
    );
    const text = yaml(
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: {source: [my.app]}',
      '      Targets:',
      ...targets,
    );
    assert.deepEqual(
      problems(text).map((p) => [p.code, p.text]),
      [
        ['EB600', 'Targets'],
        ['EB601', '"bad id"'],
        ['EB602', '"a"'],
      ],
    );
  });
  test('targets reached through a role need RoleArn (on the target or the rule)', () => {
    const machine = [
      '  Machine:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties: {DefinitionString: "{}"}',
    ];
    assert.deepEqual(codes(yaml(...machine, ...RULE_TO('!Ref Machine'))), ['EB609']);
    assert.deepEqual(codes(yaml(...machine, ...RULE_TO('!Ref Machine', 'RoleArn: !GetAtt Role.Arn'))), []);
    assert.deepEqual(
      codes(yaml(...RULE_TO('!Sub "arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/s"'))),
      ['EB609'],
    );
    assert.deepEqual(
      codes(
        yaml(
          ...RULE_TO('arn:aws:ecs:us-east-1:123456789012:cluster/c', 'EcsParameters: {TaskDefinitionArn: !Ref Task}'),
        ),
      ),
      ['EB609'],
    );
    // An event bus of another account: its resource policy may be enough.
    assert.deepEqual(codes(yaml(...RULE_TO('arn:aws:events:us-east-1:210987654321:event-bus/central'))), []);
  });
  test('RetryPolicy bounds', () => {
    const text = yaml(
      ...RULE_TO(
        'arn:aws:sns:us-east-1:123456789012:t',
        'RetryPolicy: {MaximumRetryAttempts: 186, MaximumEventAgeInSeconds: 59}',
      ),
    );
    assert.deepEqual(
      problems(text).map((p) => [p.code, p.text]),
      [
        ['EB611', '186'],
        ['EB611', '59'],
      ],
    );
    assert.deepEqual(
      codes(
        yaml(
          ...RULE_TO(
            'arn:aws:sns:us-east-1:123456789012:t',
            'RetryPolicy: {MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86400}',
          ),
        ),
      ),
      [],
    );
  });
  test('intrinsics are unknown: never flagged', () => {
    const text = yaml(
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      ScheduleExpression: !Sub "rate(${Minutes} minutes)"',
      '      EventBusName: !Ref Bus',
      '      Targets:',
      '        - Id: !Ref TargetId',
      '          Arn: !If [IsProd, !ImportValue a, !Ref B]',
      '          Input: !Sub \'{"stage": "${Stage}"}\'',
      '          RetryPolicy: {MaximumRetryAttempts: !Ref Retries}',
      '          InputTransformer: !If [C, {InputTemplate: "{<bad}"}, !Ref AWS::NoValue]',
    );
    assert.deepEqual(
      codes(text).filter((c) => c !== 'EB628'),
      [],
    );
  });
});

describe('input', () => {
  const TOPIC_TARGET = (...extra: string[]): string =>
    yaml(...RULE_TO('arn:aws:sns:us-east-1:123456789012:t', ...extra));
  test('Input is JSON; InputPath a path AWS reads; only one of the three', () => {
    assert.deepEqual(
      problems(TOPIC_TARGET(`Input: '{"a": }'`)).map((p) => [p.code, p.text]),
      [['EB620', '}']],
    );
    assert.deepEqual(
      problems(TOPIC_TARGET('InputPath: detail.id')).map((p) => p.code),
      ['EB622'],
    );
    assert.deepEqual(
      problems(TOPIC_TARGET(`Input: '{}'`, 'InputPath: $.detail')).map((p) => [p.code, p.text]),
      [['EB628', 'InputPath']],
    );
  });
  test('InputTransformer: keys, paths, placeholders, JSON after substitution, each at its place', () => {
    const text = TOPIC_TARGET(
      'InputTransformer:',
      '  InputPathsMap:',
      '    bucket: $.detail.bucket.name',
      '    "aws.mine": $.x',
      "    key: $['detail']",
      `  InputTemplate: '{"bucket": <bucket>, "who": "<user>", "e": "<aws.events.event>", "k": <key> "x": 1}'`,
    );
    assert.deepEqual(
      problems(text).map((p) => [p.code, p.text]),
      [
        ['EB624', '"aws.mine"'],
        ['EB622', "$['detail']"],
        ['EB625', '<user>'],
        ['EB627', '<aws.events.event>'],
        ['EB626', '"'],
      ],
    );
  });
  test('a valid transformer, in JSON too: nothing', () => {
    const json = JSON.stringify({
      Resources: {
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            EventPattern: { source: ['aws.s3'] },
            Targets: [
              {
                Id: 't',
                Arn: 'arn:aws:sns:us-east-1:123456789012:t',
                InputTransformer: {
                  InputPathsMap: { b: '$.detail.bucket.name', k: '$.detail.object.key' },
                  InputTemplate: '"<k> was put in <b> (rule <aws.events.rule-name>)"',
                },
              },
            ],
          },
        },
      },
    });
    assert.deepEqual(codes(json, 'json'), []);
    const broken = json.replace('(rule <aws.events.rule-name>)\\"', '<nope>');
    // Now text that only starts with a quote: the undefined placeholder is what remains.
    assert.deepEqual(codes(broken, 'json'), ['EB625']);
    const notJson = json.replace('(rule <aws.events.rule-name>)\\"', '(rule <aws.events.rule-name>)\\" \\"');
    assert.deepEqual(codes(notJson, 'json'), ['EB626']);
  });
});

describe('schedules', () => {
  const RULE = (...props: string[]): string =>
    yaml('  Rule:', '    Type: AWS::Events::Rule', '    Properties:', ...props.map((p) => `      ${p}`));
  test('rate and cron as AWS reads them', () => {
    assert.deepEqual(codes(RULE('ScheduleExpression: rate(1 minute)')), []);
    assert.deepEqual(codes(RULE('ScheduleExpression: cron(0/15 8-17 ? * MON-FRI *)')), []);
    assert.deepEqual(
      problems(RULE('ScheduleExpression: rate(1 minutes)')).map((p) => [p.code, p.text]),
      [['EB640', 'minutes']],
    );
    assert.deepEqual(codes(RULE('ScheduleExpression: "cron(0 12 * * * *)"')), ['EB640']);
  });
  test('a Unix cron: EB641, and a fix that writes the AWS cron', () => {
    const text = RULE('ScheduleExpression: cron(0 12 * * 1-5)');
    const { actions } = fixesFor(text, 'EB641');
    const fixed = applied(text, actions[0]);
    assert.match(fixed, /ScheduleExpression: cron\(0 12 \? \* 2-6 \*\)\n/);
    assert.deepEqual(codes(fixed), []);
    const quoted = RULE("ScheduleExpression: '*/5 * * * *'");
    assert.deepEqual(codes(quoted), ['EB640']);
  });
  test('neither pattern nor schedule; a schedule on another bus', () => {
    assert.deepEqual(
      problems(RULE('State: ENABLED')).map((p) => [p.code, p.message]),
      [['EB642', 'Parameter(s) EventPattern or ScheduleExpression must be specified.']],
    );
    assert.deepEqual(codes(RULE('ScheduleExpression: rate(5 minutes)', 'EventBusName: orders')), ['EB643']);
    assert.deepEqual(codes(RULE('ScheduleExpression: rate(5 minutes)', 'EventBusName: default')), []);
  });
  test('EventBridge Scheduler: at(), time zone, flexible window, target', () => {
    const schedule = (...props: string[]): string =>
      yaml('  S:', '    Type: AWS::Scheduler::Schedule', '    Properties:', ...props.map((p) => `      ${p}`));
    const target = 'Target: {Arn: !GetAtt Fn.Arn, RoleArn: !GetAtt Role.Arn}';
    assert.deepEqual(
      codes(
        schedule(
          'ScheduleExpression: at(2030-01-01T09:00:00)',
          'ScheduleExpressionTimezone: Europe/Paris',
          'FlexibleTimeWindow: {Mode: "OFF"}',
          target,
        ),
      ),
      [],
    );
    assert.deepEqual(
      codes(
        schedule(
          'ScheduleExpression: rate(5 minutes)',
          'ScheduleExpressionTimezone: Mars/Olympus',
          'FlexibleTimeWindow: {Mode: FLEXIBLE}',
          target,
        ),
      ),
      ['EB644', 'EB645'],
    );
    assert.deepEqual(
      codes(
        schedule(
          'ScheduleExpression: rate(5 minutes)',
          'FlexibleTimeWindow: {Mode: FLEXIBLE, MaximumWindowInMinutes: 1441}',
          'Target: {Arn: x}',
        ),
      ),
      ['EB645', 'EB646'],
    );
    assert.deepEqual(codes(schedule('ScheduleExpression: rate(5 minutes)', target)), ['EB645']);
  });
});

describe('hover', () => {
  test('a cron shows its next five times, in UTC and the time zone', () => {
    const md = scheduleMarkdown(
      'cron(0 9 ? * MON *)',
      'scheduler',
      'Europe/Paris',
      Date.parse('2025-01-01T00:00:00Z'),
    )!;
    assert.match(md, /\| UTC \| Europe\/Paris \|/);
    assert.match(md, /\| 2025-01-06 08:00 \(Mon\) \| 2025-01-06 09:00 \(Mon\) \|/);
    assert.equal(md.split('\n').filter((l) => l.startsWith('| 2025')).length, 5);
    assert.match(scheduleMarkdown('rate(5 minutes)', 'rule', undefined, 0)!, /every 5 minutes/);
  });
  test('through the facade, on a rule schedule', () => {
    const text = yaml(
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      ScheduleExpression: cron(0 12 * * ? *)',
    );
    const doc = documentOf(text);
    const h = ls.doHover(doc, doc.positionAt(text.indexOf('cron(') + 3)) as Hover;
    assert.match((h.contents as { value: string }).value, /always UTC/);
  });
  test('an InputTransformer shows what the target receives for the workspace sample the rule matches', () => {
    const service = getLanguageService();
    setSampleEvents(service, [
      {
        name: 'events/upload.json',
        text: JSON.stringify({ source: 'my.app', 'detail-type': 'Upload', detail: { file: 'a.txt' } }),
      },
      {
        name: 'events/other.json',
        text: JSON.stringify({ source: 'other', 'detail-type': 'Upload', detail: { file: 'b.txt' } }),
      },
    ]);
    const text = yaml(
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: {source: [my.app]}',
      '      Targets:',
      '        - Id: t',
      '          Arn: arn:aws:sns:us-east-1:123456789012:t',
      '          InputTransformer:',
      '            InputPathsMap: {f: $.detail.file}',
      `            InputTemplate: '{"file": <f>, "msg": "got <f>"}'`,
    );
    const doc = TextDocument.create('file:///w/h.yaml', 'yaml', 1, text);
    const h = service.doHover(doc, doc.positionAt(text.indexOf('InputTemplate') + 2)) as Hover;
    const value = (h.contents as { value: string }).value;
    assert.match(value, /events\/upload\.json/);
    assert.match(value, /"file": "a.txt",\n {2}"msg": "got a.txt"/);
    assert.doesNotMatch(value, /b\.txt/);
  });
  test("a code lens above a target's input shows what it receives for each matching sample event", () => {
    const service = getLanguageService();
    setSampleEvents(service, [
      {
        name: 'events/a.json',
        text: JSON.stringify({ source: 'my.app', 'detail-type': 'Upload', detail: { file: 'a.txt' } }),
      },
      {
        name: 'events/b.json',
        text: JSON.stringify({ source: 'my.app', 'detail-type': 'Upload', detail: { file: 'b.txt' } }),
      },
      {
        name: 'events/c.json',
        text: JSON.stringify({ source: 'other', 'detail-type': 'Upload', detail: { file: 'c.txt' } }),
      },
    ]);
    const text = yaml(
      '  Rule:',
      '    Type: AWS::Events::Rule',
      '    Properties:',
      '      EventPattern: {source: [my.app]}',
      '      Targets:',
      '        - Id: notify',
      '          Arn: arn:aws:sns:us-east-1:123456789012:t',
      '          InputTransformer:',
      '            InputPathsMap: {f: $.detail.file}',
      `            InputTemplate: '{"file": <f>}'`,
      '        - Id: plain',
      '          Arn: arn:aws:sns:us-east-1:123456789012:u',
      '        - Id: fixed',
      '          Arn: arn:aws:sns:us-east-1:123456789012:v',
      `          Input: '{"x": 1}'`,
    );
    const doc = TextDocument.create('file:///w/lens.yaml', 'yaml', 1, text);
    const lenses = service.doCodeLens(doc).filter((l) => l.command?.command === 'eventbridge.showTargetInput');
    // A lens for each target that reshapes its input; none for a target that gets the event as it is.
    assert.deepEqual(
      lenses.map((l) => l.command?.title),
      ['▶ What target notify receives (2 sample events)', '▶ What target fixed receives (constant input)'],
    );
    assert.equal(lenses[0].range.start.line, doc.positionAt(text.indexOf('InputTransformer')).line);
    const markdown = (lenses[0].command?.arguments?.[0] as { markdown: string }).markdown;
    assert.match(markdown, /events\/a\.json:\n```json\n\{\n {2}"file": "a.txt"\n\}/);
    assert.match(markdown, /"file": "b.txt"/);
    assert.doesNotMatch(markdown, /c\.txt/);
  });
  test('a SAM EventBridgeRule event: the catalog sample of its pattern, through its InputPath', () => {
    const text = yaml(
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      Events:',
      '        Uploaded:',
      '          Type: EventBridgeRule',
      '          Properties:',
      '            Pattern: {source: [aws.s3], detail-type: [Object Created]}',
      '            InputPath: $.detail.bucket',
    );
    const doc = documentOf(text);
    const h = ls.doHover(doc, doc.positionAt(text.indexOf('InputPath') + 2)) as Hover;
    const value = (h.contents as { value: string }).value;
    assert.match(value, /catalog's sample aws\.s3 "Object Created" event/);
    assert.match(value, /"name": /);
  });
});

test('every code of the rule checks has its own heading in docs/problems.md', () => {
  const docs = readFileSync(join(repoRoot, 'docs', 'problems.md'), 'utf8');
  for (const code of Object.values(RuleCheckCode)) assert.match(docs, new RegExp(`^### ${code}$`, 'm'), code);
});
