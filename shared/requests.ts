// The custom requests the client sends the language server: what the server knows about documents (the pattern under
// the cursor, a template's rules, which workspace rules match an event) and about events (the catalog, samples made to
// match a pattern, a pattern tested against events). The client never analyses a document itself: it asks.
//
// Parameters and results are plain JSON (no AST nodes, no class instances), so they cross the connection as they are
// and any editor could send them. Positions are LSP positions (line, UTF-16 character) in the server's copy of the
// document, which the client keeps in sync.

/** A request's method, with the types of its parameters and result (carried for the type checker only). */
export interface RequestType<P, R> {
  readonly method: string;
  /** Never set: it ties the parameter and result types to the method. */
  readonly types?: { readonly params: P; readonly result: R };
}

function request<P, R>(method: string): RequestType<P, R> {
  return { method };
}

export type ParamsOf<T> = T extends RequestType<infer P, unknown> ? P : never;
export type ResultOf<T> = T extends RequestType<unknown, infer R> ? R : never;

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

/** A position in a document the client has open (and so has given the server). */
export interface DocumentPositionParams {
  readonly textDocument: { readonly uri: string };
  readonly position: Position;
}

/** An answer, or why there is none, in words for the user. */
export type Answer<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly reason: string };

/** An event as EventBridge delivers it (version, id, detail-type, source, account, time, region, resources, detail). */
export type EventObject = Record<string, unknown>;

/** Which pattern language applies: the bus and archives share one; Pipes and Lambda filters each have their own. */
export type PatternDialect = 'eventbus' | 'archive' | 'pipes' | 'lambda';

/** The pattern under the cursor, as far as the client needs it. */
export interface PatternInfo {
  readonly dialect: PatternDialect;
  /** The pattern as AWS receives it (JSON text). */
  readonly text: string;
  /** Where the pattern is written in the document. */
  readonly range: Range;
  /** The template resource it belongs to, if any. */
  readonly resourceId?: string;
}

// ---- the pattern under the cursor ------------------------------------------------------------------------------

/**
 * The usable pattern at (or, in a file with a single pattern, anywhere near) a position: valid and fully known, so it
 * can be tested and sent. Otherwise why not (no pattern there, not valid, values known only at deploy time).
 */
export const PatternAtRequest = request<DocumentPositionParams, Answer<{ readonly pattern: PatternInfo }>>(
  'eventbridge/patternAt',
);

export interface PatternSamplesParams extends DocumentPositionParams {
  /** Region and account to give the generated sample (default: a placeholder envelope's). */
  readonly region?: string;
  readonly accountId?: string;
}

export interface CatalogSample {
  readonly source: string;
  readonly detailType: string;
  readonly event: EventObject;
}

export interface PatternSamples {
  readonly pattern: PatternInfo;
  /** An event made to match the pattern (from the catalog's sample for its source and detail-type, when known). */
  readonly generated: { readonly event: EventObject; readonly matches: boolean };
  /** The catalog's sample events for the sources and detail-types the pattern names. */
  readonly catalog: readonly CatalogSample[];
}

/** Sample events for the pattern at a position: one made to match it, and the catalog's for what it names. */
export const PatternSamplesRequest = request<PatternSamplesParams, Answer<PatternSamples>>(
  'eventbridge/patternSamples',
);

export interface GenerateEventsParams extends DocumentPositionParams {
  /** How many distinct matching events (default 1, at most 100). */
  readonly count?: number;
  /** Also near misses: events that fail exactly one condition, at its boundary. */
  readonly nearMisses?: boolean;
  /** Region and account to give the events (default: the catalog sample's, or a placeholder envelope's). */
  readonly region?: string;
  readonly accountId?: string;
}

/** An event made for a pattern, checked with the engine. */
export interface GeneratedSampleEvent {
  readonly event: EventObject;
  /** The event's JSON text (two-space indent), as checked: numbers keep the spelling the pattern needs. */
  readonly text: string;
  /** True for an event that matches; false for a near miss. */
  readonly matches: boolean;
  /** A near miss's failing condition, as a dotted path (`detail.size`). */
  readonly fails?: string;
  /** How the near miss fails, in words (`one character short of the prefix "img/"`). */
  readonly why?: string;
  /**
   * A near miss's matching event's source and detail-type (it differs from that event at `fails` only, which may be
   * `source`): saved files are named after these.
   */
  readonly madeFrom?: { readonly source?: string; readonly detailType?: string };
}

/**
 * Events for the pattern at a position: matching events (built on the catalog's sample for its source and
 * detail-type) and, on request, near misses. A pattern no event can match gets `ok: false` and why.
 */
export const GenerateEventsRequest = request<
  GenerateEventsParams,
  Answer<{ readonly pattern: PatternInfo; readonly events: readonly GeneratedSampleEvent[] }>
>('eventbridge/generateEvents');

