// What the extension learns about the user's own events (custom sources), as it crosses between the client and the
// language server: the shape of a learned schema, the events the local bus has seen, the schemas of the account's
// EventBridge schema registries, and the custom sources the workspace's patterns name (for the registries to look
// up). Plain JSON, like the requests (./requests.ts).
import type { EventObject, RequestType } from './requests';

/** A notification's method, with the type of its parameters (carried for the type checker only). */
export interface NotificationType<P> {
  readonly method: string;
  /** Never set: it ties the parameter type to the method. */
  readonly types?: { readonly params: P };
}

function notification<P>(method: string): NotificationType<P> {
  return { method };
}

/** A JSON value's kind, as a field of an event has it. */
export type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** What the strings of a field look like, when all of them do: an IP address, a timestamp, a number in a string. */
export type StringFormat = 'ip' | 'timestamp' | 'number-string';

/** An example value of a field (scalars only). */
export type ExampleValue = string | number | boolean | null;

/** One field below an event's `detail`, as the samples (or a registry schema) have it. */
export interface LearnedField {
  /** The dotted path below `detail` (`total`, `customer.id`, `items.sku`: an array's elements are looked through). */
  readonly path: string;
  /** The kinds of value seen (or declared). */
  readonly types: readonly JsonKind[];
  /** For an array: the kinds of its elements. */
  readonly itemTypes?: readonly JsonKind[];
  /** A few distinct scalar values, first seen first (an enum's values, for a registry schema). */
  readonly examples: readonly ExampleValue[];
  /** There are more distinct values than `examples` holds. */
  readonly moreValues: boolean;
  /** How many samples have the field (0 for a registry schema). */
  readonly seen: number;
  /** Every sample has it (a registry schema: it is `required`). */
  readonly always: boolean;
  /** Its string values look like an enum: few distinct values over many samples (or the schema says `enum`). */
  readonly enumLike?: boolean;
  readonly format?: StringFormat;
}

/** Where a learned schema comes from. */
export type LearnedOrigin =
  /** The workspace's sample events (`events/**\/*.json`) and the events the local bus has seen. */
  | {
      readonly kind: 'samples';
      readonly files: readonly string[];
      readonly moreFiles: number;
      readonly localBus: number;
    }
  /** A schema of an EventBridge schema registry of the account. */
  | {
      readonly kind: 'registry';
      readonly registryName: string;
      readonly schemaName: string;
      readonly version?: string;
    };

/** What is known of the `detail` of one (source, detail-type). */
export interface LearnedSchema {
  readonly source: string;
  readonly detailType: string;
  /** How many sample events it was inferred from (0 for a registry schema). */
  readonly samples: number;
  readonly origin: LearnedOrigin;
  readonly fields: readonly LearnedField[];
  /** Some fields were left out (too many paths, too deep). */
  readonly truncated: boolean;
}

/** Events the local bus accepted (PutEvents), as it delivers them, for the server to learn from. */
export const ObservedEventsNotification = notification<{ readonly events: readonly EventObject[] }>(
  'eventbridge/observedEvents',
);

/**
 * The schemas of the account's schema registries, converted (replacing any sent before; an empty list forgets them).
 * `fetchedAt` is when they were read from AWS (ISO 8601), for hovers to say how old they are.
 */
export const RegistrySchemasNotification = notification<{
  readonly schemas: readonly LearnedSchema[];
  readonly fetchedAt?: string;
}>('eventbridge/registrySchemas');

/**
 * The custom sources (not `aws.*`) the patterns of the documents the server has, and the sample events, name: which
 * schemas of the registries are worth reading.
 */
export const CustomSourcesRequest = request<Record<string, never>, { readonly sources: readonly string[] }>(
  'eventbridge/customSources',
);

function request<P, R>(method: string): RequestType<P, R> {
  return { method };
}
