import ipaddr from 'ipaddr.js';

/**
 * Which resolved addresses an image URL may reach. Only globally routable unicast addresses are
 * allowed unless private URLs are enabled: loopback, private, link-local (cloud metadata lives at
 * 169.254.169.254), unique-local, CGNAT, multicast and reserved ranges are refused.
 */
export function isAddressAllowed(address: string, allowPrivate: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  if (allowPrivate) return range !== 'unspecified' && range !== 'multicast' && range !== 'broadcast';
  return range === 'unicast';
}
