import { codicon, h, iconButton, show } from './dom';
import { strings } from './strings';

const NOTICE_MS = 8_000;

/**
 * The top of the panel: the banner that asks for a key when none is set, and a short notice from
 * the host (or the page) that hides itself after a while unless it has the focus.
 */
export class PanelNotices {
  readonly keyBanner: HTMLElement;
  readonly notice: HTMLElement;
  private readonly noticeText: HTMLElement;
  private timer = 0;

  /** `onSetKey`: the banner's button; `moveFocus`: where focus goes when a focused notice hides. */
  constructor(onSetKey: () => void, private readonly moveFocus: () => void) {
    const setKey = h('button', { id: 'setKey', className: 'button primary', text: strings.setKey(), attrs: { type: 'button' } });
    this.keyBanner = h('div', { id: 'keyBanner', className: 'banner', attrs: { role: 'region', 'aria-label': strings.noKey(), hidden: true } }, [
      codicon('key'),
      h('span', { className: 'banner-text', text: strings.noKey() }),
      setKey,
    ]);
    this.noticeText = h('span', { className: 'notice-text' });
    const dismiss = iconButton(undefined, 'close', strings.dismiss(), 'notice-dismiss');
    this.notice = h('div', { id: 'notice', className: 'notice', attrs: { role: 'status', hidden: true } }, [codicon('info'), this.noticeText, dismiss]);
    setKey.addEventListener('click', onSetKey);
    dismiss.addEventListener('click', () => this.hideNotice());
  }

  showKeyBanner(visible: boolean): void {
    show(this.keyBanner, visible);
  }

  showNotice(text: string): void {
    this.noticeText.textContent = text;
    this.notice.hidden = false;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      if (!this.notice.contains(document.activeElement)) {
        this.hideNotice();
      }
    }, NOTICE_MS);
  }

  hideNotice(): void {
    window.clearTimeout(this.timer);
    if (this.notice.contains(document.activeElement)) {
      this.moveFocus();
    }
    this.notice.hidden = true;
  }
}