export interface EventUnderTest {
  /** A name for the results: `catalog sample aws.s3 / Object Created`, a file name, ... */
  readonly label: string;
  /** The event's JSON text, as the user wrote it (number spellings and duplicate keys count). */
  readonly text: string;
}

export interface PatternTestResult {
  readonly label: string;
  /** Undefined when the event could not be read. */
  readonly matched?: boolean;
  /** Why not (one line per failing field), or the reason the event could not be read. */
  readonly reasons: readonly string[];
}

export interface TestPatternParams extends DocumentPositionParams {
  readonly events: readonly EventUnderTest[];
}

/** The pattern at a position run against events with the engine: matched or not, and why not. */
export const TestPatternRequest = request<
  TestPatternParams,
  Answer<{ readonly pattern: PatternInfo; readonly results: readonly PatternTestResult[] }>
>('eventbridge/testPattern');

// ---- rules in templates ------------------------------------------------------------------------------------------

/** The region and account a template is read for (rule names and ARNs depend on them, as when deployed). */
export interface TemplateContext {
  readonly region: string;
  readonly accountId: string;
}

export interface RuleAtParams extends DocumentPositionParams, TemplateContext {}

export interface TemplateRuleInfo {
  readonly logicalId: string;
  /** The name the local bus gives it (the `Name` property, or a generated `<stack>-<logicalId>-<hash>`). */
  readonly localName: string;
  readonly eventBusName: string;
  /** The template sets the name itself (`Name`, SAM `RuleName`), so it is the deployed name too. */
  readonly explicitName: boolean;
}

/** The EventBridge rule whose pattern contains a position, in a CloudFormation / SAM template. */
export const RuleAtRequest = request<RuleAtParams, Answer<{ readonly rule: TemplateRuleInfo }>>('eventbridge/ruleAt');

export interface MatchWorkspaceRulesParams extends TemplateContext {
  /**
   * The workspace's candidate template files, as URIs (the client finds them; the server reads them: the text of a
   * document open in the editor, unsaved changes included, else the file on disk). Files that are not templates are
   * skipped.
   */
  readonly templates: readonly string[];
  /** The event, or a JSON array of events, to match. */
  readonly eventText: string;
}

export interface WorkspaceRule {
  /** The template's URI, as given. */
  readonly uri: string;
  readonly logicalId: string;
  readonly eventBusName: string;
  /** `ENABLED` unless the template says otherwise; disabled rules are listed, and said to be disabled. */
  readonly state: string;
}

export interface EventMatches {
  /** The index of the event in an array, or 0 for a single event. */
  readonly index: number;
  readonly rules: readonly WorkspaceRule[];
}

export interface MatchWorkspaceRulesResult {
  /** Templates read (files that look like templates). */
  readonly templates: number;
  /** Every rule with an event pattern that compiled. */
  readonly rules: readonly WorkspaceRule[];
  /** Templates or rules that could not be read or compiled, one line each. */
  readonly problems: readonly string[];
  /** One answer per event, or why the events could not be matched. */
  readonly answer: { readonly events: readonly EventMatches[] } | { readonly error: string };
}

/** Every rule of the workspace's templates compiled into one matcher, and an event (or a list) run through it. */
export const MatchWorkspaceRulesRequest = request<MatchWorkspaceRulesParams, MatchWorkspaceRulesResult>(
  'eventbridge/matchWorkspaceRules',
);

// ---- the event catalog -------------------------------------------------------------------------------------------

export interface CatalogSources {
  /** False when the catalog file is missing (a build without it). */
  readonly available: boolean;
  readonly sources: readonly { readonly source: string; readonly detailTypes: readonly string[] }[];
}

/** The catalog's sources and their detail-types. */
export const CatalogSourcesRequest = request<Record<string, never>, CatalogSources>('eventbridge/catalogSources');

/** The catalog's sample event for a source and detail-type (none when it knows no such event). */
export const CatalogSampleRequest = request<
  { readonly source: string; readonly detailType: string },
  { readonly event?: EventObject }
>('eventbridge/catalogSample');

// ---- the "▶ What target X receives" code lens ----------------------------------------------------------------------

/** The command of the code lens above a target's Input, InputPath or InputTransformer; the client shows `markdown`. */
export const SHOW_TARGET_INPUT_COMMAND = 'eventbridge.showTargetInput';

/** What a target receives for each sample event, as the lens carries it. */
export interface TargetInputPreview {
  readonly title: string;
  /** One section per sample event: its name, then the text the target receives. */
  readonly markdown: string;
}

// ---- the "▶ N of M sample events match" code lens ------------------------------------------------------------------

/** The command of the code lens; the client shows the results it carries. */
export const SHOW_PATTERN_TEST_RESULTS_COMMAND = 'eventbridge.showPatternTestResults';

