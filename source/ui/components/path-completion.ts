// Tab completion of a local path for the Uploads pane's "add a file" prompt.
import {readdirSync, statSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type Completion = {value: string; candidates: string[]};

function expandHome(value: string): string {
	return value === '~' || value.startsWith('~/') ? path.join(os.homedir(), value.slice(1)) : value;
}

function commonPrefix(names: string[]): string {
	if (names.length === 0) return '';
	let prefix = names[0];
	for (const name of names.slice(1)) {
		let i = 0;
		while (i < prefix.length && i < name.length && prefix[i] === name[i]) i++;
		prefix = prefix.slice(0, i);
	}
	return prefix;
}

/**
 * Completes the last path segment of `value` against the directory it names (relative paths from `cwd`): one match
 * completes fully (a directory gets its "/"), several complete to their common prefix and are returned as
 * candidates. Unreadable directories complete nothing.
 */
export function completePath(value: string, cwd: string = process.cwd()): Completion {
	const slash = value.lastIndexOf('/');
	const dirPart = slash >= 0 ? value.slice(0, slash + 1) : '';
	const base = slash >= 0 ? value.slice(slash + 1) : value;
	const dir = path.resolve(cwd, expandHome(dirPart === '' ? '.' : dirPart));
	let names: string[];
	try {
		names = readdirSync(dir).filter(name => name.startsWith(base) && (base.startsWith('.') || !name.startsWith('.')));
	} catch {
		return {value, candidates: []};
	}
	names.sort();
	if (names.length === 0) return {value, candidates: []};
	if (names.length === 1) {
		let isDir = false;
		try {
			isDir = statSync(path.join(dir, names[0])).isDirectory();
		} catch {
			// a dangling link completes as a file
		}
		return {value: `${dirPart}${names[0]}${isDir ? '/' : ''}`, candidates: []};
	}
	return {value: `${dirPart}${commonPrefix(names)}`, candidates: names};
}
