import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { parseDocument } from '../../../server/src/languageservice/parsing/documentParser';
import {
  decodeStringNode,
  documentKind,
  findEmbeddedTemplates,
  findPatternSites,
  isCloudFormationTemplate,
  isServerlessConfig,
  isPatternFile,
  nodeAtPatternPath,
  patternPathRanges,
  toDocumentSpan,
  type PatternSite,
  type PatternSiteOptions,
  type StringPatternSite,
} from '../../../server/src/languageservice/sites/patternSites';

// Tests run from out/test/unit/languageservice; fixtures stay in the source tree.
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'templates');

function sitesOf(text: string, languageId: 'json' | 'yaml', uri: string, options?: PatternSiteOptions): PatternSite[] {
  const { root } = parseDocument(text, languageId);
  return findPatternSites(root, text, uri, options);
}

function fixture(name: string): { text: string; sites: PatternSite[] } {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  return { text, sites: sitesOf(text, name.endsWith('.json') ? 'json' : 'yaml', `file:///workspace/${name}`) };
}

/** A compact description of a site, for comparing with expectations. */
function summary(site: PatternSite): string {
  const parts: string[] = [site.kind, site.dialect, site.form];
  if (site.resourceId) parts.push(`resource=${site.resourceId}`);
  if (site.eventId) parts.push(`event=${site.eventId}`);
  if (site.filterIndex !== undefined) parts.push(`filter=${site.filterIndex}`);
  if (site.conditions.length > 0) parts.push(`if=${site.conditions.join('&')}`);
  if (site.marker) parts.push(`marker=${site.marker}`);
  if (site.form === 'string' && site.viaSub) parts.push('sub');
  if (site.form === 'object' && site.viaToJsonString) parts.push('toJsonString');
  return parts.join(' ');
}

/** Every character of a string site's text maps onto itself, an escape, or a line break in the document. */
function assertStringSiteMapsBack(text: string, site: StringPatternSite): void {
  for (let i = 0; i < site.text.length; i++) {
    const at = site.toDocumentOffset(i);
    const src = text[at];
    const ch = site.text[i];
    const ok = src === ch || src === '\\' || ((ch === ' ' || ch === '\n') && (src === '\n' || src === '\r'));
    assert.ok(ok, `${site.resourceId ?? ''} #${i} ${JSON.stringify(ch)} maps to ${JSON.stringify(src)}`);
    assert.ok(at >= site.range.offset && at < site.range.offset + site.range.length);
  }
}

/** The document text of the first occurrence of `needle` in a string site's decoded text. */
function documentTextOf(text: string, site: StringPatternSite, needle: string): string {
  const index = site.text.indexOf(needle);
  assert.ok(index >= 0, `${needle} not in ${site.text}`);
  const span = toDocumentSpan(site, { offset: index, length: needle.length });
  return text.slice(span.offset, span.offset + span.length);
}

