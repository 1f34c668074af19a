/**
 * Builds docs/detections.md from docs/detections/<module>.md (each module's own page) under a
 * short introduction and a table of every evidence type and the module that raises it.
 * Run: deno run -A tools/gen_detections_doc.ts
 */
import { EVIDENCE_TYPES } from "../core/evidence/evidence_type.ts";

const ROOT = new URL("../", import.meta.url);
const ORDER = [
  "network_discovery",
  "flow_alerts",
  "http_analyzer",
  "arp",
  "brute_force_detector",
  "threat_intelligence",
  "ip_info",
  "timeline",
];

/** Which module raises each evidence type, read from the modules' source. */
export function evidenceByModule(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of ORDER) {
    const dir = new URL(`modules/${m}/`, ROOT);
    let text = "";
    for (const e of Deno.readDirSync(dir)) {
      if (e.name.endsWith(".ts")) text += Deno.readTextFileSync(new URL(e.name, dir));
    }
    for (const t of EVIDENCE_TYPES) {
      if (text.includes(`"${t}"`)) out.set(t, [...(out.get(t) ?? []), m]);
    }
  }
  return out;
}

export function renderDetectionsDoc(): string {
  const byType = evidenceByModule();
  const rows = EVIDENCE_TYPES.map((t) => `| \`${t}\` | ${byType.get(t)?.join(", ") ?? "—"} |`);
  const parts = [
    "# Detections",
    "",
    "Every detection, module by module: what it looks at, its rule and threshold, the config key",
    "that changes the threshold, and an example of what it writes. Thresholds and threat levels",
    "follow Slips; where Slips has a known bug, the intended behaviour is implemented and the",
    "module page says so. `[DisabledAlerts] disabled_detections` turns any evidence type off.",
    "",
    "How evidence becomes an alert: `threat level × confidence` (info 0, low 0.2, medium 0.5,",
    "high 0.8, critical 1) is summed per profile and time window, leaving out INFO evidence and",
    "evidence whose attacker is the destination side; at `evidence_detection_threshold × width /",
    "60` (15 by default) an alert is raised and the sum restarts.",
    "",
    "This page is assembled from `docs/detections/<module>.md` by",
    "`deno run -A tools/gen_detections_doc.ts`.",
    "",
    "## Evidence types and the modules that raise them",
    "",
    "Types marked — need something this offline, single-node version does not have (trained",
    "models, active fingerprinting, P2P peers).",
    "",
    "| evidence type | module |",
    "|---|---|",
    ...rows,
    "",
  ];
  for (const m of ORDER) {
    const text = Deno.readTextFileSync(new URL(`docs/detections/${m}.md`, ROOT));
    // Each page's headings move one level down under this page's title.
    parts.push(text.replace(/^(#+) /gm, "#$1 ").trim(), "");
  }
  return parts.join("\n");
}

if (import.meta.main) {
  Deno.writeTextFileSync(new URL("docs/detections.md", ROOT), renderDetectionsDoc());
  console.log("Wrote docs/detections.md.");
}
