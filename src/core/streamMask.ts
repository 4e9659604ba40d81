import { maskSecrets } from './mask';

/** Every shape maskSecrets knows is one unbroken run of these characters. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) || // 0-9
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    code === 45 || // -
    code === 95 // _
  );
}

/**
 * maskSecrets for text that arrives in pieces, such as a streamed answer. Masking each piece alone
 * would miss a key split across two pieces, so the trailing run of key characters is held back until
 * a character that cannot belong to a key arrives, or the text ends. The pieces put out add up to
 * exactly maskSecrets of the whole text.
 */
export class StreamMasker {
  private held = '';

  /** The safe text that can be shown now (possibly empty). */
  push(piece: string): string {
    const text = this.held + piece;
    let cut = text.length;
    while (cut > 0 && isTokenChar(text.charCodeAt(cut - 1))) {
      cut--;
    }
    this.held = text.slice(cut);
    return cut === 0 ? '' : maskSecrets(text.slice(0, cut));
  }

  /** The text ended (or was cut off): whatever was held back, masked. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return maskSecrets(rest);
  }
}
