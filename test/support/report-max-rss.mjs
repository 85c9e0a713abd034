// Preloaded into a child process (NODE_OPTIONS="--import=<this file>") to report its peak memory:
// on exit it prints `custos-test-max-rss-kib <n>` on stderr, read by tests that bound memory use.
process.on('exit', () => {
  process.stderr.write(`\ncustos-test-max-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
