import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { unwrapMapped, type IpAddress } from './address-ranges.js';

/** `[::1]` is written as a URL writes it; the brackets are not part of the address. */
function unbracketed(entry: string): string {
  return entry.replace(/^\[(.*)\]$/, '$1');
}

const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?)*$/;

/** One entry of --outbound-allow: a host name, an IP address or a CIDR range, lower case. */
export const outboundAllowEntry = z
  .string()
  .refine((entry) => hostName.test(entry) || isIP(unbracketed(entry)) !== 0 || ipaddr.isValidCIDR(entry), 'each entry is a host name, an IP address or a CIDR range, like peer.internal, 127.0.0.1 or 10.0.0.0/8');

/**
 * The instance's exceptions to the outbound guard. A host name admits
 * whatever it resolves to (it is the admin's name to vouch for); an address
 * or a range admits the addresses in it, an IPv4-mapped IPv6 address being
 * taken for the IPv4 address it stands for.
 */
export class OutboundAllow {
  private readonly hosts = new Set<string>();
  private readonly ranges: [IpAddress, number][] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries.map(unbracketed)) {
      if (isIP(entry) !== 0) {
        const address = unwrapMapped(ipaddr.parse(entry));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (ipaddr.isValidCIDR(entry)) {
        this.ranges.push(ipaddr.parseCIDR(entry));
      } else {
        this.hosts.add(entry);
      }
    }
  }

  /** Whether the URL's host, as written (a host name, lower case), is allow-listed. */
  allowsHost(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase());
  }

  allowsAddress(address: IpAddress): boolean {
    const target = unwrapMapped(address);
    return this.ranges.some(([base, bits]) => base.kind() === target.kind() && target.match(base, bits));
  }
}
