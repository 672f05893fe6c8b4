/**
 * The anonymous rule, as in Mosquitto 2: without a users file the broker
 * accepts anonymous clients only on a loopback address, unless the operator
 * says otherwise (MQTT_ALLOW_ANONYMOUS=true).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AccessMode =
  /** Every client logs in (users file or a custom authenticate hook). */
  | 'authenticated'
  /** Anonymous, reachable from this machine only. */
  | 'anonymous-loopback'
  /** Anonymous on a network address, because the operator allowed it. */
  | 'anonymous-allowed'
  /** Anonymous on a network address without permission: do not start. */
  | 'refused';

export function accessMode(options: { host: string; authenticated: boolean; allowAnonymous: boolean }): AccessMode {
  if (options.authenticated) return 'authenticated';
  if (isLoopbackHost(options.host)) return 'anonymous-loopback';
  return options.allowAnonymous ? 'anonymous-allowed' : 'refused';
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 (in any spelling, IPv4-mapped too) and `localhost`; anything else, other names included, is reachable from outside. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return LOOPBACK.check(h, 'ipv4');
  if (isIPv6(h)) return LOOPBACK.check(h, 'ipv6');
  return false;
}
