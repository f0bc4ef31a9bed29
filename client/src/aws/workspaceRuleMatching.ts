// "Which of my rules match this event?": every EventBridge rule in the workspace's templates compiled into one
// matcher (the local bus's reading of the templates, the engine's compiled rule set), and an event or a list of
// events run through it. Pure: the command in ../awsCommands/matchRulesCommand.ts does the reading and showing.
import { compileRuleTexts, type RuleText } from '../../../server/src/engine/compiled/compileRules';
import { parseTemplateText, readTemplate } from '../../../server/src/localbus/templateLoader';
import { subTemplateError } from '../../../server/src/languageservice/substitutedPatterns';

export interface TemplateText {
  readonly path: string;
  readonly text: string;
}

export interface WorkspaceRule {
  /** The template's path as given. */
  readonly file: string;
  readonly logicalId: string;
  readonly eventBusName: string;
  /** `ENABLED` unless the template says otherwise; disabled rules are listed, and said to be disabled. */
  readonly state: string;
}

export interface RuleIndex {
  readonly rules: readonly WorkspaceRule[];
  /** Templates or rules that could not be read or compiled, one line each. */
  readonly problems: readonly string[];
  /** Which rules match an event given as JSON text (an object, or an array of events: one answer each). */
  match(eventText: string): EventMatches[] | { error: string };
}

export interface EventMatches {
  /** The index of the event in an array, or 0 for a single event. */
  readonly index: number;
  readonly rules: readonly WorkspaceRule[];
}

/** Compiles every rule with an event pattern in the templates into one matcher. */
export function indexTemplateRules(
  templates: readonly TemplateText[],
  context: { region: string; accountId: string },
): RuleIndex {
  const candidates: WorkspaceRule[] = [];
  const texts: RuleText[] = [];
  /** The `Fn::Sub` text of a candidate's pattern, by index: errors quote it rather than the resolved text. */
  const subTexts = new Map<number, string>();
  const problems: string[] = [];
  for (const t of templates) {
    let resources;
    try {
      resources = readTemplate(parseTemplateText(t.text, t.path), t.path, context);
    } catch (e) {
      problems.push(`${t.path}: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    for (const r of resources.rules) {
      if (r.eventPattern === undefined) continue;
      if (r.eventPatternTemplate !== undefined) subTexts.set(candidates.length, r.eventPatternTemplate);
      texts.push({ name: String(candidates.length), text: r.eventPattern });
      candidates.push({ file: t.path, logicalId: r.logicalId, eventBusName: r.eventBusName, state: r.state ?? 'ENABLED' });
    }
  }
  // Rules are named by their index among the candidates; the rejected ones are said and left out.
  const { set, rejected } = compileRuleTexts(texts);
  const refused = new Set(rejected.map((r) => Number(r.name)));
  for (const r of rejected) {
    const c = candidates[Number(r.name)];
    const subText = subTexts.get(Number(r.name));
    const error = subText === undefined ? r.error : subTemplateError(subText, r.error);
    problems.push(`${c.file}: rule ${c.logicalId}: ${error.message}`);
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
      if (bad >= 0) return { error: `${Array.isArray(value) ? `Event ${bad + 1}` : 'The event'} is not a JSON object.` };
      try {
        // One event keeps its number spellings (from the text when a rule needs them); a list goes by its elements.
        return events.map((e, index) => ({
          index,
          rules: (Array.isArray(value) ? set.matchValue(e) : set.matchParsed(eventText, e)).map((n) => candidates[Number(n)]),
        }));
      } catch (e) {
        return { error: `Matching gave up: ${e instanceof Error ? e.message : String(e)}` };
      }
    },
  };
}
