import * as assert from 'node:assert/strict';
import { maskKey } from '../../src/core/mask';
import { maskedPanelState, parsePanelState, type PanelState } from '../../src/shared/promptProtocol';
import { fakeKeys } from '../fakes/keys';

describe('shared/promptProtocol: the state the panel saves', () => {
  it('masks a key typed into the system prompt, the prompt or held in the answer; keeps everything else', () => {
    const key = fakeKeys.apiKey();
    const state: PanelState = {
      settings: { model: 'claude-haiku-4-5-20251001', system: `Use ${key}.`, maxTokens: 300, temperature: 0.2 },
      prompt: `Why does ${key} fail?`,
      answer: `Because ${key} was revoked.`,
      answerStatus: 'done',
      metrics: { totalMs: 12 },
    };
    const saved = maskedPanelState(state);
    assert.ok(!JSON.stringify(saved).includes(key.slice(-40)));
    assert.deepEqual(saved, {
      ...state,
      settings: { ...state.settings, system: `Use ${maskKey(key)}.` },
      prompt: `Why does ${maskKey(key)} fail?`,
      answer: `Because ${maskKey(key)} was revoked.`,
    });
    // What is saved is still a state the panel restores.
    assert.deepEqual(parsePanelState(saved), saved);
  });

  it('text without a key is saved as it is', () => {
    const state: PanelState = { settings: { model: 'm', system: 'Be brief.', maxTokens: 1, temperature: 1 }, prompt: 'sk-ant-', answer: 'x', answerStatus: 'idle' };
    assert.deepEqual(maskedPanelState(state), state);
  });
});
