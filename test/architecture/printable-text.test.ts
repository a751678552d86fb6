// Text from a server reaches the console's screen only through ui/kit/text.tsx, which makes every string printable:
// no pane or component may take Ink's Text directly (it would print an escape sequence in a name as it came).
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

function files(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		return entry.isDirectory() ? files(full) : /\.tsx?$/.test(entry.name) ? [full] : [];
	});
}

describe('the console prints through one Text', () => {
	it("no file under source/ui but ui/kit/text.tsx imports Text from 'ink'", () => {
		const offenders = files(path.resolve('source/ui'))
			.filter(file => !file.endsWith(path.join('kit', 'text.tsx')))
			.filter(file => /import\s*\{[^}]*\bText\b[^}]*\}\s*from\s*'ink'/.test(readFileSync(file, 'utf8')));
		expect(offenders.map(file => path.relative(process.cwd(), file))).toEqual([]);
	});
});
