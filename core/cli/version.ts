/** The program's version, shown by -V and written into every output. */
export const VERSION = "0.1.0";
