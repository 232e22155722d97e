// A minimal ECharts host built on echarts/core with only the modules we use (keeps the chunk small).
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, CanvasRenderer]);

interface Props {
  option: EChartsCoreOption;
  height?: number | string;
  dark?: boolean;
  ariaLabel?: string;
  testId?: string;
}

export function EChart({ option, height = 260, dark, ariaLabel, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const instance = echarts.init(host.current, dark ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = instance;
    const ro = new ResizeObserver(() => instance.resize());
    ro.observe(host.current);
    return () => {
      ro.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [dark]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of `dark` re-creates the chart (the effect above), which then needs the option again
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option, dark]);

  return <div ref={host} role="img" aria-label={ariaLabel} data-testid={testId} style={{ width: '100%', height }} />;
}
