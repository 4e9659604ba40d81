import { maskedPanelState, type PanelState } from '../shared/promptProtocol';
import { safely, type PanelHost } from './panelHost';

const TYPING_SAVE_MS = 300;
const STREAMING_SAVE_MS = 1_000;

/**
 * When the panel's state goes to `vscode.setState` (so a hidden or reloaded panel comes back as it
 * was): at once, shortly after typing stops, or at most once a second while an answer streams (it
 * can be long). What is saved is asked of `snapshot` at that moment; undefined saves nothing yet.
 */
export class StateSaver {
  private typingTimer = 0;
  private answerTimer = 0;

  constructor(
    private readonly host: PanelHost,
    private readonly snapshot: () => PanelState | undefined,
  ) {}

  /** After typing: saves once the user pauses. */
  soon(): void {
    window.clearTimeout(this.typingTimer);
    this.typingTimer = window.setTimeout(() => this.now(), TYPING_SAVE_MS);
  }

  /** While streaming: saves at most once a second. */
  answerSoon(): void {
    if (!this.answerTimer) {
      this.answerTimer = window.setTimeout(() => this.now(), STREAMING_SAVE_MS);
    }
  }

  now(): void {
    window.clearTimeout(this.typingTimer);
    window.clearTimeout(this.answerTimer);
    this.typingTimer = 0;
    this.answerTimer = 0;
    const state = this.snapshot();
    if (state) {
      // Masked here, where the state leaves the page: a key pasted into the form is never stored.
      safely(() => this.host.setState(maskedPanelState(state)));
    }
  }
}
