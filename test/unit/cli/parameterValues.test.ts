// `--parameters <file>` in every form users keep parameter values in, and what is said about a malformed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collectParameterValues,
  ParameterValuesError,
  parseParametersFile,
  unknownParameterWarnings,
} from '../../../server/src/cfn/parameterValues';

const entries = (m: Map<string, string>): [string, string][] => [...m.entries()];

test("CloudFormation's ParameterKey/ParameterValue list (numbers and booleans become text)", () => {
  const text = JSON.stringify([
    { ParameterKey: 'Stage', ParameterValue: 'prod' },
    { ParameterKey: 'Threshold', ParameterValue: 10 },
    { ParameterKey: 'Sources', ParameterValue: 'a,b' },
  ]);
  assert.deepEqual(entries(parseParametersFile(text, 'params.json')), [
    ['Stage', 'prod'],
    ['Threshold', '10'],
    ['Sources', 'a,b'],
  ]);
});

test('a template configuration file: {"Parameters": {...}}', () => {
  const text = '{\n  "Parameters": { "Stage": "dev", "Bus": "orders" },\n  "Tags": { "team": "x" }\n}\n';
  assert.deepEqual(entries(parseParametersFile(text, 'config.json')), [
    ['Stage', 'dev'],
    ['Bus', 'orders'],
  ]);
});

test("SAM's overrides: Key=Value on lines or blank-separated, quotes, the ParameterKey= form, comments", () => {
  const text = [
    '# values for the staging stack',
    'Stage=staging Bus="orders bus"',
    "  Name='it''s'  ",
    'ParameterKey=Threshold,ParameterValue=5',
    'Url=https://example.com/?a=b',
    'Empty=',
    '',
  ].join('\n');
  assert.deepEqual(entries(parseParametersFile(text, 'params.env')), [
    ['Stage', 'staging'],
    ['Bus', 'orders bus'],
    ['Name', 'its'],
    ['Threshold', '5'],
    ['Url', 'https://example.com/?a=b'],
    ['Empty', ''],
  ]);
});

test("samconfig.toml: the default environment's parameter_overrides, as a string or an array", () => {
  const toml = [
    'version = 0.1',
    '[default.deploy.parameters]',
    'stack_name = "orders"',
    'parameter_overrides = "Stage=\\"prod\\" Bus=\\"orders bus\\""',
    '',
    '[dev.deploy.parameters]',
    'parameter_overrides = "Stage=dev"',
  ].join('\n');
  assert.deepEqual(entries(parseParametersFile(toml, 'samconfig.toml')), [
    ['Stage', 'prod'],
    ['Bus', 'orders bus'],
  ]);
  const arrayForm = ['[default.deploy.parameters]', 'parameter_overrides = [', '  "Stage=qa",', "  'Bus=b1'", ']'].join(
    '\n',
  );
  assert.deepEqual(entries(parseParametersFile(arrayForm, 'samconfig.toml')), [
    ['Stage', 'qa'],
    ['Bus', 'b1'],
  ]);
  const onlyOne = '[prod.deploy.parameters]\nparameter_overrides = "Stage=prod"\n';
  assert.deepEqual(entries(parseParametersFile(onlyOne, 'samconfig.toml')), [['Stage', 'prod']]);
});

test('malformed files: a clear message naming the file (and the line where there is one)', () => {
  const cases: [string, string, RegExp][] = [
    ['p.json', '[{"ParameterKey": "Stage"', /^p\.json: not valid JSON/],
    ['p.json', '[{"ParameterValue": "x"}]', /^p\.json: entry 1: needs "ParameterKey"/],
    ['p.json', '[{"ParameterKey": "Stage", "ParameterValue": {"a": 1}}]', /"ParameterValue" must be a string/],
    ['p.json', '[{"ParameterKey": "Stage", "UsePreviousValue": true}]', /UsePreviousValue needs the deployed stack/],
    ['p.json', '{"Stage": "prod"}', /^p\.json: expected CloudFormation's \[\{"ParameterKey"/],
    ['p.json', '[{"ParameterKey": "my-stage", "ParameterValue": "x"}]', /"my-stage" is not a parameter name/],
    ['p.txt', 'Stage=prod\nBus orders\n', /^p\.txt:2: "Bus": expected Key=Value$/],
    ['p.txt', 'Stage="prod\n', /^p\.txt:1: a " quote is not closed$/],
    [
      'samconfig.toml',
      '[dev.deploy.parameters]\nparameter_overrides = "A=1"\n[qa.deploy.parameters]\nparameter_overrides = "A=2"\n',
      /several environments \(\[dev\.deploy\.parameters\], \[qa\.deploy\.parameters\]\)/,
    ],
    ['samconfig.toml', '[default.deploy.parameters]\nparameter_overrides = "A=1\n', /is not closed/],
  ];
  for (const [name, text, message] of cases) {
    assert.throws(
      () => parseParametersFile(text, name),
      (e: unknown) => e instanceof ParameterValuesError && message.test(e.message),
      `${name}: ${text}`,
    );
  }
});

test('--parameter values win over files, later files over earlier ones; unknown names are listed', () => {
  const values = collectParameterValues(
    [
      {
        name: 'a.json',
        text: '[{"ParameterKey": "Stage", "ParameterValue": "a"}, {"ParameterKey": "Bus", "ParameterValue": "a"}]',
      },
      { name: 'b.txt', text: 'Stage=b' },
    ],
    ['Bus=flag=with=equals'],
  );
  assert.deepEqual(entries(values), [
    ['Stage', 'b'],
    ['Bus', 'flag=with=equals'],
  ]);
  assert.throws(() => collectParameterValues([], ['Stage']), /--parameter Stage: expected Key=Value/);
  assert.deepEqual(unknownParameterWarnings(values, new Set(['Stage'])), [
    'parameter Bus was given a value, but no template declares it in Parameters',
  ]);
});
