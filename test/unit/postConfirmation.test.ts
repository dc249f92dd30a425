import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { postConfirmation, PREVIEW_MAX_CHARS, PREVIEW_MAX_LINES, previewText } from '../../client/src/suggestion/postConfirmation';

describe('postConfirmation', () => {
  test('a post names the thread, shows the exact text with its length, and offers Post', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'Thanks, **fixed** in #43.\n' });
    assert.equal(confirmation.message, 'Post this reply to acme/parser#42 on GitHub?');
    assert.equal(confirmation.detail, 'Thanks, **fixed** in #43.\n\n\n(26 characters)');
    assert.equal(confirmation.button, 'Post');
  });

  test('an update says so and offers Update', () => {
    const confirmation = postConfirmation({ action: 'update', ref: 'acme/parser#42', text: 'x' });
    assert.equal(confirmation.message, 'Update your comment on acme/parser#42 on GitHub with this text?');
    assert.equal(confirmation.detail, 'x\n\n(1 character)');
    assert.equal(confirmation.button, 'Update');
  });

  test('a draft the guardrail flagged carries a warning', () => {
    const confirmation = postConfirmation({ action: 'post', ref: 'acme/parser#42', text: 'x', unsafe: true });
    assert.match(confirmation.message, /^Post this reply to acme\/parser#42 on GitHub\? The guardrail flagged the generated draft as unsafe/);
  });
});

describe('previewText', () => {
  test('a long text is cut for display with a note that the whole of it is sent', () => {
    const text = 'a'.repeat(PREVIEW_MAX_CHARS + 1234);
    const preview = previewText(text);
    assert.ok(preview.startsWith('a'.repeat(PREVIEW_MAX_CHARS) + '\n…\n'));
    assert.ok(!preview.startsWith('a'.repeat(PREVIEW_MAX_CHARS + 1)));
    assert.match(preview, /\(Showing the first 1,500 of 2,734 characters; the whole text is sent\.\)$/);
  });

  test('many short lines are cut by lines', () => {
    const text = Array.from({ length: PREVIEW_MAX_LINES + 10 }, (_, index) => `line ${index + 1}`).join('\n');
    const preview = previewText(text);
    assert.match(preview, new RegExp(`line ${PREVIEW_MAX_LINES}\\n…\\n`));
    assert.doesNotMatch(preview, new RegExp(`line ${PREVIEW_MAX_LINES + 1}\\b`));
    assert.match(preview, new RegExp(`of ${text.length} characters; the whole text is sent`));
  });

  test('a cut never splits an emoji in two', () => {
    const preview = previewText(`${'a'.repeat(9)}😀😀`, 10);
    assert.ok(preview.startsWith(`${'a'.repeat(9)}\n…`));
    assert.match(preview, /first 9 of 13 characters/);
  });

  test('a text exactly at the limits is shown whole', () => {
    const text = 'b'.repeat(PREVIEW_MAX_CHARS);
    assert.equal(previewText(text), `${text}\n\n(1,500 characters)`);
  });
});
