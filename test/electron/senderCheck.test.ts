import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isTrustedSender,
  withoutContentSecurityPolicy,
} from '../../electron/senderCheck.js';

// The Electron binary is not needed: these are the pure checks main.ts applies to every IPC
// message and navigation.
describe('Electron IPC sender check', () => {
  it('trusts only the main frame of the app page', () => {
    expect(isTrustedSender({ url: 'app://nnb/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://nnb/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///home/u/page.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'app://other/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });

  it('allows navigation only within the app', () => {
    expect(isAppUrl('app://nnb/index.html#x')).toBe(true);
    expect(isAppUrl('https://example.com/')).toBe(false);
    expect(isAppUrl('javascript:alert(1)')).toBe(false);
  });

  it('forbids remote scripts and plugins', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('drops a response’s own CSP, whatever its case, and keeps the other headers', () => {
    expect(
      withoutContentSecurityPolicy({
        'content-security-policy': ["script-src 'unsafe-eval'"],
        'Content-Security-Policy': ['default-src *'],
        'Content-Type': ['text/html'],
        'Set-Cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'Content-Type': ['text/html'], 'Set-Cookie': ['a=1', 'b=2'] });
    expect(withoutContentSecurityPolicy(undefined)).toEqual({});
  });
});