describe('findPatternSites: fixtures', () => {
  it('parses every well-formed fixture without syntax problems, and maps every string site back', () => {
    for (const name of readdirSync(FIXTURES)) {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const { root, syntaxErrors } = parseDocument(text, name.endsWith('.json') ? 'json' : 'yaml');
      if (name.startsWith('malformed')) {
        assert.ok(syntaxErrors.length > 0, name);
        continue;
      }
      assert.deepEqual(syntaxErrors, [], name);
      for (const site of findPatternSites(root, text, `file:///w/${name}`)) {
        if (site.form === 'string') assertStringSiteMapsBack(text, site);
      }
    }
  });

  it('CloudFormation YAML: object, string, !Sub, Fn::Sub, !Sub list, !If, archives; !Ref is skipped', () => {
    const { text, sites } = fixture('cfn-rules.yaml');
    assert.deepEqual(sites.map(summary), [
      'eventsRule eventbus object resource=ObjectRule',
      'eventsRule eventbus string resource=StringRule',
      'eventsRule eventbus string resource=SubRule sub',
      'eventsRule eventbus string resource=SubListRule sub',
      'eventsRule eventbus string resource=LongFormSubRule sub',
      'eventsRule eventbus object resource=ConditionalRule if=IsProd',
      'eventsRule eventbus object resource=ConditionalRule if=!IsProd',
      'eventsArchive archive object resource=OrdersArchive',
      'eventsArchive archive string resource=StringArchive marker=stringPatternNotAllowed',
    ]);
    for (const site of sites) if (site.form === 'string') assertStringSiteMapsBack(text, site);

    const stringRule = sites[1] as StringPatternSite;
    assert.equal(stringRule.text, '{"source": ["aws.s3"], "detail": {"bucket": {"name": [{"prefix": "it\'s-"}]}}}');
    assert.equal(documentTextOf(text, stringRule, "it's-"), "it''s-");

    const subRule = sites[2] as StringPatternSite;
    assert.deepEqual(
      subRule.substitutions.map((s) => [s.name, subRule.text.slice(s.offset, s.offset + s.length)]),
      [
        ['Stage', '${Stage}'],
        ['AWS::AccountId', '${AWS::AccountId}'],
      ],
    );
    assert.equal(documentTextOf(text, subRule, '"account"'), '"account"');
    assert.equal(subRule.valueNode.type, 'unknown');

    const longForm = sites[4] as StringPatternSite;
    assert.equal(documentTextOf(text, longForm, '"billing.${Stage}"'), '\\"billing.${Stage}\\"');

    const conditional = sites[5];
    assert.deepEqual(conditional.form === 'object' && toPlainValue(conditional.node), { source: ['prod.orders'] });
  });

  it('CloudFormation JSON: object, escaped string, Fn::Sub', () => {
    const { text, sites } = fixture('cfn-rules.json');
    assert.deepEqual(sites.map(summary), [
      'eventsRule eventbus object resource=ObjectRule',
      'eventsRule eventbus string resource=StringRule',
      'eventsRule eventbus string resource=SubRule sub',
    ]);
    const stringRule = sites[1] as StringPatternSite;
    assertStringSiteMapsBack(text, stringRule);
    assert.equal(stringRule.text, '{"source": ["aws.s3"],\n "detail": {"key": ["café\\\\"]}}');
    assert.equal(documentTextOf(text, stringRule, '"aws.s3"'), '\\"aws.s3\\"');
    assert.equal(documentTextOf(text, stringRule, 'é'), '\\u00e9');
    assert.equal(documentTextOf(text, stringRule, '\n'), '\\n');
    const objectRule = sites[0];
    assert.equal(objectRule.form, 'object');
    const numeric =
      objectRule.form === 'object'
        ? nodeAtPatternPath(objectRule.node, ['detail', 'count', 0, 'numeric', 1])
        : undefined;
    assert.equal(numeric?.type === 'number' && numeric.text, '1.50e1');
  });

  it('SAM: EventBridgeRule and CloudWatchEvent patterns, pull-event filters, state machines', () => {
    const { text, sites } = fixture('sam-template.yaml');
    assert.deepEqual(sites.map(summary), [
      'samEventBridgeRule eventbus object resource=OrderHandler event=OrderPlaced',
      'samEventBridgeRule eventbus object resource=OrderHandler event=Legacy',
      'samPullEventFilter lambda string resource=OrderHandler event=Queue filter=0',
      'samPullEventFilter lambda string resource=OrderHandler event=Queue filter=1',
      'samPullEventFilter lambda string resource=OrderHandler event=Stream filter=0',
      'samEventBridgeRule eventbus object resource=Workflow event=Trigger',
    ]);
    for (const site of sites) if (site.form === 'string') assertStringSiteMapsBack(text, site);
    const folded = sites[4] as StringPatternSite;
    assert.equal(folded.text, '{"eventName": ["INSERT"], "dynamodb": {"Keys": {"pk": {"S": [{"prefix": "ORDER#"}]}}}}');
    assert.equal(documentTextOf(text, folded, '"ORDER#"'), '"ORDER#"');
  });

  it('Pipes: string filters in every YAML style, Fn::ToJsonString objects, and objects flagged', () => {
    const { text, sites } = fixture('pipes.yaml');
    assert.deepEqual(sites.map(summary), [
      'pipeFilter pipes string resource=OrdersPipe filter=0',
      'pipeFilter pipes string resource=OrdersPipe filter=1',
      'pipeFilter pipes string resource=OrdersPipe filter=2',
      'pipeFilter pipes object resource=OrdersPipe filter=3 toJsonString',
      'pipeFilter pipes object resource=OrdersPipe filter=4 marker=objectPatternNotAllowed',
    ]);
    for (const site of sites) if (site.form === 'string') assertStringSiteMapsBack(text, site);
    assert.equal(documentTextOf(text, sites[1] as StringPatternSite, '">"'), '\\">\\"');
    assert.equal(documentTextOf(text, sites[2] as StringPatternSite, '"customer"'), '"customer"');
  });

  it('Lambda event source mappings (JSON) with \\u and \\/ escapes', () => {
    const { text, sites } = fixture('lambda-esm.json');
    assert.deepEqual(sites.map(summary), [
      'eventSourceMappingFilter lambda string resource=Mapping filter=0',
      'eventSourceMappingFilter lambda string resource=Mapping filter=1',
    ]);
    for (const site of sites) assertStringSiteMapsBack(text, site as StringPatternSite);
    const first = sites[0] as StringPatternSite;
    assert.equal(first.text, '{"data": {"kind": ["a\\u0062c"]}}');
    assert.equal(documentTextOf(text, first, '\\u0062'), '\\\\u0062');
  });

  it('Serverless Framework: eventBridge patterns, filterPatterns, and resources.Resources', () => {
    const { sites } = fixture('serverless.yml');
    assert.deepEqual(sites.map(summary), [
      'serverlessEventBridge eventbus object event=onOrder.events[0]',
      'serverlessFilter lambda object event=onOrder.events[1] filter=0',
      'eventsRule eventbus object resource=AuditRule',
    ]);
  });

  it('standalone pattern files, JSON with comments and YAML', () => {
    const json = fixture('orders.eventpattern.json');
    assert.deepEqual(json.sites.map(summary), ['patternFile eventbus object']);
    assert.deepEqual(json.sites[0].form === 'object' && toPlainValue(json.sites[0].node), {
      source: ['orders'],
      detail: { total: [{ numeric: ['>', 100] }] },
    });
    const yamlFile = fixture('orders.eventpattern.yaml');
    assert.deepEqual(yamlFile.sites[0].form === 'object' && toPlainValue(yamlFile.sites[0].node), {
      source: ['orders'],
      detail: {
        status: ['PLACED', 'SHIPPED'],
        total: [{ numeric: ['>', 100] }],
        flag: [true],
        nothing: [null],
        quoted: ['true', '123'],
      },
    });
  });

  it('finds nothing in files that are not templates', () => {
    assert.deepEqual(fixture('not-a-template.yaml').sites, []);
  });

  it('still finds what it can in malformed documents', () => {
    assert.deepEqual(fixture('malformed.yaml').sites.map(summary), ['eventsRule eventbus object resource=Rule']);
    assert.deepEqual(fixture('malformed.json').sites.map(summary), ['eventsRule eventbus object resource=Rule']);
  });
});

