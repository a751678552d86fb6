import {EventEmitter} from 'node:events';
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {ScreenWriter} from '../../source/ui/terminal/screen-writer.js';

class FakeTerminal extends EventEmitter {
	columns = 20;
	rows = 5;
	writes: string[] = [];
	write(chunk: string): boolean {
		this.writes.push(chunk);
		return true;
	}
}

const frame = (...lines: string[]) => lines.join('\n');
// The rows a paint touched: each changed row is addressed with CSI row;1H.
const rowsOf = (payload: string) => [...payload.matchAll(/\u001B\[(\d+);1H/g)].map(match => Number(match[1]));

describe('ScreenWriter', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('paints the first frame whole, then only the lines that changed', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		writer.write(frame('a', 'b', 'c'));
		expect(terminal.writes).toHaveLength(1);
		expect(terminal.writes[0]).toContain('\u001B[2J');
		expect(rowsOf(terminal.writes[0])).toEqual([1, 2, 3]);
		vi.advanceTimersByTime(200);
		writer.write(frame('a', 'B', 'c'));
		expect(terminal.writes).toHaveLength(2);
		expect(rowsOf(terminal.writes[1])).toEqual([2]);
		expect(terminal.writes[1]).toContain('B');
		expect(terminal.writes[1]).not.toContain('\u001B[2J');
	});

	it('writes nothing at all for an identical frame', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		writer.write(frame('a', 'b'));
		for (let i = 0; i < 50; i++) {
			vi.advanceTimersByTime(150);
			writer.write(frame('a', 'b'));
		}
		expect(terminal.writes).toHaveLength(1);
		expect(writer.stats().paints).toBe(1);
	});

	it('paints the frame that answers a key at once, even inside the frame-rate limit', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 2});
		writer.write(frame('progress 1'));
		vi.advanceTimersByTime(10);
		// Inside the 500 ms slot: held back.
		writer.write(frame('progress 2'));
		expect(terminal.writes).toHaveLength(1);
		writer.expedite();
		writer.write(frame('selected row 2'));
		expect(terminal.writes).toHaveLength(2);
		expect(terminal.writes[1]).toContain('selected row 2');
		// Once only: the next frame waits for its slot again.
		writer.write(frame('progress 3'));
		expect(terminal.writes).toHaveLength(2);
		vi.advanceTimersByTime(600);
		expect(terminal.writes).toHaveLength(3);
		expect(terminal.writes[2]).toContain('progress 3');
	});

	it('paints at most maxFps times a second, always ending on the latest frame', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		for (let i = 0; i < 100; i++) {
			writer.write(frame(`count ${i}`));
			vi.advanceTimersByTime(10);
		}
		vi.advanceTimersByTime(200);
		expect(terminal.writes.length).toBeLessThanOrEqual(11);
		expect(terminal.writes.at(-1)).toContain('count 99');
	});

	it('erases lines the new frame no longer has', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 1000});
		writer.write(frame('a', 'b', 'c'));
		vi.advanceTimersByTime(5);
		writer.write(frame('a'));
		expect(rowsOf(terminal.writes[1])).toEqual([2, 3]);
		expect(terminal.writes[1]).toContain('\u001B[2K');
	});

	it('repaints everything after a resize and forwards the event to Ink', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 1000});
		const resized = vi.fn();
		writer.on('resize', resized);
		writer.write(frame('a', 'b'));
		vi.advanceTimersByTime(5);
		terminal.columns = 30;
		terminal.emit('resize');
		expect(resized).toHaveBeenCalledTimes(1);
		vi.advanceTimersByTime(5);
		expect(writer.columns).toBe(30);
		expect(terminal.writes.at(-1)).toContain('\u001B[2J');
		expect(rowsOf(terminal.writes.at(-1)!)).toEqual([1, 2]);
	});

	it('repaints the whole screen on invalidate (Ctrl-L), the same frame included: a stray write is gone', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		writer.write(frame('a', '', 'c'));
		vi.advanceTimersByTime(200);
		// Something else wrote over the screen (a `wall` message); the console's frame has not changed.
		writer.write(frame('a', '', 'c'));
		expect(terminal.writes).toHaveLength(1);
		writer.invalidate();
		vi.advanceTimersByTime(200);
		expect(terminal.writes).toHaveLength(2);
		// Cleared first (the blank row too), then every row that has text.
		expect(terminal.writes[1]).toContain('\u001B[H\u001B[2J');
		expect(rowsOf(terminal.writes[1])).toEqual([1, 3]);
	});

	it('never paints past the last row', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		writer.write(frame('1', '2', '3', '4', '5', '6', '7'));
		expect(Math.max(...rowsOf(terminal.writes[0]))).toBe(5);
	});

	it('ignores cursor bookkeeping that is not a frame, and calls write callbacks', () => {
		const terminal = new FakeTerminal();
		const writer = new ScreenWriter(terminal, {maxFps: 10});
		const done = vi.fn();
		writer.write('\u001B[?25h');
		writer.write('\u001B[2K\u001B[1A\u001B[2K\u001B[G');
		writer.write('', done);
		expect(terminal.writes).toEqual([]);
		expect(done).toHaveBeenCalled();
		writer.write('\u001B[31mred\u001B[39m');
		expect(terminal.writes).toHaveLength(1);
	});
});
