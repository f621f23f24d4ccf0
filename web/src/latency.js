// Percentiles over one polling interval from two snapshots of the cumulative latency histogram
// of GET /v1/status: `bounds` are the buckets' upper bounds in ms (the last, +Inf, is null) and
// `counts[i]` is the number of queries so far that took at most bounds[i] (Prometheus' `le`).

// Queries per bucket between the snapshots `before` and `after` (arrays of cumulative counts).
export function intervalBuckets(before, after) {
  const perBucket = [];
  for (let i = 0; i < after.length; i++) {
    const upTo = after[i] - (before ? before[i] : 0);
    const upToPrevious = i === 0 ? 0 : after[i - 1] - (before ? before[i - 1] : 0);
    perBucket.push(Math.max(0, upTo - upToPrevious));
  }
  return perBucket;
}

// The q-quantile (0 < q < 1) of the queries in `perBucket`, interpolated linearly within the
// bucket it falls in, as Prometheus' histogram_quantile does: a bucket spans from the previous
// bound (0 for the first) to its own. In the +Inf bucket it is the last finite bound. Null when
// the interval saw no query.
export function quantile(bounds, perBucket, q) {
  const total = perBucket.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < perBucket.length; i++) {
    if (perBucket[i] === 0 || seen + perBucket[i] < rank) {
      seen += perBucket[i];
      continue;
    }
    const upper = bounds[i];
    const lower = i === 0 ? 0 : bounds[i - 1];
    if (upper === null || upper === undefined) return lower;
    return lower + (upper - lower) * ((rank - seen) / perBucket[i]);
  }
  return lastFinite(bounds);
}

function lastFinite(bounds) {
  for (let i = bounds.length - 1; i >= 0; i--) if (bounds[i] !== null) return bounds[i];
  return null;
}
