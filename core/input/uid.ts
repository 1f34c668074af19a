/** Ids for records whose source gives none (Argus, nfdump, arp.log, …). */

let counter = 0;

/**
 * A run-unique id shaped like Zeek's (a letter and base-36 digits) so that tools treating uids as
 * opaque strings work unchanged.
 */
export function generatedUid(prefix: string): string {
  counter++;
  return prefix + counter.toString(36).padStart(8, "0");
}
