// A shot's version stack in the Structure tab, from the real StructureService over a sandbox on loopback: → opens
// the stack on its versions, oldest first, the head marked, and Enter says which file is the head.
import {afterEach, describe, expect, it} from 'vitest';
import {fakePorts} from '../store/fakes.js';
import {startRig, type Rig} from '../structure/rig.js';
import {KEY, renderConsole, type ConsoleHarness} from './render-console.js';

let harness: ConsoleHarness | null = null;
let rig: Rig | undefined;
afterEach(async () => {
	harness?.cleanup();
	harness = null;
	await rig?.close();
	rig = undefined;
});

const row = (frame: string, name: string) => frame.split('\n').slice(3).find(line => line.includes(name)) ?? '';

describe('Structure pane on a version stack', () => {
	it('opens a stack on its versions, oldest first, with the head marked', async () => {
		rig = await startRig();
		const {sandbox} = rig;
		const scene = sandbox.store.addFolder(sandbox.ids.wipFolderId, 'SC01_SEQ01');
		const shot = sandbox.store.addFolder(scene.id, 'UNDLM_00042');
		const versions = ['001', '002', '003'].map(v => sandbox.store.addFile(shot.id, `UNDLM_SEQ01_00042_v${v}.mp4`, 1000 + Number(v)));
		sandbox.store.createVersionStack(shot.id, versions.map(file => file.id));

		const fakes = fakePorts();
		harness = renderConsole({...fakes, ports: {...fakes.ports, structure: rig.service}}, {pane: 'structure', columns: 80, rows: 24});
		await harness.waitFor('UNDLM_DOCU');
		await harness.press('j', 'j', KEY.right);
		await harness.waitFor('WIP_BYSHOT');
		await harness.press('j', KEY.right);
		await harness.waitFor('SC01_SEQ01');
		await harness.press('j', KEY.right);
		await harness.waitFor('UNDLM_00042');
		await harness.press('j', KEY.right);
		let frame = await harness.waitFor('stack UNDLM_SEQ01_00042_v003.mp4');
		expect(row(frame, 'stack')).toMatch(/▸ stack UNDLM_SEQ01_00042_v003\.mp4/);
		await harness.press('j', KEY.right);
		frame = await harness.waitFor('(3 versions)');
		const lines = frame.split('\n');
		const at = (name: string) => lines.findIndex(line => line.includes(name) && !line.includes('stack'));
		expect([at('_v001'), at('_v002'), at('_v003')].every((index, i, all) => index > 0 && (i === 0 || index > all[i - 1]))).toBe(true);
		expect(lines[at('_v003')]).toMatch(/head · 1003 B/);
		expect(lines[at('_v001')]).not.toContain('head');
		await harness.press('j', 'j', 'j', KEY.enter);
		frame = await harness.waitFor('Esc closes');
		expect(frame).toMatch(/kind +file, the head of its version stack/);
	});
});
