/** Whether a process a test started is still there: what "no orphan left" is checked with. */
export const isAlive = (pid: number) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};
