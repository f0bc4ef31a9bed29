// The Terraform reader (sites/terraformSites.ts) on our own .tf fixtures: where each form of pattern is found, that
// the engine's and the lint's problems land on the exact characters of the .tf text, that what Terraform computes is
// never flagged, that a broken block hides nothing else, and that HCL written by hclSyntax parses back to its JSON.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePatternNode, type PatternAnalysis } from '../../../server/src/engine';
import { toPlainValue } from '../../../server/src/engine/jsonAst';
import { loadGrammar, parseCode } from '../../../server/src/languageservice/parsing/codeGrammars';
import {
  findTerraformSites,
  type TerraformObjectSite,
  type TerraformReading,
} from '../../../server/src/languageservice/sites/terraformSites';
import { hclKey, hclSyntax, hclValue } from '../../../server/src/languageservice/sites/hclSyntax';
import { toDocumentSpan, type PatternSite } from '../../../server/src/languageservice/sites/patternSites';
import { analyzeSubstitutedText } from '../../../server/src/languageservice/sites/substitutedPatterns';
import type { AnalyzedSite, DocumentAnalysis } from '../../../server/src/languageservice/sites/documentAnalysis';
import { lintFixOf, lintPatternSite } from '../../../server/src/languageservice/features/patternLintRules';

before(async () => {
  await loadGrammar('terraform');
});

function read(text: string): TerraformReading {
  const tree = parseCode('terraform', text);
  assert.ok(tree);
  return findTerraformSites(tree, text, 'file:///w/main.tf');
}

/** A site analysed as the language service analyses it (documentAnalysis.ts), with its lint problems. */
function analyze(site: PatternSite, text: string) {
  const analysis: PatternAnalysis =
    site.form === 'object'
      ? analyzePatternNode(site.node, {
          dialect: site.dialect,
          patternLength: JSON.stringify(toPlainValue(site.node) ?? null).length,
        })
      : analyzeSubstitutedText(site.text, site.substitutions, site.dialect);
  const toDocument = (offset: number, length: number) =>
    site.form === 'object' ? { offset, length } : toDocumentSpan(site, { offset, length });
  const analyzed: AnalyzedSite = {
    site,
    analysis,
    patternRoot: site.form === 'object' ? site.node : analysis.ast,
    toDocument,
    fromDocument: () => undefined,
    lineage: {},
  };
  const doc = {
    uri: 'file:///w/main.tf',
    languageId: 'json',
    text,
    root: undefined,
    syntaxErrors: [],
    sites: [analyzed],
    embedded: [],
  };
  const lint = lintPatternSite(analyzed, doc as unknown as DocumentAnalysis);
  const problems = [...analysis.problems, ...lint].map((p) => {
    const span = toDocument(p.offset, p.length);
    return {
      code: p.code,
      at: text.slice(span.offset, span.offset + span.length),
      offset: span.offset,
      message: p.message,
    };
  });
  return { analysis, problems, lint };
}

function codesAt(site: PatternSite, text: string): [string, string][] {
  return analyze(site, text).problems.map((p) => [p.code, p.at]);
}

const rule = (name: string, value: string): string =>
  `resource "aws_cloudwatch_event_rule" "${name}" {\n  name          = "${name}"\n  event_pattern = ${value}\n}\n`;

