// What the report states beside every table: machine, date, versions.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

function command(file, args, cwd) {
  try {
    return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function procField(path, key) {
  try {
    const line = readFileSync(path, 'utf8').split('\n').find((l) => l.startsWith(key));
    return line ? line.slice(line.indexOf(':') + 1).trim() : null;
  } catch {
    return null;
  }
}

function memoryGiB() {
  const kib = Number.parseInt(procField('/proc/meminfo', 'MemTotal') ?? '', 10);
  const bytes = Number.isFinite(kib) ? kib * 1024 : os.totalmem();
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

// "abc1234", "abc1234-dirty", or "no commit yet".
function gitRevision(repoRoot) {
  const head = command('git', ['rev-parse', '--short', 'HEAD'], repoRoot);
  if (!head) return 'no commit yet';
  const dirty = command('git', ['status', '--porcelain', '--untracked-files=no'], repoRoot);
  return dirty ? `${head}-dirty` : head;
}

// The whitespace-separated fields of the first line of `path`, from after the last `after`.
function readFields(path, after = null) {
  const line = readFileSync(path, 'utf8').split('\n')[0];
  const rest = after === null ? line : line.slice(line.lastIndexOf(after) + after.length);
  return rest.trim().split(/\s+/);
}

// CPU time so far, in clock ticks: all CPUs' busy and total time (/proc/stat), and this
// process's own plus its finished children's (/proc/self/stat), or null off Linux.
export function cpuSnapshot() {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFields('/proc/stat').slice(1, 9).map(Number);
    const self = readFields('/proc/self/stat', ')').map(Number);  // fields from 3 (state) on
    const own = self[11] + self[12] + self[13] + self[14];  // utime stime cutime cstime
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, total: busy + idle + iowait, own };
  } catch {
    return null;
  }
}

// The share of all CPU time between two snapshots that went to other processes (or to the
// hypervisor): 0 on a quiet machine; null when unknown.
export function foreignCpuShare(before, after) {
  if (!before || !after || after.total <= before.total) return null;
  const foreign = after.busy - before.busy - (after.own - before.own);
  return Math.max(0, foreign / (after.total - before.total));
}

export function describeMachine(repoRoot) {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpus: command('nproc', []) ?? String(os.availableParallelism()),
    cpuModel: procField('/proc/cpuinfo', 'model name') ?? os.cpus()[0]?.model ?? 'unknown',
    memory: memoryGiB(),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    lytdbRevision: gitRevision(repoRoot),
  };
}
