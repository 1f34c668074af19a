import { EmbeddedDatabase } from "../../core/database/embedded.ts";
import { databaseSuite } from "./database_suite.ts";

Deno.test("embedded backend passes the database suite", async (t) => {
  await databaseSuite(t, (options) => Promise.resolve(new EmbeddedDatabase(options)));
});
