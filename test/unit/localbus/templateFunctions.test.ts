// The Lambda functions of a template as the local bus reads them: names and ARNs as CloudFormation and SAM give them,
// where the code is (inline, a folder beside the template, or somewhere the bus cannot run), handler, runtime,
// environment, timeout, SAM Globals and asynchronous-invocation settings; and the rules that target them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseTemplateText, readTemplate } from '../../../server/src/localbus/templateLoader';
import { parseHandler, whyNotRunnable, type LambdaFunction } from '../../../server/src/localbus/lambdaFunctions';

const context = { region: 'eu-west-1', accountId: '123456789012' };
const DIR = join('/work', 'app');

function read(text: string, file = join(DIR, 'stack.yaml')): ReturnType<typeof readTemplate> {
  return readTemplate(parseTemplateText(text, file), file, context);
}

function fn(resources: ReturnType<typeof readTemplate>, logicalId: string): LambdaFunction {
  const found = resources.functions.find((f) => f.declaredIn.endsWith(`: ${logicalId}`));
  assert.ok(found, `function ${logicalId} in ${resources.functions.map((f) => f.declaredIn).join(', ')}`);
  return found;
}

void describe('template loader: Lambda functions', () => {
  void it('reads AWS::Lambda::Function: ZipFile code, name, ARN, environment, timeout, dead letters', () => {
    const r = read(`
Resources:
  Named:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: !Sub '\${AWS::StackName}-named'
      Runtime: python3.12
      Handler: index.handler
      Timeout: "10"
      MemorySize: 512
      ReservedConcurrentExecutions: 2
      Environment:
        Variables:
          TABLE: !Ref Table
          RETRIES: 3
      DeadLetterConfig:
        TargetArn: !GetAtt Dlq.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              print(event)
  Unnamed:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Code:
        S3Bucket: artifacts
        S3Key: fn.zip
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
  Dlq:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: named-dlq
`);
    const named = fn(r, 'Named');
    assert.equal(named.name, 'stack-named');
    assert.equal(named.arn, 'arn:aws:lambda:eu-west-1:123456789012:function:stack-named');
    assert.deepEqual(named.code, { kind: 'inline', text: 'def handler(event, context):\n    print(event)\n' });
    assert.deepEqual(named.environment, { TABLE: 'orders', RETRIES: '3' });
    assert.equal(named.timeoutSeconds, 10);
    assert.equal(named.memorySize, 512);
    assert.equal(named.reservedConcurrency, 2);
    assert.equal(named.deadLetterArn, 'arn:aws:sqs:eu-west-1:123456789012:named-dlq');
    assert.equal(whyNotRunnable(named), undefined);

    const unnamed = fn(r, 'Unnamed');
    assert.match(unnamed.name, /^stack-Unnamed-[0-9A-F]{12}$/);
    assert.equal(unnamed.timeoutSeconds, 3, "Lambda's default timeout");
    assert.equal(unnamed.memorySize, 128);
    assert.equal(unnamed.code.kind, 'unsupported');
    assert.match(whyNotRunnable(unnamed) ?? '', /in S3 \(S3Bucket\)/);
  });

  void it('reads SAM functions with Globals, CodeUri beside the template, EventInvokeConfig, and their rules', () => {
    const r = read(`
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.11
    Timeout: 8
    Environment:
      Variables:
        STAGE: dev
        LEVEL: info
Resources:
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/worker/
      Handler: app.lambda_handler
      Environment:
        Variables:
          LEVEL: debug
      EventInvokeConfig:
        MaximumRetryAttempts: 0
        MaximumEventAgeInSeconds: 120
      Events:
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 3 * * ? *)
            Input: '{"job": "nightly"}'
        OnOrder:
          Type: EventBridgeRule
          Properties:
            Pattern: { source: [shop] }
            RetryPolicy:
              MaximumRetryAttempts: 4
            DeadLetterConfig:
              Arn: arn:aws:sqs:eu-west-1:123456789012:worker-dlq
  Archived:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: s3://bucket/archived.zip
  Image:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest
`);
    const worker = fn(r, 'Worker');
    assert.match(worker.name, /^stack-Worker-[0-9A-F]{12}$/);
    assert.deepEqual(worker.code, { kind: 'directory', path: join(DIR, 'src', 'worker') });
    assert.equal(worker.runtime, 'python3.11');
    assert.equal(worker.timeoutSeconds, 8);
    assert.deepEqual(worker.environment, { STAGE: 'dev', LEVEL: 'debug' });
    assert.equal(worker.maximumRetryAttempts, 0);
    assert.equal(worker.maximumEventAgeSeconds, 120);

    const nightly = r.rules.find((x) => x.logicalId === 'WorkerNightly');
    assert.ok(nightly);
    assert.equal(nightly.scheduleExpression, 'cron(0 3 * * ? *)');
    assert.equal(nightly.eventPattern, undefined);
    assert.deepEqual(nightly.targets, [
      { Id: 'WorkerNightlyLambdaTarget', Arn: worker.arn, Input: '{"job": "nightly"}' },
    ]);
    const onOrder = r.rules.find((x) => x.logicalId === 'WorkerOnOrder');
    assert.deepEqual(onOrder?.targets, [
      {
        Id: 'WorkerOnOrderLambdaTarget',
        Arn: worker.arn,
        RetryPolicy: { MaximumRetryAttempts: 4 },
        DeadLetterConfig: { Arn: 'arn:aws:sqs:eu-west-1:123456789012:worker-dlq' },
      },
    ]);

    assert.match(whyNotRunnable(fn(r, 'Archived')) ?? '', /CodeUri is in S3/);
    assert.match(whyNotRunnable(fn(r, 'Image')) ?? '', /container image/);
  });

  void it('resolves rule targets written with GetAtt, Ref-built ARNs and Join to the function', () => {
    const r = read(`
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: { ZipFile: "exports.handler = async () => {};" }
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [a] }
      Targets:
        - Id: getatt
          Arn: !GetAtt Fn.Arn
        - Id: sub
          Arn: !Sub arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:\${Fn}
        - Id: join
          Arn: !Join [':', [arn, aws, lambda, !Ref AWS::Region, !Ref AWS::AccountId, function, !Ref Fn]]
`);
    const arn = fn(r, 'Fn').arn;
    assert.deepEqual(
      r.rules[0].targets.map((t) => t.Arn),
      [arn, arn, arn],
    );
  });

  void it('loads a function whose variable needs a deployment, without that variable, saying so apart from rules', () => {
    const r = read(`
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Code: { ZipFile: "exports.handler = async () => {};" }
      Environment:
        Variables:
          TABLE_ARN: !GetAtt Table.Arn
          MODE: fast
  Table:
    Type: AWS::DynamoDB::Table
`);
    assert.deepEqual(fn(r, 'Fn').environment, { MODE: 'fast' });
    assert.deepEqual(r.warnings, []);
    assert.equal(r.targetWarnings.length, 1);
    assert.match(r.targetWarnings[0], /resource Fn: environment variable TABLE_ARN is not set .*Table\.Arn/);
  });

  void it('keeps generated function names within 64 characters, as CloudFormation does', () => {
    const long = 'AVeryLongLogicalIdForAFunctionThatProcessesUploadedFilesFromTheBucket';
    const r = read(`
Transform: AWS::Serverless-2016-10-31
Resources:
  ${long}:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      InlineCode: "exports.handler = async () => {};"
      Events:
        E:
          Type: EventBridgeRule
          Properties: { Pattern: { source: [a] } }
`);
    const f = fn(r, long);
    assert.ok(f.name.length <= 64, f.name);
    assert.match(f.name, /-[0-9A-F]{12}$/);
    assert.equal(r.rules[0].targets[0].Arn, f.arn, 'the SAM rule targets the same name');
  });

  void it('runs a CDK function from its asset folder beside the synthesized template', () => {
    const r = read(
      JSON.stringify({
        Resources: {
          Handler886CB40B: {
            Type: 'AWS::Lambda::Function',
            Properties: {
              Runtime: 'nodejs20.x',
              Handler: 'index.handler',
              Code: { S3Bucket: 'cdk-hnb659fds-assets', S3Key: 'abc.zip' },
            },
            Metadata: { 'aws:asset:path': 'asset.abc123', 'aws:asset:property': 'Code' },
          },
        },
      }),
      join(DIR, 'cdk.out', 'AppStack.template.json'),
    );
    assert.deepEqual(fn(r, 'Handler886CB40B').code, {
      kind: 'directory',
      path: join(DIR, 'cdk.out', 'asset.abc123'),
    });
  });
});

