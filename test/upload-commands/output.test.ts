// The upload commands' output pieces, without the network: the live region's ANSI, the TTY view, NDJSON progress
// coalescing, the plain summary clock, and the text of the result lines.
import {Writable} from 'node:stream';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {UploadJobSnapshot, UploadTotals} from '../../source/upload/job.js';
import {queueTotals} from '../../source/upload/queue-snapshot.js';
import {JsonReporter} from '../../source/commands/upload/json-reporter.js';
import {LiveRegion} from '../../source/commands/upload/live-region.js';
import {PlainReporter} from '../../source/commands/upload/plain-reporter.js';
import type {SessionSnapshot} from '../../source/commands/upload/report-types.js';
import {finishedLine, jobRow, refusedLine, summaryLine} from '../../source/commands/upload/text-lines.js';
import {TtyReporter} from '../../source/commands/upload/tty-reporter.js';
import {formatBytesOf} from '../../source/format/bytes.js';
import {middleEllipsis} from '../../source/format/text.js';

class Capture extends Writable {
	chunks: string[] = [];
	isTTY = true;
	constructor(public columns = 80) {
		super();
	}
	override _write(chunk: Buffer, _encoding: string, done: () => void): void {
		this.chunks.push(chunk.toString());
		done();
	}
	get text(): string {
		return this.chunks.join('');
	}
}

function job(fields: Partial<UploadJobSnapshot> = {}): UploadJobSnapshot {
	return {
		id: 'job-1',
		kind: 'local',
		name: 'UNDLM_SEQ01_00042_v002.mp4',
		path: '/renders/UNDLM_SEQ01_00042_v002.mp4',
		size: 10 * 1024 * 1024,
		state: 'uploading',
		step: 'parts',
		partsDone: 3,
		partsTotal: 10,
		bytesDone: 4 * 1024 * 1024,
		retries: 0,
		addedAt: new Date().toISOString(),
		runs: 1,
		percent: 40,
		partsInFlight: 2,
		speed: 2 * 1024 * 1024,
		eta: 3,
		target: {folder: 'WIP_BYSHOT/SC01_SEQ01/UNDLM_00042'},
		...fields,
	};
}

function snapshotOf(jobs: UploadJobSnapshot[]): SessionSnapshot {
	return {jobs, total: queueTotals(jobs, false), elapsedMs: 1500};
}

afterEach(() => {
	vi.useRealTimers();
});

describe('LiveRegion', () => {
	it('redraws in place: moves up over its last frame, erases, prints the permanent lines above the new frame', () => {
		const out = new Capture(40);
		const region = new LiveRegion(out);
		region.render([], ['row one', 'row two']);
		expect(out.text).toBe('row one\nrow two\n');
		region.render(['done  a.mp4'], ['row one', 'row 2']);
		expect(out.chunks[1]).toBe('\r\u001b[2A\u001b[Jdone  a.mp4\nrow one\nrow 2\n');
		region.clear();
		expect(out.chunks[2]).toBe('\r\u001b[2A\u001b[J');
	});

	it('writes nothing when the frame did not change, and cuts lines to the terminal width', () => {
		const out = new Capture(20);
		const region = new LiveRegion(out);
		region.render([], ['x'.repeat(50)]);
		expect(out.text).toBe(`${'x'.repeat(18)}…\n`);
		region.render([], ['x'.repeat(50)]);
		expect(out.chunks).toHaveLength(1);
	});
});

