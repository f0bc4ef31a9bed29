// Rules given as pattern text, compiled into one matcher: what the CLI, the editor command and the benchmark share.
import { compilePattern, type EngineError } from '../index';
import { CompiledRuleSet } from './ruleSet';

export interface RuleText {
  readonly name: string;
  readonly text: string;
}

export interface CompiledRuleTexts {
  readonly set: CompiledRuleSet;
  /** The rules PutRule would refuse, in order, with AWS's error; the set holds all the others. */
  readonly rejected: readonly { readonly name: string; readonly error: EngineError }[];
}

/** Compiles each pattern as PutRule does on an event bus (keeping no AST nodes) and the valid ones into one set. */
export function compileRuleTexts(rules: readonly RuleText[]): CompiledRuleTexts {
  const set = new CompiledRuleSet();
  const rejected: { name: string; error: EngineError }[] = [];
  for (const r of rules) {
    const c = compilePattern(r.text, { retainNodes: false });
    if (c.ok) set.add(r.name, c.pattern);
    else rejected.push({ name: r.name, error: c.error });
  }
  set.seal();
  return { set, rejected };
}
