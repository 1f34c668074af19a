/**
 * Traffic on 80/tcp that is not HTTP, and on 443/tcp that is not TLS. A flow the protocol
 * analyser did not recognise is only suspicious when no flow between the same pair within five
 * minutes either side was recognised: analysers miss partial or resumed sessions.
 */
import type { ConnRecord, EvidenceInput, Profiled } from "@slips/core";
import { dstIp, pairIds, srcIp } from "./entities.ts";

/** Traffic seconds either side of a flow in which a recognised flow of the pair vouches for it. */
export const RECOGNITION_WINDOW = 300;

/** Sources whose flows name their application protocol. */
const IDENTIFIES_APPS = new Set(["zeek", "suricata", "pcap"]);

interface Recognised {
  last: number;
  before: number;
}

export class ProtocolOnPort {
  /** saddr → daddr → traffic times of the pair's two latest recognised flows. */
  #recognised = new Map<string, Map<string, Recognised>>();
  #pending: Profiled<ConnRecord>[] = [];
  #head = 0;
  #lastSweep = 0;

  /**
   * @param port the port the protocol owns
   * @param names application-protocol names that mean "it is that protocol" (Zeek, Suricata)
   * @param cap unrecognised flows waiting for a decision at most (the oldest is decided early)
   */
  constructor(readonly port: number, readonly names: readonly string[], readonly cap: number) {}

  /** Whether the analyser named this flow's protocol as ours. */
  recognises(f: ConnRecord): boolean {
    if (f.appproto === "") return false;
    for (const n of this.names) if (f.appproto.includes(n)) return true;
    return false;
  }

  // NON_HTTP_PORT_80_CONNECTION / NON_SSL_PORT_443_CONNECTION: established TCP with data to the port, not recognised, no recognised flow of the pair within ±300 s.
  isSuspect(f: ConnRecord): boolean {
    return f.dport === this.port && f.proto === "tcp" && f.interpreted === "Established" &&
      f.sbytes + f.dbytes > 0 && IDENTIFIES_APPS.has(f.source) && !this.recognises(f);
  }

  /** Records a recognised flow of the pair. */
  remember(f: ConnRecord): void {
    let byDst = this.#recognised.get(f.saddr);
    if (byDst === undefined) this.#recognised.set(f.saddr, byDst = new Map());
    const r = byDst.get(f.daddr);
    if (r === undefined) byDst.set(f.daddr, { last: f.ts, before: f.ts });
    else if (f.ts > r.last) {
      r.before = r.last;
      r.last = f.ts;
    }
  }

  /**
   * Whether a recognised flow of the pair lies within the window around `f`. Asked when the flow
   * arrives and again as soon as the clock passed its window; flows come in time order, so the
   * two latest recognitions are the ones that can fall in it.
   */
  vouched(f: ConnRecord): boolean {
    const r = this.#recognised.get(f.saddr)?.get(f.daddr);
    if (r === undefined) return false;
    return Math.abs(r.last - f.ts) <= RECOGNITION_WINDOW ||
      Math.abs(r.before - f.ts) <= RECOGNITION_WINDOW;
  }

  /**
   * Holds a suspect until the traffic clock passes its window. Returns the flows the cap forced
   * out early that nothing vouched for so far: they are to be reported.
   */
  hold(f: Profiled<ConnRecord>): Profiled<ConnRecord>[] {
    this.#pending.push(f);
    const early: Profiled<ConnRecord>[] = [];
    while (this.#pending.length - this.#head > this.cap) {
      const old = this.#pending[this.#head++];
      if (!this.vouched(old)) early.push(old);
    }
    return early;
  }

  /** Suspects whose look-ahead window passed at traffic time `clock` unvouched: to be reported. */
  due(clock: number): Profiled<ConnRecord>[] {
    const out: Profiled<ConnRecord>[] = [];
    while (this.#head < this.#pending.length) {
      const f = this.#pending[this.#head];
      if (f.ts + RECOGNITION_WINDOW > clock) break;
      if (!this.vouched(f)) out.push(f);
      this.#head++;
    }
    if (this.#head > 256 && this.#head * 2 > this.#pending.length) {
      this.#pending = this.#pending.slice(this.#head);
      this.#head = 0;
    }
    this.#sweep(clock);
    return out;
  }

  /** Every unvouched suspect still waiting (end of input: the look-ahead is as complete as it gets). */
  all(): Profiled<ConnRecord>[] {
    const out = this.#pending.slice(this.#head).filter((f) => !this.vouched(f));
    this.#pending = [];
    this.#head = 0;
    return out;
  }

  /** Forgets recognitions too old to vouch for anything still to come. */
  #sweep(clock: number): void {
    if (clock - this.#lastSweep < RECOGNITION_WINDOW) return;
    this.#lastSweep = clock;
    // Waiting suspects are younger than one window, so recognitions two windows old serve none.
    const oldest = clock - 2 * RECOGNITION_WINDOW;
    for (const [saddr, byDst] of this.#recognised) {
      for (const [daddr, r] of byDst) if (r.last < oldest) byDst.delete(daddr);
      if (byDst.size === 0) this.#recognised.delete(saddr);
    }
  }
}

export function nonSslEvidence(f: Profiled<ConnRecord>): EvidenceInput[] {
  return [{
    evidenceType: "NON_SSL_PORT_443_CONNECTION",
    attacker: srcIp(f.saddr),
    victim: dstIp(f.daddr),
    threatLevel: "medium",
    confidence: 0.8,
    profileIp: f.saddr,
    twid: f.twid,
    ts: f.ts,
    description: `Non-SSL connection from ${f.saddr} to ${f.daddr} on port 443/TCP.`,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  }];
}

export function nonHttpEvidence(f: Profiled<ConnRecord>): EvidenceInput[] {
  const [a, b] = pairIds();
  const common = {
    evidenceType: "NON_HTTP_PORT_80_CONNECTION" as const,
    confidence: 0.8,
    twid: f.twid,
    ts: f.ts,
    uids: [f.uid],
    proto: f.proto,
    srcPort: f.sport,
    dstPort: f.dport,
  };
  return [
    {
      ...common,
      id: a,
      relIds: [b],
      attacker: srcIp(f.saddr),
      victim: dstIp(f.daddr),
      threatLevel: "low",
      profileIp: f.saddr,
      description: `Non-HTTP connection from ${f.saddr} to ${f.daddr} on port 80/TCP.`,
    },
    {
      ...common,
      id: b,
      relIds: [a],
      attacker: dstIp(f.daddr),
      victim: srcIp(f.saddr),
      threatLevel: "medium",
      profileIp: f.daddr,
      description: `${f.daddr} served a non-HTTP connection on port 80/TCP to ${f.saddr}.`,
    },
  ];
}
