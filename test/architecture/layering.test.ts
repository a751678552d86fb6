// The layout of source/ (DESIGN §3): three floors, and an import only points down.
//   ground   events/, format/: the words everyone shares; they import nothing of ours
//   middle   the services, lowest first: each imports the ground floor and the services before it in SERVICES
//   top      store/ (ports and snapshots), app/ (the one composition root), commands/ and ui/, and cli.ts
// A test, not a lint rule, so that `npm test` is the one place the rule is kept; it reads imports as text (type
// imports included: a type is a dependency for whoever reads the code).
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';

const ROOT = path.resolve('source');
const GROUND = ['events', 'format'];
const SERVICES = ['log', 'nomenclature', 'config', 'frameio', 'cache', 'structure', 'upload', 'metrics', 'notify', 'health', 'sandbox', 'farm'];
/** What each top-floor folder may import besides the ground floor and every service. */
const TOP: Record<string, string[]> = {
	store: [],
	app: ['store'],
	commands: ['app'],
	ui: ['store', 'app'],
	'cli.ts': ['app', 'commands', 'ui'],
};

type Import = {from: string; to: string; spec: string};

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.tsx?$/.test(entry.name) ? [full] : [];
	});
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function imports(): Import[] {
	return sourceFiles(ROOT).flatMap(file => {
		const text = readFileSync(file, 'utf8');
		return [...text.matchAll(IMPORT)].map(match => {
			const spec = match[1] ?? match[2];
			const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
			return {from: path.relative(ROOT, file), to: path.relative(ROOT, target), spec};
		});
	});
}

/** The capability a file belongs to: its top folder, or the file itself at the root (cli.ts). */
function capability(relative: string): string {
	const [first] = relative.split(path.sep);
	return first;
}

function allowed(from: string, to: string): boolean {
	if (from === to || GROUND.includes(to)) return true;
	if (GROUND.includes(from)) return false;
	const service = SERVICES.indexOf(from);
	if (service >= 0) return SERVICES.indexOf(to) >= 0 && SERVICES.indexOf(to) < service;
	const top = TOP[from];
	if (!top) return false;
	return SERVICES.includes(to) || top.includes(to);
}

function cycles(edges: Map<string, Set<string>>): string[][] {
	// Tarjan's strongly connected components; a component of more than one node is a cycle.
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string) => {
		index.set(node, counter);
		low.set(node, counter++);
		stack.push(node);
		onStack.add(node);
		for (const next of edges.get(node) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
		}
		if (low.get(node) !== index.get(node)) return;
		const component: string[] = [];
		let member: string;
		do {
			member = stack.pop()!;
			onStack.delete(member);
			component.push(member);
		} while (member !== node);
		if (component.length > 1) found.push(component.sort());
	};
	for (const node of edges.keys()) if (!index.has(node)) visit(node);
	return found;
}

function graph(all: Import[], key: (file: string) => string): Map<string, Set<string>> {
	const edges = new Map<string, Set<string>>();
	for (const {from, to} of all) {
		const [a, b] = [key(from), key(to)];
		if (a === b) continue;
		if (!edges.has(a)) edges.set(a, new Set());
		edges.get(a)!.add(b);
	}
	return edges;
}

describe('source/ layering (DESIGN §3)', () => {
	const all = imports();

	it('reads the imports of every source file', () => {
		expect(all.length).toBeGreaterThan(500);
		expect(all.every(each => !each.to.startsWith('..'))).toBe(true);
	});

	it('every import points down a floor, or down the list of services', () => {
		const wrong = all.filter(({from, to}) => !allowed(capability(from), capability(to))).map(({from, spec}) => `${from} imports ${spec}`);
		expect(wrong).toEqual([]);
	});

	it('the rule itself refuses what it must', () => {
		expect(allowed('frameio', 'app')).toBe(false);
		expect(allowed('config', 'frameio')).toBe(false);
		expect(allowed('structure', 'frameio')).toBe(true);
		expect(allowed('frameio', 'structure')).toBe(false);
		expect(allowed('events', 'log')).toBe(false);
		expect(allowed('ui', 'commands')).toBe(false);
		expect(allowed('store', 'app')).toBe(false);
		expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual([['a', 'b']]);
	});

	it('no two folders import each other, at any depth', () => {
		expect(cycles(graph(all, file => path.dirname(file)))).toEqual([]);
	});

	it('no two files import each other, directly or round a loop', () => {
		expect(cycles(graph(all, file => file))).toEqual([]);
	});
});
