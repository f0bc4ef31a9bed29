// Hovers on the rest of a rule in a template: on a schedule expression, when it fires next (computed by our own
// evaluator, ../../eventbridge/schedule.ts); on a target's Input, InputPath or InputTransformer, what the target
// receives for the rule's sample events (the workspace's `events/` files the rule matches, else the catalog's sample
// for the pattern's source and detail-type).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type CodeLens, type Hover, type Position } from 'vscode-languageserver-types';
import { SHOW_TARGET_INPUT_COMMAND, type TargetInputPreview } from '../../../../shared';
import {
  atInstant,
  formatInstant,
  isKnownTimeZone,
  nextCronTimes,
  readScheduleExpression,
  targetInputText,
  type ScheduleDialect,
  type TargetInputSpec,
} from '../../eventbridge';
import { explainEvent, toPlainValue } from '../../engine';
import { getProperty, type AstNode } from '../../engine/jsonAst';
import type { LanguageService } from '../languageService';
import type { AnalyzedSite } from '../sites/documentAnalysis';
import { getSampleEvents, isSnsSample, parseSampleFiles } from './patternCodeLens';
import { catalogSampleEvent, plainEnvelope, sampleEventForPattern } from './patternSamples';
import { propertyNamed, readTemplateModel, stringProperty } from './ruleTemplate';

/** How many sample events a hover of a target's input shows at most. */
const MAX_HOVER_SAMPLES = 3;

export function doRuleHover(service: LanguageService, document: TextDocument, position: Position): Hover | null {
  const doc = service.analyze(document);
  const model = readTemplateModel(doc);
  if (!model) return null;
  const offset = document.offsetAt(position);
  for (const r of model.resources.values()) {
    const { entry } = r;
    if (offset < entry.offset || offset > entry.offset + entry.length) continue;
    const props = r.properties;
    if (r.type === 'AWS::Events::Rule') {
      const schedule = getProperty(props, 'ScheduleExpression');
      if (schedule && insideProperty(props, 'ScheduleExpression', offset))
        return scheduleHover(document, schedule, 'rule', undefined, Date.now());
      const targets = getProperty(props, 'Targets');
      if (targets?.type !== 'array') return null;
      for (const t of targets.items) {
        for (const key of ['Input', 'InputPath', 'InputTransformer']) {
          const v = getProperty(t, key);
          if (!insideProperty(t, key, offset)) continue;
          const site = doc.sites.find((x) => x.site.kind === 'eventsRule' && x.site.resourceId === r.id);
          const ruleName = stringProperty(props, 'Name')?.value ?? `<stack>-${r.id}-<random>`;
          return inputHover(service, document, site, ruleName, t, v!);
        }
      }
    } else if (r.type === 'AWS::Scheduler::Schedule') {
      const schedule = getProperty(props, 'ScheduleExpression');
      const zone = stringProperty(props, 'ScheduleExpressionTimezone')?.value;
      if (schedule && insideProperty(props, 'ScheduleExpression', offset))
        return scheduleHover(document, schedule, 'scheduler', zone, Date.now());
    } else if (r.type === 'AWS::Serverless::Function' || r.type === 'AWS::Serverless::StateMachine') {
      const events = getProperty(props, 'Events');
      if (events?.type !== 'object') return null;
      for (const e of events.properties) {
        const type = stringProperty(e.value, 'Type')?.value;
        const p = getProperty(e.value, 'Properties');
        const schedule =
          type === 'Schedule'
            ? getProperty(p, 'Schedule')
            : type === 'ScheduleV2'
              ? getProperty(p, 'ScheduleExpression')
              : undefined;
        if (schedule && insideProperty(p, type === 'Schedule' ? 'Schedule' : 'ScheduleExpression', offset)) {
          const zone = type === 'ScheduleV2' ? stringProperty(p, 'ScheduleExpressionTimezone')?.value : undefined;
          return scheduleHover(document, schedule, type === 'ScheduleV2' ? 'scheduler' : 'rule', zone, Date.now());
        }
        if (type === 'EventBridgeRule' || type === 'CloudWatchEvent') {
          for (const key of ['Input', 'InputPath', 'InputTransformer']) {
            const v = getProperty(p, key);
            if (!insideProperty(p, key, offset)) continue;
            const site = doc.sites.find(
              (x) =>
                x.site.kind === 'samEventBridgeRule' && x.site.resourceId === r.id && x.site.eventId === e.key.value,
            );
            const ruleName = stringProperty(p, 'RuleName')?.value ?? `<stack>-${r.id}${e.key.value}-<random>`;
            return inputHover(service, document, site, ruleName, p!, v!);
          }
        }
      }
    }
    return null;
  }
  return null;
}

