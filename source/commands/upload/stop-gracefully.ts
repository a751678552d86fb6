// The graceful stop the upload commands share.
import type {UploadQueue} from '../../upload/index.js';
import type {Interrupts} from './interrupt.js';

/**
 * The first Ctrl-C: no new file and no new part starts, the parts in flight get a moment to land (a second Ctrl-C
 * cuts it short), then the running jobs are stopped and saved as they stand: the next start resumes them.
 */
export async function stopGracefully(queue: UploadQueue, interrupts: Interrupts, graceMs = 2000): Promise<void> {
	queue.pause();
	const deadline = Date.now() + graceMs;
	let cut = false;
	void interrupts.second.then(() => (cut = true));
	while (!cut && Date.now() < deadline) {
		const inFlight = queue.snapshot().jobs.reduce((sum, job) => sum + job.partsInFlight, 0);
		if (inFlight === 0) break;
		await new Promise(resolve => setTimeout(resolve, 100));
	}
	await queue.close({graceMs: cut ? 500 : 3000});
}
