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
			fc.record({type: fc.constant('relist' as const), parent: fc.nat(), keep: fc.array(fc.boolean(), {maxLength: 8}), names: fc.array(name, {maxLength: 4})}),
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
					else if (step.type === 'relist') {
						const key = keys[step.parent % keys.length];
						const kept = (tree.get(key)!.children ?? []).filter((_, index) => step.keep[index]).map(child => tree.get(child)!.node);
						tree.relist(key, [...kept, ...step.names.map(text => node(`n${next++}`, text))], {fromCache: 'none', totalCount: null, staleAgeMs: null});
					} else tree.beginLoad(keys[step.parent % keys.length]);
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

describe('StructureTree.relist', () => {
	it('lists a folder again in place: what stays keeps its state, what went is forgotten with its subtree, what is new is added, in the new order', () => {
		const tree = new StructureTree();
		tree.beginLoad(ROOT_KEY);
		tree.addPage(ROOT_KEY, [node('f1', 'SC01'), node('f2', 'SC02'), node('x', 'old.mov', false)], false, 3);
		tree.endLoad(ROOT_KEY, null);
		tree.get('folder:f1')!.expanded = true;
		tree.beginLoad('folder:f1');
		tree.addPage('folder:f1', [node('s1', 'UNDLM_00010')], false, 1);
		tree.endLoad('folder:f1', null);
		tree.beginLoad('folder:f2');
		tree.addPage('folder:f2', [node('s2', 'UNDLM_00020')], false, 1);
		tree.endLoad('folder:f2', null);
		tree.relist(ROOT_KEY, [node('new', 'new.mov', false), {...node('f1', 'SC01 renamed')}, node('x', 'old.mov', false)], {fromCache: 'none', totalCount: 3, staleAgeMs: null});
		expect(tree.root.children).toEqual(['file:new', 'folder:f1', 'file:x']);
		expect(tree.get('folder:f1')).toMatchObject({expanded: true, children: ['folder:s1']});
		expect(tree.get('folder:f1')!.node.name).toBe('SC01 renamed');
		expect(tree.get('folder:f2')).toBeUndefined();
		expect(tree.get('folder:s2')).toBeUndefined();
		expect(tree.visibleRows().map(row => row.key)).toEqual(['file:new', 'folder:f1', 'folder:s1', 'file:x']);
		expect(tree.filterRows('renamed').rows.map(row => row.key)).toEqual(['folder:f1']);
	});

	it('tells an open listing on screen from a closed one, and forgets a closed one until it is opened', () => {
		const tree = new StructureTree();
		tree.beginLoad(ROOT_KEY);
		tree.addPage(ROOT_KEY, [node('f1', 'SC01')], false, 1);
		tree.endLoad(ROOT_KEY, null);
		tree.beginLoad('folder:f1');
		tree.addPage('folder:f1', [node('s1', 'UNDLM_00010')], false, 1);
		tree.endLoad('folder:f1', null);
		tree.beginLoad('folder:s1');
		tree.addPage('folder:s1', [node('x', 'a.mov', false)], false, 1);
		tree.endLoad('folder:s1', null);
		tree.get('folder:s1')!.expanded = true;
		// s1 is open, but under f1, which is closed.
		expect(tree.isShownOpen('folder:s1')).toBe(false);
		tree.get('folder:f1')!.expanded = true;
		expect(tree.isShownOpen('folder:s1')).toBe(true);
		tree.get('folder:f1')!.expanded = false;
		tree.forgetChildren('folder:f1');
		expect(tree.get('folder:f1')!.children).toBeNull();
		expect(tree.get('folder:s1')).toBeUndefined();
		expect(tree.get('file:x')).toBeUndefined();
	});

	it('a file listed in another open folder than before moves there, out of the old one', () => {
		const tree = new StructureTree();
		tree.beginLoad(ROOT_KEY);
		tree.addPage(ROOT_KEY, [node('a', 'A'), node('b', 'B')], false, 2);
		tree.endLoad(ROOT_KEY, null);
		tree.beginLoad('folder:a');
		tree.addPage('folder:a', [node('x', 'x.mov', false)], false, 1);
		tree.endLoad('folder:a', null);
		tree.beginLoad('folder:b');
		tree.endLoad('folder:b', null);
		tree.relist('folder:b', [node('x', 'x.mov', false)], {fromCache: 'none', totalCount: 1, staleAgeMs: null});
		expect(tree.get('folder:a')!.children).toEqual([]);
		expect(tree.get('folder:b')!.children).toEqual(['file:x']);
		expect(tree.get('file:x')!.parent).toBe('folder:b');
		tree.get('folder:a')!.expanded = true;
		tree.get('folder:b')!.expanded = true;
		expect(tree.visibleRows().map(row => row.key)).toEqual(['folder:a', 'folder:b', 'file:x']);
	});
});

