/**
 * The evidence handler: drops disabled and whitelisted evidence, logs the rest, accumulates the
 * threat of each profile and window, and raises an alert when it reaches the threshold.
 */
import type { Database } from "../database/database.ts";
import type { Alert } from "../database/storage_types.ts";
import type { Evidence } from "./evidence.ts";
import type { EvidenceType } from "./evidence_type.ts";
import { threatValue } from "./threat_level.ts";

/** Confidence of an alert grows linearly from 4.8 to 26 accumulated threat (not clipped). */
export function alertConfidence(accumulated: number): number {
  return (accumulated - 4.8) / (26 - 4.8);
}

/** Evidence adds to the score unless it is INFO or its attacker is the destination side. */
export function countsTowardsAlert(e: Evidence): boolean {
  return e.threatLevel !== "info" && e.attacker.direction === "SRC";
}

export interface EvidenceSink {
  evidence(e: Evidence, description: string, accumulated: number, extra: string): void;
  alert(a: Alert, evidence: Evidence[]): void;
}

export interface EvidenceHandlerOptions {
  db: Database;
  /** Alert threshold: evidence_detection_threshold × width / 60. */
  threshold: number;
  twWidth: number;
  /** Start of window 1 (the first flow's time). */
  firstTs: () => number;
  disabled: ReadonlySet<EvidenceType | string>;
  /** True when the evidence must be discarded (whitelist, ignore type alerts|both). */
  isWhitelisted?: (e: Evidence) => boolean;
  sink: EvidenceSink;
}

interface WindowState {
  accumulated: number;
  /** Evidence of this window not yet part of an alert (all SRC-side, INFO included). */
  pending: Evidence[];
  lastTs: number;
}

/** Cache namespaces (filled by ip_info) shown after an evidence line, with their labels. */
const ENRICHMENT: [string, string][] = [["ip_asn", ""], ["ip_rdns", "rDNS: "], ["ip_sni", "SNI: "]];

export interface EvidenceStats {
  received: number;
  disabled: number;
  whitelisted: number;
  logged: number;
  alerts: number;
}

export class EvidenceHandler {
  #windows = new Map<string, WindowState>();
  readonly stats: EvidenceStats = {
    received: 0,
    disabled: 0,
    whitelisted: 0,
    logged: 0,
    alerts: 0,
  };

  constructor(private readonly o: EvidenceHandlerOptions) {}

  async start(): Promise<void> {
    await this.o.db.subscribe(
      "evidence_added",
      "evidence_handler",
      (batch) => this.handleBatch(batch),
    );
    await this.o.db.subscribe("tw_closed", "evidence_handler", (batch) => {
      for (const tw of batch) this.#windows.delete(`${tw.ip}_${tw.twid}`);
      // Modules got the same message; what they raise for the window afterwards is still handled.
      return Promise.all(batch.map((tw) => this.o.db.closeTimeWindow(tw.ip, tw.twid))).then(
        () => {},
      );
    });
  }

  /**
   * Enrichment other parts cached (AS, rDNS, SNI) for every IP of a batch, looked up once per
   * distinct IP and all in parallel: a batch of evidence usually names few hosts many times.
   */
  async #enrichment(batch: Evidence[]): Promise<Map<string, string[]>> {
    const ips = new Set<string>();
    for (const e of batch) {
      if (e.attacker.iocType === "IP") ips.add(e.attacker.value);
      if (e.victim?.iocType === "IP") ips.add(e.victim.value);
    }
    const list = [...ips];
    const looked = await Promise.all(
      list.map((ip) => Promise.all(ENRICHMENT.map(([ns]) => this.o.db.cacheGet(ns, ip)))),
    );
    const out = new Map<string, string[]>();
    list.forEach((ip, i) => {
      const facts: string[] = [];
      looked[i].forEach((v, k) => {
        if (v) facts.push(`${ENRICHMENT[k][1]}${v}`);
      });
      if (facts.length) out.set(ip, facts);
    });
    return out;
  }

  #extra(e: Evidence, known: Map<string, string[]>): string {
    const parts: string[] = [];
    for (const side of [e.attacker, e.victim]) {
      if (!side || side.iocType !== "IP") continue;
      const facts = [...(known.get(side.value) ?? [])];
      for (const [k, v] of Object.entries(side.enrichment ?? {})) facts.push(`${k}: ${v}`);
      if (facts.length) parts.push(`IP ${side.value}: ${facts.join(", ")}`);
    }
    return parts.join(", ");
  }

  async handle(e: Evidence): Promise<void> {
    await this.handleBatch([e]);
  }

  /**
   * Handles evidence in arrival order. Storage writes of the batch are issued without waiting
   * for each (the local window state is what decides), and awaited together at the end.
   */
  async handleBatch(batch: Evidence[]): Promise<void> {
    const { db, disabled, isWhitelisted, sink } = this.o;
    const writes: Promise<unknown>[] = [];
    let known: Map<string, string[]> | undefined;
    for (const e of batch) {
      this.stats.received++;
      if (disabled.has(e.evidenceType)) {
        this.stats.disabled++;
        writes.push(db.deleteEvidence(e.profileIp, e.twid, e.id));
        continue;
      }
      if (isWhitelisted?.(e)) {
        this.stats.whitelisted++;
        writes.push(db.deleteEvidence(e.profileIp, e.twid, e.id));
        continue;
      }
      const key = `${e.profileIp}_${e.twid}`;
      let w = this.#windows.get(key);
      if (!w) {
        w = {
          accumulated: await db.getAccumulatedThreat(e.profileIp, e.twid),
          pending: [],
          lastTs: 0,
        };
        this.#windows.set(key, w);
      }
      if (e.ts > w.lastTs) w.lastTs = e.ts;
      if (countsTowardsAlert(e)) {
        w.accumulated += threatValue(e.threatLevel) * e.confidence;
        writes.push(db.setAccumulatedThreat(e.profileIp, e.twid, w.accumulated));
      }
      if (e.attacker.direction === "SRC") w.pending.push(e);
      const description = `${e.description.trimEnd()} Threat level: ${e.threatLevel}.`;
      this.stats.logged++;
      known ??= await this.#enrichment(batch);
      sink.evidence(e, description, w.accumulated, this.#extra(e, known));
      // An alert when the accumulated threat reaches the threshold; the sum then restarts.
      if (w.accumulated >= this.o.threshold) {
        await Promise.all(writes.splice(0));
        await this.#alert(e, w);
      }
    }
    await Promise.all(writes);
  }

  async #alert(last: Evidence, w: WindowState): Promise<void> {
    const { db, twWidth } = this.o;
    const t0 = this.o.firstTs();
    const twStart = t0 + (last.twid - 1) * twWidth;
    const alert: Alert = {
      id: crypto.randomUUID(),
      profileIp: last.profileIp,
      twid: last.twid,
      twStart,
      twEnd: twStart + twWidth,
      accumulatedThreat: w.accumulated,
      threatLevel: "critical",
      confidence: alertConfidence(w.accumulated),
      correlIds: w.pending.map((e) => e.id),
      lastFlowTs: w.lastTs,
      createdAt: Date.now(),
    };
    const evidence = w.pending;
    w.pending = [];
    w.accumulated = 0;
    this.stats.alerts++;
    await db.setAccumulatedThreat(last.profileIp, last.twid, 0);
    await db.addAlert(alert);
    await db.setProfileField(last.profileIp, "alerted", "yes");
    this.o.sink.alert(alert, evidence);
    await db.publish("new_alert", alert);
  }
}
