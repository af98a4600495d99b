import { describe, expect, it } from 'vitest';
import { EXTERNAL_LINK_HOSTS, isAllowedExternalUrl } from '../../electron/externalLinks.js';

// What the window's open handler may pass to shell.openExternal, i.e. to the OS, which starts
// whatever program a scheme is registered to. Checked with an example list, and with the real
// one, which is empty because the app links nowhere outside itself.
const HOSTS = ['pytorch.org', 'github.com'];

describe('external links', () => {
  it.each([
    'https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html',
    'https://github.com/',
    'https://GitHub.com/owner/repo#readme',
    'https://pytorch.org:443/docs',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url, HOSTS)).toBe(true);
  });

  it.each([
    ['plain http', 'http://pytorch.org/'],
    ['an unknown host', 'https://evil.example/'],
    ['a lookalike host', 'https://github.com.evil.example/'],
    ['a subdomain not on the list', 'https://docs.github.com/'],
    ['a host that ends like one on the list', 'https://notgithub.com/'],
    ['credentials that read like the host', 'https://github.com@evil.example/'],
    ['a user name', 'https://user@github.com/'],
    ['another port', 'https://github.com:8443/'],
    ['javascript:', 'javascript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['a UNC-style file URL', 'file://server/share/x.exe'],
    ['a custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['the app itself', 'app://nnb/index.html'],
    ['no URL at all', 'github.com'],
    ['an empty string', ''],
  ])('refuses %s', (_what, url) => {
    expect(isAllowedExternalUrl(url, HOSTS)).toBe(false);
  });

  it('refuses every URL with the app’s own list, which has no host', () => {
    expect(EXTERNAL_LINK_HOSTS).toEqual([]);
    expect(isAllowedExternalUrl('https://github.com/')).toBe(false);
  });
});
