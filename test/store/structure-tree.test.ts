// Filtering the loaded tree: typing one more character re-tests only the previous matches, so the result must
// equal a plain full filter after any sequence of keystrokes and listings.
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import type {TreeNode} from '../../source/store/ports.js';
import {ROOT_KEY, StructureTree, type VisibleRow} from '../../source/store/structure-tree.js';

const node = (id: string, name: string, expandable = true): TreeNode => ({id, kind: expandable ? 'folder' : 'file', name, expandable});

/** The obvious filter: every loaded node whose name contains the needle, with its ancestors, in tree order. */
function naive(tree: StructureTree, filter: string): {rows: VisibleRow[]; matches: number} {
	const needle = filter.trim().toLowerCase();
	if (needle === '') return {rows: tree.visibleRows('').map(({key, depth}) => ({key, depth})), matches: 0};
	const rows: VisibleRow[] = [];
	let matches = 0;
	const visit = (key: string): VisibleRow[] => {
		const state = tree.get(key)!;
		const self = key !== ROOT_KEY && state.node.name.toLowerCase().includes(needle);
		if (self) matches++;
		const below = (state.children ?? []).flatMap(visit);
		return self || below.length > 0 ? [...(key === ROOT_KEY ? [] : [{key, depth: state.depth}]), ...below] : [];
	};
	rows.push(...visit(ROOT_KEY));
	return {rows, matches};
}

describe('StructureTree.filterRows', () => {
	it('equals a full filter after any keystrokes, reloads and new pages', () => {
		const alphabet = ['a', 'b', 'A', '0', '1', '_'];
		const name = fc.array(fc.constantFrom(...alphabet), {minLength: 1, maxLength: 6}).map(chars => chars.join(''));
		const op = fc.oneof(
			fc.record({type: fc.constant('type' as const), char: fc.constantFrom(...alphabet)}),
			fc.record({type: fc.constant('backspace' as const)}),
			fc.record({type: fc.constant('page' as const), parent: fc.nat(), names: fc.array(name, {maxLength: 8})}),
			fc.record({type: fc.constant('reload' as const), parent: fc.nat()}),
		);
		fc.assert(
			fc.property(fc.array(name, {minLength: 1, maxLength: 10}), fc.array(op, {maxLength: 40}), (roots, ops) => {
				const tree = new StructureTree();
				let next = 0;
				tree.beginLoad(ROOT_KEY);
				tree.addPage(ROOT_KEY, roots.map(text => node(`n${next++}`, text)), false, null);
				tree.endLoad(ROOT_KEY, null);
				let filter = '';
				for (const step of ops) {
					const keys = [...tree.nodes.keys()];
					if (step.type === 'type') filter += step.char;
					else if (step.type === 'backspace') filter = filter.slice(0, -1);
					else if (step.type === 'page') tree.addPage(keys[step.parent % keys.length], step.names.map(text => node(`n${next++}`, text, next % 3 !== 0)), false, null);
					else tree.beginLoad(keys[step.parent % keys.length]);
					const {rows, matches} = tree.filterRows(filter);
					expect({rows: rows.map(({key, depth}) => ({key, depth})), matches}).toEqual(naive(tree, filter));
				}
			}),
			{numRuns: 300},
		);
	});

	it('counts the matches themselves, not the ancestors shown with them', () => {
		const tree = new StructureTree();
		tree.addPage(ROOT_KEY, [node('p', 'PROJECT')], false, null);
		tree.addPage('folder:p', [node('a', 'SC01'), node('b', 'SC02'), node('c', 'OTHER')], false, null);
		const {rows, matches} = tree.filterRows('sc0');
		expect(matches).toBe(2);
		expect(rows.map(row => tree.get(row.key)!.node.name)).toEqual(['PROJECT', 'SC01', 'SC02']);
	});
});
