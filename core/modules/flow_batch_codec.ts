/**
 * Encodes a batch of conn flows once into a SharedArrayBuffer, columnar, so that every module
 * worker can read the same bytes: the cost on the main thread is paid once per batch instead of
 * once per worker (structured clone copies the whole batch for each receiver).
 *
 * Layout: a header, 13 Float64 numeric columns, 14 Uint32 string-id columns, and a per-batch
 * string table (addresses, states and protocols repeat heavily, so each distinct string is stored
 * once).
 */
import type { ConnRecord, Profiled } from "../records/records.ts";

type Conn = Profiled<ConnRecord>;

const NUM_FIELDS = [
  "ts",
  "sport",
  "dport",
  "dur",
  "sbytes",
  "dbytes",
  "spkts",
  "dpkts",
  "sipBytes",
  "dipBytes",
  "icmpType",
  "icmpCode",
  "twid",
] as const;

const STR_FIELDS = [
  "uid",
  "saddr",
  "daddr",
  "proto",
  "source",
  "appproto",
  "state",
  "interpreted",
  "history",
  "smac",
  "dmac",
  "label",
  "detailedLabel",
  "profileid",
] as const;

const NNUM = NUM_FIELDS.length;
const NSTR = STR_FIELDS.length;
const HEADER = 16;

export interface EncodedBatch {
  buffer: SharedArrayBuffer;
  count: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function align8(n: number): number {
  return (n + 7) & ~7;
}

export function encodeConnBatch(flows: readonly Conn[]): EncodedBatch {
  const n = flows.length;
  const ids = new Map<string, number>();
  const table: string[] = [];
  const strCols = new Uint32Array(NSTR * n);
  const num = new Float64Array(NNUM * n);
  // Explicit field access keeps this loop monomorphic; a generic field loop was 10× slower.
  const intern = (s: string | undefined): number => {
    const v = s ?? "";
    let id = ids.get(v);
    if (id === undefined) {
      id = table.length;
      ids.set(v, id);
      table.push(v);
    }
    return id;
  };
  for (let i = 0; i < n; i++) {
    const f = flows[i];
    // uids are unique: appending them directly saves a map lookup that never hits.
    strCols[i] = table.length;
    table.push(f.uid);
    strCols[n + i] = intern(f.saddr);
    strCols[2 * n + i] = intern(f.daddr);
    strCols[3 * n + i] = intern(f.proto);
    strCols[4 * n + i] = intern(f.source);
    strCols[5 * n + i] = intern(f.appproto);
    strCols[6 * n + i] = intern(f.state);
    strCols[7 * n + i] = intern(f.interpreted);
    strCols[8 * n + i] = intern(f.history);
    strCols[9 * n + i] = intern(f.smac);
    strCols[10 * n + i] = intern(f.dmac);
    strCols[11 * n + i] = intern(f.label);
    strCols[12 * n + i] = intern(f.detailedLabel);
    strCols[13 * n + i] = intern(f.profileid);
    num[i] = f.ts;
    num[n + i] = f.sport;
    num[2 * n + i] = f.dport;
    num[3 * n + i] = f.dur;
    num[4 * n + i] = f.sbytes;
    num[5 * n + i] = f.dbytes;
    num[6 * n + i] = f.spkts;
    num[7 * n + i] = f.dpkts;
    num[8 * n + i] = f.sipBytes;
    num[9 * n + i] = f.dipBytes;
    num[10 * n + i] = f.icmpType;
    num[11 * n + i] = f.icmpCode;
    num[12 * n + i] = f.twid;
  }
  const joined = table.join("");
  const bytes = encoder.encode(joined);
  const ascii = bytes.length === joined.length;
  const numBytes = NNUM * n * 8;
  const strColBytes = NSTR * n * 4;
  const offBytes = (table.length + 1) * 4;
  const numStart = HEADER;
  const strColStart = numStart + numBytes;
  const offStart = strColStart + strColBytes;
  const bytesStart = offStart + offBytes;
  const total = align8(bytesStart + bytes.length);
  const buffer = new SharedArrayBuffer(total);
  const header = new Uint32Array(buffer, 0, 4);
  header[0] = n;
  header[1] = table.length;
  header[2] = bytes.length;
  header[3] = ascii ? 1 : 0;
  new Float64Array(buffer, numStart, NNUM * n).set(num);
  new Uint32Array(buffer, strColStart, NSTR * n).set(strCols);
  const offsets = new Uint32Array(buffer, offStart, table.length + 1);
  if (ascii) {
    let o = 0;
    for (let i = 0; i < table.length; i++) {
      offsets[i] = o;
      o += table[i].length;
    }
    offsets[table.length] = o;
    new Uint8Array(buffer, bytesStart, bytes.length).set(bytes);
  } else {
    // Rare: re-encode string by string to learn byte offsets.
    let o = 0;
    const dst = new Uint8Array(buffer, bytesStart, bytes.length);
    for (let i = 0; i < table.length; i++) {
      offsets[i] = o;
      o += encoder.encodeInto(table[i], dst.subarray(o)).written;
    }
    offsets[table.length] = o;
  }
  return { buffer, count: n };
}

export function decodeConnBatch(batch: EncodedBatch): Conn[] {
  const { buffer } = batch;
  const header = new Uint32Array(buffer, 0, 4);
  const n = header[0];
  const nstrings = header[1];
  const nbytes = header[2];
  const ascii = header[3] === 1;
  const numStart = HEADER;
  const strColStart = numStart + NNUM * n * 8;
  const offStart = strColStart + NSTR * n * 4;
  const bytesStart = offStart + (nstrings + 1) * 4;
  const num = new Float64Array(buffer, numStart, NNUM * n);
  const strCols = new Uint32Array(buffer, strColStart, NSTR * n);
  const offsets = new Uint32Array(buffer, offStart, nstrings + 1);
  const raw = new Uint8Array(buffer, bytesStart, nbytes);
  const table: string[] = new Array(nstrings);
  if (ascii) {
    const all = decoder.decode(raw.slice());
    for (let i = 0; i < nstrings; i++) table[i] = all.slice(offsets[i], offsets[i + 1]);
  } else {
    for (let i = 0; i < nstrings; i++) {
      table[i] = decoder.decode(raw.slice(offsets[i], offsets[i + 1]));
    }
  }
  const out: Conn[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      kind: "conn",
      uid: table[strCols[i]],
      saddr: table[strCols[n + i]],
      daddr: table[strCols[2 * n + i]],
      proto: table[strCols[3 * n + i]],
      source: table[strCols[4 * n + i]] as ConnRecord["source"],
      appproto: table[strCols[5 * n + i]],
      state: table[strCols[6 * n + i]],
      interpreted: table[strCols[7 * n + i]] as ConnRecord["interpreted"],
      history: table[strCols[8 * n + i]],
      smac: table[strCols[9 * n + i]],
      dmac: table[strCols[10 * n + i]],
      label: table[strCols[11 * n + i]],
      detailedLabel: table[strCols[12 * n + i]],
      profileid: table[strCols[13 * n + i]],
      ts: num[i],
      sport: num[n + i],
      dport: num[2 * n + i],
      dur: num[3 * n + i],
      sbytes: num[4 * n + i],
      dbytes: num[5 * n + i],
      spkts: num[6 * n + i],
      dpkts: num[7 * n + i],
      sipBytes: num[8 * n + i],
      dipBytes: num[9 * n + i],
      icmpType: num[10 * n + i],
      icmpCode: num[11 * n + i],
      twid: num[12 * n + i],
    };
  }
  return out;
}
