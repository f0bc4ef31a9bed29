// The rule a cursor is in, in a CloudFormation / SAM template: its logical id, and the name and bus it gets when the
// template is loaded into the local bus (the same reading the local bus does, so the names agree).
import { analyzeDocument, siteAt } from '../../../server/src/languageservice/documentAnalysis';
import { parseTemplateText, readTemplate, type TemplateRule } from '../../../server/src/localbus/templateLoader';

export interface RuleAtCursor {
  readonly logicalId: string;
  /** The name the local bus gives it (the `Name` property, or a generated `<stack>-<logicalId>-<hash>`). */
  readonly localName: string;
  readonly eventBusName: string;
  /** The template sets the name itself (`Name`, SAM `RuleName`), so it is the deployed name too. */
  readonly explicitName: boolean;
  readonly rule: TemplateRule;
}

export type RuleAtCursorResult = { ok: true; rule: RuleAtCursor } | { ok: false; reason: string };

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

/** The EventBridge rule whose pattern contains `offset`. */
export function ruleAtOffset(
  text: string,
  fileName: string,
  languageId: string | undefined,
  offset: number,
  context: { region: string; accountId: string },
): RuleAtCursorResult {
  const analysis = analyzeDocument(text, fileName, languageId);
  const site = siteAt(analysis, offset);
  if (!site) return { ok: false, reason: 'The cursor is not inside an event pattern.' };
  if (!RULE_SITE_KINDS.has(site.site.kind) || !site.site.resourceId)
    return { ok: false, reason: 'The pattern under the cursor does not belong to an EventBridge rule in a template.' };
  const logicalId =
    site.site.kind === 'samEventBridgeRule'
      ? `${site.site.resourceId}${site.site.eventId ?? ''}`
      : site.site.resourceId;
  let template: unknown;
  try {
    template = parseTemplateText(text, fileName);
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
      rule,
    },
  };
}
