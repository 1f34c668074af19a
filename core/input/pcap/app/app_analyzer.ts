/**
 * The contract between the connection tracker and an application-protocol analyzer, and the host
 * services an analyzer may use (emitting records, new file ids, software sightings).
 */
import type { FlowRecord, RecordBase, SoftwareRecord } from "../../../records/records.ts";
import type { Connection } from "../connection.ts";

export interface AppAnalyzer {
  /**
   * Delivers in-order stream bytes (TCP) or one datagram (UDP). The bytes are a view into a
   * reused buffer: an analyzer that keeps them must copy.
   */
  data(isOrig: boolean, buf: Uint8Array, off: number, len: number, ts: number): void;
  /** `len` bytes of the stream will never arrive. */
  gap(isOrig: boolean, len: number): void;
  /** The connection is over: emit whatever is pending. */
  end(ts: number): void;
  /** True once the analyzer needs no more data (the engine then stops reassembling). */
  readonly done: boolean;
}

export interface AnalyzerHost {
  emit(r: FlowRecord): void;
  /** A new Zeek-style file id ("F…"). */
  newFileId(): string;
  /** Reports software seen on a host; the host decides whether it is new. */
  software(
    ts: number,
    host: string,
    port: number,
    softwareType: string,
    unparsed: string,
  ): void;
}

/** The record fields every per-connection record shares, taken from the connection. */
export function connBase(c: Connection, ts: number): RecordBase {
  return {
    uid: c.uid,
    ts,
    saddr: c.saddr,
    daddr: c.daddr,
    sport: c.sport,
    dport: c.dport,
    proto: c.proto === 6 ? "tcp" : c.proto === 17 ? "udp" : "icmp",
    source: "pcap",
  };
}

export type { SoftwareRecord };
