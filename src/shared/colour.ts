/** Alarm colours of the plan (seed 三(一)): blue < yellow < orange < red. */
export const COLOURS = ['blue', 'yellow', 'orange', 'red'] as const;
export type Colour = (typeof COLOURS)[number];

export const COLOUR_RANK: Record<Colour, number> = { blue: 0, yellow: 1, orange: 2, red: 3 };

/** The more urgent of two colours. */
export const moreUrgent = (a: Colour, b: Colour): Colour => (COLOUR_RANK[a] >= COLOUR_RANK[b] ? a : b);
