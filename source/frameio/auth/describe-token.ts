// Where the token comes from, in words: never the token itself.
import {StoredTokenProvider} from './stored-token.js';
import type {TokenProvider} from './token-provider.js';

export function describeTokenSource(auth: TokenProvider): string {
	switch (auth.source) {
		case 'env':
			return 'FRAMEIO_TOKEN (environment)';
		case 'stored':
			return `stored credentials (${auth.kind === 's2s' ? 'server-to-server' : 'user'} login${auth instanceof StoredTokenProvider ? `, ${auth.file}` : ''})`;
		case 'sandbox':
			return "the built-in sandbox's token";
		default:
			return 'none';
	}
}
