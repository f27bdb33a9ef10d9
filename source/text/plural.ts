/** `1 event`, `2 events`, `0 events`: a count with its word, for words that take an s. */
export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
