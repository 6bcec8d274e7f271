// Bundles src/ into dist/main.js for `npm start`: one file loads several times faster than
// compiling ~200 TypeScript modules at every start. Packages stay in node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts", "src/cli.ts"],
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