void describe('template loader: Serverless Framework functions', () => {
  void it('are named <service>-<stage>-<key>, run from the service folder, with the provider settings under theirs', () => {
    const file = join(DIR, 'svc', 'serverless.yml');
    const r = read(
      `
service: shop
provider:
  name: aws
  runtime: python3.12
  stage: prod
  timeout: 20
  environment:
    STAGE: \${sls:stage}
    LEVEL: info
functions:
  onOrder:
    handler: handlers/orders.on_order
    environment:
      LEVEL: debug
    events:
      - eventBridge:
          pattern: { source: [shop] }
  named:
    name: shop-named
    runtime: nodejs20.x
    handler: index.handler
    timeout: 2
`,
      file,
    );
    const onOrder = fn(r, 'onOrder');
    assert.equal(onOrder.name, 'shop-prod-onOrder');
    assert.deepEqual(onOrder.code, { kind: 'directory', path: join(DIR, 'svc') });
    assert.equal(onOrder.runtime, 'python3.12');
    assert.equal(onOrder.timeoutSeconds, 20);
    assert.deepEqual(onOrder.environment, { STAGE: 'prod', LEVEL: 'debug' });
    assert.equal(r.rules[0].targets[0].Arn, onOrder.arn, 'the eventBridge event targets this function');
    const named = fn(r, 'named');
    assert.equal(named.name, 'shop-named');
    assert.equal(named.timeoutSeconds, 2);
    assert.equal(named.memorySize, 1024, "the framework's default");
  });
});

