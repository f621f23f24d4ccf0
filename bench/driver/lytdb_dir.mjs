// The directory of the lytdb server that lyt_bench starts for the lytwire engine. The driver owns
// it, so that nothing is left behind even when lyt_bench is killed (a step timeout): lyt_bench
// stops its server itself, the kernel sends the server SIGTERM when lyt_bench dies first
// (PR_SET_PDEATHSIG), and afterwards the driver waits for that server to be gone (SIGKILL after
// STOP_WAIT_MS) before it removes the directory.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const STOP_WAIT_MS = 60000;

// The pid in DIR/data/lytdb.pid if that process is still a lytdb of this directory, else null.
function serverPid(dir) {
  try {
    const pid = Number(readFileSync(join(dir, 'data', 'lytdb.pid'), 'utf8').split('\n')[0]);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return pid > 0 && cmdline.includes(dir) ? pid : null;
  } catch {
    return null;  // no pid file yet, or the process is gone
  }
}

async function waitGone(dir, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
    if (serverPid(dir) === null) return true;
  }
  return serverPid(dir) === null;
}

async function stopLeftover(dir) {
  if (await waitGone(dir, STOP_WAIT_MS)) return;
  const pid = serverPid(dir);
  process.stderr.write(`bench: lytdb (pid ${pid}) outlived lyt_bench; killing it\n`);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  await waitGone(dir, 5000);
}

// Runs `use(dir)` with a fresh directory and removes it afterwards; returns what `use` returns.
export async function withServerDir(use) {
  const dir = mkdtempSync(join(tmpdir(), 'lyt-bench-wire-'));
  try {
    return await use(dir);
  } finally {
    await stopLeftover(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
