import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../api/dashboard';

const time = (ms: number, bucket: Dashboard['series']['bucket']) => new Date(ms).toLocaleTimeString(undefined, bucket === 'minute' ? { hour: '2-digit', minute: '2-digit' } : { hour: '2-digit' });

/** Processed and failed items per bucket, outbound and inbound side by side. */
export function ThroughputChart({ series }: { series: Dashboard['series'] }) {
  const data = series.starts.map((start, index) => ({
    at: time(start, series.bucket),
    'Outbound processed': series.outbound.processed[index] ?? 0,
    'Inbound processed': series.inbound.processed[index] ?? 0,
    'Outbound errors': series.outbound.errors[index] ?? 0,
    'Inbound errors': series.inbound.errors[index] ?? 0,
  }));
  return (
    <div className="chart" role="img" aria-label={`Items processed and failed per ${series.bucket}`}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e5ea" />
          <XAxis dataKey="at" fontSize={11} interval="preserveStartEnd" />
          <YAxis allowDecimals={false} fontSize={11} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="Outbound processed" stackId="outbound" fill="#3b82f6" isAnimationActive={false} />
          <Bar dataKey="Outbound errors" stackId="outbound" fill="#d93a3a" isAnimationActive={false} />
          <Bar dataKey="Inbound processed" stackId="inbound" fill="#1f9d74" isAnimationActive={false} />
          <Bar dataKey="Inbound errors" stackId="inbound" fill="#ff6d5a" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
