/**
 * MAC address → hardware vendor, from the IEEE registry shipped by the npm package `oui-data`
 * (offline; about 54 000 assignments). The table is 5.6 MB of JSON, so it is loaded only when a
 * module first needs it, never when the core is imported.
 */

/** The hex digits of a MAC in upper case ("50:5b:c2:…" → "505BC2…"), or "" when it is not a MAC. */
export function macHex(mac: string): string {
  const hex = mac.replace(/[:\-.]/g, "").toUpperCase();
  return /^[0-9A-F]{12}$/.test(hex) ? hex : "";
}

/** Broadcast, all-zero and locally administered (randomised) MACs name no vendor and no device. */
export function isUsableMac(mac: string): boolean {
  const hex = macHex(mac);
  if (hex === "" || hex === "000000000000" || hex === "FFFFFFFFFFFF") return false;
  return true;
}

/** A locally administered MAC (phones' per-network random MACs) was not assigned to a vendor. */
export function isLocallyAdministered(mac: string): boolean {
  const hex = macHex(mac);
  return hex !== "" && (parseInt(hex[1], 16) & 2) !== 0;
}

/** Vendor lookups over a registry given as `{ hexPrefix: "Vendor\naddress…" }`. */
export class MacVendorTable {
  readonly #registry: Readonly<Record<string, string>>;

  constructor(registry: Readonly<Record<string, string>>) {
    this.#registry = registry;
  }

  get size(): number {
    return Object.keys(this.#registry).length;
  }

  /** The vendor's name, or undefined for unknown, randomised or malformed MACs. */
  lookup(mac: string): string | undefined {
    const hex = macHex(mac);
    if (hex === "" || !isUsableMac(mac) || isLocallyAdministered(mac)) return undefined;
    // Small blocks (MA-S 36-bit, MA-M 28-bit) are carved out of larger ones, so try them first.
    for (const len of [9, 7, 6]) {
      const entry = this.#registry[hex.slice(0, len)];
      if (entry !== undefined) {
        const name = entry.split("\n", 1)[0].trim();
        return name === "" || name === "Private" ? undefined : name;
      }
    }
    return undefined;
  }
}

let loading: Promise<MacVendorTable> | undefined;

/**
 * The IEEE vendor table, loaded once per process. Resolves to an empty table (every lookup
 * unknown) when the package cannot be loaded, so vendor-based checks degrade instead of failing.
 */
export function loadMacVendors(onError?: (message: string) => void): Promise<MacVendorTable> {
  loading ??= import("oui-data", { with: { type: "json" } }).then(
    (m) => new MacVendorTable(m.default as Record<string, string>),
    (err) => {
      onError?.(
        `The MAC vendor registry (npm package oui-data) could not be loaded, so MAC vendors stay unknown: ${
          err instanceof Error ? err.message : String(err)
        }. Run "deno install" with network access once to fetch it.`,
      );
      loading = undefined;
      return new MacVendorTable({});
    },
  );
  return loading;
}
