/**
 * The validated configuration (load.ts reads it from warroom.yaml). Apart
 * from the parser so that a start without a config file loads no parser.
 */
/** How many results in a row change a check's state: flapping is damped, a single blip shows as an error, not a failure. */
export type Damping = {failAfter: number; recoverAfter: number};

type CheckCommon = {name: string; timeoutMs: number; intervalMs: number; damping: Damping};

export type HttpCheck = CheckCommon & {
	kind: 'http';
	target: {url: string};
	headers: Record<string, string>;
	method: string;
	/** Status codes that count as healthy; empty: any 2xx. */
	expectStatus: number[];
	/** Text the body must contain. */
	bodyContains?: string;
	followRedirects: boolean;
};
/**
 * `sni`: the name the certificate must carry, the host's when absent.
 * `warnDays`: fewer days left is a warning. `ca`: a PEM file (absolute) of
 * an internal CA trusted besides the system's.
 */
export type TlsCheck = CheckCommon & {
	kind: 'tls';
	target: {host: string; port: number};
	sni?: string;
	warnDays: number;
	ca?: string;
};
export type TcpCheck = CheckCommon & {kind: 'tcp'; target: {host: string; port: number}};
/** `cwd` is absolute, resolved against the config file's folder; `env` is added to the console's environment. */
export type CommandCheck = CheckCommon & {kind: 'command'; target: {argv: string[]}; cwd?: string; env: Record<string, string>};
export type HealthCheck = HttpCheck | TlsCheck | TcpCheck | CommandCheck;

/** When a webhook is sent: the declaration, an update (a severity or status change short of resolved), the resolution. */
export const webhookMoments = ['declared', 'update', 'resolved'] as const;
export type WebhookMoment = (typeof webhookMoments)[number];

/** `slack`: an incoming webhook's `{"text": …}`; `json`: `{incident, event, severity, status, text, at}`. */
export type Webhook = {name: string; url: string; format: 'slack' | 'json'; on: WebhookMoment[]};

/** Where PagerDuty's Events API v2 takes events, unless `notify.pagerduty.url` says otherwise. */
export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

/** Paging and notifications; the routing key and the URLs are secrets. `timeoutMs` bounds one attempt. */
export type NotifyConfig = {
	pagerduty?: {routingKey: string; url: string};
	webhooks: Webhook[];
	timeoutMs: number;
};

export type Contact = {role: string; primary: string; secondary?: string};

export type Config = {
	/** Absolute path of the file read; undefined when there was none. */
	file?: string;
	/**
	 * Omitted: the current kubectl context. No namespaces: all of them.
	 * `production`: a regular expression (case-insensitive) a context's name
	 * matches when it is production. `kubectl`: the binary, else the one on
	 * PATH. `watch: false` lists every few seconds instead of watching.
	 */
	kubernetes?: {context?: string; namespaces: string[]; production: string; kubectl?: string; watch: boolean};
	/**
	 * Omitted: read from DATABASE_URL when it is set (settings.ts), else off.
	 * No url: DATABASE_URL, else libpq's PG* variables and ~/.pgpass.
	 */
	postgres?: {url?: string; longQueryMs: number};
	health: HealthCheck[];
	/**
	 * `dir` is absolute, resolved against the config file's folder. `store`:
	 * the journal in files (the default) or in a PostgreSQL database shared by
	 * every host, at `url`, else libpq's PG* variables (never DATABASE_URL:
	 * that is the database being watched).
	 */
	incidents: {dir?: string; store?: 'file' | 'postgres'; url?: string};
	/** Absolute, resolved against the config file's folder; added to the built-in runbooks. */
	runbooks: {dirs: string[]};
	contacts: Contact[];
	/** Omitted: no paging, no webhook. */
	notify?: NotifyConfig;
	/** Environment variables whose values may be shown. */
	publicEnv: string[];
	/** Values to mask wherever they could be shown; see secrets.ts. */
	secrets: string[];
};

/**
 * The cluster a `kubernetes:` section leaves unsaid, and the one read when
 * there is no section but kubectl has a kubeconfig: every namespace, any
 * context whose name contains "prod" is production, watched.
 */
export const defaultKubernetes: NonNullable<Config['kubernetes']> = {namespaces: [], production: 'prod', watch: true};

export const defaultDamping: Damping = {failAfter: 2, recoverAfter: 2};
export const defaultWarnDays = 14;

/** A query running longer is long-running, unless postgres.longQuery says otherwise. */
export const defaultLongQueryMs = 5 * 60_000;

/** What no warroom.yaml means: nothing configured, nothing secret. */
export const emptyConfig: Config = {
	health: [],
	incidents: {},
	runbooks: {dirs: []},
	contacts: [],
	publicEnv: [],
	secrets: [],
};
