// A scripted webhook endpoint on 127.0.0.1 for the channel's failure paths (hangs, 5xx) that the
// sandbox's Discord sink does not model. Real HTTP: the channel under test uses its normal client.
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type Responder = (request: {body: string; index: number}, response: ServerResponse) => void;

export async function startWebhookServer(respond: Responder) {
	const bodies: string[] = [];
	const open = new Set<ServerResponse>();
	const server = createServer((request: IncomingMessage, response: ServerResponse) => {
		let body = '';
		request.on('data', chunk => (body += chunk));
		request.on('end', () => {
			bodies.push(body);
			open.add(response);
			response.on('close', () => open.delete(response));
			respond({body, index: bodies.length - 1}, response);
		});
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		// The path has Discord's shape: /api/webhooks/<id>/<token>
		url: `http://127.0.0.1:${port}/api/webhooks/1234567890/tok-${Math.random().toString(36).slice(2)}-secret-part`,
		bodies,
		async close() {
			for (const response of open) response.destroy();
			server.closeAllConnections();
			await new Promise<void>(resolve => server.close(() => resolve()));
		},
	};
}
