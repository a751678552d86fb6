import {describe, expect, it} from 'vitest';
import {fitHints} from '../../source/ui/components/footer.js';
import {PANES} from '../../source/store/console-store.js';
import {footerHints} from '../../source/ui/kit/keymap.js';

const text = (hints: ReturnType<typeof fitHints>) => hints.map(hint => `${hint.keys} ${hint.label}`).join('  ');

describe('footer hints', () => {
	it('keep every hint when they fit', () => {
		const all = footerHints('uploads', false);
		expect(fitHints(all, 500)).toEqual(all);
	});

	it('drop pane hints, never help and quit, on a narrow terminal', () => {
		const all = footerHints('uploads', false);
		const fitted = fitHints(all, 60);
		expect(text(fitted).length).toBeLessThanOrEqual(60);
		expect(text(fitted)).toMatch(/\? help {2}q quit$/);
		expect(fitted.length).toBeLessThan(all.length);
		// The first pane hints are the most important and stay.
		expect(fitted[0]).toEqual(all[0]);
	});

	it('name each key once per pane', () => {
		for (const pane of PANES) {
			const keys = footerHints(pane, false).map(hint => hint.keys);
			expect({pane, keys}).toEqual({pane, keys: [...new Set(keys)]});
		}
	});

	it("mark the Uploads keys off while another process holds the queue, pause included", () => {
		const off = (held: boolean) => footerHints('uploads', false, held).filter(hint => hint.disabled).map(hint => hint.label);
		expect(off(false)).toEqual([]);
		expect(off(true)).toEqual(['add', 'pause queue', 'cancel', 'retry']);
	});
});
