// Runs the built CLI over a directory as a child process, timing it and taking its peak RSS.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TIME_BIN = "/usr/bin/time";

export const hasTimeBin = existsSync(TIME_BIN);

/**
 * One scan: `node dist/cli/bin.js scan <dir> --format json --exit-zero --quiet -o <tmp> [extra]`,
 * under `/usr/bin/time -f '%M %e'` (peak RSS in KB of the process, its worker threads included).
 * Resolves with { ok, wallMs, peakRssKb, findings, stats, byRule, code, stderr }.
 */
export function runScan({ repoDir, dir, extraArgs = [], env = process.env, timeoutMs }) {
  const tmp = mkdtempSync(join(tmpdir(), "leakgate-bench-"));
  const report = join(tmp, "report.json");
  const timeOut = join(tmp, "time.txt");
  const cli = [join(repoDir, "dist/cli/bin.js"), "scan", dir, "--format", "json", "--exit-zero", "--quiet", "-o", report, ...extraArgs];
  const [cmd, args] = hasTimeBin ? [TIME_BIN, ["-f", "%M %e", "-o", timeOut, process.execPath, ...cli]] : [process.execPath, cli];
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stdout.on("data", (d) => {
      if (stdout.length < 64 * 1024) stdout += d;
    });
    child.stderr.on("data", (d) => {
      if (stderr.length < 64 * 1024) stderr += d;
    });
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, timeoutMs)
      : undefined;
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      if (timer) clearTimeout(timer);
      const result = {
        ok: false,
        wallMs,
        peakRssKb: undefined,
        findings: undefined,
        stats: undefined,
        byRule: {},
        code,
        signal,
        stderr,
        stdout,
        timedOut,
      };
      if (hasTimeBin) {
        try {
          // time(1) prints "Command exited with non-zero status N" first when the command fails.
          const lines = readFileSync(timeOut, "utf8").trim().split("\n");
          const [kb] = lines[lines.length - 1].trim().split(/\s+/);
          if (/^\d+$/.test(kb)) result.peakRssKb = Number(kb);
        } catch {
          // Killed before time(1) wrote anything.
        }
      }
      try {
        const json = JSON.parse(readFileSync(report, "utf8"));
        result.findings = json.findings.length;
        result.stats = json.stats;
        for (const f of json.findings) result.byRule[f.ruleId] = (result.byRule[f.ruleId] ?? 0) + 1;
        result.ok = code === 0 && !timedOut;
      } catch (error) {
        result.reportError = error.message;
      }
      rmSync(tmp, { recursive: true, force: true });
      resolve(result);
    });
  });
}
