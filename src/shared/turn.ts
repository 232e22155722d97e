/** Lets the event loop take a turn (answer waiting requests) before going on with a long piece of work. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
