// A timer-based pause: PID 1 keeps reaping and taking signals while it waits.
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
