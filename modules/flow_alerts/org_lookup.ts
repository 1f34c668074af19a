/**
 * The large organisations (google, microsoft, apple, facebook, twitter) as the whitelist knows
 * them: the same `config/organizations/<org>.txt` data files, so one edit there serves both.
 */
import {
  listOrganizations,
  loadOrganizationSync,
  type OrganizationData,
  OrganizationIndex,
} from "@slips/core/whitelist/mod.ts";

/** What flow_alerts asks about organisations. */
export interface OrgLookup {
  /** Lower-case names of the known organisations (also the keywords certificates are checked for). */
  readonly names: ReadonlySet<string>;
  orgsOfIp(ip: string): readonly string[];
  orgsOfDomain(domain: string): readonly string[];
}

/** Where the data files are, relative to the program's home directory. */
export const ORGANIZATIONS_DIR = "config/organizations";

/**
 * Loads every organisation file in `dir`. Problems (a missing directory, bad lines) are passed
 * to `report`; the organisations that did load are still used.
 */
export function loadOrgLookup(dir: string, report: (message: string) => void): OrgLookup {
  const orgs: OrganizationData[] = [];
  const names = listOrganizations(dir);
  if (names.length === 0) {
    report(
      `No organisation data in ${dir}: connections and certificates of google, microsoft, apple, facebook and twitter will not be recognised. Restore the <org>.txt files there.`,
    );
  }
  for (const name of names) {
    const org = loadOrganizationSync(dir, name, (p) => report(`${p.file}:${p.line}: ${p.message}`));
    if (org) orgs.push(org);
  }
  return new OrganizationIndex(orgs);
}
