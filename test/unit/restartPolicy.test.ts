import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestartPolicy } from '../../client/src/daemon/restartPolicy';

const options = { initialDelayMs: 500, maxDelayMs: 4_000, maxCrashes: 4, quickFailureWindowMs: 60_000 };

test('quick crashes back off exponentially, then the policy gives up', () => {
  const policy = new RestartPolicy(options);
  let now = 0;
  const decisions = [];
  for (let i = 0; i < 4; i++) {
    policy.started(now);
    now += 1_000;
    decisions.push(policy.crashed(now));
  }
  assert.deepEqual(decisions, [
    { action: 'restart', delayMs: 500, attempt: 1 },
    { action: 'restart', delayMs: 1_000, attempt: 2 },
    { action: 'restart', delayMs: 2_000, attempt: 3 },
    { action: 'give-up', crashes: 4 },
  ]);
});

test('the delay is capped', () => {
  const policy = new RestartPolicy({ ...options, maxCrashes: 10 });
  let last = { action: 'restart', delayMs: 0, attempt: 0 } as ReturnType<RestartPolicy['crashed']>;
  for (let i = 0; i < 8; i++) {
    policy.started(i);
    last = policy.crashed(i + 1);
  }
  assert.deepEqual(last, { action: 'restart', delayMs: 4_000, attempt: 8 });
});

test('a daemon that ran longer than the window starts a fresh count', () => {
  const policy = new RestartPolicy(options);
  policy.started(0);
  policy.crashed(100);
  policy.started(200);
  policy.crashed(300);
  policy.started(1_000);
  assert.deepEqual(policy.crashed(1_000 + 60_001), { action: 'restart', delayMs: 500, attempt: 1 });
});

test('a restart on request forgets earlier crashes', () => {
  const policy = new RestartPolicy(options);
  for (let i = 0; i < 3; i++) {
    policy.started(i * 10);
    policy.crashed(i * 10 + 5);
  }
  policy.reset();
  policy.started(100);
  assert.deepEqual(policy.crashed(101), { action: 'restart', delayMs: 500, attempt: 1 });
});
