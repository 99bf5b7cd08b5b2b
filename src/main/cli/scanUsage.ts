/** Kept apart from the command so the CLI's usage text does not load the parsers. */
export const SCAN_USAGE = `scan <dir> [--lang python|typescript|auto] [--entry GLOB]... [--call NAME]... [--startup MODULE:FUNCTION]... [--format text|json|sarif] [--scenario FILE]
  Finds calls that fetch or create a per-user resource at import time (and from declared start-up functions),
  each with the import chains from the entry points (test files by default) that load it. See docs/scan.md.
  Exit: 0 nothing found, 1 something found, 2 bad arguments.`
