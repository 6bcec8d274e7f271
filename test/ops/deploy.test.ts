import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const read = (path: string) => readFileSync(path, "utf8");

/** The Dockerfile's npm steps and its CMD, as shell lines, in order. */
function dockerSteps(dockerfile: string): string[] {
  const steps: string[] = [];
  for (const line of dockerfile.replace(/\\\n/g, " ").split("\n")) {
    const run = /^RUN\s+(npm .+)$/.exec(line.trim());
    if (run) steps.push((run[1] as string).trim());
    const cmd = /^CMD\s+(\[.*\])$/.exec(line.trim());
    if (cmd) steps.push((JSON.parse(cmd[1] as string) as string[]).join(" "));
  }
  return steps;
}

/** The code block under DEPLOY.md's steps marker. */
function deploySteps(markdown: string): string[] {
  const at = markdown.indexOf("<!-- steps:");
  expect(at, "DEPLOY.md has the steps marker").toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(markdown.slice(at));
  return (block?.[1] ?? "").trim().split("\n");
}

describe("the deployment files", () => {
  it("the Dockerfile runs the steps DEPLOY.md gives, in the same order", () => {
    const docker = dockerSteps(read("deploy/Dockerfile"));
    expect(docker).toEqual(["npm ci --omit=dev", "npm run build", "node dist/main.js"]);
    expect(deploySteps(read("docs/DEPLOY.md"))).toEqual(docker);
  });

  it("the image runs as a non-root user, keeps the database on a volume and checks /healthz", () => {
    const dockerfile = read("deploy/Dockerfile");
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \/data$/m);
    expect(dockerfile).toMatch(/DATABASE_PATH=\/data\//);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    const compose = read("deploy/compose.yaml");
    expect(compose).toContain("dockerfile: deploy/Dockerfile");
    expect(compose).toMatch(/- lifelong-data:\/data/);
    expect(compose).toMatch(/healthcheck:[\s\S]*\/healthz/);
  });

  it("the README links DEPLOY.md, and its configuration table has the new settings", () => {
    const readme = read("README.md");
    expect(readme).toContain("(docs/DEPLOY.md)");
    for (const name of ["HEALTH_PORT", "HEALTH_HOST", "METRICS"]) {
      expect(readme).toContain(`| \`${name}\``);
      expect(read(".env.example")).toMatch(new RegExp(`^${name}=`, "m"));
    }
  });

  it("the Caddyfile passes on only the webhook path", () => {
    const caddy = read("deploy/Caddyfile");
    expect(caddy).toMatch(/handle \/telegram\/hook \{\s*reverse_proxy 127\.0\.0\.1:3000/);
    expect(caddy).toMatch(/handle \{\s*respond 404/);
  });

  const analyze = spawnSync("which", ["systemd-analyze"], { encoding: "utf8" });
  const hasSystemd = analyze.status === 0 && analyze.stdout.trim() !== "";
  const verify = hasSystemd
    ? "the systemd unit passes systemd-analyze verify"
    : "the systemd unit: systemd-analyze verify SKIPPED, systemd-analyze is not on this machine";
  it.skipIf(!hasSystemd)(verify, () => {
    const unit = read("deploy/lifelong.service");
    // verify checks that ExecStart's program exists: use this machine's node, wherever it is.
    const dir = mkdtempSync(join(tmpdir(), "lifelong-unit-"));
    const file = join(dir, "lifelong.service");
    writeFileSync(file, unit.replace("ExecStart=/usr/bin/node ", `ExecStart=${process.execPath} `));
    const res = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
    for (const setting of [
      "User=lifelong",
      "StateDirectory=lifelong",
      "Restart=on-failure",
      "ProtectSystem=strict",
      "NoNewPrivileges=yes",
    ])
      expect(unit).toContain(setting);
  });
});
