import { isAddressAllowed } from './address.policy.js';

// [address, what it is, allowed by default, allowed with FOCAL_ALLOW_PRIVATE_URLS=true]
const TABLE: [string, string, boolean, boolean][] = [
  ['8.8.8.8', 'public IPv4', true, true],
  ['1.1.1.1', 'public IPv4', true, true],
  ['2606:4700::1111', 'public IPv6', true, true],
  ['2001:4860:4860::8888', 'public IPv6', true, true],
  ['127.0.0.1', 'IPv4 loopback', false, true],
  ['127.255.255.254', 'IPv4 loopback range', false, true],
  ['::1', 'IPv6 loopback', false, true],
  ['10.0.0.1', 'RFC 1918 10/8', false, true],
  ['10.255.255.255', 'RFC 1918 10/8, top', false, true],
  ['172.16.0.1', 'RFC 1918 172.16/12', false, true],
  ['172.31.255.254', 'RFC 1918 172.16/12, top', false, true],
  ['172.32.0.1', 'just above 172.16/12 (public)', true, true],
  ['192.168.1.1', 'RFC 1918 192.168/16', false, true],
  ['169.254.169.254', 'link-local (cloud metadata)', false, true],
  ['100.64.0.1', 'CGNAT 100.64/10', false, true],
  ['100.127.255.254', 'CGNAT 100.64/10, top', false, true],
  ['fc00::1', 'IPv6 unique-local', false, true],
  ['fd12:3456:789a::1', 'IPv6 unique-local (fd)', false, true],
  ['fe80::1', 'IPv6 link-local', false, true],
  ['::ffff:127.0.0.1', 'IPv4-mapped loopback', false, true],
  ['::ffff:10.1.2.3', 'IPv4-mapped private', false, true],
  ['::ffff:8.8.8.8', 'IPv4-mapped public', true, true],
  ['0.0.0.0', 'IPv4 unspecified', false, false],
  ['::', 'IPv6 unspecified', false, false],
  ['224.0.0.1', 'IPv4 multicast', false, false],
  ['ff02::1', 'IPv6 multicast', false, false],
  ['255.255.255.255', 'IPv4 broadcast', false, false],
];

describe('isAddressAllowed', () => {
  it.each(TABLE)('%s (%s): default %p, allowPrivate %p', (address, _what, byDefault, withPrivate) => {
    expect(isAddressAllowed(address, false)).toBe(byDefault);
    expect(isAddressAllowed(address, true)).toBe(withPrivate);
  });

  it.each(['127.1', '0x7f000001', '2130706433', '0177.0.0.1', '0x7f.0.0.1'])(
    'reads the inet_aton spelling %j as the loopback address it is, and refuses it by default',
    (address) => {
      expect(isAddressAllowed(address, false)).toBe(false);
      expect(isAddressAllowed(address, true)).toBe(true);
    },
  );

  it.each(['', 'localhost', 'example.com', '256.1.1.1', '1.2.3.4.5', '::gg', '[::1]', '127.0.0.1:80', ' 8.8.8.8'])(
    'refuses %j, which is not an IP address, whatever the setting',
    (address) => {
      expect(isAddressAllowed(address, false)).toBe(false);
      expect(isAddressAllowed(address, true)).toBe(false);
    },
  );
});