void describe('Lambda handler strings', () => {
  void it('are read as each runtime reads them', () => {
    assert.deepEqual(parseHandler('nodejs', 'index.handler'), { module: 'index', functionPath: 'handler' });
    assert.deepEqual(parseHandler('nodejs', 'src/app.handlers.onOrder'), {
      module: 'src/app',
      functionPath: 'handlers.onOrder',
    });
    assert.deepEqual(parseHandler('python', 'app.lambda_handler'), { module: 'app', functionPath: 'lambda_handler' });
    assert.deepEqual(parseHandler('python', 'src/pkg.mod.handler'), { module: 'src.pkg.mod', functionPath: 'handler' });
    assert.equal(parseHandler('nodejs', 'index'), undefined);
    assert.equal(parseHandler('python', 'handler.'), undefined);
  });

  void it('say why a function cannot run', () => {
    const base: LambdaFunction = {
      name: 'f',
      arn: 'arn:aws:lambda:eu-west-1:123456789012:function:f',
      runtime: 'java21',
      handler: 'example.Handler::handleRequest',
      code: { kind: 'inline', text: '' },
      environment: {},
      timeoutSeconds: 3,
      memorySize: 128,
      declaredIn: 't',
    };
    assert.match(whyNotRunnable(base) ?? '', /runs Node\.js and Python functions, not java21/);
    assert.match(whyNotRunnable({ ...base, runtime: 'nodejs20.x', handler: 'nodot' }) ?? '', /does not name/);
    assert.equal(whyNotRunnable({ ...base, runtime: 'nodejs20.x', handler: 'index.handler' }), undefined);
  });
});
