// Reads Prometheus exposition text with a real parser, and finds series by their labels. The parser is
// prom2javascript: it rejects a malformed line and keeps the labels of each histogram series apart
// (parse-prometheus-text-format, the other one on npm, merges labelled histograms and drops their sums and counts).
// One gap: it does not know NaN, which the format allows (values are read as Go's ParseFloat reads them, so in any
// case) and which prom-client writes as "Nan" for an event-loop histogram that has no sample yet. Those lines are
// checked here with a strict pattern instead, and listed in `nanSeries`.
import {getMetricsFromIterator, type PromData, type PromHistogramData, type PromLabels, type PromMetrics} from 'prom2javascript';

export type {PromMetrics};

const NAN_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? +nan( +-?\d+)?$/i;

/** Parses the text; the series whose value is NaN are in nanSeries (name{labels}). */
export async function parseExposition(text: string, nanSeries: string[] = []): Promise<PromMetrics> {
	const lines = text.split('\n').filter(line => {
		if (!/ nan( +-?\d+)?$/i.test(line) || line.startsWith('#')) return true;
		if (!NAN_LINE.test(line)) throw new Error(`malformed line: ${line}`);
		nanSeries.push(line.replace(/ +nan( +-?\d+)?$/i, ''));
		return false;
	});
	return getMetricsFromIterator(lines[Symbol.iterator]());
}

/** GET url; the parsed metrics, the content type and the raw text. */
export async function scrape(url: string): Promise<{status: number; contentType: string | null; text: string; metrics: PromMetrics}> {
	const response = await fetch(url);
	const text = await response.text();
	return {status: response.status, contentType: response.headers.get('content-type'), text, metrics: response.ok ? await parseExposition(text) : {}};
}

const matches = (labels: PromLabels, wanted: PromLabels) => Object.entries(wanted).every(([key, value]) => labels[key] === value);

/** The series of `name` whose labels include `labels`. */
export function series(metrics: PromMetrics, name: string, labels: PromLabels = {}): PromData[] {
	const metric = metrics[name];
	if (!metric) return [];
	return (metric.data as PromData[]).filter(entry => matches(entry.labels, labels));
}

/** The sum of the values of `name`'s series whose labels include `labels` (undefined when there is none). */
export function value(metrics: PromMetrics, name: string, labels: PromLabels = {}): number | undefined {
	const found = series(metrics, name, labels);
	return found.length === 0 ? undefined : found.reduce((sum, entry) => sum + entry.value, 0);
}

export function histogram(metrics: PromMetrics, name: string, labels: PromLabels = {}): PromHistogramData | undefined {
	const metric = metrics[name];
	if (!metric || metric.type !== 'histogram') return undefined;
	return (metric.data as PromHistogramData[]).find(entry => matches(entry.labels, labels));
}
