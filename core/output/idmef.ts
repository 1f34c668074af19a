/** IDMEFv2 (version 2.0.3) records for alerts.json: evidence as Events, alerts as Incidents. */
import type { Evidence, EvidenceEntity } from "../evidence/evidence.ts";
import { confidenceLabel, idmefSeverity } from "../evidence/threat_level.ts";
import type { Alert } from "../database/storage_types.ts";
import { isoTime, localIsoNow } from "./time_format.ts";

export const IDMEF_VERSION = "2.0.3";

export interface IdmefAnalyzer {
  IP: string;
  Name: "Slips";
  Model: string;
  Category: string[];
  Data: string[];
  Method: string[];
}

export interface IdmefEndpoint {
  IP?: string;
  Hostname?: string;
  URL?: string;
  Port?: number[];
  Protocol?: string[];
  Note?: string;
}

export interface IdmefRecord {
  Version: string;
  ID: string;
  Status: "Event" | "Incident";
  Severity?: string;
  StartTime: string;
  CreateTime: string;
  Confidence?: number;
  Description?: string;
  Category?: string[];
  Analyzer: IdmefAnalyzer;
  Source: IdmefEndpoint[];
  Target?: IdmefEndpoint[];
  RelID?: string[];
  CorrelID?: string[];
  Note: string;
}

function analyzer(model: string, method: string): IdmefAnalyzer {
  return {
    IP: "0.0.0.0",
    Name: "Slips",
    Model: model,
    Category: ["NIDS"],
    Data: ["Flow", "Network"],
    Method: [method],
  };
}

function endpoint(e: EvidenceEntity, port: number | undefined, proto: string | undefined) {
  const out: IdmefEndpoint = {};
  if (e.iocType === "DOMAIN") out.Hostname = e.value;
  else if (e.iocType === "URL") out.URL = e.value;
  else out.IP = e.value;
  if (port !== undefined && port >= 0) out.Port = [port];
  if (proto) out.Protocol = [proto.toUpperCase()];
  if (e.enrichment && Object.keys(e.enrichment).length > 0) out.Note = JSON.stringify(e.enrichment);
  return out;
}

export function evidenceToIdmef(
  e: Evidence,
  description: string,
  accumulated: number,
  model: string,
  now = new Date(),
): IdmefRecord {
  const rec: IdmefRecord = {
    Version: IDMEF_VERSION,
    ID: e.id,
    Status: "Event",
    Severity: idmefSeverity(e.threatLevel),
    StartTime: isoTime(e.ts),
    CreateTime: localIsoNow(now),
    Confidence: e.confidence,
    Description: description,
    Analyzer: analyzer(model, e.method ?? "Heuristic"),
    Source: [endpoint(e.attacker, e.attacker.direction === "SRC" ? e.srcPort : e.dstPort, e.proto)],
    Note: JSON.stringify({
      evidence_type: e.evidenceType,
      attacker: e.attacker.value,
      attacker_direction: e.attacker.direction,
      victim: e.victim?.value ?? "",
      timewindow: e.twid,
      profile: e.profileIp,
      threat_level: e.threatLevel,
      confidence: e.confidence,
      confidence_label: confidenceLabel(e.confidence),
      accumulated_threat_level: Math.round(accumulated * 1e6) / 1e6,
      uids: e.uids,
      module: e.module,
    }),
  };
  if (e.victim) {
    rec.Target = [
      endpoint(e.victim, e.victim.direction === "DST" ? e.dstPort : e.srcPort, undefined),
    ];
  }
  if (e.relIds?.length) rec.RelID = [...e.relIds];
  return rec;
}

export function alertToIdmef(a: Alert, model: string, now = new Date()): IdmefRecord {
  return {
    Version: IDMEF_VERSION,
    ID: a.id,
    Status: "Incident",
    StartTime: isoTime(a.twStart),
    CreateTime: localIsoNow(now),
    Analyzer: analyzer(model, "Heuristic"),
    Source: [{ IP: a.profileIp }],
    CorrelID: [...a.correlIds],
    Note: JSON.stringify({
      accumulated_threat_level: Math.round(a.accumulatedThreat * 1e6) / 1e6,
      timewindow: a.twid,
      EndTime: isoTime(a.twEnd),
    }),
  };
}