/** Whether the offset is on a property (its key or its value). */
function insideProperty(holder: AstNode | undefined, key: string, offset: number): boolean {
  const p = propertyNamed(holder, key);
  return p !== undefined && offset >= p.offset && offset <= p.offset + p.length;
}

function hover(document: TextDocument, node: AstNode, value: string): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Schedules

/** What a schedule expression means and when it fires next, in Markdown (null when it is not known or not valid). */
export function scheduleMarkdown(
  expression: string,
  dialect: ScheduleDialect,
  zone: string | undefined,
  nowMs: number,
): string | null {
  const reading = readScheduleExpression(expression, dialect);
  if ('problem' in reading) return null;
  const s = reading.schedule;
  const tz = zone && zone !== 'UTC' && isKnownTimeZone(zone) ? zone : undefined;
  if (s.kind === 'rate') {
    const unit = s.value === 1 ? s.unit : `${s.unit}s`;
    return `**Schedule**: every ${s.value === 1 ? '' : `${s.value} `}${unit}, counted from when the ${dialect === 'rule' ? 'rule' : 'schedule'} is created or enabled.`;
  }
  if (s.kind === 'at') {
    const t = atInstant(s.time, tz ?? 'UTC');
    if (t === undefined)
      return `**Schedule**: once, at ${s.time} in ${tz}: a time the clock skips there (daylight saving).`;
    const when = tz ? `${formatInstant(t, tz)} ${tz} = ${formatInstant(t)} UTC` : `${formatInstant(t)} UTC`;
    return `**Schedule**: once, at ${when}${t <= nowMs ? ' (in the past: it does not fire)' : ''}.`;
  }
  const times = nextCronTimes(s, nowMs, 5, tz ?? 'UTC');
  const head =
    dialect === 'rule'
      ? '**Schedule** (cron of an EventBridge rule: always UTC). Next times it fires:'
      : `**Schedule** (cron in ${tz ?? 'UTC'}). Next times it fires:`;
  if (times.length === 0) return `${head}\n\nnever again (its year field has passed).`;
  const rows = times.map((t) => (tz ? `| ${formatInstant(t)} | ${formatInstant(t, tz)} |` : `| ${formatInstant(t)} |`));
  const table = tz ? ['| UTC | ' + tz + ' |', '| --- | --- |', ...rows] : ['| UTC |', '| --- |', ...rows];
  return `${head}\n\n${table.join('\n')}`;
}

function scheduleHover(
  document: TextDocument,
  node: AstNode,
  dialect: ScheduleDialect,
  zone: string | undefined,
  nowMs: number,
): Hover | null {
  if (node.type !== 'string') return null;
  const markdown = scheduleMarkdown(node.value, dialect, zone, nowMs);
  return markdown ? hover(document, node, markdown) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// What a target receives

function inputSpec(target: AstNode): TargetInputSpec | undefined {
  const input = getProperty(target, 'Input');
  if (input) return input.type === 'string' ? { Input: input.value } : undefined;
  const path = getProperty(target, 'InputPath');
  if (path) return path.type === 'string' ? { InputPath: path.value } : undefined;
  const transformer = getProperty(target, 'InputTransformer');
  const template = getProperty(transformer, 'InputTemplate');
  const map = getProperty(transformer, 'InputPathsMap');
  if (template?.type !== 'string') return undefined;
  const paths: Record<string, string> = {};
  if (map !== undefined) {
    if (map.type !== 'object') return undefined;
    for (const p of map.properties) {
      if (p.value?.type !== 'string' || p.keyUnknown) return undefined;
      paths[p.key.value] = p.value.value;
    }
  }
  return { InputTransformer: { InputPathsMap: paths, InputTemplate: template.value } };
}

/** The rule's sample events: the workspace's that its pattern matches, else one made from the catalog. */
function sampleEvents(
  service: LanguageService,
  site: AnalyzedSite | undefined,
): { name: string; event: Record<string, unknown> }[] {
  const out: { name: string; event: Record<string, unknown> }[] = [];
  const compiled = site?.analysis.pattern;
  if (compiled) {
    for (const sample of parseSampleFiles(getSampleEvents(service).filter((f) => !isSnsSample(f)))) {
      if (!sample.event || out.length >= MAX_HOVER_SAMPLES) continue;
      if (explainEvent(compiled, sample.event).matched)
        out.push({ name: sample.name, event: toPlainValue(sample.event) as Record<string, unknown> });
    }
  }
  if (out.length > 0) return out;
  // The pattern compiles (else there is nothing it matches to show): an event made to match it, on the catalog's sample.
  const event = compiled ? sampleEventForPattern(compiled) : plainEnvelope();
  const fromCatalog = catalogSampleEvent(String(event.source), String(event['detail-type'])) !== undefined;
  const name = fromCatalog
    ? `the catalog's sample ${event.source} "${event['detail-type']}" event`
    : 'an event made up from the pattern';
  return [{ name, event }];
}

/** What the target receives for each of the rule's sample events, in Markdown, and for how many (null: not known). */
function targetInputMarkdown(
  service: LanguageService,
  site: AnalyzedSite | undefined,
  ruleName: string,
  target: AstNode,
): { readonly markdown: string; readonly samples: number } | null {
  const spec = inputSpec(target);
  if (!spec) return null;
  if (spec.Input !== undefined)
    return {
      markdown: '**What the target receives**: this constant text, for every event (nothing of the event itself).',
      samples: 0,
    };
  const parts: string[] = ['**What the target receives**'];
  const samples = sampleEvents(service, site);
  for (const sample of samples) {
    const region = typeof sample.event.region === 'string' ? sample.event.region : 'us-east-1';
    const account = typeof sample.event.account === 'string' ? sample.event.account : '123456789012';
    const text = targetInputText(spec, sample.event, {
      ruleName,
      ruleArn: `arn:aws:events:${region}:${account}:rule/${ruleName}`,
    });
    let shown = text;
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Text that is not JSON is shown as it is.
    }
    parts.push('', `for ${sample.name}:`, '```json', shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown, '```');
  }
  return { markdown: parts.join('\n'), samples: samples.length };
}