describe('findPatternSites: recognition', () => {
  it('recognises pattern files by name and by user globs', () => {
    assert.ok(isPatternFile('file:///a/b/orders.eventpattern.json'));
    assert.ok(isPatternFile('file:///a/b/orders.EventPattern.YML'));
    assert.ok(!isPatternFile('file:///a/b/orders.json'));
    const options = { patternFileGlobs: ['**/patterns/*.json', '*.rule.{json,yaml}'] };
    assert.ok(isPatternFile('file:///repo/src/patterns/orders.json', options));
    assert.ok(isPatternFile('file:///repo/x/y.rule.yaml', options));
    assert.ok(isPatternFile('file:///repo/with%20space/patterns/a.json', options));
    assert.ok(!isPatternFile('file:///repo/src/patterns/deeper/orders.json', options));
    assert.ok(!isPatternFile('file:///repo/x/y.rule.yml', options));
    const sites = sitesOf('{"source": ["x"]}', 'json', 'file:///repo/src/patterns/a.json', options);
    assert.deepEqual(sites.map(summary), ['patternFile eventbus object']);
  });

  it('recognises templates by content, whatever the file name', () => {
    const byVersion = parseDocument('AWSTemplateFormatVersion: "2010-09-09"\n', 'yaml').root!;
    assert.ok(isCloudFormationTemplate(byVersion));
    assert.ok(
      isCloudFormationTemplate(
        parseDocument('Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n', 'yaml').root!,
      ),
    );
    assert.ok(
      isCloudFormationTemplate(parseDocument('{"Resources": {"R": {"Type": "AWS::SQS::Queue"}}}', 'json').root!),
    );
    assert.ok(!isCloudFormationTemplate(parseDocument('{"Resources": {"R": {"Type": "Something"}}}', 'json').root!));
    const rule = 'Resources:\n  R:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {source: [x]}\n';
    assert.equal(sitesOf(rule, 'yaml', 'file:///anything.txt').length, 1);
    assert.equal(sitesOf(rule, 'yaml', 'untitled:Untitled-1').length, 1);
  });

  it('follows nested Fn::If through filters and drops AWS::NoValue branches', () => {
    const text = [
      'Resources:',
      '  M:',
      '    Type: AWS::Lambda::EventSourceMapping',
      '    Properties:',
      '      FilterCriteria:',
      '        Filters: !If',
      '          - A',
      '          - - Pattern: !If [B, \'{"a": ["1"]}\', !Ref AWS::NoValue]',
      '            - !If [C, {Pattern: \'{"c": ["3"]}\'}, !Ref AWS::NoValue]',
      '          - - Pattern: \'{"d": ["4"]}\'',
      '',
    ].join('\n');
    const sites = sitesOf(text, 'yaml', 'file:///t.yaml');
    assert.deepEqual(sites.map(summary), [
      'eventSourceMappingFilter lambda string resource=M filter=0 if=A&B',
      'eventSourceMappingFilter lambda string resource=M filter=1 if=A&C',
      'eventSourceMappingFilter lambda string resource=M filter=0 if=!A',
    ]);
  });

  it('gives nothing for empty or scalar documents', () => {
    assert.deepEqual(sitesOf('', 'yaml', 'file:///t.yaml'), []);
    assert.deepEqual(sitesOf('', 'json', 'file:///t.json'), []);
    assert.deepEqual(sitesOf('42', 'json', 'file:///t.json'), []);
    assert.deepEqual(sitesOf('', 'json', 'file:///t.eventpattern.json'), []);
  });
});

