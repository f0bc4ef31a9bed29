// What to tell the user when an AWS call fails: the error code, AWS's message, and the next step. Everything that may
// reach a log or a message goes through `redactSecrets` first.

export interface AwsCallContext {
  /** What was being done, e.g. `PutEvents` or `Listing event buses`. */
  readonly operation?: string;
  readonly profile?: string;
  readonly region?: string;
  /** The endpoint override in force, if any. */
  readonly endpoint?: string;
  /** The endpoint is the embedded local bus. */
  readonly localBus?: boolean;
}

export interface AwsErrorReport {
  /** The AWS error code (`AccessDeniedException`), a Node network code (`ECONNREFUSED`), or the error's name. */
  readonly code: string;
  readonly message: string;
  readonly nextStep?: string;
  /** The request id AWS gave, for support cases. */
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** True when the user cancelled: nothing to show. */
  readonly cancelled: boolean;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'UnauthorizedOperation',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
]);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errno?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  Code?: unknown;
}

function asErrorLike(e: unknown): ErrorLike {
  return e && typeof e === 'object' ? e : { message: String(e) };
}

/** A Node network error code anywhere in the error or its causes (the SDK sometimes wraps them). */
function networkCode(e: ErrorLike): string | undefined {
  for (let current: ErrorLike | undefined = e, depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return current.code;
    const aggregate = (current as { errors?: unknown }).errors;
    if (Array.isArray(aggregate)) {
      for (const inner of aggregate) {
        const code = networkCode(asErrorLike(inner));
        if (code) return code;
      }
    }
    current = current.cause && typeof current.cause === 'object' ? current.cause : undefined;
  }
  return undefined;
}

function profileFlag(ctx: AwsCallContext): string {
  return ctx.profile ? ` --profile ${ctx.profile}` : '';
}

function isSsoExpiry(name: string, message: string): boolean {
  return (
    (/sso/i.test(message) && /(expired|invalid|refresh|aws sso login|token)/i.test(message)) ||
    (name === 'TokenProviderError' && /sso/i.test(message))
  );
}

/** Turns any error from an SDK call (or the credential chain) into a report. Never includes secrets. */
export function describeAwsError(error: unknown, ctx: AwsCallContext = {}): AwsErrorReport {
  const e = asErrorLike(error);
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const rawMessage = typeof e.message === 'string' ? e.message : String(error);
  const message = redactSecrets(rawMessage.trim() || '(no message)');
  const requestId = e.$metadata?.requestId;
  const httpStatus = e.$metadata?.httpStatusCode;
  const base = {
    ...(requestId ? { requestId } : {}),
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    cancelled: false,
  };

  if (
    name === 'AbortError' ||
    /^(Request aborted|This operation was aborted|The operation was aborted)/i.test(rawMessage)
  )
    return { ...base, code: 'Cancelled', message: 'Cancelled', cancelled: true };

  const net = networkCode(e);
  if (net) {
    const where = ctx.endpoint ?? (ctx.region ? `AWS in ${ctx.region}` : 'AWS');
    let nextStep: string;
    if (ctx.localBus) nextStep = 'Is the local bus running? Start it with "EventBridge: Start Local Bus".';
    else if (ctx.endpoint && net === 'ECONNREFUSED')
      nextStep = `Nothing answers at ${ctx.endpoint}: is the local bus (or emulator) running? Or clear the endpoint with "EventBridge: Set Endpoint".`;
    else if (ctx.endpoint) nextStep = `Check the endpoint ${ctx.endpoint} ("EventBridge: Set Endpoint").`;
    else nextStep = 'Check the network connection and proxy settings, and that the region name is right.';
    return { ...base, code: net, message: `cannot reach ${where} (${net})`, nextStep };
  }

  if (
    name === 'CredentialsProviderError' ||
    name === 'TokenProviderError' ||
    /Could not load credentials/i.test(rawMessage)
  ) {
    if (isSsoExpiry(name ?? '', rawMessage))
      return {
        ...base,
        code: 'ExpiredSsoToken',
        message,
        nextStep: `The IAM Identity Center (SSO) session has expired: run \`aws sso login${profileFlag(ctx)}\`, then try again.`,
      };
    return {
      ...base,
      code: name ?? 'CredentialsProviderError',
      message,
      nextStep: ctx.profile
        ? `No usable credentials for profile ${ctx.profile}: check it in ~/.aws/config and ~/.aws/credentials (\`aws configure${profileFlag(ctx)}\` or \`aws configure sso${profileFlag(ctx)}\`), or pick another with "EventBridge: Select AWS Profile".`
        : 'No AWS credentials found: run `aws configure` (or `aws configure sso`), then pick the profile with "EventBridge: Select AWS Profile"; or start the local bus to work without AWS.',
    };
  }

  const code = name ?? (typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : 'Error');
  if (isSsoExpiry(code, rawMessage) && /token|session/i.test(rawMessage) && /sso/i.test(rawMessage))
    return { ...base, code, message, nextStep: `Run \`aws sso login${profileFlag(ctx)}\`, then try again.` };
  if (EXPIRED.has(code))
    return {
      ...base,
      code,
      message,
      nextStep: `The temporary credentials have expired: refresh them (for SSO, \`aws sso login${profileFlag(ctx)}\`; for session tokens in ~/.aws/credentials, get new ones), then try again.`,
    };
  if (BAD_CREDENTIALS.has(code))
    return {
      ...base,
      code,
      message,
      nextStep: `AWS did not accept the credentials${ctx.profile ? ` of profile ${ctx.profile}` : ''}: check the access key and secret (\`aws configure${profileFlag(ctx)}\`)${ctx.endpoint ? ` and that ${ctx.endpoint} is the endpoint you meant` : ''}.`,
    };
  if (ACCESS_DENIED.has(code))
    return {
      ...base,
      code,
      message,
      nextStep: `The identity${ctx.profile ? ` of profile ${ctx.profile}` : ''} is not allowed to do this: ask for the IAM permission named in the message${ctx.operation ? ` (${ctx.operation})` : ''}, or select another profile.`,
    };
  if (code === 'ResourceNotFoundException')
    return {
      ...base,
      code,
      message,
      nextStep: `It does not exist in ${ctx.region ?? 'this region'}${ctx.localBus ? ' on the local bus' : ''}: check the name, the region ("EventBridge: Select Region") and the profile.`,
    };
  if (code === 'ValidationException' || code === 'InvalidParameterException' || code === 'InvalidEventPatternException')
    return { ...base, code, message, nextStep: 'Fix the request as the message says.' };
  if (/Throttl|TooManyRequests|LimitExceeded/.test(code))
    return { ...base, code, message, nextStep: 'Wait a moment and try again.' };
  if (code === 'UnknownOperationException' || (httpStatus !== undefined && httpStatus >= 500))
    return {
      ...base,
      code,
      message,
      nextStep: ctx.endpoint
        ? `The endpoint ${ctx.endpoint} does not support this operation or failed; check it supports ${ctx.operation ?? 'the call'}.`
        : 'AWS failed to handle the request: try again later.',
    };
  return { ...base, code, message };
}

