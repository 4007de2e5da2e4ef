import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { refusedRange } from './address-ranges.js';
import { OutboundAllow } from './outbound-allow.js';

/** A call the guard does not let out: its message says why and how to allow it, and is safe to show. */
export class OutboundRefusal extends Error {
  override readonly name = 'OutboundRefusal';
}

/** The address a call connects to, once checked. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/** Every address a host name has; injectable so that tests can stand in for DNS. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

const resolveWithSystem: ResolveHost = (hostname) => lookup(hostname, { all: true, verbatim: true });

const HOW_TO_ALLOW = 'to call it anyway, add the host or its address to --outbound-allow / LOCKSTEP_OUTBOUND_ALLOW';

/**
 * The one check every call out of this instance passes (peers, attachment
 * transfers, webhooks): http or https only, and a host that resolves only
 * to public addresses, unless the instance allow-lists it. Every address
 * of the host is checked, so a name with one public and one internal
 * address is refused; the call then connects to the checked address
 * itself (outboundRequest), so a second lookup that answers otherwise (DNS
 * rebinding) is never made.
 */
export class OutboundGuard {
  private readonly allow: OutboundAllow;

  constructor(
    allowEntries: readonly string[],
    private readonly resolve: ResolveHost = resolveWithSystem,
  ) {
    this.allow = new OutboundAllow(allowEntries);
  }

  /** The address to connect to; throws OutboundRefusal, or the resolver's error when the host has no address. */
  async check(url: URL): Promise<CheckedAddress> {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefusal(`${url.protocol} URLs are not called; give an http:// or https:// URL`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = isIP(host);
    const addresses: LookupAddress[] = literal === 0 ? await this.resolve(host) : [{ address: host, family: literal }];
    const [first] = addresses;
    if (!first) throw new Error(`${host} resolves to no address`);
    if (literal === 0 && this.allow.allowsHost(host)) return { address: first.address, family: first.family === 6 ? 6 : 4 };
    for (const { address } of addresses) {
      const parsed = ipaddr.parse(address);
      const refused = refusedRange(parsed);
      if (refused !== null && !this.allow.allowsAddress(parsed)) {
        const what = literal === 0 ? `${host} resolves to ${address}, which is` : `${host} is`;
        throw new OutboundRefusal(`${what} ${refused}; ${HOW_TO_ALLOW}`);
      }
    }
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}