describe('pattern paths', () => {
  it('maps every JSON path inside an object-form pattern to its range, in document order', () => {
    const text = 'source: [a, b]\ndetail:\n  state: [{prefix: x}]\n';
    const site = sitesOf(text, 'yaml', 'file:///p.eventpattern.yaml')[0];
    assert.equal(site.form, 'object');
    const ranges = site.form === 'object' ? patternPathRanges(site.node) : [];
    assert.deepEqual(
      ranges.map((r) => [JSON.stringify(r.path), text.slice(r.range.offset, r.range.offset + r.range.length)]),
      [
        ['[]', text.trimEnd()],
        ['["source"]', '[a, b]'],
        ['["source",0]', 'a'],
        ['["source",1]', 'b'],
        ['["detail"]', 'state: [{prefix: x}]'],
        ['["detail","state"]', '[{prefix: x}]'],
        ['["detail","state",0]', '{prefix: x}'],
        ['["detail","state",0,"prefix"]', 'x'],
      ],
    );
    const detail = ranges.find((r) => JSON.stringify(r.path) === '["detail"]')!;
    assert.equal(text.slice(detail.keyRange!.offset, detail.keyRange!.offset + detail.keyRange!.length), 'detail');
  });

  it('resolves duplicate keys to the last one', () => {
    const { root } = parseDocument('{"a": ["first"], "a": ["last"]}', 'json');
    assert.deepEqual(toPlainValue(nodeAtPatternPath(root!, ['a'])), ['last']);
    assert.equal(nodeAtPatternPath(root!, ['a', 5]), undefined);
    assert.equal(patternPathRanges(root!).filter((r) => r.path.length === 1).length, 2);
  });
});

