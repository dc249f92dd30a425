declare const THREADWISE_VERSION: string | undefined;

/** The package version, injected by the bundler; `dev` when running from sources. */
export const VERSION: string = typeof THREADWISE_VERSION === 'string' ? THREADWISE_VERSION : 'dev';