describe('TtyReporter', () => {
	it('draws one row per active upload and a total row, then erases them and prints the results', () => {
		vi.useFakeTimers();
		const out = new Capture(100);
		const reporter = new TtyReporter({out, progress: true, refreshMs: 100});
		const jobs = [job(), job({id: 'job-2', name: 'UNDLM_SEQ01_00043_v001.mp4', state: 'verifying', percent: 100, bytesDone: 10 * 1024 * 1024})];
		reporter.start(() => snapshotOf(jobs));
		vi.advanceTimersByTime(100);
		const frame = out.text;
		expect(frame).toMatch(/^UNDLM_SEQ01_00042_v002\.mp4 \[#+-+\] +40 %  4\.0\/10\.0 MB  2\.0 MB\/s  ETA 3s  parts 3\/10\n/m);
		expect(frame).toMatch(/^UNDLM_SEQ01_00043_v001\.mp4 \[#+\]  verifying  10\.0 MB  parts 3\/10$/m);
		expect(frame).toMatch(/^total \[#+-*\] 70 %  14\.0\/20\.0 MB  2\.0 MB\/s  ETA 3s  files 0\/2, 2 active  1\.5 s$/m);
		const before = out.chunks.length;
		vi.advanceTimersByTime(500);
		expect(out.chunks.length).toBe(before); // nothing changed: no writes
		reporter.finished({id: 'job-1', name: 'UNDLM_SEQ01_00042_v002.mp4', state: 'done', size: 10 * 1024 * 1024, fileId: 'f-1', folderPath: 'WIP_BYSHOT/SC01_SEQ01/UNDLM_00042', bytesSent: 10 * 1024 * 1024, seconds: 5, mbps: 2, retries: 0});
		expect(out.chunks.at(-1)).toMatch(/^\r\u001b\[3A\u001b\[Jdone     UNDLM_SEQ01_00042_v002\.mp4  10\.0 MB  2\.0 MB\/s  -> WIP_BYSHOT\/SC01_SEQ01\/UNDLM_00042 \(id f-1\)\n/);
		reporter.stop();
		expect(out.chunks.at(-1)).toBe('\r\u001b[3A\u001b[J');
	});

	it('with --no-progress never draws, only result lines', () => {
		vi.useFakeTimers();
		const out = new Capture();
		const reporter = new TtyReporter({out, progress: false});
		reporter.start(() => snapshotOf([job()]));
		vi.advanceTimersByTime(2000);
		expect(out.text).toBe('');
		reporter.refused({name: 'bad.mp4', reason: 'no target folder', examples: ['UNDLM_SEQ01_00042_v002.mp4']});
		expect(out.text).toBe('refused  bad.mp4  no target folder (valid names look like: UNDLM_SEQ01_00042_v002.mp4)\n');
	});
});

describe('JsonReporter', () => {
	it('coalesces progress to one event per file per interval, and only when bytes moved', () => {
		vi.useFakeTimers();
		const out = new Capture();
		const reporter = new JsonReporter({out, progress: true, progressMs: 1000});
		reporter.progress(job({bytesDone: 1}));
		reporter.progress(job({bytesDone: 2}));
		vi.advanceTimersByTime(1000);
		reporter.progress(job({bytesDone: 1})); // no bytes since the last event
		reporter.progress(job({bytesDone: 3}));
		reporter.progress(job({id: 'other', bytesDone: 3}));
		const events = out.text.trim().split('\n').map(line => JSON.parse(line));
		expect(events.map(event => [event.event, event.id, event.bytes_done])).toEqual([
			['progress', 'job-1', 1],
			['progress', 'job-1', 3],
			['progress', 'other', 3],
		]);
		expect(events[0]).toMatchObject({bytes_total: 10 * 1024 * 1024, parts_done: 3, parts_total: 10, eta_seconds: 3, mbps: 2});
	});
});

describe('PlainReporter', () => {
	it('prints a summary line every statsInterval while something is pending, and none when idle', () => {
		vi.useFakeTimers();
		const out = new Capture();
		out.isTTY = false;
		let jobs = [job()];
		const reporter = new PlainReporter({out, progress: true, statsIntervalMs: 5000});
		reporter.start(() => snapshotOf(jobs));
		vi.advanceTimersByTime(4999);
		expect(out.text).toBe('');
		vi.advanceTimersByTime(1);
		expect(out.text).toBe('progress 40 %  4.0 MB / 10.0 MB  2.0 MB/s  ETA 3s  files 0/1 done, 1 active, 0 queued, 0 failed  parts 3/10  1.5 s\n');
		jobs = [];
		vi.advanceTimersByTime(20_000);
		expect(out.text.split('\n').filter(Boolean)).toHaveLength(1);
		reporter.stop();
	});
});

describe('text lines', () => {
	it('formats failures, refusals and sizes for people', () => {
		expect(finishedLine({id: 'x', name: 'a\u001b[2Jb.mp4', state: 'failed', size: 1, bytesSent: 0, seconds: 0, mbps: 0, retries: 2, reason: 'part 3/7 failed after 4 attempts: HTTP 500'})).toBe(
			'failed   a\\x1b[2Jb.mp4  part 3/7 failed after 4 attempts: HTTP 500',
		);
		expect(refusedLine({name: 'x.mp4', reason: 'r'})).toBe('refused  x.mp4  r');
		expect(formatBytesOf(512, 1000)).toBe('512/1000 B');
		expect(formatBytesOf(3 * 1024 * 1024, 1024 * 1024 * 1024)).toBe('0.0/1.0 GB');
		expect(middleEllipsis('UNDLM_SEQ01_00042_v002.mp4', 16)).toBe('…00042_v002.mp4');
		expect(middleEllipsis('short.mp4', 16)).toBe('short.mp4');
		const total: UploadTotals = queueTotals([job({state: 'queued', bytesDone: 0, speed: 0, eta: null})], true);
		expect(summaryLine(total, 61_000)).toBe('progress 0 %  0 B / 10.0 MB  - MB/s  ETA -  files 0/1 done, 0 active, 1 queued, 0 failed  parts 3/10  PAUSED  1m01s');
	});

	it('fits a live row to narrow terminals without losing the figures', () => {
		const row = jobRow(job(), 60);
		expect(row.length).toBeLessThanOrEqual(60);
		expect(row).toContain('40 %  4.0/10.0 MB  2.0 MB/s  ETA 3s  parts 3/10');
		expect(row).toMatch(/^…v002\.mp4 /);
		const wider = jobRow(job(), 80);
		expect(wider.length).toBeLessThanOrEqual(80);
		expect(wider).toMatch(/^UNDLM…00042_v002\.mp4 \[#+-+\] /);
	});
});