/** One line for a notification: `PutEvents failed: AccessDeniedException: ... Next: ...`. */
export function formatAwsError(report: AwsErrorReport, operation?: string): string {
  const head = operation ? `${operation} failed: ` : '';
  return `${head}${report.code}: ${report.message}${report.nextStep ? ` ${report.nextStep}` : ''}`;
}

/**
 * Redacts AWS secrets from text that may be logged or shown: access key ids, secret keys, session and SSO tokens,
 * SigV4 credentials and signatures, Authorization headers, passwords in URLs.
 */
export function redactSecrets(text: string): string {
  return (
    text
      // Named settings, fields, headers and query parameters, whatever the value looks like.
      .replace(
        /\b(aws_secret_access_key|aws_session_token|aws_security_token|aws_access_key_id|secret_access_key|secretAccessKey|sessionToken|accessKeyId|x-amz-security-token|access_token|refresh_token|client_secret|accessToken|refreshToken|clientSecret)(\s*["']?\s*[:=]\s*["']?)([^\s"',;}&]+)/gi,
        (_m, key: string, sep: string) => `${key}${sep}[redacted]`,
      )
      // SigV4: `Authorization: AWS4-HMAC-SHA256 Credential=AKIA…/date/region/service/aws4_request, …, Signature=…`
      // (also X-Amz-Credential / X-Amz-Signature in presigned URLs). The scope after the key id is kept.
      .replace(/\b(Credential=)[^/\s,"'&]+/gi, '$1[redacted]')
      .replace(/(Signature=)[0-9a-f]{16,}/gi, '$1[redacted]')
      .replace(/\b(Authorization\s*["']?\s*[:=]\s*["']?)(Bearer|Basic)\s+[^\s"',;]+/gi, '$1$2 [redacted]')
      // user:password@ in a URL (an endpoint setting, a proxy).
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1[redacted]@')
      // Access key ids: keep the kind prefix and the last 4 characters, which identify a key without revealing it.
      .replace(/\b((?:AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{4,})\b/g, (id: string) =>
        id.length >= 16 ? `${id.slice(0, 4)}…${id.slice(-4)}` : id,
      )
      // Long base64 runs: secret keys are 40 characters, session tokens hundreds.
      .replace(
        /(?<![A-Za-z0-9/+=])(?=[A-Za-z0-9/+=]*[0-9])(?=[A-Za-z0-9/+=]*[A-Za-z])[A-Za-z0-9/+]{40,}={0,2}(?![A-Za-z0-9/+=])/g,
        '[redacted]',
      )
  );
}
