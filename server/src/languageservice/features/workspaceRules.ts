// "Which of my rules match this event?": every EventBridge rule in the workspace's templates compiled into one
// matcher (the local bus's reading of the templates, the engine's compiled rule set), and an event or a list of
// events run through it. Pure: the LSP wiring reads the templates, the client's command shows the answer.
import { isCodeLanguage } from '../parsing/parsedDocument';
import type { MatchWorkspaceRulesResult, TemplateContext, WorkspaceRule } from '../../../../shared';
import { looksLikeTemplate } from '../../../../shared';
import { compileRuleTexts, type RuleText } from '../../engine';
import { parseTemplateText, readTemplate } from '../../localbus';
import { documentLanguage } from '../sites/documentAnalysis';
import { subTemplateError } from '../sites/substitutedPatterns';

export interface TemplateText {
  /** Where the template is, as the client named it (the rules carry it back). */
  readonly uri: string;
  /** The path in messages, and the base of generated rule names (as the local bus is given it). */
  readonly path: string;
  readonly text: string;
}

export interface RuleIndex {
  readonly rules: readonly WorkspaceRule[];
  /** Templates or rules that could not be read or compiled, one line each. */
  readonly problems: readonly string[];
  /** Which rules match an event given as JSON text (an object, or an array of events: one answer each). */
  match(eventText: string): MatchWorkspaceRulesResult['answer'];
}

/** Compiles every rule with an event pattern in the templates into one matcher. */
export function indexTemplateRules(templates: readonly TemplateText[], context: TemplateContext): RuleIndex {
  const candidates: WorkspaceRule[] = [];
  const texts: RuleText[] = [];
  /** The `Fn::Sub` text of a candidate's pattern, by index: errors quote it rather than the resolved text. */
  const subTexts = new Map<number, string>();
  const problems: string[] = [];
  for (const t of templates) {
    let resources;
    try {
      // Read as the editor reads it: JSON or YAML by its content (a flow-style `.template` is YAML).
      const language = documentLanguage(t.uri, undefined, t.text);
      // Rules in code (CDK, Terraform) are not templates: the workspace's templates are what is matched here.
      if (isCodeLanguage(language)) continue;
      resources = readTemplate(parseTemplateText(t.text, t.path, undefined, language), t.path, context);
    } catch (e) {
      problems.push(`${t.path}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const r of resources.rules) {
      if (r.eventPattern === undefined) continue;
      if (r.eventPatternTemplate !== undefined) subTexts.set(candidates.length, r.eventPatternTemplate);
      texts.push({ name: String(candidates.length), text: r.eventPattern });
      candidates.push({
        uri: t.uri,
        logicalId: r.logicalId,
        eventBusName: r.eventBusName,
        state: r.state ?? 'ENABLED',
      });
    }
  }
  // Rules are named by their index among the candidates; the rejected ones are said and left out.
  const { set, rejected } = compileRuleTexts(texts);
  const refused = new Set(rejected.map((r) => Number(r.name)));
  for (const r of rejected) {
    const c = candidates[Number(r.name)];
    const subText = subTexts.get(Number(r.name));
    const error = subText === undefined ? r.error : subTemplateError(subText, r.error);
    problems.push(`${templates.find((t) => t.uri === c.uri)?.path ?? c.uri}: rule ${c.logicalId}: ${error.message}`);
  }
  const rules = candidates.filter((_, i) => !refused.has(i));
  return {
    rules,
    problems,
    match(eventText) {
      let value: unknown;
      try {
        value = JSON.parse(eventText);
      } catch (e) {
        return { error: `The event is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
      }
      const events = Array.isArray(value) ? value : [value];
      if (events.length === 0) return { error: 'The list of events is empty.' };
      const bad = events.findIndex((e) => e === null || typeof e !== 'object' || Array.isArray(e));
      if (bad >= 0)
        return { error: `${Array.isArray(value) ? `Event ${bad + 1}` : 'The event'} is not a JSON object.` };
      try {
        // One event keeps its number spellings (from the text when a rule needs them); a list goes by its elements.
        return {
          events: events.map((e, index) => ({
            index,
            rules: (Array.isArray(value) ? set.matchValue(e) : set.matchParsed(eventText, e)).map(
              (n) => candidates[Number(n)],
            ),
          })),
        };
      } catch (e) {
        return { error: `Matching gave up: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}

/**
 * The answer to the client's request: the files that look like templates are read, their rules compiled, and the
 * event (or each event of a list) matched.
 */
export function matchWorkspaceRules(
  files: readonly TemplateText[],
  eventText: string,
  context: TemplateContext,
): MatchWorkspaceRulesResult {
  const templates = files.filter((f) => looksLikeTemplate(f.text));
  const index = indexTemplateRules(templates, context);
  return { templates: templates.length, rules: index.rules, problems: index.problems, answer: index.match(eventText) };
}
