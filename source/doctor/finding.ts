/**
 * `warroom doctor`'s answer: one finding per prerequisite of the console,
 * each a status word, what was found and, when it is not ok, the one line
 * that fixes it; as text for a person or as JSON for a script, and the exit
 * code (1 when anything is missing). Pure.
 */
import {toSingleLine} from '../text/sanitize';
import {plural} from '../text/plural';

/**
 * `missing`: the console cannot do its job here (exit 1). `warn`: it runs,
 * with something lacking (a mitigation key that will be refused, no terminal
 * for doctor itself). `skipped`: not configured, so not needed.
 */
export type FindingStatus = 'ok' | 'warn' | 'missing' | 'skipped';

export type Finding = {
	/** What was checked: `kubectl`, `cluster reads`, `database`, `data dir`, `health check api`… */
	check: string;
	status: FindingStatus;
	/** What was found, in one line. */
	detail: string;
	/** One line that fixes it, a command to run where there is one; only when it is not ok. */
	fix?: string;
};

export type DoctorReport = {checkedAt: string; missing: number; warnings: number; findings: Finding[]};

/** The status as a word that stands out where it needs a look. */
const statusWord: Record<FindingStatus, string> = {ok: 'ok', warn: 'WARN', missing: 'MISSING', skipped: 'skipped'};
const wordWidth = Math.max(...Object.values(statusWord).map(word => word.length)) + 2;
/** What any outside text (an error, a name from the config) may take of a line. */
const maxLineLength = 400;

/** One terminal line of outside text, cut when it is long. */
function shown(text: string): string {
	const line = toSingleLine(text);
	return line.length > maxLineLength ? `${line.slice(0, maxLineLength)}… (${line.length} characters)` : line;
}

/** The findings, each cleaned to one line, with their counts. */
export function buildDoctorReport(findings: readonly Finding[], now: number): DoctorReport {
	const cleaned = findings.map(({check, status, detail, fix}) => ({
		check: shown(check),
		status,
		detail: shown(detail),
		...(fix === undefined || status === 'ok' ? {} : {fix: shown(fix)}),
	}));
	return {
		checkedAt: new Date(now).toISOString(),
		missing: cleaned.filter(finding => finding.status === 'missing').length,
		warnings: cleaned.filter(finding => finding.status === 'warn').length,
		findings: cleaned,
	};
}

/** One line a finding, its fix indented on the next, then the counts. */
export function doctorText(report: DoctorReport): string {
	const lines = report.findings.flatMap(({check, status, detail, fix}) => [
		`${statusWord[status].padEnd(wordWidth)}${check}: ${detail}`,
		...(fix === undefined ? [] : [`${' '.repeat(wordWidth)}fix: ${fix}`]),
	]);
	const summary =
		report.missing + report.warnings === 0
			? 'everything the console needs is here'
			: `${report.missing} missing, ${plural(report.warnings, 'warning')}`;
	return [...lines, '', `doctor: ${summary}`].join('\n');
}

/** Exit 1 when anything is missing; a warning alone leaves it 0. */
export const doctorExitCode = (report: DoctorReport) => (report.missing > 0 ? 1 : 0);
