/**
 * How much a data file (a scenario, a universe, a recorded trace) may hold: its size, its nesting,
 * its YAML tokens and aliases. Each bound keeps reading it, and whatever walks its data later,
 * from running out of time, stack or memory.
 */

/** The most a data file (scenario, universe, recorded trace) may hold; larger ones are refused unread. */
export const MAX_DATA_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_DATA_FILE_TEXT = '16 MiB';
/** The deepest nesting of lists and maps in a data file, as QEMU's JSON parser allows (MAX_NESTING). */
export const MAX_NESTING = 1024;
/** A YAML anchor may be used this often (times the aliases inside it); more is an alias bomb. */
export const MAX_ALIAS_COUNT = 100;
/** What a file's data may add up to, counted as if written out (aliases expanded). */
export const MAX_EXPANDED_SIZE = 2 * MAX_DATA_FILE_BYTES;
export const MAX_EXPANDED_TEXT = '32 MiB';
/**
 * The most tokens (values, indicators, line breaks) a YAML file may hold. Reading YAML takes some
 * hundred bytes per token, JSON a few, so a large file is better written as JSON.
 */
export const MAX_YAML_TOKENS = 262_144;
