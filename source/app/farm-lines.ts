// The farm in words, the same in the Farm tab and in `frameio-admin farm`: the farm's totals, its uploads, the
// shared buckets, and a process's health.
import {formatBytes} from '../format/bytes.js';
import {formatCount} from '../format/number.js';
import {formatPercent} from '../format/percent.js';
import {formatSpeed} from '../format/speed.js';
import type {FarmBucketView, FarmNodeView, FarmTotals, FarmUploadTotals} from '../store/ports.js';

/** A bucket this empty has no request waiting on it: it is not worth a place on a line. */
const EMPTY_LEVEL = 0.05;

const plural = (count: number, one: string, many = `${one}s`) => `${formatCount(count)} ${count === 1 ? one : many}`;

/** "20 nodes · 23 processes · 1 failing · 2 alerts · 1,234 req/min · 3 429s/min": requests and 429s over the last minute. */
export function farmLine(totals: FarmTotals): string {
	const parts = [plural(totals.nodes, 'node'), plural(totals.processes, 'process', 'processes')];
	if (totals.failing > 0) parts.push(`${formatCount(totals.failing)} failing`);
	parts.push(plural(totals.alerts, 'alert'), `${formatCount(totals.requestsLastMinute)} req/min`, `${formatCount(totals.rateLimitedLastMinute)} 429s/min`);
	return parts.join(' · ');
}

/** "uploading 12 · 3.4 GB / 9.1 GB · 37.0 % · 85.2 MB/s · failed 3 · queued 40 · done 1,204": what matters first, for a narrow terminal cuts the end. Failed and done count since each process started. */
export function uploadsLine(uploads: FarmUploadTotals): string {
	const progress = uploads.bytesTotal > 0 ? formatPercent(uploads.percent / 100) : '-';
	return [
		`uploading ${formatCount(uploads.active)}`,
		`${formatBytes(uploads.bytesDone)} / ${formatBytes(uploads.bytesTotal)}`,
		progress,
		formatSpeed(uploads.speed),
		`failed ${formatCount(uploads.failed)}`,
		`queued ${formatCount(uploads.queued)}`,
		`done ${formatCount(uploads.done)}`,
	].join(' · ');
}

/** 4.2/5, 37/100: a level with a decimal while it is small. */
export function bucketLevel(bucket: FarmBucketView): string {
	const level = bucket.level < 10 ? bucket.level.toFixed(1) : String(Math.round(bucket.level));
	return `${level}/${bucket.capacity}`;
}

/** "files.local_upload 4.2/5 · folders.list 2.0/5 · 25 empty": the fullest first. */
export function bucketsLine(buckets: readonly FarmBucketView[]): string {
	const used = buckets.filter(bucket => bucket.level >= EMPTY_LEVEL);
	const empty = buckets.length - used.length;
	if (used.length === 0) return `all ${buckets.length} empty: no request waits for the rate limit`;
	return [...used.map(bucket => `${bucket.endpointClass} ${bucketLevel(bucket)}`), ...(empty > 0 ? [`${empty} empty`] : [])].join(' · ');
}

/** OK, DEGRADED, FAILING, ?: a word, never a colour alone. */
export function healthLabel(node: Pick<FarmNodeView, 'health'>): string {
	return node.health === 'unknown' ? '?' : node.health.toUpperCase();
}
