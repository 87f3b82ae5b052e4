// Runs the built CLI over a directory as a child process, timing it and taking its peak RSS.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TIME_BIN = "/usr/bin/time";

export const hasTimeBin = existsSync(TIME_BIN);

/** Busy CPU seconds of the whole machine so far (Linux /proc/stat; USER_HZ is 100), or undefined. */
function machineBusySeconds() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0);
    return busy / 100;
  } catch {
    return undefined;
  }
}

/**
 * One scan: `node dist/cli/bin.js scan <dir> --format json --exit-zero --quiet -o <tmp> [extra]`,
 * under `/usr/bin/time -f '%M %e %U %S'` (peak RSS in KB of the process, its worker threads included).
 * Resolves with { ok, wallMs, peakRssKb, findings, stats, byRule, code, stderr }.
 */
export function runScan({ repoDir, dir, extraArgs = [], env = process.env, timeoutMs }) {
  const tmp = mkdtempSync(join(tmpdir(), "leakgate-bench-"));
  const report = join(tmp, "report.json");
  const timeOut = join(tmp, "time.txt");
  const cli = [join(repoDir, "dist/cli/bin.js"), "scan", dir, "--format", "json", "--exit-zero", "--quiet", "-o", report, ...extraArgs];
  const [cmd, args] = hasTimeBin ? [TIME_BIN, ["-f", "%M %e %U %S", "-o", timeOut, process.execPath, ...cli]] : [process.execPath, cli];
  return new Promise((resolve) => {
    const busyBefore = machineBusySeconds();
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
    // Interrupted (Ctrl-C, kill): stop the scan too rather than leave it running alone.
    const forward = (signal) => {
      child.kill("SIGKILL");
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", forward);
    process.once("SIGTERM", forward);
    let timedOut = false;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, timeoutMs)
      : undefined;
    child.on("close", (code, signal) => {
      const wallMs = performance.now() - started;
      const busyAfter = machineBusySeconds();
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
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
          const [kb, , user, sys] = lines[lines.length - 1].trim().split(/\s+/);
          if (/^\d+$/.test(kb)) result.peakRssKb = Number(kb);
          result.cpuSeconds = Number(user) + Number(sys);
          // CPU the rest of the machine used meanwhile, in cores on average: other work competing with the scan.
          if (busyBefore !== undefined && busyAfter !== undefined && Number.isFinite(result.cpuSeconds)) {
            result.otherCores = Math.max(0, (busyAfter - busyBefore - result.cpuSeconds) / (wallMs / 1000));
          }
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
