// Converts Terraform (HCL2) files to JSON for the infrastructure tests, which have no Terraform binary.
// Usage: node convert.mjs FILE.tf [FILE.tf ...]
// Prints one JSON object mapping each given path to its parsed body; exits 1 naming the first file that fails.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let hcl2json;
try {
  hcl2json = require("@cdktf/hcl2json");
} catch {
  console.error("@cdktf/hcl2json is not installed: run `npm ci --prefix tools/hcl2json`");
  process.exit(2);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node convert.mjs FILE.tf [FILE.tf ...]");
  process.exit(64);
}

const result = {};
for (const file of files) {
  try {
    result[file] = await hcl2json.parse(file, await readFile(file, "utf8"));
  } catch (error) {
    console.error(`${file}: ${error?.message ?? error}`);
    process.exit(1);
  }
}
process.stdout.write(JSON.stringify(result));
