import { CORE_CHANNELS } from "./channels.ts";

/** Known channel names: the core ones plus those registered by modules. */
export class ChannelRegistry {
  #custom = new Map<string, string>();

  register(name: string, description: string): void {
    if (!/^[A-Za-z0-9_:.-]+$/.test(name)) {
      throw new Error(
        `The channel name "${name}" is not valid: use letters, digits, '_', ':', '.' or '-'.`,
      );
    }
    if (!Object.hasOwn(CORE_CHANNELS, name) && !this.#custom.has(name)) {
      this.#custom.set(name, description);
    }
  }

  has(name: string): boolean {
    return Object.hasOwn(CORE_CHANNELS, name) || this.#custom.has(name);
  }

  assertKnown(name: string): void {
    if (!this.has(name)) {
      throw new Error(
        `There is no channel named "${name}". Subscribe to a core channel (see core/database/channels.ts) or register it first with registerChannel().`,
      );
    }
  }

  names(): string[] {
    return [...Object.keys(CORE_CHANNELS), ...this.#custom.keys()];
  }
}
