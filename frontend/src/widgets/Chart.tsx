// Apache ECharts, only the parts used (line and bar charts on a canvas,
// grid, tooltip, legend), so the bundle stays small.

import { useEffect, useRef } from 'react';
import { init, use as registerCharts } from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

registerCharts([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function Chart({ option, height = 240, onClick, label }: {
  option: EChartsCoreOption;
  height?: number;
  /** A click on a bar or point: its category name. */
  onClick?: (name: string) => void;
  label: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onClick);
  useEffect(() => {
    clickRef.current = onClick;
  });
  const chartRef = useRef<ReturnType<typeof init> | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = init(ref.current, undefined, { renderer: 'canvas' });
    chartRef.current = c;
    c.on('click', (p) => clickRef.current?.(String((p as { name?: string }).name ?? '')));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chartRef.current = null;
    };
  }, []);
  useEffect(() => {
    chartRef.current?.setOption(option, true);
  }, [option]);
  return <div ref={ref} className="chart" style={{ height }} role="img" aria-label={label} />;
}
