import { describe, expect, it, vi } from 'vitest';

// The runner calls the same entry for the main step and for the post step (action.yml's `main`
// and `post`); the state the main step saved first tells them apart.

vi.mock('@actions/core', () => import('../helpers/core.js'));
vi.mock('../../src/main.js', () => ({ run: vi.fn(async () => {}) }));
vi.mock('../../src/post.js', () => ({ run: vi.fn(async () => {}) }));

/** Runs the entry afresh with this state, as the runner starts a new process for each step. */
async function runEntry(state: Record<string, string>) {
  vi.resetModules();
  vi.clearAllMocks();
  // The stand-in that src sees: mocked modules outlive resetModules.
  const core = (await import('@actions/core')) as unknown as typeof import('../helpers/core.js');
  core.reset({}, state);
  await import('../../src/index.js');
  const [main, post] = await Promise.all([import('../../src/main.js'), import('../../src/post.js')]);
  return { main: main.run, post: post.run };
}

describe('the entry', () => {
  it('runs the main step when nothing was saved yet', async () => {
    const { main, post } = await runEntry({});
    expect(main).toHaveBeenCalledTimes(1);
    expect(post).not.toHaveBeenCalled();
  });

  it('runs the post step once the main step has saved isPost', async () => {
    const { main, post } = await runEntry({ isPost: 'true' });
    expect(post).toHaveBeenCalledTimes(1);
    expect(main).not.toHaveBeenCalled();
  });
});
