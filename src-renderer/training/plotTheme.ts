// uPlot options shared by the training plots: the app's dark panel colours, compact axes, and
// series colours that read as train (solid) vs validation (dashed) in every plot.
import type uPlot from 'uplot';

export const PLOT_COLORS = { train: '#4aa3ff', validation: '#f2a33a', curve: '#5fd38d', marker: '#ff5c7a' } as const;

const axis = (label: string): uPlot.Axis => ({
  label,
  stroke: '#9aa3ad',
  grid: { stroke: '#2c3036', width: 1 },
  ticks: { stroke: '#3a3f47', width: 1, size: 4 },
  font: '11px system-ui, sans-serif',
  labelFont: '11px system-ui, sans-serif',
  labelSize: 16,
  size: 34,
});

export function axes(xLabel: string, yLabel: string): uPlot.Axis[] {
  return [axis(xLabel), axis(yLabel)];
}

export function lineSeries(label: string, color: string, dashed = false): uPlot.Series {
  return {
    label,
    stroke: color,
    width: 2,
    spanGaps: false,
    points: { show: true, size: 5, stroke: color, fill: color },
    ...(dashed ? { dash: [6, 4] } : {}),
  };
}
