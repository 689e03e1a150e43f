// The bench's default options, in one place: run.mjs parses the command line over them
// and doc.mjs names only the options that differ when it says how figures were taken.
export const DEFAULTS = Object.freeze({
  sizes: Object.freeze([100, 150, 1000, 5000]),
  repeat: 5,
  repeatLarge: 1,
  coldRepeat: 5,
  oneNodeRepeat: 9,
  node: 'ctl01.synth-c01.mcp.local',
  timeout: 1800,
  seed: 1,
  reclass: true,
  docs: true,
  waitIdle: 0,
  baseline: null,
});