describe('aws_cloudwatch_event_rule: jsonencode({...})', () => {
  test('an HCL object becomes the pattern, with document offsets, kind, dialect and address', () => {
    const text = rule(
      'orders',
      'jsonencode({\n    source        = ["com.shop.orders"]\n    "detail-type" = ["Order Placed"]\n    detail = { total = [{ numeric = [">", -5, "<=", 1.5e3] }], gift = [true, null] }\n  })',
    );
    const { sites, syntaxErrors, referencedPatternFiles } = read(text);
    assert.deepEqual(syntaxErrors, []);
    assert.deepEqual(referencedPatternFiles, []);
    assert.equal(sites.length, 1);
    const site = sites[0] as TerraformObjectSite;
    assert.equal(site.form, 'object');
    assert.equal(site.kind, 'terraformEventRule');
    assert.equal(site.dialect, 'eventbus');
    assert.equal(site.resourceId, 'aws_cloudwatch_event_rule.orders');
    assert.equal(site.viaToJsonString, true);
    assert.equal(site.syntax, hclSyntax);
    assert.equal(text.slice(site.range.offset, site.range.offset + site.range.length).slice(0, 1), '{');
    assert.equal(text[site.range.offset + site.range.length - 1], '}');
    assert.deepEqual(toPlainValue(site.node), {
      source: ['com.shop.orders'],
      'detail-type': ['Order Placed'],
      detail: { total: [{ numeric: ['>', -5, '<=', 1500] }], gift: [true, null] },
    });
    assert.deepEqual(codesAt(site, text), []);
    // Keys and values carry their own ranges: a bare key is its identifier, a quoted one its literal.
    const node = site.node;
    assert.equal(node.type, 'object');
    if (node.type !== 'object') return;
    assert.deepEqual(
      node.properties.map((p) => text.slice(p.key.offset, p.key.offset + p.key.length)),
      ['source', '"detail-type"', 'detail'],
    );
    assert.equal(text[node.properties[1].colonOffset], '=');
  });

  test('problems land on the exact characters of the .tf text', () => {
    const text = rule(
      'broken',
      'jsonencode({\n    source = "aws.ec2"\n    detail = { size = [{ numeric = [">", "ten"] }], state = [{ prefix = 5 }] }\n  })',
    );
    const [site] = read(text).sites;
    const problems = analyze(site, text).problems;
    assert.deepEqual(
      problems.map((p) => [p.code, p.at]),
      [
        ['EB201', '"aws.ec2"'],
        ['EB313', '"ten"'],
        ['EB300', '5'],
      ],
    );
    assert.equal(problems[0].offset, text.indexOf('"aws.ec2"'));
  });

  test('what Terraform computes is unknown and never flagged; the rest is still checked', () => {
    const text = rule(
      'computed',
      [
        'jsonencode({',
        '    source      = [var.source, "${var.prefix}.orders"]',
        '    detail-type = local.detail_types',
        '    account     = [data.aws_caller_identity.current.account_id]',
        '    resources   = [for b in aws_s3_bucket.all : b.arn]',
        '    region      = var.multi ? ["eu-west-1", "us-east-1"] : [var.region]',
        '    detail = {',
        '      bucket = { name = [aws_s3_bucket.b.id] }',
        '      size   = [{ numeric = [">", max(1, var.n)] }]',
        '      (var.key) = ["x"]',
        '      "${var.field}" = ["y"]',
        '      object = { key = [{ prefix = upper("a") }] }',
        '      state = [{ wrong-operator = 1 }]',
        '    }',
        '  })',
      ].join('\n'),
    );
    const [site] = read(text).sites;
    assert.deepEqual(codesAt(site, text), [['EB207', 'wrong-operator']]);
    const node = site.form === 'object' ? site.node : undefined;
    const source = node?.type === 'object' ? node.properties[0].value : undefined;
    assert.equal(source?.type, 'array');
    if (source?.type !== 'array') return;
    assert.deepEqual(
      source.items.map((i) => (i.type === 'unknown' ? i.description : i.type)),
      ['var.source', '"${var.prefix}.orders"'],
    );
  });

  test('a pattern that is itself computed is no site at all', () => {
    const text = [
      rule('a', 'jsonencode(var.pattern)'),
      rule('b', 'var.pattern'),
      rule('c', 'data.template_file.pattern.rendered'),
      rule('d', 'replace(file("x.json"), "a", "b")'),
    ].join('\n');
    assert.deepEqual(read(text).sites, []);
  });

  test('"${jsonencode({...})}" is the same as jsonencode({...})', () => {
    const text = rule('wrapped', '"${jsonencode({ source = "aws.s3" })}"');
    const [site] = read(text).sites;
    assert.equal(site.form, 'object');
    assert.deepEqual(codesAt(site, text), [['EB201', '"aws.s3"']]);
  });
});

