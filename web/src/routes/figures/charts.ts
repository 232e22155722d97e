// ECharts options of the figures page, pure: durations (median bars, p90 line), deadlines met on time
// (horizontal bars) and incidents per level per month (stacked bars, with decal patterns for colour-blind readers).
import { LineChart } from 'echarts/charts';
import * as echarts from 'echarts/core';
import type { DurationFigure, LevelFigure, ObligationFigure } from '../history/api';
import { LEVEL_STYLE } from '../../lib/levels';

// EChart (components/EChart.tsx) registers bars; the p90 line needs the line chart too
echarts.use([LineChart]);

const MINUTE = 60_000;
const LEVELS = ['L1', 'L2', 'L3'] as const;
const toMinutes = (ms: number | null) => (ms === null ? null : Math.round((ms / MINUTE) * 10) / 10);

const base = {
  aria: { enabled: true, decal: { show: true } },
  animationDuration: 300,
  backgroundColor: 'transparent',
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
};

/** Median (bars) and p90 (line) per month, in minutes, for one system (null: all systems together). */
export function durationOption(cells: DurationFigure[], months: string[], system: string | null, labels: { median: string; p90: string; unit: string }) {
  const of = (month: string) => cells.find((c) => c.month === month && c.system === system);
  return {
    ...base,
    grid: { left: 44, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', name: labels.unit, nameGap: 8, min: 0 },
    series: [
      { name: labels.median, type: 'bar', data: months.map((m) => toMinutes(of(m)?.medianMs ?? null)), itemStyle: { color: '#1d4ed8' } },
      { name: labels.p90, type: 'line', data: months.map((m) => toMinutes(of(m)?.p90Ms ?? null)), connectNulls: false, symbolSize: 8, itemStyle: { color: '#ad4e00' } },
    ],
  };
}

/** The share met on time per obligation, as horizontal bars in per cent (rules with nothing decided are left out). */
export function onTimeOption(rows: ObligationFigure[], name: (r: ObligationFigure) => string, label: string) {
  const shown = rows.filter((r) => r.share !== null).reverse(); // first rule at the top
  return {
    ...base,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { show: false },
    grid: { left: 8, right: 36, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: shown.map(name), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      {
        name: label,
        type: 'bar',
        data: shown.map((r) => Math.round((r.share ?? 0) * 1000) / 10),
        label: { show: true, position: 'right', formatter: '{c}%' },
        itemStyle: { color: '#389e0d' },
      },
    ],
  };
}

/** Incidents per month, stacked by the highest level each reached. */
export function perLevelOption(rows: LevelFigure[], levelName: (l: (typeof LEVELS)[number]) => string) {
  return {
    ...base,
    grid: { left: 36, right: 12, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: rows.map((r) => r.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: LEVELS.map((level) => ({
      name: levelName(level),
      type: 'bar',
      stack: 'level',
      data: rows.map((r) => r.counts[level]),
      itemStyle: { color: LEVEL_STYLE[level].bg, borderColor: LEVEL_STYLE[level].border },
    })),
  };
}
