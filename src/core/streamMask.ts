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

const GITHUB_PAT = 'github_pat_';

/**
 * Whether a run of key characters at the end of the text so far could be, or become, part of
 * something maskSecrets masks: it holds a secret's start ("sk-", "gh…", "github_pat_") or ends with
 * the beginning of one ("s", "sk", "g", "gi", …). Anything else is an ordinary word and can be shown.
 */
function mayGrowIntoSecret(run: string): boolean {
  if (run.includes('sk-') || run.includes('gh') || run.includes(GITHUB_PAT) || run.endsWith('s') || run.endsWith('sk')) {
    return true;
  }
  for (let n = 1; n < GITHUB_PAT.length; n++) {
    if (run.endsWith(GITHUB_PAT.slice(0, n))) {
      return true;
    }
  }
  return false;
}

/**
 * maskSecrets for text that arrives in pieces, such as a streamed answer. Masking each piece alone
 * would miss a key split across two pieces, so a trailing run of key characters that could still
 * become a key is held back until a character that cannot belong to a key arrives, or the text ends.
 * Ordinary words are put out at once, so the first token is not delayed. The pieces put out add up
 * to exactly maskSecrets of the whole text.
 */
export class StreamMasker {
  private held = '';
  /** The last character put out: the context maskSecrets' "not after a letter" rule looks at. */
  private before = '';

  /** The safe text that can be shown now (possibly empty). */
  push(piece: string): string {
    const text = this.held + piece;
    let cut = text.length;
    while (cut > 0 && isTokenChar(text.charCodeAt(cut - 1))) {
      cut--;
    }
    if (!mayGrowIntoSecret(text.slice(cut))) {
      cut = text.length;
    }
    this.held = text.slice(cut);
    return this.emit(text.slice(0, cut));
  }

  /** The text ended (or was cut off): whatever was held back, masked. */
  end(): string {
    const rest = this.held;
    this.held = '';
    return this.emit(rest);
  }

  private emit(safe: string): string {
    if (!safe) {
      return '';
    }
    // No secret starts in `before` (it would have been held), so it only gives the match its context.
    const masked = maskSecrets(this.before + safe).slice(this.before.length);
    this.before = safe.slice(-1);
    return masked;
  }
}
