/** One sample line of Prometheus's text format: a name, its labels, a value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function samples(text: string): Sample[] {
  const found: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map(([, key, value]) => [key!, value!]));
    found.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return found;
}

/**
 * What an operator's `curl /metrics` shows after a run, in one line: the queue
 * depths by queue and state (those not empty), and the processing-time
 * histogram's count and mean by queue.
 */
export async function metricsDigest(url: string): Promise<string> {
  const answer = await fetch(`${url}/metrics`);
  if (!answer.ok) return `/metrics answered ${answer.status}`;
  const all = samples(await answer.text());
  const sum = (name: string, queue: string, extra: (labels: Record<string, string>) => boolean = () => true) =>
    all.filter((sample) => sample.name === name && sample.labels.queue === queue && extra(sample.labels)).reduce((total, sample) => total + sample.value, 0);
  const parts: string[] = [];
  for (const queue of ['outbound', 'inbound']) {
    const statuses = [...new Set(all.filter((sample) => sample.name === 'lockstep_queue_items' && sample.labels.queue === queue).map((sample) => sample.labels.status!))];
    const depths = statuses.map((status) => [status, sum('lockstep_queue_items', queue, (labels) => labels.status === status)] as const).filter(([, depth]) => depth > 0);
    const processed = sum('lockstep_queue_processing_seconds_count', queue);
    const seconds = sum('lockstep_queue_processing_seconds_sum', queue);
    const mean = processed === 0 ? '' : `, ${((seconds / processed) * 1000).toFixed(1)} ms mean`;
    parts.push(`${queue} queue ${depths.map(([status, depth]) => `${status} ${depth}`).join(', ') || 'empty'}; processing histogram ${processed} items${mean}`);
  }
  return parts.join('; ');
}
