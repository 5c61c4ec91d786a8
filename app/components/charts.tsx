// Charts for the statistics pages, drawn with chart.js in the browser only: nothing renders on the
// server or before hydration, and chart.js is loaded on demand (its own chunk), so pages stay light
// and their tables carry the same numbers for anyone without JavaScript.
import { useEffect, useRef, useState } from "react";
import type { Chart as ChartJs } from "chart.js";
import { GROUPS } from "~/domain/roles";
import { vi } from "~/i18n/vi";

export interface ChartSeries {
  label: string;
  data: number[];
}

interface Props {
  title: string;
  labels: string[];
  series: ChartSeries[];
  /** Pixels; the width follows the container. */
  height?: number;
  /** Horizontal bars (long category names, such as communes). */
  horizontal?: boolean;
}

const COLORS = ["#0b5cad", "#c8102e", "#0f766e", "#b45309"];

function ClientChart({ type, title, labels, series, height = 240, horizontal = false }: Props & { type: "bar" | "line" }) {
  const [mounted, setMounted] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => setMounted(true), []);
  const dataKey = JSON.stringify([labels, series]);
  useEffect(() => {
    if (!mounted || !canvas.current) return;
    let chart: ChartJs | undefined;
    let cancelled = false;
    void import("chart.js").then((c) => {
      if (cancelled || !canvas.current) return;
      c.Chart.register(c.BarController, c.BarElement, c.LineController, c.LineElement, c.PointElement, c.CategoryScale, c.LinearScale, c.Tooltip, c.Legend);
      chart = new c.Chart(canvas.current, {
        type,
        data: {
          labels,
          datasets: series.map((s, i) => ({
            label: s.label,
            data: s.data,
            backgroundColor: COLORS[i % COLORS.length],
            borderColor: COLORS[i % COLORS.length],
            borderWidth: type === "line" ? 2 : 0,
            pointRadius: type === "line" ? 2 : undefined,
          })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          indexAxis: horizontal ? "y" : "x",
          scales: { [horizontal ? "x" : "y"]: { beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { display: series.length > 1, position: "bottom" } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
    // dataKey stands for labels and series (new arrays on every render, same content).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mounted, type, horizontal, dataKey]);
  if (!mounted) return null;
  return (
    <figure className="mt-3" data-testid="chart">
      <div style={{ height }} className="relative">
        <canvas ref={canvas} role="img" aria-label={vi.boards.chartLabel(title)} />
      </div>
    </figure>
  );
}

/** A group's short name for a chart axis, from its full name in a table row. */
export function groupAxisLabel(label: string): string {
  const g = GROUPS.find((x) => vi.groups[x] === label);
  return g ? (vi.boards.groupShort[g] ?? label) : label;
}

export function BarChart(props: Props) {
  return <ClientChart type="bar" {...props} />;
}

export function LineChart(props: Props) {
  return <ClientChart type="line" {...props} />;
}

// ---------------------------------------------------------------------------------------------
// The tables behind the charts (rendered on the server: readable without JavaScript)

export type CellFormat = "text" | "int" | "decimal" | "percent" | "duration";
export interface TableColumn {
  key: string;
  label: string;
  format: CellFormat;
}
export interface DataTableProps {
  title: string;
  columns: TableColumn[];
  rows: Record<string, string | number | null>[];
  /** A link to the same table as an Excel file. */
  download?: string;
  testId?: string;
}

/** Vietnamese number style, done by hand so server and browser print exactly the same: 12.345,67. */
export function formatNumber(n: number, decimals = 0): string {
  const fixed = Math.abs(n).toFixed(decimals);
  const [whole, frac] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${n < 0 ? "-" : ""}${grouped}${frac ? `,${frac}` : ""}`;
}

export function formatCell(v: string | number | null | undefined, format: CellFormat): string {
  if (v === null || v === undefined || v === "") return "–";
  if (typeof v === "string") return v;
  switch (format) {
    case "int":
      return formatNumber(v);
    case "decimal":
      return formatNumber(v, 2);
    case "percent":
      return `${formatNumber(v * 100, 1)} %`;
    case "duration": {
      const s = Math.round(v / 1000);
      return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    }
    default:
      return String(v);
  }
}

export function DataTable({ title, columns, rows, download, testId }: DataTableProps) {
  return (
    <div className="mt-3">
      <div className="overflow-x-auto rounded-md border border-slate-200">
        <table className="min-w-full text-sm" data-testid={testId}>
          <caption className="sr-only">{title}</caption>
          <thead className="bg-slate-50 text-left text-xs text-slate-600">
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={`px-2 py-2 align-bottom font-semibold ${c.format === "text" ? "min-w-32" : "min-w-16 text-right"}`}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r, i) => (
              <tr key={i}>
                {columns.map((c, j) =>
                  j === 0 ? (
                    <th key={c.key} scope="row" className={`px-2 py-1.5 text-left font-medium ${c.format === "text" ? "min-w-32" : "whitespace-nowrap"}`}>
                      {formatCell(r[c.key], c.format)}
                    </th>
                  ) : (
                    <td key={c.key} className={`px-2 py-1.5 tabular-nums ${c.format === "text" ? "" : "whitespace-nowrap text-right"}`}>
                      {formatCell(r[c.key], c.format)}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {download ? (
        <p className="mt-2 text-sm">
          <a href={download} className="font-semibold text-brand-700 underline" download>
            {vi.boards.downloadXlsx}
          </a>
        </p>
      ) : null}
    </div>
  );
}
