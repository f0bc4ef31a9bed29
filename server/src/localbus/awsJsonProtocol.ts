// AWS JSON 1.1 plumbing shared by both services: error shapes, region from the SigV4 scope, ARNs, page tokens.
// See ../shared/aws/PROTOCOL.md sections 1-5.

/** An error the endpoint returns to the caller as `{"__type": code, "message": ...}`. */
export class AwsServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_ACCOUNT_ID = '000000000000';

const REGION_SYNTAX = /^[a-z]{2}(-[a-z0-9]+){1,4}$/;

/** The region of a SigV4 `Authorization` header (`Credential=<key>/<date>/<region>/<service>/aws4_request`). */
export function regionFromAuthorization(header: string | undefined): string {
  const scope = header ? /Credential=[^/,\s]*\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/.exec(header) : null;
  const region = scope?.[1];
  return region && REGION_SYNTAX.test(region) ? region : DEFAULT_REGION;
}

/** The ARN partition a region belongs to. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function arn(service: string, region: string, accountId: string, resource: string): string {
  return `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${resource}`;
}

/** `{ a: 1, b: undefined }` → `{ a: 1 }`: AWS omits absent members instead of sending null. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}

// ---- input readers: each rejects a wrongly typed member with the service's validation error ----

export type InputErrorCode = 'ValidationException' | 'InvalidParameterException' | 'InvalidParameterValue';

export class InputReader {
  constructor(
    readonly input: Record<string, unknown>,
    private readonly errorCode: InputErrorCode,
  ) {}

  fail(message: string): never {
    throw new AwsServiceError(this.errorCode, message);
  }

  optionalString(name: string, max = Number.MAX_SAFE_INTEGER, syntax?: RegExp): string | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(`Parameter ${name} must be a string.`);
    if (v.length > max) this.fail(this.constraint(name, v, `Member must have length less than or equal to ${max}`));
    if (syntax && !syntax.test(v))
      this.fail(this.constraint(name, v, `Member must satisfy regular expression pattern: ${syntax.source}`));
    return v;
  }

  string(name: string, max = Number.MAX_SAFE_INTEGER, syntax?: RegExp): string {
    const v = this.optionalString(name, max, syntax);
    if (v === undefined || v.length === 0)
      this.fail(
        this.constraint(
          name,
          v ?? null,
          v === undefined ? 'Member must not be null' : 'Member must have length greater than or equal to 1',
        ),
      );
    return v;
  }

  optionalNumber(name: string, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(`Parameter ${name} must be a number.`);
    if (v < min) this.fail(this.constraint(name, v, `Member must have value greater than or equal to ${min}`));
    if (v > max) this.fail(this.constraint(name, v, `Member must have value less than or equal to ${max}`));
    return v;
  }

  optionalBoolean(name: string): boolean | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(`Parameter ${name} must be a boolean.`);
    return v;
  }

  /** `memberShape` names the list's member in the Coral text, as moto renders it (`[PutEventsRequestEntry]`). */
  optionalArray(name: string, min = 0, max = Number.MAX_SAFE_INTEGER, memberShape = 'String'): unknown[] | undefined {
    const v = this.input[name];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(`Parameter ${name} must be a list.`);
    if (v.length < min)
      this.fail(this.constraint(name, '[]', `Member must have length greater than or equal to ${min}`));
    if (v.length > max)
      this.fail(this.constraint(name, `[${memberShape}]`, `Member must have length less than or equal to ${max}`));
    return v as unknown[];
  }

  optionalStringArray(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): string[] | undefined {
    const v = this.optionalArray(name, min, max);
    if (v && !v.every((s) => typeof s === 'string')) this.fail(`Parameter ${name} must be a list of strings.`);
    return v;
  }

  /** The Coral validation text the SDK shows (its exact wording on real AWS is unverified). */
  private constraint(name: string, value: unknown, rule: string): string {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    return `1 validation error detected: Value '${shown.length > 100 ? `${shown.slice(0, 100)}...` : shown}' at '${member}' failed to satisfy constraint: ${rule}`;
  }
}

// ---- page tokens: opaque to the SDK; ours carry the listing they belong to so a foreign token is refused ----

export function encodePageToken(listing: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ l: listing, p: position }), 'utf8').toString('base64url');
}

/** The position inside `token`, or an InvalidToken-style error when it was not made for this listing. */
export function decodePageToken(token: string, listing: string, errorCode: InputErrorCode): unknown {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (parsed && typeof parsed === 'object' && (parsed as { l?: unknown }).l === listing)
      return (parsed as { p?: unknown }).p;
  } catch {
    // fall through to the error below
  }
  throw new AwsServiceError(
    errorCode,
    errorCode === 'ValidationException' ? 'The NextToken provided is invalid.' : 'The specified nextToken is invalid.',
  );
}

/** One page of `items` starting at the offset carried by `token`. */
export function pageByOffset<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number,
  listing: string,
  errorCode: InputErrorCode,
): { page: T[]; nextToken: string | undefined } {
  let start = 0;
  if (token !== undefined) {
    const p = decodePageToken(token, listing, errorCode);
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 0)
      throw new AwsServiceError(errorCode, 'The specified nextToken is invalid.');
    start = p;
  }
  const end = start + limit;
  return { page: items.slice(start, end), nextToken: end < items.length ? encodePageToken(listing, end) : undefined };
}
