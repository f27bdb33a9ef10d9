/**
 * The clipboard through the terminal: OSC 52 asks the terminal emulator to
 * set its clipboard, so a copy works over SSH, from the machine the console
 * runs on to the responder's own. Inside tmux it needs `set -g
 * set-clipboard on` (tmux then sets its buffer and passes it on).
 */

/** `ESC ] 52 ; c ; BASE64 BEL`: the whole text, UTF-8, as one sequence. */
export const clipboardSequence = (text: string) => `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
