import type { EvidenceType } from "./evidence_type.ts";
import type { ThreatLevel } from "./threat_level.ts";

export type Direction = "SRC" | "DST";
export type IocType = "IP" | "DOMAIN" | "URL" | "MD5";

/** One side of an evidence: who did it, or to whom. */
export interface EvidenceEntity {
  direction: Direction;
  iocType: IocType;
  value: string;
  /** Enrichment shown in alerts (AS, rDNS, SNI, MAC vendor, TI source, …), filled by ip_info. */
  enrichment?: Record<string, string>;
}

/** What a detection module hands to the evidence handler. */
export interface EvidenceInput {
  evidenceType: EvidenceType;
  attacker: EvidenceEntity;
  victim?: EvidenceEntity;
  threatLevel: ThreatLevel;
  /** 0..1; stored capped at 1. */
  confidence: number;
  /** The IP whose profile the evidence is filed under (defaults to the attacker's IP). */
  profileIp: string;
  /** Time-window number of the triggering flow in that profile. */
  twid: number;
  /** Flow time, unix seconds. */
  ts: number;
  /** A sentence a person understands at a glance: what, who, to whom, how much. */
  description: string;
  /** uids of the flows behind the evidence. */
  uids: string[];
  proto?: string;
  srcPort?: number;
  dstPort?: number;
  /** IDMEFv2 method: Heuristic by default. */
  method?: "Heuristic" | "AI" | "Statistical" | "Signature";
  /** ids of linked evidence (paired evidence). */
  relIds?: string[];
  /** A caller-chosen id, so paired evidence can point at each other; a uuid is made when absent. */
  id?: string;
}

/** Evidence as stored: with its id and the module that raised it. */
export interface Evidence extends EvidenceInput {
  id: string;
  module: string;
}