describe('string sites: spans and fallbacks', () => {
  it('maps spans through escapes at both ends, and clamps out-of-range offsets', () => {
    const text =
      '{"Resources": {"R": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": "{\\"a\\": [\\"\\u00e9\\"]}"}}}}';
    const site = sitesOf(text, 'json', 'file:///t.json')[0] as StringPatternSite;
    assert.equal(site.text, '{"a": ["é"]}');
    assert.equal(documentTextOf(text, site, '"é"'), '\\"\\u00e9\\"');
    const end = site.toDocumentOffset(site.text.length);
    assert.equal(text[end], '"', 'the end maps to the closing quote');
    assert.equal(site.toDocumentOffset(-5), site.toDocumentOffset(0));
    assert.equal(site.toDocumentOffset(10_000), end);
    assert.deepEqual(toDocumentSpan(site, { offset: 2, length: 0 }), { offset: site.toDocumentOffset(2), length: 0 });
  });

  it('falls back to a proportional map inside the literal when a node does not match its source', () => {
    const text = 'x: "abc"\n';
    const forged = { type: 'string' as const, offset: 3, length: 5, value: 'something else' };
    const decoded = decodeStringNode(forged, text);
    assert.equal(decoded.value, 'something else');
    for (const offset of decoded.offsets) assert.ok(offset >= 3 && offset <= 8);
  });
});

describe('robustness and scale', () => {
  it('never throws on arbitrary text, JSON or YAML', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.constantFrom<'json' | 'yaml'>('json', 'yaml'),
        (text, languageId) => {
          const { root, syntaxErrors } = parseDocument(text, languageId);
          for (const e of syntaxErrors) assert.ok(e.offset >= 0 && e.offset + e.length <= text.length);
          findPatternSites(root, text, 'file:///x.eventpattern.json');
          findPatternSites(root, text, 'file:///template.yaml');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on template-shaped documents with random values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.boolean(), (value, asYaml) => {
        const template = {
          AWSTemplateFormatVersion: '2010-09-09',
          Resources: { R: { Type: 'AWS::Events::Rule', Properties: { EventPattern: value } } },
        };
        const text = asYaml
          ? JSON.stringify(template, null, 1).replace(/^(\s*)"([A-Za-z]+)":/gm, '$1$2:')
          : JSON.stringify(template);
        const { root } = parseDocument(text, asYaml ? 'yaml' : 'json');
        const sites = findPatternSites(root, text, 'file:///t');
        for (const site of sites) if (site.form === 'string') assertStringSiteMapsBack(text, site);
      }),
      { numRuns: 300 },
    );
  });

  for (const languageId of ['yaml', 'json'] as const) {
    it(`finds the patterns of a 20,000-resource ${languageId.toUpperCase()} template`, (t) => {
      const count = 20_000;
      let text: string;
      if (languageId === 'json') {
        const resources: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          resources[`R${i}`] =
            i % 2 === 1
              ? {
                  Type: 'AWS::Events::Rule',
                  Properties: { EventPattern: { source: [`s${i}`], detail: { n: [{ numeric: ['>', i] }] } } },
                }
              : {
                  Type: 'AWS::Pipes::Pipe',
                  Properties: {
                    SourceParameters: { FilterCriteria: { Filters: [{ Pattern: `{"body": {"n": [${i}]}}` }] } },
                  },
                };
        }
        text = JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }, null, 2);
      } else {
        const parts = ["AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"];
        for (let i = 0; i < count; i++) {
          parts.push(
            i % 2 === 1
              ? `  R${i}:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n        source: [s${i}]\n        detail:\n          n: [{numeric: [">", ${i}]}]\n`
              : `  R${i}:\n    Type: AWS::Pipes::Pipe\n    Properties:\n      Name: !Sub 'p${i}-\${AWS::Region}'\n      SourceParameters:\n        FilterCriteria:\n          Filters:\n            - Pattern: '{"body": {"n": [${i}]}}'\n`,
          );
        }
        text = parts.join('');
      }
      const started = performance.now();
      const { root, syntaxErrors } = parseDocument(text, languageId);
      const parsed = performance.now();
      const sites = findPatternSites(root, text, 'file:///big');
      const found = performance.now();
      assert.deepEqual(syntaxErrors, []);
      assert.equal(sites.length, count);
      assert.equal(sites.filter((s) => s.form === 'string').length, count / 2);
      assert.equal(sites[count - 1].resourceId, `R${count - 1}`);
      // Figures for the report; benchmarks are not pass/fail.
      t.diagnostic(
        `${languageId}: ${(text.length / 1e6).toFixed(1)} MB, parse ${Math.round(parsed - started)} ms, sites ${Math.round(found - parsed)} ms`,
      );
    });
  }
});