describe('the envelope key detail_type (EB502) and its fix in HCL', () => {
  for (const [written, label] of [
    ['detail_type', 'a bare key'],
    ['"detail_type"', 'a quoted key'],
  ] as const) {
    test(`${label}: flagged at the key, and the fix writes detail-type that Terraform reads as "detail-type"`, () => {
      const text = rule(
        'typo',
        `jsonencode({\n    source = ["aws.ec2"]\n    ${written} = ["EC2 Instance State-change Notification"]\n  })`,
      );
      const [site] = read(text).sites as TerraformObjectSite[];
      const { problems, lint } = analyze(site, text);
      assert.deepEqual(
        problems.map((p) => [p.code, p.at]),
        [['EB502', written]],
      );
      assert.match(
        problems[0].message,
        /^"detail_type" is not a field of EventBridge events.*did you mean "detail-type"\?$/,
      );
      const fix = lintFixOf(lint[0]);
      assert.ok(fix && fix.kind === 'renameKey');
      const replacement = site.syntax.key(fix.replacement, []);
      assert.equal(replacement, 'detail-type');
      const fixed = text.slice(0, fix.node.offset) + replacement + text.slice(fix.node.offset + fix.node.length);
      const again = read(fixed);
      assert.deepEqual(again.syntaxErrors, []);
      const [after] = again.sites;
      assert.deepEqual(toPlainValue(after.form === 'object' ? after.node : undefined), {
        source: ['aws.ec2'],
        'detail-type': ['EC2 Instance State-change Notification'],
      });
      assert.deepEqual(codesAt(after, fixed), []);
    });
  }
});

describe('JSON text in a string', () => {
  test('a heredoc (<<EOF): problems map to the .tf text, ${...} is unknown, $${ is a literal ${', () => {
    const text = [
      'resource "aws_cloudwatch_event_rule" "heredoc" {',
      '  event_pattern = <<EOF',
      '{',
      '  "source": ["aws.s3"],',
      '  "account": ["${data.aws_caller_identity.current.account_id}"],',
      '  "detail": { "object": { "key": [{ "prefix": "$${literal}" }], "size": [{ "numeric": [">", ${var.min}] }] },',
      '    "bucket": "not-a-list" }',
      '}',
      'EOF',
      '}',
      '',
    ].join('\n');
    const [site] = read(text).sites;
    assert.equal(site.form, 'string');
    if (site.form !== 'string') return;
    assert.equal(site.kind, 'terraformEventRule');
    assert.deepEqual(
      site.substitutions.map((s) => [s.name, site.text.slice(s.offset, s.offset + s.length)]),
      [
        ['data.aws_caller_identity.current.account_id', '${data.aws_caller_identity.current.account_id}'],
        ['var.min', '${var.min}'],
      ],
    );
    assert.match(site.text, /"prefix": "\$\{literal\}"/);
    const problems = analyze(site, text).problems;
    assert.deepEqual(
      problems.map((p) => [p.code, p.at]),
      [['EB201', '"not-a-list"']],
    );
    assert.equal(problems[0].offset, text.indexOf('"not-a-list"'));
    // The escaped `$${` maps back to its own characters.
    const literal = site.text.indexOf('${literal}');
    assert.equal(site.toDocumentOffset(literal), text.indexOf('$${literal}'));
    assert.equal(site.toDocumentOffset(literal + 1), text.indexOf('{literal}'));
  });

  test('an indented heredoc (<<-EOF) loses its indentation, and a JSON syntax error lands on its line', () => {
    const text = [
      'resource "aws_cloudwatch_event_rule" "indented" {',
      '  event_pattern = <<-PATTERN',
      '    {',
      '      "source": ["aws.ec2"]',
      '      "detail-type": ["EC2 Instance State-change Notification"]',
      '    }',
      '  PATTERN',
      '}',
      '',
    ].join('\n');
    const [site] = read(text).sites;
    assert.equal(site.form, 'string');
    if (site.form !== 'string') return;
    assert.equal(site.text.split('\n')[1], '  "source": ["aws.ec2"]');
    const problems = analyze(site, text).problems;
    assert.equal(problems[0].code, 'EB100');
    assert.equal(problems[0].offset, text.indexOf('"detail-type"'));
  });

  test('a quoted string: HCL escapes map back to their own characters', () => {
    const text = rule(
      'quoted',
      '"{\\"source\\": [\\"aws.s3\\"], \\"detail-type\\": \\"Object Created\\", \\"x\\": [\\"\\u00e9\\"]}"',
    );
    const [site] = read(text).sites;
    assert.equal(site.form, 'string');
    if (site.form !== 'string') return;
    assert.equal(site.text, '{"source": ["aws.s3"], "detail-type": "Object Created", "x": ["é"]}');
    assert.deepEqual(codesAt(site, text), [['EB201', '\\"Object Created\\"']]);
    assert.equal(site.toDocumentOffset(site.text.indexOf('é')), text.indexOf('\\u00e9'));
  });
});

