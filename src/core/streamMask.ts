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
/** Characters of a run's end that decide whether it could still grow into a secret (a GITHUB_PAT prefix is the longest). */
const TAIL = GITHUB_PAT.length - 1;


/**
 * Whether `text` holds the start of something maskSecrets masks: "sk-", "gh" or "github_pat_".
 * One pass by hand: this runs for every piece of a stream, where three includes() cost more.
 */
function holdsSecretStart(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 115 /* s */) {
      if (text.charCodeAt(i + 1) === 107 /* k */ && text.charCodeAt(i + 2) === 45 /* - */) {
        return true;
      }
    } else if (code === 103 /* g */) {
      if (text.charCodeAt(i + 1) === 104 /* h */ || text.startsWith(GITHUB_PAT, i)) {
        return true;
      }
    }
  }
  return false;
}

/** The run ends with the beginning of a secret's start ("s", "sk", "g", "gi", … "github_pat"). */
function endsWithSecretStart(look: string): boolean {
  const last = look.charCodeAt(look.length - 1);
  if (last === 115 /* s */ || (last === 107 /* k */ && look.endsWith('sk'))) {
    return true;
  }
  // "github_pat_" has its only "g" first, so a suffix that is a prefix of it starts at the last "g".
  const g = look.lastIndexOf('g');
  return g >= 0 && look.length - g <= TAIL && GITHUB_PAT.startsWith(look.slice(g));
}

/**
 * maskSecrets for text that arrives in pieces, such as a streamed answer. Masking each piece alone
 * would miss a key split across two pieces, so a trailing run of key characters that could still
 * become a key is held back until a character that cannot belong to a key arrives, or the text ends.
 * Ordinary words are put out at once, so the first token is not delayed. The pieces put out add up
 * to exactly maskSecrets of the whole text.
 *
 * Linear in the text: each piece is looked at once (a held run is only appended to, with its
 * last few characters and whether a secret's start was seen), and each character is masked once.
 */
export class StreamMasker {
  /** Built by concatenation: V8 keeps it as a rope, flattened once when masked. */
  private held = '';
  /** The held run's last TAIL characters, and whether a secret's start was seen in it. */
  private heldTail = '';
  private heldHasStart = false;
  /** The last character put out: the context maskSecrets' "not after a letter" rule looks at. */
  private before = '';

  /** The safe text that can be shown now (possibly empty). */
  push(piece: string): string {
    let cut = piece.length;
    while (cut > 0 && isTokenChar(piece.charCodeAt(cut - 1))) {
      cut--;
    }
    // cut > 0: a character that cannot belong to a key arrived, so the held run is complete.
    const ended = cut > 0;
    if (!ended && this.heldHasStart) {
      this.held += piece;
      return '';
    }
    const run = ended ? piece.slice(cut) : piece;
    // The held run before this piece was checked already: only its tail can join a start with the piece.
    const look = ended ? run : this.heldTail + run;
    const hasStart = holdsSecretStart(look);
    if (!hasStart && !endsWithSecretStart(look)) {
      return this.emit(this.release() + piece);
    }
    const out = ended ? this.emit(this.release() + piece.slice(0, cut)) : '';
    this.held += run;
    this.heldTail = look.length > TAIL ? look.slice(-TAIL) : look;
    this.heldHasStart = hasStart;
    return out;
  }

  /** The text ended (or was cut off): whatever was held back, masked. */
  end(): string {
    return this.emit(this.release());
  }

  private release(): string {
    const text = this.held;
    this.held = '';
    this.heldTail = '';
    this.heldHasStart = false;
    return text;
  }

  private emit(safe: string): string {
    if (!safe) {
      return '';
    }
    const before = this.before;
    this.before = safe[safe.length - 1];
    // Only text holding a secret's start can be changed by maskSecrets: the rest skips its regexes.
    if (!holdsSecretStart(safe)) {
      return safe;
    }
    // No secret starts in `before` (it would have been held), so it only gives the match its context.
    return maskSecrets(before + safe).slice(before.length);
  }
}
