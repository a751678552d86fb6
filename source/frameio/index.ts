// The Frame.io v4 client, its resilience pieces and IMS auth. Import from here.
export {createFrameioClient, createFrameioHttp, type ApiResponse, type FrameioClient, type FrameioClientOptions, type FrameioHttp, type RequestOptions} from './client.js';
export {createEndpoints, DEFAULT_PAGE_SIZE, type ChildrenOptions, type Endpoints, type ListOptions} from './endpoints.js';
export {FrameioError, errorKindOf, parseErrorBody, type FrameioErrorCode} from './errors.js';
export {RateLimiter, readRateLimitHeaders, type RateClassSnapshot, type RateLimiterOptions, type RateLimiterSnapshot, type RateOutcome, type RateTicket} from './rate-limiter.js';
export {CircuitBreaker, type BreakerStats, type CircuitBreakerOptions} from './circuit-breaker.js';
export {classifyRequest, PUBLISHED_LIMITS, ENDPOINT_CLASSES, type EndpointClass} from './endpoint-classes.js';
export {iteratePages, collectPages} from './paginate.js';
export {LIVE_API_URL, parseApiBase, resolveApiUrl, resolveNextLink, type ApiBase, type Query} from './api-url.js';
export {isRetryable, isRetryableStatus, backoffCeilingMs, backoffDelayMs, parseRetryAfter, retryDelayMs, retrySettings, type RetrySettings} from './retry-policy.js';
export {createPlainHttp, type PlainHttp} from './plain-http.js';
export {describeFailure, type Failure} from './describe-failure.js';
export {AuthError, LOGIN_HINT, MissingTokenProvider, NoCredentialsError, type TokenProvider, type TokenSource} from './auth/token-provider.js';
export {EnvTokenProvider, SandboxTokenProvider} from './auth/static-token.js';
export {StoredTokenProvider, REFRESH_MARGIN_MS} from './auth/stored-token.js';
export {resolveTokenProvider, hasCredentials} from './auth/resolve-auth.js';
export {ImsClient, ImsError, DEFAULT_IMS_URL, USER_SCOPES, S2S_SCOPES} from './auth/ims-client.js';
export {createPkce, codeFromRedirect, challengeFor, RedirectError} from './auth/pkce.js';
export {jwtExpiresAt} from './auth/jwt-expiry.js';
