// Samples GET /v1/status every INTERVAL_MS while a user is logged in and keeps WINDOW_S seconds
// of them, so the Monitor page shows the recent past as soon as it opens.
import {api} from './api.js';
import {intervalBuckets, quantile} from './latency.js';

export const INTERVAL_MS = 2000;
export const WINDOW_S = 300;

// Each sample: t (unix seconds), and for the interval since the previous poll qps, errors_ps,
// p50_ms and p99_ms (null on the first poll, after a restart, or p50/p99 when no query ran);
// then the instant's connections ({front end: count}) and memory (status.memory).
const samples = [];
let previous = null;   // {t, status} of the last poll
let latest = null;     // the last status
let timer = null;
let inFlight = false;
const listeners = new Set();

export function startSampling() {
  if (timer) return;
  timer = setInterval(poll, INTERVAL_MS);
  poll();
}

export function stopSampling() {
  clearInterval(timer);
  timer = null;
  samples.length = 0;
  previous = null;
  latest = null;
}

// `fn()` runs after every new sample; returns the function that stops it.
export function onSample(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function monitorData() {
  return {samples, latest};
}

async function poll() {
  if (inFlight) return;
  inFlight = true;
  let status;
  try {
    status = await api.status();
  } catch {
    return;  // A gap in the charts; a 401 has already ended the session.
  } finally {
    inFlight = false;
  }
  if (!timer) return;
  const t = Date.now() / 1000;
  samples.push(sample(t, status));
  while (samples.length && samples[0].t < t - WINDOW_S) samples.shift();
  previous = {t, status};
  latest = status;
  for (const fn of listeners) fn();
}

function sample(t, status) {
  const s = {t, qps: null, errors_ps: null, p50_ms: null, p99_ms: null,
    connections: {...status.connections}, memory: {...status.memory}};
  const before = previous && previous.status;
  // A smaller total means the server restarted: no interval to compare with.
  if (!before || status.queries_total < before.queries_total) return s;
  const seconds = status.uptime_seconds > before.uptime_seconds
    ? status.uptime_seconds - before.uptime_seconds : t - previous.t;
  if (seconds <= 0) return s;
  s.qps = (status.queries_total - before.queries_total) / seconds;
  s.errors_ps = (status.query_errors_total - before.query_errors_total) / seconds;
  const histogram = status.query_latency_ms;
  const perBucket = intervalBuckets(before.query_latency_ms.counts, histogram.counts);
  s.p50_ms = quantile(histogram.bounds, perBucket, 0.5);
  s.p99_ms = quantile(histogram.bounds, perBucket, 0.99);
  return s;
}
