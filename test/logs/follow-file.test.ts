import {appendFileSync, renameSync, truncateSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {FileFollower} from '../../source/log/follow-file.js';
import {testDir} from '../helpers/secret-scan.js';

function follower(options: {fromEnd?: boolean} = {}) {
	const file = path.join(testDir('follow'), 'frameio_admin.log');
	const lines: string[] = [];
	const follow = new FileFollower(file, line => lines.push(line), options);
	return {file, lines, follow};
}

describe('FileFollower', () => {
	it('reads what is there, then only what is appended; waits for a file that does not exist yet', () => {
		const {file, lines, follow} = follower();
		follow.poll();
		expect(lines).toEqual([]);
		writeFileSync(file, 'one\ntwo\n');
		follow.poll();
		appendFileSync(file, 'three\n');
		follow.poll();
		follow.poll();
		expect(lines).toEqual(['one', 'two', 'three']);
		follow.stop();
	});

	it('holds a half-written line until its newline arrives (also across a multi-byte character)', () => {
		const {file, lines, follow} = follower();
		const text = Buffer.from('café crème\n');
		writeFileSync(file, text.subarray(0, 4)); // ends inside "é"
		follow.poll();
		expect(lines).toEqual([]);
		appendFileSync(file, text.subarray(4));
		follow.poll();
		expect(lines).toEqual(['café crème']);
		follow.stop();
	});

	it('follows a rotation: the rest of the old file, then the new file from its start', () => {
		const {file, lines, follow} = follower();
		writeFileSync(file, 'a\n');
		follow.poll();
		appendFileSync(file, 'b\n'); // written before the rename, not yet read
		renameSync(file, `${file}.1`);
		follow.poll(); // no file now: the old one is drained
		expect(lines).toEqual(['a', 'b']);
		writeFileSync(file, 'c\n');
		follow.poll();
		appendFileSync(file, 'd\n');
		follow.poll();
		expect(lines).toEqual(['a', 'b', 'c', 'd']);
		follow.stop();
	});

	it('a rotation and a new file between two polls loses nothing', () => {
		const {file, lines, follow} = follower();
		writeFileSync(file, 'a\n');
		follow.poll();
		appendFileSync(file, 'b\n');
		renameSync(file, `${file}.1`);
		writeFileSync(file, 'c\n');
		follow.poll();
		expect(lines).toEqual(['a', 'b', 'c']);
		follow.stop();
	});

	it('starts over after a truncation, and can start at the end', () => {
		const {file, lines, follow} = follower({fromEnd: true});
		writeFileSync(file, 'old\n');
		follow.poll();
		appendFileSync(file, 'new\n');
		follow.poll();
		expect(lines).toEqual(['new']);
		truncateSync(file, 0);
		appendFileSync(file, 'x\n');
		follow.poll();
		expect(lines).toEqual(['new', 'x']);
		follow.stop();
	});

	it('fromEnd: a file created after the first poll is read from its start', () => {
		const {file, lines, follow} = follower({fromEnd: true});
		follow.poll();
		writeFileSync(file, 'first\n');
		follow.poll();
		expect(lines).toEqual(['first']);
		follow.stop();
	});
});
