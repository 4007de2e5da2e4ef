import type ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** The address itself, or the IPv4 address an IPv4-mapped (::ffff:a.b.c.d) one stands for, which is where a socket connects. */
export function unwrapMapped(address: IpAddress): IpAddress {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

/** The ranges a call out of this instance may reach only when allow-listed, in words for the refusal. */
const described: Record<string, string> = {
  unspecified: 'the unspecified address',
  loopback: 'a loopback address, this host itself',
  private: 'a private address (RFC 1918)',
  uniqueLocal: 'a private address (IPv6 unique local, fc00::/7)',
  linkLocal: 'a link-local address (169.254.0.0/16, fe80::/10), where cloud metadata services answer',
  carrierGradeNat: 'a shared address (100.64.0.0/10), where some cloud metadata services answer',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
};

/**
 * Why an address is not one to call, or null for a public unicast address.
 * Anything ipaddr.js does not class as unicast is refused, the special
 * purpose ranges (documentation, benchmarking, 6to4, NAT64…) included, and
 * an IPv4-compatible IPv6 address (::a.b.c.d), which is deprecated and has
 * no business naming a peer.
 */
export function refusedRange(address: IpAddress): string | null {
  const target = unwrapMapped(address);
  const range = target.range();
  const ipv4Compatible = target.kind() === 'ipv6' && (target as ipaddr.IPv6).parts.slice(0, 6).every((part) => part === 0);
  if (range === 'unicast') return ipv4Compatible ? 'an IPv4-compatible IPv6 address (::a.b.c.d, deprecated)' : null;
  return described[range] ?? `a special-purpose address (${range})`;
}
