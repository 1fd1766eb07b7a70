import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

type Range = readonly [cidr: string, name: string];

/**
 * IPv4 blocks that are not the public internet (the IANA special-purpose registry, plus multicast and
 * the reserved class E). A webhook has no business reaching any of them.
 */
const IPV4_BLOCKED: readonly Range[] = [
  ['0.0.0.0/8', '"this network"'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared address space (carrier-grade NAT)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local (cloud metadata)'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'IETF protocol assignments'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', '6to4 relay anycast'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
  ['255.255.255.255/32', 'broadcast'],
];

/**
 * IPv6 forms that carry an IPv4 address a connection ends up at: judged as that IPv4 address, so
 * `::ffff:127.0.0.1` and `64:ff9b::a9fe:a9fe` are as refused as 127.0.0.1 and 169.254.169.254.
 */
const IPV6_EMBEDDING: readonly Range[] = [
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['64:ff9b::/96', 'NAT64'],
];

/**
 * IPv6 blocks refused outright. Tunnels and translators whose real destination is another network
 * (IPv4-compatible, 6to4, Teredo, local-use NAT64, SIIT) are refused whatever they embed: the
 * address a relay finally reaches is not one this guard can judge.
 */
const IPV6_BLOCKED: readonly Range[] = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::/96', 'IPv4-compatible (deprecated)'],
  ['::ffff:0:0:0/96', 'IPv4-translated (SIIT)'],
  ['64:ff9b:1::/48', 'local-use NAT64'],
  ['100::/64', 'discard-only'],
  ['2001::/32', 'Teredo'],
  ['2001::/23', 'IETF protocol assignments (benchmarking, ORCHID, AMT …)'],
  ['2001:db8::/32', 'documentation'],
  ['2002::/16', '6to4'],
  ['3fff::/20', 'documentation'],
  ['5f00::/16', 'segment routing'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
];

const parseRanges = (ranges: readonly Range[]) =>
  ranges.map(([cidr, name]) => ({ cidr, name, range: ipaddr.parseCIDR(cidr) }));
const V4 = parseRanges(IPV4_BLOCKED);
const V6_EMBEDDING = parseRanges(IPV6_EMBEDDING);
const V6 = parseRanges(IPV6_BLOCKED);
/** Global unicast: an IPv6 address outside it is reserved by the IETF, not on the internet. */
const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

/**
 * Why an address is not a public internet address — `"loopback (127.0.0.0/8)"` — or undefined for a
 * public one (and for text that is not an IP address, which the caller refuses on its own).
 */
export function nonPublicRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') {
    const v4 = parsed as ipaddr.IPv4;
    const hit = V4.find((r) => v4.match(r.range as [ipaddr.IPv4, number]));
    return hit && `${hit.name} (${hit.cidr})`;
  }
  const v6 = parsed as ipaddr.IPv6;
  const embedding = V6_EMBEDDING.find((r) => v6.match(r.range as [ipaddr.IPv6, number]));
  if (embedding) {
    const bytes = v6.toByteArray().slice(12);
    const v4 = new ipaddr.IPv4(bytes).toString();
    const inner = nonPublicRange(v4);
    return inner && `${embedding.name} ${v4}: ${inner}`;
  }
  // The most specific block names the address (Teredo rather than "IETF protocol assignments").
  const hits = V6.filter((r) => v6.match(r.range as [ipaddr.IPv6, number]));
  const hit = hits.sort((a, b) => b.range[1] - a.range[1])[0];
  if (hit) return `${hit.name} (${hit.cidr})`;
  if (!v6.match(GLOBAL_UNICAST)) return 'reserved (outside 2000::/3)';
  return undefined;
}

/**
 * Where PeopleFlow may send webhooks (SSRF protection): http(s) only, and never to loopback,
 * private, link-local or otherwise non-public addresses (see {@link nonPublicRange}) unless the
 * operator allows the host (`--webhook-allow-hosts`, `*` for any). The check runs on every
 * connection's resolved address, so a name that later resolves somewhere private is still refused.
 */
export class TargetGuard {
  private readonly allowAll: boolean;
  private readonly allowed: Set<string>;

  constructor(allowHosts: readonly string[]) {
    this.allowAll = allowHosts.includes('*');
    this.allowed = new Set(allowHosts.map((h) => h.toLowerCase()));
  }

  /** A problem with the URL itself, or undefined. */
  checkUrl(url: string): string | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'is not a valid URL';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
    if (parsed.username || parsed.password) return 'must not carry credentials';
    return undefined;
  }

  private hostAllowed(host: string): boolean {
    return this.allowAll || this.allowed.has(host.toLowerCase().replace(/^\[|\]$/g, ''));
  }

  /** Why connecting to `address` for `host` is refused, or undefined when it is allowed. */
  refusal(host: string, address: string): string | undefined {
    if (this.hostAllowed(host) || this.allowed.has(address.toLowerCase())) return undefined;
    return nonPublicRange(address);
  }

  /** Whether an address may be connected to for `host`. */
  addressAllowed(host: string, address: string): boolean {
    return this.refusal(host, address) === undefined;
  }

  /** A `lookup` for http.request that refuses disallowed addresses (checked after DNS, per connection). */
  lookupFor(host: string): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) {
          callback(error, '', 0);
          return;
        }
        const list = addresses;
        const usable = list.filter((a) => this.addressAllowed(host, a.address));
        if (usable.length === 0) {
          const first = list[0];
          const why = first ? `: ${first.address} is ${this.refusal(host, first.address) ?? 'refused'}` : '';
          callback(
            Object.assign(
              new Error(
                `${host} resolves only to addresses webhooks may not reach (loopback, private, link-local and other non-public ranges)${why}; allow it with --webhook-allow-hosts`,
              ),
              { code: 'EBLOCKED' },
            ),
            '',
            0,
          );
          return;
        }
        const first = usable[0];
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        else if (first) callback(null, first.address, first.family);
      });
    };
  }
}