describe('file() and templatefile(): the referenced pattern files', () => {
  test('each is reported with its path (from the module folder), range and whether it is a template', () => {
    const text = [
      rule('a', 'file("patterns/a.json")'),
      rule('b', 'file("${path.module}/patterns/b.json")'),
      rule('c', 'templatefile("${path.module}/c.json.tpl", { account = var.account })'),
      rule('d', 'file("${var.dir}/d.json")'),
    ].join('\n');
    const { sites, referencedPatternFiles } = read(text);
    assert.deepEqual(sites, []);
    assert.deepEqual(
      referencedPatternFiles.map((f) => [
        f.path,
        f.templated,
        f.resourceId,
        f.dialect,
        text.slice(f.range.offset, f.range.offset + f.range.length),
      ]),
      [
        ['patterns/a.json', false, 'aws_cloudwatch_event_rule.a', 'eventbus', '"patterns/a.json"'],
        ['patterns/b.json', false, 'aws_cloudwatch_event_rule.b', 'eventbus', '"${path.module}/patterns/b.json"'],
        ['c.json.tpl', true, 'aws_cloudwatch_event_rule.c', 'eventbus', '"${path.module}/c.json.tpl"'],
      ],
    );
  });
});

describe('archives, Pipes and Lambda event source mappings', () => {
  test('each with its dialect; filter blocks repeat and are counted; dynamic blocks are read', () => {
    const text = [
      'resource "aws_cloudwatch_event_archive" "all" {',
      '  event_source_arn = aws_cloudwatch_event_bus.bus.arn',
      '  event_pattern    = jsonencode({ source = ["com.shop"] })',
      '}',
      'resource "aws_pipes_pipe" "pipe" {',
      '  source = aws_sqs_queue.q.arn',
      '  source_parameters {',
      '    filter_criteria {',
      '      filter {',
      '        pattern = jsonencode({ body = { kind = ["a"] } })',
      '      }',
      '      filter {',
      '        pattern = jsonencode({ body = { kind = [{ wildcard = "a*b" }] } })',
      '      }',
      '    }',
      '  }',
      '}',
      'resource "aws_lambda_event_source_mapping" "esm" {',
      '  filter_criteria {',
      '    dynamic "filter" {',
      '      for_each = var.filters',
      '      content {',
      '        pattern = filter.value',
      '      }',
      '    }',
      '    filter {',
      '      pattern = jsonencode({ dynamodb = { NewImage = { n = { N = [{ numeric = [">", 0] }] } } }, eventName = "INSERT" })',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n');
    const { sites } = read(text);
    assert.deepEqual(
      sites.map((s) => [s.kind, s.dialect, s.resourceId, s.filterIndex]),
      [
        ['terraformEventArchive', 'archive', 'aws_cloudwatch_event_archive.all', undefined],
        ['terraformPipeFilter', 'pipes', 'aws_pipes_pipe.pipe', 0],
        ['terraformPipeFilter', 'pipes', 'aws_pipes_pipe.pipe', 1],
        ['terraformEventSourceMappingFilter', 'lambda', 'aws_lambda_event_source_mapping.esm', 1],
      ],
    );
    // Pipes take no wildcard; Lambda wants lists.
    assert.deepEqual(codesAt(sites[2], text), [['EB410', 'wildcard']]);
    assert.deepEqual(codesAt(sites[3], text), [['EB201', '"INSERT"']]);
  });
});

describe('module blocks (terraform-aws-modules/eventbridge and /lambda inputs)', () => {
  test('rules, archives, pipes and event_source_mapping maps, with the addresses the module gives them', () => {
    const text = [
      'module "bus" {',
      '  source   = "terraform-aws-modules/eventbridge/aws"',
      '  bus_name = "orders"',
      '  rules = {',
      '    placed = {',
      '      description   = "Orders placed"',
      '      event_pattern = jsonencode({ "source" : ["com.shop"], detail_type = ["Order Placed"] })',
      '    }',
      '    "refund-requested" = { event_pattern = jsonencode({ source = ["com.shop"] }) }',
      '    scheduled = { schedule_expression = "rate(5 minutes)" }',
      '  }',
      '  archives = {',
      '    all = { event_pattern = jsonencode({ source = ["com.shop"] }) }',
      '  }',
      '  pipes = {',
      '    sqs = {',
      '      source_parameters = {',
      '        filter_criteria = {',
      '          first  = { pattern = jsonencode({ body = { a = ["x"] } }) }',
      '          second = { pattern = jsonencode({ body = { b = ["y"] } }) }',
      '        }',
      '      }',
      '    }',
      '  }',
      '}',
      'module "fn" {',
      '  source = "terraform-aws-modules/lambda/aws"',
      '  event_source_mapping = {',
      '    stream = { filter_criteria = { pattern = jsonencode({ eventName = ["INSERT"] }) } }',
      '    queue  = { filter_criteria = [{ pattern = jsonencode({ body = { a = ["1"] } }) }, { pattern = "{\\"body\\": {\\"b\\": [2]}}" }] }',
      '  }',
      '}',
      '',
    ].join('\n');
    const { sites } = read(text);
    assert.deepEqual(
      sites.map((s) => [s.kind, s.dialect, s.resourceId, s.filterIndex]),
      [
        ['terraformEventRule', 'eventbus', 'module.bus.aws_cloudwatch_event_rule.this["placed"]', undefined],
        ['terraformEventRule', 'eventbus', 'module.bus.aws_cloudwatch_event_rule.this["refund-requested"]', undefined],
        ['terraformEventArchive', 'archive', 'module.bus.aws_cloudwatch_event_archive.this["all"]', undefined],
        ['terraformPipeFilter', 'pipes', 'module.bus.aws_pipes_pipe.this["sqs"]', 0],
        ['terraformPipeFilter', 'pipes', 'module.bus.aws_pipes_pipe.this["sqs"]', 1],
        ['terraformEventSourceMappingFilter', 'lambda', 'module.fn.aws_lambda_event_source_mapping.this["stream"]', 0],
        ['terraformEventSourceMappingFilter', 'lambda', 'module.fn.aws_lambda_event_source_mapping.this["queue"]', 0],
        ['terraformEventSourceMappingFilter', 'lambda', 'module.fn.aws_lambda_event_source_mapping.this["queue"]', 1],
      ],
    );
    assert.deepEqual(codesAt(sites[0], text), [['EB502', 'detail_type']]);
    assert.equal(sites[7].form, 'string');
  });
});

describe('locals', () => {
  test('a pattern written once in locals and used as local.name is one site, at its definition', () => {
    const text = [
      'locals {',
      '  shared = jsonencode({ source = ["com.shop"], detail = { n = [{ numeric = [">"] }] } })',
      '  other  = "not used"',
      '}',
      rule('one', 'local.shared'),
      rule('two', 'local.shared'),
      rule('three', 'local.missing'),
    ].join('\n');
    const { sites } = read(text);
    assert.equal(sites.length, 1);
    assert.equal(sites[0].resourceId, 'aws_cloudwatch_event_rule.one');
    assert.equal(sites[0].range.offset, text.indexOf('{ source'));
    assert.deepEqual(
      codesAt(sites[0], text).map((c) => c[0]),
      ['EB313'],
    );
  });
});

describe('syntax errors', () => {
  const good = rule('good', 'jsonencode({ source = "aws.s3" })');
  test('a broken block does not hide the patterns around it', () => {
    for (const broken of [
      'resource "aws_cloudwatch_event_rule" "broken" {\n  event_pattern = jsonencode({ source = [\n}\n',
      'resource "aws_cloudwatch_event_rule" "broken" {\n  event_pattern = = 3\n}\n',
      'resource "aws_cloudwatch_event_rule" "broken" \n  event_pattern = jsonencode({})\n}\n',
      'locals {\n  x = "unterminated\n}\n',
      '}}}\n',
    ]) {
      const text = `${good}\n${broken}\n${good.replace('"good"', '"after"')}`;
      const { sites, syntaxErrors } = read(text);
      assert.ok(syntaxErrors.length > 0, broken);
      const ids = sites.map((s) => s.resourceId);
      assert.ok(ids.includes('aws_cloudwatch_event_rule.good'), `${broken}: ${ids.join(', ')}`);
      assert.ok(ids.includes('aws_cloudwatch_event_rule.after'), `${broken}: ${ids.join(', ')}`);
      for (const s of sites.filter((x) => x.resourceId !== 'aws_cloudwatch_event_rule.broken'))
        assert.deepEqual(codesAt(s, text), [['EB201', '"aws.s3"']]);
    }
  });

  test('any prefix of a file is read without throwing, and its problems stay inside the text', () => {
    const text = [
      rule('a', 'jsonencode({ source = ["x"], detail = { "k${var.x}" = [{ prefix = "p" }] } })'),
      rule('b', '<<-EOF\n    {"source": ["${var.s}"]}\n  EOF'),
      'module "m" {\n  rules = { r = { event_pattern = jsonencode({ source = [1] }) } }\n}\n',
    ].join('\n');
    for (let n = 0; n <= text.length; n++) {
      const prefix = text.slice(0, n);
      const reading = read(prefix);
      for (const s of reading.sites) {
        for (const p of analyze(s, prefix).problems) {
          assert.ok(p.offset >= 0 && p.offset <= prefix.length, `prefix ${n}`);
        }
      }
      for (const e of reading.syntaxErrors) assert.ok(e.offset + e.length <= prefix.length);
    }
  });
});

describe('hclSyntax: HCL written for a pattern parses back to the same JSON', () => {
  const values: unknown[] = [
    { source: ['aws.s3'], 'detail-type': ['Object Created'] },
    { $or: [{ a: [1] }, { b: [-2.5, 1e21, 0] }], 'with space': [true, false, null] },
    { for: ['x'], in: ['y'], null: ['z'], true: [1], '1abc': ['n'], '-x': ['m'], '': ['empty'], é: ['unicode'] },
    { s: ['${not.interpolated}', '%{ if x }', 'a"b\\c', 'line\nbreak\ttab\r', '\u0001\u007f', 'plain $ and % and {}'] },
    { nested: { deeper: { deepest: [{ prefix: 'x' }, { 'anything-but': { prefix: '$${' } }] } } },
    [],
    {},
  ];
  for (const value of values) {
    test(JSON.stringify(value), () => {
      const text = rule('written', `jsonencode(${hclValue(value)})`);
      const reading = read(text);
      assert.deepEqual(reading.syntaxErrors, [], text);
      const [site] = reading.sites;
      assert.ok(site && site.form === 'object', text);
      assert.deepEqual(toPlainValue(site.node), value);
    });
  }

  test('keys are bare when HCL reads them as the same name, quoted otherwise', () => {
    assert.equal(hclKey('detail-type'), 'detail-type');
    assert.equal(hclKey('source'), 'source');
    assert.equal(hclKey('$or'), '"$or"');
    assert.equal(hclKey('for'), '"for"');
    assert.equal(hclKey('with space'), '"with space"');
    assert.equal(hclSyntax.keyValueSeparator([]), ' = ');
    assert.equal(hclSyntax.value('${x}', ['source', 0]), '"$${x}"');
    assert.equal(hclSyntax.language, 'terraform');
  });
});
