// What a target receives: the whole event, or what its Input / InputPath / InputTransformer makes of it.
import type { EventEnvelope, Rule, Target } from './eventBridgeService';

/** The text handed to `target` for `event` matched by `rule`. */
export function targetInputText(target: Target, rule: Rule, event: EventEnvelope): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(selectPath(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, selectPath(event, path));
  values.set('aws.events.rule-name', rule.name);
  values.set('aws.events.rule-arn', rule.arn);
  values.set('aws.events.event', JSON.stringify(event));
  values.set('aws.events.event.json', event);
  return transformer.InputTemplate.replace(/<([A-Za-z0-9_.-]+)>/g, (whole, name: string) => {
    if (!values.has(name)) return whole;
    const v = values.get(name);
    // Strings go in as they are (the template usually quotes them); anything else as JSON.
    return typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v);
  });
}

/** `$.detail.a.b` / `$.resources[0]` over a JSON value; undefined when absent. */
export function selectPath(root: unknown, path: string): unknown {
  if (path === '$') return root;
  if (!path.startsWith('$')) return undefined;
  let v = root;
  for (const part of path.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = part[1] !== undefined ? (v as Record<string, unknown>)[part[1]] : (v as unknown[])[Number(part[2])];
  }
  return v;
}
