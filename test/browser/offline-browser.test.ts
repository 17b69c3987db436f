import { describe, expect, it } from 'vitest';
import { chromiumPath, launchOfflineBrowser, shouldSkipBrowserTests } from './offline-browser.js';

describe('browser test policy', () => {
  const missing = '/nonexistent/chromium';

  it('skips only when a developer opts out outside CI and chromium is really missing', () => {
    expect(shouldSkipBrowserTests({ RLHF_REPLAY_SKIP_BROWSER: '1', RLHF_REPLAY_CHROMIUM: missing })).toBe(true);
    expect(shouldSkipBrowserTests({ RLHF_REPLAY_CHROMIUM: missing })).toBe(false);
    expect(shouldSkipBrowserTests({ CI: 'true', RLHF_REPLAY_SKIP_BROWSER: '1', RLHF_REPLAY_CHROMIUM: missing })).toBe(false);
    expect(shouldSkipBrowserTests({ CI: 'false', RLHF_REPLAY_SKIP_BROWSER: '1', RLHF_REPLAY_CHROMIUM: missing })).toBe(true);
  });

  it('uses Debian chromium unless told otherwise', () => {
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(chromiumPath({ RLHF_REPLAY_CHROMIUM: '/opt/c' })).toBe('/opt/c');
  });

  it('fails with the install command when chromium is missing', async () => {
    await expect(launchOfflineBrowser({ RLHF_REPLAY_CHROMIUM: missing })).rejects.toThrow(/apt-get install -y chromium/);
  });
});
