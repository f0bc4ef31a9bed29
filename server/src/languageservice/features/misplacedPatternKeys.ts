// A key of an event pattern that slid out of it: `detail-type:` indented one level too little lands in the rule's
// `Properties` (or a SAM event's), which is valid YAML. The pattern left behind then matches every event of its source,
// and CloudFormation only rejects the unknown property at deploy. Read from the document's `Resources`, not from a
// pattern site: the key is outside every site.

import { ENVELOPE_KEYS } from '../../eventbridge';
import { ProblemCode } from '../../engine';
import { getProperty, type AstNode, type PropertyNode } from '../../engine/jsonAst';
import type { DocumentAnalysis } from '../sites/documentAnalysis';
import { resourceTypeOf } from '../sites/patternSites';
import type { LintProblem } from './patternLint';

/** Resource types whose `Properties` hold an `EventPattern`. */
const PATTERN_RESOURCE_TYPES: ReadonlySet<string> = new Set(['AWS::Events::Rule', 'AWS::Events::Archive']);
/** SAM event source types whose `Properties` hold a `Pattern`. */
const SAM_PATTERN_EVENT_TYPES: ReadonlySet<string> = new Set(['EventBridgeRule', 'CloudWatchEvent']);
/** Envelope keys no such `Properties` has a property of the same name: `Description`, `State`... are capitalised. */
const PATTERN_KEYS: ReadonlySet<string> = new Set(ENVELOPE_KEYS);

function stringValue(node: AstNode | undefined): string | undefined {
  return node?.type === 'string' ? node.value : undefined;
}

function misplacedIn(properties: AstNode | undefined, patternKey: string, owner: string, out: LintProblem[]): void {
  if (properties?.type !== 'object') return;
  const keys = properties.properties.filter((p: PropertyNode) => PATTERN_KEYS.has(p.key.value));
  for (const p of keys) {
    out.push({
      code: ProblemCode.MisplacedPatternKey,
      message:
        `"${p.key.value}" is a key of an event pattern, not a property of ${owner}: it looks indented one level too ` +
        `little to be part of ${patternKey}, which then matches without it (CloudFormation rejects the property at deploy)`,
      severity: 'error',
      offset: p.key.offset,
      length: p.key.length,
      fromAws: false,
    });
  }
}

/**
 * Pattern keys found beside `EventPattern` (or a SAM event's `Pattern`) instead of inside it, in document order. A
 * resource's findings are kept under its entry node and moved with it while the incremental analysis carries the
 * node over unchanged (see ruleChecks), so an edit reads only the entries it changed.
 */
export function misplacedPatternKeys(doc: DocumentAnalysis): LintProblem[] {
  if (doc.readAs !== 'template' && doc.readAs !== 'serverless') return [];
  const root = doc.root;
  const resources =
    doc.readAs === 'serverless'
      ? getProperty(getProperty(root, 'resources'), 'Resources')
      : getProperty(root, 'Resources');
  if (resources?.type !== 'object') return [];
  const out: LintProblem[] = [];
  for (const resource of resources.properties) {
    const kept = keptFindings.get(resource);
    if (kept) {
      const shift = resource.offset - kept.entryOffset;
      for (const p of kept.problems) out.push(shift === 0 ? p : { ...p, offset: p.offset + shift });
      continue;
    }
    const problems: LintProblem[] = [];
    misplacedInResource(resource, problems);
    keptFindings.set(resource, { entryOffset: resource.offset, problems });
    out.push(...problems);
  }
  return out;
}

const keptFindings = new WeakMap<
  PropertyNode,
  { readonly entryOffset: number; readonly problems: readonly LintProblem[] }
>();

function misplacedInResource(resource: PropertyNode, out: LintProblem[]): void {
  const type = resourceTypeOf(resource);
  if (type === undefined) return;
  if (PATTERN_RESOURCE_TYPES.has(type)) {
    misplacedIn(getProperty(resource.value, 'Properties'), 'EventPattern', type, out);
  } else if (type === 'AWS::Serverless::Function' || type === 'AWS::Serverless::StateMachine') {
    const events = getProperty(getProperty(resource.value, 'Properties'), 'Events');
    if (events?.type !== 'object') return;
    for (const event of events.properties) {
      const eventType = stringValue(getProperty(event.value, 'Type'));
      if (eventType === undefined || !SAM_PATTERN_EVENT_TYPES.has(eventType)) continue;
      misplacedIn(getProperty(event.value, 'Properties'), 'Pattern', `a SAM ${eventType} event`, out);
    }
  }
}
