// Live charts (uPlot) of the sampled server status: queries/s, p50/p99 latency, connections by
// front end and memory, over the last WINDOW_S seconds; and the latest figures as cards.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import {formatBytes, formatNumber, h, mount} from '../dom.js';
import {INTERVAL_MS, WINDOW_S, monitorData, onSample} from '../monitor.js';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
const MiB = 1024 * 1024;

// Each chart: its series (label, value of a sample) and how the y axis reads.
const CHARTS = [
  {id: 'qps', title: 'Queries per second', unit: '/s',
    series: () => [['queries/s', (s) => s.qps], ['errors/s', (s) => s.errors_ps]]},
  {id: 'latency', title: 'Latency (ms)', unit: ' ms',
    series: () => [['p50', (s) => s.p50_ms], ['p99', (s) => s.p99_ms]]},
  {id: 'connections', title: 'Connections', unit: '', integer: true,
    series: (latest) => Object.keys(latest.connections || {}).map((k) => [k, (s) => s.connections[k] ?? null])},
  {id: 'memory', title: 'Memory (MiB)', unit: ' MiB',
    series: (latest) => memoryKinds(latest).map((k) => [k.replace(/_bytes$/, ''), (s) => mib(s.memory[k])])},
];

const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const mib = (bytes) => (typeof bytes === 'number' ? bytes / MiB : null);

// The byte counts of status.memory (resident_bytes first), whichever the server reports.
function memoryKinds(status) {
  const kinds = Object.keys(status.memory || {}).filter((k) => k.endsWith('_bytes'));
  return kinds.sort((a, b) => (b === 'resident_bytes') - (a === 'resident_bytes'));
}

export function renderMonitor(main) {
  const cards = h('div', {class: 'cards', testid: 'status-cards'});
  const boxes = CHARTS.map((c) => h('div', {class: 'chart', testid: `chart-${c.id}`, dataset: {samples: '0'}},
    h('h3', {}, c.title), h('div', {class: 'chart-body'}, h('p', {class: 'muted'}, 'Waiting for data…'))));
  mount(main,
    h('div', {class: 'section-head'}, h('h1', {}, 'Monitor'),
      h('span', {class: 'muted'}, `sampled every ${INTERVAL_MS / 1000} s, last ${WINDOW_S / 60} minutes`)),
    cards, h('div', {class: 'charts'}, boxes));

  let plots = [];
  const update = () => {
    const {samples, latest} = monitorData();
    if (!latest) return;
    renderCards(cards, latest);
    if (!plots.length) plots = CHARTS.map((c, i) => makePlot(c, boxes[i], latest));
    for (const p of plots) p.update(samples);
  };
  const resize = new ResizeObserver(() => plots.forEach((p) => p.resize()));
  boxes.forEach((b) => resize.observe(b));
  const stop = onSample(update);
  update();
  return () => {
    stop();
    resize.disconnect();
    plots.forEach((p) => p.plot.destroy());
  };
}

function makePlot(chart, box, latest) {
  const series = chart.series(latest);
  const body = box.querySelector('.chart-body');
  body.replaceChildren();
  const size = () => ({width: Math.max(200, body.clientWidth), height: 200});
  const plot = new uPlot({
    ...size(),
    series: [{}, ...series.map(([label], i) => ({label, stroke: COLORS[i % COLORS.length], width: 2,
      spanGaps: false, value: (u, v) => (v === null || v === undefined ? '–'
        : `${chart.integer ? Math.round(v) : fmt(v)}${chart.unit}`)}))],
    // One clock time per tick: uPlot's default stacks a date line that collides with itself.
    axes: [{values: (u, ticks) => ticks.map(clock)}, {size: 56, values: (u, ticks) => ticks.map(fmt), ...(chart.integer ? {incrs: INTEGER_STEPS} : {})}],
    // At least a minute of time axis, so that the first samples do not stretch across it.
    scales: {x: {time: true, range: (u, min, max) => [Math.min(min, max - 60), max]},
      y: {range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1]}},
    cursor: {drag: {x: false, y: false}},
    legend: {live: true},
  }, [[], ...series.map(() => [])], body);
  return {
    plot,
    resize: () => plot.setSize(size()),
    update(samples) {
      const data = [samples.map((s) => s.t), ...series.map(([, get]) => samples.map(get))];
      plot.setData(data);
      // Without the pointer over it, the legend shows the latest values.
      if (plot.cursor.left === undefined || plot.cursor.left < 0) plot.setLegend({idx: data[0].length - 1});
      box.dataset.samples = String(samples.length);
      const last = data[1][data[1].length - 1];
      box.dataset.last = last === null || last === undefined ? '' : String(last);
    },
  };
}

const CLOCK = new Intl.DateTimeFormat('en-GB', {hour: '2-digit', minute: '2-digit', second: '2-digit'});

function clock(seconds) {
  return CLOCK.format(new Date(seconds * 1000));
}

function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return v.toFixed(2);
}

function renderCards(cards, s) {
  const conns = Object.entries(s.connections || {});
  const card = (label, value, sub, testid) => h('div', {class: 'card', testid},
    h('div', {class: 'card-label'}, label), h('div', {class: 'card-value'}, value), sub ? h('div', {class: 'muted'}, sub) : null);
  mount(cards,
    card('Version', s.version, `up ${uptime(s.uptime_seconds)}`, 'card-version'),
    card('Queries', formatNumber(s.queries_total), `${formatNumber(s.query_errors_total)} error${s.query_errors_total === 1 ? "" : "s"}`, 'card-queries'),
    card('Connections', formatNumber(conns.reduce((a, [, n]) => a + n, 0)), conns.map(([k, n]) => `${k} ${n}`).join(' · '), 'card-connections'),
    card('Resident memory', formatBytes(s.memory && s.memory.resident_bytes),
      memoryKinds(s).slice(1).map((k) => `${k.replace(/_bytes$/, '')} ${formatBytes(s.memory[k])}`).join(' · '), 'card-memory'),
    s.wal ? card('WAL', walState(s.wal), walDetail(s.wal), 'card-wal') : null);
}

function walState(wal) {
  if (!wal.enabled) return 'off';
  return wal.broken ? h('span', {class: 'bad'}, 'broken') : 'ok';
}

function walDetail(wal) {
  if (!wal.enabled) return null;
  const parts = [];
  if (wal.fsync) parts.push(`fsync ${wal.fsync}`);
  if (typeof wal.bytes_since_checkpoint === 'number') parts.push(`${formatBytes(wal.bytes_since_checkpoint)} since checkpoint`);
  if (typeof wal.last_checkpoint_duration_ms === 'number') parts.push(`last took ${fmt(wal.last_checkpoint_duration_ms)} ms`);
  return parts.join(' · ');
}

function uptime(seconds) {
  const s = Math.floor(seconds || 0);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}
