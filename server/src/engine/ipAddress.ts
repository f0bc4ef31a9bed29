// IP addresses and CIDR ranges as EventBridge treats them: an exact-match string that looks like an IP address is
// compiled as a one-address range (so `2001:db8::1` matches `2001:0db8:0:0:0:0:0:1`), and `cidr` patterns match
// any spelling of an address inside the range. IPv4 and IPv6 are separate spaces.

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

export interface IpRange {
  readonly version: 4 | 6;
  /** Inclusive bounds as big integers. */
  readonly low: bigint;
  readonly high: bigint;
}

export function looksLikeIp(text: string): boolean {
  return IPV4_SHAPE.test(text) || IPV6_SHAPE.test(text);
}

/** Parses an IPv4 or IPv6 literal (shapes above only); undefined when it does not parse. */
export function parseIp(text: string): { version: 4 | 6; value: bigint } | undefined {
  // Most strings are neither: an IPv4 address starts with a digit, an IPv6 one has a colon.
  const first = text.charCodeAt(0);
  const digitFirst = first >= 0x30 && first <= 0x39;
  if (digitFirst && IPV4_SHAPE.test(text)) {
    const parts = text.split('.');
    let v = 0n;
    for (const p of parts) {
      if (p.length > 10) return undefined;
      const n = Number(p);
      if (n > 255) return undefined;
      v = (v << 8n) | BigInt(n);
    }
    return { version: 4, value: v };
  }
  if (text.includes(':') && IPV6_SHAPE.test(text)) {
    const v = parseIpv6(text);
    return v === undefined ? undefined : { version: 6, value: v };
  }
  return undefined;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (g.length === 0 || g.length > 4) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0]);
  const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/** The one-address range for an exact-match string that looks like an IP address, if it parses. */
export function ipToRangeIfPossible(text: string): IpRange | undefined {
  const ip = parseIp(text);
  return ip ? { version: ip.version, low: ip.value, high: ip.value } : undefined;
}

export type CidrResult = { ok: true; range: IpRange } | { ok: false; message: string };

/** Parses a `cidr` pattern value with EventBridge's validation messages. */
export function parseCidr(text: string): CidrResult {
  const parts = text.split('/');
  if (parts.length !== 2) return { ok: false, message: "Malformed CIDR, one '/' required" };
  const [addr, maskText] = parts as [string, string];
  if (!/^[+-]?\d+$/.test(maskText)) return { ok: false, message: 'Malformed CIDR, mask bits must be an integer' };
  const mask = Number(maskText);
  if (mask < 0) return { ok: false, message: 'Malformed CIDR, mask bits must not be negative' };
  if (!looksLikeIp(addr)) return { ok: false, message: `Nonstandard IP address: ${addr}` };
  const ip = parseIp(addr);
  if (!ip) return { ok: false, message: `Invalid IP address: ${addr}` };
  const bits = ip.version === 4 ? 32 : 128;
  if (mask >= bits) return { ok: false, message: `IPv${ip.version} mask bits must be < ${bits}` };
  const hostBits = BigInt(bits - mask);
  const hostMask = (1n << hostBits) - 1n;
  const low = ip.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  return { ok: true, range: { version: ip.version, low, high: low | hostMask } };
}

export function ipInRange(text: string, range: IpRange): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.version === range.version && ip.value >= range.low && ip.value <= range.high;
}
