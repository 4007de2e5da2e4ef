import { isIPv4, isIPv6 } from 'node:net';

/** The first four groups of an IPv6 address, in full: `2001:db8::1` is `2001:db8:0:0`. */
function network64(address: string): string {
  const [head = '', tail] = address.split('::', 2);
  const headGroups = head === '' ? [] : head.split(':');
  // An embedded IPv4 address (::ffff:192.0.2.1) stands for two groups; it is at the end, past the first four.
  const tailCount = tail === undefined || tail === '' ? 0 : tail.split(':').reduce((count, group) => count + (group.includes('.') ? 2 : 1), 0);
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - headGroups.length - tailCount }, () => '0');
  const groups = [...headGroups, ...zeros, ...(tail ?? '').split(':')];
  return groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':');
}

/**
 * Who a client is, as far as counting its failed logins goes: its IPv4
 * address, or the /64 network of its IPv6 address (a home or a server gets
 * a whole /64, so counting single addresses would hand an attacker 2^64
 * fresh counts). An IPv4 address mapped into IPv6 is the IPv4 address.
 */
export function clientAddress(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  const bare = address.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (mapped) return mapped[1]!;
  if (isIPv4(bare)) return bare;
  return isIPv6(bare) ? `${network64(bare)}::/64` : bare;
}