/** How one sample event fared. */
export interface SampleEventResult {
  /** `aws.s3 / Object Created (catalog)`, or a file name (with `[i]` for an element of an array file). */
  readonly name: string;
  readonly origin: 'catalog' | 'workspace';
  readonly uri?: string;
  readonly matched: boolean;
  /** The engine's reasons (one line per failing field) when the event does not match. */
  readonly reasons: readonly string[];
  /** Set when the event could not be read; such events count in neither figure. */
  readonly error?: string;
}

/** The argument of the lens's command. */
export interface PatternTestResults {
  readonly uri: string;
  /** The pattern's range in the document. */
  readonly range: Range;
  readonly matched: number;
  readonly tested: number;
  readonly results: readonly SampleEventResult[];
}

// ---- pattern from an event -------------------------------------------------------------------------------------

/** An event found in a document: an event as EventBridge delivers it, or a PutEvents entry made into one. */
export interface FoundEvent {
  /** `aws.s3 / Object Created`, with `(PutEvents entry)` for an entry. */
  readonly label: string;
  readonly event: EventObject;
  /** Where it is written. */
  readonly range: Range;
  readonly form: 'event' | 'putEventsEntry';
}

export interface EventsAtParams extends DocumentPositionParams {
  /** The selection, when there is one: its text is read as an event, an entry or a list of them. */
  readonly range?: Range;
}

/**
 * The events of a document (JSON and YAML: objects with `source` and `detail-type`, PutEvents entries with `Source`,
 * `DetailType` and `Detail`; TypeScript, JavaScript and Python: PutEvents entries written as literals), the one under
 * the cursor (or the selection's) first. `atCursor` says whether the first is under the cursor.
 */
export const EventsAtRequest = request<
  EventsAtParams,
  Answer<{ readonly events: readonly FoundEvent[]; readonly atCursor: boolean }>
>('eventbridge/eventsAt');

/** The operators a generated condition can use (the engine's PATTERN_OPERATORS). */
export type PatternOperatorName =
  | 'exact'
  | 'prefix'
  | 'suffix'
  | 'equals-ignore-case'
  | 'prefix-ignore-case'
  | 'suffix-ignore-case'
  | 'wildcard'
  | 'numeric'
  | 'cidr'
  | 'anything-but'
  | 'exists';

export interface EventFieldInfo {
  /** The dotted path a pattern uses. */
  readonly path: string;
  /** The first value, as JSON text, for showing. */
  readonly value: string;
  /** How many times the field occurs (more than once inside arrays). */
  readonly occurrences: number;
  /** The operators that fit the value, the most specific first. */
  readonly operators: readonly PatternOperatorName[];
}

/** The leaf fields of an event (source and detail-type first), each with the operators that fit its value. */
export const EventFieldsRequest = request<
  { readonly event: EventObject; readonly dialect?: PatternDialect },
  {
    readonly fields: readonly EventFieldInfo[];
    /** What each operator writes, and its argument when it takes one. */
    readonly operators: Readonly<Record<PatternOperatorName, string>>;
  }
>('eventbridge/eventFields');

/** One chosen field: its operator (default exact) and the operator's argument (default: made from the value). */
export interface ChosenField {
  readonly path: string;
  readonly operator?: PatternOperatorName;
  readonly argument?: string;
}

/** Where the pattern goes. */
export type PatternTarget =
  /** Merged into the pattern at a position (the event's conditions are added to it; see docs). */
  | { readonly kind: 'merge'; readonly uri: string; readonly position: Position }
  /** A new `AWS::Events::Rule` in a CloudFormation / SAM template (JSON or YAML). */
  | { readonly kind: 'rule'; readonly uri: string; readonly logicalId?: string }
  /** A new pattern file: the text is returned for the client to write. */
  | { readonly kind: 'patternFile' };

export interface PatternFromEventParams {
  readonly event: EventObject;
  readonly fields: readonly ChosenField[];
  readonly target: PatternTarget;
}

export interface TextEditInfo {
  readonly range: Range;
  readonly newText: string;
}

export interface PatternFromEventResult {
  /** The pattern written (for a merge: the merged pattern), checked to match the event. */
  readonly pattern: EventObject;
  /** The edits of the target document (merge and rule targets). */
  readonly edit?: { readonly uri: string; readonly edits: readonly TextEditInfo[] };
  /** The new pattern file's text (patternFile target). */
  readonly fileText?: string;
  /** The new rule's logical id (rule target). */
  readonly logicalId?: string;
}

/** The pattern of an event's chosen fields, written into a target; every written pattern matches the event. */
export const PatternFromEventRequest = request<PatternFromEventParams, Answer<PatternFromEventResult>>(
  'eventbridge/patternFromEvent',
);

/** The client command that makes a pattern from an event (the code action on an event runs it). */
export const CREATE_PATTERN_FROM_EVENT_COMMAND = 'eventbridge.createPatternFromEvent';
