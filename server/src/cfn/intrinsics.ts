// CloudFormation intrinsic functions: the YAML short-form tags and the long-form keys they stand for.
// Shared by the template parser (language service) and the template loader (local bus).

export interface IntrinsicTag {
  /** The YAML tag as written, e.g. `!Ref`. */
  readonly tag: string;
  /** The long form key, e.g. `Ref` or `Fn::Sub`. */
  readonly longForm: string;
  /** The YAML node kinds the tag may decorate. */
  readonly kinds: readonly ('scalar' | 'seq' | 'map')[];
}

const fn = (name: string, kinds: IntrinsicTag['kinds']): IntrinsicTag => ({ tag: `!${name}`, longForm: `Fn::${name}`, kinds });

export const INTRINSIC_TAGS: readonly IntrinsicTag[] = [
  { tag: '!Ref', longForm: 'Ref', kinds: ['scalar'] },
  { tag: '!Condition', longForm: 'Condition', kinds: ['scalar'] },
  fn('Sub', ['scalar', 'seq']),
  fn('GetAtt', ['scalar', 'seq']),
  fn('Join', ['seq']),
  fn('Select', ['seq']),
  fn('Split', ['seq']),
  fn('If', ['seq']),
  fn('Equals', ['seq']),
  fn('And', ['seq']),
  fn('Or', ['seq']),
  fn('Not', ['seq']),
  fn('FindInMap', ['seq']),
  fn('GetAZs', ['scalar', 'map']),
  fn('ImportValue', ['scalar', 'map']),
  fn('Base64', ['scalar', 'map', 'seq']),
  fn('Cidr', ['seq']),
  fn('Transform', ['map']),
  fn('Length', ['seq', 'map']),
  fn('ToJsonString', ['map', 'seq']),
  fn('ForEach', ['seq']),
  // Rule functions (the `Rules` section's assertions).
  fn('Contains', ['seq']),
  fn('EachMemberEquals', ['seq']),
  fn('EachMemberIn', ['seq']),
  fn('RefAll', ['scalar']),
  fn('ValueOf', ['seq']),
  fn('ValueOfAll', ['seq']),
];

/** Long-form keys that make an object an intrinsic function call (a value unknown until deploy). */
export const INTRINSIC_LONG_FORMS: ReadonlySet<string> = new Set(INTRINSIC_TAGS.map((t) => t.longForm));

/** True when a mapping with exactly this one key is an intrinsic function call. */
export function isIntrinsicKey(key: string): boolean {
  return INTRINSIC_LONG_FORMS.has(key);
}
