// Server text never drives the console: an account, a folder, an upload and a health reason named with an OSC title
// sequence, a colour, a newline and a carriage return show as visible escapes, and each row stays one row of the
// screen (the frame keeps its height).
import {afterEach, describe, expect, it} from 'vitest';
import {FakeStructure, demoTree, fakePorts, upload, type FakeTree} from '../store/fakes.js';
import {renderConsole, type ConsoleHarness} from './render-console.js';

const EVIL = 'Evil\u001b]0;PWNED\u0007 \u001b[41mred\nforged row\r\u202Egpj.mp4';
const SHOWN = 'Evil\\x1b]0;PWNED\\x07 \\x1b[41mred\\nforged row\\r\\u202egpj.mp4';

let harness: ConsoleHarness | null = null;
afterEach(() => {
	harness?.cleanup();
	harness = null;
});

function hostileFakes() {
	const fakes = fakePorts();
	const tree: FakeTree[] = demoTree();
	tree[0].node = {...tree[0].node, name: EVIL};
	fakes.ports.structure = new FakeStructure(tree);
	fakes.status.view = {...fakes.status.view, account: EVIL};
	fakes.health.results = [{id: 'api.me', name: 'GET /v4/me round trip', status: 'fail', reason: `GET me 403: ${EVIL}`, ms: 12}];
	fakes.uploads.jobs = [upload({id: 'u1', name: EVIL, state: 'failed', error: EVIL})];
	return fakes;
}

function expectInert(frame: string, rows: number): void {
	expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
	expect(frame).not.toContain('PWNED\u0007');
	expect(frame.split('\n').length).toBeLessThanOrEqual(rows);
	expect(frame).not.toMatch(/^forged row/m);
}

describe('hostile names in the console', () => {
	for (const pane of ['structure', 'health', 'uploads'] as const) {
		it(`${pane}: shown as escapes, one row each`, async () => {
			harness = renderConsole(hostileFakes(), {pane, columns: 120, rows: 30});
			const frame = await harness.waitFor(text => text.includes('Evil\\x1b]0;PWNED') && (pane !== 'health' || text.includes('GET me 403')));
			expectInert(frame, 30);
			// The status bar's account, on every pane.
			expect(frame.split('\n').some(line => line.includes('Evil\\x1b]0;PWNED\\x07'))).toBe(true);
			if (pane === 'health') expect(frame).toContain(`GET me 403: ${SHOWN}`.slice(0, 60));
		});
	}
});
