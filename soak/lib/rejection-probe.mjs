// Loaded into every uploader process of the soak (NODE_OPTIONS=--import …): records each unhandled promise
// rejection to the file named by SOAK_REJECTIONS, then rethrows it, so the process still dies as Node's default
// would. The soak counts the lines.
import {appendFileSync} from 'node:fs';

const out = process.env.SOAK_REJECTIONS;

process.on('unhandledRejection', reason => {
	if (out) {
		const message = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
		appendFileSync(out, `${JSON.stringify({pid: process.pid, at: Date.now(), reason: message.slice(0, 300)})}\n`);
	}
	throw reason;
});
