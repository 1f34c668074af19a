/** `slips new-module NAME`: a ready-to-run module from templates/module.ts.tmpl. */
import { join } from "node:path";
import { RunError } from "./run_error.ts";

export interface NewModuleOptions {
  name: string;
  description?: string;
  author?: string;
  modulesDir: string;
  templatesDir: string;
}

function className(name: string): string {
  return name.split(/[_-]+/).filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join("");
}

export function createModule(o: NewModuleOptions): string {
  if (!/^[a-z][a-z0-9_]*$/.test(o.name)) {
    throw new RunError(
      `"${o.name}" is not a valid module name: use lower-case letters, digits and '_', starting with a letter.`,
    );
  }
  const dir = join(o.modulesDir, o.name);
  const file = join(dir, `${o.name}.ts`);
  try {
    Deno.statSync(dir);
    throw new RunError(`The module folder ${dir} already exists; choose another name.`);
  } catch (err) {
    if (err instanceof RunError) throw err;
  }
  let template: string;
  try {
    template = Deno.readTextFileSync(join(o.templatesDir, "module.ts.tmpl"));
  } catch {
    throw new RunError(`The module template ${join(o.templatesDir, "module.ts.tmpl")} is missing.`);
  }
  const author = o.author ?? Deno.env.get("USER") ?? "unknown";
  const description = (o.description ?? `Detections of the ${o.name} module.`).replaceAll('"', "'");
  const text = template
    .replaceAll("{{NAME}}", o.name)
    .replaceAll("{{CLASS}}", className(o.name))
    .replaceAll("{{DESCRIPTION}}", description)
    .replaceAll("{{AUTHOR}}", author.replaceAll('"', "'"));
  Deno.mkdirSync(dir, { recursive: true });
  Deno.writeTextFileSync(file, text);
  return file;
}
