import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where PeopleFlow may send webhooks (SSRF protection): http(s) only, and never to loopback,
 * private, link-local or otherwise non-public addresses unless the operator allows the host
 * (`--webhook-allow-hosts`, `*` for any). The check runs on every connection's resolved address,
 * so a name that later resolves somewhere private is still refused.
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

  /** Whether an address may be connected to for `host`. */
  addressAllowed(host: string, address: string): boolean {
    if (this.hostAllowed(host) || this.allowed.has(address)) return true;
    if (!ipaddr.isValid(address)) return false;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
      parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    return parsed.range() === 'unicast';
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
          callback(
            Object.assign(
              new Error(
                `${host} resolves only to addresses webhooks may not reach (loopback, private, link-local); allow it with --webhook-allow-hosts`,
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