function inputHover(
  service: LanguageService,
  document: TextDocument,
  site: AnalyzedSite | undefined,
  ruleName: string,
  target: AstNode,
  node: AstNode,
): Hover | null {
  const shown = targetInputMarkdown(service, site, ruleName, target);
  return shown ? hover(document, node, shown.markdown) : null;
}

/**
 * A lens above each target's Input, InputPath or InputTransformer (rules, and SAM EventBridgeRule events):
 * "▶ What target logs receives (2 sample events)", whose command shows the same as the hover.
 */
export function doRuleCodeLenses(service: LanguageService, document: TextDocument): CodeLens[] {
  const doc = service.analyze(document);
  const model = readTemplateModel(doc);
  if (!model) return [];
  const lenses: CodeLens[] = [];
  const lens = (site: AnalyzedSite | undefined, ruleName: string, target: AstNode, label: string): void => {
    const key = ['InputTransformer', 'InputPath', 'Input'].find((k) => propertyNamed(target, k) !== undefined);
    const property = key ? propertyNamed(target, key) : undefined;
    if (!property) return;
    const shown = targetInputMarkdown(service, site, ruleName, target);
    if (!shown) return;
    const title =
      shown.samples === 0
        ? `▶ What ${label} receives (constant input)`
        : `▶ What ${label} receives (${shown.samples} sample event${shown.samples === 1 ? '' : 's'})`;
    const preview: TargetInputPreview = { title: title.slice(2), markdown: shown.markdown };
    const at = document.positionAt(property.offset);
    lenses.push({
      range: { start: at, end: at },
      command: { title, command: SHOW_TARGET_INPUT_COMMAND, arguments: [preview] },
    });
  };
  for (const r of model.resources.values()) {
    const props = r.properties;
    if (r.type === 'AWS::Events::Rule') {
      const targets = getProperty(props, 'Targets');
      if (targets?.type !== 'array') continue;
      const site = doc.sites.find((x) => x.site.kind === 'eventsRule' && x.site.resourceId === r.id);
      const ruleName = stringProperty(props, 'Name')?.value ?? `<stack>-${r.id}-<random>`;
      for (const t of targets.items) {
        const id = stringProperty(t, 'Id')?.value;
        lens(site, ruleName, t, id ? `target ${id}` : 'the target');
      }
    } else if (r.type === 'AWS::Serverless::Function' || r.type === 'AWS::Serverless::StateMachine') {
      const events = getProperty(props, 'Events');
      if (events?.type !== 'object') continue;
      for (const e of events.properties) {
        const type = stringProperty(e.value, 'Type')?.value;
        if (type !== 'EventBridgeRule' && type !== 'CloudWatchEvent') continue;
        const p = getProperty(e.value, 'Properties');
        if (!p) continue;
        const site = doc.sites.find(
          (x) => x.site.kind === 'samEventBridgeRule' && x.site.resourceId === r.id && x.site.eventId === e.key.value,
        );
        const ruleName = stringProperty(p, 'RuleName')?.value ?? `<stack>-${r.id}${e.key.value}-<random>`;
        lens(site, ruleName, p, r.id);
      }
    }
  }
  return lenses;
}
