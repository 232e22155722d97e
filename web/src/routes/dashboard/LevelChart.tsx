// Incidents opened per hour over the last 24 h, stacked by level (with decal patterns for colour-blind readers).
import { Card } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/endpoints';
import type { Incident, IncidentSummary, LevelId } from '../../api/types';
import { EChart } from '../../components/EChart';
import { useResource } from '../../hooks/useResource';
import { LEVEL_RANK, LEVEL_STYLE } from '../../lib/levels';

const HOUR = 60 * 60 * 1000;
const LEVELS: LevelId[] = ['L1', 'L2', 'L3'];

/** Highest level an incident reached (its history, or its current level: the list's summaries carry no history). */
function peakLevel(i: IncidentSummary | Incident): LevelId {
  return ('levelHistory' in i ? i.levelHistory : []).reduce<LevelId>((best, h) => (LEVEL_RANK[h.level] > LEVEL_RANK[best] ? h.level : best), i.level);
}

export default function LevelChart({ wall }: { wall?: boolean }) {
  const { t } = useTranslation();
  const { data } = useResource(() => api.incidents('all'), []);
  const option = useMemo(() => {
    const end = Math.ceil(Date.now() / HOUR) * HOUR;
    const start = end - 24 * HOUR;
    const counts: Record<LevelId, number[]> = { L1: Array(24).fill(0), L2: Array(24).fill(0), L3: Array(24).fill(0) };
    for (const i of data?.items ?? []) {
      const at = Date.parse(i.openedAt ?? i.detectedAt);
      if (!(at >= start && at < end)) continue;
      counts[peakLevel(i)][Math.floor((at - start) / HOUR)]++;
    }
    const hours = Array.from({ length: 24 }, (_, n) => `${String(new Date(start + n * HOUR).getHours()).padStart(2, '0')}:00`);
    const fontSize = wall ? 18 : 12;
    return {
      aria: { enabled: true, decal: { show: true } },
      animationDuration: 300,
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis' },
      legend: { top: 0, textStyle: { fontSize } },
      grid: { left: 36, right: 12, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: hours, axisLabel: { fontSize } },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize } },
      series: LEVELS.map((level) => ({
        name: `${t(`level.short.${level}`)} ${level}`,
        type: 'bar',
        stack: 'level',
        data: counts[level],
        itemStyle: { color: LEVEL_STYLE[level].bg, borderColor: LEVEL_STYLE[level].border },
      })),
    };
  }, [data, t, wall]);
  return (
    <Card title={t('dashboard.chartTitle')} size={wall ? 'medium' : 'small'} data-testid="level-chart">
      <EChart option={option} dark={wall} height={wall ? 260 : 240} ariaLabel={t('dashboard.chartTitle')} testId="level-chart-canvas" />
    </Card>
  );
}
