// The rule a cursor is in, in a CloudFormation / SAM template: its logical id, and the name and bus it gets when the
// template is loaded into the local bus (the same reading the local bus does, so the names agree). For the client's
// "tail the rule under the cursor".
import { isCodeLanguage } from '../parsing/parsedDocument';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position } from 'vscode-languageserver-types';
import type { Answer, TemplateContext, TemplateRuleInfo } from '../../../../shared';
import { parseTemplateText, readTemplate } from '../../localbus';
import { siteAt } from '../sites/documentAnalysis';
import type { LanguageService } from '../languageService';

const RULE_SITE_KINDS = new Set(['eventsRule', 'samEventBridgeRule']);

function hasExplicitName(template: unknown, site: { kind: string; resourceId?: string; eventId?: string }): boolean {
  const resources = (template as { Resources?: Record<string, { Properties?: Record<string, unknown> }> } | undefined)
    ?.Resources;
  const resource = site.resourceId ? resources?.[site.resourceId] : undefined;
  if (!resource) return false;
  if (site.kind === 'eventsRule') return resource.Properties?.Name !== undefined;
  const events = resource.Properties?.Events as Record<string, { Properties?: Record<string, unknown> }> | undefined;
  return site.eventId !== undefined && events?.[site.eventId]?.Properties?.RuleName !== undefined;
}

/**
 * The EventBridge rule whose pattern contains `position`. `fileName` is the template's path as the local bus is given
 * it: a generated rule name starts with the file's base name, as the stack's name.
 */
export function ruleAt(
  service: LanguageService,
  document: TextDocument,
  position: Position,
  fileName: string,
  context: TemplateContext,
): Answer<{ rule: TemplateRuleInfo }> {
  const analysis = service.analyze(document);
  const site = siteAt(analysis, document.offsetAt(position));
  if (!site) return { ok: false, reason: 'The cursor is not inside an event pattern.' };
  if (!RULE_SITE_KINDS.has(site.site.kind) || !site.site.resourceId || isCodeLanguage(analysis.languageId))
    return { ok: false, reason: 'The pattern under the cursor does not belong to an EventBridge rule in a template.' };
  const logicalId =
    site.site.kind === 'samEventBridgeRule'
      ? `${site.site.resourceId}${site.site.eventId ?? ''}`
      : site.site.resourceId;
  let template: unknown;
  try {
    template = parseTemplateText(analysis.text, fileName, undefined, analysis.languageId);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  const resources = readTemplate(template, fileName, context);
  const rule = resources.rules.find((r) => r.logicalId === logicalId);
  if (!rule) {
    const why = resources.warnings.find((w) => w.includes(logicalId));
    return { ok: false, reason: `Rule ${logicalId} cannot be read from the template${why ? `: ${why}` : ''}.` };
  }
  return {
    ok: true,
    rule: {
      logicalId,
      localName: rule.name,
      eventBusName: rule.eventBusName,
      explicitName: hasExplicitName(template, site.site),
    },
  };
}