describe('the other readers', () => {
  it('reads a Serverless file without functions: its resources.Resources are CloudFormation', () => {
    const text = [
      'service: audit',
      'provider:',
      '  name: aws',
      'resources:',
      '  Resources:',
      '    AuditRule:',
      '      Type: AWS::Events::Rule',
      '      Properties:',
      '        EventPattern:',
      '          source: [aws.s3]',
      '',
    ].join('\n');
    assert.deepEqual(sitesOf(text, 'yaml', 'file:///w/serverless.yml').map(summary), [
      'eventsRule eventbus object resource=AuditRule',
    ]);
    const root = (t: string) => parseDocument(t, 'yaml').root!;
    // service with provider, functions or resources.Resources; without service, two of those three.
    assert.ok(isServerlessConfig(root('service: a\nprovider: {name: aws}\n')));
    assert.ok(isServerlessConfig(root('service: a\nfunctions: {f: {handler: h}}\n')));
    assert.ok(isServerlessConfig(root('service: a\nresources: {Resources: {}}\n')));
    assert.ok(isServerlessConfig(root('provider: {name: aws}\nresources: {Resources: {}}\n')));
    assert.ok(!isServerlessConfig(root('provider: {name: aws}\n')));
    assert.ok(!isServerlessConfig(root('service: web\nimage: nginx\n')));
    assert.ok(!isServerlessConfig(root('services: {web: {image: nginx}}\nprovider: {x: 1}\n')));
    // A CloudFormation template is never read as a Serverless file.
    assert.ok(!isServerlessConfig(root('service: a\nprovider: {name: aws}\nResources: {}\n')));
  });

  it('knows what it reads: pattern files, templates, Serverless files; a broken template by its text', () => {
    const kind = (text: string, uri = 'file:///w/x.yaml') => {
      const { root, syntaxErrors } = parseDocument(text, 'yaml');
      return documentKind(root, uri, {}, syntaxErrors.length > 0 ? text : undefined);
    };
    assert.equal(kind('source: [x]\n', 'file:///w/a.eventpattern.yaml'), 'patternFile');
    assert.equal(kind('Resources:\n  Q:\n    Type: AWS::SQS::Queue\n'), 'template');
    assert.equal(kind('service: a\nprovider:\n  name: aws\n'), 'serverless');
    assert.equal(kind('jobs:\n  build: [a\n'), undefined);
    assert.equal(kind('kind: ConfigMap\ndata: {a: 1}\n'), undefined);
    // Broken so that the tree does not show it any more.
    assert.equal(kind('- [\nAWSTemplateFormatVersion: "2010-09-09"\n'), 'template');
    assert.equal(kind('- [\n"Type": "AWS::Events::Rule"\n'), 'template');
    assert.equal(kind('- [\nservice: a\nprovider:\n  name: aws\n'), 'serverless');
  });

  it("finds a StackSet's TemplateBody strings (not !Sub ones), in templates and Serverless files", () => {
    const text = [
      'Resources:',
      '  A:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      TemplateBody: |',
      '        Resources: {}',
      '  B:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      TemplateBody: !Sub "{}"',
      '  C:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties:',
      '      TemplateURL: https://example.com/t.yaml',
      '  D:',
      '    Type: AWS::CloudFormation::StackSet',
      '    Properties: {TemplateBody: \'{"Resources": {}}\'}',
      '',
    ].join('\n');
    const { root } = parseDocument(text, 'yaml');
    assert.deepEqual(
      findEmbeddedTemplates(root, 'file:///w/t.yaml').map((e) => [e.resourceId, e.node.value]),
      [
        ['A', 'Resources: {}\n'],
        ['D', '{"Resources": {}}'],
      ],
    );
    // Not in a file we do not read as a template.
    assert.deepEqual(findEmbeddedTemplates(parseDocument('x: 1\n', 'yaml').root, 'file:///w/x.yaml'), []);
  });
});
