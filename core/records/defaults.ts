import type { ConnRecord, RecordSource } from "./records.ts";

/** A conn record with every field at its empty value; readers fill in what they know. */
export function emptyConn(source: RecordSource): ConnRecord {
  return {
    kind: "conn",
    uid: "",
    ts: 0,
    saddr: "",
    daddr: "",
    sport: 0,
    dport: 0,
    proto: "",
    source,
    appproto: "",
    dur: 0,
    sbytes: 0,
    dbytes: 0,
    spkts: 0,
    dpkts: 0,
    sipBytes: 0,
    dipBytes: 0,
    state: "",
    interpreted: "Not Established",
    history: "",
    smac: "",
    dmac: "",
    icmpType: -1,
    icmpCode: -1,
  };
}
