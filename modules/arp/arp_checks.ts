/** Single-record ARP checks: requests leaving the local network, unsolicited and spoofing replies. */
import type { ArpRecord } from "@slips/core";
import { isIpv4, isLinkLocal, isMulticast, isRfc1918 } from "@slips/core";

const BROADCAST = "ff:ff:ff:ff:ff:ff";
const ZERO = "00:00:00:00:00:00";

/**
 * ARP_OUTSIDE_LOCALNET: a request for an IPv4 address that is not private, multicast or
 * link-local and whose first octet differs from the requester's. Slips compares text prefixes,
 * so 1.x asking for 10.x passes; we compare whole octets.
 */
export function isOutsideLocalnet(r: ArpRecord): boolean {
  if (!r.operation.includes("request")) return false;
  if (r.saddr === "0.0.0.0" || r.daddr === "0.0.0.0") return false;
  if (!isIpv4(r.saddr) || !isIpv4(r.daddr)) return false;
  if (isMulticast(r.daddr) || isLinkLocal(r.daddr) || isRfc1918(r.daddr)) return false;
  return r.saddr.split(".")[0] !== r.daddr.split(".")[0];
}

/** UNSOLICITED_ARP: a reply broadcast at Ethernet and ARP level from a real (non-zero) MAC. */
export function isUnsolicitedArp(r: ArpRecord): boolean {
  return r.operation.includes("reply") && r.dmac.toLowerCase() === BROADCAST &&
    r.dstHw.toLowerCase() === BROADCAST &&
    r.smac !== ZERO && r.srcHw !== ZERO;
}

/** A reply whose target hardware address is broadcast or zero announces the sender's own binding. */
export function isGratuitousReply(r: ArpRecord): boolean {
  const hw = r.dstHw.toLowerCase();
  return r.operation.includes("reply") && (hw === BROADCAST || hw === ZERO);
}
