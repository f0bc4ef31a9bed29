// Faults the local bus can be told to inject, so clients can be tested against what AWS does on a bad day:
// throttling, expired credentials, a dropped connection, a PutEvents call where some entries fail, and a Live
// Tail stream that ends. Each rule applies to the next `times` matching requests, then is used up.

export type FaultKind = 'throttle' | 'expired-credentials' | 'drop-connection' | 'partial-put-events' | 'end-live-tail';

export const FAULT_KINDS: readonly FaultKind[] = [
  'throttle',
  'expired-credentials',
  'drop-connection',
  'partial-put-events',
  'end-live-tail',
];

export interface FaultRule {
  readonly kind: FaultKind;
  /** The operation it applies to (`PutEvents`, `FilterLogEvents`, `StartLiveTail`...); every operation when absent. */
  readonly operation?: string;
  /** How many matching requests it affects (default 1). */
  readonly times?: number;
  /** For `end-live-tail`: how many updates the session sends before it ends (default 1). */
  readonly afterUpdates?: number;
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

/** Which operations a kind can apply to when the rule names none. */
function appliesTo(kind: FaultKind, operation: string): boolean {
  if (kind === 'partial-put-events') return operation === 'PutEvents';
  if (kind === 'end-live-tail') return operation === 'StartLiveTail';
  return true;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    if (!FAULT_KINDS.includes(rule.kind)) throw new Error(`unknown fault kind: ${String(rule.kind)}`);
    const times = rule.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error('times must be a positive integer');
    this.rules.push({ ...rule, remaining: times });
  }

  clear(): void {
    this.rules = [];
  }

  /** The fault to inject into this request, if any (it is used up by one). */
  take(operation: string): FaultRule | undefined {
    const i = this.rules.findIndex(
      (r) => (r.operation === undefined ? appliesTo(r.kind, operation) : r.operation === operation),
    );
    if (i < 0) return undefined;
    const rule = this.rules[i];
    rule.remaining--;
    if (rule.remaining <= 0) this.rules.splice(i, 1);
    return rule;
  }

  /** The rules still to apply, with how many requests each will still affect. */
  get pending(): readonly (FaultRule & { readonly remaining: number })[] {
    return this.rules;
  }
}

/** Parses `kind[:operation[:times]]`, the `local-bus --fault` syntax. */
export function parseFaultSpec(spec: string): FaultRule {
  const [kind, operation, times] = spec.split(':');
  if (!FAULT_KINDS.includes(kind as FaultKind)) {
    throw new Error(`unknown fault kind "${kind}": use one of ${FAULT_KINDS.join(', ')}`);
  }
  const n = times === undefined ? 1 : Number(times);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bad count in fault "${spec}"`);
  return { kind: kind as FaultKind, ...(operation ? { operation } : {}), times: n };
}
