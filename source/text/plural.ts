/** `event`, `events`: the word a count of `count` takes, for words that take an s. */
export const pluralWord = (count: number, word: string) => `${word}${count === 1 ? '' : 's'}`;

/** `1 event`, `2 events`, `0 events`: a count with its word, for words that take an s. */
export const plural = (count: number, word: string) => `${count} ${pluralWord(count, word)}`;
